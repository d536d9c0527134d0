/** Minutes a dense counter covers before it turns into a Map (two years): a stray record decades off cannot cost gigabytes. */
const DENSE_LIMIT = 2 * 366 * 1440;

/**
 * Counts per clock minute (minutes since the epoch). Dense (a typed array over the span seen so far, grown
 * at either end) while the span is at most two years, which is what a log covers; a Map beyond that.
 * Memory is bounded by the span in minutes, never by the number of records.
 */
export class MinuteCounts {
  private base = 0;
  private dense: Float64Array | undefined;
  private sparse: Map<number, number> | undefined;

  add(minute: number, n: number): void {
    if (this.sparse) {
      this.sparse.set(minute, (this.sparse.get(minute) ?? 0) + n);
      return;
    }
    if (!this.dense) {
      this.base = minute;
      this.dense = new Float64Array(1440);
    }
    let i = minute - this.base;
    if (i < 0 || i >= this.dense.length) {
      if (!this.grow(minute)) {
        this.add(minute, n);
        return;
      }
      i = minute - this.base;
    }
    this.dense[i] += n;
  }

  private grow(minute: number): boolean {
    const d = this.dense as Float64Array;
    const lo = Math.min(this.base, minute);
    const hi = Math.max(this.base + d.length, minute + 1);
    if (hi - lo > DENSE_LIMIT) {
      this.sparse = new Map();
      for (let i = 0; i < d.length; i++) if (d[i] !== 0) this.sparse.set(this.base + i, d[i]);
      this.dense = undefined;
      return false;
    }
    // room to grow on the side that grew, so that a log read in order doubles rarely
    const size = Math.min(DENSE_LIMIT, Math.max(hi - lo, 2 * d.length));
    const newLo = minute < this.base ? hi - size : lo;
    const next = new Float64Array(size);
    next.set(d, this.base - newLo);
    this.base = newLo;
    this.dense = next;
    return true;
  }

  get(minute: number): number {
    if (this.sparse) return this.sparse.get(minute) ?? 0;
    if (!this.dense) return 0;
    const i = minute - this.base;
    return i >= 0 && i < this.dense.length ? this.dense[i] : 0;
  }

  /** The largest count and its minute, the earliest on a tie; {0, null} when empty. */
  peak(): { value: number; at: number | null } {
    let value = 0;
    let at: number | null = null;
    if (this.dense) {
      const d = this.dense;
      for (let i = 0; i < d.length; i++) {
        if (d[i] > value) {
          value = d[i];
          at = this.base + i;
        }
      }
    } else if (this.sparse) {
      for (const [m, v] of this.sparse) {
        if (v > value || (v === value && at !== null && m < at)) {
          value = v;
          at = m;
        }
      }
    }
    return { value, at };
  }
}
