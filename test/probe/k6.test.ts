import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import ts from 'typescript';
import { stringify } from 'yaml';
import { runChecks } from '../../src/checks/run.js';
import { buildModel } from '../../src/manifest/model.js';
import { fromK6Summary, k6Script } from '../../src/probe/k6.js';
import { buildPlan } from '../../src/probe/plan.js';
import { packageRoot } from '../../src/util/paths.js';
import { runInProcess } from '../helpers/cli.js';
import { base, patched } from '../helpers/manifest.js';

function tmp(t: { after: (fn: () => void) => void }): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'readiness-k6-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Type-checks a k6 script (plain JS) against @types/k6, as the k6 docs suggest for editor checking. */
function typeCheck(file: string): string[] {
  const program = ts.createProgram([file], {
    allowJs: true,
    checkJs: true,
    noEmit: true,
    strict: true,
    noImplicitAny: false,
    target: ts.ScriptTarget.ES2020,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    lib: ['lib.es2020.d.ts'],
    types: ['k6'],
    typeRoots: [path.join(packageRoot, 'node_modules', '@types')],
  });
  return ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n') + (d.file && d.start !== undefined ? ` (${path.basename(d.file.fileName)}:${d.file.getLineAndCharacterOfPosition(d.start).line + 1})` : ''));
}

test('probe --export-k6 writes a k6 script that type-checks against @types/k6 and passes node --check; nothing is sent', async (t) => {
  const dir = tmp(t);
  const file = path.join(dir, 'readiness.yaml');
  // the target is a closed port: exporting must not connect
  const m = base('compliant');
  (m.probe as Record<string, unknown>).target = 'http://127.0.0.1:9/v1';
  writeFileSync(file, stringify(m));
  const out = path.join(dir, 'probe.k6.js');
  const r = await runInProcess(['probe', file, '--export-k6', out]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /nothing was sent/);
  const script = readFileSync(out, 'utf8');
  assert.match(script, /executor: 'constant-arrival-rate'/);
  assert.match(script, /steady_duration: \['p\(99\)<=8000'\]/);
  assert.match(script, /steady_failed: \['rate<=0.01'\]/);
  assert.match(script, /xk6-sse/);
  assert.match(script, /k6 operator on Kubernetes/);
  assert.doesNotMatch(script, /authorization": /i);
  assert.deepEqual(typeCheck(out), []);
  // its own syntax check: k6 is not installable here; the script is plain ES-module JavaScript, so node parses it
  const mjs = path.join(dir, 'probe.k6.mjs');
  copyFileSync(out, mjs);
  execFileSync(process.execPath, ['--check', mjs]);
  // deterministic
  const again = path.join(dir, 'again.js');
  assert.equal((await runInProcess(['probe', file, '--export-k6', again])).code, 0);
  assert.equal(readFileSync(again, 'utf8'), script);
});

test('the type-check can fail: a script misusing k6/http is reported', (t) => {
  const dir = tmp(t);
  const bad = path.join(dir, 'bad.js');
  writeFileSync(bad, "import http from 'k6/http';\nexport default function () { http.post(42, 'x', { headers: 7 }); }\n");
  assert.ok(typeCheck(bad).length > 0);
});

test('a k6 summary folds into the checks like our own probe: 429s at the peak fail, a short run is inconclusive', () => {
  const loaded = patched({});
  const model = buildModel(loaded.manifest);
  const plan = buildPlan(model);
  assert.match(k6Script(plan, { manifest: 'x.yaml', maxErrorRate: 0.01 }), /handleSummary/);
  const summary = {
    source: 'k6 run',
    target: plan.target,
    peakRpm: 1000,
    targetRps: 16.667,
    achievedRps: 16.5,
    minAchievedFraction: 0.98,
    phases: [{ name: 'steady', targetRps: 16.667, durationSeconds: 30, sent: 495, responses: 495, achievedRps: 16.5, statuses: { '429': 12 }, errors: 0, errorRate: 0.024, count429: 12, p50: 900, p90: 1500, p99: 2600, max: 3100 }],
  };
  const ev = fromK6Summary(summary, 'k6.json');
  assert.equal(ev.inconclusive, false);
  const rls = runChecks(loaded, undefined, model, ev).checks.find((c) => c.id === 'rate-limit-sizing')!;
  assert.ok(rls.findings.some((f) => f.status === 'fail' && /12 of 495 responses .* were 429/.test(f.message)));
  assert.equal(fromK6Summary({ ...summary, achievedRps: 16 }, 'k6.json').inconclusive, true);
  assert.throws(() => fromK6Summary({ ...summary, phases: 'x' }, 'k6.json'), /k6\.json: not a readiness k6 summary \(phases is not a list\)/);
});
