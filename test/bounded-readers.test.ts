// Every reader is bounded: /dev/zero, a FIFO without a writer, a 600 MiB line and invalid UTF-8 end
// with a located answer (exit 2, or a defect at its line), never a hang, a crash or a silent repair.
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { after, describe, test } from 'node:test';
import { verifyAuditStream } from '../src/audit/verify.js';
import { readBounded, readRecords } from '../src/util/read-bounded.js';
import { ROOT, example, runBin, runInProcess } from './helpers/cli.js';

const dirs: string[] = [];
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
function fifo(): string {
  const d = mkdtempSync(path.join(tmpdir(), 'readiness-fifo-'));
  dirs.push(d);
  const p = path.join(d, 'pipe');
  execFileSync('mkfifo', [p]);
  return p;
}
const cleanLines = readFileSync(path.join(ROOT, 'test', 'fixtures', 'audit', 'clean.jsonl'), 'utf8').split('\n').filter(Boolean);

/** `total` bytes of 'a' in 1 MiB chunks, generated as they are read (never on disk or in memory whole). */
async function* bigLine(total: number): AsyncGenerator<Buffer> {
  const chunk = Buffer.alloc(1 << 20, 0x61);
  for (let left = total; left > 0; left -= chunk.length) yield left >= chunk.length ? chunk : chunk.subarray(0, left);
}

describe('bounded readers', () => {
  test('/dev/zero as a manifest, waivers, answers file or audit log: exit 2 at once, nothing read', async () => {
    for (const args of [
      ['check', '/dev/zero'],
      ['check', example('compliant.yaml'), '--waivers', '/dev/zero'],
      ['init', '--answers', '/dev/zero', '--out', path.join(tmpdir(), 'readiness-never.yaml')],
      ['audit', 'verify', '/dev/zero'],
    ]) {
      const r = await runInProcess(args);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, /\/dev\/zero:1:1: cannot read .*: it is a device/, args.join(' '));
    }
  });

  test('a FIFO with no writer: exit 2, no hang (manifest, waivers, audit log)', async () => {
    const p = fifo();
    for (const args of [['check', p], ['check', example('compliant.yaml'), '--waivers', p], ['audit', 'verify', p]]) {
      const r = await runBin(args, { timeoutMs: 20_000 });
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.doesNotMatch(r.stderr, /internal error|at .*\.js/);
    }
  });

  test('a FIFO with a writer is read, up to the limit', async (t) => {
    const p = fifo();
    // the writer blocks in open() until the read end is opened
    const writer = spawn('sh', ['-c', `cat "$0" > "$1"`, example('compliant.yaml'), p], { stdio: 'ignore' });
    t.after(() => writer.kill('SIGKILL'));
    // the writer blocks in open() until we open the read end; give it the moment it needs
    let text = '';
    for (let i = 0; i < 100 && !text; i++) {
      text = (await readBounded(p, { maxBytes: 1 << 20, what: 'a manifest' })).toString();
      if (!text) await new Promise((r) => setTimeout(r, 50));
    }
    assert.equal(text, readFileSync(example('compliant.yaml'), 'utf8'));
  });

  test('a growing or endless stream stops at the limit: over-limit is a located error', async () => {
    const d = mkdtempSync(path.join(tmpdir(), 'readiness-big-'));
    dirs.push(d);
    const f = path.join(d, 'big.yaml');
    writeFileSync(f, 'x'.repeat(2048));
    await assert.rejects(readBounded(f, { maxBytes: 1024, what: 'a manifest' }), /big\.yaml:1:1: file is 2048 bytes, over the 1024-byte limit for a manifest/);
  });

  test('audit verify: a 600 MiB line is a defect at its line, skipped without buffering; the records after it are checked', async () => {
    async function* log(): AsyncGenerator<Buffer> {
      yield Buffer.from(`${cleanLines[0]}\n`);
      yield* bigLine(600 * 1024 * 1024);
      yield Buffer.from(`\n${cleanLines[1]}\n`);
    }
    const before = process.memoryUsage().rss;
    let peak = before;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
    const r = await verifyAuditStream(Readable.from(log()), 'big.jsonl');
    clearInterval(sampler);
    assert.equal(r.records, 3);
    assert.deepEqual(r.oversize, { count: 1, lines: [2] });
    assert.equal(r.defective, 1);
    // one record's worth (1 MiB) and a chunk, not the line: well under 100 MB more than at the start
    assert.ok(peak - before < 100 * 1024 * 1024, `rss grew ${Math.round((peak - before) / 1048576)} MiB`);
  });

  test('audit verify: invalid UTF-8 in a record is a defect at its line, not silently replaced', async () => {
    const good = JSON.parse(cleanLines[0]);
    const bad = Buffer.concat([Buffer.from(JSON.stringify({ ...good, output: 'caf' }).replace('"caf"', '"caf')), Buffer.from([0xe9, 0x22, 0x7d])]);
    const withoutClose = bad.subarray(0, bad.length - 2);
    const line = Buffer.concat([withoutClose, Buffer.from('"}')]);
    const r = await verifyAuditStream(Readable.from([Buffer.from(`${cleanLines[0]}\n`), line, Buffer.from('\n')]), 'u.jsonl');
    assert.deepEqual(r.invalidUtf8, { count: 1, lines: [2] });
    assert.equal(r.defective, 1);
  });

  test('audit verify --max-record-bytes: a record over the cap is a defect named in the report', async () => {
    const d = mkdtempSync(path.join(tmpdir(), 'readiness-cap-'));
    dirs.push(d);
    const f = path.join(d, 'log.jsonl');
    writeFileSync(f, `${cleanLines.join('\n')}\n`);
    const longest = Math.max(...cleanLines.map((l) => Buffer.byteLength(l)));
    const ok = await runInProcess(['audit', 'verify', f]);
    assert.equal(ok.code, 0, ok.stdout);
    const r = await runInProcess(['audit', 'verify', f, '--max-record-bytes', String(longest - 1), '--format', 'json']);
    assert.equal(r.code, 1);
    const j = JSON.parse(r.stdout);
    assert.ok(j.oversize.count >= 1);
    assert.equal(j.maxRecordBytes, longest - 1);
    const t = await runInProcess(['audit', 'verify', f, '--max-record-bytes', String(longest - 1)]);
    assert.match(t.stdout, /record too long: .*raise --max-record-bytes/);
  });

  test('readRecords holds at most the cap: lines split across chunks, CRLF, a last line without newline', async () => {
    const recs = [];
    for await (const r of readRecords(Readable.from([Buffer.from('ab'), Buffer.from('c\r\nxxxxxxxx'), Buffer.from('xx\nlast')]), 5)) recs.push(r);
    assert.deepEqual(recs, [
      { line: 1, kind: 'text', text: 'abc' },
      { line: 2, kind: 'oversize', bytes: 10 },
      { line: 3, kind: 'text', text: 'last' },
    ]);
  });
});
