/**
 * The metrics the generated alert rules read, by logical name, and the profiles that map them to
 * Prometheus metric names. Documented for users in docs/alerts.md (keep the two in step).
 *
 * Two sources:
 * - the gateway (LiteLLM proxy's Prometheus callback, or OpenTelemetry GenAI client metrics), for
 *   requests, spend, budgets, latency and provider errors;
 * - the agent itself, for what no gateway can know: the first request after an agent instance
 *   starts, and the audit records it writes. That part is the AGENT_CONTRACT below, identical in
 *   every profile, so the operator's agent can emit it whatever gateway sits in front.
 */
import type { LogicalMetric, Manifest, MetricsProfileId, Provider, Vendor } from '../manifest/types.js';
import type { TenantModel } from '../manifest/model.js';

import { LITELLM_MATCHERS, LITELLM_METRICS } from '../gateway/litellm/metrics.js';
import type { SourceRef } from '../gateway/types.js';

export type MetricType = 'counter' | 'gauge' | 'histogram';

export interface MetricRef {
  /** Prometheus name as queried (counters with their _total suffix; histograms without _bucket) */
  name: string;
  type: MetricType;
  /** label matchers always applied, e.g. exception_status="429" (part of the profile, not overridable) */
  matchers?: string;
  /** the labels the rules rely on */
  labels: string[];
  /** every label the exporter sets on the series (the promtool tests' input series carry them all) */
  exported?: readonly string[];
  unit?: string;
  help: string;
  source: 'gateway' | 'agent';
}

export interface MetricsProfile {
  id: MetricsProfileId;
  title: string;
  /** label carrying the tenant on per-tenant metrics */
  tenantLabel: string;
  /** label naming the provider (deployment) on provider metrics */
  providerLabel: string;
  /** matcher on `requests` that keeps the successful ones (the requests that cost money) */
  successMatcher: string;
  /** matcher on provider metrics that keeps the calls a named provider answered */
  namedProviderMatcher?: string;
  /** matcher on providerRateLimited that keeps the gateway's own rejections (no provider chosen); none: the profile cannot tell */
  gatewayRejectMatcher?: string;
  /** the provider label's value for a manifest provider */
  providerValue: (p: Provider) => string;
  metrics: Record<LogicalMetric, MetricRef>;
  sources: SourceRef[];
}

export const LOGICAL_METRICS: readonly LogicalMetric[] = [
  'requests',
  'spend',
  'budgetRemaining',
  'requestLatency',
  'providerRequests',
  'providerRateLimited',
  'firstRequestLatency',
  'auditRecordsWritten',
  'auditRecordsMissingTraceId',
];

/** The label every per-tenant metric must carry (LiteLLM's own label name; not team_id). */
export const TENANT_LABEL = 'team';

/**
 * The value of the tenant label for a manifest tenant: its id. The gateway must attribute requests to
 * a team whose id is the tenant id (LiteLLM: `/team/new` with team_id = tenant id).
 */
export function tenantLabelValue(t: TenantModel): string {
  return t.tenant.id;
}

/**
 * What the agent must emit itself: no gateway exposes it. Same names in every profile.
 *
 * The first request is reported as GAUGES, set once, not as a histogram: an agent instance observes
 * its first request exactly once, so a histogram series is born already holding that observation and
 * rate()/increase() never see it rise (the alert could never fire for a cold start). A gauge is read
 * as it is, from its first sample; its companion timestamp says how recent the start was.
 */
export const AGENT_CONTRACT: Record<'firstRequestLatency' | 'auditRecordsWritten' | 'auditRecordsMissingTraceId', MetricRef> = {
  firstRequestLatency: {
    name: 'readiness_agent_first_request_duration_seconds',
    type: 'gauge',
    labels: [TENANT_LABEL],
    unit: 'seconds',
    help:
      'Duration of the first model request this agent instance (process) sent for a tenant after it started, measured until the last byte of the response. Set once, when that request completes; never changed afterwards.',
    source: 'agent',
  },
  auditRecordsWritten: {
    name: 'readiness_audit_records_written_total',
    type: 'counter',
    labels: [TENANT_LABEL],
    help: 'Audit records the agent wrote to the audit sink (one per agent response).',
    source: 'agent',
  },
  auditRecordsMissingTraceId: {
    name: 'readiness_audit_records_missing_trace_id_total',
    type: 'counter',
    labels: [TENANT_LABEL],
    help: 'Audit records the agent wrote without a trace id (also counted in readiness_audit_records_written_total). Initialise it at 0 for every tenant at start; a series that first appears above 0 is caught too.',
    source: 'agent',
  },
};

/** The companion of firstRequestLatency: when that first request completed (Unix seconds). Same labels. */
export const FIRST_REQUEST_TIMESTAMP: MetricRef = {
  name: 'readiness_agent_first_request_timestamp_seconds',
  type: 'gauge',
  labels: [TENANT_LABEL],
  unit: 'seconds since the Unix epoch',
  help: 'When the first request of readiness_agent_first_request_duration_seconds completed (Unix time, seconds). Set together with it, once.',
  source: 'agent',
};

/**
 * OpenTelemetry GenAI `gen_ai.provider.name` well-known values, by manifest vendor (model/gen-ai/registry.yaml
 * in open-telemetry/semantic-conventions). Vendors without a registered value use the manifest provider id.
 */
export const OTEL_PROVIDER_NAMES: Partial<Record<Vendor, string>> = {
  openai: 'openai',
  'azure-openai': 'azure.ai.openai',
  anthropic: 'anthropic',
  'aws-bedrock': 'aws.bedrock',
  'google-vertex': 'gcp.vertex_ai',
  mistral: 'mistral_ai',
  cohere: 'cohere',
};

export const OTEL_SOURCES: SourceRef[] = [
  {
    title: 'OpenTelemetry semantic conventions, model/gen-ai/registry.yaml (gen_ai.provider.name and gen_ai.operation.name values)',
    url: 'https://github.com/open-telemetry/semantic-conventions/blob/main/model/gen-ai/registry.yaml',
  },
  { title: 'OpenTelemetry, Semantic conventions for generative AI metrics', url: 'https://opentelemetry.io/docs/specs/semconv/gen-ai/gen-ai-metrics/' },
];

const L = LITELLM_METRICS;
const gw = (m: (typeof L)[keyof typeof L], labels: string[], help: string, matchers?: string): MetricRef => ({
  name: m.name,
  type: m.type,
  labels,
  exported: m.labels,
  help,
  source: 'gateway',
  ...(matchers ? { matchers } : {}),
});
const OTEL_CHAT = 'gen_ai_operation_name="chat"';
const OTEL_EXPORTED = ['gen_ai_operation_name', 'gen_ai_provider_name', 'gen_ai_request_model', 'error_type', TENANT_LABEL] as const;

export const PROFILES: Record<MetricsProfileId, MetricsProfile> = {
  litellm: {
    id: 'litellm',
    title: "LiteLLM proxy (litellm_settings.callbacks: [\"prometheus\"]): counters carry _total, the tenant label is team",
    tenantLabel: TENANT_LABEL,
    providerLabel: 'model_id',
    successMatcher: LITELLM_MATCHERS.success,
    namedProviderMatcher: LITELLM_MATCHERS.namedDeployment,
    gatewayRejectMatcher: LITELLM_MATCHERS.routerReject,
    providerValue: (p) => p.id,
    sources: [...L.proxyTotalRequests.sources],
    metrics: {
      requests: gw(L.proxyTotalRequests, [TENANT_LABEL, 'status_code'], 'Requests the proxy received, per team (every status code; status_code tells the successful ones).'),
      spend: gw(L.spend, [TENANT_LABEL], 'Spend in USD, per team (successful requests only).'),
      budgetRemaining: gw(L.remainingTeamBudget, [TENANT_LABEL], "USD left in the team's current budget period, one series per replica (max_budget minus spend; budget_duration resets it monthly)."),
      requestLatency: gw(L.requestTotalLatency, [], 'End-to-end request latency through the proxy; its p99 is the measured steady state when the manifest has no slo.steadyP99Ms.'),
      providerRequests: gw(L.deploymentTotalRequests, ['model_id'], 'Requests sent to each deployment (model_id is model_info.id in the LiteLLM config: the manifest provider id).'),
      providerRateLimited: gw(
        L.deploymentFailureResponses,
        ['model_id', 'exception_status'],
        'Failed responses per deployment; the rules count those with exception_status 429 (model_id empty: LiteLLM itself refused).',
        LITELLM_MATCHERS.rateLimited,
      ),
      ...AGENT_CONTRACT,
    },
  },
  otel: {
    id: 'otel',
    title: 'OpenTelemetry GenAI semantic conventions, exported to Prometheus with unit suffixes (gen_ai.client.operation.duration -> gen_ai_client_operation_duration_seconds)',
    tenantLabel: TENANT_LABEL,
    providerLabel: 'gen_ai_provider_name',
    successMatcher: 'error_type=""',
    providerValue: (p) => OTEL_PROVIDER_NAMES[p.vendor] ?? p.id,
    sources: OTEL_SOURCES,
    metrics: {
      requests: {
        name: 'gen_ai_client_operation_duration_seconds_count',
        type: 'counter',
        matchers: OTEL_CHAT,
        labels: [TENANT_LABEL, 'error_type'],
        exported: OTEL_EXPORTED,
        help: 'Chat operations the agent made (the count of the duration histogram; error_type empty on success); the agent adds a team attribute.',
        source: 'gateway',
      },
      spend: {
        name: 'readiness_spend_usd_total',
        type: 'counter',
        labels: [TENANT_LABEL],
        unit: 'USD',
        help: 'Spend in USD per team. The GenAI conventions define no cost metric: the agent (or the collector, from token usage x price) emits it.',
        source: 'agent',
      },
      budgetRemaining: {
        name: 'readiness_tenant_budget_remaining_usd',
        type: 'gauge',
        labels: [TENANT_LABEL],
        unit: 'USD',
        help: "USD left in the tenant's monthly budget, reset on the 1st. No convention defines it: emit it from the billing or gateway side.",
        source: 'agent',
      },
      requestLatency: {
        name: 'gen_ai_client_operation_duration_seconds',
        type: 'histogram',
        matchers: OTEL_CHAT,
        labels: [],
        exported: OTEL_EXPORTED,
        unit: 'seconds',
        help: 'GenAI chat operation duration; its p99 is the measured steady state when the manifest has no slo.steadyP99Ms.',
        source: 'gateway',
      },
      providerRequests: {
        name: 'gen_ai_client_operation_duration_seconds_count',
        type: 'counter',
        matchers: OTEL_CHAT,
        labels: ['gen_ai_provider_name'],
        exported: OTEL_EXPORTED,
        help: 'Chat operations per provider (gen_ai.provider.name: openai, anthropic, aws.bedrock, gcp.vertex_ai, azure.ai.openai, ...).',
        source: 'gateway',
      },
      providerRateLimited: {
        name: 'gen_ai_client_operation_duration_seconds_count',
        type: 'counter',
        matchers: `${OTEL_CHAT},error_type=~"429|.*RateLimit.*"`,
        labels: ['gen_ai_provider_name', 'error_type'],
        exported: OTEL_EXPORTED,
        help: 'Chat operations that ended in a rate-limit error (error.type 429 or a RateLimit exception class).',
        source: 'gateway',
      },
      ...AGENT_CONTRACT,
    },
  },
};

export const DEFAULT_PROFILE: MetricsProfileId = 'litellm';

export interface ResolvedMetrics {
  profile: MetricsProfile;
  /** profile entries with the manifest's name overrides applied */
  metrics: Record<LogicalMetric, MetricRef>;
  overridden: LogicalMetric[];
}

/** The profile the manifest selects, with its per-metric name overrides applied. Pure. */
export function resolveMetrics(m: Manifest): ResolvedMetrics {
  const cfg = m.gateway?.metrics;
  const profile = PROFILES[cfg?.profile ?? DEFAULT_PROFILE];
  const metrics = { ...profile.metrics };
  const overridden: LogicalMetric[] = [];
  for (const key of LOGICAL_METRICS) {
    const name = cfg?.overrides?.[key];
    if (name !== undefined) {
      metrics[key] = { ...metrics[key], name };
      overridden.push(key);
    }
  }
  return { profile, metrics, overridden };
}

/** A selector for a metric with its fixed matchers and extra ones: name{a="b",c="d"}. */
export function selector(ref: MetricRef, extra: string[] = [], suffix = ''): string {
  const all = [...(ref.matchers ? [ref.matchers] : []), ...extra];
  return `${ref.name}${suffix}${all.length ? `{${all.join(',')}}` : ''}`;
}
