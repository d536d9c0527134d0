import { oneLine } from '../util/text.js';
import type { ChalkInstance } from 'chalk';
import { plainPainter } from '../util/paint.js';
import { type FailOn, type Report, reportHeadline } from '../checks/run.js';
import type { Status } from '../checks/types.js';
import { displayStatus } from '../checks/waivers.js';
import { gateVerdict, terminalSafeDeep } from './common.js';

export interface TextOptions {
  chalk?: ChalkInstance;
  exitCode: number;
  /** show passing findings too */
  verbose?: boolean;
  /** for the verdict under --soft-fail */
  failOn?: FailOn;
  softFail?: boolean;
}

const LABEL: Record<Status | 'waived', string> = { pass: 'PASS', warn: 'WARN', fail: 'FAIL', waived: 'WAIVED' };

function paint(c: ChalkInstance, s: Status | 'waived', text: string): string {
  if (s === 'waived') return c.magenta(text);
  return s === 'pass' ? c.green(text) : s === 'warn' ? c.yellow(text) : c.red.bold(text);
}

/** The human report: one line per check with its headline, then the findings that need action. */
export function renderText(unsafe: Report, opts: TextOptions): string {
  // the text report is read on terminals: manifest strings in it must not carry control sequences
  const report = terminalSafeDeep(unsafe);
  const c = opts.chalk ?? plainPainter;
  const d = report.deployment;
  // the header is one line: a newline in metadata.name (or operator, environment) is shown as \u000a
  const who = [d.operator, d.environment].filter(Boolean).map((x) => oneLine(String(x))).join(', ');
  const lines: string[] = [];
  lines.push(`${c.bold(`readiness: ${oneLine(String(d.name))}`)}${who ? ` (${who})` : ''}  ${c.dim(oneLine(report.manifest))}`);
  const top = reportHeadline(report);
  lines.push(`${paint(c, top.status, LABEL[top.status])} ${c.bold(top.check)}: ${top.message}`);
  if (top.reliesOnFailover && top.check !== 'rate-limit-sizing') lines.push(`${paint(c, 'warn', 'NOTE')} rate-limit-sizing: ${top.reliesOnFailover}`);
  lines.push('');
  const width = Math.max(...report.checks.map((r) => r.id.length));
  const labelWidth = Math.max(...report.checks.map((r) => LABEL[displayStatus(r)].length));
  for (const r of report.checks) {
    const shownStatus = displayStatus(r);
    lines.push(`  ${paint(c, shownStatus, LABEL[shownStatus].padEnd(labelWidth))}  ${r.id.padEnd(width)}  ${r.headline}${r.waived && shownStatus !== 'waived' ? c.dim(` (+${r.waived} waived)`) : ''}`);
  }
  const shown = report.checks.flatMap((r) =>
    r.findings.filter((f) => opts.verbose || f.status !== 'pass').map((f) => ({ check: r.id, f })),
  );
  if (shown.length > 0) {
    lines.push('');
    lines.push(c.bold('Findings'));
    for (const { check, f } of shown) {
      lines.push('');
      const label = f.waived ? paint(c, 'waived', `${LABEL[f.status]}, WAIVED`) : paint(c, f.status, LABEL[f.status]);
      lines.push(`  ${label}  ${check}  ${c.dim(`${f.file ?? report.manifest}:${f.line}:${f.column}`)}${f.path ? `  ${c.cyan(f.path)}` : ''}`);
      lines.push(`        ${f.message}`);
      if (f.remediation) lines.push(`        ${c.bold('fix:')} ${f.remediation}`);
      if (f.waived) lines.push(`        ${c.bold('waived:')} by ${f.waived.owner} until ${f.waived.expires} (${f.waived.source}): ${f.waived.reason}`);
    }
  }
  const s = report.summary;
  lines.push('');
  const verdict = gateVerdict(report, { exitCode: opts.exitCode, failOn: opts.failOn ?? 'fail', softFail: opts.softFail });
  const gate = verdict === 'PASSED' ? c.green.bold(verdict) : verdict === 'INCONCLUSIVE' ? c.yellow.bold(verdict) : c.red.bold(verdict);
  const extra = [s.waived ? `, ${s.waived} waived finding(s)` : '', s.expiredWaivers ? `, ${s.expiredWaivers} expired waiver(s)` : ''].join('');
  lines.push(`${report.checks.length} checks: ${s.pass} pass, ${s.warn} warn, ${s.fail} fail${extra}. Gate ${gate} (exit ${opts.exitCode}).`);
  return `${lines.join('\n')}\n`;
}
