/** `readiness init` as a user runs it: the built CLI, in a pipe and in a pseudo-terminal. */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { BIN, ROOT, runBin } from '../helpers/cli.js';

const FIXTURES = path.join(ROOT, 'test', 'init', 'fixtures');

function tmp(t: { after: (fn: () => void) => void }): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'readiness-init-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

test('built CLI: --answers writes the manifest and the report goes to stdout, progress to stderr', async (t) => {
  const dir = tmp(t);
  const r = await runBin(['init', '--answers', path.join(FIXTURES, 'answers-incident-1-rate-limit-at-peak.json'), '--out', 'm.yaml'], { cwd: dir });
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stdout, /^readiness: claims-triage-agent/);
  assert.match(r.stdout, /FAIL {2}failover/);
  assert.match(r.stderr, /wrote m\.yaml/);
  const check = await runBin(['check', 'm.yaml'], { cwd: dir });
  assert.equal(check.code, 1, 'readiness check agrees with the report init showed');
  assert.equal(check.stdout, r.stdout);
});

test('built CLI: without a terminal and without --answers, init refuses (exit 2) and writes nothing', async (t) => {
  const dir = tmp(t);
  const r = await runBin(['init'], { cwd: dir });
  assert.equal(r.code, 2);
  assert.match(r.stderr, /needs a terminal; for a non-interactive run pass --answers FILE/);
  assert.deepEqual(readdirSync(dir), []);
});

test('built CLI: init is listed in help with its options', async () => {
  const r = await runBin(['init', '--help']);
  assert.equal(r.code, 0);
  for (const flag of ['--out <file>', '--answers <file>', '--from <manifest>', '--force']) assert.ok(r.stdout.includes(flag), flag);
});

/** Static imports of a compiled module and everything it statically imports. */
function staticGraph(entry: string): Set<string> {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const src = readFileSync(file, 'utf8');
    for (const m of src.matchAll(/^\s*(?:import|export)\s[^;]*?from\s+['"]([^'"]+)['"]/gm)) {
      const spec = m[1];
      if (spec.startsWith('.')) visit(path.resolve(path.dirname(file), spec));
      else seen.add(spec);
    }
  };
  visit(entry);
  return seen;
}

test('inquirer is never loaded by other commands: nothing reaches it but init\'s lazy import', () => {
  const graph = staticGraph(path.join(ROOT, 'dist', 'src', 'cli', 'main.js'));
  assert.ok(graph.has('commander'), 'the walk follows static imports');
  assert.deepEqual([...graph].filter((s) => s.startsWith('@inquirer')), []);
  const init = readFileSync(path.join(ROOT, 'dist', 'src', 'cli', 'commands', 'init.js'), 'utf8');
  assert.match(init, /await import\('@inquirer\/prompts'\)/);
});

const hasScript = spawnSync('script', ['--version'], { encoding: 'utf8' }).status === 0;

test('built CLI in a pseudo-terminal: Ctrl-C mid-session exits 130 and leaves no file', { skip: hasScript ? false : 'util-linux `script` is not installed' }, async (t) => {
  const dir = tmp(t);
  // `script` gives the CLI a real terminal; its exit status is the CLI's (-e)
  const child = spawn('script', ['-qec', `${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)} init --out m.yaml`, '/dev/null'], {
    cwd: dir,
    env: { ...process.env, NO_COLOR: '1', TERM: 'xterm' },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const killer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  t.after(() => {
    clearTimeout(killer);
    child.kill('SIGKILL');
  });
  let screen = '';
  const waiters: Array<{ re: RegExp; resolve: () => void }> = [];
  child.stdout.setEncoding('utf8').on('data', (d: string) => {
    screen += d;
    for (const w of [...waiters]) if (w.re.test(screen)) {
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve();
    }
  });
  const waitFor = (re: RegExp) => new Promise<void>((resolve) => (re.test(screen) ? resolve() : waiters.push({ re, resolve })));
  const closed = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));

  await waitFor(/deployment called/);
  child.stdin.write('demo-agent\r');
  await waitFor(/Who is the operator/);
  child.stdin.write('\x03');
  const code = await closed;
  assert.equal(code, 130, screen);
  assert.match(screen, /interrupted; nothing was written/);
  assert.deepEqual(readdirSync(dir), []);
});
