/**
 * The operator's time zone as PromQL: the zone's UTC offset as a scalar expression of time() (Prometheus
 * has no time-zone functions), from the zone rules of Node's ICU, not from the clock. Pure.
 *
 * Why a table: finding the transitions means asking ICU for the offset on every day of ZONE_YEARS
 * (~5,800 questions a zone), which was 77 ms of a 226 ms `readiness generate` start (--cpu-prof, issue
 * 18). `npm run build` asks them once for every zone ICU knows (scripts/build-zones.mjs) and writes the
 * answers to dist/zones/operator-zones.json; a start reads the one answer it needs. The table is used
 * only when it was made by the same ICU release with the same time-zone data (process.versions.icu and
 * .tz), for the same years and by this table format; otherwise, or for a name the table does not hold,
 * the zone is computed here as the build computed it, so the rules are the same bytes either way
 * (test/zone.test.ts holds the two equal).
 */
import { readFileSync } from 'node:fs';
import { fromRoot } from '../util/paths.js';
import type { OperatorZone } from './types.js';

/** Years whose offset changes (daylight saving) are written into the rules. Outside them the last offset holds. */
export const ZONE_YEARS = { from: 2025, to: 2040 } as const;

/** Bump when what computeOperatorZone writes changes: a table of another format is not used. */
export const ZONE_TABLE_FORMAT = 1;

/** Built by scripts/build-zones.mjs (npm run build). */
export const ZONE_TABLE_PATH = fromRoot('dist', 'zones', 'operator-zones.json');

export interface ZoneTable {
  format: number;
  icu: string | undefined;
  tz: string | undefined;
  years: [number, number];
  /** each distinct offset expression once (zones that change together share one) */
  exprs: string[];
  /** canonical zone name -> [offset on 1 January of ZONE_YEARS.from in seconds, index into exprs] */
  zones: Record<string, [number, number]>;
}

/** What a table must have been made for to be used by this Node. */
export function zoneTableKey(): Pick<ZoneTable, 'format' | 'icu' | 'tz' | 'years'> {
  return { format: ZONE_TABLE_FORMAT, icu: process.versions.icu, tz: process.versions.tz, years: [ZONE_YEARS.from, ZONE_YEARS.to] };
}

function usable(t: unknown): t is ZoneTable {
  if (!t || typeof t !== 'object') return false;
  const x = t as ZoneTable;
  const k = zoneTableKey();
  return x.format === k.format && x.icu === k.icu && x.tz === k.tz && Array.isArray(x.years) && x.years[0] === k.years[0] && x.years[1] === k.years[1] && Array.isArray(x.exprs) && !!x.zones && typeof x.zones === 'object';
}

let loaded: ZoneTable | null | undefined;

/** The build's table when it is valid for this Node, else undefined (read once per process). */
export function builtZoneTable(file = ZONE_TABLE_PATH): ZoneTable | undefined {
  if (file !== ZONE_TABLE_PATH) return readTable(file) ?? undefined;
  if (loaded === undefined) loaded = readTable(file);
  return loaded ?? undefined;
}

function readTable(file: string): ZoneTable | null {
  try {
    const t: unknown = JSON.parse(readFileSync(file, 'utf8'));
    return usable(t) ? t : null;
  } catch {
    return null; // no table (not built, or damaged): compute
  }
}

/** The zone's UTC offset at `ms` from a formatter's text, e.g. "1/1/2025, GMT+05:30" (GMT alone: 0). */
function offsetAt(fmt: Intl.DateTimeFormat, ms: number): number {
  // format() and not formatToParts(): the same timeZoneName text, a quarter of the time (no parts array)
  const m = /GMT(?:([+-])(\d{1,2})(?::(\d{2}))?)?$/.exec(fmt.format(ms));
  if (!m || !m[1]) return 0;
  return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 3600 + Number(m[3] ?? 0) * 60);
}

const UTC = (name: string | undefined): OperatorZone => ({ name: name ?? 'UTC', baseOffsetSeconds: 0, offsetExpr: '0' });
const unknownZone = (name: string): OperatorZone => ({
  name: 'UTC',
  baseOffsetSeconds: 0,
  offsetExpr: '0',
  note: `operator.timezone ${JSON.stringify(name)} is not a known IANA time zone: days are counted in UTC`,
});

function formatterFor(name: string): Intl.DateTimeFormat | undefined {
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: name, timeZoneName: 'longOffset' });
  } catch {
    return undefined;
  }
}

/**
 * The zone's offset on 1 January of ZONE_YEARS.from, plus one step per transition up to ZONE_YEARS.to,
 * found by asking ICU for the offset on every day and bisecting a change to the minute. What the table holds.
 */
export function computeOperatorZone(name: string | undefined): OperatorZone {
  if (!name || name === 'UTC' || name === 'Etc/UTC') return UTC(name);
  const fmt = formatterFor(name);
  if (!fmt) return unknownZone(name);
  return computeWith(name, fmt);
}

function computeWith(name: string, fmt: Intl.DateTimeFormat): OperatorZone {
  const start = Date.UTC(ZONE_YEARS.from, 0, 1);
  const end = Date.UTC(ZONE_YEARS.to + 1, 0, 1);
  const base = offsetAt(fmt, start);
  const steps: Array<{ at: number; delta: number }> = [];
  let prev = base;
  const DAY = 86_400_000;
  for (let t = start + DAY; t <= end; t += DAY) {
    const o = offsetAt(fmt, t);
    if (o === prev) continue;
    // bisect to the minute within the day
    let lo = t - DAY;
    let hi = t;
    while (hi - lo > 60_000) {
      const mid = lo + Math.floor((hi - lo) / 120_000) * 60_000;
      if (offsetAt(fmt, mid) === prev) lo = mid;
      else hi = mid;
    }
    steps.push({ at: hi / 1000, delta: o - prev });
    prev = o;
  }
  const terms = [String(base), ...steps.map((s) => `${s.delta} * (time() >= bool ${s.at})`)];
  return { name, baseOffsetSeconds: base, offsetExpr: steps.length === 0 && base === 0 ? '0' : terms.join(' + ') };
}

const fromTable = (name: string, t: ZoneTable, canonical: string): OperatorZone | undefined => {
  if (!Object.hasOwn(t.zones, canonical)) return undefined;
  const [base, i] = t.zones[canonical];
  const offsetExpr = t.exprs[i];
  return typeof offsetExpr === 'string' ? { name, baseOffsetSeconds: base, offsetExpr } : undefined;
};

const memo = new Map<string, OperatorZone>();

/**
 * The operator's zone (operator.timezone; UTC when unset, UTC with a note when ICU does not know it):
 * from the build's table when it holds the zone (by its name, or by the canonical name ICU resolves an
 * alias or another spelling to: the same zone rules), else computed. Remembered per name for the process.
 */
export function operatorZone(name: string | undefined, table: ZoneTable | undefined = builtZoneTable()): OperatorZone {
  if (!name || name === 'UTC' || name === 'Etc/UTC') return UTC(name);
  const key = table === builtZoneTable() ? name : undefined; // memoise only against the build's table
  const hit = key !== undefined ? memo.get(key) : undefined;
  if (hit) return { ...hit };
  let zone = table ? fromTable(name, table, name) : undefined;
  if (!zone) {
    const fmt = formatterFor(name);
    if (!fmt) zone = unknownZone(name);
    else zone = (table && fromTable(name, table, fmt.resolvedOptions().timeZone)) || computeWith(name, fmt);
  }
  if (key !== undefined) memo.set(key, zone);
  return { ...zone };
}

/** Build step: every zone ICU knows, computed; zones that change together share one expression. */
export function buildZoneTable(names: readonly string[] = Intl.supportedValuesOf('timeZone')): ZoneTable {
  const exprs: string[] = [];
  const index = new Map<string, number>();
  const zones: Record<string, [number, number]> = {};
  for (const name of [...names].sort()) {
    const z = computeOperatorZone(name);
    if (z.note) continue; // ICU lists it but will not format it: left to the run-time path
    let i = index.get(z.offsetExpr);
    if (i === undefined) {
      i = exprs.push(z.offsetExpr) - 1;
      index.set(z.offsetExpr, i);
    }
    zones[name] = [z.baseOffsetSeconds, i];
  }
  return { ...zoneTableKey(), exprs, zones };
}
