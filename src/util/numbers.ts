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

export function usd(n: number): string {
  return `$${n.toLocaleString('en-US', { minimumFractionDigits: n >= 100 ? 0 : 2, maximumFractionDigits: 2 })}`;
}

export function int(n: number): string {
  return Math.round(n).toLocaleString('en-US');
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
