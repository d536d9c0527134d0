/**
 * Where the litellm metrics profile's series come from (gateway.metrics.source), and what LiteLLM's
 * own settings do to them:
 * - `litellm-prometheus`: LiteLLM's Prometheus callback (litellm_settings.callbacks: [prometheus]),
 *   an Enterprise feature (capabilities.ts, prometheus-metrics);
 * - `readiness-exporter`: `readiness exporter` (src/exporter/, docs/exporter.md), which reads
 *   LiteLLM's database and serves a part of the callback's metrics under the same names and labels.
 *
 * The exporter serves each metric from rows LiteLLM writes into its tables; three general_settings
 * keys stop LiteLLM writing some of those rows, and with them the series go flat. Which rows feed
 * which metric is the exporter's own code (src/exporter/metrics.ts; test/exporter.test.ts holds the
 * two together); which key stops which rows was read in LiteLLM's source, as cited on each switch.
 */
import type { MetricsSource } from '../../manifest/types.js';
import type { SourceRef } from '../types.js';
import { LITELLM_METRICS } from './metrics.js';

export type LitellmMetricsSource = MetricsSource;
export const DEFAULT_METRICS_SOURCE: LitellmMetricsSource = 'litellm-prometheus';

export const METRICS_SOURCE_TITLES: Record<LitellmMetricsSource, string> = {
  'litellm-prometheus': "LiteLLM's Prometheus callback (litellm_settings.callbacks: [prometheus], LiteLLM Enterprise)",
  'readiness-exporter': "readiness exporter (LiteLLM's database: LiteLLM_SpendLogs, LiteLLM_ErrorLogs, LiteLLM_TeamTable)",
};

/** The rows of LiteLLM's database the exporter reads, by what they are. */
export type LitellmRows =
  | 'spend-log-success' // LiteLLM_SpendLogs rows of successful requests
  | 'spend-log-failure' // LiteLLM_SpendLogs rows of failed requests (status "failure")
  | 'error-log' // LiteLLM_ErrorLogs: one row per failed LLM API call
  | 'team-spend' // LiteLLM_TeamTable.spend, as LiteLLM adds each request's cost to it
  | 'team-budget'; // LiteLLM_TeamTable.max_budget

export const LITELLM_ROWS_TEXT: Record<LitellmRows, string> = {
  'spend-log-success': 'the spend-log rows of successful requests',
  'spend-log-failure': 'the spend-log rows of failed requests (their status codes, 429s among them)',
  'error-log': 'the error-log rows (each failed call to a deployment, 429s among them)',
  'team-spend': "the teams' spend (LiteLLM_TeamTable.spend stops rising)",
  'team-budget': "the teams' max_budget",
};

/** The rows of failed requests and calls: a read through the success matcher (status_code 2xx) needs none of them. */
export const LITELLM_FAILURE_ROWS: ReadonlySet<LitellmRows> = new Set<LitellmRows>(['spend-log-failure', 'error-log']);

export type LitellmMetricKey = keyof typeof LITELLM_METRICS;

/**
 * What `readiness exporter` serves, and from which rows; a metric of LITELLM_METRICS not listed here
 * is not served by it. Every row kind listed feeds the metric: without one of them it is incomplete,
 * without all of them it is flat.
 */
export const EXPORTER_FEEDS: Partial<Record<LitellmMetricKey, readonly LitellmRows[]>> = {
  proxyTotalRequests: ['spend-log-success', 'spend-log-failure'],
  proxyFailedRequests: ['spend-log-failure'],
  spend: ['spend-log-success'],
  inputTokens: ['spend-log-success'],
  outputTokens: ['spend-log-success'],
  requestTotalLatency: ['spend-log-success'],
  deploymentTotalRequests: ['spend-log-success', 'error-log'],
  deploymentFailureResponses: ['error-log'],
  // max_budget - spend: with the spend frozen the gauge stays at max_budget and never falls
  remainingTeamBudget: ['team-spend'],
  teamMaxBudget: ['team-budget'],
};

/** The metric names the exporter serves (as queried: counters with _total). */
export function exporterServes(name: string): LitellmMetricKey | undefined {
  for (const k of Object.keys(EXPORTER_FEEDS) as LitellmMetricKey[]) if (LITELLM_METRICS[k].name === name) return k;
  return undefined;
}

const SRC = {
  failureHandler: {
    title: 'BerriAI/litellm@778dbf1c litellm/proxy/hooks/failure_handler.py (_PROXY_failure_handler returns before writing LiteLLM_ErrorLogs when general_settings.get("disable_error_logs") is True)',
    url: 'https://github.com/BerriAI/litellm/blob/778dbf1c2f1b99b26d73ee3f8352eb1cc9c62c33/litellm/proxy/hooks/failure_handler.py',
  },
  trackCost: {
    title: 'BerriAI/litellm@00c778dc litellm/proxy/hooks/proxy_track_cost_callback.py (_should_track_errors_in_db: no failure spend log when disable_error_logs is True; _should_track_cost_callback: nothing when disable_spend_updates)',
    url: 'https://github.com/BerriAI/litellm/blob/00c778dc584172404e63d4a699df31af680cbe08/litellm/proxy/hooks/proxy_track_cost_callback.py',
  },
  spendWriter: {
    title: 'BerriAI/litellm@3e0a1531 litellm/proxy/db/db_spend_update_writer.py (update_database: returns when disable_spend_updates is True; inserts the spend log only if disable_spend_logs is False, "Key/User/Team table will still occur")',
    url: 'https://github.com/BerriAI/litellm/blob/3e0a1531f20b54773ed4f2861bf6721e18172017/litellm/proxy/db/db_spend_update_writer.py',
  },
  proxyServer: {
    title: 'BerriAI/litellm@00163bce litellm/proxy/proxy_server.py (disable_spend_logs = general_settings.get("disable_spend_logs", disable_spend_logs), default False)',
    url: 'https://github.com/BerriAI/litellm/blob/00163bcec3237d7fb285f3e23af5be19fe6e38d8/litellm/proxy/proxy_server.py',
  },
} satisfies Record<string, SourceRef>;

/** A general_settings key that stops LiteLLM writing rows the exporter reads. */
export interface LogSwitch {
  key: 'disable_error_logs' | 'disable_spend_logs' | 'disable_spend_updates';
  section: 'general_settings';
  /**
   * Which values switch the rows off, as LiteLLM tests them: `is-true` (`... is True`: only a YAML
   * boolean true), `not-false` (`... is False` keeps them: any value but a boolean false switches
   * them off, the quoted "false" and an empty value included).
   */
  effective: 'is-true' | 'not-false';
  stops: readonly LitellmRows[];
  sources: SourceRef[];
}

export const LITELLM_LOG_SWITCHES: readonly LogSwitch[] = [
  { key: 'disable_error_logs', section: 'general_settings', effective: 'is-true', stops: ['spend-log-failure', 'error-log'], sources: [SRC.failureHandler, SRC.trackCost] },
  { key: 'disable_spend_logs', section: 'general_settings', effective: 'not-false', stops: ['spend-log-success', 'spend-log-failure'], sources: [SRC.proxyServer, SRC.spendWriter] },
  { key: 'disable_spend_updates', section: 'general_settings', effective: 'is-true', stops: ['spend-log-success', 'spend-log-failure', 'team-spend'], sources: [SRC.spendWriter, SRC.trackCost] },
];

/** Whether a switch's value (as PyYAML reads it: boolean, string, number, null) stops the rows. */
export function switchStops(s: LogSwitch, value: unknown): boolean {
  return s.effective === 'is-true' ? value === true : value !== false;
}
