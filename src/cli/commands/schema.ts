import type { Command } from 'commander';
import type { CliIO } from '../io.js';

export function registerSchema(program: Command, io: CliIO): void {
  program
    .command('schema')
    .description('print the manifest JSON Schema (for editors: # yaml-language-server: $schema=<path>)')
    .option('--report', 'print the JSON report schema instead')
    .action(async (opts: { report?: boolean }) => {
      const { readFile } = await import('node:fs/promises');
      const { fromRoot } = await import('../../util/paths.js');
      io.stdout(await readFile(fromRoot('schemas', opts.report ? 'report.schema.json' : 'manifest.schema.json'), 'utf8'));
    });
}
