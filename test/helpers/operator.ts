/**
 * A scripted operator for `readiness init`: answers the real @inquirer/prompts, rendered by
 * @inquirer/testing, key by key, and checks that each question is the one the script expects.
 */
import assert from 'node:assert/strict';
import { checkbox, confirm, input, select } from '@inquirer/prompts';
import { render } from '@inquirer/testing';
import type { CliIO } from '../../src/cli/io.js';
import type { PromptFns } from '../../src/init/inquirer.js';

export type Reply =
  /** input: type this, then Enter ('' presses Enter on what is offered) */
  | { type: string }
  /** input: Backspace drops the offered default, then Enter (a blank answer) */
  | { clear: true }
  /** select: move to the choice whose name contains this, then Enter */
  | { choose: string }
  /** checkbox: toggle the choices whose names contain these, then Enter */
  | { toggle: string[] }
  /** confirm */
  | { yes: boolean }
  /** any prompt: Enter, taking what is offered */
  | { enter: true }
  /** Ctrl-C */
  | { interrupt: true };

export interface Step {
  /** the question expected now */
  q: RegExp;
  reply: Reply;
  /** the default the (input) prompt must offer */
  offered?: string;
  /** answers typed first that must be refused with this error on screen */
  rejects?: Array<{ type: string; error: RegExp }>;
}

type Rendered = Awaited<ReturnType<typeof render>>;

const tick = () => new Promise<void>((r) => setImmediate(r));

async function until(what: string, pred: () => boolean, screen: () => string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (pred()) return;
    await tick();
  }
  assert.fail(`${what}; the screen shows:\n${screen()}`);
}

const POINTER = /^\s*[❯>]/;

async function moveTo(r: Rendered, name: string): Promise<void> {
  for (let i = 0; i < 40; i++) {
    const line = r.getScreen().split('\n').find((l) => POINTER.test(l));
    if (line?.includes(name)) return;
    r.events.keypress('down');
    await tick();
  }
  assert.fail(`no choice "${name}"; the screen shows:\n${r.getScreen()}`);
}

export interface Operator {
  fns: PromptFns;
  /** every question asked, in order */
  asked: string[];
  /** steps not used (a finished session must use them all) */
  remaining(): number;
  /** everything the prompts drew, all prompts together (what a terminal was sent) */
  drawn(): string;
}

/** An operator who follows `steps` in order, or who presses Enter on every question ('accept-all'). */
export function scriptedOperator(steps: Step[] | 'accept-all'): Operator {
  const asked: string[] = [];
  let drawn = '';
  let next = 0;
  async function drive<V>(prompt: (config: any, ctx?: any) => Promise<V>, config: { message: string; default?: unknown }): Promise<V> {
    const r = await render(prompt as any, config as any);
    asked.push(config.message);
    let settled = false;
    const answer = (r.answer as Promise<V>).finally(() => {
      settled = true;
      drawn += r.getFullOutput();
    });
    answer.catch(() => {});
    // a session that asks on and on (a refusal Enter cannot get past) fails here, never hangs
    if (asked.length > 400) assert.fail(`more than 400 questions; the last: ${config.message}`);
    const step: Step = steps === 'accept-all' ? { q: /./, reply: { enter: true } } : (steps[next++] as Step);
    if (!step) assert.fail(`the script has no answer for: ${config.message}`);
    assert.match(config.message, step.q, `expected a question matching ${step.q}, was asked: ${config.message}`);
    if (step.offered !== undefined) assert.equal((config as { default?: unknown }).default, step.offered, `the offer of: ${config.message}`);
    for (const bad of step.rejects ?? []) {
      r.events.type(bad.type);
      r.events.keypress('enter');
      // the error shows below the question line (the question itself may contain the same words)
      // (lines joined again: a long error wraps at the test screen's width)
      const errorLines = () => r.getScreen().split('\n').slice(1).join(' ').replace(/\s+/g, ' ');
      await until(`"${bad.type}" should be refused with ${bad.error}`, () => bad.error.test(errorLines()), () => r.getScreen());
      assert.equal(settled, false, `"${bad.type}" was accepted`);
      for (let i = 0; i < bad.type.length; i++) r.events.keypress('backspace');
      await tick();
    }
    const reply = step.reply;
    if ('interrupt' in reply) {
      r.events.keypress({ name: 'c', ctrl: true });
      return r.answer as Promise<V>;
    }
    if ('type' in reply) r.events.type(reply.type);
    else if ('clear' in reply) r.events.keypress('backspace');
    else if ('choose' in reply) await moveTo(r, reply.choose);
    else if ('toggle' in reply) {
      for (const name of reply.toggle) {
        await moveTo(r, name);
        r.events.keypress('space');
        await tick();
      }
    } else if ('yes' in reply) r.events.type(reply.yes ? 'y' : 'n');
    await tick();
    r.events.keypress('enter');
    await until(`the answer to "${config.message}" was not accepted`, () => settled, () => r.getScreen());
    return answer;
  }
  const fns = {
    input: (config: any) => drive(input, config),
    select: (config: any) => drive(select, config),
    checkbox: (config: any) => drive(checkbox, config),
    confirm: (config: any) => drive(confirm, config),
  } as unknown as PromptFns;
  return { fns, asked, remaining: () => (steps === 'accept-all' ? 0 : steps.length - next), drawn: () => drawn };
}

/** A CliIO that records what a command writes. */
export function recordingIO(cwd: string): CliIO & { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return {
    stdout: (t) => {
      out += t;
    },
    stderr: (t) => {
      err += t;
    },
    env: { NO_COLOR: '1' },
    cwd,
    isTTY: { stdout: false, stderr: false },
    out: () => out,
    err: () => err,
  };
}
