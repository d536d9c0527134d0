// The usage-log reader keeps the bounds of src/util/read-bounded.ts (docs/limits.md): a record over
// --max-record-bytes (default 16 MiB) and a record that is not UTF-8 are skipped lines at their line
// (--strict: exit 2 there), the long one never held whole; a device or a FIFO without a writer ends at once.
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { readUsage } from '../src/usage/read.js';
import { DEFAULT_USAGE_MAX_RECORD_BYTES, JsonArraySplitter, LineSplitter } from '../src/usage/source.js';
import { runBin, runInProcess } from './helpers/cli.js';

let dir: string;
before(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'readiness-usage-bounds-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

const write = (name: string, content: string | Buffer) => {
  const f = path.join(dir, name);
  writeFileSync(f, content);
  return f;
};
const rec = (ts: string) => JSON.stringify({ timestamp: ts, tenant: 't', use_case: 'u', model: 'gpt-4o', input_tokens: 10, output_tokens: 5, status: 200 });
/** A record padded with spaces (JSON allows them) to exactly `bytes` bytes. */
const padded = (ts: string, bytes: number) => {
  const r = rec(ts);
  return r + ' '.repeat(bytes - Buffer.byteLength(r));
};
const LATIN1_E = Buffer.from([0xe9]);
async function read(file: string, extra: Partial<Parameters<typeof readUsage>[1]> = {}) {
  const skipped: string[] = [];
  const r = await readUsage([file], { cwd: dir, timezone: 'UTC', onSkip: (s) => skipped.push(`${s.line}: ${s.reason}`), ...extra });
  return { requests: r.profile.requests, skipped };
}

describe('usage logs: a record over the cap', () => {
  test('at the cap is read, a byte over is skipped at its line; CRLF does not count; the default is 16 MiB', async () => {
    assert.equal(DEFAULT_USAGE_MAX_RECORD_BYTES, 16 * 1024 * 1024);
    const f = write('cap.jsonl', [padded('2026-11-02T10:00:00Z', 300), padded('2026-11-02T10:00:01Z', 301), `${padded('2026-11-02T10:00:02Z', 300)}\r`, rec('2026-11-02T10:00:03Z')].join('\n'));
    const r = await read(f, { maxRecordBytes: 300 });
    assert.equal(r.requests, 3);
    assert.deepEqual(r.skipped, ['2: line of 301 bytes, over the 300-byte limit for one record (raise it with --max-record-bytes)']);
    assert.equal((await read(f)).requests, 4);
  });

  test('lines split across chunks, an oversize line across chunks, a character split across chunks (not invalid)', () => {
    const got: string[] = [];
    const s = new LineSplitter((l, n) => got.push(`${n}:${l}`), (n, b) => got.push(`${n}!${b.reason}`), 6);
    const e = Buffer.from('é');
    for (const c of [Buffer.from('ab'), Buffer.from('c\r\nxxxx'), Buffer.from('xxx'), Buffer.from('x\ncaf'), e.subarray(0, 1), Buffer.concat([e.subarray(1), Buffer.from('\nlast')])]) s.push(c);
    s.end();
    assert.deepEqual(got, ['1:abc', '2!line of 8 bytes, over the 6-byte limit for one record (raise it with --max-record-bytes)', '3:café', '4:last']);
  });

  test('a 300 MiB line from a pipe is skipped without being held: the records around it are read', async (t) => {
    const d = mkdtempSync(path.join(tmpdir(), 'readiness-usage-fifo-'));
    t.after(() => rmSync(d, { recursive: true, force: true }));
    const p = path.join(d, 'log.jsonl');
    execFileSync('mkfifo', [p]);
    const script = `const fs = require('node:fs'); const fd = fs.openSync(process.argv[1], 'w'); const b = Buffer.alloc(1 << 20, 0x61);
      fs.writeSync(fd, ${JSON.stringify(`${rec('2026-11-02T10:00:00Z')}\n`)}); for (let i = 0; i < 300; i++) fs.writeSync(fd, b);
      fs.writeSync(fd, ${JSON.stringify(`\n${rec('2026-11-02T10:00:30Z')}\n`)}); fs.closeSync(fd);`;
    const writer = spawn(process.execPath, ['-e', script, p], { stdio: 'ignore' });
    t.after(() => writer.kill('SIGKILL'));
    const before = process.memoryUsage().rss;
    let peak = before;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
    let r: Awaited<ReturnType<typeof read>> | undefined;
    // the writer may not have opened its end yet: that reads as an empty file, and we try again
    for (let i = 0; i < 100 && !r; i++) {
      try {
        r = await read(p);
      } catch (err) {
        if (!/empty file/.test(String(err))) throw err;
        await new Promise((res) => setTimeout(res, 50));
      }
    }
    clearInterval(sampler);
    assert.ok(r);
    assert.equal(r.requests, 2);
    assert.deepEqual(r.skipped, ['2: line of 314572800 bytes, over the 16777216-byte limit for one record (raise it with --max-record-bytes)']);
    // the cap (16 MiB) and a chunk, not the line
    assert.ok(peak - before < 100 * 1024 * 1024, `rss grew ${Math.round((peak - before) / 1048576)} MiB`);
  });

  test('a JSON array element over the cap is skipped at its first line; the elements after it are read', async () => {
    const el = (ts: string, pad = 0) => `{"startTime": "${ts}", "spend": 0.01, "prompt_tokens": 1, "completion_tokens": 1, "model": "gpt-4o", "team_id": "t", "status": "success"${' '.repeat(pad)}}`;
    const f = write('spend.json', `[\n  ${el('2026-11-02T10:00:00')},\n  ${el('2026-11-02T10:00:01', 400)},\n  ${el('2026-11-02T10:00:02')}\n]\n`);
    const r = await read(f, { maxRecordBytes: 300 });
    assert.equal(r.requests, 2);
    assert.match(r.skipped.join('\n'), /^3: record of \d+ bytes, over the 300-byte limit for one record/);
    const got: string[] = [];
    const s = new JsonArraySplitter('x.json', (t, n) => got.push(`${n}:${t}`), (n, b) => got.push(`${n}!${b.reason}`), 10);
    for (const c of ['[{"a":', '1},\n{"b":"xxxxxxxx', 'xxxxxx"},', '{"c":2}]']) s.push(Buffer.from(c));
    s.end();
    assert.deepEqual(got, ['1:{"a":1}', '2!record of 22 bytes, over the 10-byte limit for one record (raise it with --max-record-bytes)', '2:{"c":2}']);
  });

  test('CLI: --max-record-bytes on usage and check --usage; --strict makes the long line exit 2 at it; a bad value is refused', async () => {
    const f = write('cli.jsonl', [rec('2026-11-02T10:00:00Z'), padded('2026-11-02T10:00:01Z', 500)].join('\n'));
    let r = await runInProcess(['usage', f, '--max-record-bytes', '400', '--json']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /cli\.jsonl:2: skipped: line of 500 bytes, over the 400-byte limit/);
    assert.equal(JSON.parse(r.stdout).requests, 1);
    r = await runInProcess(['usage', f, '--json']);
    assert.equal(JSON.parse(r.stdout).requests, 2);
    r = await runInProcess(['usage', f, '--max-record-bytes', '400', '--strict']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^.*cli\.jsonl:2:1: line of 500 bytes, over the 400-byte limit for one record \(raise it with --max-record-bytes\) \(--strict/m);
    r = await runInProcess(['usage', f, '--max-record-bytes', '0']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--max-record-bytes must be a whole number >= 1/);
    r = await runInProcess(['check', path.join('templates', 'examples', 'compliant.yaml'), '--usage', f, '--max-record-bytes', '400', '--format', 'json']);
    assert.match(r.stderr, /cli\.jsonl:2: skipped: line of 500 bytes, over the 400-byte limit/);
  });
});

describe('usage logs: invalid UTF-8 is a skipped line at its place, never repaired', () => {
  test('JSON Lines: the line and byte are named; the lines after it are read; --strict: exit 2 at line:byte', async () => {
    const bad = Buffer.concat([Buffer.from('{"timestamp": "2026-11-02T10:00:01Z", "tenant": "caf'), LATIN1_E, Buffer.from('", "use_case": "u", "model": "m", "input_tokens": 1, "output_tokens": 1, "status": 200}')]);
    const f = write('latin1.jsonl', Buffer.concat([Buffer.from(`${rec('2026-11-02T10:00:00Z')}\n`), bad, Buffer.from(`\n${rec('2026-11-02T10:00:02Z')}\n`)]));
    const r = await read(f);
    assert.equal(r.requests, 2);
    assert.deepEqual(r.skipped, ['2: not valid UTF-8 (byte 53 of the line): save the log as UTF-8']);
    // gzip: the same, on the decompressed bytes
    const g = await read(write('latin1.jsonl.gz', gzipSync(Buffer.concat([bad, Buffer.from(`\n${rec('2026-11-02T10:00:02Z')}\n`)]))));
    assert.deepEqual(g.skipped, ['1: not valid UTF-8 (byte 53 of the line): save the log as UTF-8']);
    const s = await runInProcess(['usage', f, '--strict']);
    assert.equal(s.code, 2);
    assert.equal(s.stderr, `${f}:2:53: not valid UTF-8 (byte 53 of the line): save the log as UTF-8 (--strict: a line that is not a record is an error)\n`);
  });

  test('CSV: a row, and a row whose quoted field runs over lines, are skipped at their first line; the header is an error', async () => {
    const head = 'timestamp,tenant,use_case,model,input_tokens,output_tokens,status\n';
    const f = write('latin1.csv', Buffer.concat([
      Buffer.from(`${head}2026-11-02T10:00:00Z,t,u,m,1,1,200\n2026-11-02T10:00:01Z,caf`), LATIN1_E, Buffer.from(',u,m,1,1,200\n'),
      Buffer.from('2026-11-02T10:00:02Z,"two\nlines caf'), LATIN1_E, Buffer.from('",u,m,1,1,200\n2026-11-02T10:00:03Z,t,u,m,1,1,200\n'),
    ]));
    const r = await read(f);
    assert.equal(r.requests, 2);
    assert.deepEqual(r.skipped, ['3: not valid UTF-8 (byte 25 of the line): save the log as UTF-8', '4: not valid UTF-8 at line 5 (byte 10 of the line): save the log as UTF-8']);
    const h = write('latin1-head.csv', Buffer.concat([Buffer.from('timestamp,tenant,use_case,model,input_tokens,output_tokens,status,caf'), LATIN1_E, Buffer.from('\n2026-11-02T10:00:00Z,t,u,m,1,1,200,x\n')]));
    await assert.rejects(read(h), /latin1-head\.csv:1:70: the CSV header is not valid UTF-8 \(byte 70 of the line\)/);
  });

  test('a JSON array: the element is skipped at the line of the bad byte', async () => {
    const el = (ts: string, team: Buffer | string) => Buffer.concat([Buffer.from(`{"startTime": "${ts}", "spend": 0.01, "prompt_tokens": 1,\n   "completion_tokens": 1, "model": "gpt-4o", "team_id": "`), Buffer.from(team), Buffer.from('", "status": "success"}')]);
    const f = write('latin1.json', Buffer.concat([Buffer.from('[\n'), el('2026-11-02T10:00:00', 't'), Buffer.from(',\n'), el('2026-11-02T10:00:01', Buffer.concat([Buffer.from('caf'), LATIN1_E])), Buffer.from(',\n'), el('2026-11-02T10:00:02', 't'), Buffer.from('\n]\n')]));
    const r = await read(f);
    assert.equal(r.requests, 2);
    assert.deepEqual(r.skipped, ['5: not valid UTF-8 (in the record from line 4): save the log as UTF-8']);
  });
});

describe('usage logs: devices and FIFOs', () => {
  test('/dev/zero is refused at once; a FIFO with no writer ends (exit 2), never hangs', async (t) => {
    const z = await runInProcess(['usage', '/dev/zero']);
    assert.equal(z.code, 2);
    assert.match(z.stderr, /^\/dev\/zero:1:1: cannot read usage log: it is a device/m);
    const d = mkdtempSync(path.join(tmpdir(), 'readiness-usage-fifo-'));
    t.after(() => rmSync(d, { recursive: true, force: true }));
    const p = path.join(d, 'log.jsonl');
    execFileSync('mkfifo', [p]);
    // killed after 20 s: a reader that blocks in open() fails here instead of hanging the suite
    const r = await runBin(['usage', p], { timeoutMs: 20_000 });
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /log\.jsonl:1:1: empty file: no records/);
  });
});
