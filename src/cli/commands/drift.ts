import { type Command, Option } from 'commander';
import { UsageError } from '../../util/errors.js';
import type { CliIO } from '../io.js';

interface DriftOptions {
  litellmConfig?: string;
  litellmTeams?: string;
  litellmKeys?: string;
  portkeyConfig?: string;
  format: string;
  failOn: 'fail' | 'warn';
}

export function registerDrift(program: Command, io: CliIO, setExit: (code: number) => void): void {
  program
    .command('drift')
    .description('lint the deployed gateway config (LiteLLM, Portkey) and compare it with the manifest; exit 0 no failing drift, 1 drift, 2 invalid input')
    .argument('[manifest]', 'deployment manifest (YAML); default readiness.yaml when it exists, else the files are only linted')
    .option('--litellm-config <file>', 'LiteLLM proxy config.yaml as deployed')
    .option('--litellm-teams <file>', 'LiteLLM teams: GET /team/list output (JSON array) or litellm.teams.json from readiness generate')
    .option('--litellm-keys <file>', 'LiteLLM keys: GET /key/list?return_full_object=true output (JSON)')
    .option('--portkey-config <file>', 'Portkey config JSON (saved config or the x-portkey-config a client sends)')
    .addOption(new Option('-f, --format <name>', 'report format').choices(['text', 'json', 'sarif', 'markdown', 'github']).default('text'))
    .addOption(new Option('--fail-on <level>', 'lowest status that fails').choices(['fail', 'warn']).default('fail'))
    .addHelpText(
      'after',
      `
Rules: docs/drift.md (ids such as unknown-key, duplicate-key, literal-secret, fallbacks-missing).
Secrets found in a file are named by key and kind, never printed.

Examples:
  readiness drift readiness.yaml --litellm-config deploy/litellm.config.yaml --litellm-teams teams.json
  readiness drift --portkey-config portkey.json --format sarif > drift.sarif`,
    )
    .action(async (manifestArg: string | undefined, opts: DriftOptions) => {
      const [{ readGatewayFile, runDrift, driftExitCode }, { renderDrift }, { toolVersion }, fs, path] = await Promise.all([
        import('../../drift/run.js'),
        import('../../drift/report.js'),
        import('../../util/version.js'),
        import('node:fs'),
        import('node:path'),
      ]);
      const given = [
        ['litellm-config', opts.litellmConfig],
        ['litellm-teams', opts.litellmTeams],
        ['litellm-keys', opts.litellmKeys],
        ['portkey-config', opts.portkeyConfig],
      ].filter((x): x is [import('../../drift/types.js').GatewayFileKind, string] => typeof x[1] === 'string');
      if (given.length === 0) throw new UsageError('give at least one deployed file: --litellm-config, --litellm-teams, --litellm-keys or --portkey-config');
      const manifest = manifestArg ?? (fs.existsSync(path.resolve(io.cwd, 'readiness.yaml')) ? 'readiness.yaml' : undefined);
      let model: import('../../manifest/model.js').DeploymentModel | undefined;
      if (manifest) {
        const [{ loadManifest }, { buildModel }] = await Promise.all([import('../../manifest/load.js'), import('../../manifest/model.js')]);
        model = buildModel((await loadManifest(manifest, { cwd: io.cwd, env: io.env })).manifest);
      }
      const files = await Promise.all(given.map(([kind, file]) => readGatewayFile(kind, file, io.cwd)));
      const report = runDrift(files, model);
      const exitCode = driftExitCode(report, opts.failOn);
      const root = ['sarif', 'github'].includes(opts.format) ? await (await import('../repo-root.js')).repositoryRoot(io) : undefined;
      io.stdout(renderDrift(opts.format as import('../../drift/report.js').DriftFormat, report, { cwd: io.cwd, root, version: toolVersion(), failOn: opts.failOn, exitCode, manifest }));
      setExit(exitCode);
    });
}
