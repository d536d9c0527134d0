import path from 'node:path';
import { type FailOn, type Report, gateExitCode } from '../checks/run.js';
import { controlsEscaped } from '../util/text.js';

/**
 * A report file's path (as given, relative to `cwd`) made relative to the repository root `root`, with
 * forward slashes: the same whichever folder the gate ran from, which is what GitHub maps SARIF results
 * and fingerprints alerts by. A file outside the root is given relative to `cwd` instead.
 */
export function relativePath(file: string, cwd: string, root: string = cwd): string {
  const abs = path.resolve(cwd, file);
  let rel = path.relative(root, abs);
  if (rel.startsWith('..') || path.isAbsolute(rel)) {
    // outside the repository: an absolute path says where it is; "../.." would mean something else elsewhere
    return abs.split(path.sep).join('/');
  }
  return (rel === '' ? path.basename(file) : rel).split(path.sep).join('/');
}

/** The gate's verdict in words: PASSED, FAILED, or FAILED but not enforced under --soft-fail. */
export function gateVerdict(report: Report, meta: { exitCode: number; failOn: FailOn; softFail?: boolean }): string {
  if (meta.exitCode === 3) return 'INCONCLUSIVE';
  if (meta.exitCode !== 0) return 'FAILED';
  if (meta.softFail && gateExitCode(report, meta.failOn) !== 0) return 'FAILED (soft-fail: reported, not enforced)';
  return 'PASSED';
}

/**
 * A string safe to print on a terminal: control characters (C0 but newline and tab, DEL, C1) are
 * shown as \u escapes, so a manifest value cannot move the cursor, recolour or retitle the terminal
 * of whoever reads the report (ESC sequences, OSC 8 links, carriage returns that hide a line).
 */
export const terminalSafe = controlsEscaped;

/** Every string in a value made terminalSafe (a copy). */
export function terminalSafeDeep<T>(value: T): T {
  if (typeof value === 'string') return terminalSafe(value) as T;
  if (Array.isArray(value)) return value.map((v) => terminalSafeDeep(v)) as T;
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, terminalSafeDeep(v)])) as T;
  return value;
}
