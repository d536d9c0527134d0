// Every format tells one story: for every example and every edge-case fixture, text, JSON, Markdown,
// JUnit, SARIF, GitHub annotations and HTML give each check the same status, carry the finding that
// decides it (its message, with its figures), and name the same worst check on their top line.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { parse } from 'yaml';
import { type Report, gateExitCode, runChecks } from '../../src/checks/run.js';
import { parseManifest, type LoadedManifest } from '../../src/manifest/load.js';
import { buildModel } from '../../src/manifest/model.js';
import { annotations } from '../../src/report/github.js';
import { renderHtml } from '../../src/report/html.js';
import { renderJson } from '../../src/report/json.js';
import { renderJunit } from '../../src/report/junit.js';
import { mdInline, renderMarkdown } from '../../src/report/markdown.js';
import { toSarif } from '../../src/report/sarif.js';
import { renderText } from '../../src/report/text.js';
import type { FormatMeta } from '../../src/report/formats.js';
import { ROOT } from '../helpers/cli.js';
import { type Patch, patched } from '../helpers/manifest.js';

type S = 'pass' | 'warn' | 'fail';

function cases(): Array<{ name: string; loaded: () => LoadedManifest }> {
  const out: Array<{ name: string; loaded: () => LoadedManifest }> = [];
  const ex = path.join(ROOT, 'templates', 'examples');
  for (const f of readdirSync(ex).sort()) {
    out.push({ name: `example ${f}`, loaded: () => parseManifest(readFileSync(path.join(ex, f), 'utf8'), `templates/examples/${f}`) });
  }
  const fx = path.join(ROOT, 'test', 'fixtures', 'checks');
  for (const dir of readdirSync(fx).sort()) {
    for (const f of readdirSync(path.join(fx, dir)).sort()) {
      out.push({ name: `fixture ${dir}/${f}`, loaded: () => patched(parse(readFileSync(path.join(fx, dir, f), 'utf8')) as Patch, 'readiness.yaml') });
    }
  }
  return out;
}

const escHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
const unXml = (s: string) => s.replace(/&#10;/g, '\n').replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

function statusesFrom(report: Report, meta: FormatMeta, loaded: LoadedManifest) {
  const ids = report.checks.map((c) => c.id);
  const text = renderText(report, { exitCode: meta.exitCode });
  const json = JSON.parse(renderJson(report, meta)) as { checks: Array<{ id: string; status: S; headline: string }>; headline: { check: string; message: string } };
  const md = renderMarkdown(report, meta);
  const junit = renderJunit(report, meta);
  const sarif = toSarif(report, meta);
  const gh = annotations(report, meta);
  const model = buildModel(loaded.manifest);
  const html = renderHtml(report, model, { exitCode: meta.exitCode });
  const rank = { pass: 0, warn: 1, fail: 2 } as const;
  const out: Record<string, Record<string, S>> = { text: {}, json: {}, markdown: {}, junit: {}, sarif: {}, github: {}, html: {} };
  for (const id of ids) {
    const t = new RegExp(`^  (PASS|WARN|FAIL)\\s+${id}\\s`, 'm').exec(text);
    out.text[id] = (t?.[1].toLowerCase() ?? '?') as S;
    out.json[id] = json.checks.find((c) => c.id === id)?.status as S;
    const m = new RegExp(`^\\| \`${id}\` \\| \\S+ (pass|warn|fail) \\|`, 'm').exec(md);
    out.markdown[id] = (m?.[1] ?? '?') as S;
    const tc = new RegExp(`<testcase classname="readiness\\.${id}"[^>]*?(/>|>([\\s\\S]*?)</testcase>)`).exec(junit);
    const body = tc?.[2] ?? '';
    const failure = /<failure type="(\w+)"/.exec(body)?.[1];
    out.junit[id] = (failure ?? (body.includes('[WARN]') ? 'warn' : 'pass')) as S;
    const levels = sarif.runs[0].results.filter((r) => r.ruleId === id).map((r) => (r.level === 'error' ? 'fail' : r.level === 'warning' ? 'warn' : 'pass') as S);
    out.sarif[id] = levels.reduce<S>((w, l) => (rank[l] > rank[w] ? l : w), 'pass');
    const anns = gh.filter((a) => a.title === `readiness ${id}` || a.title.startsWith(`readiness ${id}:`)).map((a) => (a.level === 'error' ? 'fail' : a.level === 'warning' ? 'warn' : 'pass') as S);
    out.github[id] = anns.reduce<S>((w, l) => (rank[l] > rank[w] ? l : w), 'pass');
    const h = new RegExp(`<tr class="(pass|warn|fail)"><th scope="row"><a href="#check-${id}">`).exec(html);
    out.html[id] = (h?.[1] ?? '?') as S;
  }
  return { out, text, json, md, junit, sarif, gh, html };
}

describe('every format agrees on every status and deciding figure', () => {
  for (const c of cases()) {
    test(c.name, () => {
      const loaded = c.loaded();
      const report = runChecks(loaded);
      const meta: FormatMeta = { version: '0.0.0', failOn: 'fail', exitCode: gateExitCode(report), cwd: ROOT };
      const { out, text, json, md, junit, sarif, gh, html } = statusesFrom(report, meta, loaded);
      const truth = Object.fromEntries(report.checks.map((r) => [r.id, r.status]));
      for (const [format, got] of Object.entries(out)) assert.deepEqual(got, truth, `${format} statuses`);
      for (const r of report.checks) {
        // the deciding finding, with its figures, in every format that shows it
        const line = new RegExp(`^  (PASS|WARN|FAIL)\\s+${r.id}\\s+(.*)$`, 'm').exec(text)?.[2] ?? '';
        assert.equal(line, r.headline, `text headline of ${r.id}`);
        assert.equal(json.checks.find((x) => x.id === r.id)?.headline, r.headline);
        assert.ok(md.includes(mdInline(r.headline).slice(0, 300)), `markdown carries the headline of ${r.id}`);
        assert.ok(html.includes(escHtml(r.headline)), `html carries the headline of ${r.id}`);
        if (r.status === 'pass') continue;
        const sarifText = sarif.runs[0].results.filter((x) => x.ruleId === r.id).map((x) => x.message.text);
        assert.ok(sarifText.some((t) => t.startsWith(r.headline)), `sarif carries the deciding finding of ${r.id}`);
        assert.ok(gh.some((a) => a.message.startsWith(r.headline) && a.title.includes(r.id)), `github carries the deciding finding of ${r.id}`);
        if (r.status === 'fail') {
          const msg = new RegExp(`<testcase classname="readiness\\.${r.id}"[^>]*>\\s*<failure type="fail" message="([^"]*)"`).exec(junit)?.[1] ?? '';
          assert.ok(unXml(msg).startsWith(r.headline), `junit failure of ${r.id} starts with its headline`);
        }
      }
      // one worst check on every top line
      const top = json.headline;
      const worst = report.checks.find((x) => x.id === top.check);
      assert.ok(worst && worst.headline === top.message);
      assert.ok(report.checks.every((x) => ({ pass: 0, warn: 1, fail: 2 })[x.status] <= ({ pass: 0, warn: 1, fail: 2 })[worst.status]));
      assert.equal(text.split('\n')[1], `${worst.status.toUpperCase()} ${top.check}: ${top.message}`);
      assert.ok(md.includes(`\`${top.check}\`**: ${mdInline(top.message).slice(0, 300)}`), 'markdown top line');
      assert.ok(html.includes(`<p class="headline">`) && html.includes(`<a href="#check-${top.check}"><code>${top.check}</code></a>: ${escHtml(top.message)}`), 'html top line');
    });
  }
  test('a primary carried only by failover says so on the top line of text, Markdown and HTML', () => {
    const loaded = patched({ set: { 'traffic.peakRpm': 2500, 'traffic.averageRpm': 600, 'tenants[1].budget.monthlyUsd': 5500 } }, 'readiness.yaml');
    const report = runChecks(loaded);
    const meta: FormatMeta = { version: '0.0.0', failOn: 'fail', exitCode: gateExitCode(report), cwd: ROOT };
    const { text, md, html, json } = statusesFrom(report, meta, loaded);
    assert.equal(json.headline.check, 'budget-ceilings');
    assert.match(text.split('\n')[2], /^NOTE rate-limit-sizing: relies on failover at every peak: peak 2500 rpm uses 137\.5% of openai-main's tpm limit/);
    assert.match(md, /⚠️ note\*\* `rate-limit-sizing`: relies on failover at every peak/);
    assert.match(html, /rate-limit-sizing<\/code><\/a>: relies on failover at every peak/);
  });
});
