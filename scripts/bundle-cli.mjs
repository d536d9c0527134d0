#!/usr/bin/env node
// Bundles the CLI (src/cli/main.ts and everything it reaches) into one CommonJS file,
// dist/src/cli/readiness.cjs, which bin/readiness.js loads. Why: a CI gate pays the start-up on
// every run, and on Node 20 most of what `readiness check` spent before its first line of work was
// the ES module loader resolving, reading and linking ~50 files one by one (--cpu-prof). One file
// through the CommonJS loader measured 1.82-1.89x `node -e 0` against 2.09-2.21x for the tsc output
// (issue 7, docs/performance.md). The library (package.json "main") stays the tsc output; only the
// command runs from the bundle.
//
// What stays outside, required at run time from node_modules, and only inside the lazily started
// module that uses it (esbuild wraps a dynamically imported module in an init function): ajv,
// undici, autocannon, @inquirer/prompts, fastest-levenshtein, playwright-core, @portkey-ai/gateway. So `check` on a valid
// manifest reads none of them. The yaml package is inside (scripts/bundle-external.mjs says why). Nothing of our own stays outside: every module of src/ is in the bundle exactly once, so
// an error class thrown in one command is the same class main() catches.
//
// The bundle contains no import(): a dynamic import of a Node built-in or of an outside package
// becomes a require made when it runs (each outside package has a CommonJS entry; @inquirer/prompts
// ships one under its "require" condition). A script without import() can be compiled from V8's
// code cache (bin/readiness.js): Node 20 has no dynamic-import callback to give such a script.
//
// The bundle lives in dist/src/cli beside the tsc output so that packageRoot (three folders up)
// is the same for both.
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { EXTERNAL } from './bundle-external.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const BUNDLE = path.join(root, 'dist', 'src', 'cli', 'readiness.cjs');

const builtin = (spec) => spec.startsWith('node:') || builtinModules.includes(spec);

/** `await import('x')` of a built-in or an outside package -> a require made when it runs. */
const lazyRequire = {
  name: 'lazy-require',
  setup(b) {
    b.onResolve({ filter: /.*/ }, (args) => {
      if (args.kind !== 'dynamic-import') return undefined;
      if (builtin(args.path) || EXTERNAL.includes(args.path)) return { path: args.path, namespace: 'lazy-require' };
      return undefined;
    });
    b.onLoad({ filter: /.*/, namespace: 'lazy-require' }, (args) => ({ contents: `module.exports = require(${JSON.stringify(args.path)});`, loader: 'js' }));
  },
};

/**
 * src/manifest/yaml-lib.ts loads the yaml package through createRequire, which esbuild leaves to run
 * time; in the bundle it is a plain require, so yaml is bundled once (the writers' static imports and
 * the exact parser share it) and still initialised only on first use.
 */
const bundledYaml = {
  name: 'bundled-yaml',
  setup(b) {
    b.onLoad({ filter: /[\\/]src[\\/]manifest[\\/]yaml-lib\.ts$/ }, () => ({
      contents: "let lib;\nexport function yamlLib() {\n  lib ??= require('yaml');\n  return lib;\n}\n",
      loader: 'ts',
    }));
  },
};

/**
 * The manifest validator precompiled by scripts/build-validators.mjs (dist/validators/manifest.cjs) inside
 * the bundle, so that it is compiled from the code cache with the rest: required from disk at run time it
 * was 8.6 ms of every check and generate start (--cpu-prof, mean of 15). src/manifest/schema.ts still
 * compares its schemaSha256 with the schema on disk and compiles the schema instead when they differ.
 */
export const VALIDATOR_REQUIRE = 'require(PRECOMPILED_VALIDATOR_PATH)';
const bundledValidator = {
  name: 'bundled-validator',
  setup(b) {
    b.onLoad({ filter: /[\\/]src[\\/]manifest[\\/]schema\.ts$/ }, async (args) => {
      const text = await readFile(args.path, 'utf8');
      if (!text.includes(VALIDATOR_REQUIRE)) throw new Error(`${args.path} no longer has ${VALIDATOR_REQUIRE}`);
      const built = path.join(root, 'dist', 'validators', 'manifest.cjs');
      return {
        contents: `import * as __readinessValidator from ${JSON.stringify(built)};\n${text.replace(VALIDATOR_REQUIRE, '(__readinessValidator.default ?? __readinessValidator)')}`,
        loader: 'ts',
      };
    });
  },
};

/**
 * commander requires child_process at load for its stand-alone executable subcommands, which readiness
 * does not use; loading it is a measurable part of a start on Node 20 (process.moduleLoadList). In
 * the bundle it is required on first use of spawn instead. The test holds the replaced line to its text.
 */
export const COMMANDER_CHILD_PROCESS = "const childProcess = require('node:child_process');";
const lazyCommanderChildProcess = {
  name: 'lazy-commander-child-process',
  setup(b) {
    b.onLoad({ filter: /[\\/]node_modules[\\/]commander[\\/]lib[\\/]command\.js$/ }, async (args) => {
      const text = await readFile(args.path, 'utf8');
      if (!text.includes(COMMANDER_CHILD_PROCESS)) throw new Error(`commander changed: ${args.path} no longer has ${COMMANDER_CHILD_PROCESS}`);
      return { contents: text.replace(COMMANDER_CHILD_PROCESS, "const childProcess = { spawn: (...a) => require('node:child_process').spawn(...a) };"), loader: 'js' };
    });
  },
};

const result = await build({
  absWorkingDir: root,
  entryPoints: ['src/cli/main.ts'],
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: EXTERNAL,
  plugins: [lazyRequire, bundledYaml, bundledValidator, lazyCommanderChildProcess],
  // import.meta does not exist in CommonJS: the modules that use import.meta.url get the bundle's own URL
  define: { 'import.meta.url': '__readinessBundleUrl' },
  banner: { js: "const __readinessBundleUrl = require('node:url').pathToFileURL(__filename).href;" },
  sourcemap: 'linked',
  sourcesContent: false,
  legalComments: 'eof',
  charset: 'ascii',
  logLevel: 'warning',
  metafile: true,
  write: false,
  outfile: BUNDLE,
});
mkdirSync(path.dirname(BUNDLE), { recursive: true });
// temp file then rename: a test run or a user never loads a half-written bundle
// charset ascii (https://esbuild.github.io/api/#charset, named in esbuild's lib/main.d.ts) escapes
// non-ASCII characters in the code; what is left is in comments esbuild keeps inside expressions
// (js-yaml's, “-” and the like), and one such character makes V8 hold the whole 1.6 MB bundle as a
// two-byte string and decode it on every start (5 ms of a 140 ms generate: docs/performance.md). Each
// is replaced by '?' per UTF-16 unit, so the source map's columns still hold; one that is not after a
// `//` or `/*` on its line could be code, and fails the build instead of being changed.
function asciiOnly(f) {
  if (!f.path.endsWith('.cjs')) return f.contents;
  const text = f.text.replace(/[^\x00-\x7f]/g, (c, at, all) => {
    const lineStart = all.lastIndexOf('\n', at) + 1;
    const before = all.slice(lineStart, at);
    if (before.includes('//') || before.lastIndexOf('/*') > before.lastIndexOf('*/')) return '?';
    throw new Error(`${f.path}: a non-ASCII character outside a comment at offset ${at}: ${JSON.stringify(all.slice(Math.max(lineStart, at - 60), at + 10))}`);
  });
  return Buffer.from(text, 'utf8');
}
for (const f of result.outputFiles) {
  writeFileSync(`${f.path}.tmp`, asciiOnly(f));
  renameSync(`${f.path}.tmp`, f.path);
}

// The launcher's loader as CommonJS too (dist/src/cli/launch.cjs), for bin/readiness.js, which is
// CommonJS so that a start never brings up Node's ES module loader. Node built-ins only.
const launchCjs = path.join(root, 'dist', 'src', 'cli', 'launch.cjs');
const launchBuild = await build({ absWorkingDir: root, entryPoints: ['src/cli/launch.ts'], bundle: true, platform: 'node', format: 'cjs', target: 'node20', logLevel: 'warning', write: false, outfile: launchCjs });
for (const f of launchBuild.outputFiles) {
  writeFileSync(`${f.path}.tmp`, f.contents);
  renameSync(`${f.path}.tmp`, f.path);
}

// The digest of the tsc output beside the bundle (a later tsc run alone is then detected by content,
// src/cli/launch.ts bundleIsStale), and V8's code cache for the bundle, made as the command starts.
const launch = await import(pathToFileURL(path.join(root, 'dist', 'src', 'cli', 'launch.js')).href);
launch.writeSourcesStamp(BUNDLE);
const { makeCodeCacheInFreshNode } = await import(pathToFileURL(path.join(root, 'dist', 'src', 'cli', 'code-cache.js')).href);
const train = makeCodeCacheInFreshNode(root, BUNDLE);
if (train.status !== 0) throw new Error(`making the code cache failed (exit ${train.status}): ${train.stderr}`);

if (process.argv.includes('--sizes')) {
  const by = {};
  for (const [f, v] of Object.entries(Object.values(result.metafile.outputs).find((o) => o.entryPoint).inputs)) {
    const m = f.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/);
    const k = m ? m[1] : f.split('/').slice(0, 2).join('/');
    by[k] = (by[k] ?? 0) + v.bytesInOutput;
  }
  for (const [k, v] of Object.entries(by).sort((a, b) => b[1] - a[1])) console.log(`${(v / 1024).toFixed(1).padStart(7)} KiB  ${k}`);
}
