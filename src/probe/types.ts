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
}
