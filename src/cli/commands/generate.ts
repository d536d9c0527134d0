import path from 'node:path';
import type { Command } from 'commander';
import type { CliIO } from '../io.js';

export const DEFAULT_OUT_DIR = 'readiness-out';

export function registerGenerate(program: Command, io: CliIO): void {
  program
    .command('generate')
    .description('write the files generated from a manifest (alert rules and their promtool tests, gateway configs, audit-record schema), each atomically; lists each file written on stdout')
    .argument('[manifest]', 'deployment manifest (YAML)', 'readiness.yaml')
    .option('-o, --out-dir <dir>', 'folder to write into (created if missing; files are replaced atomically)', DEFAULT_OUT_DIR)
    .action(async (manifest: string, opts: { outDir: string }) => {
      const [{ loadManifest }, { writeGenerated }, { toolVersion }] = await Promise.all([
        import('../../manifest/load.js'),
        import('../../generate/index.js'),
        import('../../util/version.js'),
      ]);
      const loaded = await loadManifest(manifest, { cwd: io.cwd, env: io.env });
      const written = await writeGenerated(loaded, path.resolve(io.cwd, opts.outDir), toolVersion(), io.cwd);
      for (const f of written) io.stdout(`${path.join(opts.outDir, f).split(path.sep).join('/')}\n`);
    });
}
