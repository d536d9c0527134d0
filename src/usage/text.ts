import { int, pct, plain, usd } from '../util/numbers.js';
import type { UsageProfile } from './types.js';

const BARS = ' ▁▂▃▄▅▆▇█';
const spark = (values: readonly number[], max: number): string =>
  values.map((v) => (v <= 0 || max <= 0 ? '·' : BARS[Math.max(1, Math.min(8, Math.ceil((v / max) * 8)))])).join('');

export interface UsageTextOptions {
  /** the primary's rpm limit, drawn against the peak day */
  limitRpm?: number;
  /** the manifest's peak */
  declaredPeakRpm?: number;
}

/** The measured profile for a terminal: figures, the peak day minute by minute (one row per local hour), hour of day per tenant. */
export function renderUsageText(p: UsageProfile, opts: UsageTextOptions = {}): string {
  const L: string[] = [];
  const files = p.files.map((f) => `${f.file} (${f.format}${f.container === 'json-array' ? ', JSON array' : ''}: ${int(f.records)} records${f.skipped ? `, ${int(f.skipped)} skipped` : ''})`);
  L.push(`Measured usage: ${files.join(', ')}`);
  L.push(`  span            ${p.span.days} day${p.span.days > 1 ? 's' : ''}, ${p.span.firstDay} to ${p.span.lastDay} (${p.timezone})`);
  L.push(`  requests        ${int(p.requests)}${p.skipped ? ` (${int(p.skipped)} lines skipped)` : ''}; untagged ${int(p.untagged)} (${pct(p.untaggedShare)})`);
  L.push(`  average         ${plain(p.averageRpm, 3)} rpm`);
  L.push(`  peak            ${int(p.peakRpm.value)} rpm at ${p.peakRpm.at} (${plain(p.peakToAverage, 2)}x the average)${opts.declaredPeakRpm !== undefined ? `; declared ${plain(opts.declaredPeakRpm)} rpm` : ''}${opts.limitRpm !== undefined ? `; primary limit ${int(opts.limitRpm)} rpm` : ''}`);
  L.push(`  peak tokens     ${int(p.peakTpm.value)} tpm at ${p.peakTpm.at}`);
  L.push(`  peak window     ${p.peakWindow} local (busiest hour ${String(p.peakHourLocal).padStart(2, '0')}:00)`);
  L.push(`  tokens/request  ${plain(p.tokensPerRequest.input, 1)} in, ${plain(p.tokensPerRequest.output, 1)} out`);
  const c = p.cost;
  L.push(`  cost            ${p.costUsd !== null ? usd(p.costUsd) : 'unknown (no cost in the log and no prices in the manifest)'}${c.fromManifest ? ` (${int(c.fromManifest)} requests priced from the manifest${c.zeroSpendPriced ? `, ${int(c.zeroSpendPriced)} of them logged at $0` : ''})` : ''}${c.unpriced ? `; ${int(c.unpriced)} requests unpriced` : ''}`);
  L.push('');
  const max = Math.max(1, ...p.peakDay.minutes, opts.limitRpm ?? 0);
  L.push(`Peak day ${p.peakDay.date}, requests per minute (one row per hour from local midnight, full bar = ${int(max)} rpm):`);
  for (let h = 0; h * 60 < p.peakDay.minutes.length; h++) {
    const row = p.peakDay.minutes.slice(h * 60, h * 60 + 60);
    const top = Math.max(...row);
    L.push(`  +${String(h).padStart(2, '0')}h ${spark(row, max)} ${top ? int(top) : ''}`.trimEnd());
  }
  L.push('');
  L.push('Hour of day (local, 00-23), requests over the span:');
  L.push(`  ${'all'.padEnd(20)} ${spark(p.hourly, Math.max(...p.hourly))}`);
  for (const t of p.tenants) {
    const cost = t.costShare !== null ? `, ${pct(t.costShare)} of cost` : '';
    L.push(`  ${t.id.slice(0, 20).padEnd(20)} ${spark(t.hourly, Math.max(...t.hourly))}  ${int(t.requests)} req (${pct(t.share)})${cost}, off-hours ${pct(t.offHoursShare)}, peak ${int(t.peakRpm)} rpm${t.pattern ? `, ${t.pattern}` : ''}${t.declared === null ? ', not in the manifest' : ''}`);
  }
  L.push('');
  L.push('Tenants:');
  for (const t of p.tenants) {
    L.push(`  ${t.id}: ${plain(t.dailyRequests, 1)} requests/day${t.dailySpendUsd !== null ? `, ${usd(t.dailySpendUsd)}/day, ${usd(t.monthlyProjectionUsd ?? 0)}/month projected` : ''}`);
  }
  return `${L.join('\n')}\n`;
}
