/**
 * Inline SVG chart primitives for the HTML report. Pure string builders: no DOM, no scripts, no
 * external references, deterministic (coordinates printed via plain(), ids from a counter).
 * Every chart is role="img" with a <title> and <desc>; status is carried by text, not colour alone.
 */
import { maxOf, minOf, plain } from '../util/numbers.js';
import { controlsEscaped } from '../util/text.js';

/**
 * Escapes text for HTML and SVG text content and double- or single-quoted attribute values; control
 * characters and bidi overrides from manifest values are shown as \u escapes (an override would
 * visually reverse the rest of a line, the manifest's sha256 included).
 */
export function esc(s: string | number): string {
  return controlsEscaped(String(s)).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

/** A coordinate: one decimal, no float noise. */
export const n = (x: number): string => plain(x, 1);

/** Deterministic element ids, unique within one rendered page. */
export class Ids {
  private count = 0;
  next(prefix: string): string {
    this.count += 1;
    return `${prefix}-${this.count}`;
  }
}

/** Shortens a label for a fixed-width SVG column; the full text stays in the data table. */
export function clip(s: string, max: number): string {
  // by code point: a cut between the halves of a surrogate pair (an emoji) would show U+FFFD
  const points = Array.from(s);
  return points.length <= max ? s : `${points.slice(0, max - 1).join('')}…`;
}

/** A round axis step near max/parts, from 1, 2, 2.5, 5 x 10^k. */
export function niceStep(max: number, parts = 4): number {
  if (!(max > 0)) return 1;
  const raw = max / parts;
  const e = 10 ** Math.floor(Math.log10(raw));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * e >= raw - 1e-12) return m * e;
  return 10 * e;
}

/** An axis from 0 to at least `max`, in round steps. */
export function axis(max: number, parts = 4): { max: number; ticks: number[] } {
  const step = niceStep(max, parts);
  const top = Math.max(step, Math.ceil(max / step - 1e-9) * step);
  const ticks: number[] = [];
  for (let i = 0; i * step <= top + 1e-9; i++) ticks.push(Number(plain(i * step, 6)));
  return { max: top, ticks };
}

export function svgOpen(ids: Ids, w: number, h: number, title: string, desc: string, cls = 'chart'): string {
  const t = ids.next('t');
  const d = ids.next('d');
  return (
    `<svg class="${cls}" role="img" aria-labelledby="${t} ${d}" viewBox="0 0 ${w} ${h}" width="${w}" height="${h}" preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg">` +
    `<title id="${t}">${esc(title)}</title><desc id="${d}">${esc(desc)}</desc>`
  );
}

/**
 * Shared pattern definitions, emitted once per page (in a hidden SVG) and referenced by every chart:
 * hatching so that 429s and over-limit bars differ in shape, not just hue.
 */
export function patternDefs(): string {
  return (
    '<svg class="defs" aria-hidden="true" focusable="false" width="0" height="0"><defs>' +
    '<pattern id="hatch-429" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">' +
    '<rect width="6" height="6" class="s429"/><line x1="0" y1="0" x2="0" y2="6" class="hatch"/></pattern>' +
    '<pattern id="hatch-over" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">' +
    '<rect width="6" height="6" class="p-over"/><line x1="0" y1="0" x2="0" y2="6" class="hatch"/></pattern>' +
    '<pattern id="dots-5xx" width="5" height="5" patternUnits="userSpaceOnUse">' +
    '<rect width="5" height="5" class="s5xx"/><circle cx="2.5" cy="2.5" r="1.1" class="dot"/></pattern>' +
    '</defs></svg>'
  );
}

export interface HBarRow {
  label: string;
  sub?: string;
  /** bar length in axis units; undefined draws no bar */
  value?: number;
  /** the figures, right of the plot */
  text: string;
  /** the status in words, under the figures */
  note?: string;
  /** css class of the bar */
  cls: string;
  /** per-row tick marks (each row's own 70% and 100% of budget) */
  marks?: Array<{ at: number; cls: string; label: string }>;
}

export interface HBarSpec {
  title: string;
  desc: string;
  rows: HBarRow[];
  /** the largest value the axis must show */
  max: number;
  /** values beyond this are clipped (drawn to the edge with a break mark); the text keeps the real figure */
  clipAt?: number;
  tickLabel: (v: number) => string;
  /** full-height reference lines, e.g. 60% headroom and 100% limit */
  lines?: Array<{ at: number; label: string; cls: string; anchor?: 'start' | 'middle' | 'end' }>;
}

const HB = { w: 720, labelX: 0, x0: 196, x1: 476, textX: 488, top: 30, rowH: 42, barH: 18, bottom: 26 };

/**
 * Text that must fit `width` user units: long figures are condensed (textLength) rather than cut off
 * at the chart's edge. `perChar` is a generous estimate of the advance of one character.
 */
function fitText(x: number, y: number, cls: string, text: string, width: number, perChar: number): string {
  const fit = text.length * perChar > width ? ` textLength="${width}" lengthAdjust="spacingAndGlyphs"` : '';
  return `<text x="${n(x)}" y="${n(y)}" class="${cls}"${fit}>${esc(text)}</text>`;
}

/** Horizontal bars, one row per item, with reference lines and a text column that states each value. */
export function hbarChart(ids: Ids, spec: HBarSpec): string {
  const { w, x0, x1, top, rowH, barH } = HB;
  const limit = spec.clipAt !== undefined ? Math.min(spec.max, spec.clipAt) : spec.max;
  const ax = axis(limit);
  const scale = (v: number) => x0 + (Math.min(v, ax.max) / ax.max) * (x1 - x0);
  const h = top + spec.rows.length * rowH + HB.bottom;
  const out: string[] = [svgOpen(ids, w, h, spec.title, spec.desc)];
  const plotBottom = top + spec.rows.length * rowH;
  // grid and axis
  out.push('<g class="axis">');
  for (const t of ax.ticks) {
    out.push(`<line x1="${n(scale(t))}" y1="${top - 4}" x2="${n(scale(t))}" y2="${plotBottom}" class="grid"/>`);
    out.push(`<text x="${n(scale(t))}" y="${plotBottom + 16}" text-anchor="middle">${esc(spec.tickLabel(t))}</text>`);
  }
  out.push('</g>');
  spec.rows.forEach((r, i) => {
    const y = top + i * rowH;
    const by = y + (rowH - barH) / 2 - 4;
    out.push('<g class="row">');
    out.push(`<text x="${HB.labelX}" y="${n(by + 12)}" class="label">${esc(clip(r.label, 26))}</text>`);
    if (r.sub) out.push(`<text x="${HB.labelX}" y="${n(by + 27)}" class="sub">${esc(clip(r.sub, 32))}</text>`);
    out.push(`<rect x="${x0}" y="${n(by)}" width="${x1 - x0}" height="${barH}" class="track"/>`);
    if (r.value !== undefined && r.value > 0) {
      const clipped = r.value > ax.max;
      const bw = scale(r.value) - x0;
      out.push(`<rect x="${x0}" y="${n(by)}" width="${n(bw)}" height="${barH}" class="${esc(r.cls)}"/>`);
      if (clipped) {
        // a break mark: the bar continues beyond the axis
        const bx = x1 - 10;
        out.push(`<path d="M${n(bx)} ${n(by - 2)} l6 ${n(barH / 2 + 2)} l-6 ${n(barH / 2 + 2)}" class="break"/>`);
      }
    }
    for (const m of r.marks ?? []) {
      const mx = scale(m.at);
      out.push(`<line x1="${n(mx)}" y1="${n(by - 5)}" x2="${n(mx)}" y2="${n(by + barH + 5)}" class="${esc(m.cls)}"><title>${esc(m.label)}</title></line>`);
    }
    out.push(fitText(HB.textX, by + 12, 'value', r.text, w - HB.textX - 2, 7.4));
    if (r.note) out.push(fitText(HB.textX, by + 27, 'note', r.note, w - HB.textX - 2, 6.2));
    out.push('</g>');
  });
  for (const l of spec.lines ?? []) {
    if (l.at > ax.max) continue;
    const lx = scale(l.at);
    out.push(`<line x1="${n(lx)}" y1="${top - 8}" x2="${n(lx)}" y2="${plotBottom}" class="${esc(l.cls)}"/>`);
    const anchor = l.anchor ?? 'middle';
    const dx = anchor === 'end' ? -3 : anchor === 'start' ? 3 : 0;
    out.push(`<text x="${n(lx + dx)}" y="${top - 12}" text-anchor="${anchor}" class="ref">${esc(l.label)}</text>`);
  }
  out.push('</svg>');
  return out.join('');
}

export interface Series {
  label: string;
  cls: string;
  /** [x, y]; y undefined breaks the line */
  points: Array<[number, number | undefined]>;
}

export interface LineSpec {
  title: string;
  desc: string;
  xMax: number;
  yMax: number;
  xLabel: string;
  yLabel: string;
  xTick: (v: number) => string;
  yTick: (v: number) => string;
  series: Series[];
  hlines?: Array<{ at: number; label: string; cls: string }>;
  markers?: Array<{ x: number; y: number; label: string; cls: string }>;
  w?: number;
  h?: number;
  /** room on the right for end-of-line labels */
  right?: number;
}

/** A line chart over time (or days) with horizontal reference lines and labelled markers. */
export function lineChart(ids: Ids, spec: LineSpec): string {
  const w = spec.w ?? 720;
  const h = spec.h ?? 250;
  const x0 = 58;
  const x1 = w - (spec.right ?? 110);
  const y0 = 16;
  const y1 = h - 40;
  const xa = axis(spec.xMax, 6);
  const ya = axis(spec.yMax, 4);
  const sx = (v: number) => x0 + (v / xa.max) * (x1 - x0);
  const sy = (v: number) => y1 - (Math.min(v, ya.max) / ya.max) * (y1 - y0);
  const out: string[] = [svgOpen(ids, w, h, spec.title, spec.desc)];
  out.push('<g class="axis">');
  for (const t of ya.ticks) {
    out.push(`<line x1="${x0}" y1="${n(sy(t))}" x2="${x1}" y2="${n(sy(t))}" class="grid"/>`);
    out.push(`<text x="${x0 - 6}" y="${n(sy(t) + 4)}" text-anchor="end">${esc(spec.yTick(t))}</text>`);
  }
  for (const t of xa.ticks) out.push(`<text x="${n(sx(t))}" y="${y1 + 16}" text-anchor="middle">${esc(spec.xTick(t))}</text>`);
  out.push(`<line x1="${x0}" y1="${y1}" x2="${x1}" y2="${y1}" class="baseline"/>`);
  out.push(`<text x="${n((x0 + x1) / 2)}" y="${h - 6}" text-anchor="middle" class="axis-title">${esc(spec.xLabel)}</text>`);
  out.push(`<text x="12" y="${n((y0 + y1) / 2)}" text-anchor="middle" class="axis-title" transform="rotate(-90 12 ${n((y0 + y1) / 2)})">${esc(spec.yLabel)}</text>`);
  out.push('</g>');
  for (const l of spec.hlines ?? []) {
    if (l.at > ya.max) continue;
    out.push(`<line x1="${x0}" y1="${n(sy(l.at))}" x2="${x1}" y2="${n(sy(l.at))}" class="${esc(l.cls)}"/>`);
    out.push(`<text x="${x1 + 4}" y="${n(sy(l.at) + 4)}" class="ref">${esc(l.label)}</text>`);
  }
  for (const s of spec.series) {
    const segs: string[] = [];
    let pen = false;
    let last: [number, number] | undefined;
    for (const [x, y] of s.points) {
      if (y === undefined) {
        pen = false;
        continue;
      }
      segs.push(`${pen ? 'L' : 'M'}${n(sx(x))} ${n(sy(y))}`);
      pen = true;
      last = [x, y];
    }
    if (segs.length === 0) continue;
    out.push(`<path d="${segs.join(' ')}" class="line ${esc(s.cls)}"><title>${esc(s.label)}</title></path>`);
    if (s.points.length === 1 && last) out.push(`<circle cx="${n(sx(last[0]))}" cy="${n(sy(last[1]))}" r="3" class="pt ${esc(s.cls)}"/>`);
  }
  for (const m of spec.markers ?? []) {
    out.push(`<circle cx="${n(sx(m.x))}" cy="${n(sy(m.y))}" r="4.5" class="${esc(m.cls)}"/>`);
    // above and to the left of the point (to the right when near the y axis), over a white halo
    const left = sx(m.x) - x0 > 90;
    out.push(`<text x="${n(sx(m.x) + (left ? -7 : 7))}" y="${n(sy(m.y) - 7)}" text-anchor="${left ? 'end' : 'start'}" class="marker-label">${esc(m.label)}</text>`);
  }
  out.push('</svg>');
  return out.join('');
}

export interface StackSpec {
  title: string;
  desc: string;
  /** one column per x (second), layers bottom-up */
  columns: Array<{ x: number; layers: Array<{ key: string; value: number }> }>;
  /** fill per layer key (a class, or a url(#pattern)) */
  fills: Record<string, string>;
  xLabel: string;
  yLabel: string;
  hlines?: Array<{ at: number; label: string; cls: string }>;
}

/** Stacked columns per second: status codes over time. */
export function stackChart(ids: Ids, spec: StackSpec): string {
  const w = 720;
  const h = 250;
  const x0 = 58;
  const x1 = w - 110;
  const y0 = 16;
  const y1 = h - 40;
  const maxTotal = maxOf((spec.hlines ?? []).map((l) => l.at), maxOf(spec.columns.map((c) => c.layers.reduce((s, l) => s + l.value, 0)), 1));
  const ya = axis(maxTotal, 4);
  const xs = spec.columns.map((c) => c.x);
  const xMin = minOf(xs, 0);
  const xMax = maxOf(xs.map((x) => x + 1), 1);
  const colW = (x1 - x0) / (xMax - xMin);
  const sx = (v: number) => x0 + (v - xMin) * colW;
  const sy = (v: number) => y1 - (v / ya.max) * (y1 - y0);
  const out: string[] = [svgOpen(ids, w, h, spec.title, spec.desc)];
  out.push('<g class="axis">');
  for (const t of ya.ticks) {
    out.push(`<line x1="${x0}" y1="${n(sy(t))}" x2="${x1}" y2="${n(sy(t))}" class="grid"/>`);
    out.push(`<text x="${x0 - 6}" y="${n(sy(t) + 4)}" text-anchor="end">${esc(plain(t))}</text>`);
  }
  const xa = axis(xMax - xMin, 6);
  for (const t of xa.ticks) if (t <= xMax - xMin) out.push(`<text x="${n(sx(xMin + t))}" y="${y1 + 16}" text-anchor="middle">${esc(plain(xMin + t))}</text>`);
  out.push(`<line x1="${x0}" y1="${y1}" x2="${x1}" y2="${y1}" class="baseline"/>`);
  out.push(`<text x="${n((x0 + x1) / 2)}" y="${h - 6}" text-anchor="middle" class="axis-title">${esc(spec.xLabel)}</text>`);
  out.push(`<text x="12" y="${n((y0 + y1) / 2)}" text-anchor="middle" class="axis-title" transform="rotate(-90 12 ${n((y0 + y1) / 2)})">${esc(spec.yLabel)}</text>`);
  out.push('</g>');
  const gap = colW > 4 ? 1 : 0;
  for (const c of spec.columns) {
    let acc = 0;
    const parts = c.layers.filter((l) => l.value > 0);
    const tip = `second ${plain(c.x)}: ${parts.map((l) => `${l.key} ${plain(l.value)}`).join(', ') || 'no responses'}`;
    out.push(`<g class="col"><title>${esc(tip)}</title>`);
    for (const l of parts) {
      const yTop = sy(acc + l.value);
      const yBot = sy(acc);
      const fill = spec.fills[l.key] ?? 'sother';
      const attr = fill.startsWith('url(') ? `fill="${esc(fill)}"` : `class="${esc(fill)}"`;
      out.push(`<rect x="${n(sx(c.x) + gap / 2)}" y="${n(yTop)}" width="${n(Math.max(0.5, colW - gap))}" height="${n(yBot - yTop)}" ${attr} data-status="${esc(l.key)}"/>`);
      acc += l.value;
    }
    out.push('</g>');
  }
  for (const l of spec.hlines ?? []) {
    out.push(`<line x1="${x0}" y1="${n(sy(l.at))}" x2="${x1}" y2="${n(sy(l.at))}" class="${esc(l.cls)}"/>`);
    out.push(`<text x="${x1 + 4}" y="${n(sy(l.at) + 4)}" class="ref">${esc(l.label)}</text>`);
  }
  out.push('</svg>');
  return out.join('');
}

/** A small legend swatch for HTML legends (decorative: the legend text carries the meaning). */
export function swatch(kind: 'box' | 'line' | 'dash', cls: string, fill?: string): string {
  const inner =
    kind === 'box'
      ? `<rect x="1" y="1" width="16" height="12" ${fill ? `fill="${esc(fill)}"` : `class="${esc(cls)}"`}/>`
      : `<line x1="1" y1="7" x2="23" y2="7" class="${esc(cls)}"/>`;
  return `<svg class="swatch" aria-hidden="true" focusable="false" viewBox="0 0 24 14" width="24" height="14">${inner}</svg>`;
}
