/**
 * How many checks, report formats and alert kinds there are, from their catalogues: the one source
 * for every count written in help text and docs (test/counts.test.ts holds README.md and docs/ to it).
 */
import { CHECKS } from '../checks/catalogue.js';
import { ALERTS } from '../generate/prometheus.js';
import { formatNames } from './formats.js';

export interface CatalogueCounts {
  checks: number;
  formats: number;
  alerts: number;
}

export function catalogueCounts(): CatalogueCounts {
  return { checks: CHECKS.length, formats: formatNames().length, alerts: Object.keys(ALERTS).length };
}

const WORDS = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'eleven', 'twelve'];

/** A count as prose writes it: a word up to twelve, digits beyond. */
export function countWord(n: number): string {
  return WORDS[n] ?? String(n);
}

/** The number a count word or digits stand for (case-insensitive), or undefined. */
export function parseCountWord(word: string): number | undefined {
  const i = WORDS.indexOf(word.toLowerCase());
  if (i >= 0) return i;
  return /^\d+$/.test(word) ? Number(word) : undefined;
}
