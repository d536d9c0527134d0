import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { stringify } from 'yaml';
import { runChecks } from '../../src/checks/run.js';
import { applyWaivers } from '../../src/checks/waivers.js';
import { parseManifest } from '../../src/manifest/load.js';
import { MARKDOWN_LIMIT, mdInline, renderMarkdown } from '../../src/report/markdown.js';
import { example } from '../helpers/cli.js';
import { base } from '../helpers/manifest.js';
import { meta, reportOf } from '../helpers/report.js';

/** A manifest with `n` tenants, none with a team or a budget: three findings each. */
function manyTenants(n: number) {
  const m = base('compliant');
  m.tenants = Array.from({ length: n }, (_, i) => ({ id: `tenant-${String(i).padStart(5, '0')}`, dailyRequests: 100 }));
  return runChecks(parseManifest(stringify(m), 'many-tenants.yaml'));
}

describe('markdown', () => {
  it('a summary table with one row per check and the verdict', async () => {
    const report = await reportOf(example('incident-1-rate-limit-at-peak.yaml'));
    const md = renderMarkdown(report, meta({ exitCode: 1 }));
    assert.match(md, /gate FAILED/);
    for (const c of report.checks) assert.match(md, new RegExp(`^\\| \`${c.id}\` \\| .*(pass|fail|warn)`, 'm'));
    assert.match(md, /<details><summary>Findings \(2\)<\/summary>/);
    assert.match(md, /Fix: Raise azure-gpt4o's limit/);
  });

  it('a clean manifest: passed, no findings section', async () => {
    const md = renderMarkdown(await reportOf(example('compliant.yaml')), meta());
    assert.match(md, /✅ readiness: contract-review-agent.*gate PASSED/);
    assert.doesNotMatch(md, /<details>/);
  });

  it('stays under 65,000 characters with thousands of tenants, and says what it left out', () => {
    const report = manyTenants(3000);
    const findings = report.checks.reduce((s, c) => s + c.findings.filter((f) => f.status !== 'pass').length, 0);
    assert.ok(findings > 6000, `expected thousands of findings, got ${findings}`);
    const md = renderMarkdown(report, meta({ exitCode: 1 }));
    assert.ok(md.length < MARKDOWN_LIMIT, `${md.length} characters`);
    assert.ok(md.length > MARKDOWN_LIMIT - 5000, 'uses the room it has');
    const shown = (md.match(/^- \*\*/gm) ?? []).length;
    const note = /…and (\d+) more finding\(s\) not shown/.exec(md);
    assert.ok(note, 'a truncation note');
    assert.equal(shown + Number(note[1]), findings, 'shown + left out = all findings');
    assert.match(md, /<\/details>/, 'the folded section is closed');
    for (const c of report.checks) assert.match(md, new RegExp(`\\| \`${c.id}\` \\|`), 'every check keeps its table row');
  });

  it('thousands of tenants with a waiver each: still under the limit, with waivers and findings both shown in part', () => {
    const report = manyTenants(2000);
    const waivers = Array.from({ length: 2000 }, (_, i) => ({
      check: 'budget-ceilings',
      path: `tenants[${i}]`,
      reason: 'budgets arrive with the Q1 finance plan',
      owner: 'finance-ops',
      expires: i % 2 ? '2026-12-31' : '2026-01-31',
      file: 'many-tenants.yaml',
      line: 100 + i,
      column: 5,
    }));
    const md = renderMarkdown(applyWaivers(report, waivers, '2026-11-27'), meta({ exitCode: 1 }));
    assert.ok(md.length < MARKDOWN_LIMIT, `${md.length}`);
    assert.match(md, /<details><summary>Waivers \(2000: 1000 expired\)<\/summary>/);
    assert.match(md, /…and \d+ more waiver\(s\) not shown/);
    assert.match(md, /…and \d+ more finding\(s\) not shown/);
    assert.ok((md.match(/^\| `budget-ceilings` \| `tenants\[/gm) ?? []).length > 100, 'a fair share of waiver rows');
    assert.ok((md.match(/^- \*\*/gm) ?? []).length > 100, 'a fair share of findings');
  });

  it('honours a smaller limit exactly', () => {
    const md = renderMarkdown(manyTenants(50), meta({ exitCode: 1 }), 5000);
    assert.ok(md.length < 5000, `${md.length}`);
    assert.match(md, /more finding\(s\) not shown to keep this comment under 5,000 characters/);
  });

  it('table cells cannot be broken by pipes, newlines or HTML', () => {
    assert.equal(mdInline('a | b\nc <details>'), 'a \\| b c &lt;details&gt;');
  });

  it('a value is literal text: no bare-CR line breaks, links, images, emphasis or entities; controls shown', () => {
    assert.equal(mdInline('prod\r# injected\r| a | b |'), 'prod # injected \\| a \\| b \\|');
    assert.equal(mdInline('![x](https://evil/p.png) [l](https://evil) **b** _i_ ~~s~~ `c`'), '\\!\\[x\\](https://evil/p.png) \\[l\\](https://evil) \\*\\*b\\*\\* \\_i\\_ \\~\\~s\\~\\~ \\`c\\`');
    assert.equal(mdInline('R&amp;D'), 'R&amp;amp;D', 'a literal &amp; shows as written');
    assert.equal(mdInline('owner @acme/platform-team'), 'owner @&#8203;acme/platform-team', 'no mention, no ping');
    assert.equal(mdInline('a\u001b[31mb\u2028c'), 'a\\\\u001b\\[31mb c');
  });

  it('the heading stays bounded however long the deployment name: the comment stays under the limit', () => {
    const m = base('compliant') as { metadata: Record<string, string> };
    m.metadata.name = 'n'.repeat(100_000);
    m.metadata.operator = 'o'.repeat(100_000);
    const md = renderMarkdown(runChecks(parseManifest(stringify(m), 'long.yaml')), meta());
    assert.ok(md.length < MARKDOWN_LIMIT, `${md.length}`);
    assert.match(md, /^### ✅ readiness: n{199}… \(o{199}…\): gate PASSED/);
  });
});
