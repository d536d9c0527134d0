/**
 * What a question of the questionnaire is, and the rules every answer is held to: validation,
 * parsing what was typed (lists merged with or replacing what is offered), did-you-mean. The
 * sections themselves are in src/init/sections/, one module each; src/init/questions.ts lists them.
 */
import { quote, secretKind } from '../util/secrets.js';
import { int, plain } from '../util/numbers.js';
import { didYouMean } from '../util/suggest.js';
import { schemaMaximum } from './schema-bounds.js';
import type { Answers, Draft } from './types.js';

export type Kind = 'text' | 'number' | 'integer' | 'list' | 'statuses' | 'select' | 'multi' | 'confirm';

export interface Choice {
  value: string;
  name: string;
  description?: string;
  /** why the choice cannot be taken now (shown greyed out; the answer is refused) */
  disabled?: string;
}

/** What a question sees: the answers so far and, inside a repeated section, the item being filled. */
export interface Ctx {
  draft: Draft;
  item: Record<string, unknown>;
  index: number;
}

export interface Question {
  key: string;
  kind: Kind;
  message: string | ((ctx: Ctx) => string);
  /** a short name for the answer: a column of a row, a line of the review screen (default: the key) */
  label?: string;
  /** an answer is needed (blank is refused) */
  required?: boolean;
  /** numbers: zero allowed (otherwise they must be positive) */
  allowZero?: boolean;
  /** numbers: the manifest field the answer lands in ('traffic.averageRpm', 'providers[].limits.rpm'); its schema maximum bounds the answer */
  lands?: string;
  max?: number;
  choices?: readonly Choice[] | ((ctx: Ctx) => Choice[]);
  /** asked only when this holds */
  when?: (ctx: Ctx) => boolean;
  /** the suggestion offered when there is no existing value (never applied without asking) */
  suggest?: (ctx: Ctx) => unknown;
  /** a repeated section: a new item after the first is offered the first item's answer (an item from --from keeps its own) */
  fromFirst?: boolean;
  /** the refusal when the answer looks like a credential (default: a manifest holds no secrets) */
  onSecret?: string;
  /** validation beyond the kind's: returns the problem, or undefined */
  check?: (value: never, ctx: Ctx) => string | undefined;
  /**
   * A valid answer that is probably a mistake: the warning. At a terminal the operator must confirm it
   * (the answer is asked again otherwise); from an --answers file it is shown, since the file says it on purpose.
   */
  warn?: (value: never, ctx: Ctx) => string | undefined;
  /** what the answer means, shown once given */
  consequences?: (ctx: Ctx) => string[];
}

/** Questions asked together, at a terminal, as one row of columns separated by "|" (an --answers file keeps one key each). */
export interface Row {
  /** the keys, in column order */
  keys: string[];
  message: string | ((ctx: Ctx) => string);
}

export interface Section {
  key: keyof Answers;
  title: string;
  intro: string;
  questions: Question[];
  /**
   * A list of items (providers, tenants) rather than one group. At a terminal their ids are asked at
   * once (`ids`), then each item; an --answers file gives the list itself.
   */
  repeat?: { min: number; noun: string; ids: string };
  /** at a terminal: questions asked together as one row; in a repeated section, at most once per item */
  rows?: Row[];
  /** shown once the section is complete */
  after?: (draft: Draft) => string[];
}

// ---- validation shared by the session and the answers file -------------------------------

export const ID_RE = /^[a-z0-9][a-z0-9._-]*$/;
export const HEADER_RE = /^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/;
export const ENV_RE = /^[A-Z_][A-Z0-9_]*$/;
export const WINDOW_RE = /^([01][0-9]|2[0-3]):[0-5][0-9]-([01][0-9]|2[0-3]):[0-5][0-9]$/;
export const FIELD_RE = /^[a-z][a-z0-9_]*$/;

export function checkUrl(v: string): string | undefined {
  try {
    const u = new URL(v);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') return `use an http:// or https:// URL, not ${u.protocol}`;
    return undefined;
  } catch {
    return 'not a URL: expected something like https://wiki.example.com/runbooks/llm-failover';
  }
}

let zones: string[] | undefined;
/** The IANA time zones this Node knows (Intl.supportedValuesOf), and UTC, which that list leaves out. */
export function timeZones(): string[] {
  zones ??= [...Intl.supportedValuesOf('timeZone'), 'UTC'];
  return zones;
}

/** The IANA name closest to what was typed: the whole name ("Europe/Londn"), else the city alone ("new york"). */
export function suggestTimezone(v: string): string | undefined {
  const all = timeZones();
  const whole = didYouMean(v, all);
  if (whole) return whole;
  if (v.includes('/')) {
    const city = v.slice(v.lastIndexOf('/') + 1);
    return city ? suggestTimezone(city) : undefined;
  }
  const byCity = new Map(all.map((z) => [z.slice(z.lastIndexOf('/') + 1).replace(/_/g, ' '), z]));
  const guess = didYouMean(v.replace(/_/g, ' '), byCity.keys());
  return guess === undefined ? undefined : byCity.get(guess);
}

export function checkTimezone(v: string): string | undefined {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: v });
    return undefined;
  } catch {
    const guess = suggestTimezone(v);
    return `unknown time zone ${quote(v)}: ${guess ? `did you mean "${guess}"? ` : ''}use an IANA name such as America/New_York or Europe/London`;
  }
}

export const idCheck = (what: string) => (v: string) =>
  ID_RE.test(v) ? undefined : `${what} must be lower-case letters, digits, '.', '_' or '-', starting with a letter or digit (e.g. openai-main)`;

export function resolveChoices(q: Question, ctx: Ctx): Choice[] {
  return typeof q.choices === 'function' ? q.choices(ctx) : [...(q.choices ?? [])];
}

export function messageOf(q: { message: string | ((ctx: Ctx) => string) }, ctx: Ctx): string {
  return typeof q.message === 'function' ? q.message(ctx) : q.message;
}

export const labelOf = (q: Question): string => q.label ?? q.key;

/** The choice meant by an unknown value: a near spelling of a value, else the one choice whose value or name starts with it. */
export function suggestChoice(value: string, choices: readonly Choice[]): string | undefined {
  const open = choices.filter((c) => !c.disabled);
  const near = didYouMean(value, open.map((c) => c.value));
  if (near) return near;
  const v = value.trim().toLowerCase();
  if (v.length < 2) return undefined;
  const starts = open.filter((c) => c.value.toLowerCase().startsWith(v) || c.name.toLowerCase().startsWith(v));
  return starts.length === 1 ? starts[0].value : undefined;
}

/** Validates one answer (already parsed): the problem as a sentence, or undefined when fine. */
export function validateAnswer(q: Question, value: unknown, ctx: Ctx): string | undefined {
  if (value === undefined || value === null) return q.required ? 'an answer is needed here' : undefined;
  // A manifest holds no secrets: a credential typed or pasted as any answer is refused here, before any
  // message could echo it and before it could reach the file.
  const secret = secretIn(value);
  if (secret) return q.onSecret ?? `that looks like a credential (${secret}): a manifest holds no secrets, so it cannot be an answer`;
  const num = (v: unknown) => {
    if (typeof v !== 'number' || !Number.isFinite(v)) return 'expected a number';
    if (q.kind === 'integer' && !Number.isInteger(v)) return 'expected a whole number';
    if (q.allowZero ? v < 0 : v <= 0) return q.allowZero ? 'must be zero or more' : 'must be a positive number';
    const max = q.max ?? (q.lands !== undefined ? schemaMaximum(q.lands) : undefined);
    if (max !== undefined && v > max) return `must be at most ${Number.isInteger(max) ? int(max) : plain(max)}`;
    return undefined;
  };
  let problem: string | undefined;
  switch (q.kind) {
    case 'text':
      if (typeof value !== 'string') problem = typeof value === 'number' ? 'expected text: quote it ("3.4")' : 'expected text';
      else if (value.trim() === '') problem = 'an answer is needed here';
      break;
    case 'number':
    case 'integer':
      problem = num(value);
      break;
    case 'list':
      if (!Array.isArray(value) || value.some((x) => typeof x !== 'string' || x.trim() === '')) problem = 'expected a list of names';
      else if (q.required && value.length === 0) problem = 'name at least one';
      else if (new Set(value).size !== value.length) problem = `${quote(value.find((x, i) => value.indexOf(x) !== i))} is listed twice`;
      break;
    case 'statuses':
      if (!Array.isArray(value) || value.some((x) => !Number.isInteger(x) || x < 400 || x > 599)) problem = 'expected HTTP status codes between 400 and 599, e.g. 429, 500, 502, 503, 504';
      else if (q.required && value.length === 0) problem = 'name at least one status code';
      else if (new Set(value).size !== value.length) problem = `${value.find((x, i) => value.indexOf(x) !== i)} is listed twice`;
      break;
    case 'select': {
      const choices = resolveChoices(q, ctx);
      const c = choices.find((x) => x.value === value);
      if (typeof value !== 'string' || !c) {
        const guess = typeof value === 'string' ? suggestChoice(value, choices) : undefined;
        problem = `${guess ? `did you mean "${guess}"? ` : ''}expected one of: ${choices.filter((x) => !x.disabled).map((x) => x.value).join(', ')}`;
      } else if (c.disabled) problem = `${c.value}: ${c.disabled}`;
      break;
    }
    case 'multi': {
      const choices = resolveChoices(q, ctx);
      if (!Array.isArray(value)) problem = `expected a list of: ${choices.map((x) => x.value).join(', ')}`;
      else {
        const bad = value.find((v) => !choices.some((c) => c.value === v && !c.disabled));
        if (bad !== undefined) {
          const guess = typeof bad === 'string' ? suggestChoice(bad, choices) : undefined;
          problem = `${quote(bad)} is not one of: ${choices.filter((x) => !x.disabled).map((x) => x.value).join(', ')}${guess ? `; did you mean "${guess}"?` : ''}`;
        } else if (new Set(value).size !== value.length) problem = `${quote(value.find((x, i) => value.indexOf(x) !== i))} is listed twice`;
        else if (q.required && value.length === 0) problem = 'choose at least one';
      }
      break;
    }
    case 'confirm':
      if (typeof value !== 'boolean') problem = 'expected yes or no (true or false)';
      break;
  }
  return problem ?? q.check?.(value as never, ctx);
}

/** The kind of credential in an answer (a string, or any string of a list), if any. */
export function secretIn(value: unknown): string | undefined {
  const texts = typeof value === 'string' ? [value] : Array.isArray(value) ? value.filter((x): x is string => typeof x === 'string') : [];
  return texts.map(secretKind).find((k) => k !== undefined);
}

/** The warning a valid answer carries (Question.warn), if any. */
export function warningOf(q: Question, value: unknown, ctx: Ctx): string | undefined {
  return value === undefined || !q.warn ? undefined : q.warn(value as never, ctx);
}

const isList = (q: Question) => q.kind === 'list' || q.kind === 'statuses';

function listItems(q: Question, s: string): Array<string | number> {
  return q.kind === 'statuses' ? s.split(/[\s,]+/).filter(Boolean).map(Number) : s.split(',').map((x) => x.trim()).filter((x) => x !== '');
}

/**
 * Parses what was typed at an input prompt into the question's kind. A list typed over an offered list
 * (`offered`) is explicit: "+x, -y" changes the offered list (adds x, removes y), a plain list replaces it.
 */
export function parseTyped(q: Question, raw: string, offered?: unknown): { value?: unknown; problem?: string } {
  const s = raw.trim();
  if (s === '') return { value: undefined };
  switch (q.kind) {
    case 'number':
    case 'integer': {
      const n = Number(s.replace(/[,_\s]/g, '').replace(/^\$/, ''));
      return Number.isFinite(n) ? { value: n } : { problem: 'expected a number' };
    }
    case 'list':
    case 'statuses': {
      const parts = s.split(q.kind === 'statuses' ? /[\s,]+/ : ',').map((x) => x.trim()).filter((x) => x !== '');
      const signed = parts.filter((p) => /^[+-]/.test(p));
      if (signed.length === 0) return { value: listItems(q, s) };
      if (signed.length !== parts.length) {
        return { problem: 'either change the offered list with +x and -x only, or type a plain list to replace it; not both' };
      }
      const base: Array<string | number> = Array.isArray(offered) ? [...(offered as Array<string | number>)] : [];
      for (const p of parts) {
        const rest = p.slice(1).trim();
        const item = q.kind === 'statuses' ? Number(rest) : rest;
        if (rest === '' || (typeof item === 'number' && !Number.isInteger(item))) return { problem: `${quote(p)}: expected ${q.kind === 'statuses' ? '+ or - and a status code, e.g. -504' : '+ or - and a name, e.g. +qa'}` };
        if (p.startsWith('+')) {
          if (base.includes(item)) return { problem: `${quote(item)} is already in the list` };
          base.push(item);
        } else {
          const at = base.indexOf(item);
          if (at < 0) return { problem: `${quote(item)} is not in the list (${base.join(', ') || 'empty'}), so it cannot be removed` };
          base.splice(at, 1);
        }
      }
      return { value: base };
    }
    default:
      return { value: s };
  }
}

/** How an answer is shown back as an input default. */
export function formatTyped(_q: Question, value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (Array.isArray(value)) return value.join(', ');
  return String(value);
}

/** What an input prompt says about typing a list over the one it offers. */
export function listHint(q: Question, offered: unknown): string | undefined {
  if (!isList(q) || !Array.isArray(offered) || offered.length === 0) return undefined;
  return q.kind === 'statuses' ? 'Enter keeps them; +408 adds, -504 removes; a plain list replaces them' : 'Enter keeps them; +x adds, -x removes; a plain list replaces them';
}
