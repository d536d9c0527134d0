/** The go-live page's burst-load probe section: rate, status codes and latency per second, cold against steady p99. */
import type { DeploymentModel } from '../manifest/model.js';
import { int, maxOf, minOf, pct, plain } from '../util/numbers.js';
import { figure, legendItem, table } from './html-parts.js';
import { type HtmlRateLimit, rateLimitFigure } from './html-ratelimit.js';
import { type HBarRow, type Ids, esc, hbarChart, lineChart, stackChart, swatch } from './html-svg.js';

/** One second of a burst-load probe. */
export interface ProbeSecond {
  /** seconds since the probe started (0-based) */
  second: number;
  /** requests started in this second */
  sent: number;
  /** responses with a 2xx status */
  ok: number;
  /** responses by HTTP status code ('200', '429', '503') or failure kind ('timeout', 'error') */
  byStatus: Record<string, number>;
  /** latency percentiles of the responses that arrived in this second; absent when none did */
  p50Ms?: number;
  p90Ms?: number;
  p99Ms?: number;
}

/** What the HTML report needs from a burst-load probe run (the probe's result is adapted to this). */
export interface HtmlProbe {
  /** the URL probed (shown as text, never fetched) */
  target?: string;
  /** the rate the probe aimed at, requests per second */
  targetRps: number;
  /** the rate it achieved (responses received per second over the run) */
  achievedRps: number;
  /** p99 latency of the first requests (cold connections, cold caches) */
  coldP99Ms?: number;
  /** p99 latency once warmed up */
  steadyP99Ms?: number;
  timeline: ProbeSecond[];
  /** remaining rate-limit budget per provider per second (charted by html-ratelimit.ts) */
  rateLimit?: HtmlRateLimit;
}

type StatusClass = '2xx' | '429' | '4xx' | '5xx' | 'other';
const CLASS_ORDER: StatusClass[] = ['2xx', '429', '4xx', '5xx', 'other'];
const CLASS_FILL: Record<StatusClass, string> = { '2xx': 's2xx', '429': 'url(#hatch-429)', '4xx': 's4xx', '5xx': 'url(#dots-5xx)', other: 'sother' };
const CLASS_TEXT: Record<StatusClass, string> = { '2xx': '2xx success', '429': '429 rate-limited (hatched)', '4xx': 'other 4xx', '5xx': '5xx (dotted)', other: 'timeouts and errors' };

function statusClass(key: string): StatusClass {
  if (key === '429') return '429';
  if (/^2\d\d$/.test(key)) return '2xx';
  if (/^4\d\d$/.test(key)) return '4xx';
  if (/^5\d\d$/.test(key)) return '5xx';
  return 'other';
}

const ms = (v: number) => `${int(v)} ms`;

export function probeSection(probe: HtmlProbe, model: DeploymentModel, ids: Ids): string {
  const slo = model.manifest.slo?.steadyP99Ms;
  const tl = [...probe.timeline].sort((a, b) => a.second - b.second);
  const xMax = maxOf(tl.map((s) => s.second), 1);
  const totals: Record<string, number> = {};
  for (const s of tl) for (const [k, v] of Object.entries(s.byStatus)) totals[k] = (totals[k] ?? 0) + v;
  const keys = Object.keys(totals).sort((a, b) => a.localeCompare(b, 'en'));
  const sent = tl.reduce((s, x) => s + x.sent, 0);
  const answered = keys.reduce((s, k) => s + totals[k], 0);
  const n429 = totals['429'] ?? 0;
  const reached = probe.targetRps > 0 ? probe.achievedRps / probe.targetRps : 0;

  const rateMax = maxOf(tl.map((s) => Math.max(s.sent, s.ok)), probe.targetRps) * 1.1;
  const rate = figure(
    lineChart(ids, {
      title: 'Achieved request rate over time',
      desc: `Target ${plain(probe.targetRps)} requests per second; achieved ${plain(probe.achievedRps, 2)} per second on average (${pct(reached)} of target). ${tl.length ? `Per second, requests started ranged from ${int(minOf(tl.map((s) => s.sent)))} to ${int(maxOf(tl.map((s) => s.sent)))}; successful responses from ${int(minOf(tl.map((s) => s.ok)))} to ${int(maxOf(tl.map((s) => s.ok)))}.` : 'No per-second data.'}`,
      xMax,
      yMax: rateMax,
      xLabel: 'seconds since start',
      yLabel: 'requests per second',
      xTick: (v) => plain(v),
      yTick: (v) => plain(v),
      series: [
        { label: 'requests started', cls: 'started', points: tl.map((s) => [s.second, s.sent]) },
        { label: '2xx responses', cls: 'ok', points: tl.map((s) => [s.second, s.ok]) },
      ],
      hlines: [{ at: probe.targetRps, label: `target ${plain(probe.targetRps)}/s`, cls: 'ref-100' }],
    }),
    'Requests started and successful (2xx) responses per second, against the target rate.',
    legendItem(swatch('line', 'line started'), 'requests started') + legendItem(swatch('line', 'line ok'), '2xx responses (dashed)') + legendItem(swatch('line', 'ref-100'), 'target rate'),
  );

  const presentClasses = CLASS_ORDER.filter((c) => keys.some((k) => statusClass(k) === c));
  const columns = tl.map((s) => {
    const sums: Record<StatusClass, number> = { '2xx': 0, '429': 0, '4xx': 0, '5xx': 0, other: 0 };
    for (const [k, v] of Object.entries(s.byStatus)) sums[statusClass(k)] += v;
    return { x: s.second, layers: CLASS_ORDER.map((c) => ({ key: c, value: sums[c] })) };
  });
  const status = figure(
    stackChart(ids, {
      title: 'Response status codes over time',
      desc: `${int(answered)} responses: ${keys.map((k) => `${k}: ${int(totals[k])}`).join(', ')}. ${n429 > 0 ? `429 rate-limit responses in ${tl.filter((s) => (s.byStatus['429'] ?? 0) > 0).length} of ${tl.length} seconds.` : 'No 429 responses.'}`,
      columns,
      fills: CLASS_FILL,
      xLabel: 'seconds since start',
      yLabel: 'responses per second',
      hlines: [{ at: probe.targetRps, label: `target ${plain(probe.targetRps)}/s`, cls: 'ref-100' }],
    }),
    `Responses per second by status${n429 > 0 ? `: <strong>${esc(int(n429))} rate-limited (429)</strong>` : ''}.`,
    presentClasses.map((c) => legendItem(swatch('box', CLASS_FILL[c], CLASS_FILL[c].startsWith('url(') ? CLASS_FILL[c] : undefined), CLASS_TEXT[c])).join(''),
  );

  const latMax = maxOf(tl.map((s) => Math.max(s.p50Ms ?? 0, s.p90Ms ?? 0, s.p99Ms ?? 0)), Math.max(1, slo ?? 0)) * 1.1;
  const lat = figure(
    lineChart(ids, {
      title: 'Latency percentiles over time',
      desc: `p50, p90 and p99 latency per second.${slo !== undefined ? ` SLO: p99 at most ${ms(slo)}.` : ''} Highest p99 in any second: ${ms(maxOf(tl.map((s) => s.p99Ms ?? 0), 0))}.`,
      xMax,
      yMax: latMax,
      xLabel: 'seconds since start',
      yLabel: 'milliseconds',
      xTick: (v) => plain(v),
      yTick: (v) => int(v),
      series: [
        { label: 'p50', cls: 'p50', points: tl.map((s) => [s.second, s.p50Ms]) },
        { label: 'p90', cls: 'p90', points: tl.map((s) => [s.second, s.p90Ms]) },
        { label: 'p99', cls: 'p99', points: tl.map((s) => [s.second, s.p99Ms]) },
      ],
      hlines: slo !== undefined ? [{ at: slo, label: `SLO p99 ${int(slo)}`, cls: 'ref-100' }] : [],
    }),
    'Latency percentiles per second.',
    legendItem(swatch('line', 'line p50'), 'p50 (thin)') + legendItem(swatch('line', 'line p90'), 'p90 (dashed)') + legendItem(swatch('line', 'line p99'), 'p99 (thick)') + (slo !== undefined ? legendItem(swatch('line', 'ref-100'), 'SLO p99') : ''),
  );

  let cold = '';
  if (probe.coldP99Ms !== undefined || probe.steadyP99Ms !== undefined) {
    const row = (label: string, sub: string, v: number | undefined): HBarRow => {
      if (v === undefined) return { label, sub, text: 'not measured', cls: 'bar none' };
      const over = slo !== undefined && v > slo;
      return { label, sub, value: v, text: `p99 ${ms(v)}`, note: slo === undefined ? 'no SLO stated' : over ? `OVER the ${ms(slo)} SLO` : `within the ${ms(slo)} SLO`, cls: slo === undefined ? 'bar neutral' : over ? 'bar over' : 'bar ok' };
    };
    const rows = [row('first requests', 'cold start', probe.coldP99Ms), row('steady state', 'after warm-up', probe.steadyP99Ms)];
    const max = Math.max(1, slo ?? 0, probe.coldP99Ms ?? 0, probe.steadyP99Ms ?? 0) * 1.05;
    cold = figure(
      hbarChart(ids, {
        title: 'First-request p99 against steady p99',
        desc: rows.map((r) => `${r.label}: ${r.text}${r.note ? `, ${r.note}` : ''}`).join('. ') + '.',
        rows,
        max,
        tickLabel: (v) => int(v),
        lines: slo !== undefined ? [{ at: slo, label: `SLO ${ms(slo)}`, cls: 'ref-100' }] : [],
      }),
      'p99 latency of the first requests against the steady state (milliseconds).',
    );
  }
  const summary = table(
    'Probe summary',
    ['Figure', 'Value'],
    [
      ['Target rate', `${esc(plain(probe.targetRps))} requests/s`],
      ['Achieved rate', `${esc(plain(probe.achievedRps, 2))} requests/s (${esc(pct(reached))} of target)`],
      ['Requests started', esc(int(sent))],
      ...keys.map((k) => [`Responses ${esc(k)}`, esc(int(totals[k]))]),
      ['First-request p99', probe.coldP99Ms !== undefined ? esc(ms(probe.coldP99Ms)) : 'not measured'],
      ['Steady p99', probe.steadyP99Ms !== undefined ? esc(ms(probe.steadyP99Ms)) : 'not measured'],
      ['SLO p99', slo !== undefined ? esc(ms(slo)) : 'not stated'],
    ],
  );
  const perSecond = `<details><summary>Per-second data (${tl.length} seconds)</summary>${table(
    'Probe timeline, one row per second',
    ['Second', 'Started', '2xx', ...keys.map(esc), 'p50 ms', 'p90 ms', 'p99 ms'],
    tl.map((s) => [
      esc(plain(s.second)),
      esc(int(s.sent)),
      esc(int(s.ok)),
      ...keys.map((k) => esc(int(s.byStatus[k] ?? 0))),
      s.p50Ms !== undefined ? esc(int(s.p50Ms)) : '–',
      s.p90Ms !== undefined ? esc(int(s.p90Ms)) : '–',
      s.p99Ms !== undefined ? esc(int(s.p99Ms)) : '–',
    ]),
  )}</details>`;
  const intro = `<p>Burst-load probe${probe.target ? ` of <code>${esc(probe.target)}</code>` : ''}: target <strong>${esc(plain(probe.targetRps))} requests/s</strong>, achieved <strong>${esc(
    plain(probe.achievedRps, 2),
  )}/s</strong> (${esc(pct(reached))})${n429 > 0 ? `; <strong>${esc(int(n429))} responses were 429</strong>` : '; no 429 responses'}.</p>`;
  return `<section id="probe" aria-labelledby="probe-h">\n<h2 id="probe-h">Burst-load probe</h2>\n${intro}\n${rate}\n${status}\n${lat}\n${cold}${rateLimitFigure(probe.rateLimit, ids)}\n${summary}\n${perSecond}\n</section>`;
}
