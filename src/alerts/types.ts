/**
 * The alert catalogue's shapes. Each alert is one self-describing module (src/alerts/<name>.ts): its name,
 * severity, the metrics it needs per profile, its expression(s), its promtool cases, its runbook text and
 * its dashboard panel. The Prometheus rules, their unit tests, the runbook, the Grafana dashboard and the
 * Alertmanager config all render from the catalogue (src/alerts/index.ts); nothing else restates an alert.
 */
import type { LogicalMetric, MetricsProfileId } from '../manifest/types.js';
import type { MetricRef, MetricsProfile, ResolvedMetrics } from '../generate/metrics.js';

export type Severity = 'critical' | 'warning';

/** The figures every rendering is built from: one place, so rules, tests, runbook and dashboard cannot disagree. */
export interface AlertPlan {
  metrics: ResolvedMetrics;
  profile: MetricsProfile;
  rpmLimits: Array<{ team: string; rpm: number }>;
  expectedCosts: Array<{ team: string; usd: number }>;
  budgets: Array<{ team: string; usd: number }>;
  /** seconds, from slo.steadyP99Ms; undefined: measured from requestLatency */
  steadyP99Seconds?: number;
  /** budgets.alertAtFractions (with alertAtFraction), ascending */
  fractions: number[];
  alertByDay: number;
  /** the operator's time zone (operator.timezone, else UTC) and its UTC offset as PromQL */
  zone: OperatorZone;
  teams: string[];
  /** provider label values (model_id: the manifest provider id; otel: gen_ai.provider.name), each once */
  providers: string[];
  /** the model group clients request through the gateway (LiteLLM's requested_model): the primary provider id */
  requestedModel: string;
  /** gateway.metrics.runbookBaseUrl, or the relative RUNBOOK.md */
  runbookBase: string;
  /** set when the unit tests cover a sample of the tenants: the full tenant count */
  sampledFrom?: number;
}

export interface OperatorZone {
  name: string;
  /** the offset (seconds) before the first transition in the table: the offset in January 1970 as far as the rules go */
  baseOffsetSeconds: number;
  /** scalar PromQL: the zone's UTC offset in seconds at time() */
  offsetExpr: string;
  /** why the zone is UTC when the manifest named another (an unknown zone), for the rules header */
  note?: string;
}

export interface RecordingRule {
  record: string;
  expr: string;
  labels?: Record<string, string>;
}

export interface AlertRule {
  alert: string;
  expr: string;
  for?: string;
  labels: Record<string, string>;
  annotations: { summary: string; description: string; runbook_url: string };
}

export interface InputSeries {
  series: string;
  values: string;
}
export interface ExpAlert {
  exp_labels: Record<string, string>;
  exp_annotations?: Record<string, string>;
}
export interface AlertTest {
  eval_time: string;
  alertname: string;
  exp_alerts: ExpAlert[];
}
export interface TestGroup {
  /** which test file: minute-scale (evaluated every 1m) or day-scale (every 1h) */
  scale: 'minutes' | 'days';
  name: string;
  interval: string;
  input_series: InputSeries[];
  alert_rule_test: AlertTest[];
}

/** What the runbook says about an alert for this manifest. */
export interface RunbookFacts {
  /** when it fires, one sentence with the thresholds and window */
  fires: string;
  columns: string[];
  rows: string[][];
  rowNoun: string;
  notCovered?: { reason: string; ids: string[] };
}

/** One dashboard panel: PromQL targets and the line(s) it is read against. */
export interface Panel {
  title: string;
  description: string;
  unit: 'percentunit' | 'currencyUSD' | 's' | 'short' | 'reqps';
  targets: Array<{ expr: string; legend: string }>;
}

export interface TestKit {
  /** exact annotations an alert instance must carry */
  expAlert(rule: AlertRule, labels: Record<string, string>, value: number, queries?: Record<string, number>): ExpAlert;
  /** a series in the exporter's own shape: every label the exporter sets, with these values */
  series(ref: MetricRef, labels: Record<string, string>, suffix?: string): string;
}

export interface AlertDef {
  name: string;
  severity: Severity;
  for?: string;
  /** the logical metrics it reads, per profile; a profile it is not listed for does not get it (it cannot tell the case apart) */
  needs: Partial<Record<MetricsProfileId, LogicalMetric[]>>;
  /** logical metrics its rules read only through the profile's success matcher: the failed requests' part of them does not matter to it */
  successesOnly?: LogicalMetric[];
  /** per-tenant (team label) or per-provider: how Alertmanager routes it */
  scope: 'tenant' | 'provider' | 'gateway';
  /** one sentence for docs and the dashboard */
  summary: string;
  rules(plan: AlertPlan): AlertRule[];
  tests(plan: AlertPlan, kit: TestKit, rules: AlertRule[]): TestGroup[];
  runbook(plan: AlertPlan): RunbookFacts;
  /** what the on-call person does (Markdown): the single source of this text */
  whatToDo: string;
  panel(plan: AlertPlan): Panel;
}
