import { plain } from '../util/numbers.js';
import { TENANT_LABEL as T } from '../generate/metrics.js';
import { KIT, above, below, ramp, runbookUrl, teamQuery } from './kit.js';
import { SERIES, THRESHOLDS, WINDOWS, logical, sel } from './plan.js';
import { missingFrom } from './tenant-near-rpm-limit.js';
import type { AlertDef, AlertPlan, AlertRule } from './types.js';

const NAME = 'ReadinessTenantCostPerRequestHigh';
const k = THRESHOLDS.costMultiple;

/** spend per SUCCESSFUL request: a refused or failed request costs nothing, so counting it would dilute the figure */
const costPerRequest = (plan: AlertPlan, w: string) =>
  `sum by (${T}) (rate(${sel(logical(plan, 'spend'))}[${w}])) / sum by (${T}) (rate(${sel(logical(plan, 'requests'), [plan.profile.successMatcher])}[${w}]))`;

export const tenantCostPerRequestHigh: AlertDef = {
  name: NAME,
  severity: 'warning',
  for: '15m',
  scope: 'tenant',
  needs: { litellm: ['spend', 'requests'], otel: ['spend', 'requests'] },
  successesOnly: ['requests'],
  summary: `a tenant's spend per successful request over an hour is above ${plain(k)}x its expected cost per request`,
  rules: (plan) => [
    {
      alert: NAME,
      expr: `${costPerRequest(plan, WINDOWS.costAverage)} / on (${T}) ${SERIES.expectedCost} > ${plain(k)}`,
      for: '15m',
      labels: { severity: 'warning' },
      annotations: {
        summary: `Tenant {{ $labels.${T} }} costs {{ $value | humanize }}x its expected cost per request`,
        description: `Tenant {{ $labels.${T} }} averaged {{ $value | humanize }}x its expected $${teamQuery(SERIES.expectedCost, 'printf "%.4g"')} per successful request over the last ${WINDOWS.costAverage} (alert above ${plain(k)}x): a batch job or a runaway loop. Find what drives it before the monthly budget is gone.`,
        runbook_url: runbookUrl(plan.runbookBase, NAME),
      },
    },
  ],
  // 30 successful requests a minute over two replicas, and as many refused (429, no spend) beside them:
  // spend per successful request at the multiple. Counting the refused ones would read half the multiple.
  tests(plan: AlertPlan, kit = KIT, [rule]: AlertRule[]) {
    if (!plan.expectedCosts.length) return [];
    const req = logical(plan, 'requests');
    const spend = logical(plan, 'spend');
    const fail: Record<string, string> = plan.profile.id === 'litellm' ? { status_code: '429' } : { error_type: '429' };
    return (['above', 'below'] as const).map((side) => {
      const mult = side === 'above' ? above(k) : below(k);
      return {
        scale: 'minutes' as const,
        name: `${NAME} at ${plain(k)}x each tenant's expected cost per request, failed requests beside successful ones: ${side === 'above' ? 'fires just above' : 'silent just below'}`,
        interval: '1m',
        input_series: plan.expectedCosts.flatMap((x) => [
          { series: kit.series(req, { [T]: x.team, instance: 'litellm-0:4000' }), values: ramp(20, 100) },
          { series: kit.series(req, { [T]: x.team, instance: 'litellm-1:4000' }), values: ramp(10, 100) },
          { series: kit.series(req, { [T]: x.team, instance: 'litellm-1:4000', ...fail }), values: ramp(30, 100) },
          { series: kit.series(spend, { [T]: x.team, instance: 'litellm-0:4000' }), values: ramp(20 * x.usd * mult, 100) },
          { series: kit.series(spend, { [T]: x.team, instance: 'litellm-1:4000' }), values: ramp(10 * x.usd * mult, 100) },
        ]),
        alert_rule_test: [
          {
            eval_time: '90m',
            alertname: NAME,
            exp_alerts: side === 'above' ? plan.expectedCosts.map((x) => kit.expAlert(rule, { [T]: x.team }, mult, { [SERIES.expectedCost]: x.usd })) : [],
          },
        ],
      };
    });
  },
  runbook: (plan) => ({
    fires: `a tenant's spend per successful request (\`${plan.profile.successMatcher}\`), averaged over the last ${WINDOWS.costAverage}, is above ${plain(k)}x its expected cost per request (\`tenants[].costPerRequestUsd\`, else the primary provider's pricing x \`traffic.tokensPerRequest\`), for 15 minutes.`,
    columns: ['Tenant', 'Expected cost per request (USD)', 'Fires above (USD per request)'],
    rows: plan.expectedCosts.map((x) => [x.team, `$${plain(x.usd, 10)}`, `$${plain(k * x.usd, 10)}`]),
    rowNoun: 'tenants',
    notCovered: { reason: 'without an expected cost per request (no `costPerRequestUsd` and no pricing to derive it from)', ids: missingFrom(plan, plan.expectedCosts) },
  }),
  whatToDo: [
    'A batch job with long prompts, a runaway agent loop, or a switch to a pricier model (a failover to',
    'a more expensive provider counts too). Break the spend down by use case or key in the gateway, stop',
    "what should not run, and fix the manifest's expected cost if the change is intended. This is how",
    "incident two's batch jobs would have been caught in days, not at month end.",
  ].join('\n'),
  panel: (plan) => ({
    title: 'Cost per successful request per tenant, as a multiple of expected (alert at 3x)',
    description: 'Spend per successful request over 1h divided by the expected cost per request; the alert fires above 3.',
    unit: 'short',
    targets: [
      { expr: `${costPerRequest(plan, WINDOWS.costAverage)} / on (${T}) ${SERIES.expectedCost}`, legend: `{{${T}}}` },
      { expr: `vector(${plain(k)})`, legend: 'alert threshold' },
    ],
  }),
};
