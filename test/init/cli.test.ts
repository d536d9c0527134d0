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
  const pty = ptyInit(t, dir);
  await pty.waitFor(/The deployment: its short name/);
  pty.send('demo-agent | acme | production | 1.0\r');
  await pty.waitFor(/Which industry/);
  pty.send('\x03');
  assert.equal(await pty.closed, 130, pty.io.screen);
  assert.match(pty.io.screen, /interrupted; nothing was written/);
  assert.deepEqual(readdirSync(dir), []);
});

/** The built CLI's init in a pseudo-terminal (`script` gives it a real terminal; its exit status is the CLI's, -e): what it drew, keys to send, how it ended. */
function ptyInit(t: { after: (fn: () => void) => void }, dir: string) {
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
  const io = { screen: '' };
  const waiters: Array<{ re: RegExp; resolve: () => void }> = [];
  child.stdout.setEncoding('utf8').on('data', (d: string) => {
    io.screen += d;
    for (const w of [...waiters]) if (w.re.test(io.screen)) {
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve();
    }
  });
  const waitFor = (re: RegExp) => new Promise<void>((resolve) => (re.test(io.screen) ? resolve() : waiters.push({ re, resolve })));
  const closed = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return { io, waitFor, closed, send: (keys: string) => child.stdin.write(keys) };
}

test('built CLI in a pseudo-terminal: a pasted key is refused and never on the screen, not even while typed', { skip: hasScript ? false : 'util-linux `script` is not installed' }, async (t) => {
  const dir = tmp(t);
  const key = 'sk-ant-api03-abcdefghijklmnopqrstuvwxyz0123456789';
  const pty = ptyInit(t, dir);
  await pty.waitFor(/The deployment: its short name/);
  pty.send(`${key}\r`); // pasted: the whole key arrives at once, as from a clipboard
  await pty.waitFor(/What was typed is not kept and no longer shown: answer again/);
  const refusedAt = pty.io.screen.indexOf('What was typed is not kept');
  await pty.waitFor(/What was typed is not kept[\s\S]*The deployment: its short name/); // asked afresh
  pty.send('demo-agent | acme | production | 1.0\r');
  await pty.waitFor(/Which industry/);
  pty.send('\x03');
  assert.equal(await pty.closed, 130, pty.io.screen);
  const screen = pty.io.screen;
  assert.ok(/! that looks like a credential \(Anthropic API key\): a manifest holds no secrets, so it cannot be an answer\. What was typed is not kept/.test(screen.replace(/\s+/g, ' ')), 'the refusal was said');
  assert.ok(/\[hidden: looks like a credential\]/.test(screen.replace(/\s+/g, ' ')), 'the line showed it hidden (the terminal wraps it)');
  assert.ok(!screen.slice(refusedAt).includes('sk-'), 'nothing of the key after the refusal');
  for (const part of [key, 'sk-ant', 'abcdefgh']) assert.ok(!screen.includes(part), `the screen never showed ${part}`);
  assert.deepEqual(readdirSync(dir), []);
});
