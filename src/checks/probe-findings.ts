import { gt, int, pct, plain } from '../util/numbers.js';
import { failsOverOn429 } from './capacity.js';
import { fail, pass, warn } from './finding.js';
import type { DeploymentModel } from '../manifest/model.js';
import type { ProbeEvidence } from '../probe/types.js';
import type { Finding } from './types.js';

/** The probe's own findings (rate-limit-sizing reports them): 429s, error rate, latency, cold start, streaming. */

/** Error rate allowed at peak when slo.maxErrorRate is not stated. */
export const DEFAULT_MAX_ERROR_RATE = 0.01;
/** First-request p99 above this multiple of the steady p99 warns. */
export const COLD_P99_FACTOR = 2;

const ms = (n: number) => `${int(n)} ms`;

/** Verdicts on what the probe measured at the stated peak. Pure: the evidence is passed in. */
export function probeFindings(model: DeploymentModel, probe: ProbeEvidence): Finding[] {
  const out: Finding[] = [];
  const m = model.manifest;
  const steady = probe.phases.find((p) => p.name === 'steady');
  const burst = probe.phases.find((p) => p.name === 'burst');
  const rate = `${plain(probe.targetRps, 3)} req/s (${plain(probe.peakRpm)} rpm)`;
  const fraction = probe.targetRps > 0 ? probe.achievedRps / probe.targetRps : 0;
  if (probe.inconclusive) {
    out.push(
      warn(
        ['probe'],
        `probe inconclusive${probe.interrupted ? ' (interrupted)' : ''}: achieved ${plain(probe.achievedRps, 3)} req/s of the ${rate} target, ${pct(fraction)} (minimum ${pct(probe.minAchievedFraction)}); the verdicts below rest on less than the stated peak`,
        'Run the probe from a machine that can generate the peak (or closer to the gateway), and check that the target answers within the request timeout.',
        { achievedRps: probe.achievedRps, targetRps: probe.targetRps, achievedFraction: Number(plain(fraction)), minAchievedFraction: probe.minAchievedFraction },
      ),
    );
  }
  if (!steady) return out;
  const finished = steady.responses + steady.errors;
  const base = { targetRps: probe.targetRps, achievedRps: steady.achievedRps, responses: steady.responses, errors: steady.errors };
  if (steady.count429 > 0) {
    out.push(
      fail(
        ['traffic', 'peakRpm'],
        `probe: ${int(steady.count429)} of ${int(steady.responses)} responses at the stated peak of ${rate} were 429 (limit: 0 at or below the peak), the first ${plain(steady.first429AtSeconds ?? 0, 1)} s into the steady phase`,
        `Users will see these 429s at the operator's peak: raise ${model.primary.id}'s limit, or make the gateway fail over on 429 to a provider with spare capacity, or queue bursts.`,
        { ...base, count429: steady.count429, first429AtSeconds: steady.first429AtSeconds, limit429: 0 },
      ),
    );
  } else {
    out.push(pass(['traffic', 'peakRpm'], `probe: 0 of ${int(steady.responses)} responses at the stated peak of ${rate} were 429 (limit: 0)`, { ...base, count429: 0, limit429: 0 }));
  }
  if (burst && burst.count429 > 0) {
    out.push(
      warn(
        ['probe', 'burstFactor'],
        `probe: above the peak, at ${plain(burst.targetRps, 3)} req/s (x${plain(burst.targetRps / probe.targetRps, 2)}), ${int(burst.count429)} of ${int(burst.responses)} responses were 429, the first ${plain(burst.first429AtSeconds ?? 0, 1)} s into the burst`,
        'A burst above the stated peak is rate-limited: confirm the peak with the operator, or add headroom, queueing or failover.',
        { burstRps: burst.targetRps, count429: burst.count429, responses: burst.responses, first429AtSeconds: burst.first429AtSeconds },
      ),
    );
  }
  const maxErr = m.slo?.maxErrorRate ?? DEFAULT_MAX_ERROR_RATE;
  const errLimit = `limit slo.maxErrorRate ${pct(maxErr)}${m.slo?.maxErrorRate === undefined ? ' (default)' : ''}`;
  const errPath = m.slo?.maxErrorRate !== undefined ? ['slo', 'maxErrorRate'] : m.slo ? ['slo'] : ['traffic', 'peakRpm'];
  const bad = Math.round(steady.errorRate * finished);
  const errEvidence: Record<string, number | string[]> = { errorRate: steady.errorRate, maxErrorRate: maxErr, failed: bad, finished, statuses: Object.entries(steady.statuses).map(([k, v]) => `${k}:${v}`) };
  if (steady.streamErrors) errEvidence.streamErrors = steady.streamErrors;
  if (gt(steady.errorRate, maxErr)) {
    out.push(
      fail(
        errPath,
        `probe: error rate ${pct(steady.errorRate)} at the stated peak (${int(bad)} of ${int(finished)} requests non-2xx or failed; ${errLimit})`,
        'Find what answered with errors at the peak (the status breakdown is in the evidence) and fix capacity, failover or timeouts before go-live.',
        errEvidence,
      ),
    );
  } else {
    out.push(pass(errPath, `probe: error rate ${pct(steady.errorRate)} at the stated peak (${errLimit})`, errEvidence));
  }
  const slo = m.slo?.steadyP99Ms;
  if (steady.p99 !== null) {
    if (slo !== undefined && gt(steady.p99, slo)) {
      out.push(
        warn(
          ['slo', 'steadyP99Ms'],
          `probe: steady p99 ${ms(steady.p99)} at the stated peak (limit slo.steadyP99Ms ${ms(slo)})`,
          'Latency at the peak exceeds the SLO: check provider latency, gateway queueing and retries under load.',
          { steadyP99Ms: steady.p99, sloSteadyP99Ms: slo, p50: steady.p50, p90: steady.p90 },
        ),
      );
    } else {
      out.push(
        pass(slo !== undefined ? ['slo', 'steadyP99Ms'] : ['traffic', 'peakRpm'], `probe: steady p99 ${ms(steady.p99)} at the stated peak (limit ${slo !== undefined ? `slo.steadyP99Ms ${ms(slo)}` : 'none stated'})`, {
          steadyP99Ms: steady.p99,
          sloSteadyP99Ms: slo ?? null,
        }),
      );
    }
  }
  const exceptions = probe.phases.reduce((n, p) => n + (p.gatewayExceptions ?? 0), 0);
  if (exceptions > 0) {
    out.push(
      warn(
        ['gateway'],
        `probe: ${int(exceptions)} responses were the gateway's own exceptions (its exception header), not answers from a provider; a gateway exception is not failed over`,
        `Read the gateway's log for the exception.${probe.stream ? " For streamed requests through the open-source Portkey gateway on Node, check the @hono/node-server it runs with (docs/gateway.md, 'Streaming through the npm gateway')." : ''}`,
        { gatewayExceptions: exceptions, streamed: probe.stream === true },
      ),
    );
  }
  const cold = probe.phases.find((p) => p.name === 'cold');
  const limitedBy = probe.phases.filter((p) => p.clientLimited);
  if (limitedBy.length > 0) {
    const worstLag = Math.max(...limitedBy.map((p) => p.dispatchLagMs?.p99 ?? 0));
    out.push(
      warn(
        ['probe'],
        `probe: dispatch lag p99 ${ms(worstLag)} in ${limitedBy.map((p) => p.name).join(', ')} (bound ${ms(probe.dispatchLagBoundMs ?? 0)}): the latency figures include the probe's own delay and are limited by the client, not the target`,
        'Run the probe on a machine with spare CPU (or fewer other jobs), or closer to the gateway, so its own dispatch lag stays below the bound.',
        { dispatchLagP99Ms: worstLag, boundMs: probe.dispatchLagBoundMs ?? null, phases: limitedBy.map((p) => p.name) },
      ),
    );
  }
  if (probe.stream && steady.ttftMs && steady.ttftMs.p99 !== null) {
    const coldT = cold?.ttftMs?.p99 ?? null;
    const st = steady.ttftMs.p99;
    const streamEv = {
      steadyTtftP50Ms: steady.ttftMs.p50,
      steadyTtftP99Ms: st,
      coldTtftP99Ms: coldT,
      itlP50Ms: steady.itlMs?.p50 ?? null,
      outputTokensPerSecondP50: steady.outputTokensPerSecond?.p50 ?? null,
      streamErrors: steady.streamErrors ?? 0,
    };
    if (coldT !== null && gt(coldT, COLD_P99_FACTOR * st)) {
      out.push(
        warn(
          ['probe'],
          `probe: first-request time to first token p99 ${ms(coldT)} on fresh connections (limit 2 x steady TTFT p99 = ${ms(COLD_P99_FACTOR * st)})`,
          "Users' first streamed answer after idle starts late: keep the path warm before the operator's peak, or pre-open connections.",
          streamEv,
        ),
      );
    } else {
      out.push(
        pass(
          ['probe'],
          `probe: streamed at the stated peak, time to first token p50 ${ms(steady.ttftMs.p50 ?? 0)}, p99 ${ms(st)}${coldT !== null ? ` (first request ${ms(coldT)}, limit 2 x steady = ${ms(COLD_P99_FACTOR * st)})` : ''}; inter-token p50 ${plain(steady.itlMs?.p50 ?? 0, 1)} ms; ${plain(steady.outputTokensPerSecond?.p50 ?? 0, 1)} output tokens/s; ${int(steady.streamErrors ?? 0)} streams failed mid-way`,
          streamEv,
        ),
      );
    }
  }
  if (cold && cold.p99 !== null && steady.p99 !== null) {
    const limit = COLD_P99_FACTOR * steady.p99;
    const ev = { coldP99Ms: cold.p99, steadyP99Ms: steady.p99, limitMs: limit, freshConnections: cold.sent };
    if (gt(cold.p99, limit)) {
      out.push(
        warn(
          ['probe'],
          `probe: first-request p99 ${ms(cold.p99)} on ${cold.sent} fresh connections (limit 2 x steady p99 = ${ms(limit)})`,
          "The first requests after idle are slow (cold start, connection setup or model loading): keep the path warm before the operator's peak, or pre-open connections.",
          ev,
        ),
      );
    } else {
      out.push(pass(['probe'], `probe: first-request p99 ${ms(cold.p99)} on ${cold.sent} fresh connections (limit 2 x steady p99 = ${ms(limit)})`, ev));
    }
  }
  return out;
}

/**
 * Anthropic's input- and output-token limits (ITPM, OTPM), as the primary's anthropic-ratelimit-{input,output}-
 * tokens-limit headers granted them to the probe, against the stated peak: peak x traffic.tokensPerRequest.input
 * and x .output (Anthropic counts max_tokens against OTPM when a request starts,
 * https://docs.anthropic.com/en/api/rate-limits). The manifest declares only rpm and tpm, so the grant is judged
 * against the peak with the same headroom rule. Over the limit fails, unless failover on 429 takes the excess.
 */
export function grantedTokenFindings(model: DeploymentModel, probe: ProbeEvidence, headroom: number): Finding[] {
  const out: Finding[] = [];
  const m = model.manifest;
  const g = probe.granted?.find((x) => x.provider === model.primary.id);
  const tokens = m.traffic?.tokensPerRequest;
  const peak = model.peakRpm;
  if (!g || !tokens || peak === undefined) return out;
  const failover = failsOverOn429(m.routing?.failover) && model.failoverTargets.length > 0;
  for (const [limit, perRequest, what, header] of [
    [g.itpm, tokens.input, 'input', 'anthropic-ratelimit-input-tokens-limit'],
    [g.otpm, tokens.output, 'output', 'anthropic-ratelimit-output-tokens-limit'],
  ] as const) {
    if (limit === undefined || !(limit > 0)) continue;
    const need = peak * perRequest;
    const util = need / limit;
    const head = `probe: ${model.primary.id} grants ${int(limit)} ${what} tokens per minute (${header}); the peak needs ${int(need)} (${plain(peak)} rpm x ${int(perRequest)} ${what} tokens), ${pct(util)} of it`;
    const ev = { provider: model.primary.id, grantedPerMinute: limit, neededPerMinute: need, utilization: Number(plain(util)), header };
    const raise = `Ask Anthropic for a higher ${what}-token limit (a higher usage tier or a custom limit)${what === 'output' ? ', lower max_tokens (traffic.tokensPerRequest.output) to what answers really use' : ', send fewer input tokens per request'}, or fail over on 429 to another provider.`;
    if (util > 1 + 1e-9) {
      out.push(
        failover
          ? warn(['providers', model.primaryIndex, 'limits'], `${head}: over the limit; the excess fails over on 429 to ${model.failoverTargets.map((t) => t.provider.id).join(', ')}`, raise, ev)
          : fail(['providers', model.primaryIndex, 'limits'], `${head}: over the limit, and there is no automatic failover on 429`, raise, ev),
      );
    } else if (util > headroom + 1e-9) {
      out.push(warn(['providers', model.primaryIndex, 'limits'], `${head}: above the ${pct(headroom)} headroom`, raise, ev));
    } else {
      out.push(pass(['providers', model.primaryIndex, 'limits'], `${head}: within the ${pct(headroom)} headroom`, ev));
    }
  }
  return out;
}
