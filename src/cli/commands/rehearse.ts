import { type Command, InvalidArgumentError, Option } from 'commander';
import type { ProbeCliOptions } from '../../probe/session.js';
import type { CliIO } from '../io.js';
import { addProbeOptions } from './probe-options.js';

interface RehearseOptions extends ProbeCliOptions {
  format: 'text' | 'json';
  failOn: 'fail' | 'warn';
  verbose?: boolean;
  latencyMs?: number;
  jitterMs?: number;
  windowSeconds?: number;
  probeOut?: string;
}

const num = (name: string, min: number, max = Infinity) => (v: string) => {
  const n = Number(v);
  if (!Number.isFinite(n) || n < min || n > max) throw new InvalidArgumentError(`${name} must be a number >= ${min}${Number.isFinite(max) ? ` and <= ${max}` : ''}`);
  return n;
};

export function registerRehearse(program: Command, io: CliIO, setExit: (code: number) => void): void {
  const cmd = program
    .command('rehearse')
    .description(
      'dress rehearsal on loopback: a mock per declared provider with its declared limits, the real Portkey gateway running the generated config, and the probe at the stated peak',
    )
    .argument('[manifest]', 'deployment manifest (YAML)', 'readiness.yaml')
    .addOption(new Option('-f, --format <format>', 'report format on stdout').choices(['text', 'json']).default('text'))
    .addOption(new Option('--fail-on <level>', 'lowest status that fails the gate').choices(['fail', 'warn']).default('fail'))
    .option('-v, --verbose', 'show passing findings too in the text report')
    .addOption(new Option('--latency-ms <ms>', "mock providers' base latency").argParser(num('--latency-ms', 0, 600_000)))
    .addOption(new Option('--jitter-ms <ms>', "mock providers' latency jitter").argParser(num('--jitter-ms', 0, 600_000)))
    .addOption(new Option('--window-seconds <s>', 'window the mocks meter per-minute limits over').argParser(num('--window-seconds', 0.001)))
    .option('--probe-out <file>', 'write the probe result (JSON, with the per-second timeline) to this file');
  addProbeOptions(cmd, { target: false }).action(async (manifest: string, opts: RehearseOptions) => {
    const [{ loadManifest }, { buildModel }, { runChecks, gateExitCode }, session, rehearse, { resolve }] = await Promise.all([
      import('../../manifest/load.js'),
      import('../../manifest/model.js'),
      import('../../checks/run.js'),
      import('../../probe/session.js'),
      import('../../rehearse/run.js'),
      import('node:path'),
    ]);
    const output = await import('../../util/output.js');
    const inputs = [resolve(io.cwd, manifest)];
    if (opts.probeOut) await output.checkReplaceable(resolve(io.cwd, opts.probeOut), { shownAs: opts.probeOut, inputs });
    const loaded = await loadManifest(resolve(io.cwd, manifest), { env: io.env });
    const model = buildModel(loaded.manifest);
    const steady = opts.duration ?? loaded.manifest.probe?.durationSeconds ?? 30;
    const compress = opts.compress ?? Math.max(1, steady / rehearse.REHEARSAL_DEFAULTS.maxSteadySeconds);
    io.stderr(`rehearsal: ${model.manifest.providers.length} mock provider(s) and the Portkey gateway on loopback${compress > 1 ? `, time compressed x${Number(compress.toFixed(2))}` : ''}\n`);
    // Ctrl-C at any point, the gateway's start-up included, stops the gateway and the mocks before exit
    const run = await session.withInterrupt(async (signal) => {
      let r: Awaited<ReturnType<typeof rehearse.startRehearsal>>;
      try {
        r = await rehearse.startRehearsal(model, { latencyMs: opts.latencyMs, jitterMs: opts.jitterMs, windowSeconds: opts.windowSeconds, signal });
      } catch (err) {
        // a terminal's Ctrl-C reaches the gateway too: it dies while starting, and that is the interruption, not a failure
        if (signal.aborted) return undefined;
        throw err;
      }
      if ((opts.stream ?? loaded.manifest.probe?.stream) && r.nodeServer?.streamingBroken) {
        const { portkeyStreamingAdvice } = await import('../../gateway/portkey/streaming.js');
        io.stderr(`readiness: warning: ${portkeyStreamingAdvice(r.nodeServer.version)}\n`);
      }
      try {
        // the open-source gateway enforces no attribution (the generated client helper does), so no untagged request
        const result = await session.probeForCli(model, { ...opts, compress, allowRemote: false }, io, signal, { target: r.gatewayUrl, headers: r.headers, untagged: false, gatewayKind: 'portkey' });
        // the providers' figures are the probe's alone: read them before the guardrail's two requests
        const outcomes = rehearse.providerOutcomes(r.providers);
        // the generated guardrail, proven on the real gateway: untagged refused, tagged served
        const guardrail = signal.aborted || result.evidence.interrupted ? undefined : await rehearse.proveGuardrail(r);
        if (guardrail?.guarded) result.evidence.untagged = { status: guardrail.untaggedStatus, ...(guardrail.error ? { error: guardrail.error } : {}) };
        return { result, outcomes, guardrail };
      } finally {
        await r.stop();
      }
    });
    if (!run) {
      io.stderr('readiness: interrupted while the rehearsal started; nothing was measured and nothing was written\n');
      setExit(130);
      return;
    }
    const { result, outcomes, guardrail } = run;
    const probe = result.evidence;
    io.stderr(session.renderProbeSummary(probe));
    if (guardrail?.guarded) {
      io.stderr(`  attribution guardrail: untagged request ${guardrail.untaggedStatus ?? `no response (${guardrail.error ?? 'error'})`}, tagged request ${guardrail.taggedStatus ?? 'no response'}\n`);
    }
    for (const o of outcomes) {
      const st = Object.entries(o.statuses).map(([k, v]) => `${k} x${v}`).join(', ');
      io.stderr(`  provider ${o.id} (mock, rpm ${o.rpm ?? 'unlimited'}, tpm ${o.tpm ?? 'unlimited'}): ${o.requests} requests${st ? ` (${st})` : ''}\n`);
    }
    if (opts.probeOut) {
      await output.writeOutput(resolve(io.cwd, opts.probeOut), `${JSON.stringify({ ...probe, rehearsal: { providers: outcomes } }, null, 2)}\n`, { shownAs: opts.probeOut, inputs });
    }
    if (probe.interrupted) {
      io.stderr('readiness: interrupted; the figures above are what was measured before Ctrl-C (no verdict)\n');
      setExit(130);
      return;
    }
    const before = runChecks(loaded, undefined, model);
    const report = runChecks(loaded, undefined, model, probe);
    const changed = report.checks
      .map((c) => ({ id: c.id, from: before.checks.find((b) => b.id === c.id)?.status, to: c.status }))
      .filter((c) => c.from !== c.to);
    io.stderr(
      changed.length
        ? `rehearsal changed: ${changed.map((c) => `${c.id} ${c.from} -> ${c.to}`).join(', ')}\n`
        : 'rehearsal changed no check verdict: the declared routing behaved as declared at the stated peak\n',
    );
    const gate = gateExitCode(report, opts.failOn);
    const exitCode = gate === 0 && probe.inconclusive ? 3 : gate;
    if (opts.format === 'json') {
      const [{ toJsonReport }, { toolVersion }] = await Promise.all([import('../../report/json.js'), import('../../util/version.js')]);
      const json = toJsonReport(report, { version: toolVersion(), failOn: opts.failOn, exitCode });
      io.stdout(`${JSON.stringify({ ...json, rehearsal: { providers: outcomes, changed, guardrail: guardrail ?? null, probe: { ...probe, timeline: undefined } } }, null, 2)}\n`);
    } else {
      const [{ renderText }, { makeChalk }] = await Promise.all([import('../../report/text.js'), import('../../util/color.js')]);
      io.stdout(renderText(report, { chalk: makeChalk('stdout', io.env), exitCode, verbose: opts.verbose }));
    }
    setExit(exitCode);
  });
}
