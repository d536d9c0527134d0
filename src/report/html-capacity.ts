/** The go-live page's capacity section: the stated peak against each provider's rpm and tpm limits and the failover chain. */
import { capacityRpm, failsOverOn429, utilization } from '../checks/capacity.js';
import { HEADROOM_THRESHOLD } from '../checks/rate-limit-sizing.js';
import type { DeploymentModel } from '../manifest/model.js';
import type { Provider } from '../manifest/types.js';
import { int, maxOf, pct, plain } from '../util/numbers.js';
import { badge, figure, legendItem, num, table } from './html-parts.js';
import { type HBarRow, type Ids, esc, hbarChart, swatch } from './html-svg.js';

/** Zone of a utilization against the 60% headroom and the limit, in words. */
function zone(u: number): { cls: string; word: string } {
  if (u <= HEADROOM_THRESHOLD + 1e-9) return { cls: 'bar ok', word: 'within the 60% headroom' };
  if (u <= 1 + 1e-9) return { cls: 'bar warn', word: 'above 60%: needs burst handling' };
  return { cls: 'bar over', word: 'OVER the limit' };
}

function roleOf(model: DeploymentModel, index: number): string {
  if (index === model.primaryIndex) return 'primary';
  const k = model.failoverTargets.findIndex((t) => t.index === index);
  return k >= 0 ? `failover target ${k + 1}` : 'not routed';
}

export function capacitySection(model: DeploymentModel, ids: Ids): string {
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
