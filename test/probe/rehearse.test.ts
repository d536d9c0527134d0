import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { stringify } from 'yaml';
import { portkeyConfig } from '../../src/generate/portkey.js';
import { buildModel } from '../../src/manifest/model.js';
import { rewireConfig } from '../../src/rehearse/run.js';
import { runBin } from '../helpers/cli.js';
import { base, patched, setPath } from '../helpers/manifest.js';

test('rewireConfig points each target at its mock, speaking OpenAI, and keeps fallback and retry', () => {
  const model = buildModel(patched({}).manifest);
  const c = rewireConfig(portkeyConfig(model, []), ['http://127.0.0.1:1/v1', 'http://127.0.0.1:2/v1']) as any;
  assert.deepEqual(c.strategy, { mode: 'fallback', on_status_codes: [429, 500, 502, 503, 504] });
  assert.deepEqual(
    c.targets.map((t: any) => [t.provider, t.custom_host, t.api_key]),
    [
      ['openai', 'http://127.0.0.1:1/v1', 'rehearsal-key'],
      ['openai', 'http://127.0.0.1:2/v1', 'rehearsal-key'],
    ],
  );
  assert.equal(c.targets[0].retry, undefined);
  assert.equal(c.targets[1].retry.attempts, 3);
});

test('rehearse: a primary limited below the peak with automatic failover on 429 shows the client no 429 through the real Portkey gateway, and passes', async (t) => {
  // peak 1,200 rpm (20 req/s); the primary holds 600 rpm, the backup 1,200 rpm: together they cover the peak
  const m = base('compliant');
  setPath(m, 'traffic.peakRpm', 1200);
  setPath(m, 'providers[0].limits', { rpm: 600, tpm: 100000000 });
  setPath(m, 'providers[1].limits', { rpm: 1200, tpm: 100000000 });
  const dir = mkdtempSync(path.join(tmpdir(), 'readiness-rehearse-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'readiness.yaml');
  writeFileSync(file, stringify(m));
  const out = path.join(dir, 'probe.json');
  const r = await runBin(
    ['rehearse', file, '--format', 'json', '--duration', '3', '--burst-factor', '1', '--cold-connections', '2', '--latency-ms', '10', '--jitter-ms', '10', '--probe-out', out],
    { timeoutMs: 90_000 },
  );
  assert.equal(r.code, 0, r.stderr + r.stdout);
  const report = JSON.parse(r.stdout);
  const rls = report.checks.find((c: any) => c.id === 'rate-limit-sizing');
  // passes: no failing finding (a cold-start warning from the freshly started gateway may appear on a busy machine)
  assert.notEqual(rls.status, 'fail', JSON.stringify(rls.findings, null, 1));
  const f = rls.findings.find((x: any) => /were 429/.test(x.message));
  assert.equal(f.status, 'pass');
  assert.equal(f.evidence.count429, 0);
  assert.equal(f.evidence.responses, 60);
  // the failover was exercised: the primary's mock refused some, the backup's mock served them
  const [primary, backup] = report.rehearsal.providers;
  assert.equal(primary.id, 'openai-main');
  assert.ok((primary.statuses['429'] ?? 0) > 0, JSON.stringify(report.rehearsal.providers));
  assert.ok((backup.statuses['200'] ?? 0) > 0, JSON.stringify(report.rehearsal.providers));
  assert.equal((primary.statuses['200'] ?? 0) + (backup.statuses['200'] ?? 0), 62);
  const probe = JSON.parse(readFileSync(out, 'utf8'));
  assert.equal(probe.phases.find((p: any) => p.name === 'steady').statuses['200'], 60);
  assert.doesNotMatch(r.stderr, /-> fail/);
});
