/** The manifest as written (readiness/v1), after schema validation. Field names are the public contract. */

export type Industry =
  | 'financial-services' | 'healthcare' | 'insurance' | 'legal' | 'government' | 'technology' | 'retail' | 'other';
export type Framework =
  | 'sec-17a-4' | 'finra-4511' | 'sox' | 'hipaa' | 'pci-dss' | 'gdpr' | 'eu-ai-act' | 'soc2' | 'nist-800-53';
export type Vendor =
  | 'openai' | 'azure-openai' | 'anthropic' | 'aws-bedrock' | 'google-vertex' | 'mistral' | 'cohere' | 'self-hosted' | 'other';
export type FailoverMode = 'automatic' | 'manual' | 'none';
export type BurstStrategy = 'none' | 'queue' | 'retry-backoff';
export type OnMissing = 'reject' | 'label-unattributed' | 'allow';
export type GatewayEdition = 'oss' | 'enterprise';
export type AttributionEnforcement = 'headers' | 'virtual-keys';
export type Aggregation = 'daily' | 'hourly' | 'none';
export type OnExceeded = 'block' | 'throttle' | 'alert-only';
export type Weekday = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';
/** The operator's business hours, local time: days, from `start` inclusive to `end` exclusive (default Mon-Fri 09:00-18:00). */
export interface BusinessHours {
  days?: Weekday[];
  start?: string;
  end?: string;
}
export type MetricsProfileId = 'litellm' | 'otel';
/** What serves the litellm profile's metrics: LiteLLM's Prometheus callback (Enterprise) or `readiness exporter` (docs/exporter.md). */
export type MetricsSource = 'litellm-prometheus' | 'readiness-exporter';
/** The metrics the generated alerts need, by role; each profile maps them to Prometheus names. */
export type LogicalMetric =
  | 'requests' | 'spend' | 'budgetRemaining' | 'requestLatency' | 'providerRequests' | 'providerRateLimited'
  | 'firstRequestLatency' | 'auditRecordsWritten' | 'auditRecordsMissingTraceId';
export type SinkKind =
  | 's3-object-lock' | 'azure-immutable-blob' | 'gcs-bucket-lock' | 'worm-storage' | 'hash-chained-log'
  | 'database' | 'aws-qldb' | 'otel-traces' | 'none';

export interface Provider {
  id: string;
  vendor: Vendor;
  model: string;
  baseUrl?: string;
  limits?: { rpm?: number; tpm?: number };
  pricing?: { inputPerMTok: number; outputPerMTok: number };
  apiKeyEnv?: string;
}

export interface Tenant {
  id: string;
  team?: string;
  useCases?: string[];
  dailyRequests?: number;
  costPerRequestUsd?: number;
  limits?: { rpm?: number; tpm?: number };
  budget?: { monthlyUsd?: number };
}

export interface Manifest {
  $schema?: string;
  apiVersion: 'readiness/v1';
  kind: 'AgentDeployment';
  metadata: { name: string; operator?: string; environment?: string; agentVersion?: string; owner?: string };
  operator?: { industry?: Industry; frameworks?: Framework[]; timezone?: string; businessHours?: BusinessHours };
  traffic?: {
    averageRpm?: number;
    peakRpm?: number;
    peakMultiplier?: number;
    peakWindow?: string;
    tokensPerRequest?: { input: number; output: number };
  };
  providers: Provider[];
  routing?: {
    primary?: string;
    failover?: {
      mode?: FailoverMode;
      targets?: string[];
      onStatus?: number[];
      manual?: { runbook?: string; slaMinutes?: number };
    };
    burst?: { strategy?: BurstStrategy; maxWaitSeconds?: number };
  };
  gateway?: {
    kind?: 'litellm' | 'portkey' | 'other';
    endpoint?: string;
    /** which edition runs; unset = unknown (LiteLLM's Prometheus metrics need enterprise) */
    edition?: GatewayEdition;
    /** gateway replicas serving the traffic (default 1) */
    replicas?: number;
    /** the replicas share rate-limit state through Redis; unset = not known */
    redis?: boolean;
    attribution?: {
      headers?: { operator?: string; team?: string; useCase?: string };
      onMissing?: OnMissing;
      /** how attribution is enforced: headers (default) or virtual-keys (LiteLLM) */
      enforcedBy?: AttributionEnforcement;
      aggregation?: Aggregation;
    };
    /** metric names the generated alert rules query (src/generate/metrics.ts, docs/alerts.md) */
    metrics?: {
      profile?: MetricsProfileId;
      /** litellm: what serves the metrics (default litellm-prometheus, the Enterprise callback) */
      source?: MetricsSource;
      overrides?: Partial<Record<LogicalMetric, string>>;
      runbookBaseUrl?: string;
    };
  };
  tenants?: Tenant[];
  budgets?: { accountMonthlyUsd?: number; alertAtFraction?: number; alertAtFractions?: number[]; alertByDay?: number; onExceeded?: OnExceeded };
  /** where Alertmanager sends the alerts (alerts/alertmanager.yml) */
  alerting?: { receivers?: AlertReceiver[] };
  audit?: {
    sink?: { kind?: SinkKind; mode?: 'compliance' | 'governance'; retentionDays?: number };
    writeOnce?: boolean;
    businessObject?: string;
    fields?: string[];
  };
  slo?: { steadyP99Ms?: number; maxErrorRate?: number };
  probe?: { target?: string; durationSeconds?: number; burstFactor?: number; stream?: boolean };
  waivers?: Waiver[];
}

/** One Alertmanager receiver; secrets only as files (Alertmanager's *_file fields). */
export interface AlertReceiver {
  name: string;
  kind: 'slack' | 'pagerduty' | 'email' | 'webhook';
  severities?: Array<'critical' | 'warning'>;
  tenants?: string[];
  apiUrlFile?: string;
  channel?: string;
  routingKeyFile?: string;
  to?: string;
  from?: string;
  smarthost?: string;
  authUsername?: string;
  authPasswordFile?: string;
  url?: string;
  credentialsFile?: string;
}

/** An accepted risk: findings of `check` (at or below `path`) do not fail the gate until `expires` (YYYY-MM-DD, inclusive, UTC). */
export interface Waiver {
  check: string;
  path?: string;
  reason: string;
  owner: string;
  expires: string;
}

/** A path into the manifest, e.g. ['providers', 0, 'limits', 'rpm']. */
export type ManifestPath = ReadonlyArray<string | number>;
