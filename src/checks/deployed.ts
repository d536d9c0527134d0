import { decide, describeOrigin, smaller } from '../evidence/decide.js';
import type { DecidedBy } from '../evidence/types.js';
import { buildModel } from '../manifest/model.js';
import type { FailoverMode, Manifest, ManifestPath } from '../manifest/types.js';
import { fail } from './finding.js';
import type { CheckContext, Finding } from './types.js';

/**
 * What the deployed gateway config (evidence of kind deployed-config, from `check --gateway-config`)
 * changes in a verdict: where the deployed figure is weaker than the declared one it decides, and the
 * findings it decided name it (Finding.decidedBy). One small wrapper per check; the checks stay as
 * written for the declared figures.
 */

type Run = (ctx: CheckContext) => Finding[];

/** Only the deployed config's own evidence: the probe's and usage logs' figures are judged inside each check. */
const deployedOnly = (ctx: CheckContext) => ctx.evidence.filter((e) => e.origin.kind === 'deployed-config');

function under(path: ManifestPath, prefix: ReadonlyArray<string | number>): boolean {
  return prefix.every((p, i) => path[i] === p);
}

function rerun(ctx: CheckContext, manifest: Manifest, run: Run, decided: Array<{ prefix: Array<string | number>; by: DecidedBy }>): Finding[] {
  const findings = run({ ...ctx, model: buildModel(manifest) });
  return findings.map((f) => {
    const d = decided.find((x) => under(f.path, x.prefix));
    return d && !f.decidedBy ? { ...f, message: `${f.message} (decided by the ${describeOrigin(d.by)})`, decidedBy: d.by } : f;
  });
}

/** rate-limit-sizing: a lower deployed rpm/tpm for a provider is the limit the peak is sized against. */
export function withDeployedLimits(ctx: CheckContext, run: Run): Finding[] {
  const evidence = deployedOnly(ctx);
  if (!evidence.length) return run(ctx);
  const m = structuredClone(ctx.model.manifest);
  const decided: Array<{ prefix: Array<string | number>; by: DecidedBy }> = [];
  m.providers.forEach((p, i) => {
    for (const dim of ['rpm', 'tpm'] as const) {
      const d = decide<number>(evidence, dim === 'rpm' ? 'provider.rpm' : 'provider.tpm', p.limits?.[dim], smaller, p.id);
      if (d.decidedBy && d.value !== undefined) {
        p.limits = { ...p.limits, [dim]: d.value };
        decided.push({ prefix: ['providers', i, 'limits', dim], by: d.decidedBy });
        decided.push({ prefix: ['providers', i, 'limits'], by: d.decidedBy });
      }
    }
  });
  return decided.length ? rerun(ctx, m, run, decided) : run(ctx);
}

/** budget-ceilings: a tenant whose deployed team is missing or has no max_budget (or a lower one). */
export function withDeployedBudgets(ctx: CheckContext, run: Run): Finding[] {
  const evidence = deployedOnly(ctx);
  if (!evidence.length) return run(ctx);
  const m = structuredClone(ctx.model.manifest);
  const decided: Array<{ prefix: Array<string | number>; by: DecidedBy }> = [];
  (m.tenants ?? []).forEach((t, i) => {
    const declared = t.budget?.monthlyUsd;
    if (declared === undefined) return; // the manifest's own gap: budget-ceilings already fails it
    // no budget deployed (null) is the weakest; otherwise the smaller ceiling
    const d = decide<number | null>(evidence, 'tenant.budget.monthlyUsd', declared, (cur, cand) => cur !== null && (cand === null || cand < cur), t.id);
    if (!d.decidedBy) return;
    if (d.value === null || d.value === undefined) delete t.budget;
    else t.budget = { ...t.budget, monthlyUsd: d.value };
    decided.push({ prefix: ['tenants', i], by: d.decidedBy });
  });
  return decided.length ? rerun(ctx, m, run, decided) : run(ctx);
}

const RANK: Record<FailoverMode, number> = { none: 0, manual: 1, automatic: 2 };

/** failover: no fallbacks deployed for the primary fails, whatever the manifest declares. */
export function withDeployedFailover(ctx: CheckContext, run: Run): Finding[] {
  const declared = ctx.model.manifest.routing?.failover?.mode;
  const evidence = deployedOnly(ctx);
  if (!evidence.length || declared !== 'automatic') return run(ctx);
  const d = decide<string>(evidence, 'failover.mode', declared, (cur, cand) => (RANK[cand as FailoverMode] ?? 0) < (RANK[cur as FailoverMode] ?? 0));
  if (!d.decidedBy || d.value !== 'none') return run(ctx);
  const primary = ctx.model.primary.id;
  const f = fail(
    ['routing', 'failover', 'mode'],
    `failover is declared automatic, but the ${describeOrigin(d.decidedBy)} has no fallbacks for ${primary}: when ${primary} rate-limits or fails, every request fails`,
    `Deploy the fallbacks the manifest declares (LiteLLM router_settings.fallbacks: [{${primary}: [${ctx.model.failoverTargets.map((t) => t.provider.id).join(', ')}]}]; Portkey strategy.mode: fallback), then re-run readiness check --gateway-config.`,
    { mode: 'none', declaredMode: declared },
  );
  return [{ ...f, decidedBy: d.decidedBy }];
}
