// check --gateway-config: the deployed gateway config decides where it is weaker than the manifest.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import { ROOT, example, runInProcess } from './helpers/cli.js';
import { reportValidator, sarifValidator } from './helpers/report.js';

const fx = (...p: string[]) => path.relative(ROOT, path.join(ROOT, 'test', 'fixtures', 'drift', ...p)).split(path.sep).join('/');

interface JsonReport {
  checks: Array<{ id: string; status: string; findings: Array<{ status: string; message: string; path: string; file?: string; line: number; decidedBy?: { kind: string; file?: string; line?: number } }> }>;
}

async function checkJson(args: string[], cwd = ROOT): Promise<{ code: number; report: JsonReport; stderr: string }> {
  const r = await runInProcess(['check', example('compliant.yaml'), '--format', 'json', ...args], {}, cwd);
  return { code: r.code, report: JSON.parse(r.stdout) as JsonReport, stderr: r.stderr };
}

const byId = (r: JsonReport, id: string) => r.checks.find((c) => c.id === id)!;

describe('check --gateway-config', () => {
  test('the deployed files that match the manifest change no verdict and add a passing deployed-config', async () => {
    const { code, report } = await checkJson(['--gateway-config', fx('litellm', 'success-hand-written.yaml'), '--gateway-config', fx('litellm', 'success-teams.json'), '--gateway-config', fx('portkey', 'success-portkey.json')]);
    assert.equal(code, 0);
    assert.ok(report.checks.every((c) => c.status === 'pass'));
    assert.ok(report.checks.every((c) => c.findings.every((f) => !f.decidedBy)));
    assert.equal(byId(report, 'deployed-config').status, 'pass');
  });

  test('no fallbacks deployed: failover fails, decided by the deployed config at its line', async () => {
    const file = fx('litellm', 'failure-drift.yaml');
    const { code, report } = await checkJson(['--gateway-config', file]);
    assert.equal(code, 1);
    const f = byId(report, 'failover');
    assert.equal(f.status, 'fail');
    assert.deepEqual([f.findings[0].decidedBy?.kind, f.findings[0].decidedBy?.file, f.findings[0].decidedBy?.line], ['deployed-config', file, 16]);
    assert.match(f.findings[0].message, /deployed LiteLLM config .*has no fallbacks for openai-main/);
    // the drift findings are in the report, located in the deployed file
    const d = byId(report, 'deployed-config');
    assert.equal(d.status, 'fail');
    assert.ok(d.findings.some((x) => x.file === file && x.line === 7 && x.message.startsWith('[limit-drift]')));
  });

  test('a lower deployed rpm: rate-limit-sizing sizes the peak against it', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'readiness-gwc-'));
    try {
      const text = readFileSync(path.join(ROOT, fx('litellm', 'success-hand-written.yaml')), 'utf8').replace('rpm: 2000', 'rpm: 1200').replace('tpm: 4000000', 'tpm: 1500000').replace('tpm: 2000000', 'tpm: 300000');
      await writeFile(path.join(dir, 'litellm.yaml'), text);
      const { report } = await checkJson(['--gateway-config', 'litellm.yaml'], dir);
      const sizing = byId(report, 'rate-limit-sizing');
      assert.notEqual(sizing.status, 'pass');
      const decided = sizing.findings.filter((x) => x.decidedBy);
      assert.ok(decided.length > 0);
      assert.ok(decided.every((x) => x.decidedBy?.kind === 'deployed-config' && x.decidedBy.file === 'litellm.yaml'));
      assert.ok(decided.some((x) => /1,500,000 tpm|1,200 rpm/.test(x.message)), decided.map((x) => x.message).join('\n'));
      // declared alone: the same manifest passes
      const { report: plain } = await checkJson([]);
      assert.equal(byId(plain, 'rate-limit-sizing').status, 'pass');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test('a team without max_budget: budget-ceilings fails for that tenant, decided by the team list', async () => {
    const file = fx('litellm', 'failure-teams.json');
    const { code, report } = await checkJson(['--gateway-config', file]);
    assert.equal(code, 1);
    const b = byId(report, 'budget-ceilings');
    assert.equal(b.status, 'fail');
    const ops = b.findings.find((x) => x.path === 'tenants[1]')!;
    assert.equal(ops.status, 'fail');
    assert.equal(ops.decidedBy?.file, file);
    // research's deployed budget is higher than declared: the declared one still decides
    assert.ok(b.findings.filter((x) => x.path.startsWith('tenants[0]')).every((x) => !x.decidedBy));
  });

  test('the JSON report still validates against the report schema; the SARIF against SARIF 2.1.0', async () => {
    const validate = await reportValidator();
    const r = await runInProcess(['check', example('compliant.yaml'), '--format', 'json', '--gateway-config', fx('litellm', 'failure-drift.yaml')]);
    assert.ok(validate(JSON.parse(r.stdout)), JSON.stringify(validate.errors));
    const s = await runInProcess(['check', example('compliant.yaml'), '--format', 'sarif', '--gateway-config', fx('litellm', 'failure-drift.yaml')]);
    const sarif = JSON.parse(s.stdout);
    assert.equal(sarifValidator()(sarif), true);
    const d = await runInProcess(['drift', example('compliant.yaml'), '--format', 'sarif', '--litellm-config', fx('litellm', 'failure-drift.yaml')]);
    assert.equal(sarifValidator()(JSON.parse(d.stdout)), true);
  });

  for (const format of ['text', 'json', 'sarif', 'markdown', 'github', 'junit', 'html']) {
    test(`--format ${format}: a secret in the deployed file is never printed`, async () => {
      const r = await runInProcess(['check', example('compliant.yaml'), '--format', format, '--gateway-config', fx('litellm', 'failure-literal-secret.yaml'), '--gateway-config', fx('portkey', 'failure-portkey-single.json')]);
      assert.equal(r.code, 1);
      for (const secret of ['AbCdEfGhIjKlMnOpQrStUvWxYz0123456789', 'hunter2', 'sk-master-0123456789']) assert.ok(!r.stdout.includes(secret) && !r.stderr.includes(secret), `${format} printed ${secret}`);
      assert.match(r.stdout, /literal-secret/);
    });
  }

  test('invalid deployed file: exit 2 with file:line:col', async () => {
    const r = await runInProcess(['check', example('compliant.yaml'), '--gateway-config', 'missing.yaml']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^missing\.yaml:1:1: cannot read deployed gateway config file: no such file$/m);
  });
});
