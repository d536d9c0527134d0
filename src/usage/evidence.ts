import type { EvidenceSet, Observation } from '../evidence/types.js';
import type { UsageProfile } from './types.js';

/** "usage log pilot.jsonl, 14 days (2026-11-01 to 2026-11-14, Europe/Berlin)" */
export function describeUsage(p: UsageProfile): string {
  const names = p.files.map((f) => f.file);
  const which = names.length <= 2 ? names.join(' and ') : `${names[0]} and ${names.length - 1} more`;
  return `usage log${names.length > 1 ? 's' : ''} ${which}, ${p.span.days} day${p.span.days > 1 ? 's' : ''} (${p.span.firstDay} to ${p.span.lastDay}, ${p.timezone})`;
}

/**
 * The measured profile as evidence: the figures checks judge through decide(). Per-tenant figures carry the
 * manifest tenant's id as subject when the log tenant matched one (by id or team), else the log's own id
 * with tenant.exists true (seen, not declared).
 */
export function usageEvidence(p: UsageProfile): EvidenceSet {
  const o: Observation[] = [];
  const add = (figure: Observation['figure'], value: Observation['value'], note?: string, subject?: string) => {
    const ob: Observation = { figure, value };
    if (subject !== undefined) ob.subject = subject;
    if (note) ob.note = note;
    o.push(ob);
  };
  add('attribution.untaggedRequests', p.untagged, `${p.untagged} of ${p.requests} requests without a tenant`);
  add('attribution.untaggedShare', p.untaggedShare);
  add('traffic.averageRpm', p.averageRpm);
  add('traffic.peakRpm', p.peakRpm.value, `busiest minute ${p.peakRpm.at}`);
  add('traffic.peakTpm', p.peakTpm.value, `busiest token minute ${p.peakTpm.at}`);
  add('traffic.peakWindow', p.peakWindow, `peak hour ${String(p.peakHourLocal).padStart(2, '0')}:00 local`);
  add('traffic.tokensPerRequest.input', p.tokensPerRequest.input);
  add('traffic.tokensPerRequest.output', p.tokensPerRequest.output);
  for (const t of p.tenants) {
    const subject = t.declared ?? t.id;
    if (t.declared === null) add('tenant.exists', true, `${t.requests} requests in the log as "${t.id}", not in the manifest`, subject);
    add('tenant.dailyRequests', t.dailyRequests, undefined, subject);
    if (t.dailySpendUsd !== null) add('tenant.dailySpendUsd', t.dailySpendUsd, undefined, subject);
    if (t.costShare !== null) add('tenant.costShare', t.costShare, undefined, subject);
    add('tenant.offHoursShare', t.offHoursShare, t.pattern ?? undefined, subject);
    add('tenant.peakRpm', t.peakRpm, undefined, subject);
  }
  return {
    origin: { kind: 'usage', file: p.files.map((f) => f.file).join(', '), description: describeUsage(p), span: { from: p.span.from, to: p.span.to, days: p.span.days } },
    observations: o,
  };
}
