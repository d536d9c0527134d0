import type { Framework, Manifest, Provider, Tenant } from './types.js';

/** Defaults applied where the manifest is silent; documented in the README and the schema. */
export const DEFAULTS = {
  alertAtFraction: 0.7,
  alertByDay: 15,
  daysPerMonth: 30,
} as const;

export interface TenantModel {
  index: number;
  tenant: Tenant;
  /** expected USD per request: the tenant's own figure, else primary pricing x tokensPerRequest */
  costPerRequestUsd?: number;
  costSource?: 'tenant' | 'primary-pricing';
  dailySpendUsd?: number;
  projectedMonthlyUsd?: number;
}

/** The manifest with derived figures every check and generator agrees on. Pure data. */
export interface DeploymentModel {
  manifest: Manifest;
  peakRpm?: number;
  peakSource?: 'peakRpm' | 'peakMultiplier';
  tokensPerRequest?: number;
  primary: Provider;
  primaryIndex: number;
  /** resolved failover targets, in routing order, with their index in providers */
  failoverTargets: Array<{ provider: Provider; index: number }>;
  tenants: TenantModel[];
  alertAtFraction: number;
  /** budgets.alertAtFractions with alertAtFraction added, ascending; default [0.7] */
  alertAtFractions: number[];
  alertByDay: number;
  frameworks: Framework[];
}

export function costPerRequestFromPricing(p: Provider, tokens: { input: number; output: number } | undefined): number | undefined {
  if (!p.pricing || !tokens) return undefined;
  return (tokens.input * p.pricing.inputPerMTok + tokens.output * p.pricing.outputPerMTok) / 1_000_000;
}

export function buildModel(m: Manifest): DeploymentModel {
  const t = m.traffic ?? {};
  let peakRpm: number | undefined;
  let peakSource: DeploymentModel['peakSource'];
  if (t.peakRpm !== undefined) {
    peakRpm = t.peakRpm;
    peakSource = 'peakRpm';
  } else if (t.peakMultiplier !== undefined && t.averageRpm !== undefined) {
    peakRpm = t.peakMultiplier * t.averageRpm;
    peakSource = 'peakMultiplier';
  }
  const tokens = t.tokensPerRequest;
  const primaryIndex = Math.max(0, m.routing?.primary ? m.providers.findIndex((p) => p.id === m.routing?.primary) : 0);
  const primary = m.providers[primaryIndex];
  const failoverTargets = (m.routing?.failover?.targets ?? [])
    .map((id) => ({ provider: m.providers.find((p) => p.id === id), index: m.providers.findIndex((p) => p.id === id) }))
    .filter((x): x is { provider: Provider; index: number } => x.provider !== undefined);
  const fromPricing = costPerRequestFromPricing(primary, tokens);
  const tenants: TenantModel[] = (m.tenants ?? []).map((tenant, index) => {
    const costPerRequestUsd = tenant.costPerRequestUsd ?? fromPricing;
    const costSource = tenant.costPerRequestUsd !== undefined ? 'tenant' : fromPricing !== undefined ? 'primary-pricing' : undefined;
    const dailySpendUsd = costPerRequestUsd !== undefined && tenant.dailyRequests !== undefined ? tenant.dailyRequests * costPerRequestUsd : undefined;
    const projectedMonthlyUsd = dailySpendUsd !== undefined ? dailySpendUsd * DEFAULTS.daysPerMonth : undefined;
    return { index, tenant, costPerRequestUsd, costSource, dailySpendUsd, projectedMonthlyUsd };
  });
  return {
    manifest: m,
    peakRpm,
    peakSource,
    tokensPerRequest: tokens ? tokens.input + tokens.output : undefined,
    primary,
    primaryIndex,
    failoverTargets,
    tenants,
    alertAtFraction: m.budgets?.alertAtFraction ?? DEFAULTS.alertAtFraction,
    alertAtFractions: alertFractions(m),
    alertByDay: m.budgets?.alertByDay ?? DEFAULTS.alertByDay,
    frameworks: m.operator?.frameworks ?? [],
  };
}

/** budgets.alertAtFractions plus budgets.alertAtFraction, ascending, each once; [0.7] when neither is set. */
export function alertFractions(m: Manifest): number[] {
  const b = m.budgets;
  const all = [...(b?.alertAtFractions ?? []), ...(b?.alertAtFraction !== undefined ? [b.alertAtFraction] : [])];
  const list = all.length ? all : [DEFAULTS.alertAtFraction];
  return [...new Set(list)].sort((x, y) => x - y);
}
