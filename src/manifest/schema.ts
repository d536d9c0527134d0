import { readFileSync } from 'node:fs';
import _Ajv2020, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import _addFormats from 'ajv-formats';
import { fromRoot } from '../util/paths.js';

const Ajv2020 = _Ajv2020.default;
const addFormats = _addFormats.default;

export const MANIFEST_SCHEMA_PATH = fromRoot('schemas', 'manifest.schema.json');

let schemaText: string | undefined;
export function manifestSchemaText(): string {
  schemaText ??= readFileSync(MANIFEST_SCHEMA_PATH, 'utf8');
  return schemaText;
}

let validator: ValidateFunction | undefined;
/** The compiled manifest validator (compiled once per process). */
export function manifestValidator(): ValidateFunction {
  if (!validator) {
    const ajv = new Ajv2020({ allErrors: true, verbose: true, strict: true, allowUnionTypes: true });
    addFormats(ajv, ['uri']);
    validator = ajv.compile(JSON.parse(manifestSchemaText()));
  }
  return validator;
}

export type SchemaError = ErrorObject;

let waiversValidator: ValidateFunction | undefined;
/** Validates a --waivers file: a mapping with the manifest's `waivers:` list, nothing else. */
export function waiversFileValidator(): ValidateFunction {
  if (!waiversValidator) {
    const ajv = new Ajv2020({ allErrors: true, verbose: true, strict: true, allowUnionTypes: true });
    addFormats(ajv, ['uri']);
    const schema = JSON.parse(manifestSchemaText()) as { $id: string };
    ajv.addSchema(schema);
    waiversValidator = ajv.compile({
      type: 'object',
      additionalProperties: false,
      required: ['waivers'],
      properties: { waivers: { $ref: `${schema.$id}#/$defs/waivers` } },
    });
  }
  return waiversValidator;
}
