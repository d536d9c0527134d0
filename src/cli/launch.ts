/**
 * Loads the bundled CLI (dist/src/cli/readiness.cjs, built by scripts/bundle-cli.mjs) for
 * bin/readiness.js, compiling it from V8's code cache when the build left one that matches.
 *
 * Why: after bundling, compiling the bundle was the largest single cost of a `readiness check`
 * start (--cpu-prof). Node 22 caches compiled code itself (module.enableCompileCache); Node 20 does
 * not, so the build compiles the bundle once, runs `check` on the compliant example (so the
 * functions a check needs are compiled too) and saves V8's cache beside the bundle. A start then
 * deserialises instead of compiling: README "Performance" has the measured difference.
 *
 * Safety: V8 checks its own version and flags and rejects a cache made under others (the bundle is
 * then compiled from source, as without a cache); it does not check the source text itself, so the
 * cache file starts with the sha256 of the bundle it was made from and is used only for that bundle.
 * Nothing is written at run time: the package folder may be read-only.
 */
import { createHash } from 'node:crypto';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import path from 'node:path';
import { Script } from 'node:vm';
import type { CliIO } from './io.js';

export interface CliModule {
  main(argv: string[], io?: CliIO): Promise<number>;
}

export interface LoadedCli {
  cli: CliModule;
  /** whether V8 compiled the bundle from the saved cache (false: no cache, another bundle's, or rejected) */
  fromCache: boolean;
  script: Script;
  digest: Buffer;
}

export const cacheFileFor = (bundle: string) => `${bundle}.v8cache`;
const DIGEST_BYTES = 32;

/** Compiles and runs the bundle as a CommonJS module would be, from the code cache when it matches. */
export function loadCli(bundle: string): LoadedCli {
  const source = readFileSync(bundle, 'utf8');
  const digest = createHash('sha256').update(source).digest();
  let cachedData: Buffer | undefined;
  try {
    const saved = readFileSync(cacheFileFor(bundle));
    if (saved.length > DIGEST_BYTES && saved.subarray(0, DIGEST_BYTES).equals(digest)) cachedData = saved.subarray(DIGEST_BYTES);
  } catch {
    // no cache: compile from source
  }
  const script = new Script(Module.wrap(source), { filename: bundle, cachedData });
  const module = { exports: {} as CliModule, filename: bundle, id: bundle, loaded: false };
  const run = script.runInThisContext() as (e: unknown, r: NodeRequire, m: unknown, f: string, d: string) => void;
  run(module.exports, createRequire(bundle), module, bundle, path.dirname(bundle));
  module.loaded = true;
  return { cli: module.exports, fromCache: cachedData !== undefined && !script.cachedDataRejected, script, digest };
}

/**
 * Build step: loads the bundle without a cache, runs the given command with its output discarded,
 * then saves the code cache (digest first), temp file then rename.
 */
export async function writeCodeCache(bundle: string, argv: string[], cwd: string): Promise<{ bytes: number }> {
  const loaded = loadCli(bundle);
  const discard = () => undefined;
  const code = await loaded.cli.main(['node', 'readiness', ...argv], { stdout: discard, stderr: discard, env: { NO_COLOR: '1' }, cwd, isTTY: { stdout: false, stderr: false } });
  if (code !== 0) throw new Error(`code cache: readiness ${argv.join(' ')} exited ${code}, expected 0`);
  const data = Buffer.concat([loaded.digest, loaded.script.createCachedData()]);
  const file = cacheFileFor(bundle);
  writeFileSync(`${file}.tmp`, data);
  renameSync(`${file}.tmp`, file);
  return { bytes: data.length };
}
