import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import _Ajv2020, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import _addFormats from 'ajv-formats';
import { requiredAuditFields } from '../checks/compliance.js';
import { auditRecordSchema } from '../generate/audit-schema.js';
import type { Framework } from '../manifest/types.js';
import { InputError } from '../util/errors.js';

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
  linesKept: number;
}

export interface VerifyOptions {
  frameworks?: readonly Framework[];
  linesKept?: number;
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

/** Streams a JSON Lines audit log (constant memory: one line at a time) and verifies every record. */
export async function verifyAuditStream(input: Readable, file: string, opts: VerifyOptions = {}): Promise<VerifyResult> {
  return feed(new AuditLogVerifier(file, opts), input);
}

async function feed(verifier: AuditLogVerifier, input: Readable): Promise<VerifyResult> {
  const rl = createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
  let lineNo = 0;
  for await (const line of rl) verifier.line(line, ++lineNo);
  return verifier.result;
}

/** Verifies a log file; InputError (exit 2) when it cannot be read or holds no record. */
export async function verifyAuditLog(file: string, opts: VerifyOptions = {}): Promise<VerifyResult> {
  try {
    const s = await stat(file);
    if (s.isDirectory()) throw Object.assign(new Error('directory'), { code: 'EISDIR' });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory, not a log file' : code === 'EACCES' ? 'permission denied' : String(code ?? err);
    throw new InputError([{ file, line: 1, column: 1, message: `cannot read audit log: ${why}` }]);
  }
  const verifier = new AuditLogVerifier(file, opts); // compile before opening the file
  const result = await feed(verifier, createReadStream(file, { encoding: 'utf8' }));
  if (result.records === 0) {
    throw new InputError([{ file, line: 1, column: 1, message: 'audit log has no records: expected one JSON object per line' }]);
  }
  return result;
}

/** Exit code for a result: 1 when any record has a defect, else 0. */
export function verifyExitCode(r: VerifyResult): 0 | 1 {
  return r.defective > 0 ? 1 : 0;
}
