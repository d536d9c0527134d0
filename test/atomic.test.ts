// A failure mid-write leaves the previous files intact: nothing half-written, nothing left behind.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { writeAllAtomic } from '../src/util/atomic.js';
import { ROOT, example, runInProcess } from './helpers/cli.js';

function tree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out[path.relative(dir, p)] = readFileSync(p, 'utf8');
    }
  };
  walk(dir);
  return out;
}

describe('atomic writes', () => {
  test('disk full while staging the third file: the previous set is untouched and no temp file remains', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'readiness-atomic-'));
    const files = ['a/one.yml', 'a/two.yml', 'b/three.json', 'b/four.json'].map((p) => ({ path: p, content: `old ${p}\n` }));
    await writeAllAtomic(dir, files);
    const before = tree(dir);
    let n = 0;
    const full = async (file: string, content: string) => {
      if (++n === 3) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
      writeFileSync(file, content.slice(0, Math.floor(content.length / 2)));
    };
    await assert.rejects(writeAllAtomic(dir, files.map((f) => ({ ...f, content: `new ${f.path}\n` })), { writeStaged: full }), /ENOSPC/);
    assert.deepEqual(tree(dir), before);
  });
  test('permission denied on the first file: nothing changes', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'readiness-atomic-'));
    await writeAllAtomic(dir, [{ path: 'x.txt', content: 'old\n' }]);
    const denied = async () => {
      throw Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' });
    };
    await assert.rejects(writeAllAtomic(dir, [{ path: 'x.txt', content: 'new\n' }], { writeStaged: denied }), /EACCES/);
    assert.deepEqual(tree(dir), { 'x.txt': 'old\n' });
  });
  test('a report path through a file: exit 2 with the reason, nothing written', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'readiness-atomic-'));
    writeFileSync(path.join(dir, 'reports'), 'a file, not a folder\n');
    const target = path.join(dir, 'reports', 'readiness.sarif');
    const r = await runInProcess(['check', example('compliant.yaml'), '--format', `sarif=${target}`]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^readiness: cannot write \S+readiness\.sarif: a part of its path is a file, not a folder \((ENOTDIR|EEXIST)\); nothing was written\n$/);
    assert.deepEqual(tree(dir), { reports: 'a file, not a folder\n' });
  });
  test('generate into a folder where one target folder is a file: exit 2, the earlier files intact', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'readiness-atomic-'));
    const out = path.join(dir, 'out');
    assert.equal((await runInProcess(['generate', example('compliant.yaml'), '--out-dir', out])).code, 0);
    const before = tree(out);
    // make gateway/ a file: staging the gateway files fails after the alerts were staged
    rmSync(path.join(out, 'gateway'), { recursive: true });
    writeFileSync(path.join(out, 'gateway'), 'not a folder\n');
    delete before['gateway/litellm.config.yaml'];
    delete before['gateway/litellm.teams.json'];
    delete before['gateway/litellm.keys.json'];
    delete before['gateway/portkey.config.json'];
    before.gateway = 'not a folder\n';
    const r = await runInProcess(['generate', example('incident-1-rate-limit-at-peak.yaml'), '--out-dir', out]);
    assert.equal(r.code, 2, r.stderr);
    assert.doesNotMatch(r.stderr, /\n\s+at /);
    assert.deepEqual(tree(out), before, 'the alerts from the first run are byte-identical and no temp file is left');
    mkdirSync(path.join(dir, 'ok'));
  });

  test('a target that is a folder: refused before any file is renamed, so the set stays as it was', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'readiness-atomic-'));
    const out = path.join(dir, 'out');
    assert.equal((await runInProcess(['generate', example('compliant.yaml'), '--out-dir', out])).code, 0);
    rmSync(path.join(out, 'gateway', 'portkey.config.json'));
    mkdirSync(path.join(out, 'gateway', 'portkey.config.json'));
    const before = tree(out);
    const r = await runInProcess(['generate', example('incident-1-rate-limit-at-peak.yaml'), '--out-dir', out]);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /EISDIR/);
    assert.deepEqual(tree(out), before, 'none of the other files was replaced, no temp file left');
    rmSync(dir, { recursive: true, force: true });
  });

  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    test(`${sig} while the set is being staged: the process ends by the signal, the temp files are removed, the old set stays`, async () => {
      const dir = mkdtempSync(path.join(tmpdir(), 'readiness-atomic-'));
      const files = ['a/one.yml', 'a/two.yml', 'b/three.json'].map((p) => ({ path: p, content: `old ${p}\n` }));
      await writeAllAtomic(dir, files);
      const before = tree(dir);
      // a child stages two files, says so, then waits forever on the third: the signal comes then
      const atomic = pathToFileURL(path.join(ROOT, 'dist', 'src', 'util', 'atomic.js')).href;
      const script = `import(${JSON.stringify(atomic)}).then(({ writeAllAtomic }) => {
        let n = 0;
        const writeStaged = async (file, content) => {
          require('node:fs').writeFileSync(file, content);
          if (++n === 3) { process.stdout.write('staged\\n'); await new Promise(() => setInterval(() => {}, 1000)); }
        };
        return writeAllAtomic(${JSON.stringify(dir)}, ${JSON.stringify(files.map((f) => ({ ...f, content: `new ${f.path}\n` })))}, { writeStaged });
      });`;
      const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
      const killer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      const ended = new Promise<NodeJS.Signals | null>((resolve) => child.on('close', (_code, signal) => resolve(signal)));
      await new Promise<void>((resolve) => child.stdout.on('data', (d: Buffer) => d.toString().includes('staged') && resolve()));
      assert.equal(readdirSync(path.join(dir, 'b')).filter((f) => f.endsWith('.tmp')).length, 1, 'staged files exist before the signal');
      child.kill(sig);
      assert.equal(await ended, sig);
      clearTimeout(killer);
      assert.deepEqual(tree(dir), before, 'the old set, and no temp file');
      rmSync(dir, { recursive: true, force: true });
    });
  }
});
