import { decide, describeOrigin } from '../evidence/decide.js';
import { plain } from '../util/numbers.js';
import { fail, pass, warn } from './finding.js';
import { withDeployedFailover } from './deployed.js';
import type { Check, Finding } from './types.js';

export const failover: Check = {
  id: 'failover',
  title: 'Failover to another provider on 429 and outages',
  rationale:
    'Incident one: when the primary answered 429 there was nowhere else to send traffic and nobody was paged. Automatic failover on 429 and 5xx to a provider of another vendor keeps requests flowing through a rate-limit or outage of one vendor; a manual switch is acceptable only with a runbook and a stated time to act.',
  remediation:
    'Set routing.failover.mode: automatic with targets of another vendor than the primary and onStatus including 429, 500, 502, 503 and 504. If automatic failover is impossible, document a manual runbook and an SLA in minutes.',
  sources: [
    { title: 'Portkey: fallbacks and on_status_codes', url: 'https://portkey.ai/docs/product/ai-gateway/fallbacks' },
    { title: 'LiteLLM: fallbacks', url: 'https://docs.litellm.ai/docs/proxy/reliability' },
  ],
  // the deployed gateway config (check --gateway-config) decides where it is weaker: ./deployed.ts
  run: (ctx) => withDeployedFailover(ctx, ({ model, evidence }) => {
    const f = model.manifest.routing?.failover;
    const primary = model.primary;
    const base = f ? ['routing', 'failover'] : model.manifest.routing ? ['routing'] : [];
    const mode = f?.mode;
    if (mode === undefined || mode === 'none') {
      return [
        fail(
          mode ? ['routing', 'failover', 'mode'] : base,
          mode === 'none'
            ? `failover mode is none: when ${primary.id} rate-limits or fails, every request fails`
            : `no failover is declared: when ${primary.id} rate-limits or fails, every request fails`,
          'Declare routing.failover with mode: automatic, a target of another vendor and onStatus [429, 500, 502, 503, 504].',
          { mode: mode ?? null },
        ),
      ];
    }
    if (mode === 'manual') {
      const runbook = f?.manual?.runbook;
      const sla = f?.manual?.slaMinutes;
      if (runbook && sla !== undefined) {
        return [
          warn(
            ['routing', 'failover', 'manual'],
            `failover is manual (runbook ${runbook}, SLA ${plain(sla)} min): acceptable, but a person is paged and requests fail until they act`,
            'Prefer automatic failover on 429 and 5xx to another vendor; keep the runbook as the fallback.',
            { mode, slaMinutes: sla },
          ),
        ];
      }
      const missing = [!runbook ? 'a runbook URL' : '', sla === undefined ? 'an SLA in minutes' : ''].filter(Boolean).join(' and ');
      return [
        fail(
          f?.manual ? ['routing', 'failover', 'manual'] : ['routing', 'failover'],
          `failover is manual without ${missing}: nobody knows what to do or how fast`,
          'Set routing.failover.manual.runbook and .slaMinutes, or switch to automatic failover.',
          { mode, slaMinutes: sla ?? null },
        ),
      ];
    }
    const findings: Finding[] = [];
    const targets = model.failoverTargets;
    const onStatus = f?.onStatus ?? [];
    if (targets.length === 0) {
      findings.push(
        fail(
          f?.targets ? ['routing', 'failover', 'targets'] : ['routing', 'failover'],
          'failover is automatic but has no targets: there is nowhere to fail over to',
          'List at least one provider of another vendor in routing.failover.targets.',
          { mode, targets: 0 },
        ),
      );
    }
    if (!onStatus.includes(429)) {
      findings.push(
        fail(
          f?.onStatus ? ['routing', 'failover', 'onStatus'] : ['routing', 'failover'],
          `failover does not trigger on 429 (onStatus: ${onStatus.length ? onStatus.join(', ') : 'none'}): a rate-limited primary keeps failing requests`,
          'Add 429 to routing.failover.onStatus (gateways such as Portkey fall back only on the codes listed).',
          { onStatus: [...onStatus] },
        ),
      );
    }
    for (const t of targets) {
      if (t.provider.vendor === primary.vendor) {
        const i = (f?.targets ?? []).indexOf(t.provider.id);
        findings.push(
          warn(
            ['routing', 'failover', 'targets', i],
            `failover target ${t.provider.id} is the same vendor as the primary (${primary.vendor}): same outage and rate-limit domain`,
            'Add a target of another vendor ahead of or beside it.',
            { target: t.provider.id, vendor: t.provider.vendor },
          ),
        );
      }
    }
    // what a probe through the gateway saw: did a failover target serve while the primary answered 429?
    const seen = decide<boolean>(evidence ?? [], 'failover.servedBySecondary', undefined, () => false);
    const probeFinding = (() => {
      if (seen.value === undefined || !seen.decidedBy) return undefined;
      const by = seen.decidedBy;
      const f =
        seen.value === false
          ? fail(
              ['routing', 'failover', 'mode'],
              `failover is declared automatic, but nothing was served by ${targets.map((t) => t.provider.id).join(', ') || 'a failover target'} while ${primary.id} answered 429 (${by.note ?? ''}; ${describeOrigin(by)})`,
              "Make the gateway's deployed config fall back on 429 (Portkey: strategy.on_status_codes; LiteLLM: fallbacks with a 429 policy), also for streamed requests, and probe again.",
              { servedBySecondary: false },
            )
          : pass(['routing', 'failover'], `probe: failover targets served requests while ${primary.id} was rate-limited (${by.note ?? ''}; ${describeOrigin(by)})`, { servedBySecondary: true });
      f.decidedBy = by;
      return f;
    })();
    if (findings.length === 0) {
      findings.push(
        pass(
          ['routing', 'failover'],
          `automatic failover from ${primary.id} (${primary.vendor}) to ${targets.map((t) => `${t.provider.id} (${t.provider.vendor})`).join(', ')} on ${onStatus.join(', ')}`,
          { mode, targets: targets.map((t) => t.provider.id), onStatus: [...onStatus] },
        ),
      );
    }
    if (probeFinding) findings.push(probeFinding);
    return findings;
  }),
};
