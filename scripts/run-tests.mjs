#!/usr/bin/env node
// `npm test` and `npm run test:quick`: node --test over the compiled tests, after a preflight that
// looks for the external tools some tests run (test/helpers/tools.ts) once.
//   - a missing tool: one line naming it and how to get it; the tests that need it are skipped
//     (node:test `skip`, with the same line as the reason), and the end of the run says how many;
//   - under CI=true a missing tool fails the run at once, before any test, with the same line.
// --quick: only the pure tests (no external tool, no server, no child process of the built CLI, no
// fuzzing); under 30 s on 2 cores. Other arguments: test files or folders (default dist/test).
// Every test has a timeout (READINESS_TEST_TIMEOUT_MS, default 300 s): a hang is a failure, not a stall.
import { spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const quick = args.includes('--quick');
const targets = args.filter((a) => a !== '--quick');
const toolsJs = process.env.READINESS_TOOLS_MODULE ?? path.join(root, 'dist', 'test', 'helpers', 'tools.js');
const { TOOLS, findTool, missingMessage } = await import(pathToFileURL(toolsJs).href);

/** Tests left out of --quick: they run external tools, servers, the built CLI in child processes, or fuzz. */
const NOT_QUICK = [
  'cli-bundle.test.js', 'cli.e2e.test.js', 'fuzz.test.js', 'fast-path.test.js', 'generate-prometheus.test.js',
  'html-browser.test.js', 'portkey.test.js', 'probe/probe-e2e.test.js', 'probe/rehearse.test.js',
  'probe/mock-provider.test.js', 'probe/rehearse-security.test.js', 'probe/stream-served.test.js', 'init/cli.test.js', 'init/answers.test.js', 'init/session.test.js', 'test-preflight.test.js', 'examples.test.js', 'docs-ci.test.js', 'yaml-emit-pyyaml.test.js',
];

const say = (line) => process.stderr.write(`readiness tests: ${line}\n`);
const missing = Object.keys(TOOLS).filter((id) => !findTool(id));
const ci = process.env.CI === 'true' || process.env.CI === '1';
for (const id of missing) say(missingMessage(id));
if (missing.length && ci) {
  say(`CI=${process.env.CI}: a missing tool fails the run before any test (CI must install ${missing.join(', ')}).`);
  process.exit(1);
}

function testFiles(p, rel = '') {
  const st = statSync(p);
  if (!st.isDirectory()) return [p];
  return readdirSync(p).sort().flatMap((f) => {
    const full = path.join(p, f);
    const r = rel ? `${rel}/${f}` : f;
    if (statSync(full).isDirectory()) return f === 'fixtures' || f === 'helpers' ? [] : testFiles(full, r);
    return f.endsWith('.test.js') && !(quick && NOT_QUICK.includes(r)) ? [full] : [];
  });
}
const files = (targets.length ? targets : [path.join(root, 'dist', 'test')]).flatMap((t) => testFiles(path.resolve(t)));

// A test that hangs fails after this long instead of stalling the run without a word (the longest test took
// 17 s on a quiet machine; 300 s leaves room for a loaded one). Tests with their own timeout keep it.
const perTest = Number(process.env.READINESS_TEST_TIMEOUT_MS) > 0 ? Number(process.env.READINESS_TEST_TIMEOUT_MS) : 300_000;
const child = spawn(process.execPath, ['--test', `--test-timeout=${perTest}`, '--test-reporter=spec', ...files], { stdio: ['ignore', 'pipe', 'inherit'] });
let tail = '';
child.stdout.on('data', (chunk) => {
  process.stdout.write(chunk);
  tail = (tail + chunk.toString('utf8')).slice(-4096);
});
child.on('close', (code, signal) => {
  const skipped = Number(tail.match(/(?:ℹ|#) skipped (\d+)/)?.[1] ?? 0);
  if (skipped > 0) {
    const why = missing.length ? `${missing.join(', ')} not found (see the line${missing.length > 1 ? 's' : ''} at the start)` : 'see the SKIP lines above';
    process.stderr.write(`\n${'!'.repeat(72)}\nreadiness tests: ${skipped} TEST${skipped === 1 ? '' : 'S'} SKIPPED: ${why}. Those proofs did not run.\n${'!'.repeat(72)}\n`);
  }
  if (quick) say(`quick run: ${files.length} files; ${NOT_QUICK.length} slower or tool-bound files left out (npm test runs everything).`);
  process.exit(signal ? 1 : (code ?? 1));
});
