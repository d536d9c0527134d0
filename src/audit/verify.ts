import _Ajv2020, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import _addFormats from 'ajv-formats';
import { requiredAuditFields } from '../checks/compliance.js';
import { auditRecordSchema } from '../generate/audit-schema.js';
import type { Framework } from '../manifest/types.js';
import { InputError } from '../util/errors.js';
import { DEFAULT_MAX_RECORD_BYTES, inputKind, openBounded, readRecords } from '../util/read-bounded.js';

const Ajv2020 = _Ajv2020.default;
const addFormats = _addFormats.default;

/** Line numbers kept per defect kind; counts are always exact. Keeps memory constant on any log size. */
export const DEFAULT_LINES_KEPT = 1000;

export interface DefectBucket {
  count: number;
  /** the first `linesKept` line numbers (1-based), ascending */
  lines: number[];
}

export interface VerifyResult {
  file: string;
  frameworks: Framework[];
  /** required field names (an alternative group is named like the audit-log check does, e.g. output) */
  requiredFields: string[];
  /** non-blank lines read */
  records: number;
  /** records with at least one defect */
  defective: number;
  /** lines that are not a JSON object */
  invalidJson: DefectBucket;
  /** per required field: records without it */
  missing: Record<string, DefectBucket>;
  /** per field: records where it is present but of the wrong type or format */
  badFormat: Record<string, DefectBucket>;
  /** records whose timestamp is earlier than a record before them */
  outOfOrder: DefectBucket;
  /** records longer than maxRecordBytes: skipped unread (a defect: nothing in them was checked) */
  oversize: DefectBucket;
  /** records that are not valid UTF-8 (a defect: never silently repaired) */
  invalidUtf8: DefectBucket;
  /** the cap on one record's bytes (--max-record-bytes) */
  maxRecordBytes: number;
  linesKept: number;
}

export interface VerifyOptions {
  frameworks?: readonly Framework[];
  linesKept?: number;
  /** the cap on one record (one line), default DEFAULT_MAX_RECORD_BYTES (1 MiB) */
  maxRecordBytes?: number;
}

function bucket(): DefectBucket {
  return { count: 0, lines: [] };
}

/** Validates records one at a time; compile once, feed lines, read the result. */
export class AuditLogVerifier {
  private readonly validate: ValidateFunction;
  private readonly alternativeName: string[];
  private readonly linesKept: number;
  private latest = Number.NEGATIVE_INFINITY;
  readonly result: VerifyResult;

  constructor(file: string, opts: VerifyOptions = {}) {
    const frameworks = [...(opts.frameworks ?? [])];
    const fields = requiredAuditFields(frameworks);
    this.alternativeName = fields.filter((f) => f.anyOf.length > 1).map((f) => f.name);
    const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true });
    addFormats(ajv, ['date-time']);
    this.validate = ajv.compile(auditRecordSchema(frameworks));
    this.linesKept = opts.linesKept ?? DEFAULT_LINES_KEPT;
    this.result = {
      file,
      frameworks,
      requiredFields: fields.map((f) => f.name),
      records: 0,
      defective: 0,
      invalidJson: bucket(),
      missing: {},
      badFormat: {},
      outOfOrder: bucket(),
      oversize: bucket(),
      invalidUtf8: bucket(),
      maxRecordBytes: opts.maxRecordBytes ?? DEFAULT_MAX_RECORD_BYTES,
      linesKept: this.linesKept,
    };
  }

  private add(b: DefectBucket, line: number): void {
    b.count++;
    if (b.lines.length < this.linesKept) b.lines.push(line);
  }

  private addTo(map: Record<string, DefectBucket>, field: string, line: number): void {
    map[field] ??= bucket();
    this.add(map[field], line);
  }

  /** A record that was not read: longer than the cap, or not UTF-8. */
  unreadable(kind: 'oversize' | 'invalid-utf8', lineNo: number): void {
    const r = this.result;
    r.records++;
    r.defective++;
    this.add(kind === 'oversize' ? r.oversize : r.invalidUtf8, lineNo);
  }

  /** Feeds one line (1-based number). Blank lines are skipped. */
  line(text: string, lineNo: number): void {
    const trimmed = (lineNo === 1 ? text.replace(/^\uFEFF/, '') : text).trim();
    if (trimmed === '') return;
    const r = this.result;
    r.records++;
    let record: unknown;
    try {
      record = JSON.parse(trimmed);
    } catch {
      record = undefined;
    }
    if (record === null || typeof record !== 'object' || Array.isArray(record)) {
      this.add(r.invalidJson, lineNo);
      r.defective++;
      return;
    }
    let defect = false;
    const missing = new Set<string>();
    const bad = new Set<string>();
    if (!this.validate(record)) {
      for (const e of this.validate.errors ?? []) this.classify(e, missing, bad);
    }
    for (const f of [...missing].sort()) this.addTo(r.missing, f, lineNo);
    for (const f of [...bad].sort()) this.addTo(r.badFormat, f, lineNo);
    defect = missing.size > 0 || bad.size > 0;

    const ts = (record as { timestamp?: unknown }).timestamp;
    if (typeof ts === 'string' && !bad.has('timestamp')) {
      const t = Date.parse(ts);
      if (Number.isFinite(t)) {
        if (t < this.latest) {
          this.add(r.outOfOrder, lineNo);
          defect = true;
        } else {
          this.latest = t;
        }
      }
    }
    if (defect) r.defective++;
  }

  private classify(e: ErrorObject, missing: Set<string>, bad: Set<string>): void {
    const alt = /^#\/allOf\/(\d+)\/anyOf(\/|$)/.exec(e.schemaPath);
    if (alt) {
      // a group of alternatives (output or output_sha256): report the group once, by its name
      if (e.keyword === 'anyOf') missing.add(this.alternativeName[Number(alt[1])]);
      return;
    }
    if (e.keyword === 'required' && e.instancePath === '') {
      missing.add((e.params as { missingProperty: string }).missingProperty);
      return;
    }
    const field = e.instancePath.split('/')[1];
    if (field) bad.add(field.replace(/~1/g, '/').replace(/~0/g, '~'));
  }

  get ok(): boolean {
    return this.result.defective === 0;
  }
}

/** Streams a JSON Lines audit log (bounded memory: one record of at most maxRecordBytes at a time) and verifies every record. */
export async function verifyAuditStream(input: AsyncIterable<Buffer | string>, file: string, opts: VerifyOptions = {}): Promise<VerifyResult> {
  return feed(new AuditLogVerifier(file, opts), input);
}

async function feed(verifier: AuditLogVerifier, input: AsyncIterable<Buffer | string>): Promise<VerifyResult> {
  for await (const rec of readRecords(input, verifier.result.maxRecordBytes)) {
    if (rec.kind === 'text') verifier.line(rec.text, rec.line);
    else verifier.unreadable(rec.kind, rec.line);
  }
  return verifier.result;
}

/** Verifies a log file; InputError (exit 2) when it cannot be read (a folder, a device) or holds no record. */
export async function verifyAuditLog(file: string, opts: VerifyOptions = {}): Promise<VerifyResult> {
  await inputKind(file, 'an audit log');
  const verifier = new AuditLogVerifier(file, opts); // compile before opening the file
  const result = await feed(verifier, await openBounded(file, 'an audit log'));
  if (result.records === 0) {
    throw new InputError([{ file, line: 1, column: 1, message: 'audit log has no records: expected one JSON object per line' }]);
  }
  return result;
}

/** Exit code for a result: 1 when any record has a defect, else 0. */
export function verifyExitCode(r: VerifyResult): 0 | 1 {
  return r.defective > 0 ? 1 : 0;
}
