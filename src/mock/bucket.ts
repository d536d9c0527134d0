/**
 * A token bucket on a caller-supplied monotonic clock (milliseconds).
 * Capacity `capacity`, refilled continuously at `perMs` units per millisecond.
 */
export class TokenBucket {
  private level: number;
  private last: number;

  constructor(
    readonly capacity: number,
    readonly perMs: number,
    now: number,
  ) {
    this.level = capacity;
    this.last = now;
  }

  private refill(now: number): void {
    if (now > this.last) {
      this.level = Math.min(this.capacity, this.level + (now - this.last) * this.perMs);
      this.last = now;
    }
  }

  /** Units available now (fractional). */
  available(now: number): number {
    this.refill(now);
    return this.level;
  }

  /** Milliseconds until `n` units are available (0 when they are). */
  waitMs(n: number, now: number): number {
    this.refill(now);
    if (this.level >= n) return 0;
    return (n - this.level) / this.perMs;
  }

  /** Milliseconds until the bucket is full again. */
  fullInMs(now: number): number {
    this.refill(now);
    return (this.capacity - this.level) / this.perMs;
  }

  take(n: number, now: number): boolean {
    this.refill(now);
    if (this.level + 1e-9 < n) return false;
    this.level -= n;
    return true;
  }
}

/** A per-minute limit metered over a shorter window: capacity = limit x windowSeconds / 60, refilled at limit per minute. */
export function perMinuteBucket(limitPerMinute: number, windowSeconds: number, now: number): TokenBucket {
  const capacity = Math.max(1, (limitPerMinute * windowSeconds) / 60);
  return new TokenBucket(capacity, limitPerMinute / 60_000, now);
}

/** mulberry32: a small seeded PRNG, so latency and faults are reproducible in tests. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
