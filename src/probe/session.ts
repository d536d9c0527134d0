import type { CliIO } from '../cli/io.js';
import type { DeploymentModel } from '../manifest/model.js';
import { UsageError } from '../util/errors.js';
import { int, pct, plain } from '../util/numbers.js';
import { buildPlan, guard, type ProbeOptions, type ProbePlan, resolvePlan } from './plan.js';
import type { LookupAll } from '../util/net.js';
import { runProbe } from './run.js';
import type { PhaseResult, ProbeEvidence } from './types.js';

/** Command-line options shared by `probe`, `check --probe` and `rehearse`. */
export interface ProbeCliOptions {
  target?: string;
  duration?: number;
  burstFactor?: number;
  burstSeconds?: number;
  coldConnections?: number;
  compress?: number;
  maxRequests?: number;
  timeoutMs?: number;
  allowRemote?: boolean;
  maxCostUsd?: number;
  apiKeyEnv?: string;
  stream?: boolean;
}

export function toProbeOptions(o: ProbeCliOptions, env: NodeJS.ProcessEnv): ProbeOptions {
  const headers: Record<string, string> = {};
  if (o.apiKeyEnv) {
    const key = env[o.apiKeyEnv];
    if (!key) throw new UsageError(`--api-key-env ${o.apiKeyEnv}: that environment variable is not set`);
    headers.authorization = `Bearer ${key}`;
  }
  return {
    target: o.target,
    durationSeconds: o.duration,
    burstFactor: o.burstFactor,
    burstSeconds: o.burstSeconds,
    coldConnections: o.coldConnections,
    compression: o.compress,
    maxRequests: o.maxRequests,
    timeoutMs: o.timeoutMs,
    headers,
    ...(o.stream ? { stream: true } : {}),
  };
}

function phaseLine(p: PhaseResult): string {
  const st = Object.entries(p.statuses)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k} x${int(v)}`)
    .join(', ');
  const lat = p.p99 === null ? 'no responses' : `p50 ${int(p.p50 ?? 0)} ms, p90 ${int(p.p90 ?? 0)} ms, p99 ${int(p.p99)} ms`;
  const rate = p.name === 'cold' ? `${p.sent} fresh connections` : `${plain(p.achievedRps, 2)}/${plain(p.targetRps, 2)} req/s over ${plain(p.durationSeconds, 2)} s`;
  return `  ${p.name.padEnd(6)} ${rate}; ${int(p.responses)} responses (${st || 'none'})${p.errors ? `, ${int(p.errors)} failed` : ''}; ${lat}`;
}

/** A short human summary of a probe (stderr for `check --probe`, stdout for `probe --format text`). */
export function renderProbeSummary(ev: ProbeEvidence): string {
  const steady = ev.phases.find((p) => p.name === 'steady');
  const lines = [
    `probe of ${ev.target} at ${plain(ev.peakRpm)} rpm (${plain(ev.targetRps, 3)} req/s)${ev.compression > 1 ? `, time compressed x${plain(ev.compression)}` : ''}${ev.interrupted ? ' (interrupted)' : ''}`,
    ...ev.phases.map(phaseLine),
  ];
  for (const p of ev.phases) {
    const extra: string[] = [];
    if (p.ttftMs && p.ttftMs.p50 !== null) {
      extra.push(`TTFT p50 ${int(p.ttftMs.p50)} ms, p99 ${int(p.ttftMs.p99 ?? 0)} ms; ITL p50 ${plain(p.itlMs?.p50 ?? 0, 1)} ms; ${plain(p.outputTokensPerSecond?.p50 ?? 0, 1)} output tokens/s${p.streamErrors ? `; ${int(p.streamErrors)} streams failed mid-way` : ''}`);
    }
    if (p.servedBy && (ev.chain?.length ?? 0) > 1) {
      const total = Object.values(p.servedBy).reduce((a, b) => a + b, 0);
      const shares = Object.entries(p.servedBy)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([k, v]) => `${k} ${pct(v / total)}`)
        .join(', ');
      extra.push(`served by ${shares}${p.failoverStartSeconds !== null && p.failoverStartSeconds !== undefined ? `; failover from ${plain(p.failoverStartSeconds, 2)} s` : ''}${p.gateway429OnsetSeconds !== null && p.gateway429OnsetSeconds !== undefined ? `; 429 onset ${plain(p.gateway429OnsetSeconds, 2)} s` : ''}`);
    }
    if (p.costPerRequestUsd) extra.push(`gateway cost $${plain(p.costPerRequestUsd.mean, 6)}/request`);
    if (p.dispatchLagMs && p.dispatchLagMs.p99 !== null) extra.push(`dispatch lag p99 ${plain(p.dispatchLagMs.p99, 1)} ms${p.clientLimited ? ' (above the bound: latency limited by the client)' : ''}`);
    if (extra.length) lines.push(`    ${p.name}: ${extra.join('; ')}`);
  }
  for (const g of ev.granted ?? []) {
    lines.push(`  ${g.provider} grants ${g.rpm !== undefined ? `${plain(g.rpm)} rpm` : 'no stated rpm'}${g.tpm !== undefined ? `, ${plain(g.tpm)} tpm` : ''} (${g.style} headers on ${int(g.responses)} responses; lowest remaining ${g.minRemainingRequests ?? '-'} requests)`);
  }
  if (ev.untagged) lines.push(`  untagged request: ${ev.untagged.status ?? `no response (${ev.untagged.error ?? 'error'})`}`);
  if (steady) {
    const f = ev.targetRps > 0 ? ev.achievedRps / ev.targetRps : 0;
    lines.push(
      `  achieved ${plain(ev.achievedRps, 3)} of ${plain(ev.targetRps, 3)} req/s (${pct(f)}; minimum ${pct(ev.minAchievedFraction)}): ${ev.inconclusive ? 'INCONCLUSIVE' : 'conclusive'}`,
    );
  } else lines.push('  no steady phase completed: INCONCLUSIVE');
  return `${lines.join('\n')}\n`;
}

/**
 * Plans, guards and runs a probe for a CLI command: prints the plan (and, for a remote target, the estimated
 * cost) on stderr, refuses with a UsageError before any connection when the guard says no, shows a live
 * progress line on a terminal, and stops at once on `signal`.
 */
export async function probeForCli(
  model: DeploymentModel,
  o: ProbeCliOptions,
  io: CliIO,
  signal: AbortSignal,
  extra: Partial<ProbeOptions> & { lookupAll?: LookupAll } = {},
): Promise<{ plan: ProbePlan; evidence: ProbeEvidence }> {
  const base = toProbeOptions(o, io.env);
  const { lookupAll, ...planExtra } = extra;
  const plan = await resolvePlan(buildPlan(model, { ...base, ...planExtra, headers: { ...base.headers, ...(extra.headers ?? {}) } }), lookupAll);
  const verdict = guard(plan, { allowRemote: o.allowRemote, maxCostUsd: o.maxCostUsd });
  if (!verdict.ok) throw new UsageError(verdict.lines.join('\n'));
  for (const l of verdict.lines) io.stderr(`${l}\n`);
  const tty = io.isTTY.stderr;
  const evidence = await runProbe(plan, {
    signal,
    onProgress: tty
      ? (p) => io.stderr(`\r\x1b[2K${p.phase} ${plain(p.elapsedSeconds, 1)} s: sent ${p.sent}, responses ${p.responses}, 429 ${p.count429}, failed ${p.errors}`)
      : undefined,
  });
  if (tty) io.stderr('\r\x1b[2K');
  return { plan, evidence };
}

/**
 * Runs `fn` with an AbortSignal that fires on the first SIGINT (Ctrl-C) or SIGTERM (a CI timeout,
 * `docker stop`): both stop what was started (the rehearsal's gateway and mocks) before exit. The
 * handlers are removed afterwards.
 */
export async function withInterrupt<T>(fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const ac = new AbortController();
  const onSig = () => ac.abort();
  process.once('SIGINT', onSig);
  process.once('SIGTERM', onSig);
  try {
    return await fn(ac.signal);
  } finally {
    process.off('SIGINT', onSig);
    process.off('SIGTERM', onSig);
  }
}
