/**
 * The go-live page's remaining rate-limit budget during the probe: per serving provider, the lowest
 * `remaining` its rate-limit headers stated in each second (x-ratelimit-remaining-* or
 * anthropic-ratelimit-*-remaining, read by src/probe/provider-headers.ts), with the burst window shaded and
 * the 429 onset and failover start marked. A module of its own; html.ts calls rateLimitFigure once in
 * the probe section, and it renders nothing when no response carried the headers.
 */
import { int, plain } from '../util/numbers.js';
import { type Ids, axis, clip, esc, n, svgOpen, swatch } from './html-svg.js';

/** One provider's remaining budget per second (seconds since the probe started). */
export interface RateLimitSeries {
  provider: string;
  points: Array<{ second: number; requests?: number; tokens?: number }>;
  /** the limit its headers stated (the metering window's figure), when known */
  limitRequests?: number;
  limitTokens?: number;
}

/** What the chart needs; probeForHtml (src/probe/html.ts) builds it from the probe's result. */
export interface HtmlRateLimit {
  providers: RateLimitSeries[];
  /** the burst phase, seconds since the probe started */
  burst?: { startSecond: number; endSecond: number };
  /** the first 429 the client or the gateway met */
  first429Second?: number;
  /** the first response served by a failover target */
  failoverStartSecond?: number;
}

type Measure = 'requests' | 'tokens';

/** Line styles per provider, in order: they differ by dash and width, not only by hue. */
const STYLES = [
  { cls: 'started', text: 'solid' },
  { cls: 'ok', text: 'dashed' },
  { cls: 'p99', text: 'thick' },
  { cls: 'p90', text: 'long dashes' },
] as const;
const styleOf = (i: number) => STYLES[i % STYLES.length];

/** Most points a line is drawn with; longer series keep each column's lowest value (the budget's lows). */
const MAX_DRAWN = 1500;

function drawnPoints(points: Array<[number, number]>, xMax: number): Array<[number, number]> {
  if (points.length <= MAX_DRAWN) return points;
  const out: Array<[number, number]> = [];
  let bucket = -1;
  for (const [x, y] of points) {
    const b = Math.floor((x / Math.max(1, xMax)) * MAX_DRAWN);
    const last = out[out.length - 1];
    if (b !== bucket || !last) {
      out.push([x, y]);
      bucket = b;
    } else if (y < last[1]) out[out.length - 1] = [x, y];
  }
  return out;
}

const lowest = (s: RateLimitSeries, m: Measure): { value: number; second: number } | undefined => {
  let best: { value: number; second: number } | undefined;
  for (const p of s.points) {
    const v = p[m];
    if (v !== undefined && (best === undefined || v < best.value)) best = { value: v, second: p.second };
  }
  return best;
};

function chart(ids: Ids, rl: HtmlRateLimit, m: Measure): string {
  const series = rl.providers.filter((s) => s.points.some((p) => p[m] !== undefined));
  const w = 720;
  const h = 250;
  const x0 = 58;
  const x1 = w - 20;
  const y0 = 24;
  const y1 = h - 40;
  let xMax = 1;
  let yMax = 1;
  for (const s of series) {
    const limit = m === 'requests' ? s.limitRequests : s.limitTokens;
    if (limit !== undefined && limit > yMax) yMax = limit;
    for (const p of s.points) {
      if (p.second + 1 > xMax) xMax = p.second + 1;
      const v = p[m];
      if (v !== undefined && v > yMax) yMax = v;
    }
  }
  const xa = axis(xMax, 6);
  const ya = axis(yMax * 1.02, 4);
  const sx = (v: number) => x0 + (v / xa.max) * (x1 - x0);
  const sy = (v: number) => y1 - (Math.min(v, ya.max) / ya.max) * (y1 - y0);
  const unit = m === 'requests' ? 'requests' : 'tokens';
  const lows = series.map((s) => ({ s, low: lowest(s, m)! }));
  const marks = [
    ...(rl.burst ? [`burst from second ${plain(rl.burst.startSecond, 1)} to ${plain(rl.burst.endSecond, 1)}`] : []),
    ...(rl.first429Second !== undefined ? [`first 429 at second ${plain(rl.first429Second, 1)}`] : []),
    ...(rl.failoverStartSecond !== undefined ? [`failover from second ${plain(rl.failoverStartSecond, 1)}`] : []),
  ];
  const desc = `Lowest remaining ${unit} the provider's rate-limit headers stated, per second: ${lows
    .map(({ s, low }) => `${s.provider} down to ${int(low.value)} at second ${plain(low.second)}${(m === 'requests' ? s.limitRequests : s.limitTokens) !== undefined ? ` of ${int((m === 'requests' ? s.limitRequests : s.limitTokens)!)}` : ''}`)
    .join('; ')}.${marks.length ? ` Marked: ${marks.join(', ')}.` : ''}`;
  const out: string[] = [svgOpen(ids, w, h, `Remaining rate-limit budget (${unit}) during the probe`, desc)];
  if (rl.burst) {
    const bx0 = sx(Math.max(0, rl.burst.startSecond));
    const bx1 = sx(Math.min(xa.max, rl.burst.endSecond));
    out.push(`<rect x="${n(bx0)}" y="${y0}" width="${n(Math.max(1, bx1 - bx0))}" height="${y1 - y0}" class="track"/>`);
    out.push(`<text x="${n(bx0 + 3)}" y="${y0 - 8}" class="ref">burst</text>`);
  }
  out.push('<g class="axis">');
  for (const t of ya.ticks) {
    out.push(`<line x1="${x0}" y1="${n(sy(t))}" x2="${x1}" y2="${n(sy(t))}" class="grid"/>`);
    out.push(`<text x="${x0 - 6}" y="${n(sy(t) + 4)}" text-anchor="end">${esc(int(t))}</text>`);
  }
  for (const t of xa.ticks) out.push(`<text x="${n(sx(t))}" y="${y1 + 16}" text-anchor="middle">${esc(plain(t))}</text>`);
  out.push(`<line x1="${x0}" y1="${y1}" x2="${x1}" y2="${y1}" class="baseline"/>`);
  out.push(`<text x="${n((x0 + x1) / 2)}" y="${h - 6}" text-anchor="middle" class="axis-title">seconds since start</text>`);
  out.push(`<text x="12" y="${n((y0 + y1) / 2)}" text-anchor="middle" class="axis-title" transform="rotate(-90 12 ${n((y0 + y1) / 2)})">remaining ${unit}</text>`);
  out.push('</g>');
  series.forEach((s, i) => {
    const limit = m === 'requests' ? s.limitRequests : s.limitTokens;
    if (limit === undefined) return;
    out.push(`<line x1="${x0}" y1="${n(sy(limit))}" x2="${x1}" y2="${n(sy(limit))}" class="ref-60"/>`);
    // above the line at the plot's left (right of it for the second provider), over the label halo
    out.push(`<text x="${i % 2 === 0 ? x0 + 4 : x1 - 4}" y="${n(sy(limit) - 4)}" text-anchor="${i % 2 === 0 ? 'start' : 'end'}" class="marker-label">${esc(clip(`${s.provider} limit ${int(limit)}`, 40))}</text>`);
  });
  series.forEach((s, i) => {
    const pts: Array<[number, number]> = [];
    for (const p of s.points) {
      const v = p[m];
      if (v !== undefined) pts.push([p.second + 0.5, v]);
    }
    const drawn = drawnPoints(pts, xa.max);
    const d = drawn.map(([x, y], k) => `${k === 0 ? 'M' : 'L'}${n(sx(x))} ${n(sy(y))}`).join(' ');
    const st = styleOf(i);
    out.push(`<path d="${d}" class="line ${st.cls}"><title>${esc(`${s.provider}: remaining ${unit}`)}</title></path>`);
    if (drawn.length === 1) out.push(`<circle cx="${n(sx(drawn[0][0]))}" cy="${n(sy(drawn[0][1]))}" r="3" class="pt ${st.cls}"/>`);
  });
  const vline = (x: number, cls: string, label: string, row: number) => {
    const lx = sx(Math.min(xa.max, Math.max(0, x)));
    out.push(`<line x1="${n(lx)}" y1="${y0}" x2="${n(lx)}" y2="${y1}" class="${cls}"/>`);
    const left = lx - x0 > 120;
    out.push(`<text x="${n(lx + (left ? -4 : 4))}" y="${y0 + 12 + row * 14}" text-anchor="${left ? 'end' : 'start'}" class="marker-label">${esc(label)}</text>`);
  };
  if (rl.first429Second !== undefined) vline(rl.first429Second, 'mark-70', `first 429, s ${plain(rl.first429Second, 1)}`, 0);
  if (rl.failoverStartSecond !== undefined) vline(rl.failoverStartSecond, 'mark-100', `failover, s ${plain(rl.failoverStartSecond, 1)}`, 1);
  out.push('</svg>');
  return out.join('');
}

function legend(rl: HtmlRateLimit, m: Measure): string {
  const item = (sw: string, text: string) => `<span class="legend-item">${sw}${esc(text)}</span>`;
  const series = rl.providers.filter((s) => s.points.some((p) => p[m] !== undefined));
  return [
    ...series.map((s, i) => item(swatch('line', `line ${styleOf(i).cls}`), `${s.provider} (${styleOf(i).text})`)),
    ...(series.some((s) => (m === 'requests' ? s.limitRequests : s.limitTokens) !== undefined) ? [item(swatch('dash', 'ref-60'), 'stated limit (dashed)')] : []),
    ...(rl.burst ? [item(swatch('box', 'track'), 'burst window (shaded)')] : []),
    ...(rl.first429Second !== undefined ? [item(swatch('dash', 'mark-70'), 'first 429 (short dashes)')] : []),
    ...(rl.failoverStartSecond !== undefined ? [item(swatch('line', 'mark-100'), 'failover start (heavy)')] : []),
  ].join('');
}

function dataTable(rl: HtmlRateLimit, measures: Measure[]): string {
  const seconds = new Set<number>();
  for (const s of rl.providers) for (const p of s.points) seconds.add(p.second);
  const sorted = [...seconds].sort((a, b) => a - b);
  const at = rl.providers.map((s) => new Map(s.points.map((p) => [p.second, p])));
  const cols = rl.providers.flatMap((s) => measures.map((m) => ({ s, m, head: `${esc(s.provider)}: remaining ${m}` })));
  const markOf = (sec: number) => {
    const w: string[] = [];
    if (rl.burst && sec + 1 > rl.burst.startSecond && sec < rl.burst.endSecond) w.push('burst');
    if (rl.first429Second !== undefined && Math.floor(rl.first429Second) === sec) w.push('first 429');
    if (rl.failoverStartSecond !== undefined && Math.floor(rl.failoverStartSecond) === sec) w.push('failover start');
    return w.join(', ');
  };
  const rows = sorted.map((sec) => {
    const cells = cols.map(({ s, m }) => {
      const v = at[rl.providers.indexOf(s)].get(sec)?.[m];
      return `<td>${v !== undefined ? esc(int(v)) : '–'}</td>`;
    });
    return `<tr><th scope="row">${esc(plain(sec))}</th>${cells.join('')}<td>${esc(markOf(sec))}</td></tr>`;
  });
  return `<details><summary>Remaining budget per second (${sorted.length} seconds)</summary><table class="data"><caption>Lowest remaining rate-limit budget per second, by serving provider</caption><thead><tr><th scope="col">Second</th>${cols
    .map((c) => `<th scope="col">${c.head}</th>`)
    .join('')}<th scope="col">Marks</th></tr></thead><tbody>\n${rows.join('\n')}\n</tbody></table></details>`;
}

/**
 * The remaining-budget figure(s) and their table, with a leading newline; '' when no response carried
 * rate-limit headers (no chart, no empty section).
 */
export function rateLimitFigure(rl: HtmlRateLimit | undefined, ids: Ids): string {
  if (!rl) return '';
  const measures = (['requests', 'tokens'] as const).filter((m) => rl.providers.some((s) => s.points.some((p) => p[m] !== undefined)));
  if (measures.length === 0) return '';
  const figures = measures.map(
    (m) =>
      `<figure>${chart(ids, rl, m)}<div class="legend">${legend(rl, m)}</div><figcaption>Remaining ${m} in each provider's rate-limit window, as its response headers stated (the lowest seen per second)${
        rl.burst ? ', with the burst shaded' : ''
      }.</figcaption></figure>`,
  );
  const intro = `<h3 id="probe-ratelimit">Remaining rate-limit budget</h3>\n<p>What each provider's rate-limit headers said was left in its window while the probe ran: a line that reaches 0 is a provider about to answer 429.</p>`;
  return `\n${intro}\n${figures.join('\n')}\n${dataTable(rl, measures)}`;
}
