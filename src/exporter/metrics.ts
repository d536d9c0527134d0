/**
 * What the exporter serves, and how each row of LiteLLM's database becomes samples. The metric
 * names, types and label sets are LiteLLM's (src/gateway/litellm/metrics.ts, the catalogue the
 * generated rules read), so the rules work unchanged on the exporter's /metrics. Which column feeds
 * which label is documented in docs/exporter.md.
 */
import { LITELLM_LATENCY_BUCKETS, LITELLM_METRICS, LITELLM_SUCCESS_STATUS_CODE } from '../gateway/litellm/metrics.js';
import { LITELLM_SPEND_STATUS_FAILURE, LITELLM_TABLES } from '../gateway/litellm/db-schema.js';
import { CounterFamily, GaugeFamily, HistogramFamily, renderFamilies } from './families.js';
import type { Row } from './db.js';

const L = LITELLM_METRICS;

/** A LiteLLM_SpendLogs row as SPEND_LOGS_SQL selects it. */
export interface SpendRow {
  request_id: string;
  start_time: string;
  duration_seconds: number | string | null;
  status: string | null;
  spend: number | string | null;
  prompt_tokens: number | string | null;
  completion_tokens: number | string | null;
  model: string | null;
  model_id: string | null;
  model_group: string | null;
  provider: string | null;
  api_base: string | null;
  api_key: string | null;
  user: string | null;
  team_id: string | null;
  end_user: string | null;
  key_alias: string | null;
  team_alias: string | null;
  error_code: string | null;
  error_class: string | null;
}

/** A LiteLLM_ErrorLogs row as ERROR_LOGS_SQL selects it. */
export interface ErrorRow {
  request_id: string;
  start_time: string;
  model_group: string | null;
  litellm_model_name: string | null;
  model_id: string | null;
  api_base: string | null;
  exception_type: string | null;
  status_code: string | null;
}

/** A LiteLLM_TeamTable row as TEAMS_SQL selects it. */
export interface TeamRow {
  team_id: string;
  team_alias: string | null;
  max_budget: number | string | null;
  spend: number | string | null;
}

/** pg returns float8 as number, numeric and bigint as text: both become numbers (NaN when neither). */
export function num(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && v.trim() !== '') return Number(v);
  return Number.NaN;
}
const SPEND_TABLE = { table: LITELLM_TABLES.spendLogs };
const ERROR_TABLE = { table: LITELLM_TABLES.errorLogs };
const str = (v: unknown): string => (typeof v === 'string' ? v : v === null || v === undefined ? '' : String(v));

/** The exporter's own health, so a stalled exporter is visible (its counters would just stop). */
export const EXPORTER_SELF_METRICS = {
  lastSuccess: {
    name: 'readiness_exporter_last_poll_success_timestamp_seconds',
    help: 'Unix time (seconds) of the last poll of the LiteLLM database that completed.',
    labels: [],
  },
  pollErrors: {
    name: 'readiness_exporter_poll_errors_total',
    help: 'Polls of the LiteLLM database that failed (the served figures then stay as they were).',
    labels: [],
  },
  teamsTruncated: {
    name: 'readiness_exporter_teams_truncated',
    help: 'Teams with a max_budget the last poll did not serve, beyond the most it reads (--max-teams; the last by team_id): their budget series are absent. 0 when every team is served.',
    labels: [],
  },
  rowsRead: {
    name: 'readiness_exporter_rows_read_total',
    help: 'Rows of LiteLLM_SpendLogs and LiteLLM_ErrorLogs counted so far, by table.',
    labels: ['table'],
  },
} as const;

export class ExporterMetrics {
  readonly proxyTotalRequests = new CounterFamily(L.proxyTotalRequests);
  readonly proxyFailedRequests = new CounterFamily(L.proxyFailedRequests);
  readonly spend = new CounterFamily(L.spend);
  readonly inputTokens = new CounterFamily(L.inputTokens);
  readonly outputTokens = new CounterFamily(L.outputTokens);
  readonly requestTotalLatency = new HistogramFamily(L.requestTotalLatency, LITELLM_LATENCY_BUCKETS);
  readonly deploymentTotalRequests = new CounterFamily(L.deploymentTotalRequests);
  readonly deploymentFailureResponses = new CounterFamily(L.deploymentFailureResponses);
  readonly remainingTeamBudget = new GaugeFamily(L.remainingTeamBudget);
  readonly teamMaxBudget = new GaugeFamily(L.teamMaxBudget);
  readonly lastSuccess = new GaugeFamily(EXPORTER_SELF_METRICS.lastSuccess);
  readonly pollErrors = new CounterFamily(EXPORTER_SELF_METRICS.pollErrors);
  readonly rowsRead = new CounterFamily(EXPORTER_SELF_METRICS.rowsRead);
  readonly teamsTruncated = new GaugeFamily(EXPORTER_SELF_METRICS.teamsTruncated);

  constructor() {
    // present from the first scrape, at 0
    this.pollErrors.inc({}, 0);
    this.teamsTruncated.replace([{ values: {}, value: 0 }]);
    for (const table of [LITELLM_TABLES.spendLogs, LITELLM_TABLES.errorLogs]) this.rowsRead.inc({ table }, 0);
  }

  /**
   * One request through the proxy (success or failure). One object holds every label a row gives;
   * each family takes its own labels from it, in its order.
   */
  addSpendRow(r: SpendRow): void {
    const failed = r.status === LITELLM_SPEND_STATUS_FAILURE;
    const labels = {
      end_user: r.end_user,
      hashed_api_key: r.api_key,
      api_key_alias: r.key_alias,
      team: r.team_id,
      team_alias: r.team_alias,
      user: r.user,
      requested_model: r.model_group,
      status_code: failed ? str(r.error_code) : LITELLM_SUCCESS_STATUS_CODE,
      exception_status: r.error_code,
      exception_class: r.error_class,
      model: r.model,
      litellm_model_name: r.model,
      model_id: r.model_id,
      api_base: r.api_base,
      api_provider: r.provider,
    };
    this.proxyTotalRequests.inc(labels);
    this.rowsRead.inc(SPEND_TABLE);
    if (failed) {
      this.proxyFailedRequests.inc(labels);
      return;
    }
    this.spend.inc(labels, num(r.spend) || 0);
    this.inputTokens.inc(labels, num(r.prompt_tokens) || 0);
    this.outputTokens.inc(labels, num(r.completion_tokens) || 0);
    const d = num(r.duration_seconds);
    if (d >= 0) this.requestTotalLatency.observe(labels, d);
    // the successful call to a deployment; its failed attempts are LiteLLM_ErrorLogs rows
    this.deploymentTotalRequests.inc(labels);
  }

  /** One failed LLM API call (LiteLLM_ErrorLogs has no key or team columns: those labels stay empty). */
  addErrorRow(r: ErrorRow): void {
    const deployment = {
      requested_model: r.model_group,
      litellm_model_name: r.litellm_model_name,
      model_id: r.model_id,
      api_base: r.api_base,
    };
    this.deploymentTotalRequests.inc(deployment);
    this.deploymentFailureResponses.inc({ ...deployment, exception_status: r.status_code, exception_class: r.exception_type });
    this.rowsRead.inc(ERROR_TABLE);
  }

  /** The team budgets as they are now: teams without max_budget have no series; `dropped` teams beyond the cap are not in `rows`. */
  setTeams(rows: readonly TeamRow[], dropped = 0): void {
    this.teamsTruncated.replace([{ values: {}, value: dropped }]);
    const withBudget = rows.filter((t) => Number.isFinite(num(t.max_budget)));
    this.teamMaxBudget.replace(withBudget.map((t) => ({ values: { team: t.team_id, team_alias: t.team_alias }, value: num(t.max_budget) })));
    this.remainingTeamBudget.replace(
      withBudget.map((t) => ({ values: { team: t.team_id, team_alias: t.team_alias }, value: num(t.max_budget) - (num(t.spend) || 0) })),
    );
  }

  pollSucceeded(unixSeconds: number): void {
    this.lastSuccess.replace([{ values: {}, value: unixSeconds }]);
  }

  pollFailed(): void {
    this.pollErrors.inc({});
  }

  /** The /metrics body. */
  render(): string {
    return renderFamilies([
      this.proxyTotalRequests,
      this.proxyFailedRequests,
      this.spend,
      this.inputTokens,
      this.outputTokens,
      this.requestTotalLatency,
      this.deploymentTotalRequests,
      this.deploymentFailureResponses,
      this.remainingTeamBudget,
      this.teamMaxBudget,
      this.lastSuccess,
      this.pollErrors,
      this.teamsTruncated,
      this.rowsRead,
    ]);
  }
}

/** Narrows a driver row to the shape a query selected (the columns are named by the SQL's aliases). */
export function asRow<T>(r: Row): T {
  return r as unknown as T;
}
