import { stat } from 'node:fs/promises';
import path from 'node:path';
import { gateExitCode, runChecks } from '../checks/run.js';
import type { CliIO } from '../cli/io.js';
import { DEFAULT_MAX_BYTES, maxBytesFromEnv, parseManifest } from '../manifest/load.js';
import { readBounded } from '../util/read-bounded.js';
import type { Manifest } from '../manifest/types.js';
import { renderText } from '../report/text.js';
import { writeAtomic } from '../util/atomic.js';
import { checkReplaceable } from '../util/output.js';
import { makeChalk } from '../util/color.js';
import { EXIT, UsageError } from '../util/errors.js';
import type { PromptContext, PromptFns } from './inquirer.js';
import { answersToManifest, manifestToAnswers } from './manifest.js';
import { answersFromFile } from './session.js';
import type { Answers, Defaults } from './types.js';
import { renderManifestYaml } from './yaml.js';

export interface InitOptions {
  out: string;
  answers?: string;
  from?: string;
  force?: boolean;
  /** usage logs whose measured figures become the questionnaire's defaults (src/usage/init-defaults.ts) */
  usage?: string[];
  tz?: string;
}

export interface InitDeps {
  /** loads the prompts for an interactive session (the CLI lazy-imports @inquirer/prompts) */
  prompts: () => Promise<{ fns: PromptFns; context?: PromptContext }>;
}

async function exists(file: string): Promise<boolean> {
  try {
    await stat(file);
    return true;
  } catch (err) {
    // a missing file, or a path through a file (out/m.yaml where out is a file): writing reports why
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return false;
    throw err;
  }
}

/** Reads a file the user named, bounded (stat first, at most the size limit); a failure is a located input error under the name they gave. */
async function readInput(file: string, shown: string, what: string, env: NodeJS.ProcessEnv): Promise<Buffer> {
  return readBounded(file, { maxBytes: maxBytesFromEnv(env) ?? DEFAULT_MAX_BYTES, what: what === 'answers' ? 'an answers file' : `a ${what}`, shownAs: shown });
}

/** The manifest file the answers describe: comments per section, valid against the schema. */
export function manifestFile(answers: Answers, base?: Manifest): { manifest: Manifest; yaml: string } {
  const manifest = answersToManifest(answers, base);
  return { manifest, yaml: renderManifestYaml(manifest) };
}

/** True for inquirer's ExitPromptError (Ctrl-C or the terminal closing), without importing inquirer. */
export function isPromptExit(err: unknown): boolean {
  return err instanceof Error && (err.name === 'ExitPromptError' || err.name === 'AbortPromptError');
}

const refuse = (out: string) =>
  new UsageError(`${out} already exists: pass --force to overwrite it (to revise it with its values as defaults: readiness init --from ${out} --force)`);

/**
 * `readiness init`: asks the questionnaire (or reads --answers), writes the manifest atomically,
 * runs every check and prints the report. Resolves to the exit code.
 */
export async function runInit(opts: InitOptions, io: CliIO, deps: InitDeps): Promise<number> {
  if (opts.answers && opts.from) throw new UsageError('--answers and --from do not combine: an answers file states every answer itself');
  const outPath = path.resolve(io.cwd, opts.out);
  if (!opts.force && (await exists(outPath))) throw refuse(opts.out);
  // the files this run reads are never its output (--from is: revising a manifest in place is what it is for);
  // a device or an input at --out is refused before any question is asked
  const inputs = [opts.answers, ...(opts.usage ?? [])].filter((f): f is string => typeof f === 'string').map((f) => path.resolve(io.cwd, f));
  await checkReplaceable(outPath, { shownAs: opts.out, inputs });

  let base: Manifest | undefined;
  let defaults: Defaults = {};
  if (opts.from) {
    base = parseManifest(await readInput(path.resolve(io.cwd, opts.from), opts.from, 'manifest', io.env), opts.from, { maxBytes: maxBytesFromEnv(io.env) }).manifest;
    defaults = manifestToAnswers(base);
  }

  if (opts.usage?.length) {
    if (opts.answers) throw new UsageError('--usage offers the measured figures as the questionnaire\'s defaults; with --answers put them in the file (readiness usage LOG prints them)');
    const [{ usageForCli }, { withUsageDefaults }] = await Promise.all([import('../usage/session.js'), import('../usage/init-defaults.js')]);
    const { profile } = await usageForCli(opts.usage, { tz: opts.tz }, base, io);
    defaults = withUsageDefaults(defaults, profile);
    io.stderr(`readiness init: measured ${profile.requests} requests over ${profile.span.days} days (${profile.timezone}): peak ${profile.peakRpm.value} rpm, ${profile.peakWindow}; offered as the defaults\n`);
  }

  const notes = (lines: string[]) => {
    for (const l of lines) io.stderr(`   -> ${l}\n`);
  };
  let answers: Answers;
  if (opts.answers) {
    const bytes = await readInput(path.resolve(io.cwd, opts.answers), opts.answers, 'answers', io.env);
    const read = await answersFromFile(bytes, opts.answers, maxBytesFromEnv(io.env));
    answers = read.answers;
    notes(read.notes);
  } else {
    const { fns, context } = await deps.prompts();
    const [{ promptSource }, { runReviewed }] = await Promise.all([import('./inquirer.js'), import('./review.js')]);
    io.stderr(
      `readiness init: the operator questionnaire. Answers are checked as you give them; a default in\n(parentheses) is an offer: Enter takes it, Backspace clears it, Tab copies it to edit. Where a\nquestion has columns, separate them with "|". Every answer is shown for review, and can be\nchanged, before anything is written. Ctrl-C stops without writing anything.\n`,
    );
    try {
      answers = await runReviewed(promptSource(fns, io.stderr, context), defaults, opts.out);
    } catch (err) {
      if (isPromptExit(err)) {
        io.stderr(`\nreadiness init: interrupted; nothing was written\n`);
        return EXIT.interrupted;
      }
      throw err;
    }
  }

  const { yaml } = manifestFile(answers, base);
  // The file must be what `readiness check` accepts: parse it back through the real loader.
  const loaded = parseManifest(yaml, opts.out);
  if (!opts.force && (await exists(outPath))) throw refuse(opts.out);
  await writeAtomic(outPath, yaml, opts.out, inputs);
  io.stderr(`\nwrote ${opts.out}\n\n`);

  const report = runChecks(loaded);
  const exitCode = gateExitCode(report);
  io.stdout(renderText(report, { chalk: makeChalk('stdout', io.env), exitCode }));
  return exitCode;
}
