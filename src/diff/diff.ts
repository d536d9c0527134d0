import { rateLimitChain, utilization } from '../checks/capacity.js';
import type { Report } from '../checks/run.js';
import { STATUS_RANK, type Status } from '../checks/types.js';
import { displayStatus } from '../checks/waivers.js';
import { buildModel } from '../manifest/model.js';
import type { Manifest } from '../manifest/types.js';

/** A number the diff follows. `worseWhen` says which way is a step back (for the label; the gate is the checks). */
export interface Figure {
  key: string;
  label: string;
  value: number | null;
  unit: 'fraction' | 'rpm' | 'usd/month' | 'days';
  worseWhen: 'up' | 'down';
}

/** The first value of `name` in a check's findings' evidence, optionally only findings matching `where`. */
function evidence(report: Report, check: string, name: string, where?: (e: Record<string, unknown>) => boolean): number | undefined {
  for (const f of report.checks.find((c) => c.id === check)?.findings ?? []) {
    const e = f.evidence as Record<string, unknown> | undefined;
    if (e && typeof e[name] === 'number' && (!where || where(e))) return e[name] as number;
  }
  return undefined;
}

/**
 * The figures a reviewer wants to see move: peak utilization of the primary, failover chain capacity,
 * projected spend per tenant and audit retention. Taken from the findings' evidence where the check
 * recorded them, else computed from the manifest with the same functions the checks use (a passing
 * check does not record every figure).
 */
export function keyFigures(manifest: Manifest, report: Report): Figure[] {
  const model = buildModel(manifest);
  const tokens = model.tokensPerRequest;
  const p = model.primary;
  const out: Figure[] = [];
  const util = evidence(report, 'rate-limit-sizing', 'utilization') ?? (model.peakRpm !== undefined ? utilization(model.peakRpm, p, tokens).value : undefined);
  out.push({ key: 'peak-utilization', label: `peak utilization of the primary (${p.id})`, value: util ?? null, unit: 'fraction', worseWhen: 'up' });
  const rl = rateLimitChain(model);
  const chainCap = evidence(report, 'rate-limit-sizing', 'chainCapacityRpm') ?? (rl.unknown.length === rl.members.length ? undefined : rl.capacityRpm);
  out.push({ key: 'failover-chain-capacity', label: `failover chain capacity (${rl.members.map((x) => x.provider.id).join(' -> ')})`, value: chainCap ?? null, unit: 'rpm', worseWhen: 'down' });
  for (const t of model.tenants) {
    const id = t.tenant.id;
    const spend = evidence(report, 'budget-ceilings', 'projectedMonthlyUsd', (e) => e.tenant === id) ?? t.projectedMonthlyUsd;
    out.push({ key: `tenant-spend:${id}`, label: `projected spend of tenant ${id}`, value: spend ?? null, unit: 'usd/month', worseWhen: 'up' });
  }
  const retention = evidence(report, 'audit-log', 'retentionDays') ?? manifest.audit?.sink?.retentionDays;
  out.push({ key: 'audit-retention', label: 'audit retention', value: retention ?? null, unit: 'days', worseWhen: 'down' });
  return out;
}

export type Direction = 'worse' | 'better' | 'same';

export interface CheckChange {
  id: string;
  title: string;
  base: Status | 'waived';
  head: Status | 'waived';
  direction: Direction;
  headline: string;
}

export interface FigureChange {
  key: string;
  label: string;
  unit: Figure['unit'];
  base: number | null;
  head: number | null;
  direction: Direction;
}

export interface DiffSide {
  label: string;
  deployment: string;
  summary: Report['summary'];
}

export interface ManifestDiff {
  base: DiffSide;
  head: DiffSide;
  /** every check, in catalogue order */
  checks: CheckChange[];
  /** only the figures that moved (appeared, disappeared or changed) */
  figures: FigureChange[];
  /** ids of checks that got worse */
  regressions: string[];
  improvements: string[];
}

const rank = (s: Status | 'waived') => (s === 'waived' ? 0 : STATUS_RANK[s]);

const same = (a: number | null, b: number | null) => (a === null || b === null ? a === b : Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b)));

/** Compares two runs. Pure. A check got worse when its status (waived counting as pass) ranks higher in head. */
export function diffReports(
  base: { label: string; manifest: Manifest; report: Report },
  head: { label: string; manifest: Manifest; report: Report },
): ManifestDiff {
  const checks: CheckChange[] = head.report.checks.map((h) => {
    const b = base.report.checks.find((c) => c.id === h.id);
    const bs = b ? displayStatus(b) : 'pass';
    const hs = displayStatus(h);
    const direction: Direction = rank(hs) > rank(bs) ? 'worse' : rank(hs) < rank(bs) ? 'better' : 'same';
    return { id: h.id, title: h.title, base: bs, head: hs, direction, headline: h.headline };
  });
  const bf = keyFigures(base.manifest, base.report);
  const hf = keyFigures(head.manifest, head.report);
  const keys = [...hf.map((f) => f.key), ...bf.map((f) => f.key).filter((k) => !hf.some((f) => f.key === k))];
  const figures: FigureChange[] = [];
  for (const key of keys) {
    const b = bf.find((f) => f.key === key);
    const h = hf.find((f) => f.key === key);
    const f = (h ?? b) as Figure;
    const bv = b?.value ?? null;
    const hv = h?.value ?? null;
    if (same(bv, hv)) continue;
    let direction: Direction = 'same';
    if (bv !== null && hv !== null) direction = (hv > bv) === (f.worseWhen === 'up') ? 'worse' : 'better';
    figures.push({ key, label: f.label, unit: f.unit, base: bv, head: hv, direction });
  }
  const side = (x: typeof base): DiffSide => ({ label: x.label, deployment: x.report.deployment.name, summary: x.report.summary });
  return {
    base: side(base),
    head: side(head),
    checks,
    figures,
    regressions: checks.filter((c) => c.direction === 'worse').map((c) => c.id),
    improvements: checks.filter((c) => c.direction === 'better').map((c) => c.id),
  };
}

/** Exit code of `readiness diff`: 1 when any check got worse, else 0. */
export function diffExitCode(d: ManifestDiff): 0 | 1 {
  return d.regressions.length > 0 ? 1 : 0;
}
