import { type RequiredField, requiredAuditFields } from '../checks/compliance.js';
import type { Framework } from '../manifest/types.js';
import { type GenerateContext, type GeneratedFile, type Generator, headerLines } from './types.js';

/**
 * JSON Schema (draft 2020-12) for one per-request audit record: the fields the manifest's frameworks
 * require (the audit-log check's list, src/checks/compliance.ts), with types and formats. Operator
 * fields beyond these are allowed.
 */
export const AUDIT_SCHEMA_PATH = 'audit/audit-record.schema.json';

/** RFC 3339 date-time in UTC: a trailing Z (or +00:00), optional fractional seconds. */
export const UTC_TIMESTAMP_PATTERN = '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?(Z|\\+00:00)$';
/**
 * Trace id: W3C Trace Context (32 lowercase hex, not all zeros; what OpenTelemetry and most gateways
 * emit), or the AWS X-Ray form 1-<8 hex epoch>-<24 hex> that X-Ray-instrumented agents log instead.
 */
export const TRACE_ID_PATTERN = '^((?!0{32})[0-9a-f]{32}|1-[0-9a-f]{8}-[0-9a-f]{24})$';
export const SHA256_PATTERN = '^[0-9a-f]{64}$';

const nonEmpty = { type: 'string', minLength: 1 };

/** The property schema for each field name readiness knows; any other required name is a non-empty string. */
const PROPERTY: Record<string, Record<string, unknown>> = {
  timestamp: {
    type: 'string',
    format: 'date-time',
    pattern: UTC_TIMESTAMP_PATTERN,
    description: 'When the decision was made: RFC 3339, UTC (Z).',
  },
  trace_id: {
    type: 'string',
    pattern: TRACE_ID_PATTERN,
    description: 'W3C trace id (32 lowercase hex, not all zeros) or AWS X-Ray trace id; joins the record to traces and gateway logs.',
  },
  output: { type: ['string', 'object', 'array'], description: 'What was decided (or use output_sha256 to keep content erasable).' },
  output_sha256: { type: 'string', pattern: SHA256_PATTERN, description: 'sha256 of the output, 64 lowercase hex.' },
  confidence: { type: 'number', minimum: 0, maximum: 1, description: 'How sure the agent was, 0 to 1.' },
};

function propertyFor(f: RequiredField, name: string): Record<string, unknown> {
  const base = PROPERTY[name] ?? { ...nonEmpty };
  return PROPERTY[name] ? base : { ...base, description: f.why.charAt(0).toUpperCase() + f.why.slice(1) + '.' };
}

export function auditRecordSchema(frameworks: readonly Framework[], comment?: string[]): Record<string, unknown> {
  const fields = requiredAuditFields(frameworks);
  const properties: Record<string, unknown> = {};
  const required: string[] = [];
  const alternatives: Array<Record<string, unknown>> = [];
  for (const f of fields) {
    for (const name of f.anyOf) properties[name] = propertyFor(f, name);
    if (f.anyOf.length === 1) required.push(f.anyOf[0]);
    else alternatives.push({ anyOf: f.anyOf.map((n) => ({ required: [n] })), description: `${f.name}: one of ${f.anyOf.join(', ')}` });
  }
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: 'https://readiness.dev/schemas/audit-record.schema.json',
    ...(comment ? { $comment: comment.join(' ') } : {}),
    title: 'Per-request audit record',
    description: `One JSON object per agent response, one per line (JSON Lines), in time order. Required for ${
      frameworks.length ? `frameworks ${[...frameworks].join(', ')}` : 'the base field list (no framework declared)'
    }. Operator fields beyond these are allowed.`,
    type: 'object',
    required,
    ...(alternatives.length ? { allOf: alternatives } : {}),
    properties,
    additionalProperties: true,
  };
}

export const auditSchemaGenerator: Generator = (ctx: GenerateContext): GeneratedFile[] => [
  { path: AUDIT_SCHEMA_PATH, content: `${JSON.stringify(auditRecordSchema(ctx.model.frameworks, headerLines(ctx)), null, 2)}\n` },
];
