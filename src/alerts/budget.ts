/**
 * The two budget alerts: early burn (one rule per budgets.alertAtFractions, up to budgets.alertByDay in the
 * operator's time zone) and exhausted (100%, any day). Both read LiteLLM's remaining-budget gauge, which
 * every replica exports with its own view: the rules take the MINIMUM over replicas (the replica that
 * logged the latest spend), and hold 15 minutes before paging (a replica that has not seen the monthly
 * reset shows last month's figure until it logs the team's next request).
 */
import { pct, plain } from '../util/numbers.js';
import { TENANT_LABEL as T } from '../generate/metrics.js';
import { KIT, above, below, bornAt, runbookUrl, teamQuery } from './kit.js';
import { BUDGET_FOR, SERIES, logical, sel } from './plan.js';
import { missingFrom } from './tenant-near-rpm-limit.js';
import type { AlertDef, AlertPlan, AlertRule, InputSeries, TestGroup, TestKit } from './types.js';

const BURN = 'ReadinessTenantBudgetBurnEarly';
const EXHAUSTED = 'ReadinessTenantBudgetExhausted';
export const FRACTION_LABEL = 'budget_fraction';

/** spent fraction of the month's budget, as the most up-to-date replica sees it */
export const spentFraction = (plan: AlertPlan) =>
  `(${SERIES.monthlyBudget} - on (${T}) min by (${T}) (${sel(logical(plan, 'budgetRemaining'))})) / on (${T}) ${SERIES.monthlyBudget}`;

const dayQuery = `{{ with query "${SERIES.dayOfMonth}" }}{{ . | first | value | printf "%.0f" }}{{ end }}`;

/** minutes from 0 to the first local midnight of 1 January 1970 at or after 0 (0 east of UTC: 1 January has begun) */
const monthStartMinute = (plan: AlertPlan) => (plan.zone.baseOffsetSeconds <= 0 ? Math.ceil(-plan.zone.baseOffsetSeconds / 60) : 0);
/** evaluation interval of the day-scale tests (hours): two evaluations per condition cover for: 15m */
export const DAY_TEST_STEP_HOURS = 4;
/**
 * An hour (from 0, a multiple of DAY_TEST_STEP_HOURS) inside day d of January 1970 in the operator's zone:
 * the last such hour of the local day (west of UTC, UTC is then already on the next day, so a day counted
 * in UTC would differ), and at least one step after the day began (the alert, pending one step before, fires).
 */
const localHour = (plan: AlertPlan, day: number) => {
  const startH = ((day - 1) * 86400 - plan.zone.baseOffsetSeconds) / 3600;
  const step = DAY_TEST_STEP_HOURS;
  let h = Math.floor((startH + 24) / step) * step;
  if (h >= startH + 24) h -= step;
  return Math.max(step, h);
};

/** replica 0 logs the spend; replica 1 has not served the team since the reset and still shows the full budget */
function replicas(plan: AlertPlan, kit: TestKit, team: string, r0: string, r1: string): InputSeries[] {
  const rem = logical(plan, 'budgetRemaining');
  return [
    { series: kit.series(rem, { [T]: team, instance: 'litellm-0:4000' }), values: r0 },
    { series: kit.series(rem, { [T]: team, instance: 'litellm-1:4000' }), values: r1 },
  ];
}

/**
 * Day 1 in the operator's zone, two replicas. For 10 minutes replica 0 still shows last month's exhausted
 * budget (the reset has not reached it), then the full budget; replica 1 shows the full budget throughout
 * (it has not served the team since the reset). From minute 20 replica 0 sees the spend at `spent`.
 * The stale reading must never page; the real burn must page within 45 minutes.
 */
function monthStart(plan: AlertPlan, kit: TestKit, alert: string, spent: number, exp: (x: { team: string; usd: number }) => ReturnType<TestKit['expAlert']>[], what: string, dayGated = true): TestGroup {
  // only the early-burn alert depends on the day: the others need not wait for the local month start
  const s = dayGated ? monthStartMinute(plan) : 0;
  const full = (x: { usd: number }) => plain(x.usd, 10);
  return {
    scale: 'minutes',
    name: `${alert}: ${dayGated ? `on day 1 (${plan.zone.name})` : 'at the month start'} a replica still showing last month's exhausted budget for 10 minutes never pages; then ${what}, seen by one of two replicas`,
    interval: '1m',
    input_series: plan.budgets.flatMap((x) => replicas(plan, kit, x.team, bornAt(s, `0x9 ${full(x)}x9 ${plain(x.usd * (1 - spent), 10)}x60`), bornAt(s, `${full(x)}x80`))),
    alert_rule_test: [
      ...[5, 12, 19].map((m) => ({ eval_time: `${s + m}m`, alertname: alert, exp_alerts: [] })),
      { eval_time: `${s + 65}m`, alertname: alert, exp_alerts: plan.budgets.flatMap(exp) },
    ],
  };
}

function burnRules(plan: AlertPlan): AlertRule[] {
  return plan.fractions.map((f) => ({
    alert: BURN,
    expr: `${spentFraction(plan)} >= ${plain(f)} and on () ${SERIES.dayOfMonth} <= ${plan.alertByDay}`,
    for: BUDGET_FOR,
    labels: { severity: 'warning', [FRACTION_LABEL]: plain(f) },
    annotations: {
      summary: `Tenant {{ $labels.${T} }} has spent {{ $value | humanizePercentage }} of its monthly budget by day ${dayQuery}`,
      description: `Tenant {{ $labels.${T} }} has spent {{ $value | humanizePercentage }} of its $${teamQuery(SERIES.monthlyBudget, 'humanize')} monthly budget by day ${dayQuery} of the month in ${plan.zone.name} (alert at ${pct(f)} on or before day ${plan.alertByDay}): at this pace it runs out before month end. Find what drives the spend, or raise the budget on purpose.`,
      runbook_url: runbookUrl(plan.runbookBase, BURN),
    },
  }));
}

export const tenantBudgetBurnEarly: AlertDef = {
  name: BURN,
  severity: 'warning',
  for: BUDGET_FOR,
  scope: 'tenant',
  needs: { litellm: ['budgetRemaining'], otel: ['budgetRemaining'] },
  summary: 'a tenant has spent a given fraction of its monthly budget on or before the alert day (operator time zone)',
  rules: burnRules,
  tests(plan: AlertPlan, kit = KIT, rules: AlertRule[]) {
    if (!plan.budgets.length) return [];
    const day1 = (spent: number) => (x: { team: string; usd: number }) =>
      rules
        .filter((r) => Number(r.labels[FRACTION_LABEL]) <= spent)
        .map((r) => kit.expAlert(r, { [T]: x.team }, spent, { [SERIES.monthlyBudget]: x.usd, [SERIES.dayOfMonth]: 1 }));
    const fmin = plan.fractions[0];
    const groups: TestGroup[] = [monthStart(plan, kit, BURN, above(fmin), day1(above(fmin)), `a real burn just above ${pct(fmin)} pages within 45 minutes`)];
    // day scale: on alertByDay it fires, the day after it does not (January 1970 has 31 days)
    const D = plan.alertByDay;
    const rem = logical(plan, 'budgetRemaining');
    for (const f of plan.fractions) {
      const spent = above(f);
      const hD = localHour(plan, D);
      const tests = [
        {
          eval_time: `${hD}h`,
          alertname: BURN,
          exp_alerts: plan.budgets.flatMap((x) =>
            rules.filter((r) => Number(r.labels[FRACTION_LABEL]) <= spent).map((r) => kit.expAlert(r, { [T]: x.team }, spent, { [SERIES.monthlyBudget]: x.usd, [SERIES.dayOfMonth]: D })),
          ),
        },
        ...(D < 31 ? [{ eval_time: `${localHour(plan, D + 1)}h`, alertname: BURN, exp_alerts: [] }] : []),
      ];
      const hours = localHour(plan, Math.min(D + 1, 31)) + 2;
      groups.push({
        scale: 'days',
        name: `${BURN} at ${pct(f)} by day ${D} in ${plan.zone.name}: fires on day ${D}${D < 31 ? `, silent on day ${D + 1}` : ''}`,
        interval: `${DAY_TEST_STEP_HOURS}h`,
        input_series: plan.budgets.flatMap((x) => [
          { series: kit.series(rem, { [T]: x.team, instance: 'litellm-0:4000' }), values: `${plain(x.usd * (1 - spent), 10)}x${Math.ceil(hours / DAY_TEST_STEP_HOURS) + 1}` },
          { series: kit.series(rem, { [T]: x.team, instance: 'litellm-1:4000' }), values: `${plain(x.usd, 10)}x${Math.ceil(hours / DAY_TEST_STEP_HOURS) + 1}` },
        ]),
        alert_rule_test: tests,
      });
    }
    {
      const spent = below(fmin);
      const hours = localHour(plan, D) + 2;
      groups.push({
        scale: 'days',
        name: `${BURN} just below ${pct(fmin)} by day ${D} in ${plan.zone.name}: silent on day ${D}`,
        interval: `${DAY_TEST_STEP_HOURS}h`,
        input_series: plan.budgets.flatMap((x) => [{ series: kit.series(rem, { [T]: x.team, instance: 'litellm-0:4000' }), values: `${plain(x.usd * (1 - spent), 10)}x${Math.ceil(hours / DAY_TEST_STEP_HOURS) + 1}` }]),
        alert_rule_test: [{ eval_time: `${localHour(plan, D)}h`, alertname: BURN, exp_alerts: [] }],
      });
    }
    return groups;
  },
  runbook: (plan) => ({
    fires: `a tenant has spent ${plan.fractions.map(pct).join(', ')} (\`budgets.alertAtFractions\`) or more of its monthly budget (\`tenants[].budget.monthlyUsd\`) on or before day ${plan.alertByDay} (\`budgets.alertByDay\`) of the month in ${plan.zone.name} (\`operator.timezone\`), as the most up-to-date gateway replica sees it, for ${BUDGET_FOR} (a replica that has not yet seen the monthly reset never pages).`,
    columns: ['Tenant', 'Monthly budget (USD)', ...plan.fractions.map((f) => `Fires at a spend of (USD, ${pct(f)}), on or before day ${plan.alertByDay}`)],
    rows: plan.budgets.map((x) => [x.team, `$${plain(x.usd, 10)}`, ...plan.fractions.map((f) => `$${plain(f * x.usd, 10)}`)]),
    rowNoun: 'tenants',
    notCovered: { reason: 'without a positive `budget.monthlyUsd`', ids: missingFrom(plan, plan.budgets) },
  }),
  whatToDo: [
    'At this pace the tenant runs out of budget before the month ends, and then (with',
    '`onExceeded: block`) its requests are refused. Find what drives the spend (see',
    '[ReadinessTenantCostPerRequestHigh](#readinesstenantcostperrequesthigh)), agree with the tenant whether to raise the budget,',
    "and do it on purpose. The day is counted in the operator's time zone (`operator.timezone`).",
  ].join('\n'),
  panel: (plan) => ({
    title: 'Month-to-date spend per tenant, as a fraction of its budget (alert at 70%)',
    description: 'Spent fraction of the monthly budget per tenant (the most up-to-date replica), against the alert fractions.',
    unit: 'percentunit',
    targets: [{ expr: spentFraction(plan), legend: `{{${T}}}` }, ...plan.fractions.map((f) => ({ expr: `vector(${plain(f)})`, legend: `alert at ${pct(f)}` }))],
  }),
};

export const tenantBudgetExhausted: AlertDef = {
  name: EXHAUSTED,
  severity: 'critical',
  for: BUDGET_FOR,
  scope: 'tenant',
  needs: { litellm: ['budgetRemaining'], otel: ['budgetRemaining'] },
  summary: "a tenant has spent all of its monthly budget (any day)",
  rules: (plan) => [
    {
      alert: EXHAUSTED,
      expr: `${spentFraction(plan)} >= 1`,
      for: BUDGET_FOR,
      labels: { severity: 'critical' },
      annotations: {
        summary: `Tenant {{ $labels.${T} }} has spent {{ $value | humanizePercentage }} of its monthly budget`,
        description: `Tenant {{ $labels.${T} }} has spent {{ $value | humanizePercentage }} of its $${teamQuery(SERIES.monthlyBudget, 'humanize')} monthly budget: with onExceeded block the gateway now refuses its requests. Raise the budget on purpose or tell the tenant.`,
        runbook_url: runbookUrl(plan.runbookBase, EXHAUSTED),
      },
    },
  ],
  tests(plan: AlertPlan, kit = KIT, [rule]: AlertRule[]) {
    if (!plan.budgets.length) return [];
    const exp = (spent: number) => (x: { team: string; usd: number }) => [kit.expAlert(rule, { [T]: x.team }, spent, { [SERIES.monthlyBudget]: x.usd })];
    const rem = logical(plan, 'budgetRemaining');
    const hours = localHour(plan, 2) + 2;
    return [
      monthStart(plan, kit, EXHAUSTED, above(1), exp(above(1)), 'the whole budget spent pages within 45 minutes', false),
      {
        scale: 'days',
        name: `${EXHAUSTED} just below the whole budget stays silent, any day`,
        interval: `${DAY_TEST_STEP_HOURS}h`,
        input_series: plan.budgets.flatMap((x) => [{ series: kit.series(rem, { [T]: x.team, instance: 'litellm-0:4000' }), values: `${plain(x.usd * (1 - below(1)), 10)}x${Math.ceil(hours / DAY_TEST_STEP_HOURS) + 1}` }]),
        alert_rule_test: [{ eval_time: `${localHour(plan, 2)}h`, alertname: EXHAUSTED, exp_alerts: [] }],
      },
    ];
  },
  runbook: (plan) => ({
    fires: `a tenant has spent its whole monthly budget, any day of the month, as the most up-to-date gateway replica sees it, for ${BUDGET_FOR}.`,
    columns: ['Tenant', 'Monthly budget (USD)'],
    rows: plan.budgets.map((x) => [x.team, `$${plain(x.usd, 10)}`]),
    rowNoun: 'tenants',
    notCovered: { reason: 'without a positive `budget.monthlyUsd`', ids: missingFrom(plan, plan.budgets) },
  }),
  whatToDo: [
    'The tenant is out of budget: with `onExceeded: block` its requests are refused from now to the',
    'reset. Decide with the tenant whether to raise the budget (LiteLLM: `/team/update` `max_budget`, and',
    "the manifest's `budget.monthlyUsd` with it) or to wait for the month's reset.",
  ].join('\n'),
  panel: (plan) => ({
    title: 'Tenants at or over their monthly budget',
    description: 'Spent fraction of the monthly budget per tenant; the exhausted alert fires at 1.',
    unit: 'percentunit',
    targets: [{ expr: `${spentFraction(plan)} >= 1`, legend: `{{${T}}}` }],
  }),
};
