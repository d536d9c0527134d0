import { gt, int, le, pct, plain } from '../util/numbers.js';
import { capacityRpm, failsOverOn429, rateLimitChain, utilization } from './capacity.js';
import { fail, pass, warn } from './finding.js';
import { capabilityOf, perReplicaMultiplier } from '../gateway/capability.js';
import type { DeploymentModel } from '../manifest/model.js';
import type { ProbeEvidence } from '../probe/types.js';
import { withDeployedLimits } from './deployed.js';
import type { Check, Finding } from './types.js';
import { measuredTraffic, measuredTrafficFindings } from './usage-findings.js';

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
  const errEvidence = { errorRate: steady.errorRate, maxErrorRate: maxErr, failed: bad, finished, statuses: Object.entries(steady.statuses).map(([k, v]) => `${k}:${v}`) };
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
  const cold = probe.phases.find((p) => p.name === 'cold');
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

/** Utilization of the primary at peak above which burst handling or failover is required. */
export const HEADROOM_THRESHOLD = 0.6;

export const rateLimitSizing: Check = {
  id: 'rate-limit-sizing',
  title: 'Provider rate limits sized for the stated peak',
  rationale:
    "Incident one: the provider limit was sized for the average; at the operator's daily peak (4x average, 5pm-7pm) every request got 429 for eleven minutes. The primary must hold the stated peak with headroom, or burst handling or failover must absorb it.",
  remediation:
    "Ask the operator for their peak and put it in traffic.peakRpm. Keep peak utilization of the primary at or below 60% of its rpm and tpm limits; above that add burst handling (routing.burst.strategy) or automatic failover on 429 to another vendor; above 100% only a failover chain whose combined limits cover the peak will do, or raise the provider limit.",
  sources: [
    { title: 'OpenAI rate limits', url: 'https://platform.openai.com/docs/guides/rate-limits' },
    { title: 'Anthropic rate limits', url: 'https://docs.anthropic.com/en/api/rate-limits' },
    { title: 'LiteLLM reliability: fallbacks and retries', url: 'https://docs.litellm.ai/docs/proxy/reliability' },
  ],
  run({ model: declared, probe, evidence }) {
    const findings: Finding[] = [];
    // usage logs: size for the larger of the declared and the measured peak (usage-findings.ts)
    const measured = measuredTraffic(declared, evidence);
    const model = measured.model;
    const m = model.manifest;
    const peak = model.peakRpm;
    const p = model.primary;
    const pPath = ['providers', model.primaryIndex];
    const tokens = model.tokensPerRequest;
    const failover = m.routing?.failover;
    const chain = failsOverOn429(failover) ? model.failoverTargets : [];

    if (peak === undefined) {
      findings.push(
        fail(
          ['traffic', 'peakRpm'],
          `no stated peak: traffic has ${m.traffic?.averageRpm !== undefined ? `an average of ${plain(m.traffic.averageRpm)} rpm but ` : ''}no peakRpm or peakMultiplier`,
          "Size for the operator's peak, not your average: ask them when their daily peak happens and how high it goes, and set traffic.peakRpm (or traffic.peakMultiplier).",
          { peakRpm: null },
        ),
      );
    } else if (p.limits?.rpm === undefined && p.limits?.tpm === undefined) {
      findings.push(
        fail(
          [...pPath, 'limits'],
          `primary ${p.id} declares no rate limit: cannot tell whether it holds the peak of ${plain(peak)} rpm`,
          `Look up the account's rate limits for ${p.model} with ${p.vendor} and set providers[${model.primaryIndex}].limits.rpm and .tpm.`,
          { peakRpm: peak },
        ),
      );
    } else {
      if (p.limits?.tpm !== undefined && tokens === undefined) {
        findings.push(
          warn(
            ['traffic', 'tokensPerRequest'],
            `${p.id} has a tpm limit of ${int(p.limits.tpm)} but traffic.tokensPerRequest is not set, so token throughput at peak was not judged`,
            'Set traffic.tokensPerRequest.input and .output (measure them on real requests).',
          ),
        );
      }
      const u = utilization(peak, p, tokens);
      const util = u.value as number;
      const strategy = m.routing?.burst?.strategy ?? 'none';
      const otherVendor = chain.filter((t) => t.provider.vendor !== p.vendor).map((t) => t.provider.id);
      const evidence = {
        peakRpm: peak,
        primary: p.id,
        rpmLimit: p.limits?.rpm ?? null,
        tpmLimit: p.limits?.tpm ?? null,
        tokensPerRequest: tokens ?? null,
        rpmUtilization: u.rpm !== undefined ? Number(plain(u.rpm)) : null,
        tpmUtilization: u.tpm !== undefined ? Number(plain(u.tpm)) : null,
        utilization: Number(plain(util)),
        boundBy: u.boundBy ?? null,
        burstStrategy: strategy,
      };
      const head = `peak ${plain(peak)} rpm uses ${pct(util)} of ${p.id}'s ${u.boundBy} limit${
        u.boundBy === 'tpm' ? ` (${int(peak * (tokens ?? 0))} of ${int(p.limits?.tpm ?? 0)} tpm)` : ` (${int(p.limits?.rpm ?? 0)} rpm)`
      }`;
      const limitPath = [...pPath, 'limits', u.boundBy as string];
      if (le(util, HEADROOM_THRESHOLD)) {
        findings.push(pass(limitPath, `${head}: within the 60% headroom`, evidence));
      } else if (le(util, 1)) {
        if (strategy !== 'none' || otherVendor.length > 0) {
          const by = [strategy !== 'none' ? `burst strategy ${strategy}` : '', otherVendor.length ? `automatic failover on 429 to ${otherVendor.join(', ')}` : '']
            .filter(Boolean)
            .join(' and ');
          findings.push(pass(limitPath, `${head}: above 60%, absorbed by ${by}`, evidence));
        } else {
          findings.push(
            fail(
              limitPath,
              `${head}: above the 60% headroom with no burst handling and no automatic failover on 429 to another vendor`,
              `Add routing.burst.strategy (queue or retry-backoff), or automatic failover on 429 to a provider of another vendor, or raise ${p.id}'s limit to at least ${int(Math.ceil((util / HEADROOM_THRESHOLD) * (u.boundBy === 'tpm' ? (p.limits?.tpm ?? 0) : (p.limits?.rpm ?? 0))))} ${u.boundBy}.`,
              evidence,
            ),
          );
        }
      } else {
        const { members, capacityRpm: chainCap, unknown } = rateLimitChain(model);
        const chainEvidence = { ...evidence, chainCapacityRpm: Number(plain(chainCap)), chain: members.map((x) => x.provider.id) };
        if (chain.length > 0 && le(peak, chainCap)) {
          // a pass, but one that must be read on the first screen: every peak depends on failover working
          const primaryCap = capacityRpm(p, tokens) ?? 0;
          findings.push(
            pass(
              limitPath,
              `relies on failover at every peak: ${head}; automatic failover on 429 to ${chain.map((t) => t.provider.id).join(', ')} must carry ${int(Math.max(0, peak - primaryCap))} rpm of it (the chain holds ${int(chainCap)} rpm, covering the peak)`,
              { ...chainEvidence, reliesOnFailover: true, failoverCarriesRpm: Number(plain(Math.max(0, peak - primaryCap), 2)) },
            ),
          );
        } else {
          const why =
            chain.length === 0
              ? strategy === 'none'
                ? 'there is no automatic failover on 429 (burst handling could not absorb a sustained peak either)'
                : `burst strategy ${strategy} cannot absorb a sustained peak and there is no automatic failover on 429`
              : `the failover chain ${members.map((x) => x.provider.id).join(' -> ')} holds only ${int(chainCap)} rpm${unknown.length ? ` (${unknown.join(', ')} declares no limit)` : ''}`;
          findings.push(
            fail(
              limitPath,
              `${head}: over the primary's limit, and ${why}`,
              `Raise ${p.id}'s limit, or add automatic failover on 429 to providers whose limits together with ${p.id}'s cover ${plain(peak)} rpm${tokens ? ` and ${int(peak * tokens)} tpm` : ''}.`,
              chainEvidence,
            ),
          );
        }
      }
    }

    // Tenants: every tenant needs its own limit, and their limits should fit what the providers can serve.
    const tenants = model.tenants;
    for (const t of tenants) {
      if (t.tenant.limits?.rpm === undefined) {
        findings.push(
          warn(
            ['tenants', t.index],
            `tenant ${t.tenant.id} has no rpm limit: one tenant's burst can take the whole provider limit`,
            `Set tenants[${t.index}].limits.rpm so that one team cannot starve the others.`,
            { tenant: t.tenant.id },
          ),
        );
      }
    }
    const limited = tenants.filter((t) => t.tenant.limits?.rpm !== undefined);
    findings.push(...tenantLimitEnforcement(model));
    const { multiplier } = perReplicaMultiplier(model);
    if (limited.length > 0) {
      // without shared state every replica admits each tenant up to its limit: limit x replicas in all
      const sum = limited.reduce((s, t) => s + (t.tenant.limits?.rpm ?? 0), 0) * multiplier;
      // the providers that take traffic when the primary is at its limit: failover on 429 only
      const { members, capacityRpm: capacity } = rateLimitChain(model);
      if (capacity > 0 && sum > capacity) {
        findings.push(
          warn(
            ['tenants'],
            `tenant rpm limits add up to ${int(sum)} rpm${multiplier > 1 ? ` (x${multiplier} replicas enforcing them on their own)` : ''}, more than the ${int(capacity)} rpm that ${members.map((x) => x.provider.id).join(' + ')} can serve`,
            'Lower the tenant limits or raise provider capacity, so that tenants at their limits do not collectively hit the provider.',
            { tenantRpmSum: sum, capacityRpm: Number(plain(capacity)) },
          ),
        );
      }
    }
    findings.push(...measuredTrafficFindings(declared, measured, findings, evidence));
    if (probe) findings.push(...probeFindings(model, probe));
    return findings;
  },
};

// the deployed gateway config decides where it is weaker (check --gateway-config; ./deployed.ts)
const declaredRateLimitSizing = rateLimitSizing.run;
rateLimitSizing.run = (ctx) => withDeployedLimits(ctx, declaredRateLimitSizing);

/**
 * Can the named gateway enforce the tenants' rpm/tpm limits, and across replicas? Asked of its
 * capability table (per-tenant-rpm, per-tenant-tpm, cluster-wide-limits). Pure.
 */
export function tenantLimitEnforcement(model: DeploymentModel): Finding[] {
  const out: Finding[] = [];
  const withLimits = model.tenants.filter((t) => t.tenant.limits?.rpm !== undefined || t.tenant.limits?.tpm !== undefined);
  if (withLimits.length === 0) return out;
  const rpm = capabilityOf(model, 'per-tenant-rpm');
  if (rpm.cap?.can === 'no') {
    out.push(
      warn(
        ['tenants', withLimits[0].index, 'limits'],
        `${withLimits.length} tenant${withLimits.length > 1 ? 's declare' : ' declares'} rpm/tpm limits (${withLimits.map((t) => t.tenant.id).join(', ')}), but ${rpm.gateway.title} cannot enforce them: ${rpm.cap.how}`,
        'Enforce the tenant limits in front of the gateway (an API gateway or the client) and say so, or use a gateway that enforces them per tenant (LiteLLM teams with virtual keys).',
        { gateway: rpm.gateway.kind, tenants: withLimits.map((t) => t.tenant.id) },
      ),
    );
    return out;
  }
  const { replicas, multiplier, shared } = perReplicaMultiplier(model);
  if (multiplier > 1) {
    const first = withLimits[0];
    const lim = first.tenant.limits?.rpm;
    out.push(
      warn(
        model.manifest.gateway?.redis === undefined ? ['gateway', 'replicas'] : ['gateway', 'redis'],
        `${replicas} gateway replicas ${shared === false ? 'without shared state (gateway.redis: false)' : 'and no statement that they share state (gateway.redis)'}: each replica enforces every tenant limit on its own, so a tenant can reach limit x ${replicas}${lim !== undefined ? ` (${first.tenant.id}: ${int(lim)} rpm becomes ${int(lim * replicas)} rpm)` : ''}`,
        'Give the replicas a shared Redis (the generated LiteLLM config reads REDIS_HOST, REDIS_PORT and REDIS_PASSWORD when gateway.replicas > 1) and set gateway.redis: true; or divide each tenant limit by the number of replicas.',
        { replicas, multiplier, redis: model.manifest.gateway?.redis ?? null },
      ),
    );
  }
  return out;
}
