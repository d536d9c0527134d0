import type {
  Aggregation,
  AttributionEnforcement,
  GatewayEdition,
  MetricsSource,
  BurstStrategy,
  FailoverMode,
  Framework,
  Industry,
  OnExceeded,
  OnMissing,
  SinkKind,
  Vendor,
} from '../manifest/types.js';

/**
 * The operator's answers to `readiness init`, in the questionnaire's terms (the shape of an
 * `--answers` file). answersToManifest turns them into a readiness/v1 manifest.
 */
export interface Answers {
  deployment: { name: string; operator: string; environment: string; agentVersion?: string };
  /** businessHours: "mon-fri 09:00-18:00" (src/usage/business-hours.ts) */
  operator: { industry: Industry; frameworks: Framework[]; timezone?: string; businessHours?: string };
  usage: { averageRpm: number; peakRpm: number; peakWindow?: string; inputTokens: number; outputTokens: number; steadyP99Ms?: number };
  providers: ProviderAnswers[];
  routing: {
    primary?: string;
    failover: FailoverMode;
    targets?: string[];
    onStatus?: number[];
    runbook?: string;
    slaMinutes?: number;
    burst: BurstStrategy;
    maxWaitSeconds?: number;
  };
  gateway: {
    kind: 'litellm' | 'portkey' | 'other';
    endpoint?: string;
    operatorHeader?: string;
    teamHeader?: string;
    useCaseHeader?: string;
    onMissing: OnMissing;
    /** litellm with onMissing reject: how it is enforced (virtual keys: one per tenant and use case) */
    enforcedBy?: AttributionEnforcement;
    aggregation: Aggregation;
    /** litellm: which edition runs (its Prometheus metrics need enterprise); unset = not known */
    edition?: GatewayEdition;
    /** litellm open source: what serves the alerts' metrics (readiness-exporter: readiness exporter over LiteLLM's database) */
    metricsSource?: MetricsSource;
  };
  tenants: TenantAnswers[];
  budgets: { accountMonthlyUsd?: number; alertAtFraction: number; alertByDay: number; onExceeded: OnExceeded };
  audit: {
    sink: SinkKind;
    mode?: 'compliance' | 'governance';
    writeOnce?: boolean;
    retentionDays?: number;
    businessObject?: string;
    fields?: string[];
  };
}

export interface ProviderAnswers {
  id: string;
  vendor: Vendor;
  model: string;
  baseUrl?: string;
  rpm?: number;
  tpm?: number;
  inputPerMTok?: number;
  outputPerMTok?: number;
  apiKeyEnv?: string;
}

export interface TenantAnswers {
  id: string;
  team: string;
  useCases: string[];
  dailyRequests?: number;
  costPerRequestUsd?: number;
  rpm?: number;
  tpm?: number;
  monthlyBudgetUsd?: number;
}

/** Answers while the questionnaire is under way: any answer may still be missing. */
export type Draft = {
  [K in keyof Answers]?: Answers[K] extends Array<infer I> ? Array<Partial<I>> : Partial<Answers[K]>;
};

/** Answers that serve as defaults (from --from EXISTING): any may be missing. */
export type Defaults = Draft;
