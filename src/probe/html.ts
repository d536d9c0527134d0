import type { HtmlProbe, ProbeSecond } from '../report/html.js';
import type { ProbeEvidence } from './types.js';

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
  return {
    target: p.target,
    targetRps: p.targetRps,
    achievedRps: p.achievedRps,
    coldP99Ms: p.coldP99Ms ?? undefined,
    steadyP99Ms: p.steadyP99Ms ?? undefined,
    timeline,
  };
}
