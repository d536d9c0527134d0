// Every named output beside --format FMT=FILE keeps the same promises (src/util/output.ts): check
// --probe-out, probe --out, init --out and the out-dir's report.html replace a link at the target
// (never writing through it), refuse a device (which stays a device), and refuse an input of the run
// as the target; a refusal comes before anything is probed or written.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { stringify } from 'yaml';
import { type MockProvider, startMockProvider } from '../src/mock/provider.js';
import { ROOT, example, runInProcess } from './helpers/cli.js';
import { base, setPath } from './helpers/manifest.js';

const dirs: string[] = [];
const tmp = () => {
  const d = mkdtempSync(path.join(tmpdir(), 'readiness-targets-'));
  dirs.push(d);
  return d;
};
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** A character device with /dev/null's numbers, made in the test's folder (never a system node); root only. */
function mknodNull(dir: string, name = 'null'): string | undefined {
  const p = path.join(dir, name);
  try {
    execFileSync('mknod', [p, 'c', '1', '3'], { stdio: 'ignore' });
    return p;
  } catch {
    return undefined;
  }
}

const VICTIM = 'export PATH=/usr/bin\n';
/** A file outside the run's outputs and a link at `name` pointing to it. */
function linkToVictim(d: string, name: string): string {
  const victim = path.join(d, 'bashrc');
  writeFileSync(victim, VICTIM);
  symlinkSync(victim, path.join(d, name));
  return victim;
}

const SHORT = ['--cold-connections', '0', '--burst-factor', '1', '--duration', '1'];
const ANSWERS = path.join(ROOT, 'test', 'init', 'fixtures', 'answers-compliant.yaml');

describe('probe outputs: check --probe-out and probe --out', () => {
  let mock: MockProvider;
  before(async () => {
    mock = await startMockProvider({ latencyMs: 2 });
  });
  after(() => mock.close());

  /** A folder holding readiness.yaml, the compliant manifest aimed at the mock. */
  const manifestDir = () => {
    const d = tmp();
    const m = base('compliant');
    setPath(m, 'probe.target', mock.chatUrl);
    writeFileSync(path.join(d, 'readiness.yaml'), stringify(m));
    return d;
  };
  const runs = [
    { name: 'check --probe-out', args: (out: string) => ['check', 'readiness.yaml', '--probe', '--probe-out', out, '--format', 'json=r.json', ...SHORT] },
    { name: 'probe --out', args: (out: string) => ['probe', 'readiness.yaml', '--out', out, ...SHORT] },
  ];

  for (const run of runs) {
    test(`${run.name}: a link at the target is replaced by the probe JSON, the file it pointed to untouched`, async () => {
      const d = manifestDir();
      const victim = linkToVictim(d, 'probe.json');
      const r = await runInProcess(run.args('probe.json'), {}, d);
      assert.ok([0, 1, 3].includes(r.code), `${r.code}: ${r.stderr}`);
      assert.equal(readFileSync(victim, 'utf8'), VICTIM);
      assert.ok(lstatSync(path.join(d, 'probe.json')).isFile(), 'the link became a file');
      assert.ok(JSON.parse(readFileSync(path.join(d, 'probe.json'), 'utf8')).phases, 'the probe JSON');
    });

    test(`${run.name}: a device or the manifest as the target is refused before anything is probed`, async (t) => {
      const d = manifestDir();
      const manifest = readFileSync(path.join(d, 'readiness.yaml'), 'utf8');
      mock.resetStats();
      const self = await runInProcess(run.args('readiness.yaml'), {}, d);
      assert.equal(self.code, 2, self.stderr);
      assert.match(self.stderr, /cannot write readiness\.yaml: it is .*readiness\.yaml, an input of this run/);
      assert.equal(readFileSync(path.join(d, 'readiness.yaml'), 'utf8'), manifest);
      // through a link to it too
      symlinkSync(path.join(d, 'readiness.yaml'), path.join(d, 'alias.json'));
      const alias = await runInProcess(run.args('alias.json'), {}, d);
      assert.equal(alias.code, 2, alias.stderr);
      assert.match(alias.stderr, /an input of this run/);
      assert.equal(mock.stats().total, 0, 'nothing was probed');
      const dev = mknodNull(d);
      if (!dev) return t.skip('mknod needs root');
      const r = await runInProcess(run.args(dev), {}, d);
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, /it is a device, not a regular file/);
      assert.ok(lstatSync(dev).isCharacterDevice());
      assert.equal(mock.stats().total, 0, 'nothing was probed');
      assert.equal(existsSync(path.join(d, 'r.json')), false);
    });
  }
});

describe('init --out', () => {
  test('a link at --out is not written through: refused without --force, replaced with it', async () => {
    const d = tmp();
    const victim = linkToVictim(d, 'readiness.yaml');
    const refused = await runInProcess(['init', '--answers', ANSWERS], {}, d);
    assert.equal(refused.code, 2, refused.stderr);
    assert.match(refused.stderr, /readiness\.yaml already exists: pass --force/);
    const forced = await runInProcess(['init', '--answers', ANSWERS, '--force'], {}, d);
    assert.equal(forced.code, 0, forced.stderr);
    assert.equal(readFileSync(victim, 'utf8'), VICTIM);
    assert.ok(lstatSync(path.join(d, 'readiness.yaml')).isFile());
    assert.match(readFileSync(path.join(d, 'readiness.yaml'), 'utf8'), /^# /);
    // a dangling link is no file: replaced without --force, the place it named never created
    symlinkSync(path.join(d, 'nowhere.yaml'), path.join(d, 'dangling.yaml'));
    const dangling = await runInProcess(['init', '--answers', ANSWERS, '--out', 'dangling.yaml'], {}, d);
    assert.equal(dangling.code, 0, dangling.stderr);
    assert.ok(lstatSync(path.join(d, 'dangling.yaml')).isFile());
    assert.equal(existsSync(path.join(d, 'nowhere.yaml')), false);
  });

  test('a device at --out is refused, with --force too, and stays a device', async (t) => {
    const d = tmp();
    const dev = mknodNull(d, 'readiness.yaml');
    if (!dev) return t.skip('mknod needs root');
    for (const extra of [[], ['--force']]) {
      const r = await runInProcess(['init', '--answers', ANSWERS, ...extra], {}, d);
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, extra.length ? /cannot write readiness\.yaml: it is a device, not a regular file/ : /already exists/);
      assert.ok(lstatSync(dev).isCharacterDevice());
    }
  });

  test('the answers file as --out is refused with --force too, and kept', async () => {
    const d = tmp();
    copyFileSync(ANSWERS, path.join(d, 'answers.yaml'));
    const before = readFileSync(path.join(d, 'answers.yaml'), 'utf8');
    const r = await runInProcess(['init', '--answers', 'answers.yaml', '--out', 'answers.yaml', '--force'], {}, d);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /cannot write answers\.yaml: it is .*answers\.yaml, an input of this run/);
    assert.equal(readFileSync(path.join(d, 'answers.yaml'), 'utf8'), before);
  });
});

describe("the out-dir's report.html", () => {
  test('a link at OUT/report.html is replaced by the page, the file it pointed to untouched', async () => {
    const d = tmp();
    mkdirSync(path.join(d, 'out'));
    const victim = path.join(d, 'bashrc');
    writeFileSync(victim, VICTIM);
    symlinkSync(victim, path.join(d, 'out', 'report.html'));
    const r = await runInProcess(['check', example('compliant.yaml'), '--out-dir', 'out'], {}, d);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(readFileSync(victim, 'utf8'), VICTIM);
    assert.ok(lstatSync(path.join(d, 'out', 'report.html')).isFile());
    assert.match(readFileSync(path.join(d, 'out', 'report.html'), 'utf8'), /^<!doctype html>/i);
  });

  test('a device at OUT/report.html is refused before any generated file is written', async (t) => {
    const d = tmp();
    mkdirSync(path.join(d, 'out'));
    const dev = mknodNull(path.join(d, 'out'), 'report.html');
    if (!dev) return t.skip('mknod needs root');
    const r = await runInProcess(['check', example('compliant.yaml'), '--out-dir', 'out', '--format', 'json=r.json'], {}, d);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /cannot write out\/report\.html: it is a device, not a regular file/);
    assert.ok(lstatSync(dev).isCharacterDevice());
    assert.deepEqual(execFileSync('ls', ['-A', path.join(d, 'out')], { encoding: 'utf8' }).trim().split('\n'), ['report.html'], 'nothing else written');
    assert.equal(existsSync(path.join(d, 'r.json')), false);
  });

  test('the manifest or a waivers file inside the out-dir, where the page or a generated file goes, is refused and kept', async () => {
    const d = tmp();
    mkdirSync(path.join(d, 'out'));
    const manifest = readFileSync(example('compliant.yaml'), 'utf8');
    // the page's own name, and a generated file's (the first generate writes)
    const listed = await runInProcess(['generate', example('compliant.yaml'), '--out-dir', path.join(d, 'listing')]);
    const generated = path.relative(path.join(d, 'listing'), listed.stdout.trim().split('\n')[0]);
    for (const name of ['report.html', 'tenants.csv', generated]) {
      mkdirSync(path.dirname(path.join(d, 'out', name)), { recursive: true });
      writeFileSync(path.join(d, 'out', name), manifest);
      const r = await runInProcess(['check', path.join('out', name), '--out-dir', 'out'], {}, d);
      assert.equal(r.code, 2, `${name}: ${r.stderr}`);
      assert.match(r.stderr, /an input of this run/, name);
      assert.equal(readFileSync(path.join(d, 'out', name), 'utf8'), manifest, `${name} kept`);
      const g = await runInProcess(['generate', path.join('out', name), '--out-dir', 'out'], {}, d);
      if (name === generated) {
        assert.equal(g.code, 2, `generate over its own manifest: ${g.stderr}`);
        assert.match(g.stderr, /an input of this run/);
        assert.equal(readFileSync(path.join(d, 'out', name), 'utf8'), manifest);
      }
      rmSync(path.join(d, 'out'), { recursive: true });
      mkdirSync(path.join(d, 'out'));
    }
    writeFileSync(path.join(d, 'out', 'report.html'), 'waivers: []\n');
    const w = await runInProcess(['check', example('compliant.yaml'), '--waivers', 'out/report.html', '--out-dir', 'out'], {}, d);
    assert.equal(w.code, 2, w.stderr);
    assert.match(w.stderr, /an input of this run/);
    assert.equal(readFileSync(path.join(d, 'out', 'report.html'), 'utf8'), 'waivers: []\n');
  });
});
