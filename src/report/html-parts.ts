/**
 * Small HTML builders every section of the go-live page shares: the status badge, data tables,
 * figures and legends. Pure string builders; every text passes through esc().
 */
import type { Status } from '../checks/types.js';
import { int, plain } from '../util/numbers.js';
import { esc } from './html-svg.js';

export const LABEL: Record<Status, string> = { pass: 'PASS', warn: 'WARN', fail: 'FAIL' };

/** A status icon (shape differs per status) followed by the word: colour is never the only carrier. */
export function badge(s: Status, word: string = LABEL[s]): string {
  const shape =
    s === 'pass'
      ? '<circle cx="8" cy="8" r="7"/><path d="M4.5 8.3l2.3 2.3 4.7-5" class="glyph"/>'
      : s === 'warn'
        ? '<path d="M8 1.2l7 13H1z"/><path d="M8 5.6v4.2M8 11.6v.8" class="glyph"/>'
        : '<path d="M5.1 1h5.8L15 5.1v5.8L10.9 15H5.1L1 10.9V5.1z"/><path d="M5.3 5.3l5.4 5.4M10.7 5.3l-5.4 5.4" class="glyph"/>';
  return `<span class="badge ${s}"><svg class="icon" aria-hidden="true" focusable="false" viewBox="0 0 16 16" width="16" height="16">${shape}</svg>${esc(word)}</span>`;
}


export function table(caption: string, head: string[], rows: string[][], cls = 'data'): string {
  const th = head.map((h) => `<th scope="col">${h}</th>`).join('');
  const body = rows.map((r) => `<tr>${r.map((c, i) => (i === 0 ? `<th scope="row">${c}</th>` : `<td>${c}</td>`)).join('')}</tr>`).join('\n');
  return `<table class="${cls}"><caption>${caption}</caption><thead><tr>${th}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}

export function figure(svg: string, caption: string, legend = ''): string {
  return `<figure>${svg}${legend ? `<div class="legend">${legend}</div>` : ''}<figcaption>${caption}</figcaption></figure>`;
}

export function legendItem(sw: string, text: string): string {
  return `<span class="legend-item">${sw}${esc(text)}</span>`;
}

/** Whole numbers with thousands separators, fractions plainly. */
export const num = (x: number) => (Number.isInteger(x) ? int(x) : plain(x));
