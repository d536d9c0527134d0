import { type Command, InvalidArgumentError, Option } from 'commander';
import type { CliIO } from '../io.js';

export interface AuditVerifyOptions {
  manifest?: string;
  maxRecordBytes?: number;
  format: 'text' | 'json';
}

export function registerAudit(program: Command, io: CliIO, setExit: (code: number) => void): void {
  const audit = program.command('audit').description('work with per-request audit logs');
  audit
    .command('verify')
    .description('stream a JSON Lines audit log and report records missing required fields, with bad formats or out of time order; exit 0 clean, 1 defects, 2 bad input')
    .argument('<log>', 'audit log, one JSON object per line (any size: read as a stream)')
    .option('-m, --manifest <file>', "deployment manifest whose frameworks set the required fields (default: the base field list)")
    .addOption(new Option('-f, --format <format>', 'report format on stdout').choices(['text', 'json']).default('text'))
    .addOption(
      new Option('--max-record-bytes <n>', 'longest record (line) checked; a longer one is a defect at its line, skipped unread (default 1048576, 1 MiB)').argParser((v) => {
        const n = Number(v);
        if (!Number.isSafeInteger(n) || n < 1) throw new InvalidArgumentError('--max-record-bytes must be a whole number >= 1');
        return n;
      }),
    )
    .action(async (log: string, opts: AuditVerifyOptions) => {
      const { verifyAuditLog, verifyExitCode } = await import('../../audit/verify.js');
      let frameworks: import('../../manifest/types.js').Framework[] = [];
      if (opts.manifest) {
        const [{ loadManifest }, { buildModel }] = await Promise.all([import('../../manifest/load.js'), import('../../manifest/model.js')]);
        frameworks = buildModel((await loadManifest(opts.manifest, { cwd: io.cwd, env: io.env })).manifest).frameworks;
      }
      const result = await verifyAuditLog(log, { frameworks, maxRecordBytes: opts.maxRecordBytes });
      const exitCode = verifyExitCode(result);
      const { renderVerifyJson, renderVerifyText } = await import('../../audit/report.js');
      if (opts.format === 'json') io.stdout(renderVerifyJson(result, exitCode));
      else {
        const { makeChalk } = await import('../../util/color.js');
        io.stdout(renderVerifyText(result, makeChalk('stdout', io.env)));
      }
      setExit(exitCode);
    });
  for (const c of audit.commands) c.exitOverride().configureOutput({ writeOut: io.stdout, writeErr: io.stderr });
}
