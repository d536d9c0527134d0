/**
 * `npm test` tells the truth on a machine without the external tools (scripts/run-tests.mjs,
 * test/helpers/tools.ts): run on a small test file in a child process whose PATH holds none of them.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { ROOT } from './helpers/cli.js';

const RUNNER = path.join(ROOT, 'scripts', 'run-tests.mjs');
const TOOLS = pathToFileURL(path.join(ROOT, 'dist', 'test', 'helpers', 'tools.js')).href;

function sandbox(t: { after: (fn: () => void) => void }) {
  const dir = mkdtempSync(path.join(tmpdir(), 'readiness-preflight-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const bin = path.join(dir, 'bin');
  mkdirSync(bin);
  const file = path.join(dir, 'sample.test.mjs');
  writeFileSync(
    file,
    `import assert from 'node:assert/strict';
import { test } from 'node:test';
import { needs, toolPath } from ${JSON.stringify(TOOLS)};
test('pure', () => assert.equal(1 + 1, 2));
test('runs promtool', { skip: needs('promtool') }, () => assert.ok(toolPath('promtool').endsWith('promtool')));
`,
  );
  const run = (env: Record<string, string>) => {
    const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !['CI', 'PROMTOOL', 'AMTOOL', 'CHROMIUM', 'PG_BIN', 'NODE_TEST_CONTEXT'].includes(k)));
    // PostgreSQL is also looked for in Debian's /usr/lib/postgresql, off PATH: PG_BIN names a folder of the sandbox instead
    return spawnSync(process.execPath, [RUNNER, file], { encoding: 'utf8', env: { ...clean, PATH: bin, PG_BIN: path.join(dir, 'pg'), ...env }, timeout: 60_000 });
  };
  return { bin, pg: path.join(dir, 'pg'), run };
}

const toolLines = (stderr: string, tool: string) => stderr.split('\n').filter((l) => l.startsWith(`readiness tests: ${tool} not found`));

test('without promtool, amtool, chromium and postgres: one line per tool with how to get it, the tests needing them skipped, the count said loudly, exit 0', (t) => {
  const { run } = sandbox(t);
  const r = run({});
  assert.equal(r.status, 0, r.stderr + r.stdout);
  for (const tool of ['promtool', 'amtool', 'chromium', 'postgres']) {
    const lines = toolLines(r.stderr, tool);
    assert.equal(lines.length, 1, `${tool}: ${r.stderr}`);
    assert.match(lines[0], /Debian\/Ubuntu: apt-get install .+; macOS: brew install .+; or https:\/\//);
  }
  assert.match(r.stderr, /1 TEST SKIPPED: promtool, amtool, chromium, postgres not found/);
  assert.match(r.stdout, /pure/);
  assert.match(r.stdout, /runs promtool.*# promtool not found/);
  assert.doesNotMatch(r.stdout + r.stderr, /\n\s+at /, 'no stack trace');
});

test('under CI=true a missing tool fails the run at once, before any test, with the same line', (t) => {
  const { run } = sandbox(t);
  const r = run({ CI: 'true' });
  assert.equal(r.status, 1);
  assert.equal(toolLines(r.stderr, 'promtool').length, 1);
  assert.match(r.stderr, /CI=true: a missing tool fails the run before any test/);
  assert.equal(r.stdout, '', 'no test ran');
});

test('a tool on PATH is found and its tests run', (t) => {
  const { bin, pg, run } = sandbox(t);
  for (const tool of ['promtool', 'amtool', 'chromium']) {
    writeFileSync(path.join(bin, tool), '#!/bin/sh\nexit 0\n');
    chmodSync(path.join(bin, tool), 0o755);
  }
  mkdirSync(pg);
  for (const tool of ['initdb', 'pg_ctl', 'psql']) {
    writeFileSync(path.join(pg, tool), '#!/bin/sh\nexit 0\n');
    chmodSync(path.join(pg, tool), 0o755);
  }
  const r = run({ CI: 'true' });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(toolLines(r.stderr, 'promtool').length, 0);
  assert.doesNotMatch(r.stderr, /SKIPPED/);
  assert.match(r.stdout, /pass 2/);
});
