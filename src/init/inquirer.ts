/**
 * The questionnaire asked through @inquirer/prompts. The prompt functions are passed in (the CLI
 * lazy-imports @inquirer/prompts; tests pass the same prompts driven by @inquirer/testing), so
 * this module only imports types from inquirer and loads nothing at run time.
 */
import type { checkbox, confirm, input, select } from '@inquirer/prompts';
import { looksLikeCredential, secretKind } from '../util/secrets.js';
import { formatTyped, listHint, parseTyped } from './kit.js';
import type { ReviewSource } from './review.js';
import type { Asked, RowAsked } from './session.js';

export interface PromptFns {
  input: typeof input;
  select: typeof select;
  checkbox: typeof checkbox;
  confirm: typeof confirm;
}

/** Where prompts read keys and draw (inquirer's context): the CLI uses stdin and stderr. */
export type PromptContext = Parameters<typeof input>[1];

/**
 * What an input line shows of what is typed: text that may be a credential is hidden as it is typed,
 * column by column in a row ("|"), so the rest of a row stays readable.
 */
export function shown(typed: string): string {
  if (!looksLikeCredential(typed)) return typed;
  return typed
    .split('|')
    .map((col) => (looksLikeCredential(col) ? `${col.startsWith(' ') ? ' ' : ''}[hidden: looks like a credential]${col.endsWith(' ') ? ' ' : ''}` : col))
    .join('|');
}

/** A typed row with each column that holds a credential emptied: offered again after the refusal. */
export function withoutCredentials(typed: string): string {
  return typed
    .split('|')
    .map((col) => (secretKind(col) !== undefined ? '' : col.trim()))
    .join(' | ');
}

const same = (a: unknown, b: unknown) => a !== undefined && JSON.stringify(a) === JSON.stringify(b);

export function promptSource(fns: PromptFns, say: (text: string) => void, context?: PromptContext): ReviewSource {
  /**
   * One line of text. A refused credential is not left in the line to be fixed, as other refused
   * answers are: the prompt ends (the line shows it hidden), the refusal is said, and the question is
   * asked afresh on an empty line, so the key is gone from the screen and from the prompt's memory.
   */
  async function line(message: string, offered: string | undefined, problem: (typed: string) => string | undefined, row = false, final?: (typed: string) => string): Promise<string> {
    let dflt = offered;
    for (;;) {
      const typed = await fns.input(
        {
          message,
          default: dflt,
          transformer: (value: string, { isFinal }: { isFinal: boolean }) => (isFinal && final && !looksLikeCredential(value) ? final(value) : shown(value)),
          validate: (value: string) => (secretKind(value) !== undefined ? true : (problem(value) ?? true)),
        },
        context,
      );
      if (secretKind(typed) === undefined) return typed;
      say(`   ! ${problem(typed) ?? 'that looks like a credential'}. What was typed is not kept and no longer shown: answer again${row ? ' (the row is offered again without it)' : ''}.\n`);
      // a row comes back without the credential's column, the other columns as typed
      if (row) dflt = withoutCredentials(typed);
    }
  }

  /**
   * A valid answer that carries a warning stands only when the operator confirms it; an existing answer
   * kept as offered (--from) was chosen before, so its warning is said, not asked.
   */
  async function confirmed(warnings: string[], kept: boolean): Promise<boolean> {
    if (warnings.length === 0) return true;
    for (const w of warnings) say(`   ! warning: ${w}\n`);
    if (kept) return true;
    return fns.confirm({ message: 'Keep this answer anyway?', default: false }, context);
  }

  async function askOnce(q: Asked): Promise<unknown> {
    const kind = q.question.kind;
    if (kind === 'select') {
      const valid = q.choices.some((c) => c.value === q.default && !c.disabled);
      return fns.select(
        {
          message: q.message,
          choices: q.choices.map((c) => ({ value: c.value, name: c.name, description: c.description, disabled: c.disabled ?? false })),
          default: valid ? q.default : undefined,
          pageSize: 12,
        },
        context,
      );
    }
    if (kind === 'multi') {
      const chosen = Array.isArray(q.default) ? (q.default as unknown[]) : [];
      return fns.checkbox(
        {
          message: q.message,
          choices: q.choices.map((c) => ({ value: c.value, name: c.name, checked: chosen.includes(c.value), disabled: c.disabled ?? false })),
          pageSize: 12,
          validate: (items) => {
            const p = q.validate(items.map((i) => i.value));
            return p ?? true;
          },
        },
        context,
      );
    }
    if (kind === 'confirm') {
      return fns.confirm({ message: q.message, default: typeof q.default === 'boolean' ? q.default : undefined }, context);
    }
    const hint = listHint(q.question, q.default);
    const raw = await line(
      hint ? `${q.message} (${hint})` : q.message,
      formatTyped(q.question, q.default),
      (typed) => {
        const parsed = parseTyped(q.question, typed, q.default);
        return parsed.problem ?? q.validate(parsed.value);
      },
      false,
      // "+x, -y" typed over an offered list: the line ends showing the list it made
      hint ? (typed) => (/^\s*[+-]/.test(typed) ? `${typed} -> ${formatTyped(q.question, parseTyped(q.question, typed, q.default).value) ?? 'none'}` : typed) : undefined,
    );
    return parseTyped(q.question, raw, q.default).value;
  }

  return {
    begin(section) {
      say(`\n== ${section.title}\n   ${section.intro}\n`);
    },
    async ask(q: Asked) {
      for (;;) {
        const value = await askOnce(q);
        const w = q.warning(value);
        if (await confirmed(w ? [w] : [], same(value, q.default))) return value;
      }
    },
    async another() {
      return false; // never called: a terminal asks a repeated section's ids at once
    },
    async row(r: RowAsked) {
      for (;;) {
        const raw = await line(`${r.message}\n  ${r.labels.join(' | ')}:`, r.default, (typed) => r.parse(typed).problem, true);
        const values = r.parse(raw).values ?? {};
        if (await confirmed(r.warnings(values), r.default !== undefined && raw.trim() === r.default.trim())) return values;
      }
    },
    note(lines) {
      for (const l of lines) say(`   -> ${l}\n`);
    },
    async review(lines, choices, message) {
      say(`\n${lines.join('\n')}\n`);
      return fns.select({ message, choices: choices.map((c) => ({ value: c.value, name: c.name })), default: choices[0]?.value, pageSize: 14 }, context);
    },
  };
}
