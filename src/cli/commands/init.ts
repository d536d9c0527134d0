import type { Command } from 'commander';
import type { CliIO } from '../io.js';

export interface InitCliOptions {
  out: string;
  answers?: string;
  from?: string;
  force?: boolean;
  usage?: string[];
  tz?: string;
}

export function registerInit(program: Command, io: CliIO, setExit: (code: number) => void): void {
  program
    .command('init')
    .description('ask the operator questionnaire, write a commented manifest and run every check; exit 0 pass, 1 gate failed, 2 invalid input, 130 interrupted')
    .option('-o, --out <file>', 'manifest to write', 'readiness.yaml')
    .option('--answers <file>', 'non-interactive: take every answer from a YAML or JSON file')
    .option('--from <manifest>', 'revise an existing manifest: its values are the defaults')
    .option('--force', 'overwrite --out when it exists')
    .option('--usage <log...>', "offer the operator's measured traffic from request logs as the defaults (see readiness usage)")
    .option('--tz <zone>', 'with --usage: the time zone to measure in (default: --from\'s operator.timezone, else UTC)')
    .action(async (opts: InitCliOptions) => {
      const [{ runInit }, { UsageError }] = await Promise.all([import('../../init/run.js'), import('../../util/errors.js')]);
      const code = await runInit(opts, io, {
        prompts: async () => {
          if (!process.stdin.isTTY || !process.stderr.isTTY) {
            throw new UsageError('readiness init asks questions and needs a terminal; for a non-interactive run pass --answers FILE');
          }
          // inquirer loads only here, for an interactive init: never for other commands
          const { input, select, checkbox, confirm } = await import('@inquirer/prompts');
          return { fns: { input, select, checkbox, confirm }, context: { input: process.stdin, output: process.stderr } };
        },
      });
      setExit(code);
    });
}
