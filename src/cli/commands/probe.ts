import { type Command, Option } from 'commander';
import { EXIT } from '../../util/errors.js';
import type { CliIO } from '../io.js';
import type { ProbeCliOptions } from '../../probe/session.js';
import { addProbeOptions } from './probe-options.js';

interface ProbeCommandOptions extends ProbeCliOptions {
  format: 'json' | 'text';
  out?: string;
  exportK6?: string;
}

export function registerProbe(program: Command, io: CliIO, setExit: (code: number) => void): void {
  const cmd = program
    .command('probe')
    .description("put the manifest's stated peak through its gateway: cold, steady and burst phases; exit 0 measured, 3 inconclusive, 130 interrupted")
    .argument('[manifest]', 'deployment manifest (YAML)', 'readiness.yaml')
    .addOption(new Option('-f, --format <format>', 'result format on stdout').choices(['json', 'text']).default('json'))
    .option('-o, --out <file>', 'also write the JSON result (with the per-second timeline) to this file')
    .option('--export-k6 <file>', 'write the plan as a k6 script (constant-arrival-rate scenarios, SLO thresholds, a summary readiness check --import-k6-summary reads) and send nothing');
  addProbeOptions(cmd).action(async (manifest: string, opts: ProbeCommandOptions) => {
    const [{ loadManifest }, { buildModel }, session] = await Promise.all([
      import('../../manifest/load.js'),
      import('../../manifest/model.js'),
      import('../../probe/session.js'),
    ]);
    const { resolve } = await import('node:path');
    const output = await import('../../util/output.js');
    const inputs = [resolve(io.cwd, manifest)];
    if (opts.out) await output.checkReplaceable(resolve(io.cwd, opts.out), { shownAs: opts.out, inputs });
    const loaded = await loadManifest(resolve(io.cwd, manifest), { env: io.env });
    if (opts.exportK6) {
      const [{ buildPlan }, { k6Script }, { writeAtomic }, { DEFAULT_MAX_ERROR_RATE }] = await Promise.all([
        import('../../probe/plan.js'),
        import('../../probe/k6.js'),
        import('../../util/atomic.js'),
        import('../../checks/probe-findings.js'),
      ]);
      const plan = buildPlan(buildModel(loaded.manifest), session.toProbeOptions(opts, {}));
      const m = loaded.manifest;
      await writeAtomic(
        resolve(io.cwd, opts.exportK6),
        k6Script(plan, { manifest: manifest, sloP99Ms: m.slo?.steadyP99Ms, maxErrorRate: m.slo?.maxErrorRate ?? DEFAULT_MAX_ERROR_RATE, apiKeyEnv: opts.apiKeyEnv }),
      );
      io.stderr(`k6 script written to ${opts.exportK6} (${plan.phases.filter((p) => p.name !== 'cold').map((p) => `${p.name} ${p.requests}`).join(', ')} requests); nothing was sent\n`);
      setExit(EXIT.ok);
      return;
    }
    const { evidence } = await session.withInterrupt((signal) => session.probeForCli(buildModel(loaded.manifest), opts, io, signal));
    const json = `${JSON.stringify(evidence, null, 2)}\n`;
    if (opts.out) {
      await output.writeOutput(resolve(io.cwd, opts.out), json, { shownAs: opts.out, inputs });
    }
    if (opts.format === 'json') io.stdout(json);
    else io.stdout(session.renderProbeSummary(evidence));
    if (evidence.interrupted) {
      if (opts.format === 'json') io.stderr(session.renderProbeSummary(evidence));
      io.stderr('readiness: interrupted; the figures above are what was measured before Ctrl-C\n');
      setExit(EXIT.interrupted);
    } else setExit(evidence.inconclusive ? EXIT.inconclusive : EXIT.ok);
  });
}
