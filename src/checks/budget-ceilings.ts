import { DEFAULTS, type DeploymentModel, type TenantModel } from '../manifest/model.js';
import { ge, gt, int, pct, plain, usd } from '../util/numbers.js';
import { fail, pass, warn } from './finding.js';
import { type Spill, spillOver } from './spend.js';
import type { Check, EvidenceValue, Finding } from './types.js';
import { usageBudgetFindings } from './usage-findings.js';
import { withDeployedBudgets } from './deployed.js';
import { capabilityOf } from '../gateway/capability.js';
import { DEFAULT_METRICS_SOURCE, LITELLM_LOG_SWITCHES, METRICS_SOURCE_TITLES, type LitellmRows } from '../gateway/litellm/metrics-sources.js';
import { exporterFeeds } from '../alerts/feeds.js';
import { decidedBy, describeOrigin, observations } from '../evidence/decide.js';
import type { DecidedBy, EvidenceSet } from '../evidence/types.js';

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
  /** the cost of a request the projection uses: with the spill-over priced in when it applies */
  costPerRequestUsd?: number;
  dailySpendUsd?: number;
  projectedMonthlyUsd?: number;
  /** projected / budget */
  utilization?: number;
  alertDay?: number;
  exhaustedDay?: number;
  /** the part of the projected month that is failover spill priced above the primary's rates */
  spillMonthlyUsd?: number;
}

/**
 * A tenant's month. A tenant priced from the primary's pricing has the spill-over added: the share of
 * the day failover carries, at the failover provider's rates (see spend.ts). A tenant's own
 * costPerRequestUsd is its measured figure and stands as given.
 */
export function projectTenant(t: TenantModel, alertAtFraction: number, spill?: Spill): TenantProjection {
  const budgetUsd = t.tenant.budget?.monthlyUsd;
  const extra = spill && t.costSource === 'primary-pricing' ? spill.extraCostPerRequestUsd : 0;
  const cost = t.costPerRequestUsd !== undefined ? t.costPerRequestUsd + extra : undefined;
  const daily = cost !== undefined && t.tenant.dailyRequests !== undefined ? t.tenant.dailyRequests * cost : undefined;
  const monthly = daily !== undefined ? daily * DEFAULTS.daysPerMonth : undefined;
  const out: TenantProjection = { tenant: t.tenant.id, budgetUsd, costPerRequestUsd: cost, dailySpendUsd: daily, projectedMonthlyUsd: monthly };
  if (extra !== 0 && t.tenant.dailyRequests !== undefined) out.spillMonthlyUsd = t.tenant.dailyRequests * extra * DEFAULTS.daysPerMonth;
  if (budgetUsd !== undefined && daily !== undefined && monthly !== undefined) {
    out.utilization = monthly / budgetUsd;
    const a = dayReaching(alertAtFraction * budgetUsd, daily);
    const e = dayReaching(budgetUsd, daily);
    if (a <= DEFAULTS.daysPerMonth) out.alertDay = a;
    if (e <= DEFAULTS.daysPerMonth) out.exhaustedDay = e;
  }
  return out;
}

/** The whole account's month: every tenant whose spend can be projected, against the account ceiling. */
export interface AccountProjection {
  ceilingUsd?: number;
  /** tenants whose spend was projected (the others are not in the total) */
  tenants: number;
  dailySpendUsd: number;
  projectedMonthlyUsd: number;
  spillMonthlyUsd: number;
  /** projected / ceiling */
  utilization?: number;
  alertDay?: number;
  /** the day of the month cumulative spend reaches the ceiling (absent: not within the month) */
  ceilingDay?: number;
}

export function projectAccount(model: DeploymentModel, spill: Spill | undefined = spillOver(model)): AccountProjection {
  const ps = model.tenants.map((t) => projectTenant(t, model.alertAtFraction, spill)).filter((p) => p.dailySpendUsd !== undefined);
  const daily = ps.reduce((s, p) => s + (p.dailySpendUsd ?? 0), 0);
  const out: AccountProjection = {
    ceilingUsd: model.manifest.budgets?.accountMonthlyUsd,
    tenants: ps.length,
    dailySpendUsd: daily,
    projectedMonthlyUsd: daily * DEFAULTS.daysPerMonth,
    spillMonthlyUsd: ps.reduce((s, p) => s + (p.spillMonthlyUsd ?? 0), 0),
  };
  if (out.ceilingUsd !== undefined && ps.length > 0) {
    out.utilization = out.projectedMonthlyUsd / out.ceilingUsd;
    const a = dayReaching(model.alertAtFraction * out.ceilingUsd, daily);
    const e = dayReaching(out.ceilingUsd, daily);
    if (a <= DEFAULTS.daysPerMonth) out.alertDay = a;
    if (e <= DEFAULTS.daysPerMonth) out.ceilingDay = e;
  }
  return out;
}

/** The figures of the spill-over and the daily shape behind it, for a finding's evidence. */
export function spillEvidence(spill: Spill | undefined): Record<string, EvidenceValue> {
  if (!spill) return {};
  return {
    peakRpm: spill.shape.peakRpm,
    peakWindowMinutes: spill.shape.windowMinutes,
    peakWindowSource: spill.shape.windowSource,
    offPeakRpm: Number(plain(spill.shape.offPeakRpm, 2)),
    dailyRequests: Number(plain(spill.shape.dailyRequests, 2)),
    dailyRequestsSource: spill.shape.dailySource,
    primaryCapacityRpm: Number(plain(spill.primaryCapacityRpm, 2)),
    spillTargets: spill.targets.map((t) => t.provider),
    spillShareOfDay: Number(plain(spill.shareOfDay, 4)),
    spillCostPerRequestUsd: spill.targets.map((t) => Number(plain(t.costPerRequestUsd, 8))),
    primaryCostPerRequestUsd: Number(plain(spill.primaryCostPerRequestUsd, 8)),
    spillExtraCostPerRequestUsd: Number(plain(spill.extraCostPerRequestUsd, 8)),
  };
}

/** The spill-over in words: which provider carries how much of the day, at whose rates. */
export function spillText(spill: Spill): string {
  const who = spill.targets
    .map((t) => `${t.provider} carries ${pct(t.shareOfDay)} of the day's requests at ${t.priced ? `its own $${plain(t.costPerRequestUsd, 6)}` : `${spill.primary}'s $${plain(t.costPerRequestUsd, 6)} (it declares no pricing)`} a request`)
    .join(', ');
  return `${spill.primary} holds ${int(spill.primaryCapacityRpm)} rpm of the ${plain(spill.shape.peakRpm)} rpm peak (${int(spill.shape.windowMinutes)} minutes a day${spill.shape.windowSource === 'default' ? ', the default window' : ''}): ${who}, against ${spill.primary}'s $${plain(spill.primaryCostPerRequestUsd, 6)}`;
}

export const budgetCeilings: Check = {
  id: 'budget-ceilings',
  title: 'A budget ceiling per tenant, with an early alert',
  rationale:
    "Incident two: there was an account ceiling but no per-team ceiling, and one team's batch jobs spent $11,800 over budget in 18 days; when the account hit its total ceiling, the entire deployment slowed down. Each tenant needs its own monthly budget that the gateway enforces, an alert at 70% of it, and a projection that shows an ordinary month fits, each tenant's and the account's: projected account spend above an enforcing account ceiling (onExceeded throttle or block) stops every team on the day it is reached. The projection is daily requests x cost per request x 30. Where failover on 429 carries what the primary cannot hold, that share is priced at the failover provider's rates, on this model of the day: the stated peak runs flat for the whole peak window (traffic.peakWindow, else two hours), the rest of the day's requests (traffic.averageRpm x 1,440, else the tenants' dailyRequests added up) spread evenly over the other hours, the primary carries up to its capacity (min of rpm and tpm / tokensPerRequest) and each failover target, in order, up to its own; every tenant priced from the primary's pricing shares that shape (a tenant's own costPerRequestUsd stands as given).",
  remediation:
    "Give every tenant budget.monthlyUsd, enforced by the gateway (onExceeded: block or throttle), alert at 70% (budgets.alertAtFraction: 0.7), make sure each projected month fits its budget, and keep the account ceiling (budgets.accountMonthlyUsd) above the projected account spend and the tenant budgets added up. Figures in one report's fixes are computed together: each assumes the others are applied.",
  sources: [
    { title: 'LiteLLM: budgets and rate limits per team', url: 'https://docs.litellm.ai/docs/proxy/users' },
    { title: 'FinOps Foundation: budgeting', url: 'https://www.finops.org/framework/capabilities/budgeting/' },
  ],
  // the deployed gateway config (check --gateway-config) decides where it is weaker: ./deployed.ts
  run: (ctx) => withDeployedBudgets(ctx, ({ model, evidence }) => {
    const m = model.manifest;
    const findings: Finding[] = [];
    const frac = model.alertAtFraction;
    // remediations are computed together: every figure below assumes the alert fraction after its own fix
    const fixFrac = Math.min(frac, MAX_ALERT_FRACTION);
    const fixedNote = gt(frac, MAX_ALERT_FRACTION) ? ` (at budgets.alertAtFraction ${plain(fixFrac)}, the fix above)` : '';
    const spill = spillOver(model);
    const projections = model.tenants.map((t) => ({ t, p: projectTenant(t, frac, spill) }));
    /** the budget each tenant needs so that its alert is not routine, at the fixed fraction */
    const needed = (p: TenantProjection) => (p.projectedMonthlyUsd !== undefined ? Math.ceil(p.projectedMonthlyUsd / fixFrac - 1e-9) : undefined);
    const proposed = projections.map(({ t, p }) => {
      const b = t.tenant.budget?.monthlyUsd;
      const n = needed(p);
      return b !== undefined && n !== undefined ? Math.max(b, n) : (b ?? n);
    });
    const proposedSum = proposed.reduce<number>((s, b) => s + (b ?? 0), 0);
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
    const account = m.budgets?.accountMonthlyUsd;
    const onExceeded = m.budgets?.onExceeded;
    const acct = projectAccount(model, spill);
    if (account !== undefined && acct.tenants > 0 && gt(acct.projectedMonthlyUsd, account)) {
      const enforcing = onExceeded === 'block' || onExceeded === 'throttle';
      const day = acct.ceilingDay;
      const raiseTo = Math.max(Math.ceil(acct.projectedMonthlyUsd - 1e-9), proposedSum);
      const spillPart = spill && acct.spillMonthlyUsd > 0 ? ` (including ${usd(acct.spillMonthlyUsd)} of failover spill-over: ${spillText(spill)})` : '';
      const consequence = enforcing
        ? `from day ${day} the account ceiling will ${onExceeded} every team, whatever its own budget`
        : onExceeded === 'alert-only'
          ? `it is reached on day ${day}; with onExceeded alert-only spending carries on past it`
          : `it is reached on day ${day}, and what happens then is not stated (budgets.onExceeded)`;
      const message = `projected account spend ${usd(acct.projectedMonthlyUsd)}/month (${usd(acct.dailySpendUsd)}/day across ${acct.tenants} tenant${acct.tenants === 1 ? '' : 's'})${spillPart} is above the ${usd(account)} account ceiling: ${consequence}`;
      const remediation = `Raise budgets.accountMonthlyUsd to at least ${usd(raiseTo)}${raiseTo > Math.ceil(acct.projectedMonthlyUsd - 1e-9) ? ' (the tenant budgets the fixes below ask for, added up)' : ''}, or cut the tenants' daily volume or cost per request${spill ? `, or raise ${spill.primary}'s limit so less of the peak spills to dearer providers` : ''}.`;
      const evidence = {
        projectedAccountMonthlyUsd: Number(plain(acct.projectedMonthlyUsd, 2)),
        accountMonthlyUsd: account,
        ceilingDay: day ?? null,
        onExceeded: onExceeded ?? null,
        dailySpendUsd: Number(plain(acct.dailySpendUsd, 2)),
        spillMonthlyUsd: Number(plain(acct.spillMonthlyUsd, 2)),
        ...spillEvidence(spill),
      };
      findings.push((enforcing ? fail : warn)(['budgets', 'accountMonthlyUsd'], message, remediation, evidence));
    }
    if (gt(frac, MAX_ALERT_FRACTION)) {
      // the tenants the lower fraction brings to their alert: their budgets must rise with it
      const then = projections.filter(({ t, p }) => {
        const b = t.tenant.budget?.monthlyUsd;
        return b !== undefined && p.projectedMonthlyUsd !== undefined && ge(p.projectedMonthlyUsd, fixFrac * b) && !ge(p.projectedMonthlyUsd, frac * b);
      });
      findings.push(
        fail(
          ['budgets', 'alertAtFraction'],
          `budgets.alertAtFraction is ${plain(frac)}: an alert at ${pct(frac)} leaves too little of the month to act`,
          `Set budgets.alertAtFraction to ${plain(MAX_ALERT_FRACTION)} or lower${
            then.length
              ? `; at ${plain(MAX_ALERT_FRACTION)} ${then.map(({ t, p }) => `tenant ${t.tenant.id} reaches its alert in an ordinary month: raise tenants[${t.index}].budget.monthlyUsd to at least ${usd(needed(p) ?? 0)}`).join('; ')}`
              : ''
          }.`,
          { alertAtFraction: frac },
        ),
      );
    }
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
    if (account !== undefined && gt(sum, account)) {
      findings.push(
        warn(
          ['budgets', 'accountMonthlyUsd'],
          `tenant budgets add up to ${usd(sum)}, more than the account ceiling of ${usd(account)}: the account ceiling will stop every team before each reaches its own`,
          `Lower tenant budgets or raise budgets.accountMonthlyUsd to at least ${usd(Math.max(sum, proposedSum))} so that the tenant budgets fit inside it.`,
          { tenantBudgetSumUsd: Number(plain(sum, 2)), accountMonthlyUsd: account },
        ),
      );
    }
    let projected = 0;
    for (const { t, p } of projections) {
      const id = t.tenant.id;
      const budget = t.tenant.budget?.monthlyUsd;
      if (budget === undefined) {
        const n = needed(p);
        findings.push(
          fail(
            ['tenants', t.index],
            `tenant ${id} has no monthly budget: nothing stops it from spending the whole account${p.projectedMonthlyUsd !== undefined ? ` (projected ${usd(p.projectedMonthlyUsd)}/month)` : ''}`,
            `Set tenants[${t.index}].budget.monthlyUsd${n !== undefined ? ` (at least ${usd(n)}, so the ${pct(fixFrac)} alert${fixedNote} is a warning, not routine)` : ''} and enforce it at the gateway.`,
            { tenant: id, budgetUsd: null },
          ),
        );
        continue;
      }
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
      const tenantSpill = p.spillMonthlyUsd !== undefined && spill ? spill : undefined;
      const evidence = {
        tenant: id,
        budgetUsd: budget,
        dailySpendUsd: Number(plain(p.dailySpendUsd, 2)),
        projectedMonthlyUsd: Number(plain(p.projectedMonthlyUsd, 2)),
        utilization: Number(plain(p.utilization ?? 0, 4)),
        costPerRequestUsd: Number(plain(p.costPerRequestUsd ?? 0)),
        costSource: t.costSource ?? null,
        alertDay: p.alertDay ?? null,
        exhaustedDay: p.exhaustedDay ?? null,
        ...(tenantSpill ? { spillMonthlyUsd: Number(plain(p.spillMonthlyUsd ?? 0, 2)), ...spillEvidence(tenantSpill) } : {}),
      };
      const monthly = p.projectedMonthlyUsd;
      const daily = p.dailySpendUsd;
      const figures = () =>
        `${usd(daily)}/day x ${DEFAULTS.daysPerMonth} = ${usd(monthly)}/month${tenantSpill ? ` (including ${usd(p.spillMonthlyUsd ?? 0)} of failover spill-over)` : ''}, ${pct(p.utilization ?? 0)} of its ${usd(budget)} budget`;
      if (over) {
        findings.push(
          fail(
            ['tenants', t.index, 'budget', 'monthlyUsd'],
            `tenant ${id} is projected over budget: ${figures()}; it runs out on day ${p.exhaustedDay}`,
            `Raise tenants[${t.index}].budget.monthlyUsd to at least ${usd(needed(p) ?? 0)} (so the ${pct(fixFrac)} alert${fixedNote} is a warning, not routine), or cut its daily volume or cost per request.`,
            evidence,
          ),
        );
      } else {
        findings.push(
          warn(
            ['tenants', t.index, 'budget', 'monthlyUsd'],
            `tenant ${id} reaches the ${pct(frac)} alert in an ordinary month: ${figures()}; ${
              // at the tolerance's edge the day computes past the month: the alert comes with its last day
              p.alertDay === undefined
                ? "the alert fires at the month's end"
                : `the alert fires on day ${p.alertDay}${p.alertDay <= model.alertByDay ? ` (on or before day ${model.alertByDay}: paged)` : ''}`
            }`,
            `Raise tenants[${t.index}].budget.monthlyUsd to at least ${usd(needed(p) ?? 0)}${fixedNote} so the alert means something, or plan for it.`,
            evidence,
          ),
        );
      }
    }
    // a capability's pass (the exporter feeds the alerts) stands beside the budgets' pass, after it
    const capability = budgetCapabilityFindings(model, evidence);
    findings.push(...capability.filter((f) => f.status !== 'pass'));
    if (findings.length === 0) {
      findings.push(
        pass(
          ['tenants'],
          `${model.tenants.length === 1 ? 'the one tenant has a budget' : `all ${model.tenants.length} tenants have budgets`}; projected spend ${usd(projected)}/month of ${usd(sum)} budgeted${
            account !== undefined ? ` and of the ${usd(account)} account ceiling` : ''
          }, every tenant below its ${pct(frac)} alert${spill && acct.spillMonthlyUsd > 0 ? `; the projection includes ${usd(acct.spillMonthlyUsd)} of failover spill-over (${spillText(spill)})` : ''}`,
          {
            tenants: model.tenants.length,
            projectedMonthlyUsd: Number(plain(projected, 2)),
            tenantBudgetSumUsd: Number(plain(sum, 2)),
            alertAtFraction: frac,
            ...(account !== undefined ? { accountMonthlyUsd: account } : {}),
            ...spillEvidence(spill),
          },
        ),
      );
    }
    findings.push(...capability.filter((f) => f.status === 'pass'));
    findings.push(...spendFrozenFindings(model, evidence));
    findings.push(...usageBudgetFindings(model, evidence));
    return findings;
  }),
};

/** The deployed LiteLLM config's log switches that are on (check --gateway-config), each with the observation that said so. */
function switchesOn(evidence: readonly EvidenceSet[]): Array<{ sw: (typeof LITELLM_LOG_SWITCHES)[number]; by: DecidedBy; note?: string }> {
  const deployed = evidence.filter((e) => e.origin.kind === 'deployed-config');
  return LITELLM_LOG_SWITCHES.flatMap((sw) =>
    observations(deployed, 'gateway.logsDisabled', sw.key)
      .filter(({ observation }) => observation.value === true)
      .map(({ observation, set }) => ({ sw, by: decidedBy(set, observation), note: observation.note })),
  );
}

/** The rows the deployed config's switches stop, the observations that said so, and the keys. */
function stoppedRows(evidence: readonly EvidenceSet[]): { rows: Set<LitellmRows>; by: DecidedBy[]; keys: string[] } {
  const on = switchesOn(evidence);
  return { rows: new Set(on.flatMap((o) => o.sw.stops)), by: on.map((o) => o.by), keys: [...new Set(on.map((o) => o.sw.key))] };
}

/**
 * A deployed LiteLLM config whose log switch stops the teams' spend (disable_spend_updates: the cost callback
 * does not run, so neither LiteLLM's cache nor its tables add a request's cost: LITELLM_LOG_SWITCHES and its
 * sources): a team's spend never reaches its max_budget, so budgets that are to block or throttle are not
 * enforced, whatever serves the metrics.
 */
function spendFrozenFindings(model: DeploymentModel, evidence: readonly EvidenceSet[]): Finding[] {
  if (model.manifest.gateway?.kind !== 'litellm') return [];
  const onExceeded = model.manifest.budgets?.onExceeded;
  if (onExceeded !== 'block' && onExceeded !== 'throttle') return [];
  const budgeted = model.tenants.filter((t) => t.tenant.budget?.monthlyUsd !== undefined).length;
  if (budgeted === 0) return [];
  return switchesOn(evidence)
    .filter(({ sw }) => sw.stops.includes('team-spend'))
    .map(({ sw, by, note }) => ({
      ...fail(
        ['budgets', 'onExceeded'],
        `the deployed LiteLLM config sets ${sw.section}.${sw.key} (${note ?? 'true'}): LiteLLM then adds no request's cost to any key's or team's spend, so no team reaches its max_budget and the ${int(budgeted)} tenant budget${budgeted === 1 ? '' : 's'} that are to ${onExceeded} are not enforced (decided by the ${describeOrigin(by)})`,
        `Remove ${sw.section}.${sw.key} from the deployed LiteLLM config, or set budgets.onExceeded: alert-only and enforce the budgets elsewhere.`,
        { key: sw.key, onExceeded, tenants: budgeted },
      ),
      decidedBy: by,
    }));
}

const list = (xs: readonly string[]) => (xs.length <= 1 ? xs.join('') : `${xs.slice(0, -1).join(', ')} and ${xs[xs.length - 1]}`);

/** gateway.metrics.source: readiness-exporter: which alerts it feeds, for this manifest and the deployed config. */
function exporterSourceFindings(model: DeploymentModel, evidence: readonly EvidenceSet[]): Finding[] {
  const { rows, by, keys } = stoppedRows(evidence);
  const feeds = exporterFeeds(model.manifest, rows);
  const silent = feeds.filter((f) => f.state === 'silent');
  const incomplete = feeds.filter((f) => f.state === 'incomplete');
  const path = ['gateway', 'metrics', 'source'];
  const ev = {
    source: 'readiness-exporter',
    fed: feeds.filter((f) => f.state === 'fed').map((f) => f.alert),
    incomplete: incomplete.map((f) => f.alert),
    silent: silent.map((f) => f.alert),
    disabledBy: keys,
  };
  const why = (fs: typeof feeds) => fs.map((f) => `${f.alert} (${f.reasons.join('; ')})`).join(', ');
  const where = by.length ? ` (decided by the ${by.map(describeOrigin).join(', ')})` : '';
  const fixKeys = keys.length ? `Remove general_settings.${keys.join(', general_settings.')} from the deployed LiteLLM config (LiteLLM then writes the rows the exporter reads)` : '';
  const fixOverrides = feeds.some((f) => f.reasons.some((r) => r.includes('does not serve'))) ? 'drop gateway.metrics.overrides for the gateway metrics (the exporter serves LiteLLM\'s own names), or serve those names yourself' : '';
  const fix = `${[fixKeys, fixOverrides].filter(Boolean).join('; and ')}; see docs/exporter.md.`.replace(/^./, (c) => c.toUpperCase());
  const out: Finding[] = [];
  if (silent.length) {
    const f = fail(path, `with gateway.metrics.source readiness-exporter, ${silent.length === 1 ? 'one alert stays' : `${silent.length} alerts stay`} silent: ${why(silent)}${where}`, fix, ev);
    out.push(by.length ? { ...f, decidedBy: by[0] } : f);
  }
  if (incomplete.length) {
    const f = warn(path, `with gateway.metrics.source readiness-exporter, ${incomplete.length === 1 ? 'one alert reads' : `${incomplete.length} alerts read`} incomplete series: ${why(incomplete)}${where}`, fix, ev);
    out.push(by.length ? { ...f, decidedBy: by[0] } : f);
  }
  if (out.length === 0) {
    const gw = feeds.filter((f) => !f.agentOnly).map((f) => f.alert);
    const agent = feeds.filter((f) => f.agentOnly).map((f) => f.alert);
    out.push(
      pass(
        path,
        `the alerts read ${METRICS_SOURCE_TITLES['readiness-exporter']}, not LiteLLM's Enterprise callback: it feeds ${list(gw)}${agent.length ? `; ${list(agent)} ${agent.length === 1 ? 'reads' : 'read'} the agent's own metrics` : ''}`,
        ev,
      ),
    );
  }
  return out;
}

/**
 * What the named gateway can do about budgets, asked of its capability table: enforce each tenant's
 * ceiling (per-tenant-budget), and export the metrics the budget alerts query (prometheus-metrics;
 * LiteLLM's callback is Enterprise-only since 15 September 2024, readiness exporter serves them from
 * LiteLLM's database instead: gateway.metrics.source). Pure.
 */
export function budgetCapabilityFindings(model: DeploymentModel, evidence: readonly EvidenceSet[] = []): Finding[] {
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
  const source = m.gateway?.metrics?.source ?? DEFAULT_METRICS_SOURCE;
  if (m.gateway?.kind === 'litellm' && profile === 'litellm') {
    if (source === 'readiness-exporter') return [...out, ...exporterSourceFindings(model, evidence)];
    const { cap } = capabilityOf(model, 'prometheus-metrics');
    const edition = m.gateway?.edition;
    if (edition !== 'enterprise' && cap?.can !== 'yes') {
      const msg = `the ${pct(model.alertAtFraction)} budget alert and every other alert of the litellm metrics profile read LiteLLM's Prometheus callback, which needs LiteLLM Enterprise: open-source LiteLLM exports only litellm_not_a_premium_user_metric, so the alerts stay silent`;
      const fix = 'Run LiteLLM Enterprise (LITELLM_LICENSE) and set gateway.edition: enterprise, or run readiness exporter beside open-source LiteLLM (it serves the same metrics from LiteLLM\'s database: docs/exporter.md) and set gateway.metrics.source: readiness-exporter.';
      const ev = { edition: edition ?? null, profile, source };
      out.push(edition === 'oss' ? fail(['gateway', 'edition'], msg, fix, ev) : warn(m.gateway ? ['gateway'] : [], `gateway.edition is not stated: ${msg} on the open-source edition`, fix, ev));
    }
  }
  return out;
}
