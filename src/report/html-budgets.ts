/**
 * The go-live page's budget section as it is for up to SUMMARY_THRESHOLD tenants: every tenant's
 * projected month against its budget (one chart row and one card each) and the account ceiling.
 */
import { projectAccount, projectTenant, spillText, type TenantProjection } from '../checks/budget-ceilings.js';
import { spillOver } from '../checks/spend.js';
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

export function accountSentence(acct: ReturnType<typeof projectAccount>, enforce: string | undefined): string {
  if (acct.ceilingUsd === undefined || acct.tenants === 0) return '';
  const over = acct.projectedMonthlyUsd > acct.ceilingUsd + 1e-9;
  if (!over) return `; projected account spend ${usd(acct.projectedMonthlyUsd)} fits inside it`;
  const stops = enforce === 'block' || enforce === 'throttle' ? `, when the gateway will <strong>${esc(enforce)}</strong> every team` : '';
  return `; projected account spend <strong>${esc(usd(acct.projectedMonthlyUsd))}</strong> is OVER it, reached on <strong>day ${esc(acct.ceilingDay ?? 0)}</strong>${stops}`;
}

export function budgetSection(model: DeploymentModel, ids: Ids): string {
  const m = model.manifest;
  const frac = model.alertAtFraction;
  const head = '<section id="budgets" aria-labelledby="budgets-h">\n<h2 id="budgets-h">Budgets per tenant</h2>';
  if (model.tenants.length === 0) {
    return `${head}\n<p class="callout fail">${badge('fail')} No tenants are declared: there is no per-tenant ceiling to draw.</p>\n</section>`;
  }
  const spill = spillOver(model);
  const projections = model.tenants.map((t) => ({ t, p: projectTenant(t, frac, spill) }));
  const rows = projections.map(({ t, p }) => budgetRow(t.tenant.id, `team ${t.tenant.team ?? 'not stated'}`, p, frac));
  const account = m.budgets?.accountMonthlyUsd;
  const projected = projections.filter(({ p }) => p.projectedMonthlyUsd !== undefined);
  // the account's month is the budget-ceilings check's own projection, so page and check agree
  const acct = projectAccount(model, spill);
  const totalMonthly = acct.projectedMonthlyUsd;
  const totalDaily = acct.dailySpendUsd;
  let accountRow: HBarRow | undefined;
  let accountProjection: TenantProjection | undefined;
  if (account !== undefined && projected.length > 0) {
    accountProjection = {
      tenant: 'account',
      budgetUsd: account,
      dailySpendUsd: totalDaily,
      projectedMonthlyUsd: totalMonthly,
      utilization: acct.utilization,
      alertDay: acct.alertDay,
      exhaustedDay: acct.ceilingDay,
    };
    accountRow = budgetRow('all tenants', 'account ceiling', accountProjection, frac, true);
    rows.push(accountRow);
  }
  const max = maxOf(rows.flatMap((r) => [r.value ?? 0, ...(r.marks ?? []).map((k) => k.at)]), 1) * 1.05;
  const desc = `Projected monthly spend per tenant (daily requests × cost per request × ${DEFAULTS.daysPerMonth}) against its budget, with the ${pct(frac)} alert marked. ${rows
    .map((r) => `${r.label}: ${r.text}, ${r.note}`)
    .join('. ')}.`;
  const chart = figure(
    hbarChart(ids, { title: 'Projected monthly spend against budget, per tenant', desc, rows, max, tickLabel: dollarTick }),
    `Projected monthly spend against each tenant's budget; the dashed tick is the ${esc(pct(frac))} alert, the solid tick the budget.`,
    legendItem(swatch('box', 'bar ok'), `below ${pct(frac)}`) +
      legendItem(swatch('box', 'bar warn'), `${pct(frac)}–100%`) +
      legendItem(swatch('box', 'bar over', 'url(#hatch-over)'), 'over budget or no budget (hatched)') +
      legendItem(swatch('dash', 'mark-70'), `${pct(frac)} alert`) +
      legendItem(swatch('line', 'mark-100'), 'budget'),
  );
  const cards = projections.map(({ t, p }) => tenantCard(ids, t, p, frac)).join('\n');
  const dayCell = (d: number | undefined, p: TenantProjection) =>
    p.budgetUsd === undefined ? 'no budget' : p.projectedMonthlyUsd === undefined ? 'unknown' : d === undefined ? `not within ${DEFAULTS.daysPerMonth} days` : `day ${d}`;
  const tableRows = projections.map(({ t, p }) => [
    `<code>${esc(t.tenant.id)}</code>`,
    t.tenant.dailyRequests !== undefined ? esc(int(t.tenant.dailyRequests)) : 'not stated',
    p.costPerRequestUsd !== undefined ? `${esc(money(p.costPerRequestUsd))}${t.costSource === 'primary-pricing' ? (p.spillMonthlyUsd !== undefined ? ' (primary pricing, spill-over priced in)' : ' (primary pricing)') : ''}` : 'unknown',
    p.dailySpendUsd !== undefined ? esc(usd(p.dailySpendUsd)) : 'unknown',
    p.projectedMonthlyUsd !== undefined ? esc(usd(p.projectedMonthlyUsd)) : 'unknown',
    p.budgetUsd !== undefined ? esc(usd(p.budgetUsd)) : '<strong>none</strong>',
    p.utilization !== undefined ? esc(share(p.utilization)) : '–',
    esc(dayCell(p.alertDay, p)),
    esc(dayCell(p.exhaustedDay, p)),
  ]);
  if (accountProjection) {
    const p = accountProjection;
    tableRows.push([
      'all tenants (account ceiling)',
      esc(int(projected.reduce((s, { t }) => s + (t.tenant.dailyRequests ?? 0), 0))),
      '',
      esc(usd(totalDaily)),
      esc(usd(totalMonthly)),
      esc(usd(account ?? 0)),
      esc(share(p.utilization ?? 0)),
      esc(dayCell(p.alertDay, p)),
      esc(dayCell(p.exhaustedDay, p)),
    ]);
  }
  const data = table(
    `Projected spend per tenant over a ${DEFAULTS.daysPerMonth}-day month (data behind the charts)`,
    ['Tenant', 'Requests a day', 'Cost per request', 'Spend a day', 'Projected month', 'Budget', '% of budget', `Reaches ${esc(pct(frac))}`, 'Reaches 100%'],
    tableRows,
  );
  const enforce = m.budgets?.onExceeded;
  const intro = `<p>Alert at <strong>${esc(pct(frac))}</strong> of each budget, paged when it fires on or before day ${esc(model.alertByDay)}; when a tenant exceeds its budget the gateway will ${
    enforce ? `<strong>${esc(enforce)}</strong>` : '<strong>(not stated)</strong>'
  }.${account !== undefined ? ` Account ceiling ${esc(usd(account))} a month${accountSentence(acct, enforce)}.` : ''}${
    spill && acct.spillMonthlyUsd > 0 ? ` Failover spill-over is priced in (${esc(usd(acct.spillMonthlyUsd))} of the month): ${esc(spillText(spill))}.` : ''
  }</p>`;
  return `${head}\n${intro}\n${chart}\n<h3>When each tenant crosses its alert and its budget</h3>\n<div class="cards">\n${cards}\n</div>\n${data}\n</section>`;
}
