import { projectTenant } from '../checks/budget-ceilings.js';
import { rateLimitChain, utilization } from '../checks/capacity.js';
import { spillOver } from '../checks/spend.js';
import type { FailOn, Report } from '../checks/run.js';
import { STATUS_RANK, type Status } from '../checks/types.js';
import { displayStatus } from '../checks/waivers.js';
import { buildModel } from '../manifest/model.js';
import type { Manifest } from '../manifest/types.js';

/**
 * A figure the diff follows: a number, or a list (failover targets and statuses) shown as text.
 * `worseWhen` says which way is a step back (for the label; the gate is the checks); 'none' when a
 * move either way is simply a change (a budget, a price).
 */
export interface Figure {
  key: string;
  label: string;
  value: number | string | null;
  unit: 'fraction' | 'rpm' | 'tpm' | 'tokens' | 'usd/month' | 'usd/request' | 'usd/MTok' | 'days' | 'day' | 'list' | 'text';
  worseWhen: 'up' | 'down' | 'none';
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
  const spill = spillOver(model);
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
    const spend = evidence(report, 'budget-ceilings', 'projectedMonthlyUsd', (e) => e.tenant === id) ?? projectTenant(t, model.alertAtFraction, spill).projectedMonthlyUsd;
    out.push({ key: `tenant-spend:${id}`, label: `projected spend of tenant ${id}`, value: spend ?? null, unit: 'usd/month', worseWhen: 'up' });
  }
  const retention = evidence(report, 'audit-log', 'retentionDays') ?? manifest.audit?.sink?.retentionDays;
  out.push({ key: 'audit-retention', label: 'audit retention', value: retention ?? null, unit: 'days', worseWhen: 'down' });
  out.push(...statedFigures(manifest));
  return out;
}

const n = (v: number | undefined): number | null => v ?? null;
const list = (v: Array<string | number> | undefined): string | null => (v === undefined ? null : v.length === 0 ? '(none)' : v.join(', '));

/** Every stated figure a verdict rests on, as the manifest gives it: a change shows even when no status moves. */
export function statedFigures(m: Manifest): Figure[] {
  const t = m.traffic;
  const out: Figure[] = [
    { key: 'traffic.peakRpm', label: 'stated peak (traffic.peakRpm)', value: n(t?.peakRpm), unit: 'rpm', worseWhen: 'up' },
    { key: 'traffic.averageRpm', label: 'average (traffic.averageRpm)', value: n(t?.averageRpm), unit: 'rpm', worseWhen: 'up' },
    { key: 'traffic.peakMultiplier', label: 'peak multiplier (traffic.peakMultiplier)', value: n(t?.peakMultiplier), unit: 'text', worseWhen: 'up' },
    { key: 'traffic.peakWindow', label: 'peak window (traffic.peakWindow)', value: t?.peakWindow ?? null, unit: 'text', worseWhen: 'none' },
    { key: 'traffic.tokensPerRequest.input', label: 'input tokens per request', value: n(t?.tokensPerRequest?.input), unit: 'tokens', worseWhen: 'up' },
    { key: 'traffic.tokensPerRequest.output', label: 'output tokens per request', value: n(t?.tokensPerRequest?.output), unit: 'tokens', worseWhen: 'up' },
  ];
  for (const p of m.providers) {
    out.push(
      { key: `provider:${p.id}.limits.rpm`, label: `${p.id} rpm limit`, value: n(p.limits?.rpm), unit: 'rpm', worseWhen: 'down' },
      { key: `provider:${p.id}.limits.tpm`, label: `${p.id} tpm limit`, value: n(p.limits?.tpm), unit: 'tpm', worseWhen: 'down' },
      { key: `provider:${p.id}.pricing.inputPerMTok`, label: `${p.id} input price`, value: n(p.pricing?.inputPerMTok), unit: 'usd/MTok', worseWhen: 'up' },
      { key: `provider:${p.id}.pricing.outputPerMTok`, label: `${p.id} output price`, value: n(p.pricing?.outputPerMTok), unit: 'usd/MTok', worseWhen: 'up' },
    );
  }
  const f = m.routing?.failover;
  out.push(
    { key: 'routing.primary', label: 'primary provider (routing.primary)', value: m.routing?.primary ?? null, unit: 'text', worseWhen: 'none' },
    { key: 'routing.failover.mode', label: 'failover mode', value: f?.mode ?? null, unit: 'text', worseWhen: 'none' },
    { key: 'routing.failover.targets', label: 'failover targets', value: list(f?.targets), unit: 'list', worseWhen: 'none' },
    { key: 'routing.failover.onStatus', label: 'failover statuses', value: list(f?.onStatus), unit: 'list', worseWhen: 'none' },
  );
  for (const x of m.tenants ?? []) {
    out.push(
      { key: `tenant:${x.id}.dailyRequests`, label: `tenant ${x.id} requests a day`, value: n(x.dailyRequests), unit: 'text', worseWhen: 'up' },
      { key: `tenant:${x.id}.costPerRequestUsd`, label: `tenant ${x.id} cost per request`, value: n(x.costPerRequestUsd), unit: 'usd/request', worseWhen: 'up' },
      { key: `tenant:${x.id}.budget.monthlyUsd`, label: `tenant ${x.id} budget`, value: n(x.budget?.monthlyUsd), unit: 'usd/month', worseWhen: 'none' },
      { key: `tenant:${x.id}.limits.rpm`, label: `tenant ${x.id} rpm limit`, value: n(x.limits?.rpm), unit: 'rpm', worseWhen: 'none' },
    );
  }
  const b = m.budgets;
  out.push(
    { key: 'budgets.accountMonthlyUsd', label: 'account ceiling (budgets.accountMonthlyUsd)', value: n(b?.accountMonthlyUsd), unit: 'usd/month', worseWhen: 'none' },
    { key: 'budgets.alertAtFraction', label: 'budget alert fraction', value: n(b?.alertAtFraction), unit: 'fraction', worseWhen: 'up' },
    { key: 'budgets.alertByDay', label: 'budget alert paged by day', value: n(b?.alertByDay), unit: 'day', worseWhen: 'none' },
    { key: 'budgets.onExceeded', label: 'when a budget is exceeded (budgets.onExceeded)', value: b?.onExceeded ?? null, unit: 'text', worseWhen: 'none' },
  );
  return out;
}

export type Direction = 'worse' | 'better' | 'same' | 'changed';

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
  base: number | string | null;
  head: number | string | null;
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
  /** ids of checks that became fail (were not fail in base) */
  newFailures: string[];
  improvements: string[];
}

const rank = (s: Status | 'waived') => (s === 'waived' ? 0 : STATUS_RANK[s]);

const same = (a: number | string | null, b: number | string | null) =>
  typeof a === 'number' && typeof b === 'number' ? Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b)) : a === b;

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
    let direction: Direction = 'changed';
    if (typeof bv === 'number' && typeof hv === 'number' && f.worseWhen !== 'none') direction = (hv > bv) === (f.worseWhen === 'up') ? 'worse' : 'better';
    figures.push({ key, label: f.label, unit: f.unit, base: bv, head: hv, direction });
  }
  const side = (x: typeof base): DiffSide => ({ label: x.label, deployment: x.report.deployment.name, summary: x.report.summary });
  return {
    base: side(base),
    head: side(head),
    checks,
    figures,
    regressions: checks.filter((c) => c.direction === 'worse').map((c) => c.id),
    newFailures: checks.filter((c) => c.direction === 'worse' && c.head === 'fail').map((c) => c.id),
    improvements: checks.filter((c) => c.direction === 'better').map((c) => c.id),
  };
}

/** The checks that trip the gate: with failOn fail (the default, as for check) those that became fail; with warn, any that got worse. */
export function gateRegressions(d: ManifestDiff, failOn: FailOn = 'fail'): string[] {
  return failOn === 'warn' ? d.regressions : d.newFailures;
}

/** Exit code of `readiness diff`, following --fail-on like check: 1 when a check became fail (or, with warn, got worse). */
export function diffExitCode(d: ManifestDiff, failOn: FailOn = 'fail'): 0 | 1 {
  return gateRegressions(d, failOn).length > 0 ? 1 : 0;
}
