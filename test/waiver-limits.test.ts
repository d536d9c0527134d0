// A waiver must say why and who (not just whitespace), and cannot run longer than the maximum (180 days by default).
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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

test('diff refuses what check refuses: a HEAD or --waivers waiver past the maximum is exit 2 at its line; the base\'s stays history', async (t) => {
  const d = mkdtempSync(path.join(tmpdir(), 'readiness-waivers-'));
  t.after(() => rmSync(d, { recursive: true, force: true }));
  const env = { READINESS_TODAY: '2026-12-02' };
  const manifest = readFileSync(example('compliant.yaml'), 'utf8');
  const withWaiver = (expires: string) => `${manifest.trimEnd()}\nwaivers:\n  - {check: failover, reason: why, owner: team, expires: ${expires}}\n`;
  writeFileSync(path.join(d, 'base.yaml'), manifest);
  const diff = async (head: string, extra: string[] = [], more: Record<string, string> = {}, baseText = manifest) => {
    writeFileSync(path.join(d, 'base.yaml'), baseText);
    writeFileSync(path.join(d, 'head.yaml'), head);
    return runInProcess(['diff', 'base.yaml', 'head.yaml', ...extra], { ...env, ...more }, d);
  };
  const far = await diff(withWaiver('9999-12-31'));
  assert.equal(far.code, 2, far.stderr);
  assert.match(far.stderr, /^head\.yaml:\d+:\d+: waiver for failover expires 9999-12-31, \d+ days after 2026-12-02: over the 180-day maximum/);
  assert.equal(far.stdout, '', 'no diff is printed');
  assert.equal((await diff(withWaiver('2027-05-31'))).code, 0, 'day 180: within the maximum');
  assert.equal((await diff(withWaiver('2027-06-01'))).code, 2, 'day 181');
  assert.equal((await diff(withWaiver('2027-06-01'), [], { READINESS_MAX_WAIVER_DAYS: '400' })).code, 0, 'the maximum is a setting');
  writeFileSync(path.join(d, 'w.yaml'), waiver('reason: why, owner: team, expires: 2027-06-01'));
  const file = await diff(manifest, ['--waivers', 'w.yaml']);
  assert.equal(file.code, 2, file.stderr);
  assert.match(file.stderr, /^w\.yaml:2:\d+: waiver for failover expires 2027-06-01/);
  // the base's overlong waiver is what main holds today: the change that shortens it can still be compared
  const fix = await diff(withWaiver('2027-05-31'), [], {}, withWaiver('9999-12-31'));
  assert.equal(fix.code, 0, fix.stderr);
});
