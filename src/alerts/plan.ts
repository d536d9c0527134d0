/**
 * The alert plan: every figure the catalogue renders from, taken from the manifest model once. Also the
 * shared series every alert may read (per-tenant thresholds as recording rules, the steady p99, the day
 * of the month in the operator's time zone). Pure.
 */
import type { DeploymentModel, TenantModel } from '../manifest/model.js';
import type { LogicalMetric } from '../manifest/types.js';
import { plain } from '../util/numbers.js';
import { type MetricRef, TENANT_LABEL, resolveMetrics, selector, tenantLabelValue } from '../generate/metrics.js';
import type { AlertPlan, RecordingRule } from './types.js';
import { operatorZone } from './zone.js';

/** Fixed thresholds (documented in docs/alerts.md). */
export const THRESHOLDS = {
  /** fraction of the tenant's rpm limit */
  rpmFraction: 0.8,
  /** multiple of the expected cost per request */
  costMultiple: 3,
  /** multiple of the steady-state p99 */
  firstRequestMultiple: 2,
  /** fraction of a provider's requests answered 429 */
  provider429Ratio: 0.01,
  /** fraction of the gateway's requests it refused itself with 429 */
  gatewayRejectRatio: 0.01,
  /** requests in the 5m window below which a 429 ratio means nothing (2 requests, one 429: 50%) */
  minRequestsInWindow: 20,
  /** how recent an agent start the first-request alert looks at (seconds) */
  firstRequestRecentSeconds: 3600,
} as const;

export const WINDOWS = { rate: '5m', costAverage: '1h', latency: '1h', audit: '5m' } as const;

/**
 * `for:` of the budget alerts: a replica that has not yet seen the monthly reset shows last month's
 * spend for up to ~10 minutes (it updates when it logs the team's next request); 15 minutes never pages
 * on that, and a real burn still pages within 15m + one evaluation.
 */
export const BUDGET_FOR = '15m';

export const SERIES = {
  rpmLimit: 'readiness_tenant_rpm_limit',
  expectedCost: 'readiness_tenant_expected_cost_per_request_usd',
  monthlyBudget: 'readiness_tenant_monthly_budget_usd',
  steadyP99: 'readiness_steady_p99_seconds',
  dayOfMonth: 'readiness_operator_day_of_month',
} as const;

/** Numbers as written into the rules; tests reuse the parsed value so both see the same figure. */
export const num = (n: number, digits = 10) => Number(plain(n, digits));

/** name{fixed matchers, extra...} */
export const sel = (ref: MetricRef, extra: Array<string | undefined> = [], suffix = '') =>
  selector(
    ref,
    extra.filter((x): x is string => !!x),
    suffix,
  );

export function planAlerts(model: DeploymentModel, runbookBase: string): AlertPlan {
  const m = model.manifest;
  const team = (t: TenantModel) => tenantLabelValue(t);
  const ms = m.slo?.steadyP99Ms;
  const metrics = resolveMetrics(m);
  const providers = [model.primary, ...model.failoverTargets.map((f) => f.provider), ...m.providers];
  return {
    metrics,
    profile: metrics.profile,
    // a threshold that prints as 0 would divide by zero and fire for ever: such a tenant gets none
    rpmLimits: model.tenants
      .filter((t) => t.tenant.limits?.rpm !== undefined)
      .map((t) => ({ team: team(t), rpm: num(t.tenant.limits!.rpm!) }))
      .filter((x) => x.rpm > 0),
    expectedCosts: model.tenants
      .filter((t) => t.costPerRequestUsd !== undefined)
      .map((t) => ({ team: team(t), usd: num(t.costPerRequestUsd!) }))
      .filter((x) => x.usd > 0),
    budgets: model.tenants
      .filter((t) => t.tenant.budget?.monthlyUsd !== undefined)
      .map((t) => ({ team: team(t), usd: num(t.tenant.budget!.monthlyUsd!) }))
      .filter((x) => x.usd > 0),
    steadyP99Seconds: ms !== undefined ? num(ms / 1000) : undefined,
    fractions: [...new Set((model.alertAtFractions ?? [model.alertAtFraction]).map((f) => num(f)))].sort((a, b) => a - b),
    alertByDay: model.alertByDay,
    zone: operatorZone(m.operator?.timezone),
    teams: model.tenants.map(team),
    providers: providers.map((p) => metrics.profile.providerValue(p)).filter((id, i, all) => all.indexOf(id) === i),
    requestedModel: model.primary.id,
    runbookBase,
  };
}

/** The shared recording rules, in the order they must run (before the alerts that read them). */
export function sharedRules(plan: AlertPlan): RecordingRule[] {
  const T = TENANT_LABEL;
  const M = plan.metrics.metrics;
  const off = plan.zone.offsetExpr;
  return [
    plan.steadyP99Seconds !== undefined
      ? { record: SERIES.steadyP99, expr: `vector(${plain(plan.steadyP99Seconds, 10)})` }
      : { record: SERIES.steadyP99, expr: `histogram_quantile(0.99, sum by (le) (rate(${sel(M.requestLatency, [], '_bucket')}[${WINDOWS.latency}])))` },
    { record: SERIES.dayOfMonth, expr: off === '0' ? 'day_of_month(vector(time()))' : `day_of_month(vector(time() + (${off})))` },
    ...plan.rpmLimits.map((x) => ({ record: SERIES.rpmLimit, expr: `vector(${plain(x.rpm, 10)})`, labels: { [T]: x.team } })),
    ...plan.expectedCosts.map((x) => ({ record: SERIES.expectedCost, expr: `vector(${plain(x.usd, 10)})`, labels: { [T]: x.team } })),
    ...plan.budgets.map((x) => ({ record: SERIES.monthlyBudget, expr: `vector(${plain(x.usd, 10)})`, labels: { [T]: x.team } })),
  ];
}

export const logical = (plan: AlertPlan, k: LogicalMetric): MetricRef => plan.metrics.metrics[k];

// The operator's time zone: ./zone.ts
export { operatorZone, ZONE_YEARS } from './zone.js';

// ---------------------------------------------------------------------------------------------
// Which tenants the unit tests cover

/**
 * Unit tests cover every tenant up to this many. Beyond, they cover every distinct threshold value up to
 * this many per threshold series, always including the smallest and the largest (spread evenly between
 * when there are more distinct values), plus the tenant ids of unusual shape (the longest, and any that
 * YAML or PromQL must quote). Each alert is one expression over per-tenant threshold series, so further
 * tenants with a value already covered add data, not new paths through the rule.
 */
export const MAX_TESTED_TENANTS = 25;

function distinctSpread<T extends { team: string }>(xs: T[], value: (x: T) => number, max: number, must: Set<string>): T[] {
  if (xs.length <= max) return xs;
  const byValue = new Map<number, T>();
  for (const x of xs) {
    const v = value(x);
    if (!byValue.has(v) || must.has(x.team)) byValue.set(v, x);
  }
  const vals = [...byValue.keys()].sort((a, b) => a - b);
  const keepVals = new Set<number>();
  if (vals.length <= max) vals.forEach((v) => keepVals.add(v));
  else for (let k = 0; k < max; k++) keepVals.add(vals[Math.round((k * (vals.length - 1)) / (max - 1))]);
  const chosen = new Set([...keepVals].map((v) => byValue.get(v)!.team));
  for (const x of xs) if (must.has(x.team) && chosen.size < max + must.size) chosen.add(x.team);
  return xs.filter((x) => chosen.has(x.team));
}

const oddShape = (id: string) => !/^[a-z][a-z0-9-]*$/.test(id);

/** The plan the unit tests exercise: every tenant, or the sample above. */
export function testedPlan(plan: AlertPlan, max = MAX_TESTED_TENANTS): AlertPlan {
  if (plan.teams.length <= max) return plan;
  const longest = plan.teams.reduce((a, b) => (b.length > a.length ? b : a), '');
  const must = new Set([longest, ...plan.teams.filter(oddShape).slice(0, 3)]);
  const rpmLimits = distinctSpread(plan.rpmLimits, (x) => x.rpm, max, must);
  const expectedCosts = distinctSpread(plan.expectedCosts, (x) => x.usd, max, must);
  const budgets = distinctSpread(plan.budgets, (x) => x.usd, max, must);
  const named = new Set([...rpmLimits, ...expectedCosts, ...budgets].map((x) => x.team));
  for (const t of must) named.add(t);
  const teams = plan.teams.filter((t) => named.has(t)).slice(0, max + must.size);
  return { ...plan, rpmLimits, expectedCosts, budgets, teams, sampledFrom: plan.teams.length };
}
