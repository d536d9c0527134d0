/**
 * The metrics LiteLLM's Prometheus callback exports, as the generated alerts query them: the name in PromQL
 * (prometheus_client adds `_total` to counters), the type, and the labels LiteLLM puts on them. The alert
 * rules, their promtool tests (whose input series carry exactly these label sets) and the dashboard read
 * them from here; nothing else states a LiteLLM metric name.
 *
 * Edition: the callback is a LiteLLM Enterprise feature since 15 September 2024. Without a licence,
 * PrometheusLogger registers only `litellm_not_a_premium_user_metric` (see docs/alerts.md).
 */
import type { SourceRef } from '../types.js';

export const LITELLM_PROMETHEUS_SOURCES: Record<'callback' | 'labels' | 'docs', SourceRef> = {
  callback: {
    title: 'BerriAI/litellm, litellm/integrations/prometheus.py (PrometheusLogger.__init__: metric names and types)',
    url: 'https://github.com/BerriAI/litellm/blob/main/litellm/integrations/prometheus.py',
  },
  labels: {
    title: 'BerriAI/litellm, litellm/types/integrations/prometheus.py (PrometheusMetricLabels: the label set of each metric)',
    url: 'https://github.com/BerriAI/litellm/blob/main/litellm/types/integrations/prometheus.py',
  },
  docs: { title: 'LiteLLM docs, Prometheus metrics', url: 'https://docs.litellm.ai/docs/proxy/prometheus' },
};

export interface ExportedMetric {
  /** as queried in PromQL: counters with _total, histograms without _bucket */
  name: string;
  type: 'counter' | 'gauge' | 'histogram';
  /** the labels LiteLLM sets on the series (PrometheusMetricLabels), in its order */
  labels: readonly string[];
  help: string;
  /** what a version must have for the rules to work, e.g. the status_code label */
  needs?: string;
  sources: SourceRef[];
}

const S = LITELLM_PROMETHEUS_SOURCES;
const KEY_LABELS = ['end_user', 'hashed_api_key', 'api_key_alias', 'requested_model', 'team', 'team_alias', 'user'] as const;
const DEPLOYMENT_LABELS = ['requested_model', 'litellm_model_name', 'model_id', 'api_base', 'api_provider'] as const;

export const LITELLM_METRICS = {
  proxyTotalRequests: {
    name: 'litellm_proxy_total_requests_metric_total',
    type: 'counter',
    labels: [...KEY_LABELS, 'status_code'],
    help: 'Requests the proxy received (every outcome), per key and team; status_code is the HTTP status the client got.',
    needs: 'the status_code label (in PrometheusMetricLabels.litellm_proxy_total_requests_metric at BerriAI/litellm commit 0267264; earlier releases without it leave the cost alert with no denominator: check /metrics)',
    sources: [S.callback, S.labels, S.docs],
  },
  proxyFailedRequests: {
    name: 'litellm_proxy_failed_requests_metric_total',
    type: 'counter',
    labels: [...KEY_LABELS, 'exception_status', 'exception_class'],
    help: 'Requests for which the client did not get a success response from the proxy.',
    sources: [S.callback, S.labels],
  },
  spend: {
    name: 'litellm_spend_metric_total',
    type: 'counter',
    labels: ['end_user', 'hashed_api_key', 'api_key_alias', 'model', 'team', 'team_alias', 'user'],
    help: 'Spend in USD on successful LLM requests (a failed request adds nothing).',
    sources: [S.callback, S.docs],
  },
  remainingTeamBudget: {
    name: 'litellm_remaining_team_budget_metric',
    type: 'gauge',
    labels: ['team', 'team_alias'],
    help: "USD left in the team's budget period. Each replica exports its own view, updated when it logs a request for the team: right after a reset a replica that has not served the team yet still shows last period's figure.",
    sources: [S.callback, S.labels, S.docs],
  },
  requestTotalLatency: {
    name: 'litellm_request_total_latency_metric',
    type: 'histogram',
    labels: ['end_user', 'hashed_api_key', 'api_key_alias', 'requested_model', 'team', 'team_alias', 'user', 'model'],
    help: 'Total latency (seconds) of a request through the proxy.',
    sources: [S.callback, S.labels],
  },
  deploymentTotalRequests: {
    name: 'litellm_deployment_total_requests_total',
    type: 'counter',
    labels: [...DEPLOYMENT_LABELS, 'hashed_api_key', 'api_key_alias', 'team', 'team_alias'],
    help: 'LLM API calls per deployment (success + failure); model_id is model_info.id in the LiteLLM config.',
    sources: [S.callback, S.labels],
  },
  deploymentFailureResponses: {
    name: 'litellm_deployment_failure_responses_total',
    type: 'counter',
    labels: [...DEPLOYMENT_LABELS, 'exception_status', 'exception_class', 'hashed_api_key', 'api_key_alias', 'team', 'team_alias'],
    help: "Failed LLM API calls per deployment; exception_status is the status of the exception. A rejection by LiteLLM's router before any deployment is picked (no healthy deployment, the router's own limits) is logged with an empty model_id.",
    sources: [S.callback, S.labels],
  },
  // not queried by the rules; served by `readiness exporter` (docs/exporter.md) beside the ones above
  teamMaxBudget: {
    name: 'litellm_team_max_budget_metric',
    type: 'gauge',
    labels: ['team', 'team_alias'],
    help: 'Maximum budget (USD) set for the team (max_budget).',
    sources: [S.callback, S.labels, S.docs],
  },
  inputTokens: {
    name: 'litellm_input_tokens_metric_total',
    type: 'counter',
    labels: ['end_user', 'hashed_api_key', 'api_key_alias', 'model', 'team', 'team_alias', 'user', 'requested_model'],
    help: 'Input (prompt) tokens of successful LLM requests.',
    sources: [S.callback, S.labels],
  },
  outputTokens: {
    name: 'litellm_output_tokens_metric_total',
    type: 'counter',
    labels: ['end_user', 'hashed_api_key', 'api_key_alias', 'model', 'team', 'team_alias', 'user', 'requested_model'],
    help: 'Output (completion) tokens of successful LLM requests.',
    sources: [S.callback, S.labels],
  },
} as const satisfies Record<string, ExportedMetric>;

/**
 * The bucket bounds (seconds) of LiteLLM's latency histograms, +Inf last: LATENCY_BUCKETS in
 * litellm/types/integrations/prometheus.py (BerriAI/litellm commit 0267264).
 */
export const LITELLM_LATENCY_BUCKETS: readonly number[] = [
  0.005, 0.00625, 0.0125, 0.025, 0.05, 0.1, 0.5, 1, 1.5, 2, 2.5, 3, 3.5, 4, 4.5, 5, 5.5, 6, 6.5, 7, 7.5, 8, 8.5, 9, 9.5, 10, 15, 20, 25, 30, 60,
  120, 180, 240, 300, Number.POSITIVE_INFINITY,
];

/** The status_code LiteLLM's callback puts on a successful request (async_log_success_event in litellm/integrations/prometheus.py, commit 002de3d). */
export const LITELLM_SUCCESS_STATUS_CODE = '200';

/** Matchers on LiteLLM series, with what they select. */
export const LITELLM_MATCHERS = {
  /** the client got a 2xx: the requests that cost money */
  success: 'status_code=~"2.."',
  /** a deployment (a provider behind LiteLLM) answered */
  namedDeployment: 'model_id!=""',
  /** LiteLLM refused before choosing a deployment */
  routerReject: 'model_id=""',
  rateLimited: 'exception_status="429"',
} as const;
