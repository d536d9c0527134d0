// Two `readiness generate` runs into one out-dir: the set on disk is always one manifest's, whole.
// A test hook (READINESS_TEST_HOLD_BEFORE_RENAME_MS) holds the first writer between staging and
// renaming, so the second one meets it there every time, not by chance.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { test } from 'node:test';
import { LOCK_NAME } from '../src/util/atomic.js';
import { BIN, example, runBin } from './helpers/cli.js';

function startWriter(manifest: string, dir: string, holdMs: number) {
  const child = spawn(process.execPath, [BIN, 'generate', example(manifest), '--out-dir', dir], {
    env: { ...process.env, READINESS_TEST_HOLD_BEFORE_RENAME_MS: String(holdMs), NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal, stderr })),
  );
  return { child, done };
}

async function waitFor(file: string, ms = 20_000): Promise<void> {
  await waitUntil(() => existsSync(file), `${file} to appear`, ms);
}

async function waitUntil(ready: () => boolean, what: string, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!ready()) {
    if (Date.now() > end) throw new Error(`waited ${ms} ms for ${what}`);
    await sleep(20);
  }
}

function generatedFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const f of readdirSync(d)) {
      const p = path.join(d, f);
      if (statSync(p).isDirectory()) walk(p);
      else if (!f.endsWith('.tmp')) out.push(p);
    }
  };
  walk(dir);
  return out.sort();
}

/** Every generated file names the manifest it came from: all must name `ours`, none `theirs`. */
function assertWholeSetOf(dir: string, ours: string, theirs: string, unnamed: string[] = []): void {
  // files that do not name their manifest (tenants.csv) are checked by the caller
  const files = generatedFiles(dir).filter((f) => !unnamed.includes(path.basename(f)));
  assert.ok(files.length >= 8, `a whole set was written (${files.length} files)`);
  for (const f of files) {
    const text = readFileSync(f, 'utf8');
    assert.ok(text.includes(ours), `${path.relative(dir, f)} comes from ${ours}`);
    assert.ok(!text.includes(theirs), `${path.relative(dir, f)} has nothing of ${theirs}`);
  }
  assert.ok(!existsSync(path.join(dir, LOCK_NAME)), 'no lock is left behind');
}

test('a second generate into an out-dir being written is refused, naming the first, which then writes its whole set', async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'readiness-concurrent-'));
  try {
    const first = startWriter('compliant.yaml', dir, 4000);
    await waitFor(path.join(dir, LOCK_NAME));
    const second = await runBin(['generate', example('incident-2-no-team-ceilings.yaml'), '--out-dir', dir]);
    assert.equal(second.code, 2, second.stderr);
    assert.match(second.stderr, new RegExp(`being written by another readiness run \\(pid ${first.child.pid};`));
    const r = await first.done;
    assert.equal(r.code, 0, r.stderr);
    assertWholeSetOf(dir, 'compliant.yaml', 'incident-2-no-team-ceilings.yaml');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('a writer killed with SIGKILL mid-write blocks nobody: the next takes over its lock and writes its own whole set', async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'readiness-concurrent-'));
  try {
    const first = startWriter('compliant.yaml', dir, 30_000);
    await waitFor(path.join(dir, LOCK_NAME));
    first.child.kill('SIGKILL');
    const r = await first.done;
    assert.equal(r.signal, 'SIGKILL');
    assert.ok(existsSync(path.join(dir, LOCK_NAME)), 'the killed writer left its lock');
    const next = await runBin(['generate', example('incident-2-no-team-ceilings.yaml'), '--out-dir', dir]);
    assert.equal(next.code, 0, next.stderr);
    assertWholeSetOf(dir, 'incident-2-no-team-ceilings.yaml', 'compliant.yaml');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('check --out-dir stages report.html and tenants.csv with the generated files, under the lock: a generate meanwhile is refused', async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'readiness-concurrent-'));
  try {
    const child = spawn(process.execPath, [BIN, 'check', example('compliant.yaml'), '--format', 'json', '--out-dir', dir], {
      env: { ...process.env, READINESS_TEST_HOLD_BEFORE_RENAME_MS: '4000', NO_COLOR: '1' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const done = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    await waitFor(path.join(dir, LOCK_NAME));
    // held between staging and renaming: the page and its tenants are staged in the locked set.
    // The lock is taken before the files are staged, so wait for the whole staged set (the last
    // generated file staged is the one the hold waits after), not the lock alone.
    const stagedNow = () => readdirSync(dir).filter((f) => f.endsWith('.tmp'));
    await waitUntil(() => existsSync(path.join(dir, LOCK_NAME)) && stagedNow().some((f) => f.startsWith('tenants.csv.readiness-')) && stagedNow().some((f) => f.startsWith('report.html.readiness-')), 'report.html and tenants.csv to be staged', 20_000).catch(() => undefined);
    assert.ok(existsSync(path.join(dir, LOCK_NAME)), 'the lock is still held while the set is staged');
    const staged = stagedNow();
    assert.ok(staged.some((f) => f.startsWith('report.html.readiness-')), `report.html staged under the lock (${staged.join(', ')})`);
    assert.ok(staged.some((f) => f.startsWith('tenants.csv.readiness-')), `tenants.csv staged under the lock (${staged.join(', ')})`);
    const second = await runBin(['generate', example('incident-2-no-team-ceilings.yaml'), '--out-dir', dir]);
    assert.equal(second.code, 2, second.stderr);
    assert.equal(await done, 0, stderr);
    assert.match(readFileSync(path.join(dir, 'report.html'), 'utf8'), /compliant\.yaml/);
    assert.match(readFileSync(path.join(dir, 'tenants.csv'), 'utf8'), /\r\nresearch,research,/);
    assertWholeSetOf(dir, 'compliant.yaml', 'incident-2-no-team-ceilings.yaml', ['tenants.csv']);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
