/**
 * The command runs from one bundled file (scripts/bundle-cli.mjs) for start-up time. These tests hold
 * what the bundle must keep true: `check` reads nothing from node_modules but the precompiled
 * validator's ajv runtime, the packages left outside are required only where they are used, and the
 * bundle behaves as the library does.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { test } from 'node:test';
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

test('check on a valid manifest loads the bundle, the precompiled validator and ajv\'s runtime helpers, nothing else', () => {
  const r = loadedFiles(['check', example('compliant.yaml')]);
  assert.equal(r.code, 0);
  const ours = r.files.filter((f) => !f.includes(`${path.sep}node_modules${path.sep}`)).map((f) => path.relative(ROOT, f));
  assert.deepEqual(ours.sort(), ['dist/src/cli/readiness.cjs', 'dist/validators/manifest.cjs']);
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
  assert.match(text, /await import\("@inquirer\/prompts"\)/, 'the questionnaire loads inquirer on demand');
});

test('the bundled CLI and the library give byte-identical reports', async () => {
  for (const name of ['compliant.yaml', 'incident-2-no-team-ceilings.yaml']) {
    const lib = await runInProcess(['check', example(name), '--format', 'json']);
    const bin = spawnSync(process.execPath, [BIN, 'check', example(name), '--format', 'json'], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    assert.equal(bin.status, lib.code, name);
    assert.equal(bin.stdout, lib.stdout, name);
  }
});
