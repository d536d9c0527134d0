// A waiver must say why and who (not just whitespace), and cannot run longer than the maximum (180 days by default).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { example, runInProcess } from './helpers/cli.js';

const waiver = (fields: string) => `waivers:\n  - {check: failover, ${fields}}\n`;

test('waivers: a whitespace-only reason or owner is invalid input; an expiry past the maximum is refused, the maximum a setting', async (t) => {
  const d = mkdtempSync(path.join(tmpdir(), 'readiness-waivers-'));
  t.after(() => rmSync(d, { recursive: true, force: true }));
  const env = { READINESS_TODAY: '2026-12-02' };
  const run = async (text: string, extra: Record<string, string> = {}) => {
    writeFileSync(path.join(d, 'w.yaml'), text);
    return runInProcess(['check', example('compliant.yaml'), '--waivers', path.join(d, 'w.yaml')], { ...env, ...extra });
  };
  for (const fields of ['reason: "   ", owner: team, expires: 2027-01-01', 'reason: why, owner: "\\t", expires: 2027-01-01']) {
    const r = await run(waiver(fields));
    assert.equal(r.code, 2, `${fields}: ${r.stderr}`);
    assert.match(r.stderr, /w\.yaml:2:\d+:/);
  }
  const far = await run(waiver('reason: why, owner: team, expires: 9999-12-31'));
  assert.equal(far.code, 2, far.stderr);
  assert.match(far.stderr, /w\.yaml:2:\d+: waiver for failover expires 9999-12-31, \d+ days after 2026-12-02: over the 180-day maximum/);
  assert.equal((await run(waiver('reason: why, owner: team, expires: 2027-05-31'))).code, 0, 'within 180 days');
  assert.equal((await run(waiver('reason: why, owner: team, expires: 2027-06-01'))).code, 2, 'day 181');
  assert.equal((await run(waiver('reason: why, owner: team, expires: 2028-01-01'), { READINESS_MAX_WAIVER_DAYS: '400' })).code, 0);
});
