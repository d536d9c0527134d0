import type { Provider } from '../manifest/types.js';

/**
 * A provider's capacity in requests per minute at the deployment's request size:
 * min(rpm, tpm / tokensPerRequest), with an undeclared limit not binding.
 * Undefined when the provider declares no limit that applies (capacity unknown).
 */
export function capacityRpm(p: Provider, tokensPerRequest: number | undefined): number | undefined {
  const byRpm = p.limits?.rpm;
  const byTpm = p.limits?.tpm !== undefined && tokensPerRequest ? p.limits.tpm / tokensPerRequest : undefined;
  if (byRpm === undefined && byTpm === undefined) return undefined;
  return Math.min(byRpm ?? Infinity, byTpm ?? Infinity);
}

export interface Utilization {
  /** peak / rpm limit */
  rpm?: number;
  /** peak x tokens / tpm limit */
  tpm?: number;
  /** the larger of the two */
  value?: number;
  boundBy?: 'rpm' | 'tpm';
}

export function utilization(peakRpm: number, p: Provider, tokensPerRequest: number | undefined): Utilization {
  const rpm = p.limits?.rpm !== undefined ? peakRpm / p.limits.rpm : undefined;
  const tpm = p.limits?.tpm !== undefined && tokensPerRequest !== undefined ? (peakRpm * tokensPerRequest) / p.limits.tpm : undefined;
  if (rpm === undefined && tpm === undefined) return {};
  if (tpm !== undefined && (rpm === undefined || tpm > rpm)) return { rpm, tpm, value: tpm, boundBy: 'tpm' };
  return { rpm, tpm, value: rpm, boundBy: 'rpm' };
}

/** True when failover is automatic and triggers on 429, so it relieves rate limits. */
export function failsOverOn429(f: { mode?: string; onStatus?: number[] } | undefined): boolean {
  return f?.mode === 'automatic' && (f.onStatus ?? []).includes(429);
}

/** The providers that serve the peak when the primary answers 429, and what they hold together. */
export interface RateLimitChain {
  /** the primary, then the failover targets when failover is automatic and triggers on 429 */
  members: Array<{ provider: Provider; index: number }>;
  /** the sum of each member's own capacity in rpm at the deployment's request size */
  capacityRpm: number;
  /** members that declare no applicable limit (counted as 0) */
  unknown: string[];
}

/** One definition of the failover chain's capacity, for the checks, diff and the report. */
export function rateLimitChain(model: {
  primary: Provider;
  primaryIndex: number;
  failoverTargets: Array<{ provider: Provider; index: number }>;
  tokensPerRequest?: number;
  manifest: { routing?: { failover?: { mode?: string; onStatus?: number[] } } };
}): RateLimitChain {
  const members = [{ provider: model.primary, index: model.primaryIndex }, ...(failsOverOn429(model.manifest.routing?.failover) ? model.failoverTargets : [])];
  const caps = members.map((m) => capacityRpm(m.provider, model.tokensPerRequest));
  return {
    members,
    capacityRpm: caps.reduce<number>((s, c) => s + (c ?? 0), 0),
    unknown: members.filter((_, i) => caps[i] === undefined).map((m) => m.provider.id),
  };
}
