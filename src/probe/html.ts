import type { HtmlProbe, ProbeSecond } from '../report/html.js';
import type { HtmlRateLimit, RateLimitSeries } from '../report/html-ratelimit.js';
import type { ProbeEvidence } from './types.js';

const earliest = (a: number | undefined, b: number | undefined) => (a === undefined ? b : b === undefined ? a : Math.min(a, b));

/**
 * The remaining-budget curve per serving provider (the timeline's remainingBy; a single "all providers" series
 * for a result that has only the overall figure), the burst window, the first 429 and the failover start on the
 * timeline's clock; undefined when no response carried rate-limit headers.
 */
export function rateLimitForHtml(p: ProbeEvidence): HtmlRateLimit | undefined {
  const byProvider = new Map<string, RateLimitSeries>();
  const overall: RateLimitSeries = { provider: 'all providers', points: [] };
  for (const s of p.timeline) {
    for (const [id, r] of Object.entries(s.remainingBy ?? {})) {
      let series = byProvider.get(id);
      if (!series) byProvider.set(id, (series = { provider: id, points: [] }));
      series.points.push({ second: s.second, ...(r.requests !== undefined ? { requests: r.requests } : {}), ...(r.tokens !== undefined ? { tokens: r.tokens } : {}) });
    }
    if (s.remainingRequests !== undefined || s.remainingTokens !== undefined) {
      overall.points.push({ second: s.second, ...(s.remainingRequests !== undefined ? { requests: s.remainingRequests } : {}), ...(s.remainingTokens !== undefined ? { tokens: s.remainingTokens } : {}) });
    }
  }
  // in failover order (the chain), then any other provider by id
  const order = p.chain ?? [];
  const rank = (id: string) => (order.includes(id) ? order.indexOf(id) : order.length);
  const providers = byProvider.size > 0 ? [...byProvider.values()].sort((a, b) => rank(a.provider) - rank(b.provider) || a.provider.localeCompare(b.provider, 'en')) : overall.points.length > 0 ? [overall] : [];
  if (providers.length === 0) return undefined;
  for (const s of providers) {
    const g = p.granted?.find((x) => x.provider === s.provider);
    if (g?.limitRequests !== undefined) s.limitRequests = g.limitRequests;
    if (g?.limitTokens !== undefined) s.limitTokens = g.limitTokens;
  }
  const out: HtmlRateLimit = { providers };
  let first429: number | undefined;
  let failover: number | undefined;
  for (const ph of p.phases) {
    if (ph.startSeconds === undefined || ph.name === 'cold') continue;
    if (ph.name === 'burst') out.burst = { startSecond: ph.startSeconds, endSecond: ph.startSeconds + ph.durationSeconds };
    const onset = ph.gateway429OnsetSeconds ?? ph.first429AtSeconds;
    if (onset !== null && onset !== undefined) first429 = earliest(first429, ph.startSeconds + onset);
    if (ph.failoverStartSeconds !== null && ph.failoverStartSeconds !== undefined) failover = earliest(failover, ph.startSeconds + ph.failoverStartSeconds);
  }
  if (first429 !== undefined) out.first429Second = Math.round(first429 * 1000) / 1000;
  if (failover !== undefined) out.failoverStartSecond = Math.round(failover * 1000) / 1000;
  return out;
}

/** Adapts the probe's evidence to what the HTML report charts (pure). */
export function probeForHtml(p: ProbeEvidence): HtmlProbe {
  const timeline: ProbeSecond[] = p.timeline.map((s) => {
    const ok = Object.entries(s.statuses)
      .filter(([code]) => /^2\d\d$/.test(code))
      .reduce((n, [, c]) => n + c, 0);
    const out: ProbeSecond = { second: s.second, sent: s.sent, ok, byStatus: { ...s.statuses } };
    if (s.p50 !== null) out.p50Ms = s.p50;
    if (s.p90 !== null) out.p90Ms = s.p90;
    if (s.p99 !== null) out.p99Ms = s.p99;
    return out;
  });
  const rateLimit = rateLimitForHtml(p);
  return {
    target: p.target,
    targetRps: p.targetRps,
    achievedRps: p.achievedRps,
    coldP99Ms: p.coldP99Ms ?? undefined,
    steadyP99Ms: p.steadyP99Ms ?? undefined,
    timeline,
    ...(rateLimit ? { rateLimit } : {}),
  };
}
