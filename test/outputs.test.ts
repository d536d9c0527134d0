// Named outputs (reports, probe JSON, init's manifest, the out-dir) never follow a link, never
// replace a device, never overwrite an input, and a failed run leaves no report that says it passed.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { ensureDir, writeOutput } from '../src/util/output.js';
import { example, runBin, runInProcess } from './helpers/cli.js';

const dirs: string[] = [];
const tmp = () => {
  const d = mkdtempSync(path.join(tmpdir(), 'readiness-out-'));
  dirs.push(d);
  return d;
};
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** A character device with /dev/null's numbers, made in a temp folder (never a system node); root only. */
function mknodNull(dir: string): string | undefined {
  const p = path.join(dir, 'null');
  try {
    execFileSync('mknod', [p, 'c', '1', '3'], { stdio: 'ignore' });
    return p;
  } catch {
    return undefined;
  }
}

describe('named outputs', () => {
  test('a link at a report target is replaced by the report, its target left untouched', async () => {
    const d = tmp();
    const victim = path.join(d, 'bashrc');
    writeFileSync(victim, 'export PATH=/usr/bin\n');
    symlinkSync(victim, path.join(d, 'readiness.sarif'));
    symlinkSync(victim, path.join(d, 'r.json'));
    const r = await runInProcess(['check', example('compliant.yaml'), '--format', 'sarif=readiness.sarif', '--format', 'json=r.json'], {}, d);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(readFileSync(victim, 'utf8'), 'export PATH=/usr/bin\n');
    assert.ok(lstatSync(path.join(d, 'readiness.sarif')).isFile());
    assert.match(readFileSync(path.join(d, 'r.json'), 'utf8'), /"exitCode": 0/);
  });

  test('a device node as a report target is refused and stays a device', async (t) => {
    const d = tmp();
    const dev = mknodNull(d);
    if (!dev) return t.skip('mknod needs root');
    for (const args of [['--format', `junit=${dev}`], ['--out-dir', path.join(d, 'gen'), '--format', 'json=ok.json', '--format', `html=${dev}`]]) {
      const r = await runInProcess(['check', example('compliant.yaml'), ...args], {}, d);
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, /it is a device, not a regular file/);
      assert.ok(lstatSync(dev).isCharacterDevice());
      assert.equal(existsSync(path.join(d, 'ok.json')), false);
    }
    // and the helper itself, as init and probe --out use it
    await assert.rejects(writeOutput(dev, 'x'), /a device/);
    assert.ok(lstatSync(dev).isCharacterDevice());
  });

  test('a FIFO as a target is refused without opening it (no writer blocks)', async () => {
    const d = tmp();
    const fifo = path.join(d, 'pipe');
    execFileSync('mkfifo', [fifo]);
    await assert.rejects(writeOutput(fifo, 'x'), /a FIFO/);
    assert.ok(lstatSync(fifo).isFIFO());
  });

  test('a report over the manifest or a waivers file is refused and the input kept', async () => {
    const d = tmp();
    const m = path.join(d, 'readiness.yaml');
    copyFileSync(example('compliant.yaml'), m);
    const before = readFileSync(m, 'utf8');
    const w = path.join(d, 'w.yaml');
    writeFileSync(w, 'waivers: []\n');
    symlinkSync(m, path.join(d, 'alias.yaml'));
    for (const target of ['readiness.yaml', './readiness.yaml', 'w.yaml']) {
      const r = await runInProcess(['check', 'readiness.yaml', '--waivers', 'w.yaml', '--format', `json=${target}`], {}, d);
      assert.equal(r.code, 2, target);
      assert.match(r.stderr, /an input of this run/);
    }
    assert.equal(readFileSync(m, 'utf8'), before);
    assert.equal(readFileSync(w, 'utf8'), 'waivers: []\n');
    const p = await runInProcess(['probe', 'readiness.yaml', '--out', 'readiness.yaml'], {}, d);
    assert.equal(p.code, 2);
    assert.equal(readFileSync(m, 'utf8'), before);
  });

  test('a failing out-dir leaves no report on disk (it would say the gate passed)', async () => {
    const d = tmp();
    writeFileSync(path.join(d, 'a-file'), 'x');
    const r = await runInProcess(['check', example('compliant.yaml'), '--out-dir', 'a-file', '--format', 'json=r.json', '--format', 'html=r.html'], {}, d);
    assert.equal(r.code, 2, r.stderr);
    assert.equal(existsSync(path.join(d, 'r.json')), false);
    assert.equal(existsSync(path.join(d, 'r.html')), false);
  });

  test('a symlinked subfolder of the out-dir is refused; the folder it points to is untouched', async () => {
    const d = tmp();
    const out = path.join(d, 'out');
    assert.equal((await runInProcess(['generate', example('compliant.yaml'), '--out-dir', out])).code, 0);
    const sub = (await runInProcess(['generate', example('compliant.yaml'), '--out-dir', path.join(d, 'probe-list')])).stdout.split('\n').find((l) => l.includes('/'));
    assert.ok(sub, 'generate writes into a subfolder');
    const first = path.relative(path.join(d, 'probe-list'), sub).split(path.sep)[0];
    const elsewhere = path.join(d, 'elsewhere');
    mkdirSync(elsewhere);
    rmSync(path.join(out, first), { recursive: true });
    symlinkSync(elsewhere, path.join(out, first));
    const r = await runInProcess(['generate', example('compliant.yaml'), '--out-dir', out]);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /symbolic link to a folder/);
    assert.equal(existsSync(path.join(elsewhere, path.basename(sub))), false);
  });

  test('--format json=/dev/stdout is stdout', async () => {
    const r = await runInProcess(['check', example('compliant.yaml'), '--format', 'json=/dev/stdout']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /"exitCode": 0/);
  });

  test('--out-dir "" and --probe-out without --probe are usage errors', async () => {
    const d = tmp();
    const e = await runInProcess(['check', example('compliant.yaml'), '--out-dir', ''], {}, d);
    assert.equal(e.code, 2);
    assert.match(e.stderr, /--out-dir ""/);
    const p = await runInProcess(['check', example('compliant.yaml'), '--probe-out', 'p.json'], {}, d);
    assert.equal(p.code, 2);
    assert.match(p.stderr, /--probe-out needs --probe/);
  });

  test('--out-dir /proc/x ends with exit 2 instead of hanging in a recursive mkdir', async () => {
    await assert.rejects(ensureDir('/proc/readiness-x/y'), /cannot create the folder/);
    const r = await runBin(['check', example('compliant.yaml'), '--out-dir', '/proc/readiness-x'], { timeoutMs: 20_000 });
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /cannot create the folder/);
  });
});

test('a newline in metadata.name stays inside the text report header line', async () => {
  const d = tmp();
  const src = readFileSync(example('compliant.yaml'), 'utf8').replace('name: contract-review-agent', 'name: "agent\\nFAKE: all checks passed"');
  writeFileSync(path.join(d, 'm.yaml'), src);
  const r = await runInProcess(['check', 'm.yaml'], {}, d);
  const header = r.stdout.split('\n')[0];
  assert.match(header, /^readiness: agent\\u000aFAKE: all checks passed/);
  assert.doesNotMatch(r.stdout.split('\n')[1] ?? '', /FAKE/);
});
