/** The go-live page's findings: every finding of every check with its fix, its location and the manifest line quoted. */
import type { LocatedFinding, Report } from '../checks/run.js';
import { int } from '../util/numbers.js';
import { secretKind } from '../util/secrets.js';
import { TENANTS_CSV } from './csv-tenants.js';
import { badge } from './html-parts.js';
import { esc } from './html-svg.js';

/** The most of a manifest line quoted under a finding; a longer line (a manifest written as one-line JSON) shows a window at the finding's column. */
export const QUOTE_MAX = 160;

/** The part of a line quoted under a finding: all of it, or QUOTE_MAX characters from a little before the column, marked where cut. */
export function quoteWindow(text: string, column: number): string {
  const line = text.trimEnd();
  if (line.length <= QUOTE_MAX) return line;
  let from = Math.max(0, Math.min(column - 1 - 40, line.length - QUOTE_MAX));
  let to = from + QUOTE_MAX;
  // never cut a character written as two UTF-16 units in half
  if (isLowSurrogate(line.charCodeAt(from))) from++;
  if (isLowSurrogate(line.charCodeAt(to))) to--;
  return `${from > 0 ? '…' : ''}${line.slice(from, to)}${to < line.length ? '…' : ''}`;
}

const isLowSurrogate = (c: number) => c >= 0xdc00 && c <= 0xdfff;

/** Per line, whether it looks like it holds a credential: judged on the whole line (never on the window alone, which could show part of one), once a line. */
type SecretCache = Map<number, string | undefined>;

function findingItem(report: Report, f: LocatedFinding, lines: string[] | undefined, secrets: SecretCache): string {
  const where = `${report.manifest}:${f.line}:${f.column}`;
  const text = lines && f.path ? lines[f.line - 1] : undefined;
  // never echo a credential, even one pasted into a comment
  let kind: string | undefined;
  if (text !== undefined) {
    if (!secrets.has(f.line)) secrets.set(f.line, secretKind(text));
    kind = secrets.get(f.line);
  }
  const shown = kind ? `(line not shown: it looks like it holds a credential, ${kind})` : text !== undefined ? quoteWindow(text, f.column) : undefined;
  const quote = shown !== undefined ? `<pre class="source"><code><span class="ln">${esc(f.line)}</span> ${esc(shown)}</code></pre>` : '';
  return `<li class="finding ${f.status}">
<p class="finding-head">${badge(f.status)} <span class="finding-msg">${esc(f.message)}</span></p>
${f.remediation ? `<p class="fix"><strong>Fix:</strong> ${esc(f.remediation)}</p>\n` : ''}<p class="where">Manifest: <code class="loc">${esc(where)}</code>${f.path ? ` · <code>${esc(f.path)}</code>` : ''}</p>
${quote}</li>`;
}

const RANK: Record<LocatedFinding['status'], number> = { fail: 0, warn: 1, pass: 2 };

/**
 * Every check's findings; with `cap` (the summary page, many tenants) at most `cap` per check, the
 * failing first, then the warning, and a line saying how many more there are and where they are.
 */
export function findingsSection(report: Report, source: string | undefined, cap?: number): string {
  const lines = source?.split(/\r?\n/);
  const secrets: SecretCache = new Map();
  const parts = report.checks.map((c) => {
    const shown = cap === undefined || c.findings.length <= cap ? c.findings : [...c.findings].sort((a, b) => RANK[a.status] - RANK[b.status]).slice(0, cap);
    const rest = c.findings.length - shown.length;
    const more =
      rest > 0
        ? `\n<li class="more"><p><strong>${esc(int(rest))} more findings</strong> of this check are not shown: every finding is in the JSON report (<code>--format json</code>), and each tenant's worst in <code>${esc(TENANTS_CSV)}</code>.</p></li>`
        : '';
    const items = shown.map((f) => findingItem(report, f, lines, secrets)).join('\n') + more;
    return `<article id="check-${esc(c.id)}" class="check ${c.status}" aria-labelledby="check-${esc(c.id)}-h">
<h3 id="check-${esc(c.id)}-h">${badge(c.status)} ${esc(c.id)}: ${esc(c.title)}</h3>
<ul class="findings">
${items}
</ul>
</article>`;
  });
  return `<section id="findings" aria-labelledby="findings-h">\n<h2 id="findings-h">Findings and remediation</h2>\n${parts.join('\n')}\n</section>`;
}
