/**
 * Numbers printed plainly and deterministically: never 0.7000000000000001.
 * Rounds to `digits` significant decimals and strips trailing zeros.
 */
export function plain(n: number, digits = 6): string {
  if (!Number.isFinite(n)) return String(n);
  const r = Number(n.toFixed(digits));
  if (Object.is(r, -0)) return '0';
  // toString of a number rounded to <= 6 decimals never uses exponent form below 1e21
  return String(r);
}

/** A fraction as a percentage with one decimal where needed: 0.55 -> "55%", 0.8333 -> "83.3%". */
export function pct(fraction: number): string {
  // round on the decimal form: 0.6375 must read 63.8%, as 0.6375 x 100 = 63.74999... in binary
  const shifted = Number(`${fraction}e3`);
  return `${plain(Number.isFinite(shifted) ? Math.round(shifted) / 10 : fraction * 100, 1)}%`;
}

// Thousands separators by hand: the first Intl.NumberFormat of a process costs ~19 ms of ICU start-up
// (measured with --cpu-prof), more than the checks themselves.
function group(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/**
 * The whole part of a non-negative finite number as decimal digits, however large: toFixed and
 * String switch to exponent form from 1e21 ("1e+21"), which grouping would mangle. Every double that
 * large is an integer, so BigInt holds it exactly.
 */
function wholeDigits(a: number): string {
  return a < 1e21 ? a.toFixed(0) : BigInt(Math.trunc(a)).toString();
}

/**
 * US dollars: cents below $100, whole dollars (with cents only when present) above. "$1,687.5" style.
 * Figures a manifest can produce within its schema bounds reach 1e27 and, divided by a tiny fraction,
 * Infinity: both print, neither throws.
 */
export function usd(n: number): string {
  if (Number.isNaN(n)) return '$NaN';
  const sign = n < 0 ? '-' : '';
  if (!Number.isFinite(n)) return 'an unbounded amount';
  if (Math.abs(n) >= 1e15) return `${sign}$${group(wholeDigits(Math.round(Math.abs(n))))}`;
  // round on the decimal form ("1.005e2"), as Intl does, not on the binary double (100.49999...)
  const shifted = Number(`${Math.abs(n)}e2`);
  const a = Number.isFinite(shifted) ? Math.round(shifted) / 100 : Math.abs(n);
  const fixed = a.toFixed(2);
  const [whole, cents] = fixed.split('.');
  if (Math.abs(n) >= 100) {
    const trimmed = cents.replace(/0+$/, '');
    return `${sign}$${group(whole)}${trimmed ? `.${trimmed}` : ''}`;
  }
  return `${sign}$${group(whole)}.${cents}`;
}

export function int(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  const r = Math.round(n);
  return `${r < 0 ? '-' : ''}${group(wholeDigits(Math.abs(r)))}`;
}

/** Compare with a relative tolerance so that 0.6 computed as 1200*2200/4400000 counts as exactly 0.6. */
const EPS = 1e-9;
export function le(a: number, b: number): boolean {
  return a <= b + EPS * Math.max(1, Math.abs(b));
}
export function ge(a: number, b: number): boolean {
  return a >= b - EPS * Math.max(1, Math.abs(b));
}
export function gt(a: number, b: number): boolean {
  return !le(a, b);
}

/**
 * The largest of `floor` and every value, in one pass: `Math.max(...xs)` passes every element as an
 * argument and throws RangeError past V8's argument limit (about 120,000 on Node 20; a 50,000-tenant
 * budget chart with two marks per tenant crossed it).
 */
export function maxOf(values: Iterable<number>, floor = -Infinity): number {
  let m = floor;
  for (const v of values) if (v > m) m = v;
  return m;
}

/** The smallest of `ceiling` and every value, in one pass (see maxOf). */
export function minOf(values: Iterable<number>, ceiling = Infinity): number {
  let m = ceiling;
  for (const v of values) if (v < m) m = v;
  return m;
}
