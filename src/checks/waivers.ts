import type { Waiver } from '../manifest/types.js';
import { UsageError } from '../util/errors.js';
import type { CheckResult, LocatedFinding, Report } from './run.js';
import { type Status, worst } from './types.js';

export type { AppliedWaiver, LocatedWaiver, WaiverOutcome, WaiverState } from './waiver-types.js';
import type { WaiverOutcome, LocatedWaiver, AppliedWaiver } from './waiver-types.js';
export { isValidDate, todayUtc } from '../util/dates.js';
import { isValidDate, todayUtc } from '../util/dates.js';

/** The date waivers are judged against: READINESS_TODAY (YYYY-MM-DD, for tests and reproducible runs), else today in UTC. */
export function resolveToday(env: NodeJS.ProcessEnv, now: Date = new Date()): string {
  const v = env.READINESS_TODAY;
  if (v === undefined || v === '') return todayUtc(now);
  if (!isValidDate(v)) throw new UsageError(`READINESS_TODAY must be a date YYYY-MM-DD, got "${v}"`);
  return v;
}

/** A waiver is expired once `today` is after its `expires` date (the expiry day itself is still covered). */
export function isExpired(w: Pick<Waiver, 'expires'>, today: string): boolean {
  return today > w.expires;
}

/** Whether a finding at `findingPath` falls under a waiver for `waiverPath` (the same path or below it). */
export function pathCovers(waiverPath: string | undefined, findingPath: string): boolean {
  if (waiverPath === undefined) return true;
  if (findingPath === waiverPath) return true;
  return findingPath.startsWith(`${waiverPath}.`) || findingPath.startsWith(`${waiverPath}[`);
}

const where = (w: LocatedWaiver) => `${w.file}:${w.line}:${w.column}`;

function covers(w: LocatedWaiver, checkId: string, f: LocatedFinding): boolean {
  return w.check === checkId && f.status !== 'pass' && pathCovers(w.path, f.path);
}

function describe(w: Waiver): string {
  return `${w.check}${w.path ? ` at ${w.path}` : ''}`;
}

/**
 * Applies waivers to a report. Pure: returns a new report.
 * - An active waiver marks the warn and fail findings it covers as waived: they stay in the report but
 *   no longer count toward their check's status or the gate.
 * - An expired waiver waives nothing and adds a fail finding to its check (at the waiver's location),
 *   so the gate fails and every format says which waiver expired.
 * A check's status becomes the worst of its findings that are not waived.
 */
export function applyWaivers(report: Report, waivers: readonly LocatedWaiver[], today: string): Report {
  if (waivers.length === 0) return report;
  const outcomes: WaiverOutcome[] = waivers.map((w) => ({ ...stripLocation(w), source: where(w), state: isExpired(w, today) ? 'expired' : 'unused', matched: 0 }));
  const checks: CheckResult[] = report.checks.map((c) => {
    const findings: LocatedFinding[] = c.findings.map((f) => {
      let out = f;
      waivers.forEach((w, i) => {
        if (!covers(w, c.id, f)) return;
        outcomes[i].matched++;
        if (outcomes[i].state === 'expired') return;
        outcomes[i].state = 'active';
        if (!out.waived) out = { ...f, waived: { reason: w.reason, owner: w.owner, expires: w.expires, source: where(w) } };
      });
      return out;
    });
    waivers.forEach((w, i) => {
      if (w.check !== c.id || outcomes[i].state !== 'expired') return;
      findings.push({
        status: 'fail',
        message: `waiver for ${describe(w)} expired on ${w.expires} (owner ${w.owner}; reason: ${w.reason}): the accepted risk is no longer accepted${
          outcomes[i].matched ? `, so ${outcomes[i].matched} finding(s) count again` : ''
        }`,
        remediation: `Fix the finding(s), or review the risk with ${w.owner} and renew the waiver with a new expires date.`,
        path: w.index === undefined ? 'waivers' : `waivers[${w.index}]`,
        line: w.line,
        column: w.column,
        file: w.file,
        evidence: { waiverExpires: w.expires, today, owner: w.owner },
      });
    });
    const counted = findings.filter((f) => !f.waived);
    const waived = findings.length - counted.length;
    const status: Status = worst(counted.map((f) => f.status));
    const worstCounted = counted.find((f) => f.status === status);
    let headline: string;
    if (status === 'pass' && waived > 0) {
      const w = findings.find((f) => f.waived) as LocatedFinding;
      headline = `waived (${w.waived?.owner}, until ${w.waived?.expires}): ${w.message}`;
    } else {
      headline = (worstCounted ?? findings[0]).message;
    }
    const out: CheckResult = { ...c, status, headline, findings };
    if (waived > 0) out.waived = waived;
    else delete out.waived;
    return out;
  });
  const summary: Report['summary'] = { pass: 0, warn: 0, fail: 0 };
  for (const c of checks) summary[c.status]++;
  summary.waived = checks.reduce((s, c) => s + (c.waived ?? 0), 0);
  summary.expiredWaivers = outcomes.filter((o) => o.state === 'expired').length;
  return { ...report, checks, summary, waivers: outcomes };
}

function stripLocation(w: LocatedWaiver): Waiver {
  const out: Waiver = { check: w.check, reason: w.reason, owner: w.owner, expires: w.expires };
  if (w.path !== undefined) out.path = w.path;
  return out;
}

/** The label a check shows: its status, or `waived` when it passes only because of waivers. */
export function displayStatus(c: Pick<CheckResult, 'status' | 'waived'>): Status | 'waived' {
  return c.status === 'pass' && (c.waived ?? 0) > 0 ? 'waived' : c.status;
}

/** The longest a waiver may run from today, in days, unless READINESS_MAX_WAIVER_DAYS says otherwise. */
export const DEFAULT_MAX_WAIVER_DAYS = 180;

/** READINESS_MAX_WAIVER_DAYS when it is a positive whole number, else the default (180). */
export function maxWaiverDays(env: NodeJS.ProcessEnv): number {
  const n = Number(env.READINESS_MAX_WAIVER_DAYS);
  return Number.isSafeInteger(n) && n > 0 ? n : DEFAULT_MAX_WAIVER_DAYS;
}

/**
 * Waivers that expire more than `maxDays` after `today`: an accepted risk must be reviewed, and an
 * expiry of 9999-12-31 is a permanent exemption in disguise. Located at each waiver.
 */
export function overlongWaivers(waivers: readonly LocatedWaiver[], today: string, maxDays: number): Array<{ file: string; line: number; column: number; message: string }> {
  const day = 86_400_000;
  const t = Date.parse(`${today}T00:00:00Z`);
  return waivers
    .filter((w) => (Date.parse(`${w.expires}T00:00:00Z`) - t) / day > maxDays)
    .map((w) => ({
      file: w.file,
      line: w.line,
      column: w.column,
      message: `waiver for ${w.check} expires ${w.expires}, ${Math.round((Date.parse(`${w.expires}T00:00:00Z`) - t) / day)} days after ${today}: over the ${maxDays}-day maximum (set an earlier expiry, or raise READINESS_MAX_WAIVER_DAYS)`,
    }));
}
