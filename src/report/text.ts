import { Chalk, type ChalkInstance } from 'chalk';
import type { Report } from '../checks/run.js';
import type { Status } from '../checks/types.js';

export interface TextOptions {
  chalk?: ChalkInstance;
  exitCode: number;
  /** show passing findings too */
  verbose?: boolean;
}

const LABEL: Record<Status, string> = { pass: 'PASS', warn: 'WARN', fail: 'FAIL' };

function paint(c: ChalkInstance, s: Status, text: string): string {
  return s === 'pass' ? c.green(text) : s === 'warn' ? c.yellow(text) : c.red.bold(text);
}

/** The human report: one line per check with its headline, then the findings that need action. */
export function renderText(report: Report, opts: TextOptions): string {
  const c = opts.chalk ?? new Chalk({ level: 0 });
  const d = report.deployment;
  const who = [d.operator, d.environment].filter(Boolean).join(', ');
  const lines: string[] = [];
  lines.push(`${c.bold(`readiness: ${d.name}`)}${who ? ` (${who})` : ''}  ${c.dim(report.manifest)}`);
  lines.push('');
  const width = Math.max(...report.checks.map((r) => r.id.length));
  for (const r of report.checks) {
    lines.push(`  ${paint(c, r.status, LABEL[r.status])}  ${r.id.padEnd(width)}  ${r.headline}`);
  }
  const shown = report.checks.flatMap((r) =>
    r.findings.filter((f) => opts.verbose || f.status !== 'pass').map((f) => ({ check: r.id, f })),
  );
  if (shown.length > 0) {
    lines.push('');
    lines.push(c.bold('Findings'));
    for (const { check, f } of shown) {
      lines.push('');
      lines.push(`  ${paint(c, f.status, LABEL[f.status])}  ${check}  ${c.dim(`${report.manifest}:${f.line}:${f.column}`)}${f.path ? `  ${c.cyan(f.path)}` : ''}`);
      lines.push(`        ${f.message}`);
      if (f.remediation) lines.push(`        ${c.bold('fix:')} ${f.remediation}`);
    }
  }
  const s = report.summary;
  lines.push('');
  const gate = opts.exitCode === 0 ? c.green.bold('PASSED') : opts.exitCode === 3 ? c.yellow.bold('INCONCLUSIVE') : c.red.bold('FAILED');
  lines.push(`${report.checks.length} checks: ${s.pass} pass, ${s.warn} warn, ${s.fail} fail. Gate ${gate} (exit ${opts.exitCode}).`);
  return `${lines.join('\n')}\n`;
}
