import type { FailOn } from '../checks/run.js';
import { type FigureChange, type ManifestDiff, gateRegressions } from '../diff/diff.js';
import { pct, plain, usd } from '../util/numbers.js';
import { mdInline } from './markdown.js';
import { terminalSafeDeep } from './common.js';

export function formatFigure(v: number | string | null, unit: FigureChange['unit']): string {
  if (v === null) return 'n/a';
  if (typeof v === 'string') return v;
  switch (unit) {
    case 'fraction':
      return pct(v);
    case 'rpm':
      return `${Math.round(v).toLocaleString('en-US')} rpm`;
    case 'usd/month':
      return `${usd(v)}/month`;
    case 'days':
      return `${plain(v)} days`;
    case 'tpm':
      return `${Math.round(v).toLocaleString('en-US')} tpm`;
    case 'tokens':
      return `${Math.round(v).toLocaleString('en-US')} tokens`;
    case 'usd/request':
      return `$${plain(v, 8)}/request`;
    case 'usd/MTok':
      return `$${plain(v, 6)}/MTok`;
    case 'day':
      return `day ${plain(v)}`;
    case 'list':
    case 'text':
      return plain(v);
  }
}

/** worse, better, new (only in head) or gone (only in base). */
export function change(f: FigureChange): string {
  if (f.base === null) return 'new';
  if (f.head === null) return 'gone';
  return f.direction;
}

function figureLine(f: FigureChange): string {
  return `${f.label}: ${formatFigure(f.base, f.unit)} -> ${formatFigure(f.head, f.unit)} (${change(f)})`;
}

/** The gate's verdict line: what trips it follows --fail-on, as for check. */
function verdictLine(d: ManifestDiff, failOn: FailOn): string {
  const gate = gateRegressions(d, failOn);
  const code = gate.length > 0 ? 1 : 0;
  if (gate.length) {
    return failOn === 'warn'
      ? `REGRESSION: ${gate.length} check(s) got worse (${gate.join(', ')}). Exit 1.`
      : `REGRESSION: ${gate.length} check(s) became fail (${gate.join(', ')}). Exit 1.`;
  }
  if (d.regressions.length) return `${d.regressions.length} check(s) got worse (${d.regressions.join(', ')}), none became fail (--fail-on ${failOn}). Exit ${code}.`;
  return `No regression${d.improvements.length ? `; ${d.improvements.length} check(s) got better (${d.improvements.join(', ')})` : ''}. Exit ${code}.`;
}

/** The diff for a terminal or a log: verdict changes, moved numbers, and the verdict. */
export function renderDiffText(unsafe: ManifestDiff, failOn: FailOn = 'fail'): string {
  const d = terminalSafeDeep(unsafe);
  const lines = [`readiness diff: ${d.base.label} -> ${d.head.label}`, ''];
  const changed = d.checks.filter((c) => c.direction !== 'same');
  lines.push(changed.length ? 'Checks that changed verdict:' : 'No check changed verdict.');
  for (const c of changed) lines.push(`  ${c.direction === 'worse' ? 'WORSE ' : 'BETTER'}  ${c.id}: ${c.base} -> ${c.head}  ${c.headline}`);
  lines.push('');
  lines.push(d.figures.length ? 'Numbers that moved:' : 'No key number moved.');
  for (const f of d.figures) lines.push(`  ${figureLine(f)}`);
  lines.push('');
  lines.push(verdictLine(d, failOn));
  return `${lines.join('\n')}\n`;
}

/** Keeps the comment far under GitHub's 65,536 characters even when thousands of tenants move. */
export const MAX_FIGURE_ROWS = 200;

const ICON: Record<string, string> = { pass: '✅ pass', warn: '⚠️ warn', fail: '❌ fail', waived: '🟡 waived' };

/** The diff for a PR comment. */
export function renderDiffMarkdown(d: ManifestDiff, failOn: FailOn = 'fail'): string {
  const gate = gateRegressions(d, failOn);
  const title = gate.length
    ? `❌ readiness diff: ${gate.length} check(s) ${failOn === 'warn' ? 'got worse' : 'became fail'}`
    : d.regressions.length
      ? `⚠️ readiness diff: ${d.regressions.length} check(s) got worse, none became fail`
      : '✅ readiness diff: no regression';
  const out = [
    `### ${title}`,
    '',
    `\`${mdInline(d.base.label)}\` → \`${mdInline(d.head.label)}\``,
    '',
    '| Check | Base | Head | Change |',
    '| --- | --- | --- | --- |',
    ...d.checks.map((c) => `| \`${c.id}\` | ${ICON[c.base]} | ${ICON[c.head]} | ${c.direction === 'same' ? '' : c.direction === 'worse' ? '**worse**' : 'better'} |`),
    '',
  ];
  if (d.figures.length) {
    out.push('| Number | Base | Head | Change |', '| --- | --- | --- | --- |');
    const shown = d.figures.slice(0, MAX_FIGURE_ROWS);
    for (const f of shown) out.push(`| ${mdInline(f.label)} | ${formatFigure(f.base, f.unit)} | ${formatFigure(f.head, f.unit)} | ${f.direction === 'worse' ? '**worse**' : change(f)} |`);
    if (d.figures.length > shown.length) out.push('', `_…and ${d.figures.length - shown.length} more number(s) moved: run \`readiness diff\` for all of them._`);
  } else {
    out.push('No key number moved.');
  }
  out.push('', mdInline(verdictLine(d, failOn)));
  const worse = d.checks.filter((c) => c.direction === 'worse');
  if (worse.length) {
    out.push('', '<details><summary>What got worse</summary>', '', ...worse.map((c) => `- \`${c.id}\`: ${mdInline(c.headline)}`), '', '</details>');
  }
  return `${out.join('\n')}\n`;
}

export function renderDiffJson(d: ManifestDiff, exitCode: number, failOn: FailOn = 'fail'): string {
  return `${JSON.stringify({ ...d, failOn, exitCode }, null, 2)}\n`;
}
