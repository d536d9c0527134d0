/**
 * The review screen of an interactive `readiness init`: once every question is answered, every
 * answer is shown with what it means (the consequence figures, recomputed on the final answers), and
 * any one can be changed before anything is written. Changing one walks the questionnaire again,
 * keeping every other answer as given and asking only the changed one and those it brings in (or
 * makes invalid), then shows the review again.
 */
import { type Question, type Section, formatTyped, labelOf } from './kit.js';
import { QUESTIONNAIRE } from './questions.js';
import { type AnswerSource, type Asked, type RowAsked, runQuestionnaire } from './session.js';
import type { Answers, Defaults } from './types.js';

export interface ReviewChoice {
  value: string;
  name: string;
}

/** A source at a terminal: rows, and the review screen with its choice (the key of an answer, or "write"). */
export interface ReviewSource extends AnswerSource {
  row(r: RowAsked): Promise<Record<string, unknown>>;
  review(lines: string[], choices: ReviewChoice[], message: string): Promise<string>;
}

/** One answer as it was given: a question, a row of them, or a repeated section's ids. */
export interface Entry {
  key: string;
  section: Section;
  questions: Question[];
  /** the item of a repeated section it belongs to */
  index: number;
  label: string;
  /** one answer; a row's answers by key */
  value: unknown;
  row: boolean;
  /** the id of the item of a repeated section */
  item?: string;
}

export const WRITE = 'write';

function show(q: Question, v: unknown): string {
  if (v === undefined) return '-';
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  if (Array.isArray(v) && v.length === 0) return 'none';
  return formatTyped(q, v) ?? '-';
}

/** How the review screen shows an answer: a row as "label: value" column by column. */
function reviewed(e: Entry): string {
  if (!e.row) return `${e.label}: ${entryValue(e)}`;
  const values = e.value as Record<string, unknown>;
  const cols = e.questions.map((q) => `${labelOf(q)}: ${show(q, values[q.key])}`).join('; ');
  return e.item ? `${e.item}: ${cols}` : cols;
}

export function entryValue(e: Entry): string {
  if (!e.row) return show(e.questions[0], e.value);
  const values = e.value as Record<string, unknown>;
  return e.questions.map((q) => show(q, values[q.key])).join(' | ');
}

const rowText = (r: RowAsked, values: Record<string, unknown>) => r.questions.map((q) => formatTyped(q, values[q.key]) ?? '').join(' | ');

/**
 * Wraps a terminal source to record every answer given (for the review). Given the answers of a run
 * before, it keeps each of them, unasked, while it is still valid, and asks the one to change (offering
 * its current value), and any question it has no valid answer for.
 */
export function recording(inner: ReviewSource, previous?: { values: Map<string, unknown>; change: string }): { source: ReviewSource; entries: Entry[] } {
  const entries: Entry[] = [];
  let pending: Section | undefined;
  let askedInSection = false;
  const asking = () => {
    if (pending) inner.begin(pending);
    pending = undefined;
    askedInSection = true;
  };
  const itemIndex = (id: string) => {
    const m = /\[(\d+)\]/.exec(id);
    return m ? Number(m[1]) : 0;
  };
  const source: ReviewSource = {
    begin(section) {
      askedInSection = false;
      if (previous) pending = section;
      else inner.begin(section);
    },
    async ask(q: Asked) {
      const record = (value: unknown) => {
        const item = q.path.length === 3 ? String(q.key.slice(q.key.indexOf('[') + 1, q.key.indexOf(']'))) : undefined;
        const label = q.key.endsWith('[]') ? labelOf(q.question) : item ? `${item} ${labelOf(q.question)}` : labelOf(q.question);
        entries.push({ key: q.key, section: q.section, questions: [q.question], index: typeof q.path[1] === 'number' ? q.path[1] : 0, label, value, row: false });
        return value;
      };
      if (previous && q.key !== previous.change && previous.values.has(q.key)) {
        const v = previous.values.get(q.key);
        if (q.validate(v) === undefined) return record(v);
      }
      asking();
      const offered = previous?.change === q.key && previous.values.get(q.key) !== undefined ? previous.values.get(q.key) : q.default;
      return record(await inner.ask({ ...q, default: offered }));
    },
    async another(section, index) {
      return inner.another(section, index);
    },
    async row(r: RowAsked) {
      const record = (values: Record<string, unknown>) => {
        const item = r.section.repeat ? r.key.slice(r.key.indexOf('[') + 1, r.key.indexOf(']')) : undefined;
        const labels = r.labels.join(' | ');
        entries.push({ key: r.key, section: r.section, questions: r.questions, index: itemIndex(r.id), label: item ? `${item}: ${labels}` : labels, value: values, row: true, item });
        return values;
      };
      const before = previous?.values.get(r.key) as Record<string, unknown> | undefined;
      if (previous && before && r.key !== previous.change) {
        const again = r.parse(rowText(r, before));
        if (again.values) return record(again.values);
      }
      asking();
      const offered = previous?.change === r.key && before ? rowText(r, before) : r.default;
      return record(await inner.row({ ...r, default: offered }));
    },
    note(lines) {
      if (!previous || askedInSection) inner.note(lines);
    },
    review: (lines, choices, message) => inner.review(lines, choices, message),
  };
  return { source, entries };
}

/** The review screen: every answer by section, each followed by what it means given all the answers. */
export function reviewLines(entries: Entry[], answers: Answers): string[] {
  const out: string[] = ['== Review: every answer, and what it means'];
  for (const section of QUESTIONNAIRE) {
    const mine = entries.filter((e) => e.section.key === section.key);
    if (mine.length === 0) continue;
    out.push(`   ${section.title}`);
    const all = answers[section.key] as unknown;
    for (const e of mine) {
      out.push(`     ${reviewed(e)}`);
      const item = (section.repeat ? (all as unknown[])[e.index] : all) as Record<string, unknown>;
      const ctx = { draft: answers, item, index: e.index };
      const notes = [...new Set(e.questions.filter((q) => item?.[q.key] !== undefined).flatMap((q) => q.consequences?.(ctx) ?? []))];
      for (const n of notes) out.push(`       -> ${n}`);
    }
    for (const n of section.after?.(answers) ?? []) out.push(`     => ${n}`);
  }
  return out;
}

const short = (s: string, n = 72) => (s.length > n ? `${s.slice(0, n - 3)}...` : s);

export function reviewChoices(entries: Entry[], out: string): ReviewChoice[] {
  return [{ value: WRITE, name: `Write ${out} with these answers` }, ...entries.map((e) => ({ value: e.key, name: short(`Change ${e.row && e.item ? e.item : e.label}: ${entryValue(e)}`) }))];
}

/**
 * The interactive questionnaire with its review: resolves to the answers the operator chose to
 * write. Each answer given counts once in `asked` (a row, a list of ids, a review choice).
 */
export async function runReviewed(source: ReviewSource, defaults: Defaults, out: string): Promise<Answers> {
  let previous: { values: Map<string, unknown>; change: string } | undefined;
  for (;;) {
    const run = recording(source, previous);
    const answers = await runQuestionnaire(run.source, defaults);
    const pick = await source.review(reviewLines(run.entries, answers), reviewChoices(run.entries, out), `Write ${out}, or change an answer?`);
    if (pick === WRITE) return answers;
    previous = { values: new Map(run.entries.map((e) => [e.key, e.value])), change: pick };
  }
}
