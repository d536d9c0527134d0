/**
 * The go-live review page: one self-contained HTML file (inline CSS and SVG, no scripts, no network
 * fetches) that reads on screen, from disk and printed to A4. Pure: the same report, model and
 * options give the same bytes (no timestamps). Every string from the manifest is escaped.
 */
import { usageSection } from './html-usage.js';
import { type HtmlRateLimit, rateLimitFigure } from './html-ratelimit.js';
import { gateVerdict } from './common.js';
import { projectAccount, projectTenant, spillText, type TenantProjection } from '../checks/budget-ceilings.js';
import { spillOver } from '../checks/spend.js';
import { capacityRpm, failsOverOn429, utilization } from '../checks/capacity.js';
import { RETENTION_DAYS, RETENTION_SOURCES, REGULATED_INDUSTRIES, isRegulated, requiredAuditFields, requiredRetention } from '../checks/compliance.js';
import { HEADROOM_THRESHOLD } from '../checks/rate-limit-sizing.js';
import { type FailOn, type LocatedFinding, type Report, gateExitCode, reportHeadline } from '../checks/run.js';
import type { Status } from '../checks/types.js';
import { DEFAULTS, type DeploymentModel, type TenantModel } from '../manifest/model.js';
import type { Provider } from '../manifest/types.js';
import { int, maxOf, minOf, pct, plain, usd } from '../util/numbers.js';
import { secretKind } from '../util/secrets.js';
import { HTML_CSS } from './html-css.js';
import { Ids, esc, hbarChart, type HBarRow, lineChart, patternDefs, stackChart, swatch } from './html-svg.js';

/** One second of a burst-load probe. */
export interface ProbeSecond {
  /** seconds since the probe started (0-based) */
  second: number;
  /** requests started in this second */
  sent: number;
  /** responses with a 2xx status */
  ok: number;
  /** responses by HTTP status code ('200', '429', '503') or failure kind ('timeout', 'error') */
  byStatus: Record<string, number>;
  /** latency percentiles of the responses that arrived in this second; absent when none did */
  p50Ms?: number;
  p90Ms?: number;
  p99Ms?: number;
}

/** What the HTML report needs from a burst-load probe run (the probe's result is adapted to this). */
export interface HtmlProbe {
  /** the URL probed (shown as text, never fetched) */
  target?: string;
  /** the rate the probe aimed at, requests per second */
  targetRps: number;
  /** the rate it achieved (responses received per second over the run) */
  achievedRps: number;
  /** p99 latency of the first requests (cold connections, cold caches) */
  coldP99Ms?: number;
  /** p99 latency once warmed up */
  steadyP99Ms?: number;
  timeline: ProbeSecond[];
  /** remaining rate-limit budget per provider per second (charted by html-ratelimit.ts) */
  rateLimit?: HtmlRateLimit;
}

export interface HtmlOptions {
  /** lowest status that fails the gate (default fail); used to state the exit code */
  failOn?: FailOn;
  /** the exit code the gate gives; default gateExitCode(report, failOn) */
  exitCode?: number;
  /** shown in the footer: "readiness 0.1.0" */
  toolVersion?: string;
  /** burst-load probe results, when the probe ran */
  probe?: HtmlProbe;
  /** the manifest's text, to quote the line each finding points at */
  source?: string;
  /** the gate is report-only (--soft-fail): a failed gate reads FAILED (soft-fail: reported, not enforced) */
  softFail?: boolean;
  /** the measured usage profile (check --usage): its section comes from html-usage.ts */
  usage?: import('../usage/types.js').UsageProfile;
}

const LABEL: Record<Status, string> = { pass: 'PASS', warn: 'WARN', fail: 'FAIL' };

/** A status icon (shape differs per status) followed by the word: colour is never the only carrier. */
function badge(s: Status, word: string = LABEL[s]): string {
  const shape =
    s === 'pass'
      ? '<circle cx="8" cy="8" r="7"/><path d="M4.5 8.3l2.3 2.3 4.7-5" class="glyph"/>'
      : s === 'warn'
        ? '<path d="M8 1.2l7 13H1z"/><path d="M8 5.6v4.2M8 11.6v.8" class="glyph"/>'
        : '<path d="M5.1 1h5.8L15 5.1v5.8L10.9 15H5.1L1 10.9V5.1z"/><path d="M5.3 5.3l5.4 5.4M10.7 5.3l-5.4 5.4" class="glyph"/>';
  return `<span class="badge ${s}"><svg class="icon" aria-hidden="true" focusable="false" viewBox="0 0 16 16" width="16" height="16">${shape}</svg>${esc(word)}</span>`;
}

/** Zone of a utilization against the 60% headroom and the limit, in words. */
function zone(u: number): { cls: string; word: string } {
  if (u <= HEADROOM_THRESHOLD + 1e-9) return { cls: 'bar ok', word: 'within the 60% headroom' };
  if (u <= 1 + 1e-9) return { cls: 'bar warn', word: 'above 60%: needs burst handling' };
  return { cls: 'bar over', word: 'OVER the limit' };
}

function table(caption: string, head: string[], rows: string[][], cls = 'data'): string {
  const th = head.map((h) => `<th scope="col">${h}</th>`).join('');
  const body = rows.map((r) => `<tr>${r.map((c, i) => (i === 0 ? `<th scope="row">${c}</th>` : `<td>${c}</td>`)).join('')}</tr>`).join('\n');
  return `<table class="${cls}"><caption>${caption}</caption><thead><tr>${th}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}

function figure(svg: string, caption: string, legend = ''): string {
  return `<figure>${svg}${legend ? `<div class="legend">${legend}</div>` : ''}<figcaption>${caption}</figcaption></figure>`;
}

function legendItem(sw: string, text: string): string {
  return `<span class="legend-item">${sw}${esc(text)}</span>`;
}

// ---------------------------------------------------------------- verdict

function verdictSection(report: Report, exitCode: number, failOn: FailOn, softFail: boolean): string {
  // one wording of the verdict for every format: a soft-failed gate is still FAILED, just not enforced
  const verdict = gateVerdict(report, { exitCode, failOn, softFail });
  const passed = verdict === 'PASSED';
  const s = report.summary;
  const top = reportHeadline(report);
  const rows = report.checks.map(
    (c) =>
      `<tr class="${c.status}"><th scope="row"><a href="#check-${esc(c.id)}">${esc(c.id)}</a></th><td>${badge(c.status)}</td><td><span class="check-title">${esc(c.title)}</span><br>${esc(c.headline)}</td></tr>`,
  );
  return `<section id="verdict" aria-labelledby="verdict-h">
<h2 id="verdict-h">Verdict</h2>
<div class="verdict ${passed ? 'pass' : 'fail'}">
${badge(passed ? 'pass' : 'fail')}
<p><strong>Gate ${esc(verdict)}</strong>: <code>readiness check</code> exits <strong class="exit-code">${esc(exitCode)}</strong>${
    failOn === 'warn' ? ' (failing on warnings too: --fail-on warn)' : ''
  }. ${report.checks.length} checks: ${s.pass} pass, ${s.warn} warn, ${s.fail} fail.</p>
<p class="headline">${badge(top.status === 'waived' ? 'pass' : top.status)} <a href="#check-${esc(top.check)}"><code>${esc(top.check)}</code></a>: ${esc(top.message)}</p>${
    top.reliesOnFailover && top.check !== 'rate-limit-sizing' ? `\n<p class="headline">${badge('warn')} <a href="#check-rate-limit-sizing"><code>rate-limit-sizing</code></a>: ${esc(top.reliesOnFailover)}</p>` : ''
  }
</div>
<table class="checks"><caption>The ${report.checks.length} readiness checks</caption>
<thead><tr><th scope="col">Check</th><th scope="col">Status</th><th scope="col">What was found</th></tr></thead>
<tbody>
${rows.join('\n')}
</tbody></table>
</section>`;
}

// ---------------------------------------------------------------- capacity

function roleOf(model: DeploymentModel, index: number): string {
  if (index === model.primaryIndex) return 'primary';
  const k = model.failoverTargets.findIndex((t) => t.index === index);
  return k >= 0 ? `failover target ${k + 1}` : 'not routed';
}

function capacitySection(model: DeploymentModel, ids: Ids): string {
  const m = model.manifest;
  const peak = model.peakRpm;
  const tokens = model.tokensPerRequest;
  const head = '<section id="capacity" aria-labelledby="capacity-h">\n<h2 id="capacity-h">Capacity at the stated peak</h2>';
  if (peak === undefined) {
    return `${head}\n<p class="callout fail">${badge('fail')} No peak is stated (traffic.peakRpm or traffic.peakMultiplier): capacity at peak cannot be judged or drawn.</p>\n</section>`;
  }
  const peakTpm = tokens !== undefined ? peak * tokens : undefined;
  const source = model.peakSource === 'peakMultiplier' ? `${plain(m.traffic?.peakMultiplier ?? 0)} × the ${plain(m.traffic?.averageRpm ?? 0)} rpm average` : 'stated peakRpm';
  const peakWindow = m.traffic?.peakWindow ? `, ${esc(m.traffic.peakWindow)} operator time` : '';
  const members = [{ provider: model.primary, index: model.primaryIndex }, ...model.failoverTargets];
  const relieves = failsOverOn429(m.routing?.failover);
  const chainNote = relieves ? 'automatic failover on 429' : 'NOT automatic on 429: adds no capacity at peak';
  const intro = `<p>Peak <strong>${esc(num(peak))} rpm</strong> (${esc(source)}${peakWindow})${
    peakTpm !== undefined
      ? ` × ${esc(int(tokens ?? 0))} tokens per request = <strong>${esc(int(peakTpm))} tpm</strong>`
      : '; tokens per request are not stated, so token throughput is not drawn'
  }. Each bar is the whole peak as a share of one limit (a failover target's row: all traffic on that provider alone): up to 60% leaves headroom; above 60% needs burst handling or failover; above 100% only a failover chain whose combined limits cover the peak will hold it.</p>`;

  const rowsFor = (dim: 'rpm' | 'tpm', demand: number): HBarRow[] => {
    const rows: HBarRow[] = m.providers.map((p, i) => {
      const limit = p.limits?.[dim];
      const base = { label: p.id, sub: `${roleOf(model, i)} · ${p.vendor}` };
      if (limit === undefined) return { ...base, text: `no ${dim} limit declared`, note: 'capacity unknown', cls: 'bar none' };
      const u = demand / limit;
      const z = zone(u);
      return { ...base, value: u, text: `${pct(u)} of ${int(limit)} ${dim}`, note: z.word, cls: z.cls };
    });
    if (model.failoverTargets.length > 0) {
      const declared = members.filter((x) => x.provider.limits?.[dim] !== undefined);
      const sum = declared.reduce((s, x) => s + (x.provider.limits?.[dim] ?? 0), 0);
      const missing = members.filter((x) => x.provider.limits?.[dim] === undefined).map((x) => x.provider.id);
      const label = 'failover chain combined';
      const sub = members.map((x) => x.provider.id).join(' + ');
      if (sum === 0) rows.push({ label, sub, text: `no ${dim} limits declared`, note: chainNote, cls: 'bar none' });
      else {
        const u = demand / sum;
        const z = zone(u);
        rows.push({
          label,
          sub,
          value: u,
          text: `${pct(u)} of ${int(sum)} ${dim}`,
          note: `${relieves ? z.word : chainNote}${missing.length ? `; ${missing.length} without a ${dim} limit` : ''}`,
          cls: relieves ? z.cls : 'bar none',
        });
      }
    }
    return rows;
  };

  const charts: string[] = [];
  const lines = [
    { at: HEADROOM_THRESHOLD, label: '60% headroom', cls: 'ref-60', anchor: 'end' as const },
    { at: 1, label: '100% limit', cls: 'ref-100', anchor: 'start' as const },
  ];
  const dims: Array<{ dim: 'rpm' | 'tpm'; demand: number; what: string }> = [{ dim: 'rpm', demand: peak, what: `${num(peak)} requests per minute` }];
  if (peakTpm !== undefined) dims.push({ dim: 'tpm', demand: peakTpm, what: `${int(peakTpm)} tokens per minute` });
  for (const d of dims) {
    const rows = rowsFor(d.dim, d.demand);
    const max = maxOf(rows.map((r) => (r.value ?? 0) * 1.05), 1.2);
    const desc = `Peak ${d.what} as a share of each ${d.dim} limit. ${rows.map((r) => `${r.label} (${r.sub}): ${r.text}, ${r.note}`).join('. ')}.`;
    charts.push(
      figure(
        hbarChart(ids, { title: `Peak ${d.dim} against each provider's ${d.dim} limit`, desc, rows, max, clipAt: 3, tickLabel: (v) => pct(v), lines }),
        `Peak ${esc(d.dim)} against each provider's ${esc(d.dim)} limit${model.failoverTargets.length ? ' and the failover chain combined' : ''}.`,
        legendItem(swatch('box', 'bar ok'), 'within 60%') +
          legendItem(swatch('box', 'bar warn'), '60–100%') +
          legendItem(swatch('box', 'bar over', 'url(#hatch-over)'), 'over 100% (hatched)') +
          legendItem(swatch('dash', 'ref-60'), '60% headroom line') +
          legendItem(swatch('line', 'ref-100'), '100% limit line'),
      ),
    );
  }
  const chainText =
    model.failoverTargets.length === 0
      ? '<p>There is no failover chain: the primary alone must hold the peak.</p>'
      : `<p>Failover chain: ${members.map((x) => `<code>${esc(x.provider.id)}</code>`).join(' → ')} (${esc(chainNote)}).</p>`;
  const cell = (p: Provider, dim: 'rpm' | 'tpm', demand: number | undefined) => {
    const limit = p.limits?.[dim];
    if (limit === undefined) return 'not declared';
    return demand === undefined ? esc(int(limit)) : `${esc(int(limit))} (peak: ${esc(pct(demand / limit))})`;
  };
  const rows = m.providers.map((p, i) => {
    const cap = capacityRpm(p, tokens);
    const u = utilization(peak, p, tokens);
    return [
      `<code>${esc(p.id)}</code>`,
      esc(roleOf(model, i)),
      `${esc(p.vendor)} ${esc(p.model)}`,
      cell(p, 'rpm', peak),
      cell(p, 'tpm', peakTpm),
      cap === undefined ? 'unknown' : `${esc(int(cap))} rpm${u.boundBy ? ` (bound by ${u.boundBy})` : ''}`,
    ];
  });
  if (model.failoverTargets.length > 0) {
    const sumOf = (dim: 'rpm' | 'tpm') => members.reduce((s, x) => s + (x.provider.limits?.[dim] ?? 0), 0);
    const chainCap = members.reduce((s, x) => s + (capacityRpm(x.provider, tokens) ?? 0), 0);
    const fmt = (sum: number, demand: number | undefined) => (sum === 0 ? 'not declared' : demand === undefined ? esc(int(sum)) : `${esc(int(sum))} (peak: ${esc(pct(demand / sum))})`);
    rows.push(['failover chain combined', esc(chainNote), esc(members.map((x) => x.provider.id).join(' + ')), fmt(sumOf('rpm'), peak), fmt(sumOf('tpm'), peakTpm), chainCap ? `${esc(int(chainCap))} rpm` : 'unknown']);
  }
  const data = table('Provider limits and the peak (data behind the charts)', ['Provider', 'Role', 'Model', 'rpm limit', 'tpm limit', 'Capacity at request size'], rows);
  return `${head}\n${intro}\n${chainText}\n${charts.join('\n')}\n${data}\n</section>`;
}

// ---------------------------------------------------------------- budgets

const money = (x: number) => `$${plain(x, 6)}`;
/** Axis labels in dollars: $500, $2.5k, $1.5M. */
const dollarTick = (v: number) => (v >= 1e6 ? `$${plain(v / 1e6)}M` : v >= 1000 ? `$${plain(v / 1000)}k` : `$${plain(v)}`);
/** Budget shares to two decimals: 0.6375 reads 63.75%, not 63.7% or 63.8% depending on float noise. */
const share = (u: number) => `${plain(u * 100, 2)}%`;

function budgetRow(label: string, sub: string, p: TenantProjection, frac: number, ceiling = false): HBarRow {
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

function accountSentence(acct: ReturnType<typeof projectAccount>, enforce: string | undefined): string {
  if (acct.ceilingUsd === undefined || acct.tenants === 0) return '';
  const over = acct.projectedMonthlyUsd > acct.ceilingUsd + 1e-9;
  if (!over) return `; projected account spend ${usd(acct.projectedMonthlyUsd)} fits inside it`;
  const stops = enforce === 'block' || enforce === 'throttle' ? `, when the gateway will <strong>${esc(enforce)}</strong> every team` : '';
  return `; projected account spend <strong>${esc(usd(acct.projectedMonthlyUsd))}</strong> is OVER it, reached on <strong>day ${esc(acct.ceilingDay ?? 0)}</strong>${stops}`;
}

function budgetSection(model: DeploymentModel, ids: Ids): string {
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

// ---------------------------------------------------------------- audit

function auditSection(model: DeploymentModel, ids: Ids): string {
  const m = model.manifest;
  const frameworks = model.frameworks;
  const industry = m.operator?.industry;
  const regulated = isRegulated(industry, frameworks);
  const audit = m.audit;
  const head = '<section id="audit" aria-labelledby="audit-h">\n<h2 id="audit-h">Audit log</h2>';
  const why = [industry && REGULATED_INDUSTRIES.includes(industry) ? industry : '', ...frameworks].filter(Boolean).join(', ');
  const yn = (v: boolean | undefined) => (v === undefined ? 'not stated' : v ? 'yes' : 'no');
  const facts = [
    ['Regulated', regulated ? `yes (${why})` : `no (industry ${industry ?? 'not stated'}, no frameworks)`],
    ['Sink', audit?.sink?.kind ? `${audit.sink.kind}${audit.sink.mode ? ` (${audit.sink.mode} mode)` : ''}` : 'not stated'],
    ['Write-once', yn(audit?.writeOnce)],
    ['Business object', audit?.businessObject ?? 'not stated'],
    ['Retention', audit?.sink?.retentionDays !== undefined ? `${int(audit.sink.retentionDays)} days` : 'not stated'],
  ];
  const dl = `<dl class="facts">${facts.map(([k, v]) => `<dt>${esc(k)}</dt><dd>${esc(v)}</dd>`).join('')}</dl>`;
  if (!audit && !regulated) return `${head}\n${dl}\n<p>No audit log is required for an unregulated operator; a per-request audit log is still recommended.</p>\n</section>`;
  const fields = new Set(audit?.fields ?? []);
  const required = requiredAuditFields(frameworks);
  const present = required.filter((r) => r.anyOf.some((f) => fields.has(f)));
  const fieldRows = required.map((r) => {
    const hit = r.anyOf.find((f) => fields.has(f));
    return [
      `<code>${esc(r.name)}</code>`,
      hit ? badge('pass', 'present') : badge('fail', 'MISSING'),
      hit ? `<code>${esc(hit)}</code>` : esc(r.anyOf.join(' or ')),
      esc(r.why),
    ];
  });
  const extra = [...fields].filter((f) => !required.some((r) => r.anyOf.includes(f))).sort();
  const fieldsTable = table(
    `Required audit fields: ${present.length} of ${required.length} present`,
    ['Field', 'Status', 'Recorded as', 'Why it is required'],
    fieldRows,
    'data fields',
  );
  const days = audit?.sink?.retentionDays;
  let retention: string;
  if (frameworks.length === 0) {
    retention = '<p>No compliance frameworks are declared, so no retention minimum applies.</p>';
  } else {
    const need = requiredRetention(frameworks);
    const rows: HBarRow[] = frameworks.map((f) => {
      const min = RETENTION_DAYS[f];
      if (min === 0) return { label: f, sub: RETENTION_SOURCES[f], text: 'no minimum', note: days === undefined ? 'retention not stated' : 'met', cls: 'bar none' };
      const ok = days !== undefined && days >= min;
      return {
        label: f,
        sub: RETENTION_SOURCES[f],
        value: min,
        text: `${int(min)} days minimum`,
        note: days === undefined ? 'retention NOT stated' : ok ? `met: ${int(days)} ≥ ${int(min)} days` : `SHORT by ${int(min - days)} days`,
        cls: ok ? 'bar ok' : 'bar over',
      };
    });
    const max = maxOf(frameworks.map((f) => RETENTION_DAYS[f]), days ?? 0) * 1.05;
    const lines = days !== undefined ? [{ at: days, label: `retention ${int(days)} d`, cls: 'ref-retention' }] : [];
    const desc = `Each framework's minimum retention in days against the configured ${days !== undefined ? `${int(days)} days` : 'retention (not stated)'}. ${rows
      .map((r) => `${r.label}: ${r.text}, ${r.note}`)
      .join('. ')}.`;
    retention = figure(
      hbarChart(ids, { title: "Audit retention against each framework's minimum", desc, rows, max: Math.max(max, 1), tickLabel: (v) => `${int(v)} d`, lines }),
      `Each framework's minimum retention; the vertical line is the configured retention${need.framework ? `; the longest minimum is ${esc(int(need.days))} days (${esc(need.framework)})` : ''}.`,
      legendItem(swatch('box', 'bar ok'), 'minimum met') + legendItem(swatch('box', 'bar over', 'url(#hatch-over)'), 'minimum NOT met (hatched)') + legendItem(swatch('line', 'ref-retention'), 'configured retention'),
    );
    retention += table(
      'Retention minimum per framework (data behind the chart)',
      ['Framework', 'Minimum', 'Source', 'Configured', 'Status'],
      frameworks.map((f) => {
        const min = RETENTION_DAYS[f];
        const ok = days !== undefined && days >= min;
        return [esc(f), min ? `${esc(int(min))} days` : 'none', esc(RETENTION_SOURCES[f]), days !== undefined ? `${esc(int(days))} days` : 'not stated', ok ? badge('pass', 'met') : badge('fail', 'short')];
      }),
    );
  }
  return `${head}\n${dl}\n<h3>Required fields</h3>\n${fieldsTable}\n${extra.length ? `<p>Also recorded: ${extra.map((f) => `<code>${esc(f)}</code>`).join(', ')}.</p>\n` : ''}<h3>Retention</h3>\n${retention}\n</section>`;
}

// ---------------------------------------------------------------- probe

type StatusClass = '2xx' | '429' | '4xx' | '5xx' | 'other';
const CLASS_ORDER: StatusClass[] = ['2xx', '429', '4xx', '5xx', 'other'];
const CLASS_FILL: Record<StatusClass, string> = { '2xx': 's2xx', '429': 'url(#hatch-429)', '4xx': 's4xx', '5xx': 'url(#dots-5xx)', other: 'sother' };
const CLASS_TEXT: Record<StatusClass, string> = { '2xx': '2xx success', '429': '429 rate-limited (hatched)', '4xx': 'other 4xx', '5xx': '5xx (dotted)', other: 'timeouts and errors' };

function statusClass(key: string): StatusClass {
  if (key === '429') return '429';
  if (/^2\d\d$/.test(key)) return '2xx';
  if (/^4\d\d$/.test(key)) return '4xx';
  if (/^5\d\d$/.test(key)) return '5xx';
  return 'other';
}

/** Whole numbers with thousands separators, fractions plainly. */
const num = (x: number) => (Number.isInteger(x) ? int(x) : plain(x));

const ms = (v: number) => `${int(v)} ms`;

function probeSection(probe: HtmlProbe, model: DeploymentModel, ids: Ids): string {
  const slo = model.manifest.slo?.steadyP99Ms;
  const tl = [...probe.timeline].sort((a, b) => a.second - b.second);
  const xMax = maxOf(tl.map((s) => s.second), 1);
  const totals: Record<string, number> = {};
  for (const s of tl) for (const [k, v] of Object.entries(s.byStatus)) totals[k] = (totals[k] ?? 0) + v;
  const keys = Object.keys(totals).sort((a, b) => a.localeCompare(b, 'en'));
  const sent = tl.reduce((s, x) => s + x.sent, 0);
  const answered = keys.reduce((s, k) => s + totals[k], 0);
  const n429 = totals['429'] ?? 0;
  const reached = probe.targetRps > 0 ? probe.achievedRps / probe.targetRps : 0;

  const rateMax = maxOf(tl.map((s) => Math.max(s.sent, s.ok)), probe.targetRps) * 1.1;
  const rate = figure(
    lineChart(ids, {
      title: 'Achieved request rate over time',
      desc: `Target ${plain(probe.targetRps)} requests per second; achieved ${plain(probe.achievedRps, 2)} per second on average (${pct(reached)} of target). ${tl.length ? `Per second, requests started ranged from ${int(minOf(tl.map((s) => s.sent)))} to ${int(maxOf(tl.map((s) => s.sent)))}; successful responses from ${int(minOf(tl.map((s) => s.ok)))} to ${int(maxOf(tl.map((s) => s.ok)))}.` : 'No per-second data.'}`,
      xMax,
      yMax: rateMax,
      xLabel: 'seconds since start',
      yLabel: 'requests per second',
      xTick: (v) => plain(v),
      yTick: (v) => plain(v),
      series: [
        { label: 'requests started', cls: 'started', points: tl.map((s) => [s.second, s.sent]) },
        { label: '2xx responses', cls: 'ok', points: tl.map((s) => [s.second, s.ok]) },
      ],
      hlines: [{ at: probe.targetRps, label: `target ${plain(probe.targetRps)}/s`, cls: 'ref-100' }],
    }),
    'Requests started and successful (2xx) responses per second, against the target rate.',
    legendItem(swatch('line', 'line started'), 'requests started') + legendItem(swatch('line', 'line ok'), '2xx responses (dashed)') + legendItem(swatch('line', 'ref-100'), 'target rate'),
  );

  const presentClasses = CLASS_ORDER.filter((c) => keys.some((k) => statusClass(k) === c));
  const columns = tl.map((s) => {
    const sums: Record<StatusClass, number> = { '2xx': 0, '429': 0, '4xx': 0, '5xx': 0, other: 0 };
    for (const [k, v] of Object.entries(s.byStatus)) sums[statusClass(k)] += v;
    return { x: s.second, layers: CLASS_ORDER.map((c) => ({ key: c, value: sums[c] })) };
  });
  const status = figure(
    stackChart(ids, {
      title: 'Response status codes over time',
      desc: `${int(answered)} responses: ${keys.map((k) => `${k}: ${int(totals[k])}`).join(', ')}. ${n429 > 0 ? `429 rate-limit responses in ${tl.filter((s) => (s.byStatus['429'] ?? 0) > 0).length} of ${tl.length} seconds.` : 'No 429 responses.'}`,
      columns,
      fills: CLASS_FILL,
      xLabel: 'seconds since start',
      yLabel: 'responses per second',
      hlines: [{ at: probe.targetRps, label: `target ${plain(probe.targetRps)}/s`, cls: 'ref-100' }],
    }),
    `Responses per second by status${n429 > 0 ? `: <strong>${esc(int(n429))} rate-limited (429)</strong>` : ''}.`,
    presentClasses.map((c) => legendItem(swatch('box', CLASS_FILL[c], CLASS_FILL[c].startsWith('url(') ? CLASS_FILL[c] : undefined), CLASS_TEXT[c])).join(''),
  );

  const latMax = maxOf(tl.map((s) => Math.max(s.p50Ms ?? 0, s.p90Ms ?? 0, s.p99Ms ?? 0)), Math.max(1, slo ?? 0)) * 1.1;
  const lat = figure(
    lineChart(ids, {
      title: 'Latency percentiles over time',
      desc: `p50, p90 and p99 latency per second.${slo !== undefined ? ` SLO: p99 at most ${ms(slo)}.` : ''} Highest p99 in any second: ${ms(maxOf(tl.map((s) => s.p99Ms ?? 0), 0))}.`,
      xMax,
      yMax: latMax,
      xLabel: 'seconds since start',
      yLabel: 'milliseconds',
      xTick: (v) => plain(v),
      yTick: (v) => int(v),
      series: [
        { label: 'p50', cls: 'p50', points: tl.map((s) => [s.second, s.p50Ms]) },
        { label: 'p90', cls: 'p90', points: tl.map((s) => [s.second, s.p90Ms]) },
        { label: 'p99', cls: 'p99', points: tl.map((s) => [s.second, s.p99Ms]) },
      ],
      hlines: slo !== undefined ? [{ at: slo, label: `SLO p99 ${int(slo)}`, cls: 'ref-100' }] : [],
    }),
    'Latency percentiles per second.',
    legendItem(swatch('line', 'line p50'), 'p50 (thin)') + legendItem(swatch('line', 'line p90'), 'p90 (dashed)') + legendItem(swatch('line', 'line p99'), 'p99 (thick)') + (slo !== undefined ? legendItem(swatch('line', 'ref-100'), 'SLO p99') : ''),
  );

  let cold = '';
  if (probe.coldP99Ms !== undefined || probe.steadyP99Ms !== undefined) {
    const row = (label: string, sub: string, v: number | undefined): HBarRow => {
      if (v === undefined) return { label, sub, text: 'not measured', cls: 'bar none' };
      const over = slo !== undefined && v > slo;
      return { label, sub, value: v, text: `p99 ${ms(v)}`, note: slo === undefined ? 'no SLO stated' : over ? `OVER the ${ms(slo)} SLO` : `within the ${ms(slo)} SLO`, cls: slo === undefined ? 'bar neutral' : over ? 'bar over' : 'bar ok' };
    };
    const rows = [row('first requests', 'cold start', probe.coldP99Ms), row('steady state', 'after warm-up', probe.steadyP99Ms)];
    const max = Math.max(1, slo ?? 0, probe.coldP99Ms ?? 0, probe.steadyP99Ms ?? 0) * 1.05;
    cold = figure(
      hbarChart(ids, {
        title: 'First-request p99 against steady p99',
        desc: rows.map((r) => `${r.label}: ${r.text}${r.note ? `, ${r.note}` : ''}`).join('. ') + '.',
        rows,
        max,
        tickLabel: (v) => int(v),
        lines: slo !== undefined ? [{ at: slo, label: `SLO ${ms(slo)}`, cls: 'ref-100' }] : [],
      }),
      'p99 latency of the first requests against the steady state (milliseconds).',
    );
  }
  const summary = table(
    'Probe summary',
    ['Figure', 'Value'],
    [
      ['Target rate', `${esc(plain(probe.targetRps))} requests/s`],
      ['Achieved rate', `${esc(plain(probe.achievedRps, 2))} requests/s (${esc(pct(reached))} of target)`],
      ['Requests started', esc(int(sent))],
      ...keys.map((k) => [`Responses ${esc(k)}`, esc(int(totals[k]))]),
      ['First-request p99', probe.coldP99Ms !== undefined ? esc(ms(probe.coldP99Ms)) : 'not measured'],
      ['Steady p99', probe.steadyP99Ms !== undefined ? esc(ms(probe.steadyP99Ms)) : 'not measured'],
      ['SLO p99', slo !== undefined ? esc(ms(slo)) : 'not stated'],
    ],
  );
  const perSecond = `<details><summary>Per-second data (${tl.length} seconds)</summary>${table(
    'Probe timeline, one row per second',
    ['Second', 'Started', '2xx', ...keys.map(esc), 'p50 ms', 'p90 ms', 'p99 ms'],
    tl.map((s) => [
      esc(plain(s.second)),
      esc(int(s.sent)),
      esc(int(s.ok)),
      ...keys.map((k) => esc(int(s.byStatus[k] ?? 0))),
      s.p50Ms !== undefined ? esc(int(s.p50Ms)) : '–',
      s.p90Ms !== undefined ? esc(int(s.p90Ms)) : '–',
      s.p99Ms !== undefined ? esc(int(s.p99Ms)) : '–',
    ]),
  )}</details>`;
  const intro = `<p>Burst-load probe${probe.target ? ` of <code>${esc(probe.target)}</code>` : ''}: target <strong>${esc(plain(probe.targetRps))} requests/s</strong>, achieved <strong>${esc(
    plain(probe.achievedRps, 2),
  )}/s</strong> (${esc(pct(reached))})${n429 > 0 ? `; <strong>${esc(int(n429))} responses were 429</strong>` : '; no 429 responses'}.</p>`;
  return `<section id="probe" aria-labelledby="probe-h">\n<h2 id="probe-h">Burst-load probe</h2>\n${intro}\n${rate}\n${status}\n${lat}\n${cold}${rateLimitFigure(probe.rateLimit, ids)}\n${summary}\n${perSecond}\n</section>`;
}

// ---------------------------------------------------------------- findings

function findingItem(report: Report, f: LocatedFinding, lines: string[] | undefined): string {
  const where = `${report.manifest}:${f.line}:${f.column}`;
  const text = lines && f.path ? lines[f.line - 1] : undefined;
  // never echo a credential, even one pasted into a comment
  const kind = text !== undefined ? secretKind(text) : undefined;
  const shown = kind ? `(line not shown: it looks like it holds a credential, ${kind})` : text?.trimEnd();
  const quote = shown !== undefined ? `<pre class="source"><code><span class="ln">${esc(f.line)}</span> ${esc(shown)}</code></pre>` : '';
  return `<li class="finding ${f.status}">
<p class="finding-head">${badge(f.status)} <span class="finding-msg">${esc(f.message)}</span></p>
${f.remediation ? `<p class="fix"><strong>Fix:</strong> ${esc(f.remediation)}</p>\n` : ''}<p class="where">Manifest: <code class="loc">${esc(where)}</code>${f.path ? ` · <code>${esc(f.path)}</code>` : ''}</p>
${quote}</li>`;
}

function findingsSection(report: Report, source: string | undefined): string {
  const lines = source?.split(/\r?\n/);
  const parts = report.checks.map((c) => {
    const items = c.findings.map((f) => findingItem(report, f, lines)).join('\n');
    return `<article id="check-${esc(c.id)}" class="check ${c.status}" aria-labelledby="check-${esc(c.id)}-h">
<h3 id="check-${esc(c.id)}-h">${badge(c.status)} ${esc(c.id)}: ${esc(c.title)}</h3>
<ul class="findings">
${items}
</ul>
</article>`;
  });
  return `<section id="findings" aria-labelledby="findings-h">\n<h2 id="findings-h">Findings and remediation</h2>\n${parts.join('\n')}\n</section>`;
}

// ---------------------------------------------------------------- page

/** Renders the go-live review page for a checked manifest. Pure and deterministic. */
export function renderHtml(report: Report, model: DeploymentModel, opts: HtmlOptions = {}): string {
  const failOn = opts.failOn ?? 'fail';
  const exitCode = opts.exitCode ?? gateExitCode(report, failOn);
  const ids = new Ids();
  const d = report.deployment;
  const who = [d.operator, d.environment].filter(Boolean).join(' · ');
  const title = `Go-live readiness: ${d.name}`;
  const nav = [
    ['verdict', 'Verdict'],
    ['capacity', 'Capacity'],
    ['budgets', 'Budgets'],
    ['audit', 'Audit log'],
    ...(opts.probe ? [['probe', 'Burst-load probe']] : []),
    ...(opts.usage ? [['usage', 'Measured usage']] : []),
    ['findings', 'Findings'],
  ]
    .map(([id, label]) => `<li><a href="#${id}">${label}</a></li>`)
    .join('');
  const sections = [
    verdictSection(report, exitCode, failOn, opts.softFail ?? false),
    capacitySection(model, ids),
    budgetSection(model, ids),
    auditSection(model, ids),
    opts.probe ? probeSection(opts.probe, model, ids) : '',
    opts.usage ? usageSection(opts.usage, model, ids) : '',
    findingsSection(report, opts.source),
  ].filter(Boolean);
  const probeNote = opts.probe ? '' : '<p class="muted">No burst-load probe results are included in this report.</p>';
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="generator" content="readiness${opts.toolVersion ? ` ${esc(opts.toolVersion)}` : ''}">
<title>${esc(title)}</title>
<style>${HTML_CSS}</style>
</head>
<body>
${patternDefs()}
<header>
<h1>${esc(title)}</h1>
<p class="meta">${who ? `${esc(who)} · ` : ''}manifest <code>${esc(report.manifest)}</code> · sha256 <code class="sha">${esc(report.manifestSha256)}</code></p>
<nav aria-label="Sections"><ul>${nav}</ul></nav>
${probeNote}
</header>
<main>
${sections.join('\n')}
</main>
<footer><p>Generated by readiness${opts.toolVersion ? ` ${esc(opts.toolVersion)}` : ''} from <code>${esc(report.manifest)}</code> (sha256 <code class="sha">${esc(report.manifestSha256)}</code>). Regenerate it from the manifest rather than editing it.</p></footer>
</body>
</html>
`;
}
