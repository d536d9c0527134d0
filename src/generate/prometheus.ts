/**
 * Prometheus alerting rules (alerts/readiness.rules.yml), their promtool unit tests
 * (alerts/readiness.rules.test.yml) and their runbook (alerts/RUNBOOK.md, see runbook.ts), from the
 * manifest. Pure: same context, same bytes.
 *
 * Technique (docs/alerts.md, "Thresholds as series"): each per-tenant threshold is a recording rule
 * `readiness_tenant_<name>{team="<tenant>"}` = vector(<number>) at the top of the `readiness` group, and
 * each alert kind is ONE rule that divides the live metric by the threshold series, matched on the
 * team label. A thousand tenants add a thousand one-line recording rules (cheap, evaluated once per
 * interval) but still six alert rules; the thresholds ship in the same file, so promtool tests the
 * whole thing and there is nothing else for the operator to load.
 */
import path from 'node:path';
import { stringify } from 'yaml';
import type { DeploymentModel, TenantModel } from '../manifest/model.js';
import type { LogicalMetric } from '../manifest/types.js';
import { pct, plain } from '../util/numbers.js';
import { goG, humanize, humanizeDuration, humanizePercentage } from './gotemplate.js';
import { type ResolvedMetrics, TENANT_LABEL, resolveMetrics, selector, tenantLabelValue } from './metrics.js';
import { RUNBOOK_PATH, type AlertName, type RunbookSection, renderRunbook, runbookAnchor } from './runbook.js';
import { type GenerateContext, type GeneratedFile, hashHeader } from './types.js';

export const RULES_PATH = 'alerts/readiness.rules.yml';
export const RULE_TESTS_PATH = 'alerts/readiness.rules.test.yml';
/**
 * The budget alert depends on the day of the month, so its tests run over days. promtool evaluates
 * every rule at each evaluation_interval up to the eval time and the interval is per file: at 1m,
 * fifteen days take ~40 s, at 1h a fraction of a second. So the day-scale tests have their own file.
 */
export const MONTHLY_RULE_TESTS_PATH = 'alerts/readiness.rules.monthly.test.yml';

/** Fixed thresholds (documented in docs/alerts.md). */
export const THRESHOLDS = {
  /** a: fraction of the tenant's rpm limit */
  rpmFraction: 0.8,
  /** b: multiple of the expected cost per request */
  costMultiple: 3,
  /** d: multiple of the steady-state p99 */
  firstRequestMultiple: 2,
  /** f: fraction of a provider's requests answered 429 */
  provider429Ratio: 0.01,
} as const;

export const WINDOWS = { rate: '5m', costAverage: '1h', latency: '1h', audit: '5m' } as const;

export const SERIES = {
  rpmLimit: 'readiness_tenant_rpm_limit',
  expectedCost: 'readiness_tenant_expected_cost_per_request_usd',
  monthlyBudget: 'readiness_tenant_monthly_budget_usd',
  steadyP99: 'readiness_steady_p99_seconds',
} as const;

export const ALERTS = {
  rpm: 'ReadinessTenantNearRpmLimit',
  cost: 'ReadinessTenantCostPerRequestHigh',
  trace: 'ReadinessAuditRecordMissingTraceId',
  firstRequest: 'ReadinessFirstRequestSlow',
  budget: 'ReadinessTenantBudgetBurnEarly',
  provider429: 'ReadinessProviderRateLimited',
} as const;

/**
 * Where runbook_url points without gateway.metrics.runbookBaseUrl: the generated RUNBOOK.md, relative
 * to the rules file. The operator commits both files together, so the link resolves in their repo;
 * runbookBaseUrl (where they serve RUNBOOK.md) makes it clickable in Alertmanager and Slack.
 */
export const DEFAULT_RUNBOOK_BASE = path.posix.relative(path.posix.dirname(RULES_PATH), RUNBOOK_PATH);

interface RecordingRule {
  record: string;
  expr: string;
  labels?: Record<string, string>;
}
interface AlertRule {
  alert: string;
  expr: string;
  for?: string;
  labels: Record<string, string>;
  annotations: { summary: string; description: string; runbook_url: string };
}

/** The figures both files are built from: one place, so rules and tests cannot disagree. */
export interface AlertPlan {
  metrics: ResolvedMetrics;
  rpmLimits: Array<{ team: string; rpm: number }>;
  expectedCosts: Array<{ team: string; usd: number }>;
  budgets: Array<{ team: string; usd: number }>;
  /** seconds, from slo.steadyP99Ms; undefined: measured from requestLatency */
  steadyP99Seconds?: number;
  alertAtFraction: number;
  alertByDay: number;
  teams: string[];
  providers: string[];
  /** gateway.metrics.runbookBaseUrl, or DEFAULT_RUNBOOK_BASE */
  runbookBase: string;
}

/** Numbers as written into the rules; tests reuse the parsed value so both see the same figure. */
const num = (n: number, digits = 10) => Number(plain(n, digits));

export function planAlerts(model: DeploymentModel): AlertPlan {
  const m = model.manifest;
  const team = (t: TenantModel) => tenantLabelValue(t);
  const ms = m.slo?.steadyP99Ms;
  return {
    metrics: resolveMetrics(m),
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
    alertAtFraction: num(model.alertAtFraction),
    alertByDay: model.alertByDay,
    teams: model.tenants.map(team),
    providers: [model.primary, ...model.failoverTargets.map((f) => f.provider), ...m.providers]
      .map((p) => p.id)
      .filter((id, i, all) => all.indexOf(id) === i),
    runbookBase: m.gateway?.metrics?.runbookBaseUrl ?? DEFAULT_RUNBOOK_BASE,
  };
}

/** `{{ with printf "<series>{team=%q}" $labels.team | query }}{{ . | first | value | <fmt> }}{{ end }}` */
function teamQuery(series: string, fmt: string): string {
  return `{{ with printf "${series}{${TENANT_LABEL}=%q}" $labels.${TENANT_LABEL} | query }}{{ . | first | value | ${fmt} }}{{ end }}`;
}

function buildRules(plan: AlertPlan): { thresholds: RecordingRule[]; alerts: AlertRule[] } {
  const M = plan.metrics.metrics;
  const T = TENANT_LABEL;
  const P = plan.metrics.profile.providerLabel;
  const sel = (k: LogicalMetric, suffix = '') => selector(M[k], [], suffix);
  const runbook = (alert: string) => `${plan.runbookBase}#${runbookAnchor(alert)}`;
  const t = `{{ $labels.${T} }}`;

  const thresholds: RecordingRule[] = [
    ...plan.rpmLimits.map((x) => ({ record: SERIES.rpmLimit, expr: `vector(${plain(x.rpm, 10)})`, labels: { [T]: x.team } })),
    ...plan.expectedCosts.map((x) => ({ record: SERIES.expectedCost, expr: `vector(${plain(x.usd, 10)})`, labels: { [T]: x.team } })),
    ...plan.budgets.map((x) => ({ record: SERIES.monthlyBudget, expr: `vector(${plain(x.usd, 10)})`, labels: { [T]: x.team } })),
    plan.steadyP99Seconds !== undefined
      ? { record: SERIES.steadyP99, expr: `vector(${plain(plan.steadyP99Seconds, 10)})` }
      : { record: SERIES.steadyP99, expr: `histogram_quantile(0.99, sum by (le) (rate(${sel('requestLatency', '_bucket')}[${WINDOWS.latency}])))` },
  ];
  const steadySource =
    plan.steadyP99Seconds !== undefined ? 'slo.steadyP99Ms in the manifest' : `measured: p99 of ${M.requestLatency.name} over ${WINDOWS.latency}`;
  const f = THRESHOLDS;
  const alerts: AlertRule[] = [
    {
      alert: ALERTS.rpm,
      expr: `sum by (${T}) (rate(${sel('requests')}[${WINDOWS.rate}])) * 60 / on (${T}) ${SERIES.rpmLimit} > ${plain(f.rpmFraction)}`,
      for: '5m',
      labels: { severity: 'warning' },
      annotations: {
        summary: `Tenant ${t} is at {{ $value | humanizePercentage }} of its rpm limit`,
        description: `Tenant ${t} sent requests at {{ $value | humanizePercentage }} of its ${teamQuery(SERIES.rpmLimit, 'humanize')} requests/min limit over the last ${WINDOWS.rate} (alert above ${pct(f.rpmFraction)}). Raise the limit or slow the tenant down before its requests get 429s.`,
        runbook_url: runbook(ALERTS.rpm),
      },
    },
    {
      alert: ALERTS.cost,
      expr: `sum by (${T}) (rate(${sel('spend')}[${WINDOWS.costAverage}])) / sum by (${T}) (rate(${sel('requests')}[${WINDOWS.costAverage}])) / on (${T}) ${SERIES.expectedCost} > ${plain(f.costMultiple)}`,
      for: '15m',
      labels: { severity: 'warning' },
      annotations: {
        summary: `Tenant ${t} costs {{ $value | humanize }}x its expected cost per request`,
        description: `Tenant ${t} averaged {{ $value | humanize }}x its expected $${teamQuery(SERIES.expectedCost, 'printf "%.4g"')} per request over the last ${WINDOWS.costAverage} (alert above ${plain(f.costMultiple)}x): a batch job or a runaway loop. Find what drives it before the monthly budget is gone.`,
        runbook_url: runbook(ALERTS.cost),
      },
    },
    {
      alert: ALERTS.trace,
      expr: `sum by (${T}) (increase(${sel('auditRecordsMissingTraceId')}[${WINDOWS.audit}])) > 0`,
      labels: { severity: 'critical' },
      annotations: {
        summary: `Audit records without a trace id for tenant ${t}`,
        description: `{{ $value | humanize }} of the {{ with printf "sum(increase(${M.auditRecordsWritten.name}{${T}=%q}[${WINDOWS.audit}]))" $labels.${T} | query }}{{ . | first | value | humanize }}{{ end }} audit records written for tenant ${t} in the last ${WINDOWS.audit} have no trace id (alert above 0): those agent decisions cannot be reconstructed. Fix the agent's audit writer; run readiness audit verify on the log.`,
        runbook_url: runbook(ALERTS.trace),
      },
    },
    {
      alert: ALERTS.firstRequest,
      expr: `histogram_quantile(0.99, sum by (${T}, le) (rate(${sel('firstRequestLatency', '_bucket')}[${WINDOWS.latency}]))) > on () group_left () (${plain(f.firstRequestMultiple)} * ${SERIES.steadyP99})`,
      labels: { severity: 'warning' },
      annotations: {
        summary: `First-request p99 for tenant ${t} is {{ $value | humanizeDuration }}, over ${plain(f.firstRequestMultiple)}x the steady p99`,
        description: `The p99 latency of the first request after an agent instance starts was {{ $value | humanizeDuration }} for tenant ${t} over the last ${WINDOWS.latency}, more than ${plain(f.firstRequestMultiple)}x the steady-state p99 of {{ with query "${SERIES.steadyP99}" }}{{ . | first | value | humanizeDuration }}{{ end }} (${steadySource}). A cold-start regression: warm instances up before the operator's peak.`,
        runbook_url: runbook(ALERTS.firstRequest),
      },
    },
    {
      alert: ALERTS.budget,
      expr: `(${SERIES.monthlyBudget} - on (${T}) max by (${T}) (${sel('budgetRemaining')})) / on (${T}) ${SERIES.monthlyBudget} >= ${plain(plan.alertAtFraction)} and on () day_of_month() <= ${plan.alertByDay}`,
      labels: { severity: 'warning' },
      annotations: {
        summary: `Tenant ${t} has spent {{ $value | humanizePercentage }} of its monthly budget by day {{ with query "day_of_month()" }}{{ . | first | value | printf "%.0f" }}{{ end }}`,
        description: `Tenant ${t} has spent {{ $value | humanizePercentage }} of its $${teamQuery(SERIES.monthlyBudget, 'humanize')} monthly budget by day {{ with query "day_of_month()" }}{{ . | first | value | printf "%.0f" }}{{ end }} of the month, UTC (alert at ${pct(plan.alertAtFraction)} on or before day ${plan.alertByDay}): at this pace it runs out before month end. Find what drives the spend, or raise the budget on purpose.`,
        runbook_url: runbook(ALERTS.budget),
      },
    },
    {
      alert: ALERTS.provider429,
      expr: `sum by (${P}) (rate(${sel('providerRateLimited')}[${WINDOWS.rate}])) / sum by (${P}) (rate(${sel('providerRequests')}[${WINDOWS.rate}])) > ${plain(f.provider429Ratio)}`,
      for: '2m',
      labels: { severity: 'critical' },
      annotations: {
        summary: `Provider {{ $labels.${P} }} answers {{ $value | humanizePercentage }} of requests with 429`,
        description: `{{ $value | humanizePercentage }} of requests to provider {{ $labels.${P} }} were answered 429 (rate limited) over the last ${WINDOWS.rate} (alert above ${pct(f.provider429Ratio)}). Check that failover is taking the traffic and raise the provider limit; incident one went eleven minutes unnoticed.`,
        runbook_url: runbook(ALERTS.provider429),
      },
    },
  ];
  return { thresholds, alerts };
}

const YAML_OPTS = { lineWidth: 0, indent: 2 } as const;

export function renderRules(ctx: GenerateContext, plan = planAlerts(ctx.model)): string {
  const { thresholds, alerts } = buildRules(plan);
  const doc = {
    // One group, thresholds first: rules in a group run in order and see the series recorded before
    // them at the same timestamp. Separate groups run independently, so an alert could read the
    // previous evaluation's threshold, which falls out of the 5m lookback once the interval is longer.
    groups: [{ name: 'readiness', rules: [...thresholds, ...alerts] }],
  };
  const intro = [
    hashHeader(ctx),
    `# Metrics profile: ${plan.metrics.profile.id}${plan.metrics.overridden.length ? ` (overridden: ${plan.metrics.overridden.join(', ')})` : ''}. See docs/alerts.md for the metric contract.`,
    '# First the thresholds (one recording rule per tenant and threshold), then one alert rule per alert kind.',
    '# What each alert checks for this manifest and what to do when it fires: RUNBOOK.md, next to this file.',
  ].join('\n');
  if (alerts.length === 0) return `${intro}\n${stringify(doc, YAML_OPTS)}`;
  // The per-tenant recording rules are uniform and can number tens of thousands: write them
  // directly (the yaml package took ~1 s for 30,000 of them) and let it lay out the alert rules.
  const rest = stringify({ groups: [{ name: 'readiness', rules: alerts }] }, YAML_OPTS);
  const at = rest.indexOf('    rules:\n') + '    rules:\n'.length;
  return `${intro}\n${rest.slice(0, at)}${thresholds.map(recordingRuleYaml).join('')}${rest.slice(at)}`;
}

/** A YAML scalar: plain when that cannot be misread (as a number, boolean, null, an indicator...), else double-quoted. */
function scalar(v: string): string {
  const plainSafe =
    v !== '' &&
    v === v.trim() &&
    !/^[-?:,[\]{}#&*!|>'"%@`]/.test(v) &&
    !/: | #|:$|[\u0000-\u001f\u007f]/.test(v) &&
    !/^(true|false|null|~|yes|no|on|off|y|n)$/i.test(v) &&
    !/^[-+]?(\.\d+|\d+(\.\d*)?)([eE][-+]?\d+)?$|^0x[0-9a-f]+$|^0o[0-7]+$|^[-+]?\.inf$|^\.nan$/i.test(v);
  return plainSafe ? v : JSON.stringify(v);
}

/** One recording rule, laid out exactly as the yaml package lays out the alert rules around it. */
function recordingRuleYaml(r: RecordingRule): string {
  const labels = r.labels ? `        labels:\n${Object.entries(r.labels).map(([k, v]) => `          ${k}: ${scalar(v)}\n`).join('')}` : '';
  return `      - record: ${scalar(r.record)}\n        expr: ${scalar(r.expr)}\n${labels}`;
}

// ---------------------------------------------------------------------------------------------
// promtool unit tests

/** Rounds to 3 significant digits, up or down: test figures stay clear of %.4g rounding ties. */
export function sig3(v: number, dir: 'up' | 'down'): number {
  if (v === 0) return 0;
  const e = Math.floor(Math.log10(Math.abs(v))) - 2;
  const scale = 10 ** e;
  const r = (dir === 'up' ? Math.ceil(v / scale - 1e-9) : Math.floor(v / scale + 1e-9)) * scale;
  return Number(plain(r, 12));
}
/** Just above and just below a threshold (1%). */
const above = (thr: number) => {
  const v = sig3(thr * 1.01, 'up');
  return v > thr ? v : sig3(thr * 1.02, 'up');
};
const below = (thr: number) => {
  const v = sig3(thr * 0.99, 'down');
  return v < thr ? v : sig3(thr * 0.98, 'down');
};

interface InputSeries {
  series: string;
  values: string;
}
interface ExpAlert {
  exp_labels: Record<string, string>;
  exp_annotations?: Record<string, string>;
}
interface AlertTest {
  eval_time: string;
  alertname: string;
  exp_alerts: ExpAlert[];
}
interface TestGroup {
  /** which test file: minute-scale (evaluated every 1m) or day-scale (every 1h) */
  scale?: 'minutes' | 'days';
  name: string;
  interval: string;
  input_series: InputSeries[];
  alert_rule_test: AlertTest[];
}

const lbl = (labels: Record<string, string>) =>
  `{${Object.entries(labels)
    .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
    .join(',')}}`;
/** promtool series notation: start, then `+step` n times */
const ramp = (perStep: number, n: number) => `0+${plain(perStep, 10)}x${n}`;

/**
 * Unit tests cover every tenant up to this many. Beyond it they cover a deterministic sample: for
 * each threshold series, tenants spread evenly from its smallest to its largest value (both ends
 * included). Each alert is one expression over per-tenant threshold series, so further tenants add
 * data, not new paths through the rule; testing all 10,000 tenants of a large operator would make a
 * 40 MB test file that promtool takes minutes over.
 */
export const MAX_TESTED_TENANTS = 25;

function spread<T extends { team: string }>(xs: T[], value: (x: T) => number, max: number): T[] {
  if (xs.length <= max) return xs;
  const order = xs.map((x, i) => ({ x, i })).sort((a, b) => value(a.x) - value(b.x) || (a.x.team < b.x.team ? -1 : a.x.team > b.x.team ? 1 : 0));
  const keep = new Set<number>();
  for (let k = 0; k < max; k++) keep.add(order[Math.round((k * (order.length - 1)) / (max - 1))].i);
  return xs.filter((_, i) => keep.has(i));
}

/** The plan the unit tests exercise: every tenant, or a sample of at most MAX_TESTED_TENANTS per series. */
export function testedPlan(plan: AlertPlan, max = MAX_TESTED_TENANTS): AlertPlan {
  const rpmLimits = spread(plan.rpmLimits, (x) => x.rpm, max);
  const expectedCosts = spread(plan.expectedCosts, (x) => x.usd, max);
  const budgets = spread(plan.budgets, (x) => x.usd, max);
  const named = new Set([...rpmLimits, ...expectedCosts, ...budgets].map((x) => x.team));
  const teams = plan.teams.length <= max ? plan.teams : plan.teams.filter((t) => named.has(t)).slice(0, max);
  return { ...plan, rpmLimits, expectedCosts, budgets, teams: teams.length ? teams : plan.teams.slice(0, max) };
}

function buildTests(fullPlan: AlertPlan): TestGroup[] {
  const plan = testedPlan(fullPlan);
  const M = plan.metrics.metrics;
  const T = TENANT_LABEL;
  const P = plan.metrics.profile.providerLabel;
  const rules = buildRules(plan).alerts;
  const ann = (alert: string) => rules.find((r) => r.alert === alert)!.annotations;
  /** expands the few template forms the rules use, for one alert instance */
  const expand = (text: string, labels: Record<string, string>, value: number, queries: Record<string, number>) =>
    text
      .replace(/\{\{ with printf "([^"]*?)\{[^}]*=%q\}" \$labels\.\w+ \| query \}\}\{\{ \. \| first \| value \| (humanize|printf "%\.4g") \}\}\{\{ end \}\}/g, (_, s: string, fmt: string) => {
        const v = queries[s];
        if (v === undefined) throw new Error(`no expected value for query ${s}`);
        return fmt === 'humanize' ? humanize(v) : goG(v);
      })
      .replace(/\{\{ with printf "sum\(increase\(([^{]*)\{[^}]*\}\[[^\]]*\]\)\)" \$labels\.\w+ \| query \}\}\{\{ \. \| first \| value \| humanize \}\}\{\{ end \}\}/g, (_, s: string) =>
        humanize(queries[s]),
      )
      .replace(/\{\{ with query "([^"]*)" \}\}\{\{ \. \| first \| value \| (humanizeDuration|printf "%\.0f") \}\}\{\{ end \}\}/g, (_, s: string, fmt: string) =>
        fmt === 'humanizeDuration' ? humanizeDuration(queries[s]) : String(Math.round(queries[s])),
      )
      .replace(/\{\{ \$labels\.(\w+) \}\}/g, (_, k: string) => labels[k])
      .replace(/\{\{ \$value \| humanizePercentage \}\}/g, humanizePercentage(value))
      .replace(/\{\{ \$value \| humanizeDuration \}\}/g, humanizeDuration(value))
      .replace(/\{\{ \$value \| humanize \}\}/g, humanize(value));
  const expAlert = (alert: string, labels: Record<string, string>, severity: string, value: number, queries: Record<string, number>): ExpAlert => {
    const a = ann(alert);
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(a)) {
      const text = expand(v, labels, value, queries);
      if (text.includes('{{')) throw new Error(`unexpanded template in ${alert}.${k}: ${text}`);
      out[k] = text;
    }
    return { exp_labels: { ...labels, severity }, exp_annotations: out };
  };
  const groups: TestGroup[] = [];
  const pair = (name: string, build: (side: 'above' | 'below') => Omit<TestGroup, 'name'>) => {
    groups.push({ name: `${name}: fires just above the threshold`, ...build('above') });
    groups.push({ name: `${name}: silent just below the threshold`, ...build('below') });
  };

  // a. rpm: 20 minutes of a steady request rate per tenant; the rule needs 5m of window + 5m for.
  if (plan.rpmLimits.length) {
    pair(`${ALERTS.rpm} at ${pct(THRESHOLDS.rpmFraction)} of each tenant's rpm limit`, (side) => {
      const frac = side === 'above' ? above(THRESHOLDS.rpmFraction) : below(THRESHOLDS.rpmFraction);
      return {
        interval: '1m',
        input_series: plan.rpmLimits.map((x) => ({ series: `${M.requests.name}${lbl({ [T]: x.team })}`, values: ramp(frac * x.rpm, 30) })),
        alert_rule_test: [
          {
            eval_time: '20m',
            alertname: ALERTS.rpm,
            exp_alerts:
              side === 'above'
                ? plan.rpmLimits.map((x) => expAlert(ALERTS.rpm, { [T]: x.team }, 'warning', frac, { [SERIES.rpmLimit]: x.rpm }))
                : [],
          },
        ],
      };
    });
  }

  // b. cost: 60 requests a minute; spend per minute at the chosen multiple of the expected cost.
  if (plan.expectedCosts.length) {
    pair(`${ALERTS.cost} at ${plain(THRESHOLDS.costMultiple)}x each tenant's expected cost per request`, (side) => {
      const mult = side === 'above' ? above(THRESHOLDS.costMultiple) : below(THRESHOLDS.costMultiple);
      return {
        interval: '1m',
        input_series: plan.expectedCosts.flatMap((x) => [
          { series: `${M.requests.name}${lbl({ [T]: x.team })}`, values: ramp(60, 100) },
          { series: `${M.spend.name}${lbl({ [T]: x.team })}`, values: ramp(60 * x.usd * mult, 100) },
        ]),
        alert_rule_test: [
          {
            eval_time: '90m',
            alertname: ALERTS.cost,
            exp_alerts:
              side === 'above'
                ? plan.expectedCosts.map((x) => expAlert(ALERTS.cost, { [T]: x.team }, 'warning', mult, { [SERIES.expectedCost]: x.usd }))
                : [],
          },
        ],
      };
    });
  }

  // c. missing trace id: the counter steps from 0 to 1 inside the window (above) or stays at 0 (below).
  if (plan.teams.length) {
    pair(`${ALERTS.trace} on the first audit record without a trace id`, (side) => ({
      interval: '1m',
      input_series: plan.teams.flatMap((team) => [
        { series: `${M.auditRecordsWritten.name}${lbl({ [T]: team })}`, values: ramp(20, 30) },
        { series: `${M.auditRecordsMissingTraceId.name}${lbl({ [T]: team })}`, values: side === 'above' ? '0x11 1x19' : '0x30' },
      ]),
      alert_rule_test: [
        {
          eval_time: '14m',
          alertname: ALERTS.trace,
          exp_alerts:
            side === 'above'
              ? plan.teams.map((team) => expAlert(ALERTS.trace, { [T]: team }, 'critical', 1, { [M.auditRecordsWritten.name]: 100 }))
              : [],
        },
      ],
    }));
  }

  // d. first-request p99: 99 of 100 observations at or below the bucket bound, so p99 = the bound.
  if (plan.teams.length) {
    const measured = plan.steadyP99Seconds === undefined;
    const steady = plan.steadyP99Seconds ?? 2;
    const thr = THRESHOLDS.firstRequestMultiple * steady;
    const histo = (name: string, labels: Record<string, string>, bound: number) => [
      { series: `${name}_bucket${lbl({ ...labels, le: plain(bound, 10) })}`, values: ramp(99, 100) },
      { series: `${name}_bucket${lbl({ ...labels, le: plain(bound * 2, 10) })}`, values: ramp(100, 100) },
      { series: `${name}_bucket${lbl({ ...labels, le: '+Inf' })}`, values: ramp(100, 100) },
    ];
    pair(`${ALERTS.firstRequest} at ${plain(THRESHOLDS.firstRequestMultiple)}x the steady p99 of ${plain(steady)}s${measured ? ' (measured)' : ''}`, (side) => {
      let p99 = side === 'above' ? above(thr) : below(thr);
      // humanizeDuration truncates to whole seconds from a minute up: keep clear of an integer
      if (p99 >= 60 && Number.isInteger(p99)) p99 += side === 'above' ? 0.5 : -0.5;
      return {
        interval: '1m',
        input_series: [
          ...(measured ? histo(M.requestLatency.name, {}, steady) : []),
          ...plan.teams.flatMap((team) => histo(M.firstRequestLatency.name, { [T]: team }, p99)),
        ],
        alert_rule_test: [
          {
            eval_time: '90m',
            alertname: ALERTS.firstRequest,
            exp_alerts:
              side === 'above'
                ? plan.teams.map((team) => expAlert(ALERTS.firstRequest, { [T]: team }, 'warning', p99, { [SERIES.steadyP99]: steady }))
                : [],
          },
        ],
      };
    });
  }

  // e. budget: one sample a day; on day alertByDay at the fraction it fires, below it or a day later it does not.
  if (plan.budgets.length) {
    const byDay = plan.alertByDay;
    pair(`${ALERTS.budget} at ${pct(plan.alertAtFraction)} of each tenant's budget by day ${byDay}`, (side) => {
      const frac = side === 'above' ? above(plan.alertAtFraction) : below(plan.alertAtFraction);
      const tests: AlertTest[] = [
        {
          eval_time: `${byDay - 1}d`,
          alertname: ALERTS.budget,
          exp_alerts:
            side === 'above'
              ? plan.budgets.map((x) => expAlert(ALERTS.budget, { [T]: x.team }, 'warning', frac, { [SERIES.monthlyBudget]: x.usd, 'day_of_month()': byDay }))
              : [],
        },
      ];
      // January 1970 has 31 days: the day after alertByDay is in the same month unless alertByDay is 31
      if (side === 'above' && byDay < 31) tests.push({ eval_time: `${byDay}d`, alertname: ALERTS.budget, exp_alerts: [] });
      return {
        scale: 'days',
        interval: '1d',
        input_series: plan.budgets.map((x) => ({
          series: `${M.budgetRemaining.name}${lbl({ [T]: x.team })}`,
          values: `${plain(x.usd * (1 - frac), 10)}x${byDay + 1}`,
        })),
        alert_rule_test: tests,
      };
    });
  }

  // f. provider 429s: 1000 requests a minute per provider, the chosen fraction of them 429.
  if (plan.providers.length) {
    pair(`${ALERTS.provider429} above ${pct(THRESHOLDS.provider429Ratio)} of a provider's requests`, (side) => {
      const frac = side === 'above' ? above(THRESHOLDS.provider429Ratio) : below(THRESHOLDS.provider429Ratio);
      const limited = M.providerRateLimited;
      const extra = limited.matchers ? limited.matchers.replace('=~', '=').replace(/"[^"]*"$/, '"429"') : '';
      // otel counts every operation in one series family: the 429s are part of the total, not added to it
      const ok = limited.name === M.providerRequests.name ? 1000 * (1 - frac) : 1000;
      return {
        interval: '1m',
        input_series: plan.providers.flatMap((p) => [
          { series: `${M.providerRequests.name}${lbl({ [P]: p })}`, values: ramp(ok, 30) },
          // the rate-limited series: the same name in the otel profile, so it must differ by a label
          { series: `${limited.name}{${[`${P}=${JSON.stringify(p)}`, extra].filter(Boolean).join(',')}}`, values: ramp(1000 * frac, 30) },
        ]),
        alert_rule_test: [
          {
            eval_time: '20m',
            alertname: ALERTS.provider429,
            exp_alerts: side === 'above' ? plan.providers.map((p) => expAlert(ALERTS.provider429, { [P]: p }, 'critical', frac, {})) : [],
          },
        ],
      };
    });
  }
  return groups;
}

export function renderRuleTests(ctx: GenerateContext, plan = planAlerts(ctx.model), scale: 'minutes' | 'days' = 'minutes'): string {
  const tests = buildTests(plan)
    .filter((g) => (g.scale ?? 'minutes') === scale)
    .map(({ scale: _scale, ...g }) => g);
  const doc = {
    rule_files: ['readiness.rules.yml'],
    evaluation_interval: scale === 'days' ? '1h' : '1m',
    tests,
  };
  const file = scale === 'days' ? MONTHLY_RULE_TESTS_PATH : RULE_TESTS_PATH;
  const intro = [
    hashHeader(ctx),
    `# promtool unit tests for readiness.rules.yml: run \`promtool test rules ${file.split('/').pop()}\` in this folder.`,
    scale === 'days'
      ? '# Day-scale tests (the budget alert), evaluated hourly; the minute-scale ones are in readiness.rules.test.yml.'
      : "# Each alert fires just above its threshold and stays silent just below it, for the manifest's own tenants and providers.",
  ].join('\n');
  return `${intro}\n${stringify(doc, YAML_OPTS)}`;
}

/** The runbook's sections: for each alert, its figures for this manifest, from the same plan and rules as the rules file. */
export function runbookSections(plan: AlertPlan): RunbookSection[] {
  const { alerts } = buildRules(plan);
  const f = THRESHOLDS;
  const missing = (have: Array<{ team: string }>) => {
    const set = new Set(have.map((x) => x.team));
    return plan.teams.filter((t) => !set.has(t));
  };
  const steady =
    plan.steadyP99Seconds !== undefined
      ? `${plain(plan.steadyP99Seconds)}s (\`slo.steadyP99Ms\` in the manifest)`
      : `measured: the p99 of \`${plan.metrics.metrics.requestLatency.name}\` over the last ${WINDOWS.latency}`;
  const firstRequestAbove =
    plan.steadyP99Seconds !== undefined
      ? `${plain(f.firstRequestMultiple * plan.steadyP99Seconds)}s`
      : `${plain(f.firstRequestMultiple)}x the measured steady p99`;
  const usd = (n: number) => `$${plain(n, 10)}`;
  const specific: Record<AlertName, Omit<RunbookSection, 'alert' | 'severity' | 'for' | 'expr'>> = {
    [ALERTS.rpm]: {
      fires: `a tenant's request rate over the last ${WINDOWS.rate}, in requests per minute, is above ${pct(f.rpmFraction)} of its rpm limit (\`tenants[].limits.rpm\`).`,
      columns: ['Tenant', 'rpm limit', 'Fires above (requests/min)'],
      rows: plan.rpmLimits.map((x) => [x.team, plain(x.rpm, 10), plain(f.rpmFraction * x.rpm, 10)]),
      rowNoun: 'tenants',
      notCovered: { reason: 'without a positive `limits.rpm`', ids: missing(plan.rpmLimits) },
    },
    [ALERTS.cost]: {
      fires: `a tenant's spend per request, averaged over the last ${WINDOWS.costAverage}, is above ${plain(f.costMultiple)}x its expected cost per request (\`tenants[].costPerRequestUsd\`, else the primary provider's pricing x \`traffic.tokensPerRequest\`).`,
      columns: ['Tenant', 'Expected cost per request (USD)', 'Fires above (USD per request)'],
      rows: plan.expectedCosts.map((x) => [x.team, usd(x.usd), usd(f.costMultiple * x.usd)]),
      rowNoun: 'tenants',
      notCovered: { reason: 'without an expected cost per request (no `costPerRequestUsd` and no pricing to derive it from)', ids: missing(plan.expectedCosts) },
    },
    [ALERTS.trace]: {
      fires: `any audit record written for a tenant in the last ${WINDOWS.audit} has no trace id (\`${plan.metrics.metrics.auditRecordsMissingTraceId.name}\` increased).`,
      columns: ['Tenant', 'Fires above (records without a trace id in ' + WINDOWS.audit + ')'],
      rows: plan.teams.map((t) => [t, '0']),
      rowNoun: 'tenants',
    },
    [ALERTS.firstRequest]: {
      fires: `a tenant's p99 latency of the first request after an agent instance starts, over the last ${WINDOWS.latency}, is above ${plain(f.firstRequestMultiple)}x the steady-state p99 of ${steady}.`,
      columns: ['Tenant', 'Fires above (first-request p99)'],
      rows: plan.teams.map((t) => [t, firstRequestAbove]),
      rowNoun: 'tenants',
    },
    [ALERTS.budget]: {
      fires: `a tenant has spent ${pct(plan.alertAtFraction)} (\`budgets.alertAtFraction\`) or more of its monthly budget (\`tenants[].budget.monthlyUsd\`) on or before day ${plan.alertByDay} (\`budgets.alertByDay\`) of the month, UTC.`,
      columns: ['Tenant', 'Monthly budget (USD)', `Fires at a spend of (USD), on or before day ${plan.alertByDay}`],
      rows: plan.budgets.map((x) => [x.team, usd(x.usd), usd(plan.alertAtFraction * x.usd)]),
      rowNoun: 'tenants',
      notCovered: { reason: 'without a positive `budget.monthlyUsd`', ids: missing(plan.budgets) },
    },
    [ALERTS.provider429]: {
      fires: `more than ${pct(f.provider429Ratio)} of a provider's requests over the last ${WINDOWS.rate} were answered 429 (rate limited).`,
      columns: ['Provider', 'Fires above (share of requests answered 429)'],
      rows: plan.providers.map((p) => [p, pct(f.provider429Ratio)]),
      rowNoun: 'providers',
    },
  };
  return alerts.map((r) => ({
    alert: r.alert as AlertName,
    severity: r.labels.severity,
    for: r.for,
    expr: r.expr,
    ...specific[r.alert as AlertName],
  }));
}

/** The Prometheus generator: the rules, their unit tests and their runbook. */
export function prometheusRules(ctx: GenerateContext): GeneratedFile[] {
  const plan = planAlerts(ctx.model);
  return [
    {
      path: RUNBOOK_PATH,
      content: renderRunbook(ctx, {
        sections: runbookSections(plan),
        runbookBaseUrl: ctx.model.manifest.gateway?.metrics?.runbookBaseUrl,
        metricsProfile: plan.metrics.profile.id,
      }),
    },
    { path: RULES_PATH, content: renderRules(ctx, plan) },
    { path: RULE_TESTS_PATH, content: renderRuleTests(ctx, plan, 'minutes') },
    { path: MONTHLY_RULE_TESTS_PATH, content: renderRuleTests(ctx, plan, 'days') },
  ];
}
