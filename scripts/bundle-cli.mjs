#!/usr/bin/env node
// Bundles the CLI (src/cli/main.ts and everything it reaches) into one CommonJS file,
// dist/src/cli/readiness.cjs, which bin/readiness.js loads. Why: a CI gate pays the start-up on
// every run, and on Node 20 most of what `readiness check` spent before its first line of work was
// the ES module loader resolving, reading and linking ~50 files one by one (--cpu-prof). One file
// through the CommonJS loader measured 1.76x `node -e 0` against 2.1-2.2x for the tsc output (issue 7,
// README "Performance"). The library (package.json "main") stays the tsc output; only the command
// runs from the bundle.
//
// What stays outside, loaded by the bundle at run time from node_modules:
//  - packages only some commands use, loaded lazily there (yaml, ajv, undici, autocannon,
//    @inquirer/prompts, playwright-core, @portkey-ai/gateway), so `check` never reads them;
//  - nothing of our own: every module of src/ is in the bundle exactly once, so an error class
//    thrown in one command is the same class main() catches.
// The bundle lives in dist/src/cli beside the tsc output so that packageRoot (three folders up)
// is the same for both.
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const BUNDLE = path.join(root, 'dist', 'src', 'cli', 'readiness.cjs');
export const EXTERNAL = ['yaml', 'ajv', 'ajv-formats', 'undici', 'autocannon', '@inquirer/prompts', 'playwright-core', '@portkey-ai/gateway'];

const result = await build({
  absWorkingDir: root,
  entryPoints: ['src/cli/main.ts'],
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: EXTERNAL,
  // import.meta does not exist in CommonJS: the modules that use import.meta.url get the bundle's own URL
  define: { 'import.meta.url': '__readinessBundleUrl' },
  banner: { js: "const __readinessBundleUrl = require('node:url').pathToFileURL(__filename).href;" },
  sourcemap: 'linked',
  sourcesContent: false,
  legalComments: 'eof',
  logLevel: 'warning',
  write: false,
  outfile: BUNDLE,
});
mkdirSync(path.dirname(BUNDLE), { recursive: true });
// temp file then rename: a test run or a user never loads a half-written bundle
for (const f of result.outputFiles) {
  writeFileSync(`${f.path}.tmp`, f.contents);
  renameSync(`${f.path}.tmp`, f.path);
}
