import { type Command, Option } from 'commander';
import type { CliIO } from '../io.js';

export interface CheckOptions {
  format: 'text' | 'json';
  failOn: 'fail' | 'warn';
  verbose?: boolean;
  outDir?: string;
}

export function registerCheck(program: Command, io: CliIO, setExit: (code: number) => void): void {
  program
    .command('check')
    .description('validate a manifest and run the five readiness checks; exit 0 pass, 1 gate failed, 2 invalid input')
    .argument('[manifest]', 'deployment manifest (YAML)', 'readiness.yaml')
    .addOption(new Option('-f, --format <format>', 'report format on stdout').choices(['text', 'json']).default('text'))
    .addOption(new Option('--fail-on <level>', 'lowest status that fails the gate').choices(['fail', 'warn']).default('fail'))
    .option('-v, --verbose', 'show passing findings too in the text report')
    .option('-o, --out-dir <dir>', 'also write the generated files (as readiness generate does) into this folder; listed on stderr')
    .action(async (manifest: string, opts: CheckOptions) => {
      const [{ loadManifest }, { runChecks, gateExitCode }, { toolVersion }] = await Promise.all([
        import('../../manifest/load.js'),
        import('../../checks/run.js'),
        import('../../util/version.js'),
      ]);
      const loaded = await loadManifest(manifest);
      const report = runChecks(loaded);
      const exitCode = gateExitCode(report, opts.failOn);
      if (opts.format === 'json') {
        const { renderJson } = await import('../../report/json.js');
        io.stdout(renderJson(report, { version: toolVersion(), failOn: opts.failOn, exitCode }));
      } else {
        const [{ renderText }, { makeChalk }] = await Promise.all([import('../../report/text.js'), import('../../util/color.js')]);
        io.stdout(renderText(report, { chalk: makeChalk('stdout', io.env), exitCode, verbose: opts.verbose }));
      }
      if (opts.outDir !== undefined) {
        const [{ writeGenerated }, path] = await Promise.all([import('../../generate/index.js'), import('node:path')]);
        const written = await writeGenerated(loaded, path.resolve(io.cwd, opts.outDir), toolVersion());
        for (const f of written) io.stderr(`wrote ${path.join(opts.outDir, f).split(path.sep).join('/')}\n`);
      }
      setExit(exitCode);
    });
}
