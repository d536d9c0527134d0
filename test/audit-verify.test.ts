import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import { verifyAuditLog, verifyAuditStream } from '../src/audit/verify.js';
import { ROOT, example, runBin, runInProcess } from './helpers/cli.js';

const FIX = path.join(ROOT, 'test', 'fixtures', 'audit');
const planted = path.join(FIX, 'planted-defects.jsonl');
const clean = path.join(FIX, 'clean.jsonl');

describe('audit verify (library)', () => {
  it('finds every planted defect with its line number', async () => {
    const r = await verifyAuditLog(planted);
    assert.equal(r.records, 12, 'the blank line 10 is not a record');
    assert.deepEqual(r.missing.trace_id, { count: 1, lines: [3] });
    assert.deepEqual(r.missing.prompt_version, { count: 1, lines: [4] });
    assert.deepEqual(r.missing.output, { count: 1, lines: [9] });
    assert.deepEqual(r.badFormat.timestamp, { count: 2, lines: [5, 13] });
    assert.deepEqual(r.badFormat.trace_id, { count: 1, lines: [13] });
    assert.deepEqual(r.badFormat.confidence, { count: 1, lines: [13] });
    assert.deepEqual(r.outOfOrder, { count: 1, lines: [7] });
    assert.deepEqual(r.invalidJson, { count: 1, lines: [12] });
    assert.deepEqual(Object.keys(r.missing).sort(), ['output', 'prompt_version', 'trace_id']);
    assert.equal(r.defective, 7);
  });

  it('passes a clean log (output or its hash, X-Ray ids, +00:00, operator fields)', async () => {
    const r = await verifyAuditLog(clean);
    assert.equal(r.records, 12);
    assert.equal(r.defective, 0);
    assert.deepEqual(r.missing, {});
    assert.deepEqual(r.badFormat, {});
  });

  it('requires the PCI fields only for a pci-dss manifest', async () => {
    const r = await verifyAuditLog(clean, { frameworks: ['pci-dss'] });
    assert.deepEqual(Object.keys(r.missing).sort(), ['actor_id', 'event_type', 'origin', 'outcome']);
    assert.equal(r.missing.actor_id.count, 12);
  });

  it('equal timestamps are in order; one earlier than the latest seen is not, even after a gap', async () => {
    const rec = (ts: string) => JSON.stringify({ timestamp: ts });
    const text = [rec('2026-01-01T00:00:02Z'), rec('2026-01-01T00:00:02Z'), rec('2026-01-01T00:00:05Z'), rec('2026-01-01T00:00:03Z'), rec('2026-01-01T00:00:06Z')].join('\n');
    const r = await verifyAuditStream(Readable.from([text]), 'mem');
    assert.deepEqual(r.outOfOrder, { count: 1, lines: [4] });
  });

  it('streams a large log, keeping exact counts but only the first line numbers', async () => {
    const N = 100_000;
    function* lines() {
      for (let i = 0; i < N; i++) yield `${JSON.stringify({ timestamp: '2026-01-01T00:00:00Z', n: i })}\r\n`;
    }
    const r = await verifyAuditStream(Readable.from(lines()), 'big', { linesKept: 5 });
    assert.equal(r.records, N);
    assert.equal(r.missing.trace_id.count, N);
    assert.deepEqual(r.missing.trace_id.lines, [1, 2, 3, 4, 5]);
    assert.equal(r.defective, N);
  });
});

describe('readiness audit verify (CLI)', () => {
  it('exits 1 and names each defect with its lines (text)', async () => {
    const r = await runInProcess(['audit', 'verify', planted]);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stdout, /12 records checked against the base audit fields/);
    assert.match(r.stdout, /missing trace_id: 1 record, line 3\n/);
    assert.match(r.stdout, /missing prompt_version: 1 record, line 4\n/);
    assert.match(r.stdout, /bad timestamp: 2 records, lines 5, 13 \(RFC 3339 UTC expected/);
    assert.match(r.stdout, /out of time order: 1 record, line 7 /);
    assert.match(r.stdout, /not a JSON object: 1 record, line 12\n/);
    assert.match(r.stdout, /FAIL: 7 records of 12 with defects/);
  });

  it('exits 0 on a clean log; --format json is machine-readable', async () => {
    const t = await runInProcess(['audit', 'verify', clean]);
    assert.equal(t.code, 0, t.stderr);
    assert.match(t.stdout, /PASS/);
    const j = await runInProcess(['audit', 'verify', planted, '--format', 'json']);
    assert.equal(j.code, 1);
    const doc = JSON.parse(j.stdout);
    assert.equal(doc.ok, false);
    assert.equal(doc.exitCode, 1);
    assert.deepEqual(doc.missing.trace_id.lines, [3]);
    assert.deepEqual(doc.outOfOrder.lines, [7]);
  });

  it('uses the manifest frameworks with --manifest', async () => {
    const r = await runInProcess(['audit', 'verify', clean, '--manifest', example('compliant.yaml'), '--format', 'json']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout).frameworks, ['sec-17a-4', 'finra-4511', 'sox']);
  });

  it('exits 2 on a missing log, an empty log, a directory or an invalid manifest, without a stack trace', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'readiness-audit-'));
    try {
      const empty = path.join(dir, 'empty.jsonl');
      writeFileSync(empty, '\n\n');
      const badManifest = path.join(dir, 'bad.yaml');
      writeFileSync(badManifest, 'apiVersion: readiness/v1\nkind: AgentDeployment\n');
      for (const args of [[path.join(dir, 'nope.jsonl')], [empty], [dir], [clean, '--manifest', badManifest]]) {
        const r = await runInProcess(['audit', 'verify', ...args]);
        assert.equal(r.code, 2, `${args.join(' ')}: ${r.stdout}${r.stderr}`);
        assert.doesNotMatch(r.stderr, /\n\s+at /);
      }
      const r = await runInProcess(['audit', 'verify', empty]);
      assert.match(r.stderr, /empty\.jsonl:1:1: audit log has no records/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('runs as the built CLI', async () => {
    const r = await runBin(['audit', 'verify', planted, '--format', 'json']);
    assert.equal(r.code, 1, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout).missing.prompt_version.lines, [4]);
    const ok = await runBin(['audit', 'verify', clean]);
    assert.equal(ok.code, 0, ok.stderr);
  });
});
