/**
 * One row per tenant, as the go-live page and tenants.csv show it: the budget projection the
 * budget-ceilings check judges (projectTenant), the tenant's rpm/tpm limits and its share of the
 * stated peak, and the tenant's status (the worst unwaived finding that names it). Pure; one pass
 * over the findings, so 50,000 tenants cost no more per tenant than 50.
 */
import { projectTenant, type TenantProjection } from '../checks/budget-ceilings.js';
import type { Report } from '../checks/run.js';
import { spillOver } from '../checks/spend.js';
import { STATUS_RANK, type Status } from '../checks/types.js';
import type { DeploymentModel, TenantModel } from '../manifest/model.js';

/** Above this many tenants the page shows a summary and every tenant's row is in tenants.csv. */
export const SUMMARY_THRESHOLD = 200;

/** Whether the page for this model is in summary mode (more than SUMMARY_THRESHOLD tenants). */
export const isSummary = (model: DeploymentModel): boolean => model.tenants.length > SUMMARY_THRESHOLD;

export interface TenantRow {
  t: TenantModel;
  p: TenantProjection;
  /** the worst unwaived finding naming this tenant; pass when none does */
  status: Status;
  /** unwaived warn and fail findings naming this tenant */
  findings: number;
  /** the message of the worst of them (the first in check order) */
  reason?: string;
  /**
   * limits.rpm as a share of the stated peak rpm: how much of the peak this one tenant may take at
   * its limit (absent without a limit or a peak)
   */
  peakShare?: number;
}

/** The tenant a finding is about: its evidence names it, or its path is under tenants[i]. */
function tenantIndexOf(f: Report['checks'][number]['findings'][number], byId: Map<string, number>): number | undefined {
  const named = f.evidence?.tenant;
  if (typeof named === 'string' && byId.has(named)) return byId.get(named);
  const m = /^tenants\[(\d+)\]/.exec(f.path);
  return m ? Number(m[1]) : undefined;
}

/** Every tenant's row, in manifest order. */
export function tenantRows(report: Report, model: DeploymentModel): TenantRow[] {
  const frac = model.alertAtFraction;
  const spill = spillOver(model);
  const peak = model.peakRpm;
  const byId = new Map<string, number>();
  model.tenants.forEach((t, i) => {
    if (!byId.has(t.tenant.id)) byId.set(t.tenant.id, i);
  });
  const rows: TenantRow[] = model.tenants.map((t) => {
    const rpm = t.tenant.limits?.rpm;
    const row: TenantRow = { t, p: projectTenant(t, frac, spill), status: 'pass', findings: 0 };
    if (rpm !== undefined && peak !== undefined && peak > 0) row.peakShare = rpm / peak;
    return row;
  });
  for (const c of report.checks) {
    for (const f of c.findings) {
      if (f.status === 'pass' || f.waived) continue;
      const i = tenantIndexOf(f, byId);
      const row = i !== undefined ? rows[i] : undefined;
      if (!row) continue;
      row.findings += 1;
      if (STATUS_RANK[f.status] > STATUS_RANK[row.status]) {
        row.status = f.status;
        row.reason = f.message;
      }
    }
  }
  return rows;
}

/** The value at quantile q (0..1) of ascending `sorted`, by nearest rank; undefined when empty. */
export function quantile(sorted: readonly number[], q: number): number | undefined {
  if (sorted.length === 0) return undefined;
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(q * sorted.length)));
  return sorted[rank - 1];
}
