import { type Command, Option } from 'commander';
import { UsageError } from '../../util/errors.js';
import type { CliIO } from '../io.js';

interface DiffOptions {
  base?: string;
  waivers: string[];
  format: 'text' | 'markdown' | 'json';
  failOn: 'fail' | 'warn';
}

/** The manifest at a git ref, via `git show REF:./FILE` run next to the file (so it works from any directory of the repo). */
async function manifestAtRef(ref: string, file: string, cwd: string): Promise<Buffer | undefined> {
  const [{ execFile }, { promisify }, path] = await Promise.all([import('node:child_process'), import('node:util'), import('node:path')]);
  const abs = path.resolve(cwd, file);
  if (ref.startsWith('-')) throw new UsageError(`--base ${ref}: not a git ref`);
  try {
    const { stdout } = await promisify(execFile)('git', ['show', `${ref}:./${path.basename(abs)}`], {
      cwd: path.dirname(abs),
      encoding: 'buffer',
      maxBuffer: 64 * 1024 * 1024,
    });
    return stdout as unknown as Buffer;
  } catch (err) {
    const e = err as NodeJS.ErrnoException & { stderr?: Buffer };
    if (e.code === 'ENOENT') throw new UsageError('--base needs git, and git was not found on PATH');
    const why = (e.stderr ? e.stderr.toString('utf8') : String(err)).trim().split('\n')[0];
    // the pull request that adds the manifest: there is no base to compare, which is not an error
    if (/exists on disk, but not in|does not exist in/.test(why)) return undefined;
    throw new UsageError(`cannot read ${file} at ${ref}: ${why}`);
  }
}

export function registerDiff(program: Command, io: CliIO, setExit: (code: number) => void): void {
  program
    .command('diff')
    .description('compare two manifests: checks that changed verdict and every figure that moved; exit 1 when a check became fail (--fail-on, as for check)')
    .argument('[manifests...]', 'BASE HEAD (two files), or HEAD alone with --base <git ref>')
    .option('--base <ref>', 'take the base manifest from this git ref (the same path, via git show), e.g. origin/main')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'markdown', 'json']).default('text'))
    .addOption(new Option('--fail-on <level>', 'exit 1 when a check becomes this status or worse in HEAD (fail: became fail; warn: got worse at all)').choices(['fail', 'warn']).default('fail'))
    .addOption(
      new Option('--waivers <file>', 'waivers file applied to both sides, as with readiness check (repeatable)')
        .argParser((v: string, prev: string[] | undefined) => [...(prev ?? []), v])
        .default([]),
    )
    .addHelpText(
      'after',
      `
Figures followed: peak utilization of the primary, failover chain capacity, projected spend per tenant,
audit retention, and every stated figure a verdict rests on (peak, average, tokens, each provider's
limits and prices, failover mode, targets and statuses, each tenant's volume, cost, budget and rpm
limit, account ceiling, alert fraction and day, onExceeded), old -> new even when no verdict moves.
Exit 1 only when a check becomes fail (--fail-on warn: when any check gets worse). Waivers in each manifest apply (judged against today in UTC, or READINESS_TODAY);
a HEAD or --waivers waiver that expires more than READINESS_MAX_WAIVER_DAYS (default 180) days ahead is exit 2, as for check.

Examples:
  readiness diff old/readiness.yaml readiness.yaml
  readiness diff --base origin/main readiness.yaml --format markdown > diff.md`,
    )
    .action(async (files: string[], opts: DiffOptions) => {
      if (opts.base !== undefined ? files.length !== 1 : files.length !== 2) {
        throw new UsageError(
          opts.base !== undefined ? `with --base, give one manifest (HEAD), got ${files.length}` : `give two manifests, BASE and HEAD (or --base <git ref> and HEAD), got ${files.length}`,
        );
      }
      const [{ loadManifest, parseManifest }, { runChecks }, { applyWaivers, resolveToday, overlongWaivers, maxWaiverDays }, { manifestWaivers, loadWaiversFile }, { diffReports, diffExitCode }, render, { InputError }] = await Promise.all([
        import('../../manifest/load.js'),
        import('../../checks/run.js'),
        import('../../checks/waivers.js'),
        import('../../manifest/waivers.js'),
        import('../../diff/diff.js'),
        import('../../report/diff.js'),
        import('../../util/errors.js'),
      ]);
      const today = resolveToday(io.env);
      const headFile = files[files.length - 1];
      const head = await loadManifest(headFile, { cwd: io.cwd, env: io.env });
      let base;
      let baseLabel: string;
      if (opts.base !== undefined) {
        baseLabel = `${opts.base}:${headFile}`;
        const bytes = await manifestAtRef(opts.base, headFile, io.cwd);
        if (!bytes) {
          const note = `${headFile} does not exist at ${opts.base}: a new manifest, nothing to compare (readiness check gates it)`;
          io.stdout(opts.format === 'json' ? `${JSON.stringify({ base: null, head: headFile, regression: false, note }, null, 2)}\n` : opts.format === 'markdown' ? `### readiness diff\n\n${note}.\n` : `${note}\n`);
          setExit(0);
          return;
        }
        base = parseManifest(bytes, baseLabel);
      } else {
        baseLabel = files[0];
        base = await loadManifest(files[0], { cwd: io.cwd, env: io.env });
      }
      const extra: Awaited<ReturnType<typeof loadWaiversFile>> = [];
      for (const file of opts.waivers) extra.push(...(await loadWaiversFile(file, io.cwd)));
      // as readiness check refuses them: HEAD's waivers and the --waivers files are what this change
      // proposes, so one that expires beyond the maximum is invalid input here too (the base is history:
      // its waivers apply as they stand, so a change that shortens an overlong waiver can be compared)
      const overlong = overlongWaivers([...manifestWaivers(head), ...extra], today, maxWaiverDays(io.env));
      if (overlong.length) throw new InputError(overlong);
      const run = (l: typeof head) => applyWaivers(runChecks(l), [...manifestWaivers(l), ...extra], today);
      const d = diffReports({ label: baseLabel, manifest: base.manifest, report: run(base) }, { label: headFile, manifest: head.manifest, report: run(head) });
      const code = diffExitCode(d, opts.failOn);
      io.stdout(opts.format === 'markdown' ? render.renderDiffMarkdown(d, opts.failOn) : opts.format === 'json' ? render.renderDiffJson(d, code, opts.failOn) : render.renderDiffText(d, opts.failOn));
      setExit(code);
    });
}
