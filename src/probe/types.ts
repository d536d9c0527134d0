/** What a probe measured: the evidence the checks judge (pure data, JSON-serialisable). */

export type PhaseName = 'cold' | 'steady' | 'burst';

export interface LatencySummary {
  /** milliseconds, measured from each request's intended start time; null when there were no responses */
  p50: number | null;
  p90: number | null;
  p99: number | null;
  max: number | null;
}

export interface PhaseResult extends LatencySummary {
  name: PhaseName;
  /** when the phase started, seconds since the probe started (the timeline's clock); absent in imported results */
  startSeconds?: number;
  /** target arrival rate, req/s (cold: the number of fresh connections) */
  targetRps: number;
  durationSeconds: number;
  /** requests put on the wire */
  sent: number;
  /** HTTP responses received (any status) */
  responses: number;
  /** responses received for requests dispatched on schedule, per second of the phase */
  achievedRps: number;
  /** responses by HTTP status code */
  statuses: Record<string, number>;
  /** transport errors and timeouts (no HTTP response) */
  errors: number;
  /** (non-2xx responses + transport errors) / requests that finished */
  errorRate: number;
  count429: number;
  /** seconds into the phase at which the first 429 was received; null when none */
  first429AtSeconds: number | null;
  /** the largest lag of a dispatch behind its intended time, ms */
  maxDispatchLagMs: number;
  /** dispatch lag (actual send - intended start), ms: the probe's own delay, included in every latency figure */
  dispatchLagMs?: LatencySummary;
  /** dispatch lag p99 above DISPATCH_LAG_BOUND_MS: the latency figures are limited by the client, not the target */
  clientLimited?: boolean;
  /** streamed requests (probe.stream): time to first content token, from the intended start */
  ttftMs?: LatencySummary;
  /** streamed requests: gaps between content tokens */
  itlMs?: LatencySummary;
  /** streamed requests: decode rate, (output tokens - 1) / (last token - first token), per request */
  outputTokensPerSecond?: LatencySummary;
  /** streams that ended without [DONE] or with an error event (counted in errors) */
  streamErrors?: number;
  /** responses by the provider that served them (gateway headers; the primary when there is no gateway header) */
  servedBy?: Record<string, number>;
  /** seconds into the phase of the first response served by a non-primary; null when none */
  failoverStartSeconds?: number | null;
  /** seconds into the phase of the first 429 the gateway met (a response served after a fallback or retry, or a 429 to the client) */
  gateway429OnsetSeconds?: number | null;
  /** responses that were the gateway's own failure (its exception header, e.g. x-portkey-gateway-exception), not the provider's */
  gatewayExceptions?: number;
  /** cost per request the gateway reported (x-litellm-response-cost), USD; null when no response carried it */
  costPerRequestUsd?: { mean: number; total: number; responses: number } | null;
}

/** What one provider's rate-limit headers stated during the probe. */
export interface GrantedLimits {
  /** provider id (the manifest's) */
  provider: string;
  vendor: string;
  style: 'openai' | 'anthropic';
  /** per-minute limits as granted (Azure: rpm derived from tpm, 6 per 1,000) */
  rpm?: number;
  tpm?: number;
  /** the raw header figures (last seen) */
  limitRequests?: number;
  limitTokens?: number;
  /** responses that carried the headers */
  responses: number;
  /** the lowest remaining figures seen, and in which phase */
  minRemainingRequests?: number;
  minRemainingTokens?: number;
  /** Anthropic: input and output tokens per minute as granted (anthropic-ratelimit-{input,output}-tokens-limit) */
  itpm?: number;
  otpm?: number;
  minRemainingInputTokens?: number;
  minRemainingOutputTokens?: number;
}

export interface TimelineSecond {
  /** whole seconds since the probe started */
  second: number;
  sent: number;
  /** responses completed in this second, by status code; "error" for transport errors */
  statuses: Record<string, number>;
  p50: number | null;
  p90: number | null;
  p99: number | null;
  /** the lowest x-ratelimit-remaining-requests / -tokens seen on responses completed in this second (the remaining-budget curve) */
  remainingRequests?: number;
  remainingTokens?: number;
  /** the same per serving provider (the gateway's served-by header, else the primary): each provider meters its own budget */
  remainingBy?: Record<string, { requests?: number; tokens?: number }>;
}

export interface UntaggedResult {
  /** HTTP status of the request sent without attribution headers; null when it got no response */
  status: number | null;
  error?: string;
}

export interface ProbeEvidence {
  target: string;
  peakRpm: number;
  /** peakRpm / 60 */
  targetRps: number;
  /** the steady phase's achieved rate (responses / duration) */
  achievedRps: number;
  /** achieved / target below which the probe is inconclusive */
  minAchievedFraction: number;
  inconclusive: boolean;
  interrupted: boolean;
  /** time-compression factor the durations were divided by (1 = none) */
  compression: number;
  phases: PhaseResult[];
  /** first-request p99 over fresh connections (cold phase) */
  coldP99Ms: number | null;
  /** steady-phase p99 */
  steadyP99Ms: number | null;
  untagged: UntaggedResult | null;
  timeline: TimelineSecond[];
  /** requests were streamed (probe.stream / --stream) */
  stream?: boolean;
  /** cold (first-request) and steady TTFT p99, streamed requests */
  coldTtftP99Ms?: number | null;
  steadyTtftP99Ms?: number | null;
  /** the dispatch-lag p99 bound above which latency figures are marked limited by the client */
  dispatchLagBoundMs?: number;
  /** a phase's dispatch-lag p99 exceeded the bound */
  clientLimited?: boolean;
  /** overall (every paced phase) streaming figures */
  ttftMs?: LatencySummary;
  itlMs?: LatencySummary;
  outputTokensPerSecond?: LatencySummary;
  /** the limits each provider's rate-limit headers stated */
  granted?: GrantedLimits[];
  /** the provider ids in failover order (primary first) that servedBy refers to */
  chain?: string[];
  /** where the result came from, when not our own probe ("k6 summary FILE") */
  source?: string;
}
