import { UsageError } from '../util/errors.js';

const BLOCK_MS = 15 * 60_000;
const DAY_MS = 86_400_000;

/**
 * Local time in one IANA zone, through Intl (DST correct). Every zone in use changes its offset on a
 * quarter-hour boundary, so the offset is computed once per UTC quarter hour and cached: one Intl call
 * per 15 minutes of log, not per record.
 */
export class LocalClock {
  readonly zone: string;
  private readonly fmt: Intl.DateTimeFormat;
  private readonly cache = new Map<number, number>();
  private lastBlock = Number.NaN;
  private lastOffset = 0;

  constructor(zone: string) {
    this.zone = zone;
    try {
      this.fmt = new Intl.DateTimeFormat('en-US', {
        timeZone: zone,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
      });
    } catch {
      throw new UsageError(`unknown time zone "${zone}": give an IANA name such as Europe/Berlin or America/New_York`);
    }
  }

  /** The zone's offset from UTC at `ms`, in milliseconds (local = utc + offset). */
  offsetMs(ms: number): number {
    const block = Math.floor(ms / BLOCK_MS);
    if (block === this.lastBlock) return this.lastOffset;
    let off = this.cache.get(block);
    if (off === undefined) {
      const at = block * BLOCK_MS;
      const p: Record<string, number> = {};
      for (const part of this.fmt.formatToParts(at)) if (part.type !== 'literal') p[part.type] = Number(part.value);
      off = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - at;
      this.cache.set(block, off);
    }
    this.lastBlock = block;
    this.lastOffset = off;
    return off;
  }

  /** Local wall-clock milliseconds: a UTC-based number whose getUTC* fields read the local time. */
  local(ms: number): number {
    return ms + this.offsetMs(ms);
  }

  /** The UTC instant of the local midnight that starts local day `day` (days since 1970-01-01, local). */
  midnight(day: number): number {
    const wall = day * DAY_MS;
    // the offset at the instant itself: try the offset of the wall time read as UTC, then correct once
    let guess = wall - this.offsetMs(wall);
    guess = wall - this.offsetMs(guess);
    return guess;
  }
}

export const localDay = (localMs: number): number => Math.floor(localMs / DAY_MS);
export const isoDay = (day: number): string => new Date(day * DAY_MS).toISOString().slice(0, 10);
export { DAY_MS };
