/**
 * The command runs from one bundled file (scripts/bundle-cli.mjs) for start-up time. These tests hold
 * what the bundle must keep true: `check` reads nothing from node_modules but the precompiled
 * validator's ajv runtime, the packages left outside are required only where they are used, and the
 * bundle behaves as the library does.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { BIN, ROOT, example, runInProcess } from './helpers/cli.js';

const BUNDLE = path.join(ROOT, 'dist', 'src', 'cli', 'readiness.cjs');
// the build's own list of packages left outside the bundle
const { EXTERNAL } = (await import(pathToFileURL(path.join(ROOT, 'scripts', 'bundle-external.mjs')).href)) as { EXTERNAL: string[] };

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

test('check on a valid manifest requires ajv\'s runtime helpers and nothing else: the precompiled validator is inside the bundle', () => {
  // the bundle itself is compiled by src/cli/launch.ts (vm.Script), so it is not in require.cache
  const r = loadedFiles(['check', example('compliant.yaml')]);
  assert.equal(r.code, 0);
  const ours = r.files.filter((f) => !f.includes(`${path.sep}node_modules${path.sep}`)).map((f) => path.relative(ROOT, f));
  // the CommonJS launcher and its loader: no ES module of ours, and the validator came with the bundle
  // (scripts/bundle-cli.mjs bundledValidator), the one the build made from the current schema
  assert.deepEqual(ours.sort(), ['bin/readiness.js', 'dist/src/cli/launch.cjs']);
  const built = /schemaSha256 = "([0-9a-f]{64})"/.exec(readFileSync(path.join(ROOT, 'dist', 'validators', 'manifest.cjs'), 'utf8'))?.[1];
  assert.ok(built && readFileSync(BUNDLE, 'utf8').includes(`schemaSha256 = "${built}"`), 'the bundle holds the validator of dist/validators');
  const packages = new Set(r.files.filter((f) => f.includes(`${path.sep}node_modules${path.sep}`)).map(packageOf));
  assert.deepEqual([...packages].sort(), ['ajv', 'fast-deep-equal']);
});

test('an invalid manifest takes the exact path with the bundle\'s own yaml, which a valid check never initialises', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'readiness-bundle-'));
  try {
    const bad = path.join(dir, 'bad.yaml');
    writeFileSync(bad, readFileSync(example('compliant.yaml'), 'utf8').replace('apiVersion: readiness/v1', 'apiVersion: readiness/v9'));
    const r = loadedFiles(['check', bad]);
    assert.equal(r.code, 2);
    // yaml is inside the bundle (scripts/bundle-external.mjs): one copy, none read from node_modules
    assert.ok(!r.files.some((f) => packageOf(f) === 'yaml'), 'the bundle\'s own yaml parsed it');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the bundle names no package outside its list, and requires those only inside lazily started modules', () => {
  const text = readFileSync(BUNDLE, 'utf8');
  const named = new Set<string>();
  // require("x"), import("x"), and createRequire(url)("x") as esbuild writes it: (0, import_node_module.createRequire)(url)("x")
  for (const m of text.matchAll(/(?:\brequire|\bimport|createRequire\)\([^)]*\))\("([^"./][^"]*)"\)/g)) {
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
  // the bundled yaml package and commander's child_process are initialised on first use, never at load
  assert.doesNotMatch(text, /^var [^\n]*__toESM\(require_dist\(\)/m, 'yaml initialised at load');
  assert.doesNotMatch(text, /^\s*var childProcess = require\("node:child_process"\)/m, 'commander loads child_process at load');
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

const LAUNCH = pathToFileURL(path.join(ROOT, 'dist', 'src', 'cli', 'launch.js')).href;

/** Runs `script` (CommonJS, `m` is launch.js) in a fresh node with no flags unless given, as the command runs. */
function inFreshNode(script: string, nodeOptions = ''): ReturnType<typeof spawnSync> & { stdout: string; stderr: string } {
  const code = `import(${JSON.stringify(LAUNCH)}).then(async (m) => { ${script} }).catch((e) => { console.error(e); process.exit(99); });`;
  return spawnSync(process.execPath, ['-e', code], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', NODE_OPTIONS: nodeOptions } }) as never;
}

/** A copy of the built package with its own bundle and a code cache made for it there; the rest is linked. */
function packageCopy(t: { after: (fn: () => void) => void }): { root: string; bundle: string; cache: string } {
  const root = mkdtempSync(path.join(tmpdir(), 'readiness-launch-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  for (const d of ['schemas', 'templates', 'node_modules', 'package.json']) symlinkSync(path.join(ROOT, d), path.join(root, d));
  mkdirSync(path.join(root, 'dist', 'src', 'cli'), { recursive: true });
  symlinkSync(path.join(ROOT, 'dist', 'validators'), path.join(root, 'dist', 'validators'));
  const bundle = path.join(root, 'dist', 'src', 'cli', 'readiness.cjs');
  copyFileSync(BUNDLE, bundle);
  const made = inFreshNode(`await m.writeCodeCache(${JSON.stringify(bundle)}, m.TRAINING_COMMANDS, ${JSON.stringify(ROOT)});`);
  assert.equal(made.status, 0, made.stderr);
  return { root, bundle, cache: `${bundle}.v8cache` };
}

/** Loads a bundle through launch.ts in a fresh node and checks the compliant example. */
function launchCheck(bundle: string, nodeOptions = ''): { code: number | null; fromCache: boolean; stdout: string } {
  const r = inFreshNode(
    `const r = m.loadCli(${JSON.stringify(bundle)});
    process.exitCode = await r.cli.main(['node', 'readiness', 'check', ${JSON.stringify(example('compliant.yaml'))}]);
    process.stderr.write('fromCache=' + r.fromCache + '\\n');`,
    nodeOptions,
  );
  const m = /fromCache=(true|false)/.exec(r.stderr);
  assert.ok(m, `${r.status} ${r.stderr}`);
  return { code: r.status, fromCache: m[1] === 'true', stdout: r.stdout };
}

test('the bundle is ASCII, so V8 holds it as a one-byte string and each start decodes it as a copy', () => {
  const bytes = readFileSync(BUNDLE);
  const at = bytes.findIndex((b) => b > 0x7f);
  assert.equal(at, -1, `a non-ASCII byte at offset ${at}: ${JSON.stringify(bytes.subarray(Math.max(0, at - 40), at + 10).toString('utf8'))}`);
});

test('the build leaves a code cache that V8 accepts in a plain node, and the command gives the same report from it', () => {
  const r = launchCheck(BUNDLE);
  assert.equal(r.fromCache, true);
  assert.equal(r.code, 0);
  assert.match(r.stdout, /Gate PASSED \(exit 0\)/);
});

test('a cache is used only by the bundle, in the place and with the Node it was made for; otherwise the bundle compiles from its text', (t) => {
  const copy = packageCopy(t);
  assert.equal(launchCheck(copy.bundle).fromCache, true, 'a cache made for the copy is used there');
  const saved = readFileSync(copy.cache);
  const text = readFileSync(copy.bundle, 'utf8');

  // the build's own cache, copied along: made for another path
  copyFileSync(`${BUNDLE}.v8cache`, copy.cache);
  let r = launchCheck(copy.bundle);
  assert.deepEqual([r.fromCache, r.code], [false, 0]);

  // made by another Node release: V8 itself would take it (all Node 20 releases report V8 11.3.244.8) and crash
  const otherNode = inFreshNode(
    `const text = require('node:fs').readFileSync(${JSON.stringify(copy.bundle)}, 'utf8');
    process.stdout.write(m.cacheKey(text, ${JSON.stringify(copy.bundle)}, m.nodeFingerprint().replace(process.version, 'v20.11.1')).toString('hex'));`,
  );
  assert.equal(otherNode.status, 0, otherNode.stderr);
  writeFileSync(copy.cache, Buffer.concat([Buffer.from(otherNode.stdout, 'hex'), saved.subarray(32)]));
  r = launchCheck(copy.bundle);
  assert.deepEqual([r.fromCache, r.code], [false, 0]);

  // another bundle of the same length: V8's own check (the length) would pass
  writeFileSync(copy.cache, saved);
  writeFileSync(copy.bundle, text.replaceAll('"PASSED"', '"PASSES"'));
  r = launchCheck(copy.bundle);
  assert.deepEqual([r.fromCache, r.code], [false, 0]);
  assert.match(r.stdout, /Gate PASSES \(exit 0\)/, 'compiled from its own text');
});

test('a damaged cache is never handed to V8 (Node 20 does not checksum it: one flipped byte crashed the process); nor a truncated or missing one', (t) => {
  const copy = packageCopy(t);
  const saved = readFileSync(copy.cache);
  const flipped = Buffer.from(saved);
  flipped[64 + 100] ^= 0xff; // inside V8's data, its own header intact
  for (const damaged of [flipped, saved.subarray(0, saved.length - 1000), saved.subarray(0, 40)]) {
    writeFileSync(copy.cache, damaged);
    const r = launchCheck(copy.bundle);
    assert.deepEqual([r.fromCache, r.code], [false, 0]);
    assert.match(r.stdout, /Gate PASSED \(exit 0\)/);
  }
  rmSync(copy.cache);
  assert.deepEqual([launchCheck(copy.bundle).fromCache, launchCheck(copy.bundle).code], [false, 0]);
});

test('with --enable-source-maps the bundle is required, so an internal error\'s stack trace names src/*.ts', () => {
  const r = launchCheck(BUNDLE, '--enable-source-maps');
  assert.deepEqual([r.fromCache, r.code], [false, 0]);
  // an io whose stdout throws: main reports an internal error (exit 70) with the stack
  const failing = `const r = m.loadCli(${JSON.stringify(BUNDLE)});
    const code = await r.cli.main(['node', 'readiness', 'check', ${JSON.stringify(example('compliant.yaml'))}], { stdout: () => { throw new Error('boom'); }, stderr: (s) => process.stdout.write(s), env: {}, cwd: '/', isTTY: { stdout: false, stderr: false } });
    process.stdout.write(' code=' + code);`;
  const mapped = inFreshNode(failing, '--enable-source-maps');
  assert.match(mapped.stdout, /internal error[\s\S]*boom[\s\S]*src\/cli\/commands\/check\.ts:\d+/);
  assert.match(mapped.stdout, /code=70/);
  const plain = inFreshNode(failing);
  assert.match(plain.stdout, /readiness\.cjs:\d+/, 'without the flag: the bundle\'s own lines');
});

test('a bundle made before the tsc output changed (tsc run alone after a change) is not run: the compiled sources are, with a note', (t) => {
  const copy = packageCopy(t);
  mkdirSync(path.join(copy.root, 'bin'));
  copyFileSync(BIN, path.join(copy.root, 'bin', 'readiness.js'));
  copyFileSync(path.join(ROOT, 'bin', 'package.json'), path.join(copy.root, 'bin', 'package.json'));
  symlinkSync(path.join(ROOT, 'tsconfig.json'), path.join(copy.root, 'tsconfig.json'));
  // the copy's tsc output: the real one, linked; its bundle says FAILS-as-PASSES so we see which ran
  for (const f of readdirSync(path.join(ROOT, 'dist', 'src'))) if (f !== 'cli') symlinkSync(path.join(ROOT, 'dist', 'src', f), path.join(copy.root, 'dist', 'src', f));
  for (const f of readdirSync(path.join(ROOT, 'dist', 'src', 'cli'))) if (!f.startsWith('readiness.cjs')) symlinkSync(path.join(ROOT, 'dist', 'src', 'cli', f), path.join(copy.root, 'dist', 'src', 'cli', f));
  writeFileSync(copy.bundle, readFileSync(copy.bundle, 'utf8').replaceAll('"PASSED"', '"PASSES"'));
  const past = new Date(Date.now() - 3600_000);
  utimesSync(copy.bundle, past, past);
  const run = () => spawnSync(process.execPath, [path.join(copy.root, 'bin', 'readiness.js'), 'check', example('compliant.yaml')], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  // the build recorded a different tsc output than the one now beside the bundle
  writeFileSync(`${copy.bundle}.sources`, `${'0'.repeat(64)}\n`);
  const stale = run();
  assert.equal(stale.status, 0, stale.stderr);
  assert.match(stale.stderr, /the bundle was built from other sources than the compiled ones beside it; running those/);
  assert.match(stale.stdout, /Gate PASSED/, 'the compiled sources ran, not the old bundle');
  // tsc ran again with the same output (newer files, same content): the bundle is current
  writeFileSync(`${copy.bundle}.sources`, readFileSync(path.join(ROOT, 'dist', 'src', 'cli', 'readiness.cjs.sources')));
  const same = run();
  assert.equal(same.stderr, '');
  assert.match(same.stdout, /Gate PASSES/, 'the bundle ran');
});

test('an installed package (no tsconfig.json, every file dated 1985 as in a registry tarball) runs its bundle without a note', (t) => {
  const copy = packageCopy(t);
  mkdirSync(path.join(copy.root, 'bin'));
  copyFileSync(BIN, path.join(copy.root, 'bin', 'readiness.js'));
  copyFileSync(path.join(ROOT, 'bin', 'package.json'), path.join(copy.root, 'bin', 'package.json'));
  for (const f of readdirSync(path.join(ROOT, 'dist', 'src', 'cli'))) {
    if (f.startsWith('readiness.cjs')) continue;
    (f === 'commands' ? symlinkSync : copyFileSync)(path.join(ROOT, 'dist', 'src', 'cli', f), path.join(copy.root, 'dist', 'src', 'cli', f));
  }
  for (const f of readdirSync(path.join(ROOT, 'dist', 'src'))) if (f !== 'cli') symlinkSync(path.join(ROOT, 'dist', 'src', f), path.join(copy.root, 'dist', 'src', f));
  const npm1985 = new Date('1985-10-26T08:15:00Z');
  for (const f of readdirSync(path.join(copy.root, 'dist', 'src', 'cli'))) if (f !== 'commands') utimesSync(path.join(copy.root, 'dist', 'src', 'cli', f), npm1985, npm1985);
  // main.js newer than the bundle, as an extraction in file order may leave it: still no note
  utimesSync(path.join(copy.root, 'dist', 'src', 'cli', 'main.js'), new Date(), new Date());
  const r = spawnSync(process.execPath, [path.join(copy.root, 'bin', 'readiness.js'), 'check', example('compliant.yaml')], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stderr, '');
});

test('without a build the launcher says how to build, not a stack trace', (t) => {
  const root = mkdtempSync(path.join(tmpdir(), 'readiness-unbuilt-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  mkdirSync(path.join(root, 'bin'));
  copyFileSync(BIN, path.join(root, 'bin', 'readiness.js'));
  copyFileSync(path.join(ROOT, 'bin', 'package.json'), path.join(root, 'bin', 'package.json'));
  writeFileSync(path.join(root, 'package.json'), '{"type":"module"}\n');
  const r = spawnSync(process.execPath, [path.join(root, 'bin', 'readiness.js'), 'check'], { encoding: 'utf8' });
  assert.equal(r.status, 70);
  assert.match(r.stderr, /not built yet; run `npm install`/);
  assert.doesNotMatch(r.stderr, /\n\s+at /);
});
