import type { ErrorObject } from 'ajv';
import { formatPath } from '../util/paths.js';
import { quote, secretKind } from '../util/secrets.js';
import { didYouMean } from '../util/suggest.js';

/** Splits an ajv instancePath (JSON pointer) into path segments; array indexes become numbers. */
export function pointerToPath(pointer: string): Array<string | number> {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^(0|[1-9][0-9]*)$/.test(s) ? Number(s) : s));
}

export interface LocatedMessage {
  path: Array<string | number>;
  /** point at the key of the last segment rather than its value */
  key: boolean;
  message: string;
}

function typeOfValue(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  if (typeof v === 'number') return Number.isFinite(v) ? (Number.isInteger(v) ? 'integer' : 'number') : 'non-finite number';
  return typeof v;
}

const TYPE_NAMES: Record<string, string> = {
  object: 'a mapping',
  array: 'a list',
  string: 'a string',
  number: 'a number',
  integer: 'a whole number',
  boolean: 'true or false',
};

/** Turns one ajv error into a located, human message. Values are quoted through the secret filter. */
export function describeSchemaError(e: ErrorObject): LocatedMessage {
  const path = pointerToPath(e.instancePath);
  const where = path.length ? formatPath(path) : 'manifest';
  const parent = e.parentSchema as { description?: string; properties?: Record<string, unknown> } | undefined;
  switch (e.keyword) {
    case 'additionalProperties': {
      const key = String((e.params as { additionalProperty: string }).additionalProperty);
      const allowed = Object.keys(parent?.properties ?? {});
      const guess = didYouMean(key, allowed);
      const hint = guess ? `; did you mean "${guess}"?` : allowed.length ? `; allowed keys: ${allowed.join(', ')}` : '';
      return { path: [...path, key], key: true, message: `unknown key ${quote(key)} in ${where}${hint}` };
    }
    case 'required': {
      const missing = (e.params as { missingProperty: string }).missingProperty;
      return { path, key: path.length > 0, message: `${where}: missing required key "${missing}"` };
    }
    case 'enum': {
      const allowed = (e.params as { allowedValues: unknown[] }).allowedValues.map(String);
      const guess = typeof e.data === 'string' ? didYouMean(e.data, allowed) : undefined;
      return {
        path,
        key: false,
        message: `${where}: ${quote(e.data)} is not one of: ${allowed.join(', ')}${guess ? `; did you mean "${guess}"?` : ''}`,
      };
    }
    case 'const':
      return {
        path,
        key: false,
        message: `${where} must be ${JSON.stringify((e.params as { allowedValue: unknown }).allowedValue)} (got ${quote(e.data)})`,
      };
    case 'type': {
      const want = String((e.params as { type: string }).type)
        .split(',')
        .map((t) => TYPE_NAMES[t] ?? t)
        .join(' or ');
      const got = typeOfValue(e.data);
      const shown = typeof e.data === 'object' && e.data !== null ? got : `${got} ${quote(e.data)}`;
      return { path, key: false, message: `${where}: expected ${want}, got ${shown}` };
    }
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum': {
      const { comparison, limit } = e.params as { comparison: string; limit: number };
      return { path, key: false, message: `${where} must be ${comparison} ${limit} (got ${quote(e.data)})` };
    }
    case 'pattern': {
      const kind = secretKind(e.data);
      if (kind) {
        return {
          path,
          key: false,
          message: `${where} holds what looks like a literal ${kind}: never put secrets in the manifest; store it in an environment variable and give the variable's name (value not shown)`,
        };
      }
      const desc = parent?.description ? ` (${parent.description})` : '';
      return { path, key: false, message: `${where}: ${quote(e.data)} is not valid${desc}` };
    }
    case 'format':
      return { path, key: false, message: `${where}: ${quote(e.data)} is not a valid ${(e.params as { format: string }).format}` };
    case 'uniqueItems': {
      const { i, j } = e.params as { i: number; j: number };
      return { path: [...path, i], key: false, message: `${where}: item ${i} repeats item ${j} (${quote((e.data as unknown[])[i])})` };
    }
    case 'minItems':
      return { path, key: false, message: `${where} needs at least ${(e.params as { limit: number }).limit} item(s)` };
    case 'minLength':
      return { path, key: false, message: `${where} must not be empty` };
    default:
      return { path, key: false, message: `${where} ${e.message ?? 'is invalid'}` };
  }
}
