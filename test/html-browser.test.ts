/**
 * The HTML report in a real browser: Debian's chromium, headless, with the network off. Renders the
 * page for each example manifest (and one with probe results), checks the DOM holds the expected
 * elements and figures, that no request leaves the page, that it fits an A4 width and prints to PDF,
 * and saves screenshots under test-output/html/ (not committed).
 *
 * Needs chromium: on PATH (chromium, chromium-browser, google-chrome) or CHROMIUM=/path/to/binary. Without it
 * the test is skipped with how to get it (test/helpers/tools.ts); under CI=true npm test fails first.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { examplePage, exampleNames } from '../scripts/docs-html.js';
import { runChecks } from '../src/checks/run.js';
import { parseManifest } from '../src/manifest/load.js';
import { buildModel } from '../src/manifest/model.js';
import { type HtmlProbe, renderHtml } from '../src/report/html.js';
import { fromRoot } from '../src/util/paths.js';
import { findTool, needs, toolPath } from './helpers/tools.js';
import { pageOf, scaledUnparsed } from './helpers/scaled.js';

/** Chromium from $CHROMIUM, else the first of chromium / chromium-browser / google-chrome on PATH (test/helpers/tools.ts). */
export function findChromium(env: NodeJS.ProcessEnv = process.env): string | undefined {
  return findTool('chromium', env);
}

/** Flags on top of Playwright's own (which adds --headless and a fresh temporary --user-data-dir). */
const FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-default-apps',
  '--disable-extensions',
  // nothing resolves: even a request that slipped past the checks below could not reach a host
  '--host-resolver-rules=MAP * ~NOTFOUND',
  '--proxy-server=http://127.0.0.1:9',
];

/** A4 at 96 dpi. */
const A4 = { width: 794, height: 1123 };

interface Expect {
  statuses: Record<string, string>;
  exit: string;
  /** figures that must be in a section's text */
  text: Record<string, string[]>;
}

/** What each example says it must produce (its readiness-expect line) plus figures worked by hand. */
function expectations(name: string): Expect {
  const src = readFileSync(fromRoot('templates', 'examples', `${name}.yaml`), 'utf8');
  const line = /readiness-expect: (.*)/.exec(src)?.[1] ?? '';
  const pairs = Object.fromEntries(line.split(/\s+/).filter(Boolean).map((p) => p.split('=') as [string, string]));
  const { exit, ...statuses } = pairs;
  const text: Record<string, Record<string, string[]>> = {
    compliant: {
      capacity: ['55% of 4,000,000 tpm', '50% of 2,000 rpm', '33.3% of 3,000 rpm'],
      budgets: ['$5,100 of $8,000 (63.75%)', '$3,825 of $6,000 (63.75%)'],
      audit: ['11 of 11 present', 'met: 2,557 ≥ 2,557 days'],
    },
    'incident-1-rate-limit-at-peak': { capacity: ['166.7% of 600 rpm', 'OVER the limit', 'There is no failover chain'] },
    'incident-2-no-team-ceilings': { budgets: ['$16,065 a month, NO budget', '$23,625 of $17,350 (136.17%)'] },
    'incident-3-trace-spans-audit': { audit: ['5 of 11 present', 'SHORT by 2,162 days', 'otel-traces'] },
  };
  return { statuses, exit, text: text[name] ?? {} };
}

/** Runs in the page; passed as source text because the tests compile without DOM types. */
const DOM_PROBE = String.raw`(() => {
  const text = (sel) => (document.querySelector(sel)?.textContent ?? '').replace(/\s+/g, ' ');
  const charts = [...document.querySelectorAll('svg.chart')].map((svg) => {
    const ids = (svg.getAttribute('aria-labelledby') ?? '').split(' ');
    const r = svg.getBoundingClientRect();
    return {
      role: svg.getAttribute('role'),
      name: ids.map((id) => document.getElementById(id)?.textContent ?? '').join(' ').trim(),
      width: r.width,
      height: r.height,
    };
  });
  return {
    h1: text('h1'),
    exit: text('.exit-code'),
    verdict: text('.verdict'),
    rows: [...document.querySelectorAll('table.checks tbody tr')].map((tr) => ({
      id: tr.querySelector('th')?.textContent?.trim() ?? '',
      status: tr.querySelector('.badge')?.textContent?.trim() ?? '',
    })),
    sections: Object.fromEntries([...document.querySelectorAll('main > section')].map((s) => [s.id, (s.textContent ?? '').replace(/\s+/g, ' ')])),
    charts,
    scripts: document.scripts.length,
    resources: performance.getEntriesByType('resource').map((e) => e.name),
    scrollWidth: document.documentElement.scrollWidth,
    rects429: document.querySelectorAll('#probe rect[data-status="429"]').length,
    findings: document.querySelectorAll('#findings li.finding').length,
  };
})()`;

interface DomFacts {
  h1: string;
  exit: string;
  verdict: string;
  rows: Array<{ id: string; status: string }>;
  sections: Record<string, string>;
  charts: Array<{ role: string | null; name: string; width: number; height: number }>;
  scripts: number;
  resources: string[];
  scrollWidth: number;
  rects429: number;
  findings: number;
}

test('the HTML report in headless chromium: content, no network, A4, screenshots', { timeout: 90_000, skip: needs('chromium') }, async () => {
  const exe = toolPath('chromium');
  const out = fromRoot('test-output', 'html');
  mkdirSync(out, { recursive: true });

  const pages: Array<{ name: string; file: string; expect: Expect; probe: boolean }> = exampleNames().map((name) => {
    const file = path.join(out, `${name}.html`);
    writeFileSync(file, examplePage(name).content);
    return { name, file, expect: expectations(name), probe: false };
  });
  {
    const rel = 'templates/examples/compliant.yaml';
    const source = readFileSync(fromRoot(rel), 'utf8');
    const loaded = parseManifest(source, rel);
    const model = buildModel(loaded.manifest);
    const probe = JSON.parse(readFileSync(fromRoot('test', 'fixtures', 'probe', 'burst-20rps-over-15rps-limit-429s.json'), 'utf8')) as HtmlProbe;
    const file = path.join(out, 'compliant-with-probe.html');
    writeFileSync(file, renderHtml(runChecks(loaded, undefined, model), model, { probe, source }));
    pages.push({ name: 'compliant-with-probe', file, expect: expectations('compliant'), probe: true });
  }

  let browser: Browser | undefined;
  try {
    browser = await chromium.launch({ executablePath: exe, headless: true, args: FLAGS, timeout: 30_000 });
    for (const p of pages) {
      const context = await browser.newContext({ viewport: A4, offline: true });
      try {
        const url = pathToFileURL(p.file).href;
        const requests: string[] = [];
        context.on('request', (r) => requests.push(r.url()));
        // anything but the page itself is refused (and recorded above)
        await context.route('**/*', (route) => (route.request().url() === url ? route.continue() : route.abort('blockedbyclient')));
        const page = await context.newPage();
        await page.goto(url, { waitUntil: 'load' });

        const dom = (await page.evaluate(DOM_PROBE)) as DomFacts;

        assert.deepEqual(requests, [url], `${p.name}: only the page itself was requested`);
        assert.deepEqual(dom.resources, [], `${p.name}: no subresource was loaded`);
        assert.equal(dom.scripts, 0, `${p.name}: no scripts`);
        assert.match(dom.h1, /^Go-live readiness: /);
        assert.equal(dom.exit, p.expect.exit, `${p.name}: exit code shown`);
        assert.match(dom.verdict, p.expect.exit === '0' ? /Gate PASSED/ : /Gate FAILED/);
        assert.deepEqual(
          Object.fromEntries(dom.rows.map((r) => [r.id, r.status.toLowerCase()])),
          p.expect.statuses,
          `${p.name}: the five checks with the statuses the example expects`,
        );
        for (const [section, figures] of Object.entries(p.expect.text)) {
          for (const f of figures) assert.ok(dom.sections[section]?.includes(f), `${p.name}: #${section} shows ${f}`);
        }
        assert.deepEqual(Object.keys(dom.sections), ['verdict', 'capacity', 'budgets', 'audit', ...(p.probe ? ['probe'] : []), 'findings']);
        assert.ok(dom.charts.length >= 4, `${p.name}: charts drawn`);
        for (const c of dom.charts) {
          assert.equal(c.role, 'img');
          assert.ok(c.name.length > 20, `${p.name}: chart has an accessible name and description`);
          assert.ok(c.width > 200 && c.width <= A4.width && c.height > 50, `${p.name}: chart ${c.name.slice(0, 40)} laid out at ${c.width}x${c.height}`);
        }
        assert.ok(dom.scrollWidth <= A4.width, `${p.name}: fits an A4 width (scrollWidth ${dom.scrollWidth})`);
        assert.ok(dom.findings >= 5, `${p.name}: findings listed`);
        if (p.probe) {
          assert.equal(dom.rects429, 12, '429s drawn in each of the 12 seconds that had them');
          for (const f of ['59 responses were 429', 'p99 6,200 ms', 'p99 2,100 ms', 'Achieved request rate over time', 'Latency percentiles over time']) {
            assert.ok(dom.sections.probe?.includes(f), `probe section shows ${f}`);
          }
        }

        await page.screenshot({ path: path.join(out, `${p.name}.png`), fullPage: true });
        if (p.name === 'compliant-with-probe') {
          // print: nav hidden, and an A4 PDF comes out
          await page.emulateMedia({ media: 'print' });
          assert.equal(await page.evaluate("getComputedStyle(document.querySelector('nav')).display"), 'none');
          const pdf = await page.pdf({ format: 'A4', printBackground: true, preferCSSPageSize: true });
          writeFileSync(path.join(out, `${p.name}.pdf`), pdf);
          assert.equal(pdf.subarray(0, 5).toString('latin1'), '%PDF-');
          const pageCount = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).length;
          assert.ok(pageCount >= 3 && pageCount <= 20, `printed to ${pageCount} A4 pages`);
        }
        assert.deepEqual(requests, [url], `${p.name}: still only the page itself after screenshot and print`);
      } finally {
        await context.close();
      }
    }
  } finally {
    await browser?.close();
  }
  assert.ok(existsSync(path.join(out, 'compliant.png')));
});

test('the summary page in headless chromium: only the page is requested, it fits an A4 width, and prints to a bounded number of pages', { timeout: 90_000, skip: needs('chromium') }, async () => {
  const out = fromRoot('test-output', 'html');
  mkdirSync(out, { recursive: true });
  const file = path.join(out, 'summary-5000-tenants.html');
  writeFileSync(file, pageOf(scaledUnparsed(5000)));
  const url = pathToFileURL(file).href;
  const browser = await chromium.launch({ executablePath: toolPath('chromium'), headless: true, args: ['--no-sandbox', '--disable-gpu', '--host-resolver-rules=MAP * ~NOTFOUND'], timeout: 30_000 });
  try {
    const context = await browser.newContext({ viewport: { width: 794, height: 1123 }, offline: true });
    const requests: string[] = [];
    context.on('request', (r) => requests.push(r.url()));
    await context.route('**/*', (route) => (route.request().url() === url ? route.continue() : route.abort('blockedbyclient')));
    const page = await context.newPage();
    await page.goto(url, { waitUntil: 'load' });
    const facts = (await page.evaluate(`({
      budgets: document.querySelector('#budgets').textContent.replace(/\\s+/g, ' '),
      scrollWidth: document.documentElement.scrollWidth,
      charts: [...document.querySelectorAll('#budgets svg.chart')].map((c) => c.getBoundingClientRect().width),
    })`)) as { budgets: string; scrollWidth: number; charts: number[] };
    assert.deepEqual(requests, [url], 'only the page itself');
    assert.match(facts.budgets, /This deployment has 5,000 tenants/);
    assert.match(facts.budgets, /Every tenant's row is in tenants\.csv beside this page/);
    assert.equal(facts.charts.length, 2, 'the 10 largest tenants, and the account ceiling on its own');
    for (const w of facts.charts) assert.ok(w > 200 && w <= 794, `chart laid out at ${w}`);
    assert.ok(facts.scrollWidth <= 794, `fits an A4 width (scrollWidth ${facts.scrollWidth})`);
    await page.emulateMedia({ media: 'print' });
    const pdf = await page.pdf({ format: 'A4', printBackground: true, preferCSSPageSize: true });
    const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).length;
    assert.ok(pages >= 3 && pages <= 40, `printed to ${pages} A4 pages`);
    await context.close();
  } finally {
    await browser.close();
  }
});
