/**
 * The README's first code block is what a fresh clone runs: its two commands must stay true, and
 * its install section must name the package that is published.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { example, runInProcess } from './helpers/cli.js';
import { fromRoot } from '../src/util/paths.js';

const readme = readFileSync(fromRoot('README.md'), 'utf8');
const pkg = JSON.parse(readFileSync(fromRoot('package.json'), 'utf8')) as { name: string; bin: Record<string, string>; scripts: Record<string, string> };

test('the first two lines of the README are the clone commands: the example passes, npm test exists', async () => {
  const block = readme.match(/```sh\n([\s\S]*?)```/)?.[1].split('\n').filter(Boolean) ?? [];
  assert.match(block[0], /^npm ci && npx readiness check templates\/examples\/compliant\.yaml\s+#/);
  assert.match(block[1], /^npm test\s+#/);
  assert.ok(pkg.scripts.test && pkg.scripts.prepare, 'npm test, and npm ci builds (prepare)');
  const r = await runInProcess(['check', example('compliant.yaml')]);
  assert.equal(r.code, 0, r.stderr);
});

test('install instructions name the published package and its command', () => {
  assert.equal(pkg.name, 'operator-readiness');
  assert.deepEqual(Object.keys(pkg.bin), ['readiness']);
  for (const line of ['npm install --save-dev operator-readiness', 'npx readiness check', 'npx operator-readiness check', 'npm install --global operator-readiness']) {
    assert.ok(readme.includes(line), line);
  }
  assert.doesNotMatch(readme, /npm (?:i|install)(?: -D| --save-dev| -g| --global)? readiness\b/, 'never the unrelated `readiness` package');
});
