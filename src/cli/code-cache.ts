/**
 * Build and install step, kept out of src/cli/launch.ts so that a start does not load child_process.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * Makes the bundle's code cache in a fresh node without flags, as the command is started (so V8
 * accepts it there), from a `check` of the compliant example (so the functions a check runs are in
 * it). Run by the build (scripts/bundle-cli.mjs) and, in an installed package, by the postinstall
 * (scripts/postinstall.mjs): the cache is only valid for this folder and this Node, so a tarball
 * cannot carry one.
 */
export function makeCodeCacheInFreshNode(root: string, bundle = path.join(root, 'dist', 'src', 'cli', 'readiness.cjs')): { status: number | null; stderr: string } {
  const launch = pathToFileURL(path.join(path.dirname(bundle), 'launch.js')).href; // writeCodeCache
  const code = `import(${JSON.stringify(launch)}).then((m) => m.writeCodeCache(${JSON.stringify(bundle)}, m.TRAINING_COMMANDS, ${JSON.stringify(root)})).catch((e) => { console.error(e); process.exit(1); })`;
  const r = spawnSync(process.execPath, ['-e', code], { cwd: root, encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } });
  return { status: r.status, stderr: r.stderr ?? String(r.error ?? '') };
}
