import { type LocatedFinding, type Report, reportHeadline } from '../checks/run.js';
import type { Status } from '../checks/types.js';
import { displayStatus } from '../checks/waivers.js';
import { gateVerdict, relativePath } from './common.js';
import type { FormatMeta } from './meta.js';
import { controlsEscaped } from '../util/text.js';

/** GitHub refuses comments over 65,536 characters; stay under this with room for a wrapper. */
export const MARKDOWN_LIMIT = 65_000;

const BADGE: Record<Status | 'waived', string> = { pass: '✅ pass', warn: '⚠️ warn', fail: '❌ fail', waived: '🟡 waived' };

/** Makes text safe inside a Markdown table cell or list item: no pipes breaking cells, no raw HTML, one line. */
export function mdInline(s: string): string {
  // every line break Markdown honours (a bare CR too) becomes a space: one value stays on its line, in its table cell;
  // other control characters and bidi overrides are shown, not passed on
  return (
    controlsEscaped(s.replace(/\r\n|[\r\n\u2028\u2029\u0085]/g, ' '))
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      // Markdown punctuation as literal text: no links, images, emphasis, code spans or strike-through from a value
      .replace(/[\\`*_[\]!~|]/g, (ch) => `\\${ch}`)
      // no @mention from a value (a team named @org/platform would be pinged on every pull request): a
      // zero-width space after @, as Dependabot writes mentions it quotes
      .replace(/@/g, '@&#8203;')
  );
}

const code = (s: string) => `\`${s.replace(/`/g, "'")}\``;

function findingItem(check: string, f: LocatedFinding, manifest: string, cwd: string, root?: string): string {
  const file = f.file ? relativePath(f.file, cwd, root) : manifest;
  const label = f.waived ? `waived ${f.status}` : f.status;
  const lines = [`- **${label.toUpperCase()}** ${code(check)} ${code(`${file}:${f.line}:${f.column}`)}${f.path ? ` ${code(f.path)}` : ''}: ${mdInline(f.message)}`];
  if (f.remediation) lines.push(`  Fix: ${mdInline(f.remediation)}`);
  if (f.waived) lines.push(`  Waived by ${mdInline(f.waived.owner)} until ${f.waived.expires}: ${mdInline(f.waived.reason)}`);
  return lines.join('  \n');
}

/**
 * A summary for a pull-request comment or a GitHub step summary: verdict, one table row per check,
 * findings and waivers folded in <details>. Always under MARKDOWN_LIMIT characters: when the findings
 * do not fit, the rest are left out with a note saying how many.
 */
export function renderMarkdown(report: Report, meta: FormatMeta, limit = MARKDOWN_LIMIT): string {
  const manifest = relativePath(report.manifest, meta.cwd, meta.root);
  const s = report.summary;
  const d = report.deployment;
  const verdict = gateVerdict(report, meta);
  const top = reportHeadline(report);
  const icon = verdict === 'PASSED' ? '✅' : '❌';
  const counts = [`${s.pass} pass`, `${s.warn} warn`, `${s.fail} fail`, ...(s.waived ? [`${s.waived} waived finding(s)`] : []), ...(s.expiredWaivers ? [`${s.expiredWaivers} expired waiver(s)`] : [])];
  const head: string[] = [
    `### ${icon} readiness: ${mdInline(truncate(d.name, 200))}${d.operator || d.environment ? ` (${mdInline(truncate([d.operator, d.environment].filter(Boolean).join(', '), 200))})` : ''}: gate ${verdict}`,
    '',
    `${code(manifest)} · ${report.checks.length} checks: ${counts.join(', ')} · fail on ${meta.failOn} · exit ${meta.exitCode}`,
    '',
    `**${BADGE[top.status]} ${code(top.check)}**: ${mdInline(truncate(top.message, 600))}`,
    ...(top.reliesOnFailover && top.check !== 'rate-limit-sizing' ? ['', `**⚠️ note** ${code('rate-limit-sizing')}: ${mdInline(truncate(top.reliesOnFailover, 600))}`] : []),
    '',
    '| Check | Status | Summary |',
    '| --- | --- | --- |',
    ...report.checks.map((c) => `| ${code(c.id)} | ${BADGE[displayStatus(c)]}${c.waived && displayStatus(c) !== 'waived' ? ` (+${c.waived} waived)` : ''} | ${mdInline(truncate(c.headline, 600))} |`),
    '',
  ];
  const foot = `<sub>readiness ${mdInline(meta.version)} · manifest sha256 ${report.manifestSha256.slice(0, 12)}</sub>\n`;

  const items = report.checks.flatMap((c) => c.findings.filter((f) => f.status !== 'pass').map((f) => findingItem(c.id, f, manifest, meta.cwd, meta.root)));
  const waivers = report.waivers ?? [];
  const waiverRows = waivers.map(
    (w) => `| ${code(w.check)} | ${w.path ? code(w.path) : 'all'} | ${mdInline(w.owner)} | ${w.expires} | ${w.state}${w.matched ? ` (${w.matched})` : ''} | ${mdInline(w.reason)} |`,
  );

  // Fit the folded sections into what is left, leaving room for the truncation notes.
  let budget = limit - [...head, foot].join('\n').length - 600;
  const take = (lines: string[], sep: number): { shown: string[]; left: number } => {
    const shown: string[] = [];
    for (const l of lines) {
      if (l.length + sep > budget) break;
      shown.push(l);
      budget -= l.length + sep;
    }
    return { shown, left: lines.length - shown.length };
  };
  // Waivers are few and matter (an expired one fails the gate): they get their room first, up to half.
  const waiverSection: string[] = [];
  if (waivers.length > 0) {
    budget -= 140;
    const all = budget;
    budget = Math.floor(all / 2);
    const { shown, left } = take(waiverRows, 1);
    budget = all - (Math.floor(all / 2) - budget);
    waiverSection.push(
      `<details><summary>Waivers (${waivers.length}: ${waivers.filter((w) => w.state === 'expired').length} expired)</summary>`,
      '',
      '| Check | Path | Owner | Expires | State | Reason |',
      '| --- | --- | --- | --- | --- | --- |',
      ...shown,
    );
    if (left > 0) waiverSection.push('', `_…and ${left} more waiver(s) not shown._`);
    waiverSection.push('', '</details>', '');
  }
  const out = [...head];
  if (items.length > 0) {
    budget -= 60;
    const { shown, left } = take(items, 2);
    out.push(`<details><summary>Findings (${items.length})</summary>`, '', shown.join('\n\n'));
    if (left > 0) out.push('', `_…and ${left} more finding(s) not shown to keep this comment under ${limit.toLocaleString('en-US')} characters: see the SARIF, JUnit or JSON report, or run \`readiness check ${manifest}\`._`);
    out.push('', '</details>', '');
  }
  out.push(...waiverSection);
  out.push(foot);
  return out.join('\n');
}

function truncate(s: string, n: number): string {
  return s.length <= n ? s : `${s.slice(0, n - 1)}…`;
}
