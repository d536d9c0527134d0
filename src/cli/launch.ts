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
 * Safety: a cache V8 accepts runs as compiled code, so it must be the cache of this very bundle, made
 * by this very Node. V8's own checks are not enough for that: it compares only the source's length,
 * its version without Node's suffix (every Node 20 release reports V8 11.3.244.8, and a cache made by
 * 20.20 crashed 20.11), and its flags; and Node 20's V8 does not checksum the data, so a damaged cache
 * crashes the process. So the cache file starts with two sha256 digests: of everything the cache is
 * only valid for (the bundle's text and path, Node's version, architecture and build configuration),
 * and of the cache data itself. Only when both match is the cache handed to V8, which may still
 * reject it (flags): then, as without a cache, the bundle is compiled from its text.
 * Nothing is written at run time: the package folder may be read-only.
 */
import { createHash } from 'node:crypto';
import { readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import path from 'node:path';
import { Script } from 'node:vm';
import type { CliIO } from './io.js';

export interface CliModule {
  main(argv: string[], io?: CliIO): Promise<number>;
}

export interface LoadedCli {
  cli: CliModule;
  /** whether V8 compiled the bundle from the saved cache (false: no cache, not this bundle's or Node's, damaged, or rejected) */
  fromCache: boolean;
  /** the compiled script, to make a cache from (undefined when the bundle was loaded by require) */
  script?: Script;
  /** the digest a cache for this bundle and this Node must carry */
  key: Buffer;
}

export const cacheFileFor = (bundle: string) => `${bundle}.v8cache`;
const DIGEST = 32;

/** This Node, as far as a code cache is concerned: its release, architecture and build configuration. */
export function nodeFingerprint(): string {
  return [process.version, process.arch, process.platform, process.versions.v8, JSON.stringify(process.config)].join('\0');
}

/** What a cache is valid for: the bundle's text and path (V8 keeps the name it was compiled under), and a Node. */
export function cacheKey(source: string, bundle: string, node = nodeFingerprint()): Buffer {
  return createHash('sha256').update(source).update('\0').update(bundle).update('\0').update(node).digest();
}

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest();

/** The cache data in `saved` when it was made for `key` and is intact, else undefined. */
function validCache(saved: Buffer, key: Buffer): Buffer | undefined {
  if (saved.length <= 2 * DIGEST || !saved.subarray(0, DIGEST).equals(key)) return undefined;
  const data = saved.subarray(2 * DIGEST);
  return sha256(data).equals(saved.subarray(DIGEST, 2 * DIGEST)) ? data : undefined;
}

/** Compiles and runs the bundle as a CommonJS module would be, from the code cache when it is this bundle's and this Node's. */
export function loadCli(bundle: string): LoadedCli {
  const source = readFileSync(bundle, 'utf8');
  const key = cacheKey(source, bundle);
  // --enable-source-maps maps stack traces through a required file's map, not through a vm.Script's
  if (process.sourceMapsEnabled) return { cli: createRequire(bundle)(bundle) as CliModule, fromCache: false, key };
  let cachedData: Buffer | undefined;
  try {
    cachedData = validCache(readFileSync(cacheFileFor(bundle)), key);
  } catch {
    // no cache: compile from source
  }
  const script = new Script(Module.wrap(source), { filename: bundle, cachedData });
  const module = { exports: {} as CliModule, filename: bundle, id: bundle, loaded: false };
  const run = script.runInThisContext() as (e: unknown, r: NodeRequire, m: unknown, f: string, d: string) => void;
  run(module.exports, createRequire(bundle), module, bundle, path.dirname(bundle));
  module.loaded = true;
  return { cli: module.exports, fromCache: cachedData !== undefined && !script.cachedDataRejected, script, key };
}

/**
 * Whether the bundle is older than the tsc output it was made from (`tsc` run alone after a change):
 * then the bundle would run yesterday's code. Two stats; an installed package has equal times.
 */
export function bundleIsStale(bundle: string): boolean {
  try {
    return statSync(path.join(path.dirname(bundle), 'main.js')).mtimeMs > statSync(bundle).mtimeMs;
  } catch {
    return false;
  }
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
  if (!loaded.script) throw new Error('code cache: the bundle was not compiled as a script (--enable-source-maps?)');
  const cache = loaded.script.createCachedData();
  const data = Buffer.concat([loaded.key, sha256(cache), cache]);
  const file = cacheFileFor(bundle);
  writeFileSync(`${file}.tmp`, data);
  renameSync(`${file}.tmp`, file);
  return { bytes: data.length };
}
