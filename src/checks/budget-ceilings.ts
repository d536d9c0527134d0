import { DEFAULTS, type TenantModel } from '../manifest/model.js';
import { ge, gt, pct, plain, usd } from '../util/numbers.js';
import { fail, pass, warn } from './finding.js';
import { capabilityOf } from '../gateway/capability.js';
import type { DeploymentModel } from '../manifest/model.js';
import type { Check, Finding } from './types.js';

/** The highest alert fraction accepted: the alert must leave time to act before the ceiling. */
export const MAX_ALERT_FRACTION = 0.7;

/** Day of a 30-day month on which cumulative spend at `dailyUsd` reaches `amountUsd` (1-based). */
export function dayReaching(amountUsd: number, dailyUsd: number): number {
  if (dailyUsd <= 0) return Infinity;
  // tolerate float noise: 0.7 * 6000 / 140 must be day 30, not 31
  const days = amountUsd / dailyUsd;
  return Math.max(1, Math.ceil(days - 1e-9));
}

export interface TenantProjection {
  tenant: string;
  budgetUsd?: number;
  dailySpendUsd?: number;
  projectedMonthlyUsd?: number;
  /** projected / budget */
  utilization?: number;
  alertDay?: number;
  exhaustedDay?: number;
}

export function projectTenant(t: TenantModel, alertAtFraction: number): TenantProjection {
  const budgetUsd = t.tenant.budget?.monthlyUsd;
  const out: TenantProjection = { tenant: t.tenant.id, budgetUsd, dailySpendUsd: t.dailySpendUsd, projectedMonthlyUsd: t.projectedMonthlyUsd };
  if (budgetUsd !== undefined && t.dailySpendUsd !== undefined && t.projectedMonthlyUsd !== undefined) {
    out.utilization = t.projectedMonthlyUsd / budgetUsd;
    const a = dayReaching(alertAtFraction * budgetUsd, t.dailySpendUsd);
    const e = dayReaching(budgetUsd, t.dailySpendUsd);
    if (a <= DEFAULTS.daysPerMonth) out.alertDay = a;
    if (e <= DEFAULTS.daysPerMonth) out.exhaustedDay = e;
  }
  return out;
}

export const budgetCeilings: Check = {
  id: 'budget-ceilings',
  title: 'A budget ceiling per tenant, with an early alert',
  rationale:
    "Incident two: there was an account ceiling but no per-team ceiling, and one team's batch jobs spent $11,800 over budget in 18 days. Each tenant needs its own monthly budget that the gateway enforces, an alert at 70% of it, and a projection that shows an ordinary month fits.",
  remediation:
    'Give every tenant budget.monthlyUsd, enforced by the gateway (onExceeded: block or throttle), alert at 70% (budgets.alertAtFraction: 0.7), and make sure each projected month (dailyRequests x cost per request x 30) fits its budget.',
  sources: [
    { title: 'LiteLLM: budgets and rate limits per team', url: 'https://docs.litellm.ai/docs/proxy/users' },
    { title: 'FinOps Foundation: budgeting', url: 'https://www.finops.org/framework/capabilities/budgeting/' },
  ],
  run({ model }) {
    const m = model.manifest;
    const findings: Finding[] = [];
    const frac = model.alertAtFraction;
    if (model.tenants.length === 0) {
      findings.push(
        fail(
          m.tenants ? ['tenants'] : [],
          'no tenants are declared, so there is no per-tenant ceiling: an account-wide ceiling alone let one team spend the others\' budget',
          'Declare every team as a tenant with budget.monthlyUsd.',
          { tenants: 0 },
        ),
      );
    }
    if (gt(frac, MAX_ALERT_FRACTION)) {
      findings.push(
        fail(
          ['budgets', 'alertAtFraction'],
          `budgets.alertAtFraction is ${plain(frac)}: an alert at ${pct(frac)} leaves too little of the month to act`,
          'Set budgets.alertAtFraction to 0.7 or lower.',
          { alertAtFraction: frac },
        ),
      );
    }
    const onExceeded = m.budgets?.onExceeded;
    if (onExceeded === 'alert-only') {
      findings.push(
        warn(
          ['budgets', 'onExceeded'],
          'onExceeded is alert-only: a tenant over its budget keeps spending, and can still spend another team\'s share',
          'Set budgets.onExceeded to block or throttle once budgets are trusted.',
          { onExceeded },
        ),
      );
    } else if (onExceeded === undefined) {
      findings.push(
        warn(
          m.budgets ? ['budgets'] : [],
          'what happens when a tenant exceeds its budget is not stated (budgets.onExceeded)',
          'Set budgets.onExceeded: block (or throttle) and configure the gateway to enforce it.',
          { onExceeded: null },
        ),
      );
    }
    const withBudget = model.tenants.filter((t) => t.tenant.budget?.monthlyUsd !== undefined);
    const sum = withBudget.reduce((s, t) => s + (t.tenant.budget?.monthlyUsd ?? 0), 0);
    const account = m.budgets?.accountMonthlyUsd;
    if (account !== undefined && gt(sum, account)) {
      findings.push(
        warn(
          ['budgets', 'accountMonthlyUsd'],
          `tenant budgets add up to ${usd(sum)}, more than the account ceiling of ${usd(account)}: the account ceiling will stop every team before each reaches its own`,
          'Lower tenant budgets or raise budgets.accountMonthlyUsd so that the tenant budgets fit inside it.',
          { tenantBudgetSumUsd: Number(plain(sum, 2)), accountMonthlyUsd: account },
        ),
      );
    }
    let projected = 0;
    for (const t of model.tenants) {
      const id = t.tenant.id;
      const budget = t.tenant.budget?.monthlyUsd;
      if (budget === undefined) {
        findings.push(
          fail(
            ['tenants', t.index],
            `tenant ${id} has no monthly budget: nothing stops it from spending the whole account${t.projectedMonthlyUsd !== undefined ? ` (projected ${usd(t.projectedMonthlyUsd)}/month)` : ''}`,
            `Set tenants[${t.index}].budget.monthlyUsd and enforce it at the gateway.`,
            { tenant: id, budgetUsd: null },
          ),
        );
        continue;
      }
      const p = projectTenant(t, frac);
      if (p.projectedMonthlyUsd === undefined || p.dailySpendUsd === undefined) {
        const lacks = t.tenant.dailyRequests === undefined ? 'dailyRequests' : 'a cost per request (costPerRequestUsd, or primary pricing and traffic.tokensPerRequest)';
        findings.push(
          warn(['tenants', t.index], `tenant ${id}'s spend cannot be projected: it lacks ${lacks}`, `Set tenants[${t.index}].dailyRequests and costPerRequestUsd (or primary pricing and tokensPerRequest).`, {
            tenant: id,
            budgetUsd: budget,
          }),
        );
        continue;
      }
      projected += p.projectedMonthlyUsd;
      const over = gt(p.projectedMonthlyUsd, budget);
      if (!over && !ge(p.projectedMonthlyUsd, frac * budget)) continue;
      const evidence = {
        tenant: id,
        budgetUsd: budget,
        dailySpendUsd: Number(plain(p.dailySpendUsd, 2)),
        projectedMonthlyUsd: Number(plain(p.projectedMonthlyUsd, 2)),
        utilization: Number(plain(p.utilization ?? 0, 4)),
        costPerRequestUsd: Number(plain(t.costPerRequestUsd ?? 0)),
        costSource: t.costSource ?? null,
        alertDay: p.alertDay ?? null,
        exhaustedDay: p.exhaustedDay ?? null,
      };
      const monthly = p.projectedMonthlyUsd;
      const daily = p.dailySpendUsd;
      const figures = () => `${usd(daily)}/day x ${DEFAULTS.daysPerMonth} = ${usd(monthly)}/month, ${pct(p.utilization ?? 0)} of its ${usd(budget)} budget`;
      if (over) {
        findings.push(
          fail(
            ['tenants', t.index, 'budget', 'monthlyUsd'],
            `tenant ${id} is projected over budget: ${figures()}; it runs out on day ${p.exhaustedDay}`,
            `Raise tenants[${t.index}].budget.monthlyUsd to at least ${usd(Math.ceil(p.projectedMonthlyUsd / frac))} (so the ${pct(frac)} alert is a warning, not routine), or cut its daily volume or cost per request.`,
            evidence,
          ),
        );
      } else if (ge(p.projectedMonthlyUsd, frac * budget)) {
        findings.push(
          warn(
            ['tenants', t.index, 'budget', 'monthlyUsd'],
            `tenant ${id} reaches the ${pct(frac)} alert in an ordinary month: ${figures()}; ${
              // at the tolerance's edge the day computes past the month: the alert comes with its last day
              p.alertDay === undefined
                ? "the alert fires at the month's end"
                : `the alert fires on day ${p.alertDay}${p.alertDay <= model.alertByDay ? ` (on or before day ${model.alertByDay}: paged)` : ''}`
            }`,
            `Raise tenants[${t.index}].budget.monthlyUsd above ${usd(p.projectedMonthlyUsd / frac)} so the alert means something, or plan for it.`,
            evidence,
          ),
        );
      }
    }
    findings.push(...budgetCapabilityFindings(model));
    if (findings.length === 0) {
      findings.push(
        pass(
          ['tenants'],
          `${model.tenants.length === 1 ? 'the one tenant has a budget' : `all ${model.tenants.length} tenants have budgets`}; projected spend ${usd(projected)}/month of ${usd(sum)} budgeted, every tenant below its ${pct(frac)} alert`,
          { tenants: model.tenants.length, projectedMonthlyUsd: Number(plain(projected, 2)), tenantBudgetSumUsd: Number(plain(sum, 2)), alertAtFraction: frac },
        ),
      );
    }
    return findings;
  },
};

/**
 * What the named gateway can do about budgets, asked of its capability table: enforce each tenant's
 * ceiling (per-tenant-budget), and export the metrics the budget alerts query (prometheus-metrics;
 * LiteLLM's callback is Enterprise-only since 15 September 2024). Pure.
 */
export function budgetCapabilityFindings(model: DeploymentModel): Finding[] {
  const out: Finding[] = [];
  const m = model.manifest;
  const budgeted = model.tenants.filter((t) => t.tenant.budget?.monthlyUsd !== undefined);
  const enforcing = m.budgets?.onExceeded === 'block' || m.budgets?.onExceeded === 'throttle';
  const budget = capabilityOf(model, 'per-tenant-budget');
  if (budgeted.length > 0 && enforcing && budget.cap?.can === 'no') {
    out.push(
      fail(
        ['budgets', 'onExceeded'],
        `onExceeded is ${m.budgets?.onExceeded}, but ${budget.gateway.title} cannot stop a tenant at its budget: ${budget.cap.how}`,
        'Enforce each tenant\'s budget where it can be enforced (hosted Portkey budget limits, LiteLLM teams, or a check in the client that stops at the budget), or set budgets.onExceeded: alert-only and rely on the alerts.',
        { gateway: budget.gateway.kind, onExceeded: m.budgets?.onExceeded ?? null, tenants: budgeted.length },
      ),
    );
  }
  const profile = m.gateway?.metrics?.profile ?? 'litellm';
  if (m.gateway?.kind === 'litellm' && profile === 'litellm') {
    const { cap } = capabilityOf(model, 'prometheus-metrics');
    const edition = m.gateway?.edition;
    if (edition !== 'enterprise' && cap?.can !== 'yes') {
      const msg = `the ${pct(model.alertAtFraction)} budget alert and every other alert of the litellm metrics profile read LiteLLM's Prometheus callback, which needs LiteLLM Enterprise: open-source LiteLLM exports only litellm_not_a_premium_user_metric, so the alerts stay silent`;
      const fix = 'Run LiteLLM Enterprise (LITELLM_LICENSE) and set gateway.edition: enterprise, or take the open-source path in docs/gateway.md (metrics from LiteLLM\'s spend logs) and set gateway.metrics to match.';
      const ev = { edition: edition ?? null, profile };
      out.push(edition === 'oss' ? fail(['gateway', 'edition'], msg, fix, ev) : warn(m.gateway ? ['gateway'] : [], `gateway.edition is not stated: ${msg} on the open-source edition`, fix, ev));
    }
  }
  return out;
}
