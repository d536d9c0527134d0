/**
 * Questions asked together at a terminal as one row of columns separated by "|" (Section.rows): what
 * the row offers, and how a typed row is read, column by column, each column seeing those before it.
 */
import { secretKind } from '../util/secrets.js';
import { formatPath } from '../util/paths.js';
import { type Ctx, type Question, type Section, formatTyped, labelOf, parseTyped, validateAnswer, warningOf } from './kit.js';
import type { Draft } from './types.js';

/** Several questions asked as one row of columns separated by "|" (Section.rows), at a terminal. */
export interface RowAsked {
  section: Section;
  questions: Question[];
  /** where the answers live, e.g. providers[0] */
  id: string;
  key: string;
  message: string;
  /** the column names, in order */
  labels: string[];
  /** the offered row as typed text, or undefined when nothing is offered */
  default?: string;
  /** what the default stands for, by key */
  offered: Record<string, unknown>;
  /** parses and validates a typed row: every column's answer by key (undefined: left empty), or the problem */
  parse(raw: string): { values?: Record<string, unknown>; problem?: string };
  /** warnings of valid answers (Question.warn), one per column that has one */
  warnings(values: Record<string, unknown>): string[];
}

/** What a question offers: the existing answer (--from), else for a new item the first item's (Question.fromFirst), else the suggestion. */
export function offeredFor(q: Question, section: Section, ctx: Ctx, existing: Record<string, unknown> | undefined): unknown {
  if (existing) return existing[q.key] ?? q.suggest?.(ctx);
  if (q.fromFirst && ctx.index > 0) {
    const first = (ctx.draft[section.key] as Array<Record<string, unknown>> | undefined)?.[0]?.[q.key];
    if (first !== undefined) return first;
  }
  return q.suggest?.(ctx);
}

export const keyOf = (section: Section, item: Record<string, unknown>, index: number, what: string) =>
  section.repeat ? `${section.key}[${typeof item.id === 'string' ? item.id : `#${index}`}].${what}` : `${section.key}.${what}`;

export function buildRow(section: Section, questions: Question[], draft: Draft, item: Record<string, unknown>, index: number, existing: Record<string, unknown> | undefined, message: string): RowAsked {
  const labels = questions.map(labelOf);
  const offered: Record<string, unknown> = {};
  const saved = questions.map((q) => [q.key, q.key in item, item[q.key]] as const);
  const restore = () => {
    for (const [k, had, v] of saved) {
      if (had) item[k] = v;
      else delete item[k];
    }
  };
  try {
    for (const q of questions) {
      const ctx: Ctx = { draft, item, index };
      if (q.when && !q.when(ctx)) continue;
      const d = offeredFor(q, section, ctx, existing);
      if (d === undefined) continue;
      offered[q.key] = d;
      item[q.key] = d;
    }
  } finally {
    restore();
  }
  // a row is offered whole or not at all: one that Enter would refuse (a required column empty) is no offer
  const whole = questions.every((q) => !q.required || offered[q.key] !== undefined);
  const dflt = whole && Object.keys(offered).length > 0 ? questions.map((q) => formatTyped(q, offered[q.key]) ?? '').join(' | ') : undefined;
  const path = section.repeat ? [section.key, index] : [section.key];
  return {
    section,
    questions,
    id: formatPath(path),
    key: keyOf(section, item, index, questions.map((q) => q.key).join('|')),
    message,
    labels,
    default: dflt,
    offered,
    parse(raw) {
      const cols = raw.split('|').map((c) => c.trim());
      const secret = secretKind(raw);
      if (secret && cols.length !== questions.length) return { problem: `that looks like a credential (${secret}): a manifest holds no secrets, so it cannot be an answer` };
      if (cols.length !== questions.length) {
        return { problem: `expected ${questions.length} columns separated by "|" (${labels.join(' | ')}), got ${cols.length}; leave a column empty for none` };
      }
      // columns are read in order, each seeing those before it (a price for output only once one for input is given)
      const values: Record<string, unknown> = {};
      try {
        for (const [i, q] of questions.entries()) {
          const ctx: Ctx = { draft, item, index };
          const label = labels[i];
          if (q.when && !q.when(ctx)) {
            if (cols[i] !== '') return { problem: `${label}: does not apply given the columns before it; leave it empty` };
            delete item[q.key];
            continue;
          }
          const parsed = parseTyped(q, cols[i], offered[q.key]);
          if (parsed.problem) return { problem: `${label}: ${parsed.problem}` };
          const p = validateAnswer(q, parsed.value, ctx);
          if (p) return { problem: `${label}: ${p}` };
          values[q.key] = parsed.value;
          if (parsed.value === undefined) delete item[q.key];
          else item[q.key] = parsed.value;
        }
        return { values };
      } finally {
        restore();
      }
    },
    warnings(values) {
      return questions.map((q) => warningOf(q, values[q.key], { draft, item: { ...item, ...values }, index })).filter((w): w is string => w !== undefined);
    },
  };
}

