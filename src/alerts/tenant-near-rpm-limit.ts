import { pct, plain } from '../util/numbers.js';
import { TENANT_LABEL as T } from '../generate/metrics.js';
import { KIT, above, below, ramp, runbookUrl, teamQuery } from './kit.js';
import { SERIES, THRESHOLDS, WINDOWS, logical, sel } from './plan.js';
import type { AlertDef, AlertPlan, AlertRule } from './types.js';

const NAME = 'ReadinessTenantNearRpmLimit';
const f = THRESHOLDS.rpmFraction;

const expr = (plan: AlertPlan) => `sum by (${T}) (rate(${sel(logical(plan, 'requests'))}[${WINDOWS.rate}])) * 60 / on (${T}) ${SERIES.rpmLimit} > ${plain(f)}`;

export const tenantNearRpmLimit: AlertDef = {
  name: NAME,
  severity: 'warning',
  for: '5m',
  scope: 'tenant',
  needs: { litellm: ['requests'], otel: ['requests'] },
  summary: `a tenant's request rate (every outcome, summed over replicas) is above ${pct(f)} of its rpm limit`,
  rules: (plan) => [
    {
      alert: NAME,
      expr: expr(plan),
      for: '5m',
      labels: { severity: 'warning' },
      annotations: {
        summary: `Tenant {{ $labels.${T} }} is at {{ $value | humanizePercentage }} of its rpm limit`,
        description: `Tenant {{ $labels.${T} }} sent requests at {{ $value | humanizePercentage }} of its ${teamQuery(SERIES.rpmLimit, 'humanize')} requests/min limit over the last ${WINDOWS.rate} (alert above ${pct(f)}). Raise the limit or slow the tenant down before its requests get 429s.`,
        runbook_url: runbookUrl(plan.runbookBase, NAME),
      },
    },
  ],
  // Two replicas share each tenant's traffic, one of them answering part of it 429: the rate is summed
  // over replicas and counts every outcome (a refused request is demand too). Onset at 0: firing by 15m.
  tests(plan: AlertPlan, kit = KIT, [rule]: AlertRule[]) {
    if (!plan.rpmLimits.length) return [];
    const req = logical(plan, 'requests');
    const fail: Record<string, string> = plan.profile.id === 'litellm' ? { status_code: '429' } : { error_type: '429' };
    return (['above', 'below'] as const).map((side) => {
      const frac = side === 'above' ? above(f) : below(f);
      return {
        scale: 'minutes' as const,
        name: `${NAME} at ${pct(f)} of each tenant's rpm limit, two replicas, part of it refused: ${side === 'above' ? 'fires just above, within 15 minutes' : 'silent just below'}`,
        interval: '1m',
        input_series: plan.rpmLimits.flatMap((x) => [
          { series: kit.series(req, { [T]: x.team, instance: 'litellm-0:4000' }), values: ramp(frac * x.rpm * 0.5, 30) },
          { series: kit.series(req, { [T]: x.team, instance: 'litellm-1:4000' }), values: ramp(frac * x.rpm * 0.25, 30) },
          { series: kit.series(req, { [T]: x.team, instance: 'litellm-1:4000', ...fail }), values: ramp(frac * x.rpm * 0.25, 30) },
        ]),
        alert_rule_test: [
          {
            eval_time: '15m',
            alertname: NAME,
            exp_alerts: side === 'above' ? plan.rpmLimits.map((x) => kit.expAlert(rule, { [T]: x.team }, frac, { [SERIES.rpmLimit]: x.rpm })) : [],
          },
        ],
      };
    });
  },
  runbook: (plan) => ({
    fires: `a tenant's request rate over the last ${WINDOWS.rate}, in requests per minute, summed over the gateway's replicas and counting every outcome, is above ${pct(f)} of its rpm limit (\`tenants[].limits.rpm\`), for 5 minutes.`,
    columns: ['Tenant', 'rpm limit', 'Fires above (requests/min)'],
    rows: plan.rpmLimits.map((x) => [x.team, plain(x.rpm, 10), plain(f * x.rpm, 10)]),
    rowNoun: 'tenants',
    notCovered: { reason: 'without a positive `limits.rpm`', ids: missingFrom(plan, plan.rpmLimits) },
  }),
  whatToDo: [
    'The tenant is about to hit its ceiling and get 429s. Raise its limit (LiteLLM: `/team/update`',
    '`rpm_limit`) if the traffic is legitimate, or find the caller that grew (a new batch job, a retry',
    "loop) and slow it down. Check the provider's own limit too: a tenant near its limit at the",
    "operator's peak often means the account is too.",
  ].join('\n'),
  panel: (plan) => ({
    title: 'Requests per minute per tenant, against its limit (alert at 80%)',
    description: 'Requests per minute per tenant (every outcome, all replicas) as a fraction of the tenant\'s rpm limit; the alert fires above 0.8.',
    unit: 'percentunit',
    targets: [
      { expr: `sum by (${T}) (rate(${sel(logical(plan, 'requests'))}[${WINDOWS.rate}])) * 60 / on (${T}) ${SERIES.rpmLimit}`, legend: `{{${T}}}` },
      { expr: `vector(${plain(f)})`, legend: 'alert threshold' },
    ],
  }),
};

export function missingFrom(plan: AlertPlan, have: Array<{ team: string }>): string[] {
  const set = new Set(have.map((x) => x.team));
  return plan.teams.filter((t) => !set.has(t));
}
