/**
 * Loads the bundled CLI (dist/src/cli/readiness.cjs, built by scripts/bundle-cli.mjs) for
 * bin/readiness.js (which loads this module as dist/src/cli/launch.cjs, built by the same script),
 * compiling it from V8's code cache when the build or the postinstall left one that matches.
 *
 * Why: after bundling, compiling the bundle was the largest single cost of a `readiness check`
 * start (--cpu-prof). Node 22 caches compiled code itself (module.enableCompileCache); Node 20 does
 * not, so the build compiles the bundle once, runs `check` and `generate` on the compliant example
 * (so the functions they need are compiled too) and saves V8's cache beside the bundle. A start then
 * deserialises instead of compiling: docs/performance.md has the measured difference.
 *
 * Safety: a cache V8 accepts runs as compiled code, so it must be the cache of this very bundle, made
 * by this very Node. V8's own checks are not enough for that: it compares only the source's length,
 * its version without Node's suffix (every Node 20 release reports V8 11.3.244.8, and a cache made by
 * 20.20 crashed 20.11), and its flags; and Node 20's V8 does not checksum the data, so a damaged cache
 * crashes the process. So the cache file starts with two sha256 digests: of everything the cache is
 * only valid for (the bundle's text and path, Node's version, architecture and build configuration),
 * and of the cache data itself. Only when both match is the cache handed to V8, which may still
 * reject it (flags): then, as without a cache, the bundle is compiled from its text.
 * Nothing is written at run time: the package folder may be read-only. A tarball carries no cache
 * (it would name the build's folder): an installed package makes its own in the postinstall
 * (scripts/postinstall.mjs), which never fails the install; without one the bundle compiles from text.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
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
export function cacheKey(source: string | Uint8Array, bundle: string, node = nodeFingerprint()): Buffer {
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
  // hashed as read (a string would be encoded to UTF-8 again for the hash); the build makes the bundle
  // ASCII (scripts/bundle-cli.mjs), so decoding it is a copy into a one-byte string
  const bytes = readFileSync(bundle);
  const key = cacheKey(bytes, bundle);
  const source = bytes.toString('utf8');
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

/** Where the build records the digest of the tsc output the bundle was made beside. */
export const sourcesStampFor = (bundle: string) => `${bundle}.sources`;

/**
 * sha256 of the tsc output (every dist/src/**\/*.js, by path then content, in path order). The
 * build writes it beside the bundle; a different digest at run time means tsc ran again after the
 * bundle was made. Content, not mtimes: a registry tarball gives every file the same 1985 time.
 */
export function tscOutputDigest(distSrc: string): string {
  const files: string[] = [];
  const walk = (rel: string) => {
    for (const e of readdirSync(path.join(distSrc, rel), { withFileTypes: true })) {
      const name = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory() || (e.isSymbolicLink() && statSync(path.join(distSrc, name)).isDirectory())) walk(name);
      else if (e.name.endsWith('.js')) files.push(name);
    }
  };
  walk('');
  const h = createHash('sha256');
  for (const f of files.sort()) h.update(f).update('\0').update(readFileSync(path.join(distSrc, f))).update('\0');
  return h.digest('hex');
}

/**
 * Whether the bundle would run older code than the tsc output beside it (`tsc` run alone after a
 * change). Only a clone can be stale: an installed package has no tsconfig.json (package.json
 * "files") and nothing recompiles it, so the check ends there with one stat. In a clone, when
 * main.js is not newer than the bundle, tsc has not run since the build (tsc rewrites every output);
 * otherwise the tsc output's digest decides against the one the build wrote.
 */
export function bundleIsStale(bundle: string): boolean {
  const cliDir = path.dirname(bundle);
  const distSrc = path.dirname(cliDir);
  if (!existsSync(path.join(distSrc, '..', '..', 'tsconfig.json'))) return false;
  try {
    if (statSync(path.join(cliDir, 'main.js')).mtimeMs <= statSync(bundle).mtimeMs) return false;
  } catch {
    return false;
  }
  let stamp: string;
  try {
    stamp = readFileSync(sourcesStampFor(bundle), 'utf8').trim();
  } catch {
    return true; // a bundle from a build that wrote no digest: nothing says it matches
  }
  return stamp !== tscOutputDigest(distSrc);
}

/** Build step: records the digest of the tsc output beside the bundle (temp file then rename). */
export function writeSourcesStamp(bundle: string): string {
  const digest = tscOutputDigest(path.dirname(path.dirname(bundle)));
  const file = sourcesStampFor(bundle);
  writeFileSync(`${file}.tmp`, `${digest}\n`);
  renameSync(`${file}.tmp`, file);
  return digest;
}

/**
 * Build step: loads the bundle without a cache, runs each given command with its output discarded
 * (so the functions they run are compiled, and in the cache), then saves the code cache (digests
 * first), temp file then rename. `{out}` in an argument is a temporary folder, removed afterwards.
 */
export async function writeCodeCache(bundle: string, commands: readonly string[][], cwd: string): Promise<{ bytes: number }> {
  const loaded = loadCli(bundle);
  const discard = () => undefined;
  const out = mkdtempSync(path.join(tmpdir(), 'readiness-cache-'));
  try {
    for (const argv of commands) {
      const args = argv.map((x) => x.replace('{out}', out));
      const code = await loaded.cli.main(['node', 'readiness', ...args], { stdout: discard, stderr: discard, env: { NO_COLOR: '1' }, cwd, isTTY: { stdout: false, stderr: false } });
      if (code !== 0) throw new Error(`code cache: readiness ${argv.join(' ')} exited ${code}, expected 0`);
    }
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
  if (!loaded.script) throw new Error('code cache: the bundle was not compiled as a script (--enable-source-maps?)');
  const cache = loaded.script.createCachedData();
  const data = Buffer.concat([loaded.key, sha256(cache), cache]);
  const file = cacheFileFor(bundle);
  writeFileSync(`${file}.tmp`, data);
  renameSync(`${file}.tmp`, file);
  return { bytes: data.length };
}

/** The commands whose functions the code cache holds compiled: a check and a generate of the compliant example. */
export const TRAINING_COMMANDS: readonly string[][] = [
  ['check', 'templates/examples/compliant.yaml'],
  ['generate', 'templates/examples/compliant.yaml', '--out-dir', '{out}'],
];
