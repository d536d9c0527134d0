/**
 * A small YAML writer for the files `readiness generate` writes (Prometheus rules and their promtool
 * tests, alertmanager.yml, the LiteLLM config): block maps and sequences of strings, numbers, booleans
 * and null, nothing else. Why not the yaml package: loading it and building its document model was most
 * of what `generate` spent after the time zone (issue 18, docs/performance.md "Start-up"); this writes
 * the text directly.
 *
 * An object written twice is written out twice, where the yaml package wrote an anchor and an alias
 * (&a1 ... *a1): the same data, and a reader need not resolve aliases. Otherwise the layout is the yaml package's `stringify(value, { lineWidth: 0, indent: 2 })` (yaml 2.9.1), so the
 * generated files are the bytes they were: keys in insertion order, sequences indented under their key,
 * empty collections as [] and {}, undefined map values left out. A string is plain unless plain could be
 * misread, by the same test the yaml package makes (node_modules/yaml/dist/stringify/stringifyString.js,
 * plainString, and the schema tags it tries: dist/schema/core/*.js, dist/schema/yaml-1.1/*.js); then
 * single-quoted when it holds a double quote and no single quote, else double-quoted. Where this writer
 * differs, it is on purpose and only for strings no generated file has held so far: a string with a
 * line break, a tab or a control character is double-quoted on one line with escapes (yaml writes block
 * scalars or folds; PyYAML refuses a tab inside a plain scalar), a line starting a document marker is
 * quoted, a string YAML 1.1 would read as something else (yes, off, 1_000, 0b101, 1:20, 2024-01-01, <<, =)
 * is quoted in the 1.2 files too (a reader of either version sees a string), and every character YAML does not
 * allow raw (C1 controls, U+2028/2029, U+FEFF, U+FFFE/FFFF) is escaped (yaml leaves NEL, U+2028 and
 * U+2029 raw, which a YAML 1.1 reader such as PyYAML takes as line breaks). test/yaml-emit.test.ts
 * parses what it writes with the yaml package (1.2 and 1.1), js-yaml and PyYAML when present.
 */

export interface YamlEmitOptions {
  /**
   * '1.1' for readers that follow YAML 1.1 (LiteLLM reads its config with PyYAML): strings 1.1 would
   * read as booleans, numbers, dates or a merge key (yes, off, 1_000, 0b101, 012, 1:20, 2024-01-01, <<)
   * are quoted too. Default '1.2' (the core schema: Prometheus, promtool, Alertmanager read YAML with Go's yaml).
   */
  version?: '1.1' | '1.2';
}

type Version = '1.1' | '1.2';

// the schema tags' tests (yaml 2.9.1), a string matching any is quoted so it stays a string
const CORE = [
  /^(?:~|[Nn]ull|NULL)?$/,
  /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/,
  /^0o[0-7]+$/,
  /^[-+]?[0-9]+$/,
  /^0x[0-9a-fA-F]+$/,
  /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/,
  /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/,
  /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/,
];
const YAML_11 = [
  /^(?:~|[Nn]ull|NULL)?$/,
  /^(?:Y|y|[Yy]es|YES|[Tt]rue|TRUE|[Oo]n|ON)$/,
  /^(?:N|n|[Nn]o|NO|[Ff]alse|FALSE|[Oo]ff|OFF)$/,
  /^[-+]?0b[0-1_]+$/,
  /^[-+]?0[0-7_]+$/,
  /^[-+]?[0-9][0-9_]*$/,
  /^[-+]?0x[0-9a-fA-F_]+$/,
  /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/,
  /^[-+]?(?:[0-9][0-9_]*)?(?:\.[0-9_]*)?[eE][-+]?[0-9]+$/,
  /^[-+]?(?:[0-9][0-9_]*)?\.[0-9_]*$/,
  /^<<$/,
  // not the yaml package's: PyYAML resolves a plain = as tag:yaml.org,2002:value and refuses it (yaml/resolver.py)
  /^=$/,
  /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+$/,
  /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*$/,
  /^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})(?:(?:t|T|[ \t]+)([0-9]{1,2}):([0-9]{1,2}):([0-9]{1,2}(\.[0-9]+)?)(?:[ \t]*(Z|[-+][012]?[0-9](?::[0-9]{2})?))?)?$/,
];

/**
 * Whether a schema test above could match: every one matches only strings of at most 5 characters (the
 * words: false, FALSE, null, yes, <<, =...) or strings starting with a sign, a digit, a dot, ~ or e (numbers, 1.1's e12345,
 * dates, times). Most strings are neither, and skip the 23 tests.
 */
const mayLookAlike = (s: string) => s.length <= 5 || /^[-+.0-9~eE]/.test(s);

/** yaml's plainString: what cannot start, end or appear in a plain scalar (an indicator, ': ', ' #'...) */
const NOT_PLAIN = /^[\n\t ,[\]{}#&*!|>'"%@`]|^[?-]$|^[?-][ \t]|[\n:][ \t]|[ \t]\n|[\n\t ]#|[\n\t :]$/;
/** a line that starts a directive or a document marker */
const DOCUMENT_MARKER = /^(%|---|\.\.\.)/m;
/**
 * What this writer never leaves raw: line breaks, tabs (PyYAML refuses a tab inside a plain scalar), C0/C1
 * controls, DEL, U+2028/2029, BOM, U+FFFE/FFFF (CONTROL) and lone surrogates; SPECIAL finds any of them or
 * a surrogate in one quick scan, the two others only run when it does.
 */
const SPECIAL = /[\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff\ud800-\udfff]/;
const CONTROL = /[\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
/** plain for certain, in 1.2 and 1.1, unless it may look like a number, boolean or null (mayLookAlike) */
const COMMON_PLAIN = /^[A-Za-z_](?:[A-Za-z0-9_.\/{}=",+()$%|*<>[\]-]| (?! |#|$))*$/;

/** the yaml package's short escapes for what JSON writes as \u00XX, and YAML's for what JSON leaves raw */
const SHORT: Record<string, string> = { '0000': '\\0', '0007': '\\a', '000b': '\\v', '001b': '\\e' };
const RAW_IN_JSON = /[\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]/g;
const rawEscape = (ch: string) => (ch === '\x85' ? '\\N' : ch === '\u2028' ? '\\L' : ch === '\u2029' ? '\\P' : ch <= '\x9f' ? `\\x${ch.charCodeAt(0).toString(16)}` : `\\u${ch.charCodeAt(0).toString(16)}`);

/**
 * A double-quoted scalar on one line: JSON's escapes (\" \\ \n \t \r \b \f, \uXXXX for a lone surrogate)
 * are YAML's too; JSON's \u00XX becomes \0 \a \v \e or \xXX as the yaml package writes it, and what JSON
 * leaves raw but YAML does not allow raw (DEL, C1 controls, U+2028/2029, BOM, U+FFFE/FFFF) is escaped.
 */
function doubleQuoted(s: string): string {
  const json = JSON.stringify(s);
  if (!SPECIAL.test(s)) return json;
  return json.replace(/\\u00([0-9a-f]{2})/g, (_, hex: string) => SHORT[`00${hex}`] ?? `\\x${hex}`).replace(RAW_IN_JSON, rawEscape);
}

const singleQuoted = (s: string) => `'${s.replace(/'/g, "''")}'`;

/** A string as a YAML scalar (a value or an implicit key): plain when it reads back as this string, else quoted. */
export function yamlString(s: string, version: Version = '1.2'): string {
  // most strings (metric names, series selectors, words) are plain by this one test: a letter or _ first, then
  // no character that is special anywhere (no ':', '#', quote first, control...), single spaces not before '#'
  if (COMMON_PLAIN.test(s) && !mayLookAlike(s)) return s;
  if (SPECIAL.test(s) && (CONTROL.test(s) || LONE_SURROGATE.test(s))) return doubleQuoted(s);
  if (NOT_PLAIN.test(s) || DOCUMENT_MARKER.test(s) || (mayLookAlike(s) && (YAML_11.some((re) => re.test(s)) || (version === '1.2' && CORE.some((re) => re.test(s)))))) {
    return s.includes('"') && !s.includes("'") ? singleQuoted(s) : doubleQuoted(s);
  }
  return s;
}

/** A number as the yaml package writes it. */
function yamlNumber(n: number): string {
  if (!Number.isFinite(n)) return Number.isNaN(n) ? '.nan' : n < 0 ? '-.inf' : '.inf';
  return Object.is(n, -0) ? '-0' : JSON.stringify(n);
}

/** A string, number, boolean or null as a scalar (undefined and the rest are refused, naming where). */
function scalar(v: unknown, version: Version, at: Array<string | number>, key: string | number): string {
  if (v === null) return 'null';
  switch (typeof v) {
    case 'string':
      return yamlString(v, version);
    case 'number':
      return yamlNumber(v);
    case 'boolean':
      return v ? 'true' : 'false';
    default:
      throw new TypeError(`yaml-emit: cannot write ${typeof v} at ${where([...at, key])}`);
  }
}

const isPlainObject = (v: object): v is Record<string, unknown> => {
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
};

/** A key longer than YAML's implicit-key limit (1024 characters) is written as an explicit key. */
const MAX_IMPLICIT_KEY = 1024;

/** Where a value is, for an error: the keys and indexes from the root, joined only when there is an error. */
const where = (at: Array<string | number>) => at.map((k, i) => (typeof k === 'number' ? `[${k}]` : i === 0 ? k : `.${k}`)).join('') || '(root)';

/** '[]' or '{}' when v is an empty collection, '' when it has something to write; throws on what is not a plain object or array */
function emptyForm(v: object, at: Array<string | number>): string {
  if (Array.isArray(v)) return v.length === 0 ? '[]' : '';
  if (!isPlainObject(v)) throw new TypeError(`yaml-emit: cannot write ${Object.prototype.toString.call(v)} at ${where(at)}`);
  for (const k in v) if (v[k] !== undefined) return '';
  return '{}';
}

/**
 * Writes `value` (an object or an array) as block YAML whose lines start at `indent`; `first` replaces
 * the first line's indent (a sequence item's "- "). Each line ends in "\n". `at` is the path to value
 * (kept for errors), `open` the collections being written (a cycle is refused).
 */
function block(value: object, indent: string, first: string, version: Version, at: Array<string | number>, out: string[], open: Set<object>): void {
  // an object inside itself would never end (the yaml package writes an alias; nothing generated is cyclic)
  if (open.has(value)) throw new TypeError(`yaml-emit: ${where(at)} contains itself`);
  open.add(value);
  const inner = `${indent}  `;
  let lead = first;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      const s = item === null || typeof item !== 'object' ? scalar(item, version, at, i) : undefined;
      if (s !== undefined) out.push(`${lead}- ${s}\n`);
      else {
        at.push(i);
        const e = emptyForm(item as object, at);
        if (e) out.push(`${lead}- ${e}\n`);
        else block(item as object, inner, `${lead}- `, version, at, out, open);
        at.pop();
      }
      lead = indent;
    }
  } else {
    const map = value as Record<string, unknown>;
    for (const k in map) {
      const v = map[k];
      if (v === undefined) continue;
      const key = yamlString(k, version);
      const head = key.length > MAX_IMPLICIT_KEY ? `${lead}? ${key}\n${indent}:` : `${lead}${key}:`;
      const s = v === null || typeof v !== 'object' ? scalar(v, version, at, k) : undefined;
      if (s !== undefined) out.push(`${head} ${s}\n`);
      else {
        at.push(k);
        const e = emptyForm(v as object, at);
        if (e) out.push(`${head} ${e}\n`);
        else {
          out.push(`${head}\n`);
          block(v as object, inner, inner, version, at, out, open);
        }
        at.pop();
      }
      lead = indent;
    }
  }
  open.delete(value);
}

/** The YAML text of a map or a sequence (a document without directives or markers), ending in a newline. */
export function toYaml(value: object, opts: YamlEmitOptions = {}): string {
  return yamlBlock(value, '', opts);
}

/** The lines of a map or a sequence written at `indent` (to place inside a document written around it). */
export function yamlBlock(value: object, indent: string, opts: YamlEmitOptions = {}): string {
  const version = opts.version ?? '1.2';
  const e = emptyForm(value, []);
  if (e) return `${indent}${e}\n`;
  const out: string[] = [];
  block(value, indent, indent, version, [], out, new Set());
  return out.join('');
}
