/**
 * The HTML report's measured-usage section (readiness check --usage): the peak day minute by minute
 * against the provider limit and the declared peak, and the hour-of-day profile per tenant. A module of
 * its own; html.ts calls usageSection once.
 */
import type { DeploymentModel } from '../manifest/model.js';
import type { UsageProfile } from '../usage/types.js';
import { int, maxOf, pct, plain, usd } from '../util/numbers.js';
import { type Ids, esc, lineChart, n, svgOpen } from './html-svg.js';

function hourBars(ids: Ids, label: string, hourly: readonly number[]): string {
  const w = 300;
  const h = 64;
  const max = maxOf(hourly, 1);
  const bw = (w - 20) / 24;
  const out = [svgOpen(ids, w, h, `${label}: requests by local hour`, `Requests per local hour of day over the span: ${hourly.map((v, i) => `${String(i).padStart(2, '0')}h ${v}`).join(', ')}.`)];
  hourly.forEach((v, i) => {
    const bh = (v / max) * (h - 18);
    out.push(`<rect class="bar neutral" x="${n(10 + i * bw)}" y="${n(h - 14 - bh)}" width="${n(bw - 1)}" height="${n(bh)}"><title>${String(i).padStart(2, '0')}:00 ${int(v)}</title></rect>`);
  });
  for (const t of [0, 6, 12, 18]) out.push(`<text x="${n(10 + t * bw)}" y="${h - 2}" class="ref">${String(t).padStart(2, '0')}</text>`);
  out.push('</svg>');
  return out.join('');
}

export function usageSection(p: UsageProfile, model: DeploymentModel, ids: Ids): string {
  const limit = model.primary.limits?.rpm;
  const declared = model.peakRpm;
  const minutes = p.peakDay.minutes;
  const yMax = Math.max(maxOf(minutes, 1), limit ?? 0, declared ?? 0) * 1.05;
  const hlines = [
    ...(limit !== undefined ? [{ at: limit, label: `limit ${int(limit)} rpm`, cls: 'ref-100' }] : []),
    ...(declared !== undefined ? [{ at: declared, label: `declared ${plain(declared)} rpm`, cls: 'ref-60' }] : []),
  ];
  const chart = lineChart(ids, {
    title: `Peak day ${p.peakDay.date}: requests per minute`,
    desc: `Measured requests per minute on ${p.peakDay.date} (${p.timezone}), from local midnight; the busiest minute had ${int(p.peakRpm.value)} requests at ${p.peakRpm.at}.${limit !== undefined ? ` Primary limit ${int(limit)} rpm.` : ''}${declared !== undefined ? ` Declared peak ${plain(declared)} rpm.` : ''}`,
    series: [{ label: 'requests per minute', cls: 'started', points: minutes.map((v, i) => [i / 60, v] as [number, number]) }],
    xMax: minutes.length / 60,
    yMax,
    xTick: (t) => `+${plain(t)}h`,
    yTick: (t) => int(t),
    xLabel: 'hours from local midnight',
    yLabel: 'requests / minute',
    hlines,
  });
  const rows = p.tenants
    .map(
      (t) =>
        `<tr><th scope="row">${esc(t.id)}${t.declared === null ? ' <span class="muted">(not in the manifest)</span>' : ''}</th><td>${int(t.requests)} (${esc(pct(t.share))})</td><td>${t.costShare !== null ? esc(pct(t.costShare)) : '–'}</td><td>${esc(pct(t.offHoursShare))}</td><td>${int(t.peakRpm)}</td><td>${t.monthlyProjectionUsd !== null ? esc(usd(t.monthlyProjectionUsd)) : '–'}</td><td>${t.pattern ? esc(t.pattern) : ''}</td><td>${hourBars(ids, t.id, t.hourly)}</td></tr>`,
    )
    .join('\n');
  return `<section id="usage" aria-labelledby="usage-h">
<h2 id="usage-h">Measured usage</h2>
<p>Measured from ${esc(p.files.map((f) => f.file).join(', '))}: ${int(p.requests)} requests over ${p.span.days} days (${esc(p.span.firstDay)} to ${esc(p.span.lastDay)}, ${esc(p.timezone)}); peak ${int(p.peakRpm.value)} rpm (${esc(plain(p.peakToAverage, 2))}× the ${esc(plain(p.averageRpm, 2))} rpm average), peak window ${esc(p.peakWindow)}; ${int(p.untagged)} untagged (${esc(pct(p.untaggedShare))}).</p>
${chart}
<table class="data"><thead><tr><th scope="col">Tenant</th><th scope="col">Requests</th><th scope="col">Cost share</th><th scope="col">Off-hours</th><th scope="col">Peak rpm</th><th scope="col">Month (measured)</th><th scope="col">Pattern</th><th scope="col">Hour of day</th></tr></thead>
<tbody>
${rows}
</tbody></table>
</section>`;
}
