/**
 * The budget section for more than SUMMARY_THRESHOLD tenants: a card and a row per tenant made the
 * page grow by ~2.7 KB a tenant (102 MB at 40,000), so it shows what a go-live review decides on
 * instead: every failing and warning tenant (up to DECIDING_CAP, with a count of the rest), the
 * largest tenants by projected spend and by share of the peak, and how all of them are distributed
 * (status counts, budget states, spend quantiles). Every tenant's row is in tenants.csv beside the
 * page (csv-tenants.ts). The page's size no longer depends on the number of tenants.
 */
import { projectAccount } from '../checks/budget-ceilings.js';
import type { Report } from '../checks/run.js';
import { spillOver } from '../checks/spend.js';
import type { Status } from '../checks/types.js';
import { DEFAULTS, type DeploymentModel } from '../manifest/model.js';
import { int, pct, usd } from '../util/numbers.js';
import { TENANTS_CSV } from './csv-tenants.js';
import {
  BUDGETS_HEAD,
  accountCells,
  accountProjectionOf,
  budgetCells,
  budgetColumns,
  budgetIntro,
  budgetLegend,
  budgetMax,
  budgetRow,
  dollarTick,
  noTenants,
  share,
} from './html-budgets.js';
import { badge, figure, table } from './html-parts.js';
import { type Ids, esc, hbarChart } from './html-svg.js';
import { SUMMARY_THRESHOLD, type TenantRow, quantile, tenantRows } from './html-tenant-rows.js';

/** At most this many failing and warning tenants are listed; the rest are counted. */
export const DECIDING_CAP = 50;
/** The largest tenants shown by projected spend and by share of the peak. */
export const TOP_N = 10;

const RANK: Record<Status, number> = { fail: 0, warn: 1, pass: 2 };

/** The largest `n` by `key` (descending), ties in manifest order; rows without the figure are left out. */
function topBy(rows: readonly TenantRow[], key: (r: TenantRow) => number | undefined, n: number): TenantRow[] {
  // each key once, not twice per comparison (10,000 tenants: ~270,000 comparisons a sort)
  const keyed: Array<{ k: number; r: TenantRow }> = [];
  for (const r of rows) {
    const k = key(r);
    if (k !== undefined) keyed.push({ k, r });
  }
  keyed.sort((a, b) => b.k - a.k || a.r.t.index - b.r.t.index);
  return keyed.slice(0, n).map((x) => x.r);
}

function distribution(rows: readonly TenantRow[], frac: number): string {
  const count = (f: (r: TenantRow) => boolean) => rows.reduce((s, r) => s + (f(r) ? 1 : 0), 0);
  const statusRows = (['fail', 'warn', 'pass'] as const).map((s) => [badge(s), esc(int(count((r) => r.status === s)))]);
  const over = count((r) => (r.p.utilization ?? 0) > 1 + 1e-9);
  const alerting = count((r) => r.p.utilization !== undefined && r.p.utilization >= frac - 1e-9 && r.p.utilization <= 1 + 1e-9);
  const below = count((r) => r.p.utilization !== undefined && r.p.utilization < frac - 1e-9);
  const noBudget = count((r) => r.p.budgetUsd === undefined);
  const unknown = count((r) => r.p.budgetUsd !== undefined && r.p.projectedMonthlyUsd === undefined);
  const budgetRows = [
    ['Over budget within the month', esc(int(over))],
    [`Between the ${esc(pct(frac))} alert and the budget`, esc(int(alerting))],
    [`Below the ${esc(pct(frac))} alert all month`, esc(int(below))],
    ['No budget', esc(int(noBudget))],
    ['Budget, but spend cannot be projected', esc(int(unknown))],
  ];
  const spend = rows.flatMap((r) => (r.p.projectedMonthlyUsd !== undefined ? [r.p.projectedMonthlyUsd] : [])).sort((a, b) => a - b);
  const used = rows.flatMap((r) => (r.p.utilization !== undefined ? [r.p.utilization] : [])).sort((a, b) => a - b);
  const q = (xs: number[], p: number, f: (x: number) => string) => {
    const v = quantile(xs, p);
    return v === undefined ? '–' : esc(f(v));
  };
  const quantileRows = [
    ['Smallest', q(spend, 0, usd), q(used, 0, share)],
    ['Median (p50)', q(spend, 0.5, usd), q(used, 0.5, share)],
    ['p90', q(spend, 0.9, usd), q(used, 0.9, share)],
    ['p99', q(spend, 0.99, usd), q(used, 0.99, share)],
    ['Largest', q(spend, 1, usd), q(used, 1, share)],
  ];
  return `<h3>How the ${esc(int(rows.length))} tenants are distributed</h3>
${table('Tenants by status (the worst finding naming each tenant)', ['Status', 'Tenants'], statusRows)}
${table(`Tenants by budget over a ${DEFAULTS.daysPerMonth}-day month`, ['Budget state', 'Tenants'], budgetRows)}
${table(`Quantiles (nearest rank) of each column on its own: the projected month of the ${esc(int(spend.length))} tenants whose spend can be projected, the share of budget of the ${esc(int(used.length))} that also have a budget`, ['Quantile', 'Projected month', '% of budget'], quantileRows)}`;
}

function deciding(rows: readonly TenantRow[]): string {
  const bad = rows.filter((r) => r.status !== 'pass').sort((a, b) => RANK[a.status] - RANK[b.status] || a.t.index - b.t.index);
  if (bad.length === 0) return '<h3>Tenants that decide the verdict</h3>\n<p>No tenant has a failing or warning finding.</p>';
  const shown = bad.slice(0, DECIDING_CAP);
  const fails = bad.filter((r) => r.status === 'fail').length;
  const body = table(
    `Failing and warning tenants: ${shown.length} of ${bad.length} shown (${fails} fail, ${bad.length - fails} warn)`,
    ['Tenant', 'Team', 'Status', 'Why (the worst finding)', 'Projected month', 'Budget', '% of budget'],
    shown.map((r) => [
      `<code>${esc(r.t.tenant.id)}</code>`,
      r.t.tenant.team !== undefined ? esc(r.t.tenant.team) : 'not stated',
      badge(r.status),
      `${esc(r.reason ?? '')}${r.findings > 1 ? ` <span class="muted">(${esc(int(r.findings - 1))} more)</span>` : ''}`,
      r.p.projectedMonthlyUsd !== undefined ? esc(usd(r.p.projectedMonthlyUsd)) : 'unknown',
      r.p.budgetUsd !== undefined ? esc(usd(r.p.budgetUsd)) : '<strong>none</strong>',
      r.p.utilization !== undefined ? esc(share(r.p.utilization)) : '–',
    ]),
  );
  const rest = bad.length - shown.length;
  const more = rest > 0 ? `\n<p><strong>${esc(int(rest))} more</strong> failing or warning tenants are not listed here: every one is in <code>${esc(TENANTS_CSV)}</code> (its <code>status</code> and <code>reason</code> columns).</p>` : '';
  return `<h3>Tenants that decide the verdict</h3>\n${body}${more}`;
}

function byPeakShare(rows: readonly TenantRow[], model: DeploymentModel): string {
  const head = `<h3>The ${TOP_N} largest tenants by share of the peak</h3>`;
  if (model.peakRpm === undefined) return `${head}\n<p>No peak is stated, so no tenant's share of it can be given.</p>`;
  const top = topBy(rows, (r) => r.peakShare, TOP_N);
  if (top.length === 0) return `${head}\n<p>No tenant declares an rpm limit, so no tenant's share of the peak can be given.</p>`;
  return `${head}\n${table(
    `Each tenant's rpm limit as a share of the ${esc(int(model.peakRpm))} rpm peak: how much of the peak one tenant may take at its limit`,
    ['Tenant', 'Team', 'rpm limit', 'tpm limit', 'Share of the peak', 'Status'],
    top.map((r) => [
      `<code>${esc(r.t.tenant.id)}</code>`,
      r.t.tenant.team !== undefined ? esc(r.t.tenant.team) : 'not stated',
      esc(int(r.t.tenant.limits?.rpm ?? 0)),
      r.t.tenant.limits?.tpm !== undefined ? esc(int(r.t.tenant.limits.tpm)) : 'not declared',
      esc(pct(r.peakShare ?? 0)),
      badge(r.status),
    ]),
  )}`;
}

/** The budget section in summary mode (more than SUMMARY_THRESHOLD tenants). */
export function budgetSummarySection(report: Report, model: DeploymentModel, ids: Ids): string {
  if (model.tenants.length === 0) return noTenants();
  const frac = model.alertAtFraction;
  const spill = spillOver(model);
  const rows = tenantRows(report, model);
  const acct = projectAccount(model, spill);
  const accountProjection = accountProjectionOf(model, acct, rows.some((r) => r.p.projectedMonthlyUsd !== undefined));
  const top = topBy(rows, (r) => r.p.projectedMonthlyUsd, TOP_N);
  const bars = top.map((r) => budgetRow(r.t.tenant.id, `team ${r.t.tenant.team ?? 'not stated'}`, r.p, frac));
  const desc = `The ${top.length} tenants with the largest projected monthly spend (daily requests × cost per request × ${DEFAULTS.daysPerMonth}) against their budgets, with the ${pct(frac)} alert marked. ${bars
    .map((r) => `${r.label}: ${r.text}, ${r.note}`)
    .join('. ')}.`;
  const chart = figure(
    hbarChart(ids, { title: `The ${top.length} largest tenants by projected spend, against budget`, desc, rows: bars, max: budgetMax(bars), tickLabel: dollarTick }),
    `The ${top.length} largest tenants by projected month against their budgets; the dashed tick is the ${esc(pct(frac))} alert, the solid tick the budget.`,
    budgetLegend(frac),
  );
  // the account on an axis of its own: on the tenants' axis, thousands of tenants' sum leaves their bars invisible
  let accountChart = '';
  if (accountProjection) {
    const row = budgetRow('all tenants', 'account ceiling', accountProjection, frac, true);
    accountChart = `\n${figure(
      hbarChart(ids, { title: 'All tenants against the account ceiling', desc: `All ${int(rows.length)} tenants together: ${row.text}, ${row.note}.`, rows: [row], max: budgetMax([row]), tickLabel: dollarTick }),
      `Every tenant's projected month together against the account ceiling; the dashed tick is the ${esc(pct(frac))} alert, the solid tick the ceiling.`,
    )}`;
  }
  const topRows = top.map((r) => budgetCells(r.t, r.p));
  if (accountProjection) topRows.push(accountCells(accountProjection, rows));
  const topTable = table(`The ${top.length} largest tenants by projected spend over a ${DEFAULTS.daysPerMonth}-day month (data behind the chart)`, budgetColumns(frac), topRows);
  const note = `<p>This deployment has <strong>${esc(int(rows.length))} tenants</strong>, more than the ${SUMMARY_THRESHOLD} this page draws one by one: it shows the tenants that decide the verdict, the largest by projected spend and by share of the peak, and how all of them are distributed. <strong>Every tenant's row is in <code>${esc(TENANTS_CSV)}</code> beside this page</strong> (written by <code>readiness check --out-dir</code>, and beside the page by <code>--format html=FILE</code>).</p>`;
  return `${BUDGETS_HEAD}\n${budgetIntro(model, acct, spill)}\n${note}\n${deciding(rows)}\n<h3>The ${TOP_N} largest tenants by projected spend</h3>\n${chart}${accountChart}\n${topTable}\n${byPeakShare(rows, model)}\n${distribution(rows, frac)}\n</section>`;
}
