import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { CHECKS } from '../src/checks/catalogue.js';
import { projectTenant } from '../src/checks/budget-ceilings.js';
import { runChecks } from '../src/checks/run.js';
import { type LoadedManifest, parseManifest } from '../src/manifest/load.js';
import { buildModel } from '../src/manifest/model.js';
import { type HtmlOptions, type HtmlProbe, renderHtml } from '../src/report/html.js';
import { QUOTE_MAX, quoteWindow } from '../src/report/html-findings.js';
import { fromRoot } from '../src/util/paths.js';
import { example } from './helpers/cli.js';
import { type Patch, patched } from './helpers/manifest.js';

export const PROBE_FIXTURE = fromRoot('test', 'fixtures', 'probe', 'burst-20rps-over-15rps-limit-429s.json');
export const loadProbeFixture = (): HtmlProbe => JSON.parse(readFileSync(PROBE_FIXTURE, 'utf8')) as HtmlProbe;

function page(loaded: LoadedManifest, opts: HtmlOptions = {}): string {
  const model = buildModel(loaded.manifest);
  return renderHtml(runChecks(loaded, undefined, model), model, opts);
}
function load(name: string): LoadedManifest {
  const file = example(`${name}.yaml`);
  return parseManifest(readFileSync(file, 'utf8'), `templates/examples/${name}.yaml`);
}
const pageOf = (name: string, opts: HtmlOptions = {}) => page(load(name), opts);
const pageWith = (p: Patch, opts: HtmlOptions = {}) => page(patched(p), opts);

/** The text of one section (between its opening tag and the next section), tags stripped. */
function sectionText(html: string, id: string): string {
  const start = html.indexOf(`<section id="${id}"`);
  assert.ok(start >= 0, `section ${id} present`);
  const end = html.indexOf('</section>', start);
  return html
    .slice(start, end)
    .replace(/<[^>]+>/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');
}

const EXAMPLES = ['compliant', 'incident-1-rate-limit-at-peak', 'incident-2-no-team-ceilings', 'incident-3-trace-spans-audit'];

/** Tags the renderer may emit; anything else in the output came from input that escaped escaping. */
const ALLOWED_TAGS = new Set(
  'html head meta title style body header h1 h2 h3 h4 p code nav ul li a main section div span strong table caption thead tbody tr th td svg defs pattern rect line circle path text g desc figure figcaption dl dt dd br article pre details summary footer'.split(' '),
);

describe('html report: self-contained and safe', () => {
  test('escapes every manifest string: no injected tag survives, the text is shown escaped', () => {
    const evil = '<script>alert(1)</script>';
    const loaded = patched(
      {
        set: {
          'metadata.name': evil,
          'metadata.operator': '"><img src=x onerror=alert(1)>',
          'metadata.environment': "</style><script>alert('e')</script>",
          'providers[0].model': `gpt-4o${evil}`,
          'tenants[0].team': `</title>${evil}`,
          'audit.businessObject': `<svg onload=alert(1)>&amp;`,
        },
      },
      `evil${evil}.yaml`,
    );
    const html = page(loaded, { source: `# ${evil}\n${readFileSync(example('compliant.yaml'), 'utf8')}`, toolVersion: `1.0${evil}` });
    const tags = new Set([...html.matchAll(/<([a-zA-Z][\w-]*)/g)].map((m) => m[1].toLowerCase()));
    for (const t of tags) assert.ok(ALLOWED_TAGS.has(t), `unexpected <${t}> in output`);
    assert.doesNotMatch(html, /<script/i);
    assert.doesNotMatch(html, /<img/i);
    assert.doesNotMatch(html, /<[a-zA-Z][^>]*\son[a-z]+=/i, 'no event-handler attribute inside any tag');
    assert.match(html, /<h1>Go-live readiness: &lt;script&gt;alert\(1\)&lt;\/script&gt;<\/h1>/);
    assert.match(html, /&lt;svg onload=alert\(1\)&gt;&amp;amp;/);
    assert.match(html, /evil&lt;script&gt;alert\(1\)&lt;\/script&gt;\.yaml:\d+:\d+/);
  });

  test('fetches nothing: no src attribute, only in-page links, a CSP that forbids every fetch', () => {
    for (const name of EXAMPLES) {
      const html = pageOf(name, { probe: loadProbeFixture() });
      assert.doesNotMatch(html, /\ssrc=/i, name);
      assert.doesNotMatch(html, /<link\b/i, name);
      assert.doesNotMatch(html, /@import/i, name);
      for (const m of html.matchAll(/\shref="([^"]*)"/g)) assert.ok(m[1].startsWith('#'), `${name}: href ${m[1]}`);
      for (const m of html.matchAll(/url\(([^)]*)\)/g)) assert.ok(m[1].startsWith('#'), `${name}: url(${m[1]})`);
      assert.match(html, /<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">/);
      assert.doesNotMatch(html, /<script/i);
    }
  });

  test('is the library API: renderHtml is exported from the package entry', async () => {
    const lib = await import('../src/index.js');
    assert.equal(lib.renderHtml, renderHtml);
  });

  test('is deterministic: same input, same bytes, no timestamp', () => {
    for (const name of EXAMPLES) {
      const a = pageOf(name, { probe: loadProbeFixture(), toolVersion: '0.1.0' });
      const b = pageOf(name, { probe: loadProbeFixture(), toolVersion: '0.1.0' });
      assert.equal(a, b, name);
      assert.doesNotMatch(a, /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/, name);
      assert.doesNotMatch(a, /NaN|Infinity|undefined|\[object /, name);
    }
  });

  test('every chart has a title, a description and an accessible name; ids are unique', () => {
    const html = pageOf('compliant', { probe: loadProbeFixture() });
    const ids = [...html.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]);
    assert.equal(new Set(ids).size, ids.length, 'ids unique');
    const charts = [...html.matchAll(/<svg class="chart" role="img" aria-labelledby="([^"]+) ([^"]+)"[^>]*><title id="([^"]+)">([^<]+)<\/title><desc id="([^"]+)">([^<]+)<\/desc>/g)];
    const all = html.match(/<svg class="chart"/g) ?? [];
    assert.equal(charts.length, all.length, 'every chart svg opens with role, title and desc');
    // capacity rpm + tpm, budget bars, 2 tenant cards, retention, probe rate, status, latency, cold/steady
    assert.equal(charts.length, 10);
    for (const c of charts) {
      assert.equal(c[1], c[3]);
      assert.equal(c[2], c[5]);
      assert.ok(c[4].trim().length > 10 && c[6].trim().length > 20, `chart ${c[4]} has a real title and description`);
    }
    // decorative svgs are hidden from assistive technology
    const others = [...html.matchAll(/<svg class="(icon|swatch|defs)"[^>]*>/g)];
    assert.ok(others.length > 0);
    for (const o of others) assert.match(o[0], /aria-hidden="true"/);
  });

  test('status is carried by words and icons, not colour alone; charts have data tables', () => {
    const html = pageOf('incident-1-rate-limit-at-peak');
    for (const m of html.matchAll(/<span class="badge (pass|warn|fail)"><svg[^>]*>.*?<\/svg>([^<]+)<\/span>/g)) {
      assert.ok(m[2].trim().length > 0, 'badge has a word');
    }
    assert.match(html, /<span class="badge fail">.*?FAIL<\/span>/);
    assert.match(sectionText(html, 'capacity'), /OVER the limit/);
    const dataTables = html.match(/<caption>[^<]*data behind the chart/g) ?? [];
    assert.equal(dataTables.length, 3, 'capacity, budgets and retention each have a data table');
  });

  test('prints on A4: @page size and print rules are inline', () => {
    const html = pageOf('compliant');
    assert.match(html, /@page \{ size: A4;/);
    assert.match(html, /@media print \{/);
    assert.match(html, /break-inside: avoid/);
  });
});

describe('html report: verdict', () => {
  test('compliant: gate passed, exit 0, every check listed', () => {
    const html = pageOf('compliant');
    const v = sectionText(html, 'verdict');
    assert.match(v, /Gate PASSED : readiness check exits 0 \. 6 checks: 6 pass, 0 warn, 0 fail/);
    assert.equal((html.match(/<tr class="pass"><th scope="row"><a href="#check-/g) ?? []).length, CHECKS.length);
  });

  test('an incident: gate failed, exit 1, failing checks marked', () => {
    const html = pageOf('incident-1-rate-limit-at-peak');
    assert.match(sectionText(html, 'verdict'), /Gate FAILED : readiness check exits 1 \. 6 checks: 4 pass, 0 warn, 2 fail/);
    assert.match(html, /<tr class="fail"><th scope="row"><a href="#check-rate-limit-sizing">/);
    assert.match(html, /<tr class="fail"><th scope="row"><a href="#check-failover">/);
  });

  test('--fail-on warn: a warning fails the gate and the page says why', () => {
    const p: Patch = { set: { 'budgets.onExceeded': 'alert-only' } };
    assert.match(sectionText(pageWith(p), 'verdict'), /Gate PASSED : readiness check exits 0/);
    const v = sectionText(pageWith(p, { failOn: 'warn' }), 'verdict');
    assert.match(v, /Gate FAILED : readiness check exits 1 \(failing on warnings too: --fail-on warn\)/);
    assert.match(v, /5 pass, 1 warn, 0 fail/);
  });

  test('--soft-fail: a failed gate still reads FAILED, marked as not enforced, like every other format', () => {
    const v = sectionText(pageOf('incident-1-rate-limit-at-peak', { exitCode: 0, softFail: true }), 'verdict');
    assert.match(v, /Gate FAILED \(soft-fail: reported, not enforced\)/);
    assert.doesNotMatch(v, /Gate PASSED/);
  });

  test('an explicit exit code is shown as given', () => {
    assert.match(sectionText(pageOf('compliant', { exitCode: 3 }), 'verdict'), /exits 3/);
  });
});

describe('html report: capacity', () => {
  test('compliant: each provider and the combined chain against rpm and tpm, 60% and 100% lines', () => {
    const html = pageOf('compliant');
    const c = sectionText(html, 'capacity');
    assert.match(c, /Peak 1,000 rpm \(stated peakRpm, 17:00-19:00 operator time\) × 2,200 tokens per request = 2,200,000 tpm/);
    assert.match(c, /50% of 2,000 rpm within the 60% headroom/);
    assert.match(c, /55% of 4,000,000 tpm within the 60% headroom/);
    assert.match(c, /110% of 2,000,000 tpm OVER the limit/);
    assert.match(c, /failover chain combined openai-main \+ anthropic-backup 33\.3% of 3,000 rpm/);
    assert.match(c, /36\.7% of 6,000,000 tpm/);
    assert.match(c, /2,727 rpm/, 'chain capacity at request size (capacityRpm)');
    assert.equal((html.match(/class="ref">60% headroom<\/text>/g) ?? []).length, 2, '60% line on the rpm and tpm charts');
    assert.equal((html.match(/class="ref">100% limit<\/text>/g) ?? []).length, 2, '100% line on the rpm and tpm charts');
  });

  test('incident 1: 166.7% of the only provider, and no chain to fall back on', () => {
    const c = sectionText(pageOf('incident-1-rate-limit-at-peak'), 'capacity');
    assert.match(c, /4 × the 250 rpm average/);
    assert.match(c, /166\.7% of 600 rpm OVER the limit/);
    assert.match(c, /90% of 2,000,000 tpm above 60%: needs burst handling/);
    assert.match(c, /There is no failover chain/);
    assert.doesNotMatch(c, /failover chain combined/);
  });

  test('far over the limit: the bar is clipped at 300% with a break mark, the text keeps the real figure', () => {
    const html = pageWith({ set: { 'traffic.peakRpm': 20000 } });
    assert.match(sectionText(html, 'capacity'), /1000% of 2,000 rpm OVER the limit/);
    assert.ok((html.match(/class="break"/g) ?? []).length >= 2);
    assert.doesNotMatch(html, /NaN|Infinity/);
  });

  test('failover not automatic on 429: the chain is drawn but said to add no capacity', () => {
    const c = sectionText(pageWith({ set: { 'routing.failover.onStatus': [500, 502] } }), 'capacity');
    assert.match(c, /NOT automatic on 429: adds no capacity at peak/);
  });

  test('a provider without limits and a missing peak are said, not drawn', () => {
    const c = sectionText(pageWith({ unset: ['providers[1].limits'] }), 'capacity');
    assert.match(c, /anthropic-backup failover target 1 · anthropic no rpm limit declared capacity unknown/);
    assert.match(c, /failover chain combined openai-main \+ anthropic-backup 50% of 2,000 rpm within the 60% headroom; 1 without a rpm limit/);
    const none = sectionText(pageWith({ unset: ['traffic.peakRpm'] }), 'capacity');
    assert.match(none, /No peak is stated/);
  });
});

describe('html report: budgets', () => {
  test('compliant: projected month against budget with the 70% line; nobody crosses this month', () => {
    const html = pageOf('compliant');
    const b = sectionText(html, 'budgets');
    assert.match(b, /research: \$5,100 of \$8,000 \(63\.75%\), below the 70% alert all month/);
    assert.match(b, /operations: \$3,825 of \$6,000 \(63\.75%\)/);
    assert.match(b, /all tenants: \$8,925 of \$16,000 \(55\.78%\)/);
    assert.match(b, /research 20,000 \$0\.0085 \$170 \$5,100 \$8,000 63\.75% not within 30 days not within 30 days/);
    assert.match(b, /research stays below the 70% alert \(\$5,600\) all month/);
    assert.match(b, /not within 30 days/);
    assert.equal((html.match(/class="mark-70"><title>/g) ?? []).length, 3, 'a 70% tick on each of the 3 rows');
  });

  test('the days each tenant crosses 70% and 100% are projectTenant\'s', () => {
    // research: 40,000 requests a day x $0.0085 = $340/day; 70% of $8,000 on day 17, $8,000 on day 24
    const loaded = patched({ set: { 'tenants[0].dailyRequests': 40000 } });
    const model = buildModel(loaded.manifest);
    const p = projectTenant(model.tenants[0], model.alertAtFraction);
    assert.equal(p.alertDay, 17);
    assert.equal(p.exhaustedDay, 24);
    const b = sectionText(page(loaded), 'budgets');
    assert.match(b, /research reaches the 70% alert on day 17 and exhausts its \$8,000 budget on day 24/);
    assert.match(b, /research: \$10,200 of \$8,000 \(127\.5%\), OVER budget: runs out on day 24/);
    assert.match(b, /research 40,000 \$0\.0085 \$340 \$10,200 \$8,000 127\.5% day 17 day 24/);
    assert.match(b, /70% on day 17/);
    assert.match(b, /100% on day 24/);
  });

  test('between 70% and 100%: the alert day, and the budget is not exhausted', () => {
    // 30,000 x 0.0085 = $255/day, $7,650 a month = 95.6%; 70% ($5,600) on day 22
    const b = sectionText(pageWith({ set: { 'tenants[0].dailyRequests': 30000 } }), 'budgets');
    assert.match(b, /research: \$7,650 of \$8,000 \(95\.63%\), alert fires on day 22/);
    assert.match(b, /research reaches the 70% alert on day 22 and stays within its \$8,000 budget/);
  });

  test('incident 2: tenants without a budget, and the account ceiling overrun', () => {
    const b = sectionText(pageOf('incident-2-no-team-ceilings'), 'budgets');
    assert.match(b, /batch-jobs team data-science \$16,065 a month, NO budget no ceiling: nothing stops it/);
    assert.match(b, /all tenants: \$23,625 of \$17,350 \(136\.17%\), OVER the account ceiling: reached on day 23/);
    assert.match(b, /all tenants \(account ceiling\) 43,750 \$787\.5 \$23,625 \$17,350 136\.17% day 16 day 23/);
    assert.match(b, /batch-jobs has no budget/);
    assert.match(b, /alert-only/);
  });

  test('no tenants: said plainly', () => {
    assert.match(sectionText(pageWith({ unset: ['tenants'] }), 'budgets'), /No tenants are declared/);
  });
});

describe('html report: audit', () => {
  test('compliant: 11 of 11 fields present, 2557 days against each framework', () => {
    const a = sectionText(pageOf('compliant'), 'audit');
    assert.match(a, /Required audit fields: 11 of 11 present/);
    assert.match(a, /output present output_sha256/);
    assert.match(a, /sec-17a-4 SEC Rule 17a-4: 6 years 2,192 days minimum met: 2,557 ≥ 2,192 days/);
    assert.match(a, /sox: 2,557 days minimum, met: 2,557 ≥ 2,557 days/);
    assert.match(a, /sox 2,557 days SEC Release 33-8180 \(Reg S-X 2-06\): 7 years 2,557 days met/);
  });

  test('incident 3: missing fields named, retention short of hipaa', () => {
    const html = pageOf('incident-3-trace-spans-audit');
    const a = sectionText(html, 'audit');
    assert.match(a, /Required audit fields: 5 of 11 present/);
    for (const f of ['use_case_id', 'business_object_id', 'agent_version', 'prompt_version', 'confidence']) {
      assert.match(a, new RegExp(`${f} MISSING`), f);
    }
    assert.match(a, /output MISSING output or output_sha256/);
    assert.match(a, /hipaa 45 CFR 164\.316\(b\)\(2\)\(i\): 6 years 2,192 days minimum SHORT by 2,162 days/);
    assert.match(a, /Sink otel-traces/);
    assert.match(a, /Write-once no/);
  });

  test('PCI DSS adds its four fields; an unregulated operator needs none', () => {
    const a = sectionText(pageWith({ set: { 'operator.frameworks': ['pci-dss'] } }), 'audit');
    assert.match(a, /Required audit fields: 11 of 15 present/);
    assert.match(a, /actor_id MISSING/);
    assert.match(sectionText(pageOf('incident-2-no-team-ceilings'), 'audit'), /No audit log is required for an unregulated operator/);
  });
});

describe('html report: probe', () => {
  test('absent: no probe section, and the page says so', () => {
    const html = pageOf('compliant');
    assert.doesNotMatch(html, /<section id="probe"/);
    assert.match(html, /No burst-load probe results are included/);
  });

  test('present: rate, status codes with the 429s visible, latency percentiles, cold vs steady p99', () => {
    const probe = loadProbeFixture();
    const html = pageOf('compliant', { probe });
    const s = sectionText(html, 'probe');
    assert.match(s, /target 20 requests\/s , achieved 19\.93\/s \(99\.6%\); 59 responses were 429/);
    assert.match(s, /Achieved request rate over time/);
    assert.match(s, /Response status codes over time/);
    assert.match(s, /Latency percentiles over time/);
    assert.match(s, /First-request p99 against steady p99/);
    assert.match(s, /first requests cold start p99 6,200 ms within the 8,000 ms SLO/);
    assert.match(s, /steady state after warm-up p99 2,100 ms within the 8,000 ms SLO/);
    assert.match(s, /Responses 429 59/);
    assert.match(s, /Responses 503 1/);
    const seconds429 = probe.timeline.filter((x) => (x.byStatus['429'] ?? 0) > 0).length;
    assert.equal(seconds429, 12);
    assert.equal((html.match(/data-status="429"/g) ?? []).length, seconds429);
    assert.match(html, /fill="url\(#hatch-429\)" data-status="429"/, '429s are hatched, not only coloured');
    assert.match(html, /<details><summary>Per-second data \(30 seconds\)<\/summary>/);
  });

  test('an empty timeline and unmeasured percentiles render without a chart error', () => {
    const probe: HtmlProbe = { targetRps: 10, achievedRps: 0, timeline: [] };
    const s = sectionText(pageOf('compliant', { probe }), 'probe');
    assert.match(s, /achieved 0\/s \(0%\); no 429 responses/);
    assert.match(s, /No per-second data/);
    assert.doesNotMatch(pageOf('compliant', { probe }), /NaN|Infinity|undefined/);
  });

  test('a cold p99 over the SLO is said in words', () => {
    const probe = { ...loadProbeFixture(), coldP99Ms: 9000 };
    assert.match(sectionText(pageOf('compliant', { probe }), 'probe'), /p99 9,000 ms OVER the 8,000 ms SLO/);
  });
});

describe('html report: findings', () => {
  test('a quoted manifest line that looks like it holds a credential is not shown', () => {
    const loaded = load('compliant');
    const key = 'sk-proj-abcdefghijklmnopqrstuvwxyz012345';
    const lines = loaded.source.split('\n');
    const model = buildModel(loaded.manifest);
    const report = runChecks(loaded, undefined, model);
    const at = report.checks[0].findings[0].line;
    lines[at - 1] = `${lines[at - 1]}  # old key ${key}`;
    const html = renderHtml(report, model, { source: lines.join('\n') });
    assert.ok(!html.includes(key));
    assert.match(html, new RegExp(`<span class="ln">${at}</span> \\(line not shown: it looks like it holds a credential, OpenAI-style API key\\)`));
  });

  test('a manifest written as one-line JSON: each finding quotes a window of the line at its column, not the whole file; a credential anywhere on the line still hides it', () => {
    const m = patched({}).manifest;
    const src = JSON.stringify(m);
    const loaded = parseManifest(src, 'm.json');
    const model = buildModel(loaded.manifest);
    const report = runChecks(loaded, undefined, model);
    const html = renderHtml(report, model, { source: src });
    const quotes = [...html.matchAll(/<pre class="source"><code><span class="ln">(\d+)<\/span> ([^<]*)<\/code><\/pre>/g)];
    assert.ok(quotes.length >= 3, `${quotes.length} quotes`);
    for (const [, line, text] of quotes) {
      assert.equal(line, '1');
      // QUOTE_MAX characters and the two ellipses at most (entities aside)
      assert.ok(text.replace(/&[a-z]+;|&#\d+;/g, 'x').length <= QUOTE_MAX + 2, text);
    }
    // the window is at the finding: its key is in it
    const located = report.checks.flatMap((c) => c.findings).filter((x) => x.path);
    assert.ok(located.length >= 3);
    for (const f of located) {
      const last = String(f.path).split(/[.[\]]/).filter(Boolean).pop()!;
      if (!/^\d+$/.test(last)) assert.ok(src.slice(f.column - 1 - 40, f.column - 1 + 120).includes(last) || quoteWindow(src, f.column).includes(last), `${f.path} at column ${f.column}`);
    }
    // a credential far from every window, on the same one line: no quote at all
    const key = 'sk-proj-abcdefghijklmnopqrstuvwxyz012345';
    const withKey = src.replace('"metadata":{', `"metadata":{"owner":"${key}",`);
    const secretHtml = renderHtml(report, model, { source: withKey });
    assert.ok(!secretHtml.includes(key));
    assert.ok(!secretHtml.includes('sk-proj-'));
    assert.match(secretHtml, /<span class="ln">1<\/span> \(line not shown: it looks like it holds a credential, OpenAI-style API key\)/);
  });

  test('quoteWindow: short lines whole; long lines cut at the column with an ellipsis on each cut side, never inside a surrogate pair', () => {
    assert.equal(quoteWindow('  rpm: 10   ', 3), '  rpm: 10');
    const long = 'a'.repeat(1000);
    assert.equal(quoteWindow(long, 1), `${'a'.repeat(QUOTE_MAX)}…`);
    assert.equal(quoteWindow(long, 1000), `…${'a'.repeat(QUOTE_MAX)}`);
    const mid = quoteWindow(long, 500);
    assert.equal(mid, `…${'a'.repeat(QUOTE_MAX)}…`);
    const emoji = '😀'.repeat(500);
    for (const col of [1, 2, 41, 42, 43, 500, 999]) {
      const w = quoteWindow(emoji, col).replace(/…/g, '');
      assert.ok(!/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(w), `column ${col}`);
    }
  });

  test('every finding with its remediation and its manifest line', () => {
    for (const name of EXAMPLES) {
      const loaded = load(name);
      const model = buildModel(loaded.manifest);
      const report = runChecks(loaded, undefined, model);
      const html = renderHtml(report, model, { source: loaded.source });
      const f = sectionText(html, 'findings');
      for (const c of report.checks) {
        for (const x of c.findings) {
          assert.ok(f.includes(`${report.manifest}:${x.line}:${x.column}`), `${name}: location of ${x.message}`);
          assert.ok(f.includes(x.message.replace(/\s+/g, ' ')), `${name}: ${x.message}`);
          if (x.remediation) assert.ok(f.includes(`Fix: ${x.remediation}`), `${name}: fix for ${x.message}`);
          if (x.path) {
            const line = loaded.source.split('\n')[x.line - 1].trim().replace(/\s+/g, ' ');
            assert.ok(f.includes(`${x.line} ${line}`), `${name}: quoted line ${x.line}`);
          }
        }
      }
    }
  });
});
