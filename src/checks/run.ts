import type { LoadedManifest } from '../manifest/load.js';
import { buildModel, type DeploymentModel } from '../manifest/model.js';
import type { DecidedBy, EvidenceSet } from '../evidence/types.js';
import type { ProbeEvidence } from '../probe/types.js';
import { probeEvidenceSet } from '../evidence/from-probe.js';
import { formatPath } from '../util/paths.js';
import { CHECKS } from './catalogue.js';
import { type Check, type CheckContext, type EvidenceValue, type Status, worst } from './types.js';
import type { AppliedWaiver, WaiverOutcome } from './waiver-types.js';

export interface LocatedFinding {
  status: Status;
  message: string;
  remediation?: string;
  /** dotted path into the manifest ('' for the whole file) */
  path: string;
  line: number;
  column: number;
  evidence?: Record<string, EvidenceValue>;
  /** the evidence whose figure decided this finding (absent: the manifest's own figures) */
  decidedBy?: DecidedBy;
  /** the file the line and column refer to, when not the manifest (a waiver in a --waivers file) */
  file?: string;
  /** set when an active waiver covers this warn or fail finding: it does not count against the gate */
  waived?: AppliedWaiver;
}

export interface CheckResult {
  id: string;
  title: string;
  status: Status;
  /** the worst finding's message: one line per check in summaries */
  headline: string;
  findings: LocatedFinding[];
  /** how many of the findings are waived (absent when none) */
  waived?: number;
}

export interface Report {
  manifest: string;
  manifestSha256: string;
  deployment: { name: string; operator?: string; environment?: string };
  checks: CheckResult[];
  /** checks by status (waived findings do not count); `waived` counts waived findings, `expiredWaivers` expired ones */
  summary: { pass: number; warn: number; fail: number; waived?: number; expiredWaivers?: number };
  /** every waiver given, with what became of it (absent when no waivers were given) */
  waivers?: WaiverOutcome[];
}

export function runCheck(check: Check, ctx: CheckContext, loaded: Pick<LoadedManifest, 'locate'>): CheckResult {
  const findings = check.run(ctx);
  if (findings.length === 0) throw new Error(`check ${check.id} returned no findings`);
  const located = findings.map((f): LocatedFinding => {
    const loc = loaded.locate(f.path);
    const out: LocatedFinding = { status: f.status, message: f.message, path: formatPath(f.path), line: loc.line, column: loc.column };
    if (f.remediation) out.remediation = f.remediation;
    if (f.evidence) out.evidence = f.evidence;
    if (f.decidedBy) out.decidedBy = f.decidedBy;
    return out;
  });
  const status = worst(located.map((f) => f.status));
  const headline = (located.find((f) => f.status === status) ?? located[0]).message;
  return { id: check.id, title: check.title, status, headline, findings: located };
}

/** Runs every check in the catalogue against a loaded manifest. Pure apart from reading `loaded`. */
export function runChecks(
  loaded: LoadedManifest,
  checks: readonly Check[] = CHECKS,
  model: DeploymentModel = buildModel(loaded.manifest),
  probe?: ProbeEvidence,
  evidence: readonly EvidenceSet[] = [],
): Report {
  // the probe's figures reach the checks as evidence too (granted limits, failover, untagged refusal)
  const all = probe && !evidence.some((e) => e.origin.kind === 'probe') ? [...evidence, probeEvidenceSet(probe)] : evidence;
  const ctx: CheckContext = probe ? { model, probe, evidence: all } : { model, evidence: all };
  const results = checks.map((c) => runCheck(c, ctx, loaded));
  const summary = { pass: 0, warn: 0, fail: 0 };
  for (const r of results) summary[r.status]++;
  const md = loaded.manifest.metadata;
  return {
    manifest: loaded.file,
    manifestSha256: loaded.sha256,
    deployment: { name: md.name, operator: md.operator, environment: md.environment },
    checks: results,
    summary,
  };
}

export type FailOn = 'fail' | 'warn';

/** The gate's exit code: 1 when a check failed (or warned, with failOn warn), else 0. */
export function gateExitCode(report: Report, failOn: FailOn = 'fail'): 0 | 1 {
  if (report.summary.fail > 0) return 1;
  if (failOn === 'warn' && report.summary.warn > 0) return 1;
  return 0;
}

/** The report's top line: the worst check and the finding that decides it, and whether the peak rests on failover. */
export interface ReportHeadline {
  status: Status | 'waived';
  check: string;
  message: string;
  /** set when the stated peak is carried only with failover: said on the first screen even when it passes */
  reliesOnFailover?: string;
}

export function reportHeadline(report: Report): ReportHeadline {
  const rank = (s: Status | 'waived') => (s === 'waived' ? 0 : { pass: 0, warn: 1, fail: 2 }[s]);
  let top = report.checks[0];
  for (const c of report.checks) if (rank(c.waived && c.status === 'pass' ? 'waived' : c.status) > rank(top.waived && top.status === 'pass' ? 'waived' : top.status)) top = c;
  const shown: Status | 'waived' = top.status === 'pass' && (top.waived ?? 0) > 0 ? 'waived' : top.status;
  const out: ReportHeadline = { status: shown, check: top.id, message: top.headline };
  const relies = report.checks.flatMap((c) => c.findings).find((f) => f.evidence?.reliesOnFailover === true);
  if (relies) out.reliesOnFailover = relies.message;
  return out;
}
