// Every kind of credential, in every place and format: flagged by kind, never echoed.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { stringify } from 'yaml';
import { secretKind, secretKindUnder } from '../src/util/secrets.js';
import { runInProcess } from './helpers/cli.js';
import { base, setPath, unsetPath } from './helpers/manifest.js';

// built at run time so no scanner mistakes this file for a leak
const KINDS: Array<{ kind: string; value: string; fragment: string }> = [
  { kind: 'Anthropic API key', value: 'sk-ant-' + 'api03-' + 'R2D2C3P0beepBOOPbuzzWHIRR0123456789', fragment: 'beepBOOPbuzzWHIRR' },
  { kind: 'Stripe secret key', value: 'sk_' + 'live_' + '51HqLyjWDarjtT1zdp7dc9x', fragment: 'HqLyjWDarjtT1zdp7' },
  { kind: 'Hugging Face token', value: 'hf_' + 'aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789', fragment: 'HiJkLmNoPqRsTuV' },
  { kind: 'JSON Web Token', value: 'eyJhbGciOiJIUzI1NiJ9' + '.eyJzdWIiOiJyZWFkaW5lc3MifQ.c2lnbmF0dXJlLWhlcmU', fragment: 'eyJzdWIiOiJyZWFkaW5lc3MifQ' },
  { kind: 'AWS secret access key', value: 'aws_secret_access_key=' + 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', fragment: 'K7MDENG/bPxRfiCY' },
  { kind: 'Basic credentials', value: 'Basic ' + Buffer.from('admin:hunter2-correct-horse').toString('base64'), fragment: Buffer.from('admin:hunter2-correct-horse').toString('base64').slice(4, 20) },
  { kind: 'credentials in a URL', value: 'https://admin:' + 'S3cretPassw0rd@' + 'proxy.example.com/', fragment: 'S3cretPassw0rd' },
];

const dirs: string[] = [];
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('secret kinds', () => {
  test('each kind is recognised and labelled right; ordinary words are not', () => {
    for (const k of KINDS) assert.equal(secretKind(k.value), k.kind, k.kind);
    assert.equal(secretKindUnder('awsSecretAccessKey', 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'), 'AWS secret access key');
    for (const ok of ['Basic plan tier', 'basic authentication', 'https://proxy.example.com/v1', 'team@example.com', 'hf_model', 'sk_live']) assert.equal(secretKind(ok), undefined, ok);
  });

  for (const k of KINDS) {
    test(`${k.kind} in the manifest: a located failure by kind, absent from every format and message`, async () => {
      const d = mkdtempSync(path.join(tmpdir(), 'readiness-secret-'));
      dirs.push(d);
      const m = base('compliant');
      setPath(m, 'metadata.owner', k.value);
      writeFileSync(path.join(d, 'readiness.yaml'), stringify(m));
      const fmts = ['json', 'sarif', 'junit', 'markdown', 'html', 'github'].map((f) => ['--format', `${f}=r.${f}`]).flat();
      const r = await runInProcess(['check', 'readiness.yaml', '--format', 'text', ...fmts, '--verbose'], {}, d);
      assert.equal(r.code, 1, r.stderr);
      assert.match(r.stdout, new RegExp(`a literal ${k.kind} is written in the manifest`));
      const all = [r.stdout, r.stderr, ...readdirSync(d).filter((f) => f.startsWith('r.')).map((f) => readFileSync(path.join(d, f), 'utf8'))];
      for (const text of all) assert.ok(!text.includes(k.fragment), `${k.kind} echoed`);
    });
  }

  for (const field of ['probe.target', 'gateway.endpoint']) {
    test(`a password in the URL userinfo of ${field} fails no-literal-secrets and is never printed; check --probe refuses to probe it, unechoed`, async () => {
      const d = mkdtempSync(path.join(tmpdir(), 'readiness-secret-'));
      dirs.push(d);
      const m = base('compliant');
      setPath(m, field, 'http://admin:S3cretPassw0rd@127.0.0.1:9/v1');
      // the probe takes probe.target, else gateway.endpoint: without probe.target the endpoint is the one probed
      if (field === 'gateway.endpoint') unsetPath(m, 'probe.target');
      writeFileSync(path.join(d, 'readiness.yaml'), stringify(m));
      const r = await runInProcess(['check', 'readiness.yaml', '--format', 'html=r.html'], {}, d);
      assert.equal(r.code, 1, r.stderr);
      // no --target: the manifest's URL, secret and all, is the probe's target
      const p = await runInProcess(['check', 'readiness.yaml', '--probe', '--probe-out', 'p.json', '--format', 'json=r.json', '--cold-connections', '0', '--duration', '1'], {}, d);
      assert.equal(p.code, 2, p.stderr);
      assert.match(p.stderr, /the probe target holds a credential \(credentials in a URL; not shown\)/);
      assert.equal(existsSync(path.join(d, 'p.json')), false, 'no probe JSON');
      assert.equal(existsSync(path.join(d, 'r.json')), false, 'no report');
      const probe = await runInProcess(['probe', 'readiness.yaml', '--format', 'text', '--cold-connections', '0', '--duration', '1'], {}, d);
      assert.equal(probe.code, 2, probe.stderr);
      for (const text of [r.stdout, r.stderr, readFileSync(path.join(d, 'r.html'), 'utf8'), p.stdout, p.stderr, probe.stdout, probe.stderr]) assert.ok(!text.includes('S3cretPassw0rd'), `${field} echoed: ${text.slice(0, 300)}`);
    });
  }

  test('a key in --target is refused without being echoed; no probe JSON is written', async () => {
    const d = mkdtempSync(path.join(tmpdir(), 'readiness-secret-'));
    dirs.push(d);
    writeFileSync(path.join(d, 'readiness.yaml'), stringify(base('compliant')));
    for (const target of ['http://user:S3cretPassw0rd@127.0.0.1:9', `http://127.0.0.1:9/v1?key=${KINDS[0].value}`]) {
      const r = await runInProcess(['probe', 'readiness.yaml', '--target', target, '--out', 'p.json', '--format', 'json'], {}, d);
      assert.equal(r.code, 2);
      assert.match(r.stderr, /the probe target holds a credential/);
      assert.ok(!(r.stdout + r.stderr).includes('S3cretPassw0rd') && !(r.stdout + r.stderr).includes(KINDS[0].fragment));
      assert.equal(existsSync(path.join(d, 'p.json')), false);
    }
  });
});
