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
  return `${plain(fraction * 100, 1)}%`;
}

// Intl formatters are costly to create: build each once (toLocaleString creates one per call).
const USD_SMALL = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const USD_LARGE = new Intl.NumberFormat('en-US', { minimumFractionDigits: 0, maximumFractionDigits: 2 });
const INT = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** US dollars: cents below $100, whole dollars (with cents only when present) above. */
export function usd(n: number): string {
  return `$${(n >= 100 ? USD_LARGE : USD_SMALL).format(n)}`;
}

export function int(n: number): string {
  return INT.format(Math.round(n));
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
