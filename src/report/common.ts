import path from 'node:path';
import { type FailOn, type Report, gateExitCode } from '../checks/run.js';

/**
 * A report file's path relative to `cwd`, with forward slashes: the same on every machine that runs
 * from the repository root, which is what GitHub fingerprints SARIF alerts by.
 */
export function relativePath(file: string, cwd: string): string {
  const rel = path.relative(cwd, path.resolve(cwd, file));
  return (rel === '' ? path.basename(file) : rel).split(path.sep).join('/');
}

/** The gate's verdict in words: PASSED, FAILED, or FAILED but not enforced under --soft-fail. */
export function gateVerdict(report: Report, meta: { exitCode: number; failOn: FailOn; softFail?: boolean }): string {
  if (meta.exitCode === 3) return 'INCONCLUSIVE';
  if (meta.exitCode !== 0) return 'FAILED';
  if (meta.softFail && gateExitCode(report, meta.failOn) !== 0) return 'FAILED (soft-fail: reported, not enforced)';
  return 'PASSED';
}
