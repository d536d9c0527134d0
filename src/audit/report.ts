import type { ChalkInstance } from 'chalk';
import type { DefectBucket, VerifyResult } from './verify.js';
import { terminalSafeDeep } from '../report/common.js';

const MAX_LINES_SHOWN = 20;

function lines(b: DefectBucket): string {
  const shown = b.lines.slice(0, MAX_LINES_SHOWN).join(', ');
  const more = b.count - Math.min(b.lines.length, MAX_LINES_SHOWN);
  return `line${b.count === 1 ? '' : 's'} ${shown}${more > 0 ? ` and ${more} more` : ''}`;
}

const records = (n: number) => `${n} record${n === 1 ? '' : 's'}`;

const FORMAT_HINT: Record<string, string> = {
  timestamp: 'RFC 3339 UTC expected, e.g. 2026-03-01T17:04:05.123Z',
  trace_id: 'W3C trace id expected, 32 lowercase hex and not all zeros, or an AWS X-Ray id',
  output_sha256: '64 lowercase hex expected',
  confidence: 'a number from 0 to 1 expected',
};

/** The human report: one line per defect kind with its count and line numbers, then the verdict. */
export function renderVerifyText(unsafe: VerifyResult, chalk: ChalkInstance): string {
  // audit logs are written by many hands: their values must not carry terminal control sequences
  const r = terminalSafeDeep(unsafe);
  const out: string[] = [];
  const against = r.frameworks.length ? `fields required by ${r.frameworks.join(', ')}` : 'the base audit fields';
  out.push(`${r.file}: ${records(r.records)} checked against ${against} (${r.requiredFields.join(', ')})`);
  if (r.invalidJson.count) out.push(`  ${chalk.red('not a JSON object')}: ${records(r.invalidJson.count)}, ${lines(r.invalidJson)}`);
  for (const f of r.requiredFields) {
    const b = r.missing[f];
    if (b) out.push(`  ${chalk.red(`missing ${f}`)}: ${records(b.count)}, ${lines(b)}`);
  }
  for (const f of Object.keys(r.badFormat).sort()) {
    const b = r.badFormat[f];
    out.push(`  ${chalk.red(`bad ${f}`)}: ${records(b.count)}, ${lines(b)}${FORMAT_HINT[f] ? ` (${FORMAT_HINT[f]})` : ''}`);
  }
  if (r.oversize.count) out.push(`  ${chalk.red('record too long')}: ${records(r.oversize.count)}, ${lines(r.oversize)} (over ${r.maxRecordBytes} bytes: skipped unread; raise --max-record-bytes to check them)`);
  if (r.invalidUtf8.count) out.push(`  ${chalk.red('not valid UTF-8')}: ${records(r.invalidUtf8.count)}, ${lines(r.invalidUtf8)}`);
  if (r.outOfOrder.count) out.push(`  ${chalk.red('out of time order')}: ${records(r.outOfOrder.count)}, ${lines(r.outOfOrder)} (earlier than a record above)`);
  out.push(
    r.defective === 0
      ? chalk.green(`PASS: every record has the required fields, valid formats and time order`)
      : chalk.red(`FAIL: ${records(r.defective)} of ${r.records} with defects`),
  );
  return `${out.join('\n')}\n`;
}

/** The machine report (stable key order). */
export function renderVerifyJson(r: VerifyResult, exitCode: number): string {
  return `${JSON.stringify(
    {
      file: r.file,
      ok: r.defective === 0,
      exitCode,
      frameworks: r.frameworks,
      requiredFields: r.requiredFields,
      records: r.records,
      defective: r.defective,
      invalidJson: r.invalidJson,
      missing: Object.fromEntries(Object.keys(r.missing).sort().map((k) => [k, r.missing[k]])),
      badFormat: Object.fromEntries(Object.keys(r.badFormat).sort().map((k) => [k, r.badFormat[k]])),
      outOfOrder: r.outOfOrder,
      oversize: r.oversize,
      invalidUtf8: r.invalidUtf8,
      maxRecordBytes: r.maxRecordBytes,
      linesKept: r.linesKept,
    },
    null,
    2,
  )}\n`;
}
