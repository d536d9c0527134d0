/**
 * alerts/alertmanager.yml: where the readiness alerts go. Written for every manifest: with no
 * `alerting.receivers` every alert goes to a receiver that drops it (`readiness-null`), so the file
 * loads and routes, and the operator adds receivers in the manifest. Pure: same context, same bytes.
 *
 * - Routes: one per manifest receiver, matching its severities and tenants (the `team` label), each with
 *   `continue: true` so an alert reaches every receiver that asks for it; anything else goes to the null receiver.
 * - Grouping: by alertname and the label the alert is about (team, provider, model group).
 * - Inhibition (from the catalogue's scopes): a provider or gateway-wide alert inhibits the per-tenant
 *   pages it causes (rate, cost and first-request alerts), and an exhausted budget inhibits the early-burn
 *   alert of the same tenant.
 * - Secrets only through the *_file fields (api_url_file, routing_key_file, auth_password_file, and for a
 *   webhook http_config.authorization.credentials_file: amtool 0.25, Debian's, rejects webhook url_file):
 *   Alertmanager does not expand environment variables in its config (prometheus/alertmanager issue 504).
 *   Field names: https://prometheus.io/docs/alerting/0.25/configuration/ (confirmed by amtool check-config 0.25).
 */
import { ALERT_CATALOGUE, alertsFor } from '../alerts/index.js';
import type { AlertReceiver } from '../manifest/types.js';
import { toYaml } from '../util/yaml-emit.js';
import { TENANT_LABEL, resolveMetrics } from './metrics.js';
import { type GenerateContext, type GeneratedFile, hashHeader } from './types.js';

export const ALERTMANAGER_PATH = 'alerts/alertmanager.yml';
export const NULL_RECEIVER = 'readiness-null';

/** Tenant alerts a provider or gateway outage causes: inhibited while the outage alert fires. */
export const CAUSED_BY_OUTAGE = ['ReadinessTenantNearRpmLimit', 'ReadinessTenantCostPerRequestHigh', 'ReadinessFirstRequestSlow'] as const;

/** A regex that matches exactly these strings (Alertmanager anchors regex matchers). */
const anyOf = (xs: string[]) => xs.map((x) => x.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|');
/** A matcher value in double quotes, escaped for Alertmanager's matcher syntax. */
const q = (s: string) => JSON.stringify(s);

function receiverConfig(r: AlertReceiver): Record<string, unknown> {
  switch (r.kind) {
    case 'slack':
      return { name: r.name, slack_configs: [{ api_url_file: r.apiUrlFile, channel: r.channel, send_resolved: true, title: '{{ .CommonAnnotations.summary }}', text: '{{ .CommonAnnotations.description }} {{ .CommonAnnotations.runbook_url }}' }] };
    case 'pagerduty':
      return { name: r.name, pagerduty_configs: [{ routing_key_file: r.routingKeyFile, send_resolved: true, description: '{{ .CommonAnnotations.summary }}' }] };
    case 'email':
      return {
        name: r.name,
        email_configs: [
          {
            to: r.to,
            from: r.from,
            smarthost: r.smarthost,
            ...(r.authUsername ? { auth_username: r.authUsername } : {}),
            ...(r.authPasswordFile ? { auth_password_file: r.authPasswordFile } : {}),
            send_resolved: true,
          },
        ],
      };
    case 'webhook':
      return { name: r.name, webhook_configs: [{ url: r.url, ...(r.credentialsFile ? { http_config: { authorization: { credentials_file: r.credentialsFile } } } : {}), send_resolved: true }] };
  }
}

export function renderAlertmanager(ctx: GenerateContext): string {
  const m = ctx.model.manifest;
  const receivers = m.alerting?.receivers ?? [];
  const profile = resolveMetrics(m).profile;
  const defs = alertsFor(profile.id);
  const names = new Set(defs.map((d) => d.name));
  const outage = defs.filter((d) => d.scope !== 'tenant').map((d) => d.name);
  const caused = CAUSED_BY_OUTAGE.filter((n) => names.has(n));
  const routes = receivers.map((r) => {
    const matchers = ['alertname=~"Readiness.*"'];
    if (r.severities && r.severities.length < 2) matchers.push(`severity=${q(r.severities[0])}`);
    if (r.tenants) matchers.push(`${TENANT_LABEL}=~${q(anyOf(r.tenants))}`);
    return { receiver: r.name, matchers, continue: true };
  });
  const inhibit = [
    ...(outage.length && caused.length
      ? [{ source_matchers: [`alertname=~${q(anyOf(outage))}`], target_matchers: [`alertname=~${q(anyOf([...caused]))}`] }]
      : []),
    ...(names.has('ReadinessTenantBudgetExhausted') && names.has('ReadinessTenantBudgetBurnEarly')
      ? [{ source_matchers: ['alertname="ReadinessTenantBudgetExhausted"'], target_matchers: ['alertname="ReadinessTenantBudgetBurnEarly"'], equal: [TENANT_LABEL] }]
      : []),
  ];
  const doc = {
    route: {
      receiver: NULL_RECEIVER,
      group_by: ['alertname', TENANT_LABEL, profile.providerLabel, 'requested_model'],
      group_wait: '30s',
      group_interval: '5m',
      repeat_interval: '4h',
      ...(routes.length ? { routes } : {}),
    },
    receivers: [{ name: NULL_RECEIVER }, ...receivers.map(receiverConfig)],
    inhibit_rules: inhibit,
  };
  const intro = [
    hashHeader(ctx),
    '# Alertmanager routes for the readiness alerts (alerts/readiness.rules.yml). Check: `amtool check-config alertmanager.yml`.',
    receivers.length
      ? '# One route per receiver in alerting.receivers; an alert nobody asked for goes to readiness-null (dropped).'
      : '# No alerting.receivers in the manifest: every alert goes to readiness-null (dropped). Add receivers to the manifest.',
    `# Alerts: ${ALERT_CATALOGUE.filter((d) => names.has(d.name)).map((d) => `${d.name} (${d.severity})`).join(', ')}.`,
  ].join('\n');
  return `${intro}\n${toYaml(doc)}`;
}

export function alertmanagerGenerator(ctx: GenerateContext): GeneratedFile[] {
  return [{ path: ALERTMANAGER_PATH, content: renderAlertmanager(ctx) }];
}
