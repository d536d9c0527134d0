import { type Command, Option } from 'commander';
import type { ProbeCliOptions } from '../../probe/session.js';
import { InputError, UsageError } from '../../util/errors.js';
import type { CliIO } from '../io.js';
import { addProbeOptions } from './probe-options.js';
import { maxRecordBytesOption } from './usage.js';

export interface CheckOptions extends ProbeCliOptions {
  format: string[];
  failOn: 'fail' | 'warn';
  softFail?: boolean;
  waivers: string[];
  verbose?: boolean;
  outDir?: string;
  probe?: boolean;
  probeOut?: string;
  usage?: string[];
  tz?: string;
  inputFormat?: string;
  maxRecordBytes?: number;
  gatewayConfig: string[];
  importK6Summary?: string;
}

/** One --format value: NAME (to stdout) or NAME=FILE. */
export interface FormatTarget {
  name: string;
  file?: string;
}

export function parseFormatTarget(value: string): FormatTarget {
  const i = value.indexOf('=');
  if (i < 0) return { name: value.trim() };
  const name = value.slice(0, i).trim();
  const file = value.slice(i + 1).trim();
  if (!file) throw new UsageError(`--format ${value}: give a file after "=" (e.g. --format ${name}=readiness.${name}), or just --format ${name} for stdout`);
  return { name, file };
}

const collect = (value: string, previous: string[] | undefined) => [...(previous ?? []), value];

export const FORMAT_HELP = 'report format: text, json, markdown, junit, sarif, github, html; NAME for stdout or NAME=FILE (written atomically); repeatable';

export function registerCheck(program: Command, io: CliIO, setExit: (code: number) => void): void {
  const cmd = program
    .command('check')
    .description('validate a manifest and run the readiness checks; exit 0 pass, 1 gate failed, 2 invalid input, 3 probe inconclusive')
    .argument('[manifest]', 'deployment manifest (YAML)', 'readiness.yaml')
    .addOption(new Option('-f, --format <name[=file]>', FORMAT_HELP).argParser(collect))
    .addOption(new Option('--fail-on <level>', 'lowest status that fails the gate').choices(['fail', 'warn']).default('fail'))
    .option('--soft-fail', 'report only: exit 0 even when the gate fails (exit 2 on invalid input still); to roll a gate out')
    .addOption(new Option('--waivers <file>', 'YAML file with a `waivers:` list, in addition to the manifest\'s own (repeatable)').argParser(collect).default([]))
    .option('-v, --verbose', 'show passing findings too in the text report')
    .option('-o, --out-dir <dir>', 'also write the generated files (as readiness generate does) into this folder; listed on stderr')
    .option('--probe', 'also probe the gateway at the stated peak and judge what it measured (see readiness probe; the probe options below apply)')
    .addOption(new Option('--gateway-config <file>', 'the deployed gateway config (LiteLLM config.yaml, team or key list JSON, Portkey config JSON): its findings join the report and, where it is weaker than the manifest, it decides (repeatable; see docs/drift.md)').argParser(collect).default([]))
    .option('--import-k6-summary <file>', "judge a k6 run of the exported plan (readiness probe --export-k6) as the probe's result")
    .option('--probe-out <file>', 'with --probe, write the probe result (JSON, with the per-second timeline) to this file')
    .option('--usage <log...>', "judge the operator's measured traffic too: request logs (see readiness usage); put the manifest before --usage")
    .option('--tz <zone>', "with --usage: the time zone to measure in (default operator.timezone, else UTC)")
    .addOption(new Option('--input-format <format>', 'with --usage: force the log format').choices(['jsonl', 'csv', 'litellm-spend-logs']))
    .addOption(maxRecordBytesOption('with --usage: '))
    .addHelpText(
      'after',
      `
Waivers expire: a waiver is judged against today's date in UTC (or READINESS_TODAY=YYYY-MM-DD).
With --format github and GITHUB_STEP_SUMMARY set, the Markdown summary is appended to the step summary.

Examples:
  readiness check readiness.yaml
  readiness check readiness.yaml --format sarif=readiness.sarif --format junit=junit.xml --format github
  readiness check readiness.yaml --soft-fail --format markdown=summary.md
  readiness check readiness.yaml --probe --format html=review.html
  readiness check readiness.yaml --usage pilot.jsonl.gz --tz Europe/Berlin
  readiness check readiness.yaml --gateway-config deploy/litellm.config.yaml --gateway-config deploy/teams.json`,
    );
  addProbeOptions(cmd).action(async (manifest: string, opts: CheckOptions) => {
      const [{ loadManifest }, { runChecks, gateExitCode }, { toolVersion }, formats, { applyWaivers, resolveToday, overlongWaivers, maxWaiverDays }, waiverLoad, path, output] = await Promise.all([
        import('../../manifest/load.js'),
        import('../../checks/run.js'),
        import('../../util/version.js'),
        import('../../report/formats.js'),
        import('../../checks/waivers.js'),
        import('../../manifest/waivers.js'),
        import('node:path'),
        import('../../util/output.js'),
      ]);
      // NAME=/dev/stdout is stdout, as Unix tools read it; the file itself is never replaced
      const targets = (opts.format?.length ? opts.format : ['text']).map(parseFormatTarget).map((t) => (t.file && output.isStdoutPath(t.file) ? { name: t.name } : t));
      for (const t of targets) {
        if (!formats.getFormat(t.name)) throw new UsageError(`unknown format "${t.name}": choose from ${formats.formatNames().join(', ')}`);
      }
      const toStdout = targets.filter((t) => !t.file);
      if (toStdout.length > 1) {
        throw new UsageError(`only one format can go to stdout (got ${toStdout.map((t) => t.name).join(', ')}): write the others to files with --format NAME=FILE`);
      }
      if (opts.probeOut !== undefined && !opts.probe) throw new UsageError('--probe-out needs --probe: without it nothing is probed and nothing would be written');
      if (opts.outDir === '') throw new UsageError('--out-dir "": give a folder (use --out-dir . for the current folder)');
      const seen = new Map<string, string>();
      for (const t of targets.filter((x) => x.file)) {
        const abs = path.resolve(io.cwd, t.file as string);
        const prev = seen.get(abs);
        if (prev) throw new UsageError(`--format ${t.name}=${t.file}: ${t.file} is already the target of --format ${prev}`);
        seen.set(abs, t.name);
      }
      // every file this run reads; no output may replace one of them
      const inputs = [path.resolve(io.cwd, manifest), ...opts.waivers.map((w) => path.resolve(io.cwd, w))];
      const fileTargets = targets.filter((t) => t.file).map((t) => ({ ...t, abs: path.resolve(io.cwd, t.file as string) }));
      // refused before anything runs (a device, a FIFO, an input): not after a probe at the stated peak
      for (const t of fileTargets) await output.checkReplaceable(t.abs, { shownAs: t.file, inputs });
      if (opts.probeOut) await output.checkReplaceable(path.resolve(io.cwd, opts.probeOut), { shownAs: opts.probeOut, inputs });
      const today = resolveToday(io.env);
      const loaded = await loadManifest(manifest, { cwd: io.cwd, env: io.env });
      const waivers = [...waiverLoad.manifestWaivers(loaded)];
      for (const file of opts.waivers) {
        waivers.push(...(await waiverLoad.loadWaiversFile(file, io.cwd)));
      }
      const overlong = overlongWaivers(waivers, today, maxWaiverDays(io.env));
      if (overlong.length) throw new (await import('../../util/errors.js')).InputError(overlong);
      const { buildModel } = await import('../../manifest/model.js');
      const model = buildModel(loaded.manifest);
      // tenants.csv, every tenant's row: beside report.html in --out-dir, and beside an html=FILE page
      // when that page is a summary (more tenants than it draws one by one); refused before anything runs
      const { isSummary } = await import('../../report/html-tenant-rows.js');
      const { TENANTS_CSV } = await import('../../report/csv-tenants.js');
      const csvFiles = new Map<string, string>();
      const outDirCsv = opts.outDir !== undefined ? path.resolve(io.cwd, opts.outDir, TENANTS_CSV) : undefined;
      if (opts.outDir !== undefined && outDirCsv) csvFiles.set(outDirCsv, path.join(opts.outDir, TENANTS_CSV).split(path.sep).join('/'));
      if (isSummary(model)) {
        for (const t of fileTargets.filter((x) => x.name === 'html')) csvFiles.set(path.join(path.dirname(t.abs), TENANTS_CSV), path.join(path.dirname(t.file as string), TENANTS_CSV).split(path.sep).join('/'));
      }
      for (const [abs, shown] of csvFiles) {
        const t = fileTargets.find((x) => x.abs === abs);
        if (t) throw new UsageError(`--format ${t.name}=${t.file}: ${shown} is where readiness writes the tenants' rows beside the HTML page; choose another file (nothing was written)`);
        await output.checkReplaceable(abs, { shownAs: shown, inputs });
      }
      let probe: import('../../probe/types.js').ProbeEvidence | undefined;
      if (opts.probe) {
        const session = await import('../../probe/session.js');
        ({ evidence: probe } = await session.withInterrupt((signal) => session.probeForCli(model, opts, io, signal)));
        io.stderr(session.renderProbeSummary(probe));
        if (opts.probeOut) await output.writeOutput(path.resolve(io.cwd, opts.probeOut), `${JSON.stringify(probe, null, 2)}\n`, { shownAs: opts.probeOut, inputs });
        if (probe.interrupted) {
          io.stderr('readiness: interrupted; the figures above are what was measured before Ctrl-C (no verdict)\n');
          setExit(130);
          return;
        }
      }
      if (!probe && opts.importK6Summary) {
        const { fromK6Summary } = await import('../../probe/k6.js');
        const [{ decodeUtf8, readBounded }, { DEFAULT_MAX_BYTES, maxBytesFromEnv }] = await Promise.all([import('../../util/read-bounded.js'), import('../../manifest/load.js')]);
        const file = opts.importK6Summary;
        // bounded like a manifest (stat first, at most READINESS_MAX_BYTES, no device, no hang on a FIFO), UTF-8 never repaired
        const what = 'a k6 summary';
        const bytes = await readBounded(path.resolve(io.cwd, file), { maxBytes: maxBytesFromEnv(io.env) ?? DEFAULT_MAX_BYTES, what, shownAs: file });
        if (bytes.length === 0) throw new InputError([{ file, line: 1, column: 1, message: 'file is empty: expected a k6 summary (JSON)' }]);
        const text = decodeUtf8(bytes, file, what);
        let raw: unknown;
        try {
          raw = JSON.parse(text);
        } catch (err) {
          throw new UsageError(`${file}: ${(err as Error).message}`);
        }
        try {
          probe = fromK6Summary(raw, file);
        } catch (err) {
          throw new UsageError((err as Error).message);
        }
      }
      // usage logs: the measured profile is evidence the checks judge (src/checks/usage-findings.ts)
      const usage = opts.usage?.length ? await (await import('../../usage/session.js')).usageForCli(opts.usage, opts, loaded.manifest, io) : undefined;
      let evidence: import('../../evidence/types.js').EvidenceSet[] = usage ? [usage.evidence] : [];
      let drift: import('../../drift/run.js').DriftReport | undefined;
      if (opts.gatewayConfig.length) {
        const d = await import('../../drift/run.js');
        const files = await Promise.all(
          opts.gatewayConfig.map(async (file) => {
            const text = await d.readGatewayText(file, io.cwd);
            return { file, text, kind: d.detectKind(file, text) };
          }),
        );
        drift = d.runDrift(files, model);
        evidence = [...evidence, ...drift.evidence];
      }
      const checked = runChecks(loaded, undefined, model, probe, evidence);
      if (drift) {
        const { driftCheckResult } = await import('../../drift/run.js');
        checked.checks.push(driftCheckResult(drift));
        checked.summary = { pass: 0, warn: 0, fail: 0 };
        for (const c of checked.checks) checked.summary[c.status]++;
      }
      const report = applyWaivers(checked, waivers, today);
      const gate = gateExitCode(report, opts.failOn);
      // a failed gate stands on its own evidence; otherwise a probe short of its target is inconclusive, not a pass
      const verdict = gate === 0 && probe?.inconclusive ? 3 : gate;
      const exitCode = opts.softFail ? 0 : verdict;
      const needsChalk = targets.some((t) => t.name === 'text');
      const chalk = needsChalk ? await (await import('../../util/paint.js')).painterFor('stdout', io.env, io.isTTY.stdout) : undefined;
      const htmlProbe = probe && targets.some((t) => t.name === 'html') ? (await import('../../probe/html.js')).probeForHtml(probe) : undefined;
      const root = targets.some((t) => ['sarif', 'github', 'junit', 'markdown'].includes(t.name)) ? await (await import('../repo-root.js')).repositoryRoot(io) : undefined;
      const base = { root, version: toolVersion(), failOn: opts.failOn, exitCode, cwd: io.cwd, verbose: opts.verbose, softFail: opts.softFail, model, source: loaded.source, probe: htmlProbe, usage: usage?.profile };
      // every report is rendered first and written last, as one unit: a run that fails (an out-dir
      // that is a file, a full disk) leaves no report on disk that contradicts its exit code
      const reportFiles: import('../../util/output.js').OutputFile[] = [];
      let stdoutText: string | undefined;
      for (const t of targets) {
        const render = await formats.loadRenderer(t.name);
        if (!render) continue;
        // the text report carries the measured usage profile after the checks, to stdout or to its file alike
        const usageText = t.name === 'text' && usage ? `\n${(await import('../../usage/text.js')).renderUsageText(usage.profile, { limitRpm: model.primary.limits?.rpm, declaredPeakRpm: model.peakRpm })}` : '';
        if (t.file) reportFiles.push({ file: path.resolve(io.cwd, t.file), content: render(report, base) + usageText, shownAs: t.file });
        else stdoutText = render(report, t.name === 'text' ? { ...base, chalk } : base) + usageText;
      }
      const csvContent = csvFiles.size ? (await import('../../report/csv-tenants.js')).renderTenantsCsv(report, model) : '';
      if (opts.outDir !== undefined) {
        const [gen, { writeAllAtomic }] = await Promise.all([import('../../generate/index.js'), import('../../util/atomic.js')]);
        const outDir = path.resolve(io.cwd, opts.outDir);
        const shown = (f: string) => path.join(opts.outDir as string, f).split(path.sep).join('/');
        // the go-live review page and its tenants travel with the files that close the gaps: one set,
        // written as generate writes its own (staged, renamed, under the out-dir's lock), so the page and
        // tenants.csv on disk are always the same manifest's as the generated files beside them
        const set = gen.generateAll(await gen.contextFor(loaded, toolVersion()));
        const html = await formats.loadRenderer('html');
        if (html) {
          const probeForPage = probe ? (await import('../../probe/html.js')).probeForHtml(probe) : undefined;
          set.push({ path: 'report.html', content: html(report, { ...base, probe: probeForPage }) });
        }
        set.push({ path: TENANTS_CSV, content: csvContent });
        await output.checkReplaceable(path.join(outDir, 'report.html'), { shownAs: shown('report.html'), inputs });
        try {
          await writeAllAtomic(outDir, set, { inputs });
        } catch (err) {
          // a folder that is a file, no permission, a full disk: the user's to fix, not a crash (as writeGenerated)
          const e = err as NodeJS.ErrnoException;
          if (typeof e?.code === 'string') throw new UsageError(`cannot write the generated files under ${opts.outDir}: ${e.code} (${e.message})`);
          throw err;
        }
        for (const f of set) io.stderr(`wrote ${shown(f.path)}\n`);
      }
      // beside an html=FILE page elsewhere: with the reports, as one unit
      for (const [file, shownAs] of csvFiles) if (file !== outDirCsv) reportFiles.push({ file, content: csvContent, shownAs });
      await output.writeOutputs(reportFiles, { inputs });
      for (const f of reportFiles) {
        const t = fileTargets.find((x) => x.abs === f.file);
        io.stderr(t ? `readiness: wrote ${t.name} report to ${t.file}\n` : `wrote ${f.shownAs}\n`);
      }
      if (stdoutText !== undefined) io.stdout(stdoutText);
      const summaryFile = io.env.GITHUB_STEP_SUMMARY;
      if (summaryFile && targets.some((t) => t.name === 'github')) {
        const { appendFile } = await import('node:fs/promises');
        const markdown = (await formats.loadRenderer('markdown'))?.(report, base) ?? '';
        try {
          // GitHub gives each step its own summary file and expects appends (as `>> $GITHUB_STEP_SUMMARY` does).
          await appendFile(path.resolve(io.cwd, summaryFile), `${markdown}\n`);
        } catch (err) {
          io.stderr(`readiness: cannot append to GITHUB_STEP_SUMMARY (${summaryFile}): ${(err as NodeJS.ErrnoException).code ?? String(err)}\n`);
        }
      }
      setExit(exitCode);
    });
}
