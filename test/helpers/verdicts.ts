import { readFileSync } from 'node:fs';
import type { Report } from '../../src/checks/run.js';

/** The verdicts an example promises in its `# readiness-expect:` line, e.g. {failover: 'pass', exit: '0'}. */
export function expectedVerdicts(file: string): Record<string, string> {
  const line = readFileSync(file, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('# readiness-expect:'));
  if (!line) throw new Error(`${file} has no readiness-expect line`);
  return Object.fromEntries(
    line
      .slice('# readiness-expect:'.length)
      .trim()
      .split(/\s+/)
      .map((kv) => kv.split('=') as [string, string]),
  );
}

/** A report's verdicts in the same shape. */
export function verdicts(report: Report, exitCode: number): Record<string, string> {
  return { ...Object.fromEntries(report.checks.map((c) => [c.id, c.status])), exit: String(exitCode) };
}
