import type { CheckResult, LocatedFinding, Report } from '../checks/run.js';
import { displayStatus } from '../checks/waivers.js';
import type { FormatMeta } from './meta.js';
import { relativePath } from './common.js';

// XML 1.0 forbids most control characters even when escaped: drop them.
const INVALID_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;

export function xmlText(s: string): string {
  return s.replace(INVALID_XML, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function xmlAttr(s: string): string {
  return xmlText(s).replace(/"/g, '&quot;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;').replace(/\t/g, '&#9;');
}

function findingBlock(f: LocatedFinding, file: string): string {
  const lines = [`[${f.status.toUpperCase()}${f.waived ? ', waived' : ''}] ${file}:${f.line}:${f.column}${f.path ? ` ${f.path}` : ''}`, f.message];
  if (f.remediation) lines.push(`Fix: ${f.remediation}`);
  if (f.waived) lines.push(`Waived by ${f.waived.owner} until ${f.waived.expires} (${f.waived.source}): ${f.waived.reason}`);
  return lines.join('\n');
}

function failsGate(c: CheckResult, meta: FormatMeta): boolean {
  return c.status === 'fail' || (c.status === 'warn' && meta.failOn === 'warn');
}

/**
 * JUnit XML: one testsuite, one testcase per check (classname readiness.<check id>, unique names),
 * a <failure> with the message and remediation when the check fails the gate, <skipped> when it
 * passes only because of waivers. Times are in seconds (the checks are pure and take no measurable time: 0).
 */
export function renderJunit(report: Report, meta: FormatMeta): string {
  const manifest = relativePath(report.manifest, meta.cwd, meta.root);
  const cases: string[] = [];
  let failures = 0;
  let skipped = 0;
  for (const c of report.checks) {
    const fileOf = (f: LocatedFinding) => relativePath(f.file ?? report.manifest, meta.cwd, meta.root);
    const counted = c.findings.filter((f) => f.status !== 'pass' && !f.waived);
    const waived = c.findings.filter((f) => f.waived);
    const attrs = `classname="${xmlAttr(`readiness.${c.id}`)}" name="${xmlAttr(`${c.id}: ${c.title}`)}" file="${xmlAttr(manifest)}" time="0"`;
    const body: string[] = [];
    if (failsGate(c, meta)) {
      failures++;
      const gating = counted.filter((f) => f.status === 'fail' || meta.failOn === 'warn');
      const first = gating[0] ?? counted[0];
      const message = `${c.headline}${first?.remediation ? ` Fix: ${first.remediation}` : ''}`;
      body.push(`      <failure type="${c.status}" message="${xmlAttr(message)}">${xmlText([...counted, ...waived].map((f) => findingBlock(f, fileOf(f))).join('\n\n'))}</failure>`);
    } else if (displayStatus(c) === 'waived') {
      skipped++;
      const w = waived[0].waived;
      body.push(`      <skipped message="${xmlAttr(`waived by ${w?.owner} until ${w?.expires}: ${w?.reason}`)}"/>`);
    }
    const inFailure = new Set(failsGate(c, meta) ? [...counted, ...waived] : []);
    const shown = c.findings.filter((f) => !inFailure.has(f));
    if (shown.length > 0) body.push(`      <system-out>${xmlText(shown.map((f) => findingBlock(f, fileOf(f))).join('\n\n'))}</system-out>`);
    cases.push(body.length ? `    <testcase ${attrs}>\n${body.join('\n')}\n    </testcase>` : `    <testcase ${attrs}/>`);
  }
  const n = report.checks.length;
  const suiteName = `readiness: ${report.deployment.name}`;
  const props = [
    ['manifest', manifest],
    ['manifestSha256', report.manifestSha256],
    ['failOn', meta.failOn],
    ['exitCode', String(meta.exitCode)],
    ['readinessVersion', meta.version],
    ...(report.summary.waived ? [['waivedFindings', String(report.summary.waived)]] : []),
    ...(report.summary.expiredWaivers ? [['expiredWaivers', String(report.summary.expiredWaivers)]] : []),
  ];
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="readiness" tests="${n}" failures="${failures}" errors="0" skipped="${skipped}" time="0">`,
    `  <testsuite name="${xmlAttr(suiteName)}" tests="${n}" failures="${failures}" errors="0" skipped="${skipped}" time="0">`,
    '    <properties>',
    ...props.map(([k, v]) => `      <property name="${xmlAttr(k)}" value="${xmlAttr(v)}"/>`),
    '    </properties>',
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}
