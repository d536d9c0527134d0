/**
 * tenants.csv: every tenant's row, beside the go-live page (readiness check --out-dir, and
 * --format html=FILE when the page is a summary). The same figures as the page's per-tenant rows,
 * machine-readable: plain numbers (no thousands separators, no currency sign), an empty cell where
 * a figure is unknown or a day is not reached within the month. Pure and deterministic.
 */
import type { Report } from '../checks/run.js';
import type { DeploymentModel } from '../manifest/model.js';
import { plain } from '../util/numbers.js';
import { csv } from './csv.js';
import { tenantRows } from './html-tenant-rows.js';

/** The file's name beside the page; the summary page names it. */
export const TENANTS_CSV = 'tenants.csv';

/** The columns, in order (documented in docs/html-report.md). */
export const TENANT_COLUMNS = [
  'tenant',
  'team',
  'status',
  'findings',
  'reason',
  'use_cases',
  'daily_requests',
  'cost_per_request_usd',
  'cost_source',
  'daily_spend_usd',
  'projected_monthly_usd',
  'spill_monthly_usd',
  'budget_monthly_usd',
  'budget_fraction_used',
  'alert_fraction',
  'alert_day',
  'budget_exhausted_day',
  'rpm_limit',
  'tpm_limit',
  'peak_share',
] as const;

// plain() rounds; a whole number needs none (most of the figures: cheaper by half at 10,000 tenants)
const opt = (x: number | undefined, digits: number) => (x === undefined ? undefined : Number.isInteger(x) ? String(x) : plain(x, digits));

/** tenants.csv for a checked manifest. */
export function renderTenantsCsv(report: Report, model: DeploymentModel): string {
  const frac = plain(model.alertAtFraction, 4);
  return csv(
    TENANT_COLUMNS,
    tenantRows(report, model).map(({ t, p, status, findings, reason, peakShare }) => [
      t.tenant.id,
      t.tenant.team,
      status,
      findings,
      reason,
      t.tenant.useCases?.join(' '),
      t.tenant.dailyRequests,
      opt(p.costPerRequestUsd, 6),
      t.costSource,
      opt(p.dailySpendUsd, 2),
      opt(p.projectedMonthlyUsd, 2),
      opt(p.spillMonthlyUsd, 2),
      p.budgetUsd,
      opt(p.utilization, 4),
      p.budgetUsd !== undefined ? frac : undefined,
      p.alertDay,
      p.exhaustedDay,
      t.tenant.limits?.rpm,
      t.tenant.limits?.tpm,
      opt(peakShare, 4),
    ]),
  );
}
