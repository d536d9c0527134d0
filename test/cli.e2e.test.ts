// The built CLI as a user runs it: node bin/readiness.js ...
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import _Ajv2020 from 'ajv/dist/2020.js';
import { CHECKS } from '../src/checks/catalogue.js';
import { ROOT, example, runBin, runInProcess } from './helpers/cli.js';

const Ajv2020 = _Ajv2020.default;
const ESC = '\u001b[';

describe('readiness CLI, end to end', () => {
  test('--version prints the package version', async () => {
    const r = await runBin(['--version']);
    const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
    assert.equal(r.code, 0);
    assert.equal(r.stdout.trim(), pkg.version);
  });
  test('--help lists the commands and the exit codes', async () => {
    const r = await runBin(['--help']);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /check \[options\] \[manifest\]/);
    assert.match(r.stdout, /schema/);
    assert.match(r.stdout, /Exit codes:\n\s+0 [\s\S]*\n\s+1 [\s\S]*\n\s+2 .*\n\s+3 /);
  });
  test('check on the compliant example exits 0 with a PASS line per check', async () => {
    const r = await runBin(['check', 'templates/examples/compliant.yaml']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal((r.stdout.match(/^  PASS  /gm) ?? []).length, CHECKS.length);
    assert.match(r.stdout, /Gate PASSED \(exit 0\)/);
    assert.equal(r.stderr, '');
  });
  test('check on an incident exits 1 and names the failing checks with their numbers', async () => {
    const r = await runBin(['check', 'templates/examples/incident-1-rate-limit-at-peak.yaml']);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /FAIL  rate-limit-sizing\s+peak 1000 rpm uses 166\.7%/);
    assert.match(r.stdout, /FAIL  failover/);
    assert.match(r.stdout, /templates\/examples\/incident-1-rate-limit-at-peak\.yaml:25:19  providers\[0\]\.limits\.rpm/);
  });
  test('--format json is valid against schemas/report.schema.json and carries the evidence', async () => {
    const schema = JSON.parse(readFileSync(path.join(ROOT, 'schemas', 'report.schema.json'), 'utf8'));
    const validate = new Ajv2020({ strict: false }).compile(schema);
    for (const f of ['compliant.yaml', 'incident-1-rate-limit-at-peak.yaml', 'incident-2-no-team-ceilings.yaml', 'incident-3-trace-spans-audit.yaml']) {
      const r = await runBin(['check', `templates/examples/${f}`, '--format', 'json']);
      const json = JSON.parse(r.stdout) as { exitCode: number; checks: unknown[] };
      assert.ok(validate(json), JSON.stringify(validate.errors));
      assert.equal(json.exitCode, r.code);
      assert.equal(json.checks.length, CHECKS.length);
    }
    const r = await runBin(['check', 'templates/examples/compliant.yaml', '--format', 'json']);
    const rl = JSON.parse(r.stdout).checks.find((c: { id: string }) => c.id === 'rate-limit-sizing');
    assert.deepEqual(rl.findings[0].evidence.utilization, 0.55);
    assert.equal(rl.findings[0].evidence.boundBy, 'tpm');
  });
  test('the JSON report is byte-identical across runs', async () => {
    const a = await runBin(['check', 'templates/examples/incident-2-no-team-ceilings.yaml', '--format', 'json']);
    const b = await runBin(['check', 'templates/examples/incident-2-no-team-ceilings.yaml', '--format', 'json']);
    assert.equal(a.stdout, b.stdout);
  });
  test('--fail-on warn turns a warning into a failed gate', async () => {
    const ok = await runInProcess(['check', example('incident-3-trace-spans-audit.yaml')]);
    assert.equal(ok.code, 1);
    const dir = mkdtempSync(path.join(tmpdir(), 'readiness-warn-'));
    const f = path.join(dir, 'readiness.yaml');
    copyFileSync(example('compliant.yaml'), f);
    // the compliant example has no warnings: --fail-on warn still passes
    assert.equal((await runInProcess(['check', f, '--fail-on', 'warn'])).code, 0);
  });
  test('the manifest defaults to ./readiness.yaml', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'readiness-default-'));
    copyFileSync(example('compliant.yaml'), path.join(dir, 'readiness.yaml'));
    const r = await runBin(['check'], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /readiness\.yaml/);
  });
  test('no colour when stdout is not a terminal, colour with FORCE_COLOR, none with NO_COLOR', async () => {
    const plain = await runBin(['check', 'templates/examples/compliant.yaml'], { env: { NO_COLOR: '' } });
    assert.ok(!plain.stdout.includes(ESC));
    const forced = await runBin(['check', 'templates/examples/compliant.yaml'], { env: { FORCE_COLOR: '1' } });
    assert.ok(forced.stdout.includes(ESC));
    const inProc = await runInProcess(['check', example('compliant.yaml')], { NO_COLOR: '1' });
    assert.ok(!inProc.stdout.includes(ESC));
  });
  test('readiness schema prints the manifest schema; --report the report schema', async () => {
    const r = await runBin(['schema']);
    assert.equal(r.code, 0);
    assert.deepEqual(JSON.parse(r.stdout), JSON.parse(readFileSync(path.join(ROOT, 'schemas', 'manifest.schema.json'), 'utf8')));
    const rep = await runBin(['schema', '--report']);
    assert.equal(JSON.parse(rep.stdout).title, 'readiness check report (JSON)');
  });
  test('--format html=FILE writes the same self-contained page as the library renders', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'readiness-html-'));
    const out = path.join(dir, 'review.html');
    const r = await runBin(['check', 'templates/examples/compliant.yaml', '--format', `html=${out}`, '--format', 'text']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /wrote html report to/);
    const page = readFileSync(out, 'utf8');
    assert.equal(page, readFileSync(path.join(ROOT, 'docs', 'examples', 'compliant.html'), 'utf8'));
  });
  test('a reader that closes the pipe early (| head) gets no stack trace', async () => {
    const { spawn } = await import('node:child_process');
    const child = spawn(process.execPath, [path.join(ROOT, 'bin', 'readiness.js'), 'explain', 'rate-limit-sizing'], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.destroy();
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    assert.doesNotMatch(stderr, /EPIPE|\n\s+at /);
    assert.ok(code === 0 || code === 1, `exit ${code}`);
  });
  test('an unknown command is a usage error with a suggestion', async () => {
    const r = await runBin(['chek']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /Did you mean check\?/);
  });
});
