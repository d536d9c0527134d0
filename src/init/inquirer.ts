/**
 * The questionnaire asked through @inquirer/prompts. The prompt functions are passed in (the CLI
 * lazy-imports @inquirer/prompts; tests pass the same prompts driven by @inquirer/testing), so
 * this module only imports types from inquirer and loads nothing at run time.
 */
import type { checkbox, confirm, input, select } from '@inquirer/prompts';
import { formatTyped, parseTyped } from './questions.js';
import type { AnswerSource, Asked } from './session.js';

export interface PromptFns {
  input: typeof input;
  select: typeof select;
  checkbox: typeof checkbox;
  confirm: typeof confirm;
}

/** Where prompts read keys and draw (inquirer's context): the CLI uses stdin and stderr. */
export type PromptContext = Parameters<typeof input>[1];

export function promptSource(fns: PromptFns, say: (text: string) => void, context?: PromptContext): AnswerSource {
  return {
    begin(section) {
      say(`\n== ${section.title}\n   ${section.intro}\n`);
    },
    async ask(q: Asked) {
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
      const raw = await fns.input(
        {
          message: q.message,
          default: formatTyped(q.question, q.default),
          validate: (typed: string) => {
            const parsed = parseTyped(q.question, typed);
            if (parsed.problem) return parsed.problem;
            return q.validate(parsed.value) ?? true;
          },
        },
        context,
      );
      return parseTyped(q.question, raw).value;
    },
    async another(_section, _index, message, dflt) {
      return fns.confirm({ message, default: dflt }, context);
    },
    note(lines) {
      for (const l of lines) say(`   -> ${l}\n`);
    },
  };
}
