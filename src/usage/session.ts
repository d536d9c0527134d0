import type { CliIO } from '../cli/io.js';
import type { EvidenceSet } from '../evidence/types.js';
import type { Manifest } from '../manifest/types.js';
import { UsageError } from '../util/errors.js';
import { usageEvidence } from './evidence.js';
import { SKIPPED_SHOWN, manifestUsageOptions, readUsage } from './read.js';
import { USAGE_FORMATS, type UsageFormat, type UsageProfile } from './types.js';

export interface UsageCliOptions {
  tz?: string;
  inputFormat?: string;
  strict?: boolean;
  maxRecordBytes?: number;
}

/** Reads the logs for a command: skipped lines to stderr (the first 20 as file:line: reason, then a count). */
export async function usageForCli(files: readonly string[], opts: UsageCliOptions, manifest: Manifest | undefined, io: CliIO): Promise<{ profile: UsageProfile; evidence: EvidenceSet }> {
  if (opts.inputFormat !== undefined && !USAGE_FORMATS.includes(opts.inputFormat as UsageFormat)) {
    throw new UsageError(`unknown --input-format "${opts.inputFormat}": choose from ${USAGE_FORMATS.join(', ')}`);
  }
  const fromManifest = manifestUsageOptions(manifest);
  let shown = 0;
  const { profile, skipped } = await readUsage(files, {
    cwd: io.cwd,
    format: opts.inputFormat as UsageFormat | undefined,
    timezone: opts.tz ?? fromManifest.timezone ?? 'UTC',
    businessHours: fromManifest.businessHours,
    prices: fromManifest.prices,
    fallbackPrice: fromManifest.fallbackPrice,
    declaredTenant: fromManifest.declaredTenant,
    strict: opts.strict,
    maxRecordBytes: opts.maxRecordBytes,
    onSkip: (s) => {
      if (shown++ < SKIPPED_SHOWN) io.stderr(`${s.file}:${s.line}: skipped: ${s.reason}\n`);
    },
  });
  if (skipped > SKIPPED_SHOWN) io.stderr(`readiness: ${skipped - SKIPPED_SHOWN} more line(s) skipped (${skipped} in all; --strict makes them an error)\n`);
  else if (skipped > 0) io.stderr(`readiness: ${skipped} line(s) skipped (--strict makes them an error)\n`);
  return { profile, evidence: usageEvidence(profile) };
}
