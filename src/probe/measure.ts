import type { LatencySummary, PhaseName, PhaseResult, TimelineSecond } from './types.js';

/** One request of a probe, times in ms since the probe started (monotonic clock). */
export interface RequestRecord {
  phase: PhaseName;
  /** when the schedule said it should start */
  intended: number;
  /** when it was handed to the HTTP client */
  dispatched: number;
  /** when its response body ended or it failed; undefined while in flight */
  done?: number;
  status?: number;
  error?: string;
  /** for the cold phase, the latency the client measured on its fresh connection */
  latencyMs?: number;
  /** streamed: when the first content token arrived (ms since the probe started) */
  firstToken?: number;
  /** streamed: when the last content token arrived */
  lastToken?: number;
  /** streamed: gaps between content tokens, ms */
  itl?: number[];
  /** streamed: output tokens (the usage chunk's completion_tokens, else the content chunks counted) */
  outputTokens?: number;
  /** streamed: the stream ended without [DONE] or carried an error event */
  streamError?: string;
  /** who served it: provider id from the gateway's headers */
  servedBy?: string;
  /** the gateway's attempted fallbacks / retries for it */
  fallbacks?: number;
  retries?: number;
  /** cost the gateway reported, USD */
  costUsd?: number;
  /** the answer was the gateway's own failure (its exception header), not the provider's */
  gatewayException?: boolean;
  /** the provider's rate-limit headers on it */
  remainingRequests?: number;
  remainingTokens?: number;
}

/** Dispatch-lag p99 above which a phase's latency figures are said to be limited by the client, ms. */
export const DISPATCH_LAG_BOUND_MS = 10;

/** Nearest-rank percentile of sorted values (p in 0..100); null for no values. */
export function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

const round = (n: number | null) => (n === null ? null : Math.round(n * 10) / 10);

export function latencySummary(latencies: number[]): LatencySummary {
  const s = [...latencies].sort((a, b) => a - b);
  return { p50: round(percentile(s, 50)), p90: round(percentile(s, 90)), p99: round(percentile(s, 99)), max: round(s.length ? s[s.length - 1] : null) };
}

/** Latency from the intended start (coordinated-omission free), or the client's own figure for the cold phase. */
export function latencyOf(r: RequestRecord): number | undefined {
  if (r.latencyMs !== undefined) return r.latencyMs;
  if (r.done === undefined || r.status === undefined) return undefined;
  return r.done - r.intended;
}

/**
 * Summarises one phase. `start` is the phase's scheduled start (ms). The achieved rate counts responses to
 * requests dispatched before the phase's scheduled end plus `lagToleranceMs`: a client that stalls briefly and
 * catches up keeps its rate, one that cannot keep up pushes dispatches past the end and falls short.
 */
export function summarisePhase(
  name: PhaseName,
  records: readonly RequestRecord[],
  plan: { rate: number; durationSeconds: number; start: number; lagToleranceMs: number; primary?: string; stream?: boolean },
): PhaseResult {
  const mine = records.filter((r) => r.phase === name);
  const duration = plan.durationSeconds;
  const statuses: Record<string, number> = {};
  let errors = 0;
  let non2xx = 0;
  let responses = 0;
  let onSchedule = 0;
  let first429: number | null = null;
  let maxLag = 0;
  const lat: number[] = [];
  const lags: number[] = [];
  const ttft: number[] = [];
  const itl: number[] = [];
  const tps: number[] = [];
  let streamErrors = 0;
  const servedBy: Record<string, number> = {};
  let failoverStart: number | null = null;
  let gw429: number | null = null;
  let costN = 0;
  let costTotal = 0;
  let gatewayExceptions = 0;
  const secondsIn = (t: number) => Math.round(((t - plan.start) / 1000) * 1000) / 1000;
  for (const r of mine) {
    maxLag = Math.max(maxLag, r.dispatched - r.intended);
    lags.push(r.dispatched - r.intended);
    if (r.firstToken !== undefined) {
      ttft.push(r.firstToken - r.intended);
      if (r.itl) for (const g of r.itl) itl.push(g);
      const n = r.outputTokens ?? 0;
      if (n > 1 && r.lastToken !== undefined && r.lastToken > r.firstToken) tps.push(((n - 1) * 1000) / (r.lastToken - r.firstToken));
    }
    if (r.streamError !== undefined) streamErrors++;
    if (r.status !== undefined && r.status >= 200 && r.status < 300) {
      const who = r.servedBy ?? plan.primary;
      if (who !== undefined) servedBy[who] = (servedBy[who] ?? 0) + 1;
      if (who !== undefined && plan.primary !== undefined && who !== plan.primary && r.done !== undefined) {
        const at = secondsIn(r.done);
        if (failoverStart === null || at < failoverStart) failoverStart = at;
      }
    }
    if (r.done !== undefined && (r.status === 429 || (r.fallbacks ?? 0) > 0 || (r.retries ?? 0) > 0 || (r.servedBy !== undefined && plan.primary !== undefined && r.servedBy !== plan.primary))) {
      const at = secondsIn(r.done);
      if (gw429 === null || at < gw429) gw429 = at;
    }
    if (r.costUsd !== undefined) {
      costN++;
      costTotal += r.costUsd;
    }
    if (r.gatewayException) gatewayExceptions++;
    if (r.status !== undefined) {
      responses++;
      statuses[String(r.status)] = (statuses[String(r.status)] ?? 0) + 1;
      if (r.status < 200 || r.status >= 300) non2xx++;
      if (r.status === 429 && r.done !== undefined) {
        const at = (r.done - plan.start) / 1000;
        if (first429 === null || at < first429) first429 = at;
      }
      if (r.dispatched <= plan.start + duration * 1000 + plan.lagToleranceMs) onSchedule++;
      const l = latencyOf(r);
      if (l !== undefined) lat.push(l);
    } else if (r.error !== undefined) errors++;
  }
  // a stream cut mid-way has a 200 status but is a failure: counted as an error, not a response
  const finished = responses + errors;
  const out: PhaseResult = {
    name,
    startSeconds: Math.round(plan.start) / 1000,
    targetRps: plan.rate,
    durationSeconds: duration,
    sent: mine.length,
    responses,
    achievedRps: duration > 0 ? Math.round((onSchedule / duration) * 1000) / 1000 : onSchedule,
    statuses,
    errors,
    errorRate: finished > 0 ? Math.round(((non2xx + errors) / finished) * 1e6) / 1e6 : 0,
    count429: statuses['429'] ?? 0,
    first429AtSeconds: first429 === null ? null : Math.round(first429 * 1000) / 1000,
    maxDispatchLagMs: Math.round(maxLag * 10) / 10,
    ...latencySummary(lat),
  };
  if (name !== 'cold') {
    out.dispatchLagMs = latencySummary(lags);
    out.clientLimited = (out.dispatchLagMs.p99 ?? 0) > DISPATCH_LAG_BOUND_MS;
  }
  if (plan.stream) {
    out.ttftMs = latencySummary(ttft);
    out.itlMs = latencySummary(itl);
    out.outputTokensPerSecond = latencySummary(tps);
    out.streamErrors = streamErrors;
  }
  if (Object.keys(servedBy).length > 0) {
    out.servedBy = servedBy;
    out.failoverStartSeconds = failoverStart;
    out.gateway429OnsetSeconds = gw429;
  }
  if (gatewayExceptions > 0) out.gatewayExceptions = gatewayExceptions;
  if (costN > 0) out.costPerRequestUsd = { mean: Math.round((costTotal / costN) * 1e9) / 1e9, total: Math.round(costTotal * 1e9) / 1e9, responses: costN };
  return out;
}

/**
 * Per-second timeline: requests sent by dispatch second; responses, latency percentiles and the lowest remaining
 * rate-limit budget (overall and per serving provider, `primary` when no gateway header named one) by completion second.
 */
export function buildTimeline(records: readonly RequestRecord[], primary?: string): TimelineSecond[] {
  type By = Record<string, { requests?: number; tokens?: number }>;
  const secs = new Map<number, { sent: number; statuses: Record<string, number>; lat: number[]; rr?: number; rt?: number; by?: By }>();
  const at = (s: number) => {
    let e = secs.get(s);
    if (!e) secs.set(s, (e = { sent: 0, statuses: {}, lat: [] }));
    return e;
  };
  for (const r of records) {
    at(Math.floor(r.dispatched / 1000)).sent++;
    if (r.done === undefined) continue;
    const e = at(Math.floor(r.done / 1000));
    const key = r.status !== undefined ? String(r.status) : 'error';
    e.statuses[key] = (e.statuses[key] ?? 0) + 1;
    const l = latencyOf(r);
    if (l !== undefined) e.lat.push(l);
    if (r.remainingRequests !== undefined) e.rr = Math.min(e.rr ?? Infinity, r.remainingRequests);
    if (r.remainingTokens !== undefined) e.rt = Math.min(e.rt ?? Infinity, r.remainingTokens);
    const who = r.servedBy ?? primary;
    if (who !== undefined && (r.remainingRequests !== undefined || r.remainingTokens !== undefined)) {
      const by = (e.by ??= Object.create(null) as By);
      const b = (by[who] ??= {});
      if (r.remainingRequests !== undefined) b.requests = Math.min(b.requests ?? Infinity, r.remainingRequests);
      if (r.remainingTokens !== undefined) b.tokens = Math.min(b.tokens ?? Infinity, r.remainingTokens);
    }
  }
  // a loop, not Math.max(...keys): a spread of a long run's keys would overflow the call stack
  let last = -1;
  for (const k of secs.keys()) if (k > last) last = k;
  const out: TimelineSecond[] = [];
  for (let s = 0; s <= last; s++) {
    const e = secs.get(s) ?? { sent: 0, statuses: {}, lat: [] };
    const { p50, p90, p99 } = latencySummary(e.lat);
    const sec: TimelineSecond = { second: s, sent: e.sent, statuses: e.statuses, p50, p90, p99 };
    if (e.rr !== undefined) sec.remainingRequests = e.rr;
    if (e.rt !== undefined) sec.remainingTokens = e.rt;
    if (e.by) sec.remainingBy = Object.fromEntries(Object.keys(e.by).sort().map((k) => [k, e.by![k]]));
    out.push(sec);
  }
  return out;
}

/** Arrivals per window of `windowMs` from timestamps (ms), and the largest window relative to the mean. */
export function windowCounts(timestamps: readonly number[], windowMs = 100): { counts: number[]; max: number; mean: number } {
  if (timestamps.length === 0) return { counts: [], max: 0, mean: 0 };
  const sorted = [...timestamps].sort((a, b) => a - b);
  const start = sorted[0];
  const n = Math.floor((sorted[sorted.length - 1] - start) / windowMs) + 1;
  const counts = new Array<number>(n).fill(0);
  let max = 0;
  for (const t of sorted) max = Math.max(max, ++counts[Math.floor((t - start) / windowMs)]);
  return { counts, max, mean: sorted.length / n };
}

/** The most timestamps (ms) in any half-open window [t, t + windowMs), sliding over every arrival. */
export function maxInSlidingWindow(timestamps: readonly number[], windowMs = 100): number {
  const s = [...timestamps].sort((a, b) => a - b);
  let best = 0;
  let j = 0;
  for (let i = 0; i < s.length; i++) {
    while (s[i] - s[j] >= windowMs) j++;
    best = Math.max(best, i - j + 1);
  }
  return best;
}
