/**
 * Walks the questionnaire against a source of answers: the operator at a terminal (src/init/
 * inquirer.ts) or an --answers file (answersFileSource below). Both see the same questions, the
 * same validation and the same consequences.
 */
import { isMap, LineCounter, parseDocument } from 'yaml';
import { DEFAULT_MAX_BYTES, decodeInput, yamlProblems, yamlToJs } from '../manifest/load.js';
import { makeLocator } from '../manifest/locate.js';
import { type Diagnostic, InputError } from '../util/errors.js';
import { formatPath } from '../util/paths.js';
import { quote } from '../util/secrets.js';
import { didYouMean } from '../util/suggest.js';
import { type Choice, type Ctx, type Question, type Section, messageOf, resolveChoices, validateAnswer, warningOf } from './kit.js';
import { type RowAsked, buildRow, keyOf, offeredFor } from './rows.js';
import { QUESTIONNAIRE } from './questions.js';
import type { Answers, Defaults, Draft } from './types.js';

export interface Asked {
  section: Section;
  question: Question;
  /** where the answer lives, e.g. ['providers', 0, 'rpm'] */
  path: Array<string | number>;
  /** the path as text, e.g. providers[0].rpm */
  id: string;
  /** names this answer across runs of the questionnaire (providers[openai-main].rpm): the review screen changes an answer by it */
  key: string;
  message: string;
  choices: Choice[];
  /** the existing answer (--from) or the questionnaire's suggestion; offered, never applied silently */
  default: unknown;
  /** the problem with a (parsed) answer, or undefined */
  validate(value: unknown): string | undefined;
  /** a valid answer that is probably a mistake (Question.warn): the warning, or undefined */
  warning(value: unknown): string | undefined;
}

export type { RowAsked };

export interface AnswerSource {
  /** a section starts */
  begin(section: Section): void;
  /** the answer to one question, already valid (or undefined when left blank) */
  ask(q: Asked): Promise<unknown>;
  /** an --answers file: whether there is one more item of a repeated section */
  another(section: Section, index: number): Promise<boolean>;
  /**
   * A terminal: the questions of a row at once (Section.rows), and a repeated section's ids asked at
   * once as a list (through ask) instead of `another` item by item.
   */
  row?(r: RowAsked): Promise<Record<string, unknown>>;
  /** consequences of what was answered */
  note(lines: string[]): void;
}

function defaultsItem(defaults: Defaults, section: Section, index: number): Record<string, unknown> | undefined {
  const d = defaults[section.key] as unknown;
  if (section.repeat) return (Array.isArray(d) ? d[index] : undefined) as Record<string, unknown> | undefined;
  return d as Record<string, unknown> | undefined;
}

/** The existing answers of the item with this id in --from's defaults (a repeated section), else by index. */
function defaultsFor(defaults: Defaults, section: Section, index: number, id: unknown): Record<string, unknown> | undefined {
  const d = defaults[section.key] as unknown;
  if (section.repeat && Array.isArray(d) && id !== undefined) return d.find((x) => (x as Record<string, unknown>)?.id === id) as Record<string, unknown> | undefined;
  return defaultsItem(defaults, section, index);
}

function dedupe(lines: string[]): string[] {
  return [...new Set(lines)];
}

async function askItem(source: AnswerSource, section: Section, draft: Draft, item: Record<string, unknown>, index: number, defaults: Defaults): Promise<void> {
  const existing = defaultsFor(defaults, section, index, item.id);
  const done = new Set<string>(section.repeat && source.row ? ['id'] : []);
  for (const q of section.questions) {
    if (done.has(q.key)) continue;
    const row = source.row ? section.rows?.find((r) => r.keys[0] === q.key) : undefined;
    if (row && source.row) {
      const questions = row.keys.map((k) => section.questions.find((x) => x.key === k) as Question);
      const values = await source.row(buildRow(section, questions, draft, item, index, existing, messageOf(row, { draft, item, index })));
      for (const x of questions) {
        done.add(x.key);
        if (values[x.key] === undefined) delete item[x.key];
        else item[x.key] = values[x.key];
      }
      const ctx: Ctx = { draft, item, index };
      const notes = dedupe(questions.filter((x) => item[x.key] !== undefined).flatMap((x) => x.consequences?.(ctx) ?? []));
      if (notes.length > 0) source.note(notes);
      continue;
    }
    const ctx: Ctx = { draft, item, index };
    if (q.when && !q.when(ctx)) {
      delete item[q.key];
      continue;
    }
    const path = section.repeat ? [section.key, index, q.key] : [section.key, q.key];
    const dflt = offeredFor(q, section, ctx, existing);
    const value = await source.ask({
      section,
      question: q,
      path,
      id: formatPath(path),
      key: keyOf(section, item, index, q.key),
      message: messageOf(q, ctx),
      choices: q.choices ? resolveChoices(q, ctx) : [],
      default: dflt,
      validate: (v) => validateAnswer(q, v, ctx),
      warning: (v) => warningOf(q, v, ctx),
    });
    if (value === undefined) delete item[q.key];
    else item[q.key] = value;
    const notes = q.consequences?.(ctx) ?? [];
    if (value !== undefined && notes.length > 0) source.note(notes);
  }
}

/** A repeated section's ids asked at once, as a list checked by the section's id question. */
function idsAsked(section: Section, draft: Draft, defaults: Defaults): Asked {
  const idQ = section.questions.find((q) => q.key === 'id') as Question;
  const repeat = section.repeat as NonNullable<Section['repeat']>;
  const known = defaults[section.key];
  const question: Question = {
    key: 'id',
    label: `${repeat.noun} ids`,
    kind: 'list',
    required: repeat.min > 0,
    message: repeat.ids,
    check: (ids: string[]) => {
      for (const [i, id] of ids.entries()) {
        const p = validateAnswer(idQ, id, { draft: { ...draft, [section.key]: ids.slice(0, i).map((x) => ({ id: x })) }, item: {}, index: i });
        if (p) return `${quote(id)}: ${p}`;
      }
      return undefined;
    },
  };
  const path = [section.key];
  const ctx: Ctx = { draft, item: {}, index: 0 };
  return {
    section,
    question,
    path,
    id: `${section.key}[].id`,
    key: `${section.key}[]`,
    message: repeat.ids,
    choices: [],
    default: Array.isArray(known) && known.length > 0 ? known.map((x) => (x as Record<string, unknown>)?.id).filter((x) => typeof x === 'string') : undefined,
    validate: (v) => validateAnswer(question, v, ctx),
    warning: () => undefined,
  };
}

/** Runs the whole questionnaire. The result is complete when the source validated every answer. */
export async function runQuestionnaire(source: AnswerSource, defaults: Defaults = {}): Promise<Answers> {
  const draft: Record<string, unknown> = {};
  for (const section of QUESTIONNAIRE) {
    source.begin(section);
    if (section.repeat) {
      const items: Array<Record<string, unknown>> = [];
      draft[section.key] = items;
      if (source.row) {
        const ids = ((await source.ask(idsAsked(section, draft as Draft, defaults))) as string[] | undefined) ?? [];
        for (const [i, id] of ids.entries()) {
          const item: Record<string, unknown> = { id };
          items.push(item);
          await askItem(source, section, draft as Draft, item, i, defaults);
        }
      } else {
        for (let i = 0; ; i++) {
          if (i >= section.repeat.min && !(await source.another(section, i))) break;
          const item: Record<string, unknown> = {};
          items.push(item);
          await askItem(source, section, draft as Draft, item, i, defaults);
        }
      }
    } else {
      const item: Record<string, unknown> = {};
      draft[section.key] = item;
      await askItem(source, section, draft as Draft, item, 0, defaults);
    }
    const after = section.after?.(draft as Draft) ?? [];
    if (after.length > 0) source.note(after);
  }
  return draft as unknown as Answers;
}

// ---- the --answers file -------------------------------------------------------------------------

/**
 * An --answers file (YAML or JSON; JSON is YAML) as a source: every answer is validated as if it
 * had been typed, and every problem is reported as file:line:col at once when `finish` is called.
 * Bytes get the manifest loader's guards (size limit, UTF-8 or a located refusal).
 */
export function answersFileSource(input: string | Uint8Array, file: string, notes: (lines: string[]) => void = () => {}, maxBytes = DEFAULT_MAX_BYTES) {
  const text = decodeInput(input, file, maxBytes, 'an answers file').source;
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, strict: true, version: '1.2' });
  const problems = yamlProblems(doc, lineCounter, file);
  if (problems.length > 0) throw new InputError(problems);
  if (!isMap(doc.contents)) {
    throw new InputError([{ file, line: 1, column: 1, message: 'expected a mapping of answers (deployment:, operator:, usage:, ...); see docs/init.md' }]);
  }
  const data = yamlToJs(doc, lineCounter, file) as Record<string, unknown>;
  const locate = makeLocator(doc, lineCounter);
  const diagnostics: Diagnostic[] = [];
  const problem = (path: Array<string | number>, message: string, key = false) => diagnostics.push({ file, ...locate(path, { key }), message });
  const used = new Set<string>();
  const malformed = new Set<string>();

  const get = (path: Array<string | number>): unknown => {
    let cur: unknown = data;
    for (const seg of path) {
      if (cur === null || typeof cur !== 'object') return undefined;
      cur = (cur as Record<string | number, unknown>)[seg];
    }
    return cur;
  };

  const source: AnswerSource = {
    begin(section) {
      const v = data[section.key];
      used.add(section.key);
      if (v === undefined) return;
      if (section.repeat ? !Array.isArray(v) : v === null || typeof v !== 'object' || Array.isArray(v)) {
        problem([section.key], `${section.key}: expected ${section.repeat ? `a list of ${section.repeat.noun}s` : 'a mapping'}`);
        malformed.add(section.key);
      }
    },
    async ask(q) {
      used.add(q.id);
      if (malformed.has(q.section.key)) return undefined; // already reported once for the whole section
      const parentOk = (() => {
        const parent = get(q.path.slice(0, -1));
        return parent !== null && typeof parent === 'object' && !Array.isArray(parent);
      })();
      const raw = parentOk ? get(q.path) : undefined;
      if (raw === undefined || raw === null) {
        if (q.question.required) {
          const where = q.path.slice(0, -1);
          problem(where, `${q.id} is missing: ${q.message}${q.default !== undefined ? ` (the questionnaire would offer ${quote(q.default)}; state it explicitly)` : ''}`, typeof where[where.length - 1] === 'string');
        }
        return undefined;
      }
      const p = q.validate(raw);
      if (p) {
        problem(q.path, `${q.id}: ${p}`);
        return undefined;
      }
      // stated in a file, a doubtful answer is taken as meant: said, not asked
      const w = q.warning(raw);
      if (w) notes([`warning: ${q.id}: ${w}`]);
      return raw;
    },
    async another(section, index) {
      const v = data[section.key];
      return Array.isArray(v) && index < v.length;
    },
    note: notes,
  };

  /** Reports keys the questionnaire did not ask for, then throws every problem found. */
  function finish(): void {
    // an answer refused above can make a later question not apply: report leftovers only when
    // nothing else is wrong, so that they are never a mere echo of another problem
    const strayIsNews = diagnostics.length === 0;
    const sectionKeys = QUESTIONNAIRE.map((s) => s.key as string);
    for (const [key, value] of Object.entries(data)) {
      const section = QUESTIONNAIRE.find((s) => s.key === key);
      if (!section) {
        const guess = didYouMean(key, sectionKeys);
        problem([key], `unknown section ${quote(key)}${guess ? `; did you mean "${guess}"?` : `; sections are ${sectionKeys.join(', ')}`}`, true);
        continue;
      }
      const items = section.repeat ? (Array.isArray(value) ? value.map((v, i) => ({ v, prefix: [key, i] as Array<string | number> })) : []) : [{ v: value, prefix: [key] as Array<string | number> }];
      const keys = section.questions.map((q) => q.key);
      for (const { v, prefix } of items) {
        if (v === null || typeof v !== 'object' || Array.isArray(v)) {
          if (section.repeat) problem(prefix, `${formatPath(prefix)}: expected a mapping of answers for one ${section.repeat.noun}`);
          continue;
        }
        for (const k of Object.keys(v)) {
          const path = [...prefix, k];
          if (used.has(formatPath(path))) continue;
          if (!keys.includes(k)) {
            const guess = didYouMean(k, keys);
            problem(path, `unknown answer ${quote(k)} in ${formatPath(prefix)}${guess ? `; did you mean "${guess}"?` : `; answers here are ${keys.join(', ')}`}`, true);
          } else if (strayIsNews) {
            problem(path, `${formatPath(path)} does not apply given the other answers (e.g. targets only with automatic failover): remove it`, true);
          }
        }
      }
    }
    if (diagnostics.length > 0) {
      const seen = new Set<string>();
      const unique = diagnostics.filter((d) => {
        const k = `${d.line}:${d.column}:${d.message}`;
        if (seen.has(k)) return false;
        seen.add(k);
        return true;
      });
      throw new InputError(unique.sort((a, b) => a.line - b.line || a.column - b.column));
    }
  }

  return { source, finish };
}

/**
 * Reads a whole --answers file into complete, valid answers, or throws InputError. The
 * consequences the answers have are returned rather than shown, for a file that turns out valid.
 */
export async function answersFromFile(input: string | Uint8Array, file: string, maxBytes = DEFAULT_MAX_BYTES): Promise<{ answers: Answers; notes: string[] }> {
  const notes: string[] = [];
  const { source, finish } = answersFileSource(input, file, (lines) => notes.push(...lines), maxBytes);
  const answers = await runQuestionnaire(source);
  finish();
  return { answers, notes };
}
