#!/usr/bin/env node
// Thin launcher, CommonJS (bin/package.json): an ES module entry costs Node 20 its ES module loader
// before anything runs (docs/performance.md). The CLI lives in src/cli; `npm install` / `npm run build`
// compiles it, bundles it into one CommonJS file (dist/src/cli/readiness.cjs) and saves V8's compiled
// code for it (an installed package makes its own in the postinstall), because on Node 20 that starts
// faster than ~100 ES modules (scripts/bundle-cli.mjs, src/cli/launch.ts, here as launch.cjs).
'use strict';
const path = require('node:path');

const notBuilt = () => {
  process.stderr.write('readiness: not built yet; run `npm install` (or `npm run build`) in the readiness folder first\n');
  process.exit(70);
};
let launch;
try {
  launch = require('../dist/src/cli/launch.cjs');
} catch (err) {
  if (err && err.code === 'MODULE_NOT_FOUND' && String(err.message).includes('launch.cjs')) notBuilt();
  throw err;
}
const bundle = path.join(__dirname, '..', 'dist', 'src', 'cli', 'readiness.cjs');

(async () => {
  let cli;
  if (launch.bundleIsStale(bundle)) {
    // `tsc` ran after the bundle was made (a clone only): run what it compiled rather than yesterday's bundle
    process.stderr.write('readiness: the bundle was built from other sources than the compiled ones beside it; running those (slower start). `npm run build` makes a new one.\n');
    cli = await import('../dist/src/cli/main.js');
  } else {
    try {
      ({ cli } = launch.loadCli(bundle));
    } catch (err) {
      if (err && err.code === 'ENOENT' && err.path && String(err.path).endsWith('readiness.cjs')) notBuilt();
      throw err;
    }
  }
  // A reader that stops early (`readiness --help | head`) closes the pipe: stop quietly, as Unix tools do.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (err) => {
      if (err && err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
      throw err;
    });
  }
  process.exitCode = await cli.main(process.argv);
})().catch((err) => {
  // main() reports every error itself (exit 70 for a bug); this is the launcher's own failure
  process.stderr.write(`readiness: ${err && err.stack ? err.stack : err}\n`);
  process.exitCode = 70;
});
