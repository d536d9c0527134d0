import type { BusinessHours } from '../manifest/types.js';
import type { Weekday } from './types.js';

const DAYS: Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
const HHMM = /^([01][0-9]|2[0-3]):[0-5][0-9]$/;

/**
 * "mon-fri 09:00-18:00", "mon,tue,thu 08:30-17:00", "mon-sat 07:00-24:00": days (a range or a list) and
 * hours, start inclusive, end exclusive. Returns the manifest's operator.businessHours, or why not.
 */
export function parseBusinessHours(text: string): BusinessHours | string {
  const m = /^\s*([a-z,\-]+)\s+(\d{2}:\d{2})-(\d{2}:\d{2})\s*$/i.exec(text);
  if (!m) return `business hours as DAYS HH:MM-HH:MM, e.g. mon-fri 09:00-18:00 (got "${text.slice(0, 40)}")`;
  const days: Weekday[] = [];
  for (const part of m[1].toLowerCase().split(',')) {
    const [a, b] = part.split('-');
    const i = DAYS.indexOf(a as Weekday);
    const j = b === undefined ? i : DAYS.indexOf(b as Weekday);
    if (i < 0 || j < 0 || j < i) return `unknown day range "${part}": use mon, tue, wed, thu, fri, sat, sun, a range such as mon-fri, or a list such as mon,wed`;
    for (let k = i; k <= j; k++) if (!days.includes(DAYS[k])) days.push(DAYS[k]);
  }
  const [start, end] = [m[2], m[3]];
  if (!HHMM.test(start) || !(HHMM.test(end) || end === '24:00')) return `hours must be HH:MM (00:00 to 23:59; 24:00 for an end at midnight), got ${start}-${end}`;
  if (end !== '24:00' && end <= start) return `business hours end (${end}) must be after they start (${start}) on the same day`;
  return { days: DAYS.filter((d) => days.includes(d)), start, end };
}

/** The manifest's business hours as the question's answer: "mon-fri 09:00-18:00". */
export function formatBusinessHours(b: BusinessHours | undefined): string | undefined {
  if (!b) return undefined;
  const days = b.days ?? ['mon', 'tue', 'wed', 'thu', 'fri'];
  const idx = days.map((d) => DAYS.indexOf(d)).sort((x, y) => x - y);
  const contiguous = idx.every((v, i) => i === 0 || v === idx[i - 1] + 1);
  const d = contiguous && idx.length > 1 ? `${DAYS[idx[0]]}-${DAYS[idx[idx.length - 1]]}` : idx.map((i) => DAYS[i]).join(',');
  return `${d} ${b.start ?? '09:00'}-${b.end ?? '18:00'}`;
}
