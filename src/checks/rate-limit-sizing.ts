import { decide, describeOrigin, smaller } from '../evidence/decide.js';
import { int, le, pct, plain } from '../util/numbers.js';
import { grantedTokenFindings, probeFindings } from './probe-findings.js';
import { capacityRpm, failsOverOn429, rateLimitChain, utilization } from './capacity.js';
import { fail, pass, warn } from './finding.js';
import { capabilityOf, perReplicaMultiplier } from '../gateway/capability.js';
import type { DeploymentModel } from '../manifest/model.js';
import type { ManifestPath, Provider } from '../manifest/types.js';
import { azureRpmPer1000Tpm } from '../probe/provider-headers.js';
import { withDeployedLimits } from './deployed.js';
import type { Check, Finding } from './types.js';
import { measuredTraffic, measuredTrafficFindings } from './usage-findings.js';

export { COLD_P99_FACTOR, DEFAULT_MAX_ERROR_RATE, probeFindings } from './probe-findings.js';

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
  // the deployed gateway config (check --gateway-config) decides where it is weaker: ./deployed.ts
  run: (ctx) => withDeployedLimits(ctx, ({ model: declaredModel, probe, evidence }) => {
    const findings: Finding[] = [];
    // usage logs: size for the larger of the declared and the measured peak (usage-findings.ts)
    const measured = measuredTraffic(declaredModel, evidence);
    const given = evidence;
    const model = measured.model;
    const m = model.manifest;
    const peak = model.peakRpm;
    // Azure OpenAI sets a deployment's rpm from its tpm (src/probe/provider-headers.ts, azureRpmPer1000Tpm): a
    // declared rpm above that, or none, is sized with what the tpm grants
    const azure = azureGrantedRpm(model.primary);
    const declared = azure ? { ...model.primary, limits: { ...model.primary.limits, rpm: azure.rpm } } : model.primary;
    if (azure) findings.push(azure.finding(['providers', model.primaryIndex, 'limits']));
    // the limit the provider really grants (its rate-limit headers, seen by a probe) replaces a larger declared one
    const rpmD = decide(given ?? [], 'provider.rpm', declared.limits?.rpm, smaller, declared.id);
    const tpmD = decide(given ?? [], 'provider.tpm', declared.limits?.tpm, smaller, declared.id);
    const grantBy = rpmD.decidedBy ?? tpmD.decidedBy;
    const p = grantBy
      ? { ...declared, limits: { ...declared.limits, ...(rpmD.value !== undefined ? { rpm: rpmD.value } : {}), ...(tpmD.value !== undefined ? { tpm: tpmD.value } : {}) } }
      : declared;
    const grants = [
      rpmD.decidedBy ? `the provider grants ${int(rpmD.value ?? 0)} rpm; the manifest declares ${rpmD.declared !== undefined ? int(rpmD.declared) : 'none'}` : '',
      tpmD.decidedBy ? `the provider grants ${int(tpmD.value ?? 0)} tpm; the manifest declares ${tpmD.declared !== undefined ? int(tpmD.declared) : 'none'}` : '',
    ].filter(Boolean);
    const judgedFrom = findings.length;
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

    if (grantBy) {
      for (const f of findings.slice(judgedFrom)) {
        f.message = `${f.message} (${grants.join('; ')}: ${describeOrigin(grantBy)})`;
        f.decidedBy = grantBy;
        f.evidence = {
          ...(f.evidence ?? {}),
          declaredRpmLimit: rpmD.declared ?? null,
          grantedRpmLimit: rpmD.decidedBy ? (rpmD.value ?? null) : null,
          declaredTpmLimit: tpmD.declared ?? null,
          grantedTpmLimit: tpmD.decidedBy ? (tpmD.value ?? null) : null,
        };
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
    findings.push(...measuredTrafficFindings(declaredModel, measured, findings, evidence));
    if (probe) findings.push(...probeFindings(model, probe), ...grantedTokenFindings(model, probe, HEADROOM_THRESHOLD));
    return findings;
  }),
};

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

/**
 * For an azure-openai provider with a tpm limit: the rpm Azure grants from it, when the declared rpm is absent or
 * larger (then the provider is sized with it, and a warning says why); undefined otherwise.
 */
function azureGrantedRpm(p: Provider): { rpm: number; finding: (path: ManifestPath) => Finding } | undefined {
  const tpm = p.limits?.tpm;
  if (p.vendor !== 'azure-openai' || tpm === undefined) return undefined;
  const ratio = azureRpmPer1000Tpm(p.model);
  const rpm = Math.round(((tpm * ratio) / 1000) * 1000) / 1000;
  const stated = p.limits?.rpm;
  if (stated !== undefined && stated <= rpm) return undefined;
  const n = (x: number) => (Number.isInteger(x) ? int(x) : plain(x));
  return {
    rpm,
    finding: (path) =>
      warn(
        path,
        `${p.id} is an Azure OpenAI deployment: Azure sets its rpm from its tpm, ${plain(ratio, 3)} rpm per 1,000 tpm for ${p.model}, so ${int(tpm)} tpm grants ${n(rpm)} rpm${stated !== undefined ? `, not the ${int(stated)} declared` : ''}; sized with ${n(rpm)} rpm`,
        `Set providers[].limits.rpm to what the deployment's TPM grants (${n(rpm)}), or assign the deployment more TPM (quota) if it needs ${stated !== undefined ? int(stated) : 'more'} rpm.`,
        { provider: p.id, tpm, rpmPer1000Tpm: ratio, grantedRpm: rpm, declaredRpm: stated ?? null },
      ),
  };
}
