#!/usr/bin/env node
// Thin launcher. The CLI lives in src/cli; `npm install` / `npm run build` compiles it and bundles it
// into one CommonJS file, dist/src/cli/readiness.cjs, because one file starts faster than ~50 ES
// modules on Node 20 (scripts/bundle-cli.mjs says by how much).
import { createRequire } from 'node:module';

let mod;
try {
  mod = createRequire(import.meta.url)('../dist/src/cli/readiness.cjs');
} catch (err) {
  if (err && err.code === 'MODULE_NOT_FOUND' && String(err.message).includes('readiness.cjs')) {
    process.stderr.write('readiness: not built yet; run `npm install` (or `npm run build`) in the readiness folder first\n');
    process.exit(70);
  }
  throw err;
}
// A reader that stops early (`readiness --help | head`) closes the pipe: stop quietly, as Unix tools do.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err) => {
    if (err && err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });
}
process.exitCode = await mod.main(process.argv);
