import { createRequire } from 'node:module';

// loaded on first use: suggestions are only made for invalid input
let distanceFn: ((a: string, b: string) => number) | undefined;
function distance(a: string, b: string): number {
  distanceFn ??= (createRequire(import.meta.url)('fastest-levenshtein') as { distance: (a: string, b: string) => number }).distance;
  return distanceFn(a, b);
}

/** The closest candidate when it is close enough to be a plausible typo (case-insensitive). */
export function didYouMean(input: string, candidates: Iterable<string>): string | undefined {
  const lower = input.toLowerCase();
  let best: string | undefined;
  let bestD = Infinity;
  for (const c of candidates) {
    const d = c.toLowerCase() === lower ? 0 : distance(lower, c.toLowerCase());
    if (d < bestD) {
      bestD = d;
      best = c;
    }
  }
  if (best === undefined) return undefined;
  const limit = Math.max(2, Math.floor(Math.max(input.length, best.length) / 3));
  return bestD <= limit ? best : undefined;
}
