import { pct, plain } from '../util/numbers.js';
import { KIT, above, below, ramp, runbookUrl } from './kit.js';
import { THRESHOLDS, WINDOWS, logical, sel } from './plan.js';
import type { AlertDef, AlertPlan, AlertRule, TestGroup } from './types.js';

const NAME = 'ReadinessGatewayRejecting';
const r = THRESHOLDS.gatewayRejectRatio;
const minReq = THRESHOLDS.minRequestsInWindow;
const BY = 'requested_model';

/** LiteLLM's own 429s (no deployment chosen: empty model_id) against every request the proxy received for the model group */
const ratio = (plan: AlertPlan) =>
  `sum by (${BY}) (rate(${sel(logical(plan, 'providerRateLimited'), [plan.profile.gatewayRejectMatcher])}[${WINDOWS.rate}])) / sum by (${BY}) (rate(${sel(logical(plan, 'requests'))}[${WINDOWS.rate}]))`;

export const gatewayRejecting: AlertDef = {
  name: NAME,
  severity: 'critical',
  for: '1m',
  scope: 'gateway',
  // the otel profile sees the gateway from the client: it cannot tell the gateway's refusals from the provider's
  needs: { litellm: ['providerRateLimited', 'requests'] },
  summary: `the gateway itself refuses more than ${pct(r)} of a model group's requests with 429 (before choosing a provider)`,
  rules: (plan) => [
    {
      alert: NAME,
      expr: `${ratio(plan)} > ${plain(r)} and on (${BY}) sum by (${BY}) (increase(${sel(logical(plan, 'requests'))}[${WINDOWS.rate}])) >= ${minReq}`,
      for: '1m',
      labels: { severity: 'critical' },
      annotations: {
        summary: `The gateway refuses {{ $value | humanizePercentage }} of requests for {{ $labels.${BY} }} itself`,
        description: `The gateway answered {{ $value | humanizePercentage }} of the requests for model group {{ $labels.${BY} }} with 429 before choosing any provider (no healthy deployment, or its own limits) over the last ${WINDOWS.rate} (alert above ${pct(r)}, with at least ${minReq} requests). The providers are not the cause: check deployment cooldowns and the gateway's limits.`,
        runbook_url: runbookUrl(plan.runbookBase, NAME),
      },
    },
  ],
  tests(plan: AlertPlan, kit = KIT, [rule]: AlertRule[]) {
    const req = logical(plan, 'requests');
    const lim = logical(plan, 'providerRateLimited');
    const m = plan.requestedModel;
    const team = plan.teams[0] ?? 'tenant';
    const series = (perMin: number, frac: number, onset: number) => [
      { series: kit.series(req, { team, requested_model: m, instance: 'litellm-0:4000' }), values: ramp(perMin / 2, 30) },
      { series: kit.series(req, { team, requested_model: m, instance: 'litellm-1:4000', status_code: '429' }), values: ramp(perMin / 2, 30) },
      { series: kit.series(lim, { requested_model: m, model_id: '', exception_status: '429' }), values: onset ? `0x${onset} 0+${plain(perMin * frac, 10)}x${30 - onset}` : ramp(perMin * frac, 30) },
      // a deployment's own 429s are the provider's, not the gateway's
      { series: kit.series(lim, { requested_model: m, model_id: plan.providers[0] ?? 'primary', exception_status: '429' }), values: ramp(perMin * 0.2, 30) },
    ];
    const groups: TestGroup[] = (['above', 'below'] as const).map((side) => {
      const frac = side === 'above' ? above(r) : below(r);
      return {
        scale: 'minutes' as const,
        name: `${NAME} above ${pct(r)} of a model group's requests refused by the gateway (empty model_id), beside a provider's own 429s: ${side === 'above' ? 'fires within 7 minutes' : 'silent just below'}`,
        interval: '1m',
        input_series: series(600, frac, 10),
        alert_rule_test: [{ eval_time: '17m', alertname: NAME, exp_alerts: side === 'above' ? [kit.expAlert(rule, { [BY]: m }, frac, {})] : [] }],
      };
    });
    groups.push({
      scale: 'minutes',
      name: `${NAME}: a quiet gateway (2 requests in 5 minutes, one refused) stays silent`,
      interval: '1m',
      input_series: series(0.4, 0.5, 0),
      alert_rule_test: [{ eval_time: '20m', alertname: NAME, exp_alerts: [] }],
    });
    return groups;
  },
  runbook: (plan) => ({
    fires: `more than ${pct(r)} of the requests for a model group (\`${BY}\`) over the last ${WINDOWS.rate} were refused with 429 by the gateway itself, before any provider was chosen (\`${plan.profile.gatewayRejectMatcher}\`), with at least ${minReq} requests in that window, for 1 minute.`,
    columns: ['Model group', 'Fires above (share refused by the gateway)'],
    rows: [[plan.requestedModel, pct(r)]],
    rowNoun: 'model groups',
  }),
  whatToDo: [
    'The gateway refuses requests without asking any provider: every deployment of the model group is',
    'cooling down after failures, or a gateway-wide limit is hit. Look at `litellm_deployment_cooled_down`',
    'and the proxy log for "No deployments available"; fix the failing deployment or add one, and check',
    'the cooldown settings (`router_settings.allowed_fails`, `cooldown_time`).',
  ].join('\n'),
  panel: (plan) => ({
    title: 'Requests refused by the gateway itself (alert at 1%)',
    description: "Share of each model group's requests LiteLLM refused with 429 before choosing a deployment (empty model_id).",
    unit: 'percentunit',
    targets: [
      { expr: ratio(plan), legend: `{{${BY}}}` },
      { expr: `vector(${plain(r)})`, legend: 'alert threshold' },
    ],
  }),
};
