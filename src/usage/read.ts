import path from 'node:path';
import { InputError } from '../util/errors.js';
import type { Manifest } from '../manifest/types.js';
import { type BuilderOptions, ProfileBuilder } from './profile.js';
import { CsvReader, type Parsed, detect, jsonRecord, splitCsv } from './readers.js';
import { type BadRecord, DEFAULT_USAGE_MAX_RECORD_BYTES, JsonArraySplitter, LineSplitter, headText, logChunks } from './source.js';
import { LocalClock } from './tz.js';
import { type BusinessHours, DEFAULT_BUSINESS_HOURS, type PriceBook, type SkippedLine, type UsageFormat, type UsageProfile } from './types.js';

/** Skipped lines named one by one on stderr; the rest are counted. */
export const SKIPPED_SHOWN = 20;

export interface ReadUsageOptions {
  cwd: string;
  /** forces the format (--input-format); detected from each file's content otherwise */
  format?: UsageFormat;
  timezone: string;
  businessHours?: BusinessHours;
  prices?: PriceBook;
  fallbackPrice?: BuilderOptions['fallbackPrice'];
  declaredTenant?: (logTenant: string) => string | null;
  /** a skipped line is an error (exit 2) */
  strict?: boolean;
  /** each skipped line, as found (the CLI prints the first SKIPPED_SHOWN) */
  onSkip?: (s: SkippedLine) => void;
  /** the longest record (line, JSON array element) read, in bytes; a longer one is skipped at its line (default 16 MiB) */
  maxRecordBytes?: number;
}

export interface UsageResult {
  profile: UsageProfile;
  skipped: number;
}

/** What the manifest lends a usage read: time zone, business hours, prices by model, tenants by id or team. */
export function manifestUsageOptions(m: Manifest | undefined): Pick<ReadUsageOptions, 'businessHours' | 'prices' | 'fallbackPrice' | 'declaredTenant'> & { timezone?: string } {
  if (!m) return {};
  const prices: PriceBook = new Map();
  for (const p of m.providers) {
    if (!p.pricing) continue;
    if (!prices.has(p.model)) prices.set(p.model, p.pricing);
    if (!prices.has(p.id)) prices.set(p.id, p.pricing);
  }
  const primary = m.providers.find((p) => p.id === m.routing?.primary) ?? m.providers[0];
  const byKey = new Map<string, string>();
  for (const t of m.tenants ?? []) byKey.set(t.id, t.id);
  for (const t of m.tenants ?? []) if (t.team && !byKey.has(t.team)) byKey.set(t.team, t.id);
  const bh = m.operator?.businessHours;
  return {
    timezone: m.operator?.timezone,
    businessHours: bh ? { days: bh.days ?? DEFAULT_BUSINESS_HOURS.days, start: bh.start ?? DEFAULT_BUSINESS_HOURS.start, end: bh.end ?? DEFAULT_BUSINESS_HOURS.end } : undefined,
    prices,
    fallbackPrice: primary?.pricing,
    declaredTenant: (id) => byKey.get(id) ?? null,
  };
}

/** Streams every file through its reader into one profile. Throws InputError (exit 2) on bad input. */
export async function readUsage(files: readonly string[], opts: ReadUsageOptions): Promise<UsageResult> {
  if (files.length === 0) throw new InputError([{ file: '(command line)', line: 1, column: 1, message: 'give at least one usage log' }]);
  const clock = new LocalClock(opts.timezone);
  const builder = new ProfileBuilder({
    clock,
    businessHours: opts.businessHours ?? DEFAULT_BUSINESS_HOURS,
    prices: opts.prices,
    fallbackPrice: opts.fallbackPrice,
    declaredTenant: opts.declaredTenant,
  });
  const max = opts.maxRecordBytes ?? DEFAULT_USAGE_MAX_RECORD_BYTES;
  let skipped = 0;
  const read: UsageProfile['files'] = [];
  for (const shownAs of files) {
    const abs = path.resolve(opts.cwd, shownAs);
    let fileRecords = 0;
    let fileSkipped = 0;
    const take = (r: Parsed | null, line: number, column = 1) => {
      if (r === null) return;
      if (typeof r === 'string') {
        skipped++;
        fileSkipped++;
        if (opts.strict) throw new InputError([{ file: shownAs, line, column, message: `${r} (--strict: a line that is not a record is an error)` }]);
        opts.onSkip?.({ file: shownAs, line, reason: r });
        return;
      }
      fileRecords++;
      builder.add(r);
    };
    let sink: { push(b: Buffer): void; end(): void } | undefined;
    let kind: { container: 'lines' | 'csv' | 'json-array'; format: UsageFormat } | undefined;
    for await (const chunk of logChunks(abs, shownAs)) {
      if (!sink) {
        kind = detect(headText(chunk));
        if (opts.format) kind = { container: kind.container, format: opts.format };
        sink = makeSink(kind, shownAs, take, max);
      }
      sink.push(chunk);
    }
    sink?.end();
    if (kind) read.push({ file: shownAs, format: kind.format, container: kind.container, records: fileRecords, skipped: fileSkipped });
  }
  if (builder.count === 0) {
    throw new InputError([{ file: files.join(', '), line: 1, column: 1, message: `no valid records${skipped ? ` (${skipped} line${skipped > 1 ? 's' : ''} skipped, see above)` : ''}: nothing to measure` }]);
  }
  return { profile: builder.result(read, skipped), skipped };
}

type Take = (r: Parsed | null, line: number, column?: number) => void;

function makeSink(kind: { container: 'lines' | 'csv' | 'json-array'; format: UsageFormat }, shownAs: string, take: Take, max: number): { push(b: Buffer): void; end(): void } {
  const format = kind.format;
  // a record too long or not UTF-8 is a skipped line like any other (--strict: an error)
  const bad = (n: number, b: BadRecord) => take(b.reason, n, b.column);
  if (kind.container === 'json-array') {
    // a JSON array is LiteLLM's /spend/logs shape; its elements are read as the format says
    return new JsonArraySplitter(shownAs, (text, line) => take(jsonRecord(text, format === 'csv' ? 'jsonl' : format), line), bad, max);
  }
  if (kind.container === 'lines' && format !== 'csv') {
    return new LineSplitter((line, n) => {
      if (line.length === 0 || line.trim() === '') return;
      take(jsonRecord(line, format), n);
    }, bad, max);
  }
  // CSV: a header, then rows; a quoted field may run over lines (the record keeps its first line's number)
  let csv: CsvReader | undefined;
  let pending = '';
  let pendingLine = 0;
  // the first line of the pending record that was not UTF-8: the whole record is skipped for it
  let pendingBad: { line: number; bad: BadRecord } | undefined;
  const csvFormat: UsageFormat = format === 'jsonl' ? 'csv' : format;
  const row = (line: string, n: number, lineBad?: BadRecord) => {
    if (!pending && line.trim() === '') return;
    const text = pending ? `${pending}\n${line}` : line;
    const start = pending ? pendingLine : n;
    const why = pendingBad ?? (lineBad ? { line: n, bad: lineBad } : undefined);
    const fields = splitCsv(text);
    if (fields === null) {
      if (text.length > max / 3 && Buffer.byteLength(text) > max) throw new InputError([{ file: shownAs, line: start, column: 1, message: `a quoted CSV field runs past ${max} bytes (the limit for one record): an unclosed quote?` }]);
      pending = text;
      pendingLine = start;
      pendingBad = why;
      return;
    }
    pending = '';
    pendingBad = undefined;
    if (!csv) {
      if (why) throw new InputError([{ file: shownAs, line: why.line, column: why.bad.column, message: `the CSV header is ${why.bad.reason}` }]);
      csv = new CsvReader(csvFormat, fields, shownAs);
      return;
    }
    if (why) take(why.line === start ? why.bad.reason : `${why.bad.reason.replace(/^not valid UTF-8/, `not valid UTF-8 at line ${why.line}`)}`, start, why.line === start ? why.bad.column : 1);
    else take(csv.row(fields), start);
  };
  const splitter = new LineSplitter(row, (n, b) => {
    // a line not UTF-8: its text with U+FFFD for the bad bytes still says where a quoted field ends (a quote is ASCII)
    if (b.lossy !== undefined) return row(b.lossy, n, b);
    if (pending) throw new InputError([{ file: shownAs, line: pendingLine, column: 1, message: `a quoted CSV field runs past ${max} bytes (the limit for one record): an unclosed quote?` }]);
    if (!csv) throw new InputError([{ file: shownAs, line: n, column: 1, message: `the CSV header is a ${b.reason}` }]);
    take(b.reason, n, b.column);
  }, max);
  return {
    push: (b) => splitter.push(b),
    end: () => {
      splitter.end();
      if (pending) take(pendingBad ? pendingBad.bad.reason : 'a quoted field is not closed before the end of the file', pendingLine);
      if (!csv) throw new InputError([{ file: shownAs, line: 1, column: 1, message: 'no CSV header' }]);
    },
  };
}
