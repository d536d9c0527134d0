import { type Command, InvalidArgumentError, Option } from 'commander';
import type { CliIO } from '../io.js';

export interface UsageOptions {
  tz?: string;
  manifest?: string;
  inputFormat?: string;
  json?: boolean;
  strict?: boolean;
  maxRecordBytes?: number;
}

/** `--max-record-bytes N` for the usage-log readers (`usage`, `check --usage`): default 16 MiB (src/usage/source.ts). */
export function maxRecordBytesOption(prefix = ''): Option {
  return new Option('--max-record-bytes <n>', `${prefix}longest log record (a line, or a JSON array element) read; a longer one is skipped at its line, unread (default 16777216, 16 MiB)`).argParser((v) => {
    const n = Number(v);
    if (!Number.isSafeInteger(n) || n < 1) throw new InvalidArgumentError('--max-record-bytes must be a whole number >= 1');
    return n;
  });
}

export const INPUT_FORMAT_HELP = 'force the log format instead of detecting it from the content';

export function registerUsage(program: Command, io: CliIO): void {
  program
    .command('usage')
    .description("measure the operator's real traffic from request logs: peaks, peak window, tokens per request, per-tenant volume, cost and off-hours share")
    .argument('<log...>', 'request logs: JSON Lines, CSV, or LiteLLM spend logs (psql CSV export or GET /spend/logs JSON); gzip is read')
    .option('--tz <zone>', "IANA time zone to measure in (default: the manifest's operator.timezone, else UTC)")
    .option('-m, --manifest <file>', 'deployment manifest: time zone, business hours, prices for requests without a cost, tenants to match')
    .addOption(new Option('--input-format <format>', INPUT_FORMAT_HELP).choices(['jsonl', 'csv', 'litellm-spend-logs']))
    .option('--json', 'print the profile as JSON (schemas/usage.schema.json) instead of text')
    .option('--strict', 'a line that is not a valid record (too long or not UTF-8 included) is an error (exit 2) instead of being skipped')
    .addOption(maxRecordBytesOption())
    .addHelpText(
      'after',
      `
Examples:
  readiness usage pilot.jsonl --tz Europe/Berlin
  readiness usage spendlogs.csv.gz --manifest readiness.yaml --json
  readiness check readiness.yaml --usage pilot.jsonl`,
    )
    .action(async (logs: string[], opts: UsageOptions) => {
      const [{ usageForCli }, { renderUsageText }] = await Promise.all([import('../../usage/session.js'), import('../../usage/text.js')]);
      let manifest: import('../../manifest/types.js').Manifest | undefined;
      if (opts.manifest) {
        const { loadManifest } = await import('../../manifest/load.js');
        manifest = (await loadManifest(opts.manifest, { cwd: io.cwd, env: io.env })).manifest;
      }
      const { profile } = await usageForCli(logs, opts, manifest, io);
      if (opts.json) io.stdout(`${JSON.stringify(profile, null, 2)}\n`);
      else {
        const primary = manifest ? (manifest.providers.find((p) => p.id === manifest?.routing?.primary) ?? manifest.providers[0]) : undefined;
        io.stdout(renderUsageText(profile, { limitRpm: primary?.limits?.rpm, declaredPeakRpm: manifest?.traffic?.peakRpm }));
      }
    });
}
