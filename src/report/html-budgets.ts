/**
 * The go-live page's budget section as it is for up to SUMMARY_THRESHOLD tenants: every tenant's
 * projected month against its budget (one chart row and one card each) and the account ceiling.
 */
import { type AccountProjection, projectAccount, projectTenant, spillText, type TenantProjection } from '../checks/budget-ceilings.js';
import { type Spill, spillOver } from '../checks/spend.js';
import { DEFAULTS, type DeploymentModel, type TenantModel } from '../manifest/model.js';
import { int, maxOf, pct, plain, usd } from '../util/numbers.js';
import { badge, figure, legendItem, table } from './html-parts.js';
import { type HBarRow, type Ids, esc, hbarChart, lineChart, swatch } from './html-svg.js';

export const money = (x: number) => `$${plain(x, 6)}`;
/** Axis labels in dollars: $500, $2.5k, $1.5M. */
export const dollarTick = (v: number) => (v >= 1e6 ? `$${plain(v / 1e6)}M` : v >= 1000 ? `$${plain(v / 1000)}k` : `$${plain(v)}`);
/** Budget shares to two decimals: 0.6375 reads 63.75%, not 63.7% or 63.8% depending on float noise. */
export const share = (u: number) => `${plain(u * 100, 2)}%`;

export function budgetRow(label: string, sub: string, p: TenantProjection, frac: number, ceiling = false): HBarRow {
  if (p.projectedMonthlyUsd === undefined) {
    return { label, sub, text: p.budgetUsd !== undefined ? `budget ${usd(p.budgetUsd)}` : 'no budget', note: 'spend cannot be projected', cls: 'bar none' };
  }
  if (p.budgetUsd === undefined) {
    return { label, sub, value: p.projectedMonthlyUsd, text: `${usd(p.projectedMonthlyUsd)} a month, NO budget`, note: 'no ceiling: nothing stops it', cls: 'bar over' };
  }
  const u = p.utilization ?? 0;
  const marks = [
    { at: frac * p.budgetUsd, cls: 'mark-70', label: `${pct(frac)} alert: ${usd(frac * p.budgetUsd)}` },
    { at: p.budgetUsd, cls: 'mark-100', label: `budget: ${usd(p.budgetUsd)}` },
  ];
  const text = `${usd(p.projectedMonthlyUsd)} of ${usd(p.budgetUsd)} (${share(u)})`;
  if (u > 1 + 1e-9) {
    const note = ceiling ? `OVER the account ceiling: reached on day ${p.exhaustedDay}` : `OVER budget: runs out on day ${p.exhaustedDay}`;
    return { label, sub, value: p.projectedMonthlyUsd, marks, text, note, cls: 'bar over' };
  }
  if (u >= frac - 1e-9) return { label, sub, value: p.projectedMonthlyUsd, marks, text, note: `alert fires on day ${p.alertDay}`, cls: 'bar warn' };
  return { label, sub, value: p.projectedMonthlyUsd, marks, text, note: `below the ${pct(frac)} alert all month`, cls: 'bar ok' };
}

function tenantCard(ids: Ids, t: TenantModel, p: TenantProjection, frac: number): string {
  const id = t.tenant.id;
  if (p.projectedMonthlyUsd === undefined || p.dailySpendUsd === undefined) {
    return `<div class="card"><h4><code>${esc(id)}</code></h4><p>Spend cannot be projected: it needs dailyRequests and a cost per request.</p></div>`;
  }
  const daily = p.dailySpendUsd;
  const days = DEFAULTS.daysPerMonth;
  const budget = p.budgetUsd;
  const yMax = Math.max(p.projectedMonthlyUsd, budget ?? 0) * 1.05;
  const markers: Array<{ x: number; y: number; label: string; cls: string }> = [];
  const hlines: Array<{ at: number; label: string; cls: string }> = [];
  let said: string;
  if (budget !== undefined) {
    hlines.push({ at: frac * budget, label: `${pct(frac)} alert`, cls: 'ref-60' }, { at: budget, label: 'budget', cls: 'ref-100' });
    if (p.alertDay !== undefined) markers.push({ x: Math.min(days, (frac * budget) / daily), y: frac * budget, label: `${pct(frac)} on day ${p.alertDay}`, cls: 'marker warn' });
    if (p.exhaustedDay !== undefined) markers.push({ x: Math.min(days, budget / daily), y: budget, label: `100% on day ${p.exhaustedDay}`, cls: 'marker over' });
    said =
      p.exhaustedDay !== undefined
        ? `reaches the ${pct(frac)} alert on day ${p.alertDay} and exhausts its ${usd(budget)} budget on day ${p.exhaustedDay}`
        : p.alertDay !== undefined
          ? `reaches the ${pct(frac)} alert on day ${p.alertDay} and stays within its ${usd(budget)} budget`
          : `stays below the ${pct(frac)} alert (${usd(frac * budget)}) all month`;
  } else {
    said = 'has no budget: no line marks where it should stop';
  }
  const title = `Cumulative spend of tenant ${id} over a ${days}-day month`;
  const desc = `${usd(daily)} a day, ${usd(p.projectedMonthlyUsd)} by day ${days}; ${said}.`;
  const svg = lineChart(ids, {
    title,
    desc,
    xMax: days,
    yMax,
    xLabel: 'day of month',
    yLabel: 'USD',
    xTick: (v) => plain(v),
    yTick: dollarTick,
    series: [{ label: `${id} cumulative spend`, cls: 'spend', points: [[0, 0], [days, p.projectedMonthlyUsd]] }],
    hlines,
    markers,
    w: 340,
    h: 200,
    right: 64,
  });
  return `<div class="card"><h4><code>${esc(id)}</code></h4>${svg}<p>${esc(`${id} ${said}.`)}</p></div>`;
}

function accountSentence(acct: AccountProjection, enforce: string | undefined): string {
  if (acct.ceilingUsd === undefined || acct.tenants === 0) return '';
  const over = acct.projectedMonthlyUsd > acct.ceilingUsd + 1e-9;
  if (!over) return `; projected account spend ${usd(acct.projectedMonthlyUsd)} fits inside it`;
  const stops = enforce === 'block' || enforce === 'throttle' ? `, when the gateway will <strong>${esc(enforce)}</strong> every team` : '';
  return `; projected account spend <strong>${esc(usd(acct.projectedMonthlyUsd))}</strong> is OVER it, reached on <strong>day ${esc(acct.ceilingDay ?? 0)}</strong>${stops}`;
}

/** The account as one more row: every projected tenant against the account ceiling (absent without one). */
export function accountProjectionOf(model: DeploymentModel, acct: AccountProjection, anyProjected: boolean): TenantProjection | undefined {
  const account = model.manifest.budgets?.accountMonthlyUsd;
  if (account === undefined || !anyProjected) return undefined;
  return {
    tenant: 'account',
    budgetUsd: account,
    dailySpendUsd: acct.dailySpendUsd,
    projectedMonthlyUsd: acct.projectedMonthlyUsd,
    utilization: acct.utilization,
    alertDay: acct.alertDay,
    exhaustedDay: acct.ceilingDay,
  };
}

/** The budget chart's legend. */
export function budgetLegend(frac: number): string {
  return (
    legendItem(swatch('box', 'bar ok'), `below ${pct(frac)}`) +
    legendItem(swatch('box', 'bar warn'), `${pct(frac)}–100%`) +
    legendItem(swatch('box', 'bar over', 'url(#hatch-over)'), 'over budget or no budget (hatched)') +
    legendItem(swatch('dash', 'mark-70'), `${pct(frac)} alert`) +
    legendItem(swatch('line', 'mark-100'), 'budget')
  );
}

/** The largest value a budget chart's axis must show: every bar and every tick. */
export const budgetMax = (rows: readonly HBarRow[]): number => maxOf(rows.flatMap((r) => [r.value ?? 0, ...(r.marks ?? []).map((k) => k.at)]), 1) * 1.05;

const dayCell = (d: number | undefined, p: TenantProjection) =>
  p.budgetUsd === undefined ? 'no budget' : p.projectedMonthlyUsd === undefined ? 'unknown' : d === undefined ? `not within ${DEFAULTS.daysPerMonth} days` : `day ${d}`;

/** The per-tenant table's columns. */
export const budgetColumns = (frac: number): string[] => ['Tenant', 'Requests a day', 'Cost per request', 'Spend a day', 'Projected month', 'Budget', '% of budget', `Reaches ${esc(pct(frac))}`, 'Reaches 100%'];

/** One tenant's cells in the per-tenant table (budgetColumns). */
export function budgetCells(t: TenantModel, p: TenantProjection): string[] {
  return [
    `<code>${esc(t.tenant.id)}</code>`,
    t.tenant.dailyRequests !== undefined ? esc(int(t.tenant.dailyRequests)) : 'not stated',
    p.costPerRequestUsd !== undefined ? `${esc(money(p.costPerRequestUsd))}${t.costSource === 'primary-pricing' ? (p.spillMonthlyUsd !== undefined ? ' (primary pricing, spill-over priced in)' : ' (primary pricing)') : ''}` : 'unknown',
    p.dailySpendUsd !== undefined ? esc(usd(p.dailySpendUsd)) : 'unknown',
    p.projectedMonthlyUsd !== undefined ? esc(usd(p.projectedMonthlyUsd)) : 'unknown',
    p.budgetUsd !== undefined ? esc(usd(p.budgetUsd)) : '<strong>none</strong>',
    p.utilization !== undefined ? esc(share(p.utilization)) : '–',
    esc(dayCell(p.alertDay, p)),
    esc(dayCell(p.exhaustedDay, p)),
  ];
}

/** The account's cells in the per-tenant table: `projected` are the tenants whose month is projected. */
export function accountCells(p: TenantProjection, projected: ReadonlyArray<{ t: TenantModel; p: TenantProjection }>): string[] {
  const daily = projected.reduce((s, x) => s + (x.p.projectedMonthlyUsd !== undefined ? (x.t.tenant.dailyRequests ?? 0) : 0), 0);
  return [
    'all tenants (account ceiling)',
    esc(int(daily)),
    '',
    esc(usd(p.dailySpendUsd ?? 0)),
    esc(usd(p.projectedMonthlyUsd ?? 0)),
    esc(usd(p.budgetUsd ?? 0)),
    esc(share(p.utilization ?? 0)),
    esc(dayCell(p.alertDay, p)),
    esc(dayCell(p.exhaustedDay, p)),
  ];
}

/** The section's opening sentence: the alert, what the gateway does over budget, the account ceiling and spill-over. */
export function budgetIntro(model: DeploymentModel, acct: AccountProjection, spill: Spill | undefined): string {
  const m = model.manifest;
  const frac = model.alertAtFraction;
  const account = m.budgets?.accountMonthlyUsd;
  const enforce = m.budgets?.onExceeded;
  return `<p>Alert at <strong>${esc(pct(frac))}</strong> of each budget, paged when it fires on or before day ${esc(model.alertByDay)}; when a tenant exceeds its budget the gateway will ${
    enforce ? `<strong>${esc(enforce)}</strong>` : '<strong>(not stated)</strong>'
  }.${account !== undefined ? ` Account ceiling ${esc(usd(account))} a month${accountSentence(acct, enforce)}.` : ''}${
    spill && acct.spillMonthlyUsd > 0 ? ` Failover spill-over is priced in (${esc(usd(acct.spillMonthlyUsd))} of the month): ${esc(spillText(spill))}.` : ''
  }</p>`;
}

export const BUDGETS_HEAD = '<section id="budgets" aria-labelledby="budgets-h">\n<h2 id="budgets-h">Budgets per tenant</h2>';

/** No tenants: said plainly. */
export const noTenants = (): string => `${BUDGETS_HEAD}\n<p class="callout fail">${badge('fail')} No tenants are declared: there is no per-tenant ceiling to draw.</p>\n</section>`;

/** The budget section with every tenant: one chart row, one card and one table row each (up to SUMMARY_THRESHOLD tenants). */
export function budgetSection(model: DeploymentModel, ids: Ids): string {
  const frac = model.alertAtFraction;
  if (model.tenants.length === 0) return noTenants();
  const spill = spillOver(model);
  const projections = model.tenants.map((t) => ({ t, p: projectTenant(t, frac, spill) }));
  const rows = projections.map(({ t, p }) => budgetRow(t.tenant.id, `team ${t.tenant.team ?? 'not stated'}`, p, frac));
  // the account's month is the budget-ceilings check's own projection, so page and check agree
  const acct = projectAccount(model, spill);
  const accountProjection = accountProjectionOf(model, acct, projections.some(({ p }) => p.projectedMonthlyUsd !== undefined));
  if (accountProjection) rows.push(budgetRow('all tenants', 'account ceiling', accountProjection, frac, true));
  const desc = `Projected monthly spend per tenant (daily requests × cost per request × ${DEFAULTS.daysPerMonth}) against its budget, with the ${pct(frac)} alert marked. ${rows
    .map((r) => `${r.label}: ${r.text}, ${r.note}`)
    .join('. ')}.`;
  const chart = figure(
    hbarChart(ids, { title: 'Projected monthly spend against budget, per tenant', desc, rows, max: budgetMax(rows), tickLabel: dollarTick }),
    `Projected monthly spend against each tenant's budget; the dashed tick is the ${esc(pct(frac))} alert, the solid tick the budget.`,
    budgetLegend(frac),
  );
  const cards = projections.map(({ t, p }) => tenantCard(ids, t, p, frac)).join('\n');
  const tableRows = projections.map(({ t, p }) => budgetCells(t, p));
  if (accountProjection) tableRows.push(accountCells(accountProjection, projections));
  const data = table(`Projected spend per tenant over a ${DEFAULTS.daysPerMonth}-day month (data behind the charts)`, budgetColumns(frac), tableRows);
  return `${BUDGETS_HEAD}\n${budgetIntro(model, acct, spill)}\n${chart}\n<h3>When each tenant crosses its alert and its budget</h3>\n<div class="cards">\n${cards}\n</div>\n${data}\n</section>`;
}
