import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { fromRoot } from '../util/paths.js';

const require = createRequire(import.meta.url);

export const MANIFEST_SCHEMA_PATH = fromRoot('schemas', 'manifest.schema.json');
/** Built by scripts/build-validators.mjs (npm run build). */
export const PRECOMPILED_VALIDATOR_PATH = fromRoot('dist', 'validators', 'manifest.cjs');
/** Keep identical to scripts/build-validators.mjs. */
export const AJV_OPTIONS = { allErrors: true, verbose: true, strict: true, allowUnionTypes: true } as const;

let schemaText: string | undefined;
export function manifestSchemaText(): string {
  schemaText ??= readFileSync(MANIFEST_SCHEMA_PATH, 'utf8');
  return schemaText;
}

/** Compiles the schema with ajv at run time (slow start: ~100 ms). */
export function compileManifestValidator(): ValidateFunction {
  const Ajv2020 = (require('ajv/dist/2020.js') as { default: typeof import('ajv/dist/2020.js').default }).default;
  const ajv = new Ajv2020({ ...AJV_OPTIONS });
  return ajv.compile(JSON.parse(manifestSchemaText()));
}

function precompiled(): ValidateFunction | undefined {
  try {
    const mod = require(PRECOMPILED_VALIDATOR_PATH) as ValidateFunction & { schemaSha256?: string };
    const sha = createHash('sha256').update(manifestSchemaText()).digest('hex');
    return mod.schemaSha256 === sha ? mod : undefined;
  } catch {
    return undefined;
  }
}

let validator: ValidateFunction | undefined;
/**
 * The manifest validator: the standalone one precompiled at build time when it was built from the
 * current schema, else compiled now. Same options, same errors either way.
 */
export function manifestValidator(): ValidateFunction {
  validator ??= precompiled() ?? compileManifestValidator();
  return validator;
}

export type SchemaError = ErrorObject;

let waiversValidator: ValidateFunction | undefined;
/** Validates a --waivers file: a mapping with the manifest's `waivers:` list, nothing else. */
export function waiversFileValidator(): ValidateFunction {
  if (!waiversValidator) {
    const Ajv2020 = (require('ajv/dist/2020.js') as { default: typeof import('ajv/dist/2020.js').default }).default;
      const ajv = new Ajv2020({ ...AJV_OPTIONS });
      const schema = JSON.parse(manifestSchemaText()) as { $id: string };
    ajv.addSchema(schema);
    waiversValidator = ajv.compile({
      type: 'object',
      additionalProperties: false,
      required: ['waivers'],
      properties: { waivers: { $ref: `${schema.$id}#/$defs/waivers` } },
    });
  }
  return waiversValidator as ValidateFunction;
}
