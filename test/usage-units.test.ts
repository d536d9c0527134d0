import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { runChecks } from '../src/checks/run.js';
import { runInit } from '../src/init/run.js';
import { parseManifest } from '../src/manifest/load.js';
import { formatBusinessHours, parseBusinessHours } from '../src/usage/business-hours.js';
import { MinuteCounts } from '../src/usage/minutes.js';
import { fastIso, parseTimestamp, splitCsv } from '../src/usage/readers.js';
import { peakWindowOf } from '../src/usage/profile.js';
import { readUsage } from '../src/usage/read.js';
import { recordingIO, scriptedOperator } from './helpers/operator.js';
import { INCIDENT_MANIFEST, incidentRecords, toJsonl } from './helpers/usage-log.js';

test('business hours: parsed from the init answer, written back the same', () => {
  assert.deepEqual(parseBusinessHours('mon-fri 09:00-18:00'), { days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '09:00', end: '18:00' });
  assert.deepEqual(parseBusinessHours('sat,mon 07:30-24:00'), { days: ['mon', 'sat'], start: '07:30', end: '24:00' });
  assert.match(parseBusinessHours('weekdays') as string, /DAYS HH:MM-HH:MM/);
  assert.match(parseBusinessHours('fri-mon 09:00-18:00') as string, /unknown day range "fri-mon"/);
  assert.match(parseBusinessHours('mon-fri 18:00-09:00') as string, /must be after they start/);
  assert.equal(formatBusinessHours({ days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '09:00', end: '18:00' }), 'mon-fri 09:00-18:00');
  assert.equal(formatBusinessHours({ days: ['mon', 'sat'], start: '07:30', end: '24:00' }), 'mon,sat 07:30-24:00');
});

test('timestamps: the hand-written RFC 3339 reader agrees with Date.parse and refuses days that do not exist', () => {
  for (const s of ['2026-11-02T10:00:00Z', '2026-11-02T10:00:00.5+01:00', '2026-11-02t10:00:00.123456-05:30', '2024-02-29T23:59:59.999Z', '2026-11-02T10:00Z']) {
    assert.equal(fastIso(s, false), Date.parse(s.replace('t', 'T').replace(/(\.\d{3})\d+/, '$1')), s);
  }
  assert.equal(fastIso('2026-11-02 10:00:00.123', true), Date.parse('2026-11-02T10:00:00.123Z'));
  assert.equal(fastIso('2026-11-02T10:00:00', false), undefined);
  assert.match(parseTimestamp('2026-02-30T10:00:00Z') as string, /not a valid date/);
  assert.match(parseTimestamp('2025-02-29T10:00:00Z') as string, /not a valid date/);
  assert.match(parseTimestamp('2026-11-02T24:00:00Z') as string, /not a valid date/);
});

test('minute counts: dense over a log span, a Map past two years, the same answers either way', () => {
  const a = new MinuteCounts();
  for (const [m, n] of [[1000, 2], [999, 3], [5000, 3], [1000, 1]] as const) a.add(m, n);
  assert.deepEqual(a.peak(), { value: 3, at: 999 });
  assert.equal(a.get(1000), 3);
  assert.equal(a.get(5000), 3);
  const b = new MinuteCounts();
  b.add(30_000_000, 2);
  b.add(10, 2); // decades earlier: no 300 MB array
  b.add(30_000_001, 1);
  assert.deepEqual(b.peak(), { value: 2, at: 10 });
  assert.equal(b.get(30_000_000), 2);
});

test('init --usage offers the measured figures as defaults; accepted, the manifest carries them and fails as it should', async (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'readiness-usage-init-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(path.join(dir, 'from.yaml'), INCIDENT_MANIFEST);
  writeFileSync(path.join(dir, 'pilot.jsonl'), toJsonl(incidentRecords()));
  const op = scriptedOperator('accept-all');
  const io = recordingIO(dir);
  const code = await runInit({ out: 'readiness.yaml', from: 'from.yaml', usage: ['pilot.jsonl'] }, io, { prompts: async () => ({ fns: op.fns }) });
  assert.match(io.err(), /measured 56640 requests over 14 days \(America\/New_York\): peak 8 rpm, 17:00-19:00; offered as the defaults/);
  const m = parseManifest(readFileSync(path.join(dir, 'readiness.yaml')), 'readiness.yaml').manifest;
  assert.deepEqual(m.traffic, { averageRpm: 2.81, peakRpm: 8, peakWindow: '17:00-19:00', tokensPerRequest: { input: 1436, output: 508 } });
  const daily = Object.fromEntries((m.tenants ?? []).map((x) => [x.id, [x.dailyRequests, x.costPerRequestUsd]]));
  // 25,200 / 14 = 1,800; 24,696 / 14 = 1,764; 6,240 / 14 = 445.7 -> 446
  assert.deepEqual(daily, { support: [1800, 0.00325], sales: [1764, 0.00325], batch: [446, 0.0525] });
  assert.equal(code, 1);
  const report = runChecks(parseManifest(readFileSync(path.join(dir, 'readiness.yaml')), 'readiness.yaml'));
  assert.equal(report.checks.find((c) => c.id === 'budget-ceilings')?.status, 'fail');
});

test('init --usage with --answers is refused', async () => {
  const io = recordingIO(tmpdir());
  await assert.rejects(runInit({ out: 'x.yaml', answers: 'a.yaml', usage: ['l.jsonl'] }, io, { prompts: async () => assert.fail('no prompts') }), /--usage offers the measured figures/);
});

test('CSV: quoted fields, doubled quotes, a quoted field over two lines (the record keeps its first line)', async (t) => {
  assert.deepEqual(splitCsv('a,"b,c","say ""hi""",'), ['a', 'b,c', 'say "hi"', '']);
  assert.equal(splitCsv('a,"open'), null);
  const dir = mkdtempSync(path.join(tmpdir(), 'readiness-usage-csv-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const f = path.join(dir, 'q.csv');
  writeFileSync(f, 'timestamp,tenant,use_case,model,input_tokens,output_tokens,status\r\n2026-11-02T10:00:00Z,"a, b","multi\nline",m,1,2,200\r\n2026-11-02T10:00:00Z,x,u,m,-1,2,200\r\n');
  const skipped: string[] = [];
  const r = await readUsage([f], { cwd: dir, timezone: 'UTC', onSkip: (s) => skipped.push(`${s.line}: ${s.reason}`) });
  assert.equal(r.profile.requests, 1);
  assert.equal(r.profile.tenants[0].id, 'a, b');
  assert.deepEqual(skipped, ['4: input_tokens "-1" is negative']);
});

test('a damaged gzip file is a clear error', async (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'readiness-usage-gz-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const f = path.join(dir, 'bad.jsonl.gz');
  writeFileSync(f, Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0x01, 0x02, 0x03, 0x04, 0x05]));
  await assert.rejects(readUsage([f], { cwd: dir, timezone: 'UTC' }), /bad\.jsonl\.gz:1:1: not a valid gzip file/);
});

test('peak window: the hours next to the peak hour with at least half its requests, across midnight too', () => {
  const h = (pairs: Record<number, number>) => Array.from({ length: 24 }, (_, i) => pairs[i] ?? 0);
  assert.deepEqual(peakWindowOf(h({ 16: 1, 17: 4, 18: 4, 19: 1 })), { hour: 17, window: '17:00-19:00' });
  assert.deepEqual(peakWindowOf(h({ 22: 3, 23: 6, 0: 5, 1: 2 })), { hour: 23, window: '22:00-01:00' });
  assert.deepEqual(peakWindowOf(h({ 9: 2, 10: 2, 12: 2 })), { hour: 9, window: '09:00-11:00' });
});
