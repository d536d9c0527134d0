import { readFileSync } from 'node:fs';
import path from 'node:path';
import _Ajv, { type ValidateFunction } from 'ajv';
import _addFormats from 'ajv-formats';
import { runChecks, type Report } from '../../src/checks/run.js';
import { loadManifest, parseManifest, type LoadedManifest } from '../../src/manifest/load.js';
import type { FormatMeta } from '../../src/report/formats.js';
import { ROOT } from './cli.js';

const Ajv = _Ajv.default;
const addFormats = _addFormats.default;

/** The OASIS SARIF 2.1.0 schema, committed (a copy of ../shared/data/sarif-schema-2.1.0.json). */
export const SARIF_SCHEMA = path.join(ROOT, 'test', 'fixtures', 'sarif-schema-2.1.0.json');

let sarif: ValidateFunction | undefined;
/**
 * A validator for SARIF 2.1.0. The schema declares draft-04 but uses nothing draft-07 reads
 * differently, so ajv's draft-07 class validates it once `$schema` and draft-04's `id` are set aside.
 */
export function sarifValidator(): ValidateFunction {
  if (!sarif) {
    const schema = JSON.parse(readFileSync(SARIF_SCHEMA, 'utf8')) as Record<string, unknown>;
    delete schema.$schema;
    delete schema.id;
    const ajv = new Ajv({ allErrors: true, strict: false });
    addFormats(ajv);
    sarif = ajv.compile(schema);
  }
  return sarif;
}

export const meta = (over: Partial<FormatMeta> = {}): FormatMeta => ({ version: '0.0.0-test', failOn: 'fail', exitCode: 0, cwd: ROOT, ...over });

export async function reportOf(file: string): Promise<Report> {
  return runChecks(await loadManifest(file));
}

export function reportOfText(yaml: string, file = 'readiness.yaml'): { loaded: LoadedManifest; report: Report } {
  const loaded = parseManifest(yaml, file);
  return { loaded, report: runChecks(loaded) };
}

let reportSchema: ValidateFunction | undefined;
/** A validator for schemas/report.schema.json (the JSON report's public contract). */
export async function reportValidator(): Promise<ValidateFunction> {
  if (!reportSchema) {
    const { default: Ajv2020 } = await import('ajv/dist/2020.js');
    const ajv = new Ajv2020.default({ allErrors: true, strict: false });
    reportSchema = ajv.compile(JSON.parse(readFileSync(path.join(ROOT, 'schemas', 'report.schema.json'), 'utf8')));
  }
  return reportSchema;
}
