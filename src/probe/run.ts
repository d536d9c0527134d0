import { setMaxListeners } from 'node:events';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { isIP } from 'node:net';
import { Client, Pool } from 'undici';
import type { IncomingHttpHeaders } from 'node:http';
import { pinnedLookup } from '../util/net.js';
import { readRateLimitHeaders } from './provider-headers.js';
import { type GrantSeen, grantedLimits, readBody, streamSummaries } from './stream.js';
import { buildTimeline, DISPATCH_LAG_BOUND_MS, type RequestRecord, summarisePhase } from './measure.js';
import type { PhasePlan, ProbePlan } from './plan.js';
import type { PhaseResult, ProbeEvidence, UntaggedResult } from './types.js';

export interface ProbeProgress {
  phase: string;
  elapsedSeconds: number;
  sent: number;
  responses: number;
  count429: number;
  errors: number;
}

export interface RunProbeOptions {
  signal?: AbortSignal;
  onProgress?: (p: ProbeProgress) => void;
  /** ms between progress callbacks (default 1000) */
  progressEveryMs?: number;
}

export interface Pacing {
  rate: number;
  count: number;
  start: number;
  /** catch-up rate after a stall, as a multiple of `rate` (default 1.3) */
  catchUp?: number;
}

/**
 * The longest gap between two wake-ups of the scheduler that still counts as timer lateness rather than a stall,
 * ms. Within it every overdue arrival goes at once: they are shifted by less than 20 ms, so no 100 ms window
 * gains more than 0.2 x its share (at 40 req/s, less than one arrival). A longer gap (GC, a busy CPU) is a stall and is caught up on a chain.
 */
export const PACING_JITTER_MS = 20;

/**
 * The pacing rule, pure: given the next index, its earliest allowed time and the last wake-up, the indices due at
 * `now`. Arrival i is intended at start + i x 1000 / rate. A wake-up more than PACING_JITTER_MS after the previous
 * one is a stall: the overdue arrivals are not released at once but caught up on a chain spaced 1000 / (catchUp x
 * rate) ms apart, starting at the stall's end; so after any stall no 100 ms holds more than about catchUp x
 * the mean, and the chain merges back into the schedule once caught up. Lateness is judged between wake-ups, not
 * against the chain, so a busy machine whose timers are always late keeps its rate.
 */
export function dueNow(state: { next: number; allowed: number; lastWake?: number }, now: number, p: Pacing): number[] {
  const interval = 1000 / p.rate;
  const spacing = interval / (p.catchUp ?? 1.3);
  const gap = now - (state.lastWake ?? p.start);
  state.lastWake = now;
  if (gap > PACING_JITTER_MS && now - state.allowed > PACING_JITTER_MS) state.allowed = now;
  const out: number[] = [];
  while (state.next < p.count && state.allowed <= now) {
    out.push(state.next);
    state.next++;
    state.allowed = Math.max(p.start + state.next * interval, state.allowed + spacing);
  }
  return out;
}

/**
 * Fires `count` arrivals at `rate` per second from `start` (ms on `now`'s clock): an open model on a
 * monotonic clock, paced by dueNow. Each is fired when due whether or not earlier requests have been
 * answered, with its intended start for latency. Resolves when all have been fired or the signal aborts.
 */
export async function openModelSchedule(
  o: Pacing & { now: () => number; signal?: AbortSignal },
  fire: (i: number, intended: number) => void,
): Promise<number> {
  const interval = 1000 / o.rate;
  const state = { next: 0, allowed: o.start };
  while (state.next < o.count && !o.signal?.aborted) {
    for (const i of dueNow(state, o.now(), o)) fire(i, o.start + i * interval);
    if (state.next >= o.count) break;
    const wait = state.allowed - o.now();
    // always a timer, never setImmediate or a busy loop: each wake-up dispatches every arrival whose time has
    // passed, so at 1 ms timer granularity a 1,000 req/s schedule sends one or two per wake and the process
    // sleeps in between (spinning would take the CPU the target, often on the same machine, needs)
    await sleep(Math.max(1, Math.floor(wait)), undefined, { signal: o.signal }).catch(() => undefined);
  }
  return state.next;
}

function pick<T>(list: readonly T[], i: number): T | undefined {
  return list.length ? list[i % list.length] : undefined;
}

/** Runs a probe plan against its target. The caller must have passed the plan through guard() first. */
export async function runProbe(plan: ProbePlan, opts: RunProbeOptions = {}): Promise<ProbeEvidence> {
  // load autocannon before the clock starts: its first import blocks the event loop for ~100-300 ms
  const autocannon = plan.phases.some((p) => p.name === 'cold') && !plan.stream ? (await import('autocannon')).default : undefined;
  const t0 = performance.now();
  const now = () => performance.now() - t0;
  const records: RequestRecord[] = [];
  const url = new URL(plan.target);
  const path = `${url.pathname}${url.search}`;
  const abort = new AbortController();
  setMaxListeners(0, abort.signal);
  const onAbort = () => abort.abort();
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  if (opts.signal?.aborted) abort.abort();
  let seq = 0;
  let current = 'starting';
  const phaseStarts = new Map<string, number>();
  const pinned = plan.connect && isIP(url.hostname.replace(/^\[|\]$/g, '')) === 0 ? plan.connect : undefined;
  const pool = new Pool(url.origin, {
    // every connection goes to the address the guard checked (see resolvePlan)
    ...(pinned ? { connect: { lookup: pinnedLookup(pinned) as never } } : {}),
    connections: plan.maxConnections,
    pipelining: 1,
    headersTimeout: plan.timeoutMs,
    bodyTimeout: plan.timeoutMs,
    keepAliveTimeout: 30_000,
  });
  const inflight = new Set<Promise<void>>();
  const granted = new Map<string, GrantSeen>();

  const progressTimer = opts.onProgress
    ? setInterval(() => {
        let responses = 0;
        let c429 = 0;
        let errors = 0;
        for (const r of records) {
          if (r.status !== undefined) responses++;
          if (r.status === 429) c429++;
          if (r.error !== undefined) errors++;
        }
        opts.onProgress?.({ phase: current, elapsedSeconds: Math.round(now() / 100) / 10, sent: records.length, responses, count429: c429, errors });
      }, opts.progressEveryMs ?? 1000)
    : undefined;
  progressTimer?.unref();

  const primary = plan.chain[0];
  const gh = plan.gatewayHeaders;
  /** reads who served it, the gateway's cost and the provider's rate-limit headers into the record */
  const readHeaders = (rec: RequestRecord, h: IncomingHttpHeaders) => {
    if (gh) {
      const str = (name: string | undefined) => {
        if (!name) return undefined;
        const v = h[name];
        return Array.isArray(v) ? v[0] : v;
      };
      const served = str(gh.servedBy?.header);
      if (served !== undefined && served !== '') {
        if (gh.servedBy?.means === 'target-index') {
          // a bare index, or the target's JSON path in the config ("config.targets[1]"): the last index
          const m = /(\d+)\]?$/.exec(served.trim());
          const i = m ? Number(m[1]) : Number.NaN;
          rec.servedBy = Number.isInteger(i) && i >= 0 ? (plan.chain[i] ?? `target ${served}`) : `target ${served}`;
        } else rec.servedBy = served;
      }
      const n = (name: string | undefined) => {
        const v = Number(str(name));
        return str(name) !== undefined && Number.isFinite(v) ? v : undefined;
      };
      const fb = n(gh.attemptedFallbacks);
      const rt = n(gh.attemptedRetries);
      const cost = n(gh.responseCost);
      if (fb !== undefined) rec.fallbacks = fb;
      if (rt !== undefined) rec.retries = rt;
      if (cost !== undefined) rec.costUsd = cost;
      if (gh.gatewayException && str(gh.gatewayException.header) === gh.gatewayException.value) rec.gatewayException = true;
    }
    if (
      h['x-ratelimit-limit-requests'] !== undefined ||
      h['x-ratelimit-limit-tokens'] !== undefined ||
      h['anthropic-ratelimit-requests-limit'] !== undefined ||
      h['anthropic-ratelimit-tokens-limit'] !== undefined ||
      h['anthropic-ratelimit-input-tokens-limit'] !== undefined ||
      h['anthropic-ratelimit-output-tokens-limit'] !== undefined
    ) {
      const snap = readRateLimitHeaders(h);
      if (snap) {
        if (snap.remainingRequests !== undefined) rec.remainingRequests = snap.remainingRequests;
        if (snap.remainingTokens !== undefined) rec.remainingTokens = snap.remainingTokens;
        const who = rec.servedBy ?? primary;
        const g = granted.get(who) ?? { style: snap.style, responses: 0 };
        g.responses++;
        if (snap.limitRequests !== undefined) g.limitRequests = snap.limitRequests;
        if (snap.limitTokens !== undefined) g.limitTokens = snap.limitTokens;
        if (snap.remainingRequests !== undefined) g.minRemainingRequests = Math.min(g.minRemainingRequests ?? Infinity, snap.remainingRequests);
        if (snap.remainingTokens !== undefined) g.minRemainingTokens = Math.min(g.minRemainingTokens ?? Infinity, snap.remainingTokens);
        if (snap.limitInputTokens !== undefined) g.limitInputTokens = snap.limitInputTokens;
        if (snap.limitOutputTokens !== undefined) g.limitOutputTokens = snap.limitOutputTokens;
        if (snap.remainingInputTokens !== undefined) g.minRemainingInputTokens = Math.min(g.minRemainingInputTokens ?? Infinity, snap.remainingInputTokens);
        if (snap.remainingOutputTokens !== undefined) g.minRemainingOutputTokens = Math.min(g.minRemainingOutputTokens ?? Infinity, snap.remainingOutputTokens);
        granted.set(who, g);
      }
    }
  };

  const dispatch = (client: Pool | Client, rec: RequestRecord, headers: Record<string, string>) =>
    client
      .request({ method: 'POST', path, headers: { ...plan.headers, ...headers }, body: plan.body, signal: abort.signal })
      .then(async (res) => {
        readHeaders(rec, res.headers);
        const ok = res.statusCode >= 200 && res.statusCode < 300;
        if (plan.stream && ok && String(res.headers['content-type'] ?? '').includes('text/event-stream')) {
          const fail = await readBody(res.body, rec, now);
          rec.done = now();
          if (fail) {
            rec.streamError = fail;
            rec.error = `stream: ${fail}`;
          } else rec.status = res.statusCode;
          return;
        }
        await res.body.dump({ limit: 1 << 20 }).catch(() => undefined);
        rec.done = now();
        rec.status = res.statusCode;
        if (plan.stream && ok) {
          // a 2xx that is not an event stream: the gateway answered a streamed request whole
          rec.streamError = 'not an event stream';
          rec.error = 'stream: not an event stream';
          rec.status = undefined;
        }
      })
      .catch((err: Error & { code?: string }) => {
        rec.done = now();
        rec.error = err.code ?? err.name ?? 'error';
      });

  const send = (rec: RequestRecord, headers: Record<string, string>) => {
    if (seq >= plan.maxRequests) return false;
    seq++;
    records.push(rec);
    const p = dispatch(pool, rec, headers);
    inflight.add(p);
    void p.finally(() => inflight.delete(p));
    return true;
  };

  const phaseResults: PhaseResult[] = [];
  let untagged: UntaggedResult | null = null;
  let attrTurn = 0;

  const runCold = async (ph: PhasePlan) => {
    const start = now();
    phaseStarts.set('cold', start);
    if (plan.stream) {
      // autocannon reads a response whole; a streamed first request is timed by our own client, one fresh
      // connection each, all started at once
      const n = Math.min(ph.requests, plan.maxRequests - seq);
      const clients: Client[] = [];
      const jobs: Promise<void>[] = [];
      for (let i = 0; i < n; i++) {
        seq++;
        const c = new Client(url.origin, { pipelining: 1, headersTimeout: plan.timeoutMs, bodyTimeout: plan.timeoutMs });
        clients.push(c);
        const rec: RequestRecord = { phase: 'cold', intended: start, dispatched: now() };
        records.push(rec);
        jobs.push(dispatch(c, rec, pick(plan.attribution, i) ?? {}));
      }
      await Promise.allSettled(jobs);
      await Promise.allSettled(clients.map((c) => c.close()));
      phaseResults.push(summarisePhase('cold', records, { rate: n, durationSeconds: 0, start, lagToleranceMs: Infinity, primary, stream: true }));
      return;
    }
    if (!autocannon) return;
    const n = Math.min(ph.requests, plan.maxRequests - seq);
    if (n <= 0) return;
    seq += n;
    let turn = 0;
    await new Promise<void>((resolve) => {
      // autocannon resolves names itself: give it the checked address, the name in Host and SNI
      const coldUrl = new URL(plan.target);
      if (pinned) coldUrl.hostname = pinned.family === 6 ? `[${pinned.address}]` : pinned.address;
      const instance = autocannon(
        {
          url: coldUrl.toString(),
          ...(pinned ? { servername: url.hostname } : {}),
          method: 'POST',
          connections: n,
          amount: n,
          maxConnectionRequests: 1,
          timeout: Math.ceil(plan.timeoutMs / 1000),
          headers: pinned ? { host: url.host, ...plan.headers } : plan.headers,
          body: plan.body,
          requests: [
            {
              setupRequest: (req: any) => ({ ...req, headers: { ...(pinned ? { host: url.host } : {}), ...plan.headers, ...(pick(plan.attribution, turn++) ?? {}) } }),
            },
          ],
        },
        () => resolve(),
      );
      instance.on('response', (_client: unknown, statusCode: number, _bytes: number, responseTime: number) => {
        records.push({ phase: 'cold', intended: start, dispatched: start, done: now(), status: statusCode, latencyMs: responseTime });
      });
      instance.on('reqError', (err: Error & { code?: string }) => {
        records.push({ phase: 'cold', intended: start, dispatched: start, done: now(), error: err.code ?? err.message });
      });
      const stop = () => (instance as unknown as { stop: () => void }).stop();
      if (abort.signal.aborted) stop();
      else abort.signal.addEventListener('abort', stop, { once: true });
    });
    phaseResults.push(summarisePhase('cold', records, { rate: n, durationSeconds: 0, start, lagToleranceMs: Infinity, primary }));
  };

  const runPaced = async (ph: PhasePlan) => {
    // start on the next whole 10 ms so the first arrival is not late
    const start = now() + 10;
    phaseStarts.set(ph.name, start);
    const interval = 1000 / ph.rate;
    await openModelSchedule({ rate: ph.rate, count: ph.requests, start, now, signal: abort.signal }, (_i, intended) => {
      send({ phase: ph.name, intended, dispatched: now() }, pick(plan.attribution, attrTurn++) ?? {});
    });
    // dispatches this late past the phase's end still count toward the achieved rate: two intervals, or 0.5% of
    // the phase (at most 100 ms), so the slack never hides more than about half a percent of shortfall
    return { start, lagToleranceMs: Math.max(2 * interval, Math.min(100, 5 * ph.durationSeconds)) };
  };

  const finishPhase = async (ph: PhasePlan, sched: { start: number; lagToleranceMs: number }) => {
    // wait for this phase's requests (bounded by the request timeout) before the next phase or the verdict
    const deadline = now() + plan.timeoutMs + 1000;
    while (!abort.signal.aborted && records.some((r) => r.phase === ph.name && r.done === undefined) && now() < deadline) {
      await sleep(10);
    }
    phaseResults.push(summarisePhase(ph.name, records, { rate: ph.rate, durationSeconds: ph.requests / ph.rate, start: sched.start, lagToleranceMs: sched.lagToleranceMs, primary, stream: plan.stream }));
  };

  const hardDeadline = setTimeout(
    () => abort.abort(),
    1000 * plan.phases.reduce((s, p) => s + p.durationSeconds, 0) + 3 * plan.timeoutMs + 10_000,
  );
  hardDeadline.unref();

  try {
    for (const ph of plan.phases) {
      if (abort.signal.aborted) break;
      current = ph.name;
      if (ph.name === 'cold') {
        await runCold(ph);
        if (plan.untagged && !abort.signal.aborted) untagged = await sendUntagged();
        continue;
      }
      if (plan.untagged && untagged === null && !abort.signal.aborted) untagged = await sendUntagged();
      const sched = await runPaced(ph);
      if (abort.signal.aborted) {
        phaseResults.push(summarisePhase(ph.name, records, { rate: ph.rate, durationSeconds: Math.max(0.001, (now() - sched.start) / 1000), start: sched.start, lagToleranceMs: sched.lagToleranceMs, primary, stream: plan.stream }));
        break;
      }
      await finishPhase(ph, sched);
    }
  } finally {
    clearTimeout(hardDeadline);
    if (progressTimer) clearInterval(progressTimer);
    opts.signal?.removeEventListener('abort', onAbort);
    if (abort.signal.aborted) await pool.destroy().catch(() => undefined);
    else await Promise.allSettled([...inflight]).then(() => pool.close());
  }

  async function sendUntagged(): Promise<UntaggedResult> {
    if (seq >= plan.maxRequests) return { status: null, error: 'request cap reached' };
    seq++;
    try {
      const res = await pool.request({ method: 'POST', path, headers: plan.headers, body: plan.body, signal: abort.signal });
      await res.body.dump({ limit: 1 << 20 }).catch(() => undefined);
      return { status: res.statusCode };
    } catch (err) {
      return { status: null, error: (err as { code?: string }).code ?? (err as Error).message };
    }
  }

  const steady = phaseResults.find((p) => p.name === 'steady');
  const cold = phaseResults.find((p) => p.name === 'cold');
  const targetRps = plan.peakRpm / 60;
  const achievedRps = steady?.achievedRps ?? 0;
  const interrupted = Boolean(opts.signal?.aborted);
  const clientLimited = phaseResults.some((p) => p.clientLimited === true);
  const out: ProbeEvidence = {
    target: plan.target,
    peakRpm: plan.peakRpm,
    targetRps: Math.round(targetRps * 1000) / 1000,
    achievedRps,
    minAchievedFraction: plan.minAchievedFraction,
    inconclusive: interrupted || steady === undefined || achievedRps < plan.minAchievedFraction * targetRps,
    interrupted,
    compression: plan.compression,
    phases: phaseResults,
    coldP99Ms: cold?.p99 ?? null,
    steadyP99Ms: steady?.p99 ?? null,
    untagged,
    timeline: buildTimeline(records, primary),
    dispatchLagBoundMs: DISPATCH_LAG_BOUND_MS,
    clientLimited,
    chain: plan.chain,
  };
  if (plan.stream) {
    out.stream = true;
    Object.assign(out, streamSummaries(records));
    out.coldTtftP99Ms = cold?.ttftMs?.p99 ?? null;
    out.steadyTtftP99Ms = steady?.ttftMs?.p99 ?? null;
  }
  const g = grantedLimits(granted, plan.vendors, plan.models);
  if (g.length > 0) out.granted = g;
  return out;
}
