/**
 * What an answer means for readiness, told as it is given. Every figure comes from the code the
 * checks use (capacity.ts, compliance.ts, model.ts, budget-ceilings.ts), never from a copy of a rule.
 */
import { utilization } from '../checks/capacity.js';
import { CHECKS } from '../checks/catalogue.js';
import { MAX_ALERT_FRACTION, projectTenant } from '../checks/budget-ceilings.js';
import { spillOver } from '../checks/spend.js';
import { RETENTION_DAYS, RETENTION_SOURCES, isRegulated, requiredAuditFields, requiredRetention } from '../checks/compliance.js';
import { HEADROOM_THRESHOLD } from '../checks/rate-limit-sizing.js';
import { buildModel, costPerRequestFromPricing, type DeploymentModel } from '../manifest/model.js';
import type { Framework, Provider } from '../manifest/types.js';
import { gt, int, le, pct, plain, usd } from '../util/numbers.js';
import { answersToManifest } from './manifest.js';
import type { Draft } from './types.js';

/** How frameworks are named to an operator. */
export const FRAMEWORK_NAMES: Record<Framework, string> = {
  'sec-17a-4': 'SEC Rule 17a-4',
  'finra-4511': 'FINRA Rule 4511',
  sox: 'SOX',
  hipaa: 'HIPAA',
  'pci-dss': 'PCI DSS',
  gdpr: 'GDPR',
  'eu-ai-act': 'EU AI Act',
  soc2: 'SOC 2',
  'nist-800-53': 'NIST SP 800-53',
};

/** The model of what is known so far; undefined before any provider is named. */
export function draftModel(draft: Draft): DeploymentModel | undefined {
  const m = answersToManifest(draft);
  // a provider or tenant still without its id (refused or missing in an answers file) has no model yet
  if (m.providers.length === 0 || m.providers.some((p) => !p.id || !p.vendor) || (m.tenants ?? []).some((t) => !t.id)) return undefined;
  return buildModel(m);
}

export function industryNotes(draft: Draft): string[] {
  const industry = draft.operator?.industry;
  if (industry && isRegulated(industry, [])) {
    return [`${industry} is a regulated industry: the operator needs a write-once audit record of every decision, kept as long as their frameworks require`];
  }
  return [];
}

/** "HIPAA: keep audit records 6 years (2192 days)", one line per framework, plus extra fields. */
export function frameworkNotes(frameworks: readonly Framework[]): string[] {
  const out: string[] = [];
  for (const f of frameworks) {
    const days = RETENTION_DAYS[f];
    const source = RETENTION_SOURCES[f];
    const cut = source.lastIndexOf(': ');
    const period = source.slice(cut + 2);
    const citation = source.slice(0, cut) === FRAMEWORK_NAMES[f] ? '' : `; ${source.slice(0, cut)}`;
    if (days > 0) out.push(`${FRAMEWORK_NAMES[f]}: keep audit records ${period} (${days} days${citation})`);
    else out.push(`${FRAMEWORK_NAMES[f]}: ${period === 'no minimum' ? 'no minimum retention' : `retention is ${period}`}${citation ? ` (${citation.slice(2)})` : ''}`);
  }
  const base = new Set(requiredAuditFields([]).map((r) => r.name));
  const extra = requiredAuditFields(frameworks).filter((r) => !base.has(r.name));
  if (extra.length > 0) out.push(`every audit record also needs ${extra.map((r) => `${r.name} (${r.why})`).join(', ')}`);
  const need = requiredRetention(frameworks);
  if (frameworks.length > 1 && need.framework) out.push(`the longest is ${FRAMEWORK_NAMES[need.framework]}: ${need.days} days is where the retention question will start`);
  return out;
}

export function peakNotes(draft: Draft): string[] {
  const u = draft.usage;
  if (u?.averageRpm === undefined || u.peakRpm === undefined) return [];
  return [`peak ${plain(u.peakRpm)} rpm is ${plain(u.peakRpm / u.averageRpm, 2)}x the average of ${plain(u.averageRpm)} rpm: providers are sized for the peak, not the average`];
}

export function tokenNotes(draft: Draft): string[] {
  const u = draft.usage;
  if (u?.peakRpm === undefined || u.inputTokens === undefined || u.outputTokens === undefined) return [];
  const per = u.inputTokens + u.outputTokens;
  return [`at peak: ${plain(u.peakRpm)} rpm x ${int(per)} tokens = ${int(u.peakRpm * per)} tokens per minute`];
}

/** What the latency objective sets: the first-request alert's threshold (generated rules: 2x the steady p99). */
export function sloNotes(draft: Draft): string[] {
  const ms = draft.usage?.steadyP99Ms;
  if (ms === undefined) {
    return ['no latency objective: the first-request alert will compare against the steady p99 the gateway measures (its request latency histogram)'];
  }
  return [`the first-request alert fires when an agent's first request after start-up has a p99 above 2x ${plain(ms)} ms = ${plain(2 * ms)} ms`];
}

/** "peak is 83.3% of openai-main's rpm limit (1,200 rpm): above 60% you need burst handling or a second provider". */
export function providerPeakNote(peakRpm: number | undefined, p: Provider, tokensPerRequest: number | undefined): string | undefined {
  if (peakRpm === undefined) return undefined;
  const u = utilization(peakRpm, p, tokensPerRequest);
  if (u.value === undefined) return `${p.id} has no rate limit stated: nobody can tell whether it holds the peak of ${plain(peakRpm)} rpm`;
  const limit = u.boundBy === 'tpm' ? `${int(p.limits?.tpm ?? 0)} tpm` : `${int(p.limits?.rpm ?? 0)} rpm`;
  const head = `peak is ${pct(u.value)} of ${p.id}'s ${u.boundBy} limit (${limit})`;
  if (le(u.value, HEADROOM_THRESHOLD)) return `${head}: within the ${pct(HEADROOM_THRESHOLD)} headroom`;
  if (le(u.value, 1)) return `${head}: above ${pct(HEADROOM_THRESHOLD)} you need burst handling or a second provider`;
  return `${head}: over the limit, so it cannot hold the peak alone; raise the limit, or fail over automatically on 429 to providers whose limits together cover the peak`;
}

export function providerNotes(draft: Draft, index: number): string[] {
  const model = draftModel(draft);
  const p = model?.manifest.providers[index];
  if (!model || !p) return [];
  const note = providerPeakNote(model.peakRpm, p, model.tokensPerRequest);
  return note ? [note] : [];
}

export function pricingNotes(draft: Draft, index: number): string[] {
  const model = draftModel(draft);
  const p = model?.manifest.providers[index];
  const t = model?.manifest.traffic?.tokensPerRequest;
  const perRequest = p && costPerRequestFromPricing(p, t);
  if (!p || !t || perRequest === undefined) return [];
  return [`at ${int(t.input)} + ${int(t.output)} tokens a request costs about $${plain(perRequest, 5)} on ${p.id}`];
}

export function costPerRequestHint(draft: Draft): string {
  const model = draftModel(draft);
  const t = model?.manifest.traffic?.tokensPerRequest;
  const p = model?.primary;
  const perRequest = p && costPerRequestFromPricing(p, t);
  if (!p || perRequest === undefined) return 'no estimate: the primary has no prices or tokens per request are unknown';
  return `blank uses $${plain(perRequest, 5)} from ${p.id}'s prices`;
}

export function tenantNotes(draft: Draft, index: number): string[] {
  const model = draftModel(draft);
  const t = model?.tenants[index];
  if (!model || !t) return [];
  const budget = t.tenant.budget?.monthlyUsd;
  if (budget === undefined) return [`${t.tenant.id} has no monthly budget: nothing stops it spending the whole account`];
  const p = projectTenant(t, model.alertAtFraction, spillOver(model));
  if (p.projectedMonthlyUsd === undefined || p.utilization === undefined) return [`${t.tenant.id}'s spend cannot be projected without its daily requests and a cost per request`];
  const head = `${t.tenant.id} is projected at ${usd(p.projectedMonthlyUsd)} a month, ${pct(p.utilization)} of its ${usd(budget)} budget`;
  if (p.exhaustedDay !== undefined && gt(p.utilization, 1)) return [`${head}: it runs out on day ${p.exhaustedDay}`];
  if (p.alertDay !== undefined) return [`${head}: the ${pct(model.alertAtFraction)} alert fires on day ${p.alertDay} of an ordinary month`];
  return [`${head}: below the ${pct(model.alertAtFraction)} alert`];
}

export function alertNotes(draft: Draft): string[] {
  const f = draft.budgets?.alertAtFraction;
  if (f !== undefined && gt(f, MAX_ALERT_FRACTION)) return [`an alert at ${pct(f)} leaves too little of the month to act: ${pct(MAX_ALERT_FRACTION)} or lower is expected`];
  return [];
}

export function retentionHint(draft: Draft): string {
  const need = requiredRetention(draft.operator?.frameworks ?? []);
  return need.framework ? `${FRAMEWORK_NAMES[need.framework]} requires at least ${need.days}` : 'no framework sets a minimum';
}

export function retentionNotes(draft: Draft): string[] {
  const need = requiredRetention(draft.operator?.frameworks ?? []);
  const days = draft.audit?.retentionDays;
  if (days === undefined || !need.framework || days >= need.days) return [];
  return [`${days} days is ${need.days - days} day(s) short of the ${need.days} days ${FRAMEWORK_NAMES[need.framework]} requires (${RETENTION_SOURCES[need.framework]})`];
}

/** The audit fields the chosen frameworks require, as pre-filled answers. */
export function requiredFieldNames(draft: Draft): string[] {
  return requiredAuditFields(draft.operator?.frameworks ?? []).map((r) => r.anyOf[0]);
}

export function fieldNotes(draft: Draft): string[] {
  const fields = new Set(draft.audit?.fields ?? []);
  const missing = requiredAuditFields(draft.operator?.frameworks ?? []).filter((r) => !r.anyOf.some((f) => fields.has(f)));
  return missing.length ? [`records would lack ${missing.map((r) => `${r.anyOf.join(' or ')} (${r.why})`).join(', ')}`] : [];
}

/**
 * The verdict so far of one check, run by its own code on the answers given: the findings that
 * concern the sections already asked. Shown at the end of a section.
 */
export function checkSoFar(draft: Draft, checkId: string, prefixes: readonly string[]): string[] {
  const model = draftModel(draft);
  const check = CHECKS.find((c) => c.id === checkId);
  if (!model || !check) return [];
  return check
    .run({ model, evidence: [] })
    .filter((f) => prefixes.length === 0 || prefixes.includes(String(f.path[0] ?? '')))
    .map((f) => `${checkId} so far: ${f.status.toUpperCase()} ${f.message}`);
}
