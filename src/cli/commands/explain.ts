import { type Command, Option } from 'commander';
import { UsageError } from '../../util/errors.js';
import type { CliIO } from '../io.js';

export function registerExplain(program: Command, io: CliIO): void {
  program
    .command('explain')
    .description('explain one check: why it exists, how to fix its findings, sources')
    .argument('<check-id>', 'a check id, as listed by `readiness checks`')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'markdown', 'json']).default('text'))
    .action(async (id: string, opts: { format: 'text' | 'markdown' | 'json' }) => {
      const [{ findCheck, CHECK_IDS, checkMeta }, doc, { didYouMean }] = await Promise.all([
        import('../../checks/catalogue.js'),
        import('../../report/checks-doc.js'),
        import('../../util/suggest.js'),
      ]);
      const check = findCheck(id);
      if (!check) {
        const guess = didYouMean(id, [...CHECK_IDS]);
        throw new UsageError(`unknown check "${id}"${guess ? `; did you mean "${guess}"?` : ''} (checks: ${CHECK_IDS.join(', ')})`);
      }
      if (opts.format === 'json') io.stdout(`${JSON.stringify(checkMeta(check), null, 2)}\n`);
      else io.stdout(opts.format === 'markdown' ? doc.renderCheckMarkdown(check, 1) : doc.renderCheckText(check));
    });

  program
    .command('checks')
    .description('list the checks readiness runs (id and title)')
    .addOption(new Option('-f, --format <format>', 'output format (markdown is docs/checks.md)').choices(['text', 'markdown', 'json']).default('text'))
    .action(async (opts: { format: 'text' | 'markdown' | 'json' }) => {
      const [{ CHECKS, checkMeta }, doc] = await Promise.all([import('../../checks/catalogue.js'), import('../../report/checks-doc.js')]);
      if (opts.format === 'json') io.stdout(`${JSON.stringify(CHECKS.map(checkMeta), null, 2)}\n`);
      else if (opts.format === 'markdown') io.stdout(doc.renderChecksDoc());
      else {
        const width = Math.max(...CHECKS.map((c) => c.id.length));
        io.stdout(`${CHECKS.map((c) => `${c.id.padEnd(width)}  ${c.title}`).join('\n')}\n\nMore on one: readiness explain <check-id>\n`);
      }
    });
}
