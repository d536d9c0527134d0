import { type Command, Option } from 'commander';
import type { ProbeCliOptions } from '../../probe/session.js';
import type { CliIO } from '../io.js';
import { addProbeOptions } from './probe-options.js';

export interface CheckOptions extends ProbeCliOptions {
  format: 'text' | 'json';
  failOn: 'fail' | 'warn';
  verbose?: boolean;
  probe?: boolean;
  probeOut?: string;
}

export function registerCheck(program: Command, io: CliIO, setExit: (code: number) => void): void {
  const cmd = program
    .command('check')
    .description('validate a manifest and run the five readiness checks; exit 0 pass, 1 gate failed, 2 invalid input (with --probe: 3 inconclusive, 130 interrupted)')
    .argument('[manifest]', 'deployment manifest (YAML)', 'readiness.yaml')
    .addOption(new Option('-f, --format <format>', 'report format on stdout').choices(['text', 'json']).default('text'))
    .addOption(new Option('--fail-on <level>', 'lowest status that fails the gate').choices(['fail', 'warn']).default('fail'))
    .option('-v, --verbose', 'show passing findings too in the text report')
    .option('--probe', "also probe the gateway at the stated peak and judge what it measured (see readiness probe)")
    .option('--probe-out <file>', 'with --probe, write the probe result (JSON, with the per-second timeline) to this file');
  addProbeOptions(cmd).action(async (manifest: string, opts: CheckOptions) => {
      const [{ loadManifest }, { runChecks, gateExitCode }, { toolVersion }] = await Promise.all([
        import('../../manifest/load.js'),
        import('../../checks/run.js'),
        import('../../util/version.js'),
      ]);
      const loaded = await loadManifest(manifest);
      let probe: import('../../probe/types.js').ProbeEvidence | undefined;
      if (opts.probe) {
        const [session, { buildModel }, { resolve }] = await Promise.all([import('../../probe/session.js'), import('../../manifest/model.js'), import('node:path')]);
        ({ evidence: probe } = await session.withInterrupt((signal) => session.probeForCli(buildModel(loaded.manifest), opts, io, signal)));
        io.stderr(session.renderProbeSummary(probe));
        if (opts.probeOut) {
          const { writeAtomic } = await import('../../util/atomic.js');
          await writeAtomic(resolve(io.cwd, opts.probeOut), `${JSON.stringify(probe, null, 2)}\n`);
        }
        if (probe.interrupted) {
          io.stderr('readiness: interrupted; the figures above are what was measured before Ctrl-C (no verdict)\n');
          setExit(130);
          return;
        }
      }
      const report = runChecks(loaded, undefined, undefined, probe);
      const gate = gateExitCode(report, opts.failOn);
      // a failed gate stands on its own evidence; otherwise a probe short of its target is inconclusive, not a pass
      const exitCode = gate === 0 && probe?.inconclusive ? 3 : gate;
      if (opts.format === 'json') {
        const { renderJson } = await import('../../report/json.js');
        io.stdout(renderJson(report, { version: toolVersion(), failOn: opts.failOn, exitCode }));
      } else {
        const [{ renderText }, { makeChalk }] = await Promise.all([import('../../report/text.js'), import('../../util/color.js')]);
        io.stdout(renderText(report, { chalk: makeChalk('stdout', io.env), exitCode, verbose: opts.verbose }));
      }
      setExit(exitCode);
    });
}
