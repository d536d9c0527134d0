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
import type { LogicalMetric, Manifest, MetricsProfileId } from '../manifest/types.js';
import type { TenantModel } from '../manifest/model.js';

export type MetricType = 'counter' | 'gauge' | 'histogram';

export interface MetricRef {
  /** Prometheus name as queried (counters with their _total suffix; histograms without _bucket) */
  name: string;
  type: MetricType;
  /** label matchers always applied, e.g. exception_status="429" (part of the profile, not overridable) */
  matchers?: string;
  /** the labels the rules rely on */
  labels: string[];
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
  metrics: Record<LogicalMetric, MetricRef>;
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

/** What the agent must emit itself: no gateway exposes it. Same names in every profile. */
export const AGENT_CONTRACT: Record<'firstRequestLatency' | 'auditRecordsWritten' | 'auditRecordsMissingTraceId', MetricRef> = {
  firstRequestLatency: {
    name: 'readiness_agent_first_request_duration_seconds',
    type: 'histogram',
    labels: [TENANT_LABEL],
    unit: 'seconds',
    help:
      'Duration of the first model request an agent instance sends for a tenant after it starts (cold start), measured like the gateway measures request latency (until the last byte of the response). Every later request is steady state and is not observed here.',
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
    help: 'Audit records the agent wrote without a trace id (also counted in readiness_audit_records_written_total). Initialise it at 0 for every tenant at start so the first missing record is seen as an increase.',
    source: 'agent',
  },
};

export const PROFILES: Record<MetricsProfileId, MetricsProfile> = {
  litellm: {
    id: 'litellm',
    title: "LiteLLM proxy (litellm_settings.callbacks: [\"prometheus\"]): counters carry _total, the tenant label is team",
    tenantLabel: TENANT_LABEL,
    providerLabel: 'model_id',
    metrics: {
      requests: {
        name: 'litellm_proxy_total_requests_metric_total',
        type: 'counter',
        labels: [TENANT_LABEL],
        help: 'Requests the proxy received, per team (every status code).',
        source: 'gateway',
      },
      spend: {
        name: 'litellm_spend_metric_total',
        type: 'counter',
        labels: [TENANT_LABEL],
        unit: 'USD',
        help: 'Spend in USD, per team.',
        source: 'gateway',
      },
      budgetRemaining: {
        name: 'litellm_remaining_team_budget_metric',
        type: 'gauge',
        labels: [TENANT_LABEL],
        unit: 'USD',
        help: "USD left in the team's current budget period (max_budget minus spend; budget_duration resets it monthly).",
        source: 'gateway',
      },
      requestLatency: {
        name: 'litellm_request_total_latency_metric',
        type: 'histogram',
        labels: [],
        unit: 'seconds',
        help: 'End-to-end request latency through the proxy; its p99 is the measured steady state when the manifest has no slo.steadyP99Ms.',
        source: 'gateway',
      },
      providerRequests: {
        name: 'litellm_deployment_total_requests_total',
        type: 'counter',
        labels: ['model_id'],
        help: 'Requests sent to each deployment (model_id is model_info.id in the LiteLLM config: the manifest provider id).',
        source: 'gateway',
      },
      providerRateLimited: {
        name: 'litellm_deployment_failure_responses_total',
        type: 'counter',
        matchers: 'exception_status="429"',
        labels: ['model_id', 'exception_status'],
        help: 'Failed responses from each deployment; the rules count those with exception_status 429.',
        source: 'gateway',
      },
      ...AGENT_CONTRACT,
    },
  },
  otel: {
    id: 'otel',
    title: 'OpenTelemetry GenAI semantic conventions, exported to Prometheus with unit suffixes (gen_ai.client.operation.duration -> gen_ai_client_operation_duration_seconds)',
    tenantLabel: TENANT_LABEL,
    providerLabel: 'gen_ai_provider_name',
    metrics: {
      requests: {
        name: 'gen_ai_client_operation_duration_seconds_count',
        type: 'counter',
        labels: [TENANT_LABEL],
        help: 'Model operations the agent made (the count of the duration histogram); the agent adds a team attribute.',
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
        labels: [],
        unit: 'seconds',
        help: 'GenAI operation duration; its p99 is the measured steady state when the manifest has no slo.steadyP99Ms.',
        source: 'gateway',
      },
      providerRequests: {
        name: 'gen_ai_client_operation_duration_seconds_count',
        type: 'counter',
        labels: ['gen_ai_provider_name'],
        help: 'Model operations per provider.',
        source: 'gateway',
      },
      providerRateLimited: {
        name: 'gen_ai_client_operation_duration_seconds_count',
        type: 'counter',
        matchers: 'error_type=~"429|.*RateLimit.*"',
        labels: ['gen_ai_provider_name', 'error_type'],
        help: 'Model operations that ended in a rate-limit error (error.type 429 or a RateLimit exception class).',
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
