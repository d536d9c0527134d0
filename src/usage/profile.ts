import { DEFAULTS } from '../manifest/model.js';
import { MinuteCounts } from './minutes.js';
import { DAY_MS, isoDay, type LocalClock } from './tz.js';
import { type BusinessHours, type PriceBook, type TenantUsage, type UsageProfile, type UsageRecord, WEEKDAY_INDEX } from './types.js';

/** A tenant carrying at least this share of the cost (of requests, when unpriced) is "heavy". */
export const HEAVY_SHARE = 0.25;
/** A heavy tenant with more than this share of its requests outside business hours is an off-hours batch. */
export const OFF_HOURS_PATTERN_SHARE = 0.5;
/** Hours carrying at least this fraction of the peak hour's requests, next to it, make the peak window. */
export const PEAK_WINDOW_FRACTION = 0.5;

const round = (n: number, digits = 6): number => {
  const r = Number(n.toFixed(digits));
  return Object.is(r, -0) ? 0 : r;
};
const minuteIso = (minute: number): string => `${new Date(minute * 60_000).toISOString().slice(0, 16)}:00Z`;
const hhmm = (s: string): number => Number(s.slice(0, 2)) * 60 + Number(s.slice(3, 5));
const pad = (n: number) => String(n).padStart(2, '0');

interface Counter {
  /** the minute being counted and its count so far: logs come mostly in time order, so most records
   *  touch no Map (flushed into `minutes` when the minute changes, and before reading) */
  curMinute: number;
  curCount: number;
  requests: number;
  cost: number;
  priced: number;
  offHours: number;
  minutes: MinuteCounts;
  hourly: number[];
}
const counter = (): Counter => ({ curMinute: Number.NaN, curCount: 0, requests: 0, cost: 0, priced: 0, offHours: 0, minutes: new MinuteCounts(), hourly: new Array(24).fill(0) });

function flush(c: Counter): void {
  if (c.curCount > 0) c.minutes.add(c.curMinute, c.curCount);
  c.curCount = 0;
  c.curMinute = Number.NaN;
}

const peakOf = (m: MinuteCounts) => m.peak();

/** The contiguous local hours around the peak hour that carry at least PEAK_WINDOW_FRACTION of its requests. */
export function peakWindowOf(hourly: readonly number[]): { hour: number; window: string } {
  let hour = 0;
  for (let h = 1; h < 24; h++) if (hourly[h] > hourly[hour]) hour = h;
  const floor = hourly[hour] * PEAK_WINDOW_FRACTION;
  let start = hour;
  let len = 1;
  while (len < 24 && hourly[(start + 23) % 24] >= floor && hourly[(start + 23) % 24] > 0) {
    start = (start + 23) % 24;
    len++;
  }
  while (len < 24 && hourly[(start + len) % 24] >= floor && hourly[(start + len) % 24] > 0) len++;
  return { hour, window: `${pad(start)}:00-${pad((start + len) % 24)}:00` };
}

export interface BuilderOptions {
  clock: LocalClock;
  businessHours: BusinessHours;
  /** prices by model (the manifest's providers); `fallback` prices a model not listed (the primary) */
  prices?: PriceBook;
  fallbackPrice?: { inputPerMTok: number; outputPerMTok: number };
  /** the manifest tenant a log tenant belongs to (by id or team); absent without a manifest */
  declaredTenant?: (logTenant: string) => string | null;
}

/**
 * The streaming profile builder: constant memory in the number of records. It keeps per-minute counts
 * (bounded by the span in minutes: 20,160 for two weeks, 44,640 for a month) for the peaks and the peak
 * day, 24 hourly counters, and the same per tenant.
 */
export class ProfileBuilder {
  private requests = 0;
  private untagged = 0;
  private input = 0;
  private output = 0;
  private first = Infinity;
  private last = -Infinity;
  private readonly all = counter();
  private readonly tokMinutes = new MinuteCounts();
  private readonly tenants = new Map<string, Counter>();
  private fromLog = 0;
  private fromManifest = 0;
  private unpriced = 0;
  private zeroSpendPriced = 0;
  private readonly bhDays: boolean[];
  private readonly bhStart: number;
  private readonly bhEnd: number;

  constructor(private readonly opts: BuilderOptions) {
    this.bhDays = new Array(7).fill(false);
    for (const d of opts.businessHours.days) this.bhDays[WEEKDAY_INDEX[d]] = true;
    this.bhStart = hhmm(opts.businessHours.start);
    this.bhEnd = hhmm(opts.businessHours.end);
  }

  get count(): number {
    return this.requests;
  }

  add(r: UsageRecord): void {
    this.requests++;
    if (r.ts < this.first) this.first = r.ts;
    if (r.ts > this.last) this.last = r.ts;
    this.input += r.inputTokens;
    this.output += r.outputTokens;
    const minute = Math.floor(r.ts / 60_000);
    const local = this.opts.clock.local(r.ts);
    const day = Math.floor(local / DAY_MS);
    const minuteOfDay = Math.floor((local - day * DAY_MS) / 60_000);
    const hour = (minuteOfDay / 60) | 0;
    const weekday = (((day + 4) % 7) + 7) % 7;
    const off = !(this.bhDays[weekday] && minuteOfDay >= this.bhStart && minuteOfDay < this.bhEnd);
    let cost = 0;
    let priced = true;
    if (r.costUsd !== null && !(r.costUsd === 0 && r.zeroMeansUnpriced)) {
      cost = r.costUsd;
      this.fromLog++;
    } else {
      const p = (r.model !== null ? this.opts.prices?.get(r.model) : undefined) ?? this.opts.fallbackPrice;
      if (p) {
        cost = (r.inputTokens * p.inputPerMTok + r.outputTokens * p.outputPerMTok) / 1_000_000;
        this.fromManifest++;
        if (r.costUsd === 0) this.zeroSpendPriced++;
      } else {
        priced = false;
        this.unpriced++;
      }
    }
    this.bump(this.all, minute, hour, off, cost, priced);
    if (minute === this.tokMinute) this.tokCount += r.inputTokens + r.outputTokens;
    else {
      this.flushTokens();
      this.tokMinute = minute;
      this.tokCount = r.inputTokens + r.outputTokens;
    }
    if (r.tenant === null || r.tenant === '') {
      this.untagged++;
      return;
    }
    let t = this.tenants.get(r.tenant);
    if (!t) {
      t = counter();
      this.tenants.set(r.tenant, t);
    }
    this.bump(t, minute, hour, off, cost, priced);
  }

  private tokMinute = Number.NaN;
  private tokCount = 0;
  private flushTokens(): void {
    if (!Number.isNaN(this.tokMinute)) this.tokMinutes.add(this.tokMinute, this.tokCount);
    this.tokMinute = Number.NaN;
    this.tokCount = 0;
  }

  private bump(c: Counter, minute: number, hour: number, off: boolean, cost: number, priced: boolean): void {
    c.requests++;
    if (minute === c.curMinute) c.curCount++;
    else {
      flush(c);
      c.curMinute = minute;
      c.curCount = 1;
    }
    c.hourly[hour]++;
    if (off) c.offHours++;
    if (priced) {
      c.cost += cost;
      c.priced++;
    }
  }

  /** The profile; `files` as read. Call once, with at least one record. */
  result(files: UsageProfile['files'], skipped: number): UsageProfile {
    const clock = this.opts.clock;
    flush(this.all);
    for (const c of this.tenants.values()) flush(c);
    this.flushTokens();
    const firstDay = Math.floor(clock.local(this.first) / DAY_MS);
    const lastDay = Math.floor(clock.local(this.last) / DAY_MS);
    const days = lastDay - firstDay + 1;
    const averageRpm = this.requests / (days * 1440);
    const peak = peakOf(this.all.minutes);
    const peakT = peakOf(this.tokMinutes);
    const { hour, window } = peakWindowOf(this.all.hourly);
    const totalCost = this.all.priced > 0 ? this.all.cost : null;
    const peakLocalDay = peak.at !== null ? Math.floor(clock.local(peak.at * 60_000) / DAY_MS) : firstDay;
    const from = clock.midnight(peakLocalDay);
    const to = clock.midnight(peakLocalDay + 1);
    const fromMinute = Math.floor(from / 60_000);
    const minutes = Array.from({ length: Math.round((to - from) / 60_000) }, (_, i) => this.all.minutes.get(fromMinute + i));
    const tenants: TenantUsage[] = [...this.tenants.entries()]
      .map(([id, c]) => {
        const costUsd = c.priced > 0 ? round(c.cost) : null;
        const costShare = costUsd !== null && totalCost !== null && totalCost > 0 ? round(c.cost / totalCost) : null;
        const dailySpendUsd = costUsd !== null ? round(c.cost / days) : null;
        const offHoursShare = round(c.offHours / c.requests);
        const share = round(c.requests / this.requests);
        const heavy = (costShare ?? share) >= HEAVY_SHARE;
        const t: TenantUsage = {
          id,
          requests: c.requests,
          share,
          costUsd,
          costShare,
          peakRpm: peakOf(c.minutes).value,
          dailyRequests: round(c.requests / days),
          dailySpendUsd,
          monthlyProjectionUsd: dailySpendUsd !== null ? round((c.cost / days) * DEFAULTS.daysPerMonth) : null,
          offHoursShare,
          hourly: c.hourly,
          pattern: heavy && offHoursShare > OFF_HOURS_PATTERN_SHARE ? 'off-hours batch' : null,
        };
        if (this.opts.declaredTenant) t.declared = this.opts.declaredTenant(id);
        return t;
      })
      .sort((a, b) => b.requests - a.requests || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    return {
      kind: 'readiness-usage',
      version: 1,
      files,
      timezone: clock.zone,
      businessHours: this.opts.businessHours,
      requests: this.requests,
      skipped,
      untagged: this.untagged,
      untaggedShare: round(this.untagged / this.requests),
      span: { from: new Date(this.first).toISOString(), to: new Date(this.last).toISOString(), firstDay: isoDay(firstDay), lastDay: isoDay(lastDay), days },
      averageRpm: round(averageRpm),
      peakRpm: { value: peak.value, at: peak.at !== null ? minuteIso(peak.at) : null },
      peakTpm: { value: peakT.value, at: peakT.at !== null ? minuteIso(peakT.at) : null },
      peakToAverage: round(peak.value / averageRpm),
      peakHourLocal: hour,
      peakWindow: window,
      tokensPerRequest: { input: round(this.input / this.requests), output: round(this.output / this.requests) },
      costUsd: totalCost !== null ? round(totalCost) : null,
      cost: { fromLog: this.fromLog, fromManifest: this.fromManifest, unpriced: this.unpriced, zeroSpendPriced: this.zeroSpendPriced },
      hourly: this.all.hourly,
      peakDay: { date: isoDay(peakLocalDay), from: new Date(from).toISOString(), minutes },
      tenants,
    };
  }
}
