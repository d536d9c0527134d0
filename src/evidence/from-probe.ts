import type { ProbeEvidence } from '../probe/types.js';
import type { EvidenceSet, Observation } from './types.js';

/**
 * The probe's result as an EvidenceSet (origin kind 'probe'): the limits each provider's rate-limit headers
 * granted (provider.rpm / provider.tpm, subject = provider id), whether a non-primary served while the primary
 * answered 429 (failover.servedBySecondary), and whether the gateway refused the untagged request
 * (attribution.refusesUntagged). The rich ProbeEvidence stays for the probe's own findings. Pure.
 */
export function probeEvidenceSet(probe: ProbeEvidence, file?: string): EvidenceSet {
  const obs: Observation[] = [];
  for (const g of probe.granted ?? []) {
    const header = g.style === 'anthropic' ? 'anthropic-ratelimit-requests-limit' : 'x-ratelimit-limit-requests';
    const theader = g.style === 'anthropic' ? 'anthropic-ratelimit-tokens-limit' : 'x-ratelimit-limit-tokens';
    if (g.rpm !== undefined) {
      const how =
        g.vendor === 'azure-openai' && g.limitTokens !== undefined
          ? `${theader}: ${g.limitTokens} (Azure: ${Math.round((g.rpm * 1e6) / g.limitTokens) / 1000} rpm per 1,000 tpm)`
          : `${header}: ${g.limitRequests ?? g.rpm}`;
      obs.push({ figure: 'provider.rpm', subject: g.provider, value: g.rpm, note: `${how} on ${g.responses} responses` });
    }
    if (g.tpm !== undefined) obs.push({ figure: 'provider.tpm', subject: g.provider, value: g.tpm, note: `${theader}: ${g.limitTokens ?? g.tpm} on ${g.responses} responses` });
  }
  const chain = probe.chain ?? [];
  const paced = probe.phases.filter((p) => p.name !== 'cold');
  if (chain.length > 1 && paced.some((p) => p.servedBy !== undefined)) {
    const primary = chain[0];
    let secondary = 0;
    let first: { phase: string; at: number } | undefined;
    let limited = false;
    for (const p of paced) {
      for (const [who, n] of Object.entries(p.servedBy ?? {})) if (who !== primary) secondary += n;
      if (p.failoverStartSeconds !== null && p.failoverStartSeconds !== undefined && !first) first = { phase: p.name, at: p.failoverStartSeconds };
      if (p.count429 > 0 || (p.gateway429OnsetSeconds ?? null) !== null) limited = true;
    }
    if (secondary > 0) {
      obs.push({ figure: 'failover.servedBySecondary', value: true, note: `${secondary} responses served by a failover target, the first ${first ? `${first.at} s into the ${first.phase} phase` : 'during the probe'}` });
    } else if (limited) {
      obs.push({ figure: 'failover.servedBySecondary', value: false, note: `every response was served by ${primary} although it answered 429` });
    }
  }
  const u = probe.untagged;
  if (u && u.status !== null && u.status !== 429 && u.status < 500) {
    obs.push({ figure: 'attribution.refusesUntagged', value: u.status >= 400, note: `the request without attribution headers got ${u.status}` });
  }
  const set: EvidenceSet = {
    origin: {
      kind: 'probe',
      description: `${probe.source ?? 'probe'} of ${probe.target} at ${probe.peakRpm} rpm`,
    },
    observations: obs,
  };
  if (file) set.origin.file = file;
  return set;
}
