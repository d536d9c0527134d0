/**
 * The command runs from one bundled file (scripts/bundle-cli.mjs) for start-up time. These tests hold
 * what the bundle must keep true: `check` reads nothing from node_modules but the precompiled
 * validator's ajv runtime, the packages left outside are required only where they are used, and the
 * bundle behaves as the library does.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { BIN, ROOT, example, runInProcess } from './helpers/cli.js';

const BUNDLE = path.join(ROOT, 'dist', 'src', 'cli', 'readiness.cjs');
// keep in step with scripts/bundle-cli.mjs EXTERNAL
const EXTERNAL = ['yaml', 'ajv', 'ajv-formats', 'undici', 'autocannon', '@inquirer/prompts', 'playwright-core', '@portkey-ai/gateway'];

/** Runs the bin with a preload that prints, at exit, every CommonJS file the process loaded. */
function loadedFiles(args: string[]): { code: number | null; files: string[] } {
  const dir = mkdtempSync(path.join(tmpdir(), 'readiness-bundle-'));
  try {
    const preload = path.join(dir, 'list-loaded.cjs');
    const out = path.join(dir, 'loaded.json');
    writeFileSync(preload, `process.on('exit', () => require('node:fs').writeFileSync(${JSON.stringify(out)}, JSON.stringify(Object.keys(require.cache))));\n`);
    const r = spawnSync(process.execPath, ['--require', preload, BIN, ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    return { code: r.status, files: (JSON.parse(readFileSync(out, 'utf8')) as string[]).filter((f) => f !== preload) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const packageOf = (file: string) => {
  const rest = file.split(`${path.sep}node_modules${path.sep}`).pop() as string;
  const parts = rest.split(path.sep);
  return parts[0].startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0];
};

test('check on a valid manifest requires the precompiled validator and ajv\'s runtime helpers, nothing else', () => {
  // the bundle itself is compiled by src/cli/launch.ts (vm.Script), so it is not in require.cache
  const r = loadedFiles(['check', example('compliant.yaml')]);
  assert.equal(r.code, 0);
  const ours = r.files.filter((f) => !f.includes(`${path.sep}node_modules${path.sep}`)).map((f) => path.relative(ROOT, f));
  assert.deepEqual(ours.sort(), ['dist/validators/manifest.cjs']);
  const packages = new Set(r.files.filter((f) => f.includes(`${path.sep}node_modules${path.sep}`)).map(packageOf));
  assert.deepEqual([...packages].sort(), ['ajv', 'fast-deep-equal']);
});

test('an invalid manifest takes the exact path: the yaml package is loaded then, and only then', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'readiness-bundle-'));
  try {
    const bad = path.join(dir, 'bad.yaml');
    writeFileSync(bad, readFileSync(example('compliant.yaml'), 'utf8').replace('apiVersion: readiness/v1', 'apiVersion: readiness/v9'));
    const r = loadedFiles(['check', bad]);
    assert.equal(r.code, 2);
    assert.ok(r.files.some((f) => packageOf(f) === 'yaml'), 'the exact path parsed it');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the bundle names no package outside its list, and requires those only inside lazily started modules', () => {
  const text = readFileSync(BUNDLE, 'utf8');
  const named = new Set<string>();
  for (const m of text.matchAll(/\b(?:require|import)\("([^"./][^"]*)"\)/g)) {
    const spec = m[1];
    if (spec.startsWith('node:')) continue;
    named.add(spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]);
  }
  const builtins = new Set(builtinModules);
  assert.deepEqual([...named].filter((s) => !builtins.has(s) && !EXTERNAL.includes(s)), [], 'a package left outside must be listed in EXTERNAL');
  // no top-level (column 0) require of a package left outside: they load where a command needs them
  for (const ext of EXTERNAL) assert.doesNotMatch(text, new RegExp(`^(?:var|const|let)[^\\n]*require\\("${ext.replace('/', '\\/')}`, 'm'), ext);
  // no import() at all: V8's code cache cannot carry a dynamic-import callback on Node 20
  assert.doesNotMatch(text, /[^\w$.]import\(/);
  assert.match(text, /module\d*\.exports = require\("@inquirer\/prompts"\)/, 'the questionnaire loads inquirer on demand');
});

test('the bundled CLI and the library give byte-identical reports', async () => {
  for (const name of ['compliant.yaml', 'incident-2-no-team-ceilings.yaml']) {
    const lib = await runInProcess(['check', example(name), '--format', 'json']);
    const bin = spawnSync(process.execPath, [BIN, 'check', example(name), '--format', 'json'], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    assert.equal(bin.status, lib.code, name);
    assert.equal(bin.stdout, lib.stdout, name);
  }
});

// --- the code cache (src/cli/launch.ts) ---------------------------------------------------------

/** A copy of the built package whose bundle and cache a test may change; the rest is linked. */
function packageCopy(t: { after: (fn: () => void) => void }): { root: string; bundle: string; cache: string } {
  const root = mkdtempSync(path.join(tmpdir(), 'readiness-launch-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  for (const d of ['schemas', 'templates', 'node_modules', 'package.json']) symlinkSync(path.join(ROOT, d), path.join(root, d));
  mkdirSync(path.join(root, 'dist', 'src', 'cli'), { recursive: true });
  symlinkSync(path.join(ROOT, 'dist', 'validators'), path.join(root, 'dist', 'validators'));
  const bundle = path.join(root, 'dist', 'src', 'cli', 'readiness.cjs');
  copyFileSync(BUNDLE, bundle);
  copyFileSync(`${BUNDLE}.v8cache`, `${bundle}.v8cache`);
  return { root, bundle, cache: `${bundle}.v8cache` };
}

/** Loads a bundle through launch.ts in a fresh node (no flags, as the command runs) and checks the compliant example. */
function launchCheck(bundle: string): { code: number | null; fromCache: boolean; stdout: string } {
  const launch = pathToFileURL(path.join(ROOT, 'dist', 'src', 'cli', 'launch.js')).href;
  const script = `import(${JSON.stringify(launch)}).then(async (m) => {
    const r = m.loadCli(${JSON.stringify(bundle)});
    process.exitCode = await r.cli.main(['node', 'readiness', 'check', ${JSON.stringify(example('compliant.yaml'))}]);
    process.stderr.write('fromCache=' + r.fromCache + '\\n');
  });`;
  const r = spawnSync(process.execPath, ['-e', script], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', NODE_OPTIONS: '' } });
  const m = /fromCache=(true|false)/.exec(r.stderr);
  assert.ok(m, r.stderr);
  return { code: r.status, fromCache: m[1] === 'true', stdout: r.stdout };
}

test('the build leaves a code cache that V8 accepts in a plain node, and the command gives the same report from it', () => {
  const r = launchCheck(BUNDLE);
  assert.equal(r.fromCache, true);
  assert.equal(r.code, 0);
  assert.match(r.stdout, /Gate PASSED \(exit 0\)/);
});

test('a cache made for another bundle of the same length is not used: the bundle is compiled from its own text', (t) => {
  const copy = packageCopy(t);
  // same length, different text: V8's own check (the length) would pass; the digest in the cache file must not
  const text = readFileSync(copy.bundle, 'utf8');
  assert.ok(text.includes('"PASSED"'));
  writeFileSync(copy.bundle, text.replaceAll('"PASSED"', '"PASSES"'));
  const r = launchCheck(copy.bundle);
  assert.equal(r.fromCache, false);
  assert.equal(r.code, 0);
  assert.match(r.stdout, /Gate PASSES \(exit 0\)/);
});

test('a damaged cache (right digest, bad data) is rejected by V8 and the bundle still runs; so does a missing one', (t) => {
  const copy = packageCopy(t);
  const saved = readFileSync(copy.cache);
  writeFileSync(copy.cache, Buffer.concat([saved.subarray(0, 32), Buffer.alloc(saved.length - 32, 0xa5)]));
  let r = launchCheck(copy.bundle);
  assert.equal(r.fromCache, false);
  assert.equal(r.code, 0);
  assert.match(r.stdout, /Gate PASSED \(exit 0\)/);
  rmSync(copy.cache);
  r = launchCheck(copy.bundle);
  assert.equal(r.fromCache, false);
  assert.equal(r.code, 0);
});

test('without a build the launcher says how to build, not a stack trace', (t) => {
  const root = mkdtempSync(path.join(tmpdir(), 'readiness-unbuilt-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  mkdirSync(path.join(root, 'bin'));
  copyFileSync(BIN, path.join(root, 'bin', 'readiness.js'));
  writeFileSync(path.join(root, 'package.json'), '{"type":"module"}\n');
  const r = spawnSync(process.execPath, [path.join(root, 'bin', 'readiness.js'), 'check'], { encoding: 'utf8' });
  assert.equal(r.status, 70);
  assert.match(r.stderr, /not built yet; run `npm install`/);
  assert.doesNotMatch(r.stderr, /\n\s+at /);
});
