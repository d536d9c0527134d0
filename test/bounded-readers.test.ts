// Every reader is bounded: /dev/zero, a FIFO without a writer, a 600 MiB line and invalid UTF-8 end
// with a located answer (exit 2, or a defect at its line), never a hang, a crash or a silent repair.
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { after, describe, test } from 'node:test';
import { verifyAuditStream } from '../src/audit/verify.js';
import { GATEWAY_MAX_BYTES, readGatewayText } from '../src/drift/run.js';
import { DEFAULT_MAX_BYTES } from '../src/manifest/load.js';
import { FIFO_WRITER_WAIT_MS, readBounded, readRecords } from '../src/util/read-bounded.js';
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
function tmpDir(prefix: string): string {
  const d = mkdtempSync(path.join(tmpdir(), `readiness-${prefix}-`));
  dirs.push(d);
  return d;
}
/** A writer that feeds `file` into the FIFO once a reader opens it (it blocks in open() until then). */
function feed(t: { after: (fn: () => void) => void }, file: string, p: string): void {
  const writer = spawn('sh', ['-c', 'cat "$0" > "$1"', file, p], { stdio: 'ignore' });
  t.after(() => writer.kill('SIGKILL'));
}
const GATEWAY = path.join(ROOT, 'test', 'fixtures', 'drift', 'litellm', 'success-hand-written.yaml');
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
      ['drift', '--litellm-config', '/dev/zero'],
      ['drift', '--portkey-config', '/dev/zero'],
      ['check', example('compliant.yaml'), '--gateway-config', '/dev/zero'],
      ['check', example('compliant.yaml'), '--import-k6-summary', '/dev/zero'],
    ]) {
      const r = await runInProcess(args);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, /\/dev\/zero:1:1: cannot read .*: it is a device/, args.join(' '));
    }
  });

  test('a FIFO with no writer: exit 2, no hang (manifest, waivers, answers, audit log, gateway config, k6 summary)', async () => {
    const p = fifo();
    const out = path.join(tmpDir('never'), 'm.yaml');
    for (const args of [
      ['check', p],
      ['check', example('compliant.yaml'), '--waivers', p],
      ['init', '--answers', p, '--out', out],
      ['audit', 'verify', p],
      ['drift', '--litellm-config', p],
      ['check', example('compliant.yaml'), '--gateway-config', p],
      ['check', example('compliant.yaml'), '--import-k6-summary', p],
    ]) {
      // killed after 20 s: a reader that blocks in open() or read() fails here instead of hanging the suite
      const r = await runBin(args, { timeoutMs: 20_000 });
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      // read as empty: an empty answers file is "not a mapping of answers", an audit log has "no records"
      assert.match(r.stderr, /pipe:1:1: .*(empty|no records|expected a mapping of answers)/, args.join(' '));
      assert.doesNotMatch(r.stderr, /internal error|at .*\.js/);
    }
    assert.equal(existsSync(out), false, 'nothing written');
  });

  test('a FIFO with a writer: init --answers, drift and check --gateway-config read it', async (t) => {
    const dir = tmpDir('fifo-answers');
    const p = fifo();
    feed(t, path.join(ROOT, 'test', 'init', 'fixtures', 'answers-compliant.yaml'), p);
    const a = await runInProcess(['init', '--answers', p, '--out', 'm.yaml'], {}, dir);
    assert.equal(a.code, 0, a.stderr);
    assert.match(readFileSync(path.join(dir, 'm.yaml'), 'utf8'), /^metadata:\n  name: contract-review-agent$/m);
    const q = fifo();
    feed(t, GATEWAY, q);
    const d = await runInProcess(['drift', example('compliant.yaml'), '--litellm-config', q, '--format', 'json']);
    assert.equal(d.code, 0, d.stdout + d.stderr);
    const g = fifo();
    feed(t, GATEWAY, g);
    const c = await runInProcess(['check', example('compliant.yaml'), '--gateway-config', g, '--format', 'json']);
    assert.match(c.stdout, /"id": "deployed-config",\s*"title": "[^"]*",\s*"status": "pass"/, c.stderr);
  });

  test('a FIFO whose writer sends more than the limit: the reader stops at the limit and fails, the writer is cut off', async (t) => {
    const p = fifo();
    const total = 256 * 1024 * 1024;
    // counts what it got into the pipe before the reader went away (EPIPE: Node ignores SIGPIPE)
    const script = `const fs = require('node:fs'); const fd = fs.openSync(process.argv[1], 'w'); const b = Buffer.alloc(65536, 0x61); let n = 0;
      try { while (n < ${total}) n += fs.writeSync(fd, b); } catch (e) { process.stdout.write(e.code + ' ' + n); process.exit(0); }
      process.stdout.write('ALL ' + n);`;
    const writer = spawn(process.execPath, ['-e', script, p], { stdio: ['ignore', 'pipe', 'inherit'] });
    t.after(() => writer.kill('SIGKILL'));
    let said = '';
    writer.stdout.setEncoding('utf8').on('data', (d) => (said += d));
    const ended = new Promise((r) => writer.once('close', r));
    const cap = 1024 * 1024;
    let err: unknown;
    for (let i = 0; i < 100 && !err; i++) {
      // the writer may not have opened its end yet: that reads as empty, and we try again
      try {
        await readBounded(p, { maxBytes: cap, what: 'a manifest', shownAs: 'pipe' });
        await new Promise((r) => setTimeout(r, 50));
      } catch (e) {
        err = e;
      }
    }
    assert.match(String(err), /pipe:1:1: file is more than 1048576 bytes, over the 1048576-byte limit for a manifest/);
    await ended;
    const [how, sent] = said.split(' ');
    assert.equal(how, 'EPIPE', said);
    // what was read (the limit and one chunk) plus what the pipe holds: far from the 256 MiB offered
    assert.ok(Number(sent) < 4 * cap, `the writer got ${sent} bytes into the pipe`);
  });

  test('a gateway config: 8 MiB is read, a byte more is refused before it is read; invalid UTF-8 is located', async () => {
    const d = tmpDir('gw');
    const f = path.join(d, 'config.yaml');
    writeFileSync(f, '#'.repeat(GATEWAY_MAX_BYTES));
    assert.equal((await readGatewayText('config.yaml', d)).length, GATEWAY_MAX_BYTES);
    // a sparse 1 GiB file: refused by its size, never read
    truncateSync(f, 1024 ** 3);
    for (const args of [['drift', '--litellm-config', 'config.yaml'], ['check', example('compliant.yaml'), '--gateway-config', 'config.yaml']]) {
      const r = await runInProcess(args, {}, d);
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, /^config\.yaml:1:1: file is 1073741824 bytes, over the 8388608-byte limit for a deployed (LiteLLM|gateway) config file$/m);
    }
    truncateSync(f, GATEWAY_MAX_BYTES + 1);
    await assert.rejects(readGatewayText('config.yaml', d), /config\.yaml:1:1: file is 8388609 bytes, over the 8388608-byte limit/);
    writeFileSync(f, Buffer.concat([Buffer.from('model_list:\n  - model_name: caf'), Buffer.from([0xe9]), Buffer.from('\n')]));
    const r = await runInProcess(['drift', '--litellm-config', 'config.yaml'], {}, d);
    assert.equal(r.code, 2);
    assert.equal(r.stderr, 'config.yaml:2:20: file is not valid UTF-8: save the deployed LiteLLM config file as UTF-8 text\n');
  });

  test('check --import-k6-summary: held to READINESS_MAX_BYTES (boundary), UTF-8 never repaired', async () => {
    const d = tmpDir('k6');
    // READINESS_MAX_BYTES holds the manifest too: the summary is made larger than the manifest, so the limit
    // at the summary's size lets the manifest through
    const size = readFileSync(example('compliant.yaml')).length + 1000;
    writeFileSync(path.join(d, 'k6.json'), `{${' '.repeat(size - 2)}}`);
    // at the limit: read, and judged as a k6 summary (which this is not)
    let r = await runInProcess(['check', example('compliant.yaml'), '--import-k6-summary', 'k6.json'], { READINESS_MAX_BYTES: String(size) }, d);
    assert.equal(r.code, 2);
    assert.doesNotMatch(r.stderr, /limit/);
    r = await runInProcess(['check', example('compliant.yaml'), '--import-k6-summary', 'k6.json'], { READINESS_MAX_BYTES: String(size - 1) }, d);
    assert.equal(r.code, 2);
    assert.equal(r.stderr, `k6.json:1:1: file is ${size} bytes, over the ${size - 1}-byte limit for a k6 summary\n`);
    writeFileSync(path.join(d, 'k6.json'), Buffer.concat([Buffer.from('{"metrics": "\n'), Buffer.from([0xff]), Buffer.from('"}')]));
    r = await runInProcess(['check', example('compliant.yaml'), '--import-k6-summary', 'k6.json'], {}, d);
    assert.equal(r.code, 2);
    assert.equal(r.stderr, 'k6.json:2:1: file is not valid UTF-8: save the k6 summary as UTF-8 text\n');
  });

  test('docs/limits.md: a manifest of 5 MiB is read, a byte more is refused unread; READINESS_MAX_BYTES moves it for manifests, answers and init --from, not for waivers', async () => {
    assert.equal(DEFAULT_MAX_BYTES, 5 * 1024 * 1024);
    assert.equal(FIFO_WRITER_WAIT_MS, 2000);
    const d = tmpDir('limits');
    const base = readFileSync(example('compliant.yaml'));
    const m = path.join(d, 'm.yaml');
    writeFileSync(m, Buffer.concat([base, Buffer.from(`#${'x'.repeat(DEFAULT_MAX_BYTES - base.length - 2)}\n`)]));
    let r = await runInProcess(['check', 'm.yaml'], {}, d);
    assert.equal(r.code, 0, r.stderr);
    truncateSync(m, DEFAULT_MAX_BYTES + 1);
    r = await runInProcess(['check', 'm.yaml'], {}, d);
    assert.equal(r.stderr, 'm.yaml:1:1: file is 5242881 bytes, over the 5242880-byte limit for a manifest\n');
    writeFileSync(m, base);
    // a child process, and in process: the loader reads READINESS_MAX_BYTES from the CLI's environment (io.env),
    // so a library caller's or an in-process run's limit holds (it read process.env before)
    assert.equal((await runBin(['check', 'm.yaml'], { env: { READINESS_MAX_BYTES: String(base.length) }, cwd: d })).code, 0);
    r = await runBin(['check', 'm.yaml'], { env: { READINESS_MAX_BYTES: String(base.length - 1) }, cwd: d });
    assert.equal(r.stderr, `m.yaml:1:1: file is ${base.length} bytes, over the ${base.length - 1}-byte limit for a manifest\n`);
    assert.equal((await runInProcess(['check', 'm.yaml'], { READINESS_MAX_BYTES: String(base.length) }, d)).code, 0);
    for (const cmd of [['check', 'm.yaml'], ['generate', 'm.yaml', '--out-dir', 'g'], ['diff', 'm.yaml', 'm.yaml'], ['audit', 'verify', 'none.jsonl', '--manifest', 'm.yaml']]) {
      r = await runInProcess(cmd, { READINESS_MAX_BYTES: String(base.length - 1) }, d);
      assert.equal(r.code, 2, `${cmd.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, new RegExp(`m\\.yaml:1:1: file is ${base.length} bytes, over the ${base.length - 1}-byte limit for a manifest`), cmd.join(' '));
    }
    // init --from reads the manifest before it needs a terminal
    r = await runInProcess(['init', '--from', 'm.yaml', '--out', 'o.yaml'], { READINESS_MAX_BYTES: String(base.length - 1) }, d);
    assert.equal(r.code, 2);
    assert.match(r.stderr, new RegExp(`m\\.yaml:1:1: file is ${base.length} bytes, over the ${base.length - 1}-byte limit for a manifest`));
    r = await runInProcess(['init', '--answers', path.join(ROOT, 'test', 'init', 'fixtures', 'answers-compliant.yaml'), '--out', 'o.yaml'], { READINESS_MAX_BYTES: '100' }, d);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /answers-compliant\.yaml:1:1: file is \d+ bytes, over the 100-byte limit for an answers file/);
    assert.equal(existsSync(path.join(d, 'o.yaml')), false);
    // waivers: the manifest's default, fixed
    const w = path.join(d, 'w.yaml');
    // a waivers file larger than the manifest, under a limit the manifest meets: the waivers are not held to it
    writeFileSync(w, `waivers:\n  - check: failover\n    reason: second vendor in sprint 12\n    owner: ops\n    expires: 2026-12-31\n#${'x'.repeat(base.length)}\n`);
    r = await runInProcess(['check', 'm.yaml', '--waivers', 'w.yaml'], { READINESS_MAX_BYTES: String(base.length), READINESS_TODAY: '2026-10-01' }, d);
    assert.doesNotMatch(r.stderr, /file is \d+ bytes, over/);
    assert.ok(r.code === 0 || r.code === 1, r.stderr);
    truncateSync(w, DEFAULT_MAX_BYTES + 1);
    r = await runInProcess(['check', example('compliant.yaml'), '--waivers', 'w.yaml'], {}, d);
    assert.equal(r.stderr, 'w.yaml:1:1: file is 5242881 bytes, over the 5242880-byte limit for a waivers file\n');
  });

  test('a waivers file that is not UTF-8: exit 2 at the line and column of the bad byte', async () => {
    const d = tmpDir('waivers-utf8');
    writeFileSync(path.join(d, 'w.yaml'), Buffer.from('waivers:\n  - check: failover\n    reason: "Zweitanbieter f\xfcr 2027"\n    owner: ops\n    expires: 2026-12-31\n', 'latin1'));
    const r = await runInProcess(['check', example('compliant.yaml'), '--waivers', 'w.yaml'], {}, d);
    assert.equal(r.code, 2);
    assert.equal(r.stderr, 'w.yaml:3:29: file is not valid UTF-8: save the waivers file as UTF-8 text\n');
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
