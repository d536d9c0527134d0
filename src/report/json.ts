import { type Report, type ReportHeadline, reportHeadline } from '../checks/run.js';

export interface JsonReport extends Report {
  $schema: string;
  /** the worst check and the finding that decides it (and whether the peak relies on failover) */
  headline: ReportHeadline;
  tool: { name: string; version: string };
  failOn: 'fail' | 'warn';
  exitCode: number;
}

export const REPORT_SCHEMA_ID = 'https://readiness.dev/schemas/report-v1.schema.json';

/** The machine-readable report (schemas/report.schema.json). Stable key order; no timestamps, so it is reproducible. */
export function toJsonReport(report: Report, meta: { version: string; failOn: 'fail' | 'warn'; exitCode: number }): JsonReport {
  return {
    $schema: REPORT_SCHEMA_ID,
    tool: { name: 'readiness', version: meta.version },
    manifest: report.manifest,
    manifestSha256: report.manifestSha256,
    deployment: report.deployment,
    headline: reportHeadline(report),
    checks: report.checks,
    summary: report.summary,
    ...(report.waivers ? { waivers: report.waivers } : {}),
    failOn: meta.failOn,
    exitCode: meta.exitCode,
  };
}

export function renderJson(report: Report, meta: { version: string; failOn: 'fail' | 'warn'; exitCode: number }): string {
  return `${JSON.stringify(toJsonReport(report, meta), null, 2)}\n`;
}
