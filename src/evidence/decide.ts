import type { DecidedBy, EvidenceSet, FigureId, Observation, ObservedValue } from './types.js';

/** Every observation of one figure (for one subject), with the set it came from, in the order given. */
export function observations(
  evidence: readonly EvidenceSet[],
  figure: FigureId,
  subject?: string,
): Array<{ observation: Observation; set: EvidenceSet }> {
  const out: Array<{ observation: Observation; set: EvidenceSet }> = [];
  for (const set of evidence) {
    for (const o of set.observations) {
      if (o.figure === figure && (subject === undefined || o.subject === subject)) out.push({ observation: o, set });
    }
  }
  return out;
}

export function decidedBy(set: EvidenceSet, o: Observation): DecidedBy {
  const d: DecidedBy = { ...set.origin };
  if (o.line !== undefined) d.line = o.line;
  if (o.column !== undefined) d.column = o.column;
  if (o.note !== undefined) d.note = o.note;
  return d;
}

export interface Decision<T extends ObservedValue> {
  /** the value the verdict rests on */
  value: T | undefined;
  /** the manifest's value */
  declared: T | undefined;
  /** undefined when the declared value decided (or nothing was known) */
  decidedBy?: DecidedBy;
  /** every observed value, for the report's "declared X, measured Y" */
  observed: Array<{ value: T; by: DecidedBy }>;
}

/**
 * The figure a verdict rests on: the declared value or an observed one, whichever `pick` prefers.
 * `pick(a, b)` returns true when `b` should replace `a` (for a peak: b > a; for a limit: b < a).
 * Ties keep the declared value. Pure.
 */
export function decide<T extends ObservedValue>(
  evidence: readonly EvidenceSet[],
  figure: FigureId,
  declared: T | undefined,
  pick: (current: T, candidate: T) => boolean,
  subject?: string,
): Decision<T> {
  const observed = observations(evidence, figure, subject).map(({ observation, set }) => ({
    value: observation.value as T,
    by: decidedBy(set, observation),
  }));
  let value = declared;
  let by: DecidedBy | undefined;
  for (const o of observed) {
    if (value === undefined || pick(value, o.value)) {
      value = o.value;
      by = o.by;
    }
  }
  const d: Decision<T> = { value, declared, observed };
  if (by) d.decidedBy = by;
  return d;
}

/** The larger wins: peaks, tokens per request, spend. */
export const larger = (a: number, b: number): boolean => b > a;
/** The smaller wins: limits, budgets, capacities. */
export const smaller = (a: number, b: number): boolean => b < a;

/** "measured from usage log a.jsonl over 14 days" style phrase for a finding's message. */
export function describeOrigin(by: DecidedBy): string {
  const where = by.file ? `${by.file}${by.line !== undefined ? `:${by.line}${by.column !== undefined ? `:${by.column}` : ''}` : ''}` : '';
  return where && !by.description.includes(where) ? `${by.description} (${where})` : by.description;
}
