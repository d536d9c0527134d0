import { Command, CommanderError } from 'commander';
import { EXIT, InputError, UsageError, formatDiagnostic } from '../util/errors.js';
import { toolVersion } from '../util/version.js';
import { registerAudit } from './commands/audit.js';
import { registerCheck } from './commands/check.js';
import { registerDiff } from './commands/diff.js';
import { registerDrift } from './commands/drift.js';
import { registerExplain } from './commands/explain.js';
import { registerExporter } from './commands/exporter.js';
import { registerGenerate } from './commands/generate.js';
import { registerInit } from './commands/init.js';
import { registerMockProvider } from './commands/mock-provider.js';
import { registerProbe } from './commands/probe.js';
import { registerRehearse } from './commands/rehearse.js';
import { registerSchema } from './commands/schema.js';
import { registerUsage } from './commands/usage.js';
import { type CliIO, processIO } from './io.js';

const EXIT_MEANING: Record<number, string> = {
  0: 'every check passed (warnings allowed unless --fail-on warn); with --soft-fail, also when\n     the gate failed (invalid input is still 2)',
  1: 'the gate failed: a check failed (or warned, with --fail-on warn), a waiver expired,\n     (readiness diff) a check became fail, (audit verify) the log has defects, or (init) the\n     manifest was written and a check fails',
  2: 'invalid input or usage: each problem printed as file:line:col: message',
  3: 'probe inconclusive: the achieved rate fell short of the target',
  70: 'internal error (a bug in readiness: please report it)',
  130: 'interrupted (Ctrl-C): no report, manifest or generated file is written; a probe prints\n     what it measured so far, marked interrupted',
};

/** The codes each command can return, and where its words differ from the general list. */
export const COMMAND_EXITS: Record<string, { codes: number[]; meaning?: Record<number, string> }> = {
  check: {
    codes: [0, 1, 2, 3, 70, 130],
    meaning: {
      1: 'the gate failed: a check failed (or warned, with --fail-on warn), or a waiver expired',
      3: '(--probe) probe inconclusive: the achieved rate fell short of the target',
      130: '(--probe) interrupted (Ctrl-C or SIGTERM): the figures measured so far go to stderr (and\n     to --probe-out, marked interrupted); no report and no generated file is written',
    },
  },
  drift: {
    codes: [0, 1, 2, 70],
    meaning: { 0: 'no drift that fails (warnings allowed unless --fail-on warn)', 1: 'drift: a finding fails (or warns, with --fail-on warn)' },
  },
  diff: { codes: [0, 1, 2, 70], meaning: { 0: 'no check became fail (with --fail-on warn: none got worse)', 1: 'a check became fail (with --fail-on warn: a check got worse at all; a waived finding counts as pass)' } },
  probe: {
    codes: [0, 2, 3, 70, 130],
    meaning: {
      0: 'measured: the probe held the target rate (its report has the verdicts)',
      130: 'interrupted (Ctrl-C or SIGTERM): what was measured so far is printed (and written to\n     --out), marked interrupted',
    },
  },
  generate: { codes: [0, 2, 70], meaning: { 0: 'every file was written (as a set: on any error none is)' } },
  init: {
    codes: [0, 1, 2, 70, 130],
    meaning: {
      0: 'the manifest was written and every check passes',
      1: 'the manifest was written and a check fails (the report says which and how to fix it)',
      2: 'invalid answers or usage, each problem as file:line:col: message; nothing is written',
      130: 'interrupted (Ctrl-C at a question): nothing was written',
    },
  },
  'audit verify': {
    codes: [0, 1, 2, 70],
    meaning: { 0: 'every record has the required fields, in their formats, in time order', 1: 'the log has defects (the report lists them)' },
  },
  'mock-provider': { codes: [0, 2, 70], meaning: { 0: 'served until --duration ended, Ctrl-C or SIGTERM' } },
  exporter: { codes: [0, 2, 70], meaning: { 0: 'served until --duration ended, Ctrl-C or SIGTERM', 2: 'bad usage, the variable unset or not a postgresql:// URL, the pg driver missing, or the first read of the database failed' } },
  explain: { codes: [0, 2, 70], meaning: { 0: 'the check was explained', 2: 'unknown check id (the message suggests the nearest) or bad usage' } },
  checks: { codes: [0, 2, 70], meaning: { 0: 'the catalogue was printed', 2: 'bad usage' } },
  schema: { codes: [0, 2, 70], meaning: { 0: 'the schema was printed', 2: 'bad usage' } },
  usage: { codes: [0, 2, 70], meaning: { 0: 'the profile was printed', 2: 'bad input: a log that is missing, empty, binary, a directory, has a line over 16 MiB or a CSV without the needed columns; no valid record; with --strict, a skipped line' } },
  rehearse: {
    codes: [0, 1, 2, 3, 70, 130],
    meaning: {
      0: 'every check passed against the rehearsal (warnings allowed unless --fail-on warn)',
      1: 'the gate failed: a check failed (or warned, with --fail-on warn)',
      130: 'interrupted (Ctrl-C or SIGTERM): the gateway and the mocks are stopped; the figures\n     measured so far go to stderr (and to --probe-out, marked interrupted); no report',
    },
  },
};

/** The exit codes and what they mean: all of them, or those of one command, in its words. */
export function exitCodesHelp(command?: string): string {
  const spec = command ? COMMAND_EXITS[command] : undefined;
  const codes = spec?.codes ?? [0, 1, 2, 3, 70, 130];
  return `\nExit codes:\n${codes.map((c) => `${String(c).padStart(3)}  ${spec?.meaning?.[c] ?? EXIT_MEANING[c]}`).join('\n')}`;
}

/** The whole list, for `readiness --help`. */
export const EXIT_CODES_HELP = exitCodesHelp();

export function buildProgram(io: CliIO, setExit: (code: number) => void): Command {
  const program = new Command();
  program
    .name('readiness')
    .description('Decide whether an LLM-agent deployment is ready to hand to its operator: rate limits at peak, cost attribution, audit log, failover and per-tenant budgets.')
    .version(toolVersion(), '-V, --version')
    .showSuggestionAfterError(true)
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .exitOverride()
    .addHelpText('after', EXIT_CODES_HELP);
  registerCheck(program, io, setExit);
  registerGenerate(program, io);
  registerSchema(program, io);
  registerAudit(program, io, setExit);
  registerExplain(program, io);
  registerDiff(program, io, setExit);
  registerDrift(program, io, setExit);
  registerInit(program, io, setExit);
  registerProbe(program, io, setExit);
  registerMockProvider(program, io);
  registerRehearse(program, io, setExit);
  registerUsage(program, io);
  registerExporter(program, io);
  for (const c of program.commands) {
    c.exitOverride().configureOutput({ writeOut: io.stdout, writeErr: io.stderr });
    if (c.name() in COMMAND_EXITS) c.addHelpText('after', exitCodesHelp(c.name()));
    for (const sub of c.commands) {
      const name = `${c.name()} ${sub.name()}`;
      if (name in COMMAND_EXITS) sub.addHelpText('after', exitCodesHelp(name));
    }
  }
  return program;
}

/** Runs the CLI in-process and resolves to the exit code. Never throws for a user's mistake. */
export async function main(argv: string[], io: CliIO = processIO()): Promise<number> {
  let code: number = EXIT.ok;
  const program = buildProgram(io, (c) => {
    code = c;
  });
  try {
    await program.parseAsync(argv);
    return code;
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') return EXIT.ok;
      return EXIT.invalidInput;
    }
    if (err instanceof InputError) {
      for (const d of err.diagnostics) io.stderr(`${formatDiagnostic(d)}\n`);
      return EXIT.invalidInput;
    }
    if (err instanceof UsageError) {
      io.stderr(`readiness: ${err.message}\n`);
      return EXIT.invalidInput;
    }
    io.stderr(`readiness: internal error (a bug in readiness, please report it):\n${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    return 70;
  }
}
