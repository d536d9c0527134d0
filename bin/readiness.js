#!/usr/bin/env node
// Thin launcher: the CLI lives in dist/src/cli (compiled from src/cli by `npm install` / `npm run build`).
let mod;
try {
  mod = await import('../dist/src/cli/main.js');
} catch (err) {
  if (err && err.code === 'ERR_MODULE_NOT_FOUND' && String(err.message).includes('dist/src/cli/main.js')) {
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
