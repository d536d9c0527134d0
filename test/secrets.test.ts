// A literal credential pasted anywhere in a manifest fails no-literal-secrets at its location, and
// its value never appears in any report format, any message or any generated file.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import { stringify } from 'yaml';
import { runChecks } from '../src/checks/run.js';
import { auditSchemaGenerator } from '../src/generate/audit-schema.js';
import { litellmGenerator } from '../src/generate/litellm.js';
import { portkeyGenerator } from '../src/generate/portkey.js';
import { buildModel } from '../src/manifest/model.js';
import { parseManifest } from '../src/manifest/load.js';
import { runInProcess } from './helpers/cli.js';
import { base, setPath } from './helpers/manifest.js';

export const SECRETS = {
  openai: 'sk-proj-Zx9' + 'Kq2Lm4Np6Rs8Tu0Vw1Xy3Za5',
  aws: 'AKIA' + 'QWERTYUIOPASDFGH',
  bearer: 'Bearer ' + 'eyJhbGciOiJIUzI1NiJ9.payload.sig',
  pem: '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----',
};
/** Fragments that must never be printed: the distinctive middle of each secret. */
const FRAGMENTS = ['Kq2Lm4Np6Rs8Tu0Vw1Xy3Za5', 'QWERTYUIOPASDFGH', 'eyJhbGciOiJIUzI1NiJ9', 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASC'];

export function manifestWithSecrets(): string {
  const m = base('compliant');
  setPath(m, 'metadata.owner', SECRETS.openai);
  setPath(m, 'metadata.name', `agent ${SECRETS.bearer}`);
  setPath(m, 'providers[1].model', SECRETS.aws);
  setPath(m, 'tenants[0].useCases', ['batch-analysis', SECRETS.pem]);
  setPath(m, 'audit.businessObject', SECRETS.openai);
  return stringify(m);
}

function assertClean(text: string, where: string): void {
  for (const f of FRAGMENTS) assert.ok(!text.includes(f), `${where} leaks a secret fragment ${f.slice(0, 6)}...`);
}

describe('literal secrets', () => {
  const src = manifestWithSecrets();
  test('each is a located failure of no-literal-secrets, naming the kind only', () => {
    const loaded = parseManifest(src, 'secrets.yaml');
    const check = runChecks(loaded).checks.find((c) => c.id === 'no-literal-secrets');
    assert.ok(check);
    assert.equal(check.status, 'fail');
    const where = check.findings.map((f) => `${f.path}@${f.line}`).sort();
    assert.equal(where.length, 5, where.join(', '));
    assert.deepEqual(check.findings.map((f) => f.path).sort(), ['audit.businessObject', 'metadata.name', 'metadata.owner', 'providers[1].model', 'tenants[0].useCases[1]']);
    assert.ok(check.findings.some((f) => f.message.includes('OpenAI-style API key')));
    for (const f of check.findings) assert.ok(f.line > 1);
  });
  test('the loaded manifest holds placeholders, never the values', () => {
    assertClean(JSON.stringify(parseManifest(src, 'secrets.yaml').manifest), 'the loaded manifest');
    assertClean(JSON.stringify(parseManifest(src, 'secrets.yaml', { exact: true }).manifest), 'the loaded manifest (exact path)');
  });
  test('no generated file contains them', () => {
    const loaded = parseManifest(src, 'secrets.yaml');
    const ctx = { model: buildModel(loaded.manifest), manifestFile: 'secrets.yaml', manifestSha256: loaded.sha256, toolVersion: '0' };
    for (const g of [litellmGenerator, portkeyGenerator, auditSchemaGenerator]) {
      for (const f of g(ctx)) assertClean(f.content, f.path);
    }
  });
  test('no report format contains them, on stdout or stderr', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'readiness-secrets-'));
    const file = path.join(dir, 'secrets.yaml');
    writeFileSync(file, src);
    for (const format of ['text', 'json']) {
      const r = await runInProcess(['check', file, '--format', format, '--verbose']);
      assert.equal(r.code, 1);
      assertClean(r.stdout + r.stderr, `--format ${format}`);
    }
  });
  test('a secret that makes the manifest invalid is not echoed in the error either', async () => {
    const m = base('compliant');
    setPath(m, 'providers[0].apiKeyEnv', SECRETS.openai);
    setPath(m, 'operator.industry', SECRETS.aws);
    const dir = mkdtempSync(path.join(tmpdir(), 'readiness-secrets-'));
    const file = path.join(dir, 'bad.yaml');
    writeFileSync(file, stringify(m));
    const r = await runInProcess(['check', file]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /apiKeyEnv holds what looks like a literal OpenAI-style API key/);
    assert.match(r.stderr, /operator\.industry: <redacted AWS access key id> is not one of/);
    assertClean(r.stdout + r.stderr, 'the error output');
  });
  test('a key pasted as a provider id is not echoed by the cross-reference errors either', () => {
    const m = base('compliant');
    const id = 'sk-proj-' + 'kq2lm4np6rs8tu0vw1xy3za5';
    setPath(m, 'providers[1].id', id);
    setPath(m, 'routing.failover.targets', [id.replace(/5$/, '6')]);
    assert.throws(
      () => parseManifest(stringify(m), 'm.yaml'),
      (e: Error) => /no provider has id <redacted OpenAI-style API key>/.test(e.message) && !e.message.includes('kq2lm4np6rs8tu0vw1xy3za'),
    );
  });
});
