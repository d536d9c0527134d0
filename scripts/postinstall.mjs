#!/usr/bin/env node
// Runs when the package is installed (npm install operator-readiness): makes V8's code cache for the
// command's bundle in this folder with this Node, so `readiness` starts from compiled code
// (src/cli/launch.ts). A tarball cannot carry the cache: it is valid only for the folder and the Node
// it was made by. This script never fails the install: without a cache the command works the same,
// only its start is slower (README "Install"). In a clone it does nothing: `npm run build` makes the
// cache (the prepare script runs after this one).
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

try {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  const launchJs = path.join(root, 'dist', 'src', 'cli', 'code-cache.js');
  if (!existsSync(path.join(root, 'tsconfig.json')) && existsSync(launchJs) && !process.env.READINESS_NO_CODE_CACHE) {
    const { makeCodeCacheInFreshNode } = await import(pathToFileURL(launchJs).href);
    makeCodeCacheInFreshNode(root);
  }
} catch {
  // never fail the install: the command compiles its bundle from text without the cache
}
process.exitCode = 0;
