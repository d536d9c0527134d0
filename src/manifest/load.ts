import { createHash } from 'node:crypto';
import path from 'node:path';
import { decodeUtf8, readBounded } from '../util/read-bounded.js';
import { isValidDate } from '../util/dates.js';
import { type Diagnostic, InputError } from '../util/errors.js';
import { formatPath } from '../util/paths.js';
import { quote, redactSecrets, secretKind } from '../util/secrets.js';
import { didYouMean } from '../util/suggest.js';
import { JsonIndex, LineIndex, fastEligible, fastLoad } from './fast.js';
import { type Locator, makeLocator } from './locate.js';
import { yamlLib } from './yaml-lib.js';
import type { Document, LineCounter } from 'yaml';
import { describeSchemaError } from './messages.js';
import { manifestValidator } from './schema.js';
import type { Manifest, ManifestPath } from './types.js';

/** Manifests larger than this are refused before parsing (override with READINESS_MAX_BYTES). */
export const DEFAULT_MAX_BYTES = 5 * 1024 * 1024;
/** YAML aliases allowed before a document is treated as an alias bomb. */
export const MAX_ALIAS_COUNT = 100;

export interface LoadedManifest {
  /** the file name as the user gave it (used in messages and reports) */
  file: string;
  source: string;
  /** sha256 of the file's bytes, hex */
  sha256: string;
  /** the validated manifest, with any literal secret replaced by a placeholder naming its kind */
  manifest: Manifest;
  locate: Locator;
  /** which parser read it: 'fast' (js-yaml + line index) or 'exact' (yaml package) */
  via: 'fast' | 'exact';
}

export interface ParseOptions {
  maxBytes?: number;
  /** always use the exact (yaml package) path, even for a large valid manifest; for tests */
  exact?: boolean;
  /** loadManifest: resolve the file name against this directory (messages keep the name as given) */
  cwd?: string;
  /** loadManifest: the environment READINESS_MAX_BYTES is read from (the CLI's, which a library caller or an in-process run sets; default process.env) */
  env?: NodeJS.ProcessEnv;
}

/** Refuses input over the size limit and decodes it as UTF-8 (located errors otherwise). */
export function decodeInput(input: string | Uint8Array, file: string, maxBytes = DEFAULT_MAX_BYTES, what = 'a manifest'): { source: string; bytes: Uint8Array } {
  const bytes = typeof input === 'string' ? Buffer.from(input, 'utf8') : input;
  if (bytes.length > maxBytes) {
    throw new InputError([{ file, line: 1, column: 1, message: `file is ${bytes.length} bytes, over the ${maxBytes}-byte limit for ${what}` }]);
  }
  return { source: typeof input === 'string' ? input : decodeUtf8(bytes, file, what), bytes };
}

/**
 * Parses YAML with source positions (the exact path), refusing syntax errors, duplicate keys, an empty
 * document and alias bombs with located errors. Shared by manifests and waiver files.
 */
export function parseYamlLocated(source: string, file: string, emptyMessage: string): { data: unknown; locate: Locator } {
  const { LineCounter, parseDocument } = yamlLib();
  const lineCounter = new LineCounter();
  const doc = parseDocument(source, { lineCounter, prettyErrors: true, uniqueKeys: true, strict: true, version: '1.2' });
  const problems = yamlProblems(doc, lineCounter, file);
  if (problems.length > 0) throw new InputError(problems);
  if (doc.contents === null) throw new InputError([{ file, line: 1, column: 1, message: emptyMessage }]);
  const data = yamlToJs(doc, lineCounter, file);
  return { data, locate: makeLocator(doc, lineCounter) };
}

/** Parses and validates manifest text. Throws InputError with every located problem found. */
export function parseManifest(input: string | Uint8Array, file: string, opts: ParseOptions = {}): LoadedManifest {
  const { source, bytes } = decodeInput(input, file, opts.maxBytes);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  if (!opts.exact) {
    const fast = tryFast(source);
    if (fast) return { file, source, sha256, manifest: redactSecrets(fast.manifest).value, locate: fast.locate, via: 'fast' };
  }
  const { data, locate } = parseYamlLocated(source, file, 'file is empty: expected a readiness/v1 manifest');
  const diagnostics: Diagnostic[] = [];
  const push = (path: ManifestPath, message: string, key = false) => {
    diagnostics.push({ file, ...locate(path, { key }), message });
  };

  const validate = manifestValidator();
  if (!validate(data)) {
    for (const e of validate.errors ?? []) {
      const m = describeSchemaError(e);
      push(m.path, m.message, m.key);
    }
  } else {
    for (const p of crossReferenceProblems(data as Manifest)) push(p.path, p.message);
  }
  if (diagnostics.length > 0) throw new InputError(sortUnique(diagnostics));
  return { file, source, sha256, manifest: redactSecrets(data as Manifest).value, locate, via: 'exact' };
}

/**
 * The fast path (see fast.ts): a valid, plain block-style manifest loads with js-yaml and a line
 * index. Undefined sends the source to the exact path, which also produces every error message.
 */
function tryFast(source: string): { manifest: Manifest; locate: Locator } | undefined {
  const json = JsonIndex.load(source);
  if (json) {
    const { data, index } = json;
    if (data === null || typeof data !== 'object' || Array.isArray(data) || !manifestValidator()(data)) return undefined;
    if (crossReferenceProblems(data as Manifest).length > 0) return undefined;
    return { manifest: data as Manifest, locate: (p, o) => index.locate(p, o) };
  }
  if (!fastEligible(source)) return undefined;
  const data = fastLoad(source);
  if (data === null || typeof data !== 'object' || Array.isArray(data)) return undefined;
  if (!manifestValidator()(data)) return undefined;
  const manifest = data as Manifest;
  if (crossReferenceProblems(manifest).length > 0) return undefined;
  const index = LineIndex.build(source);
  if (index) return { manifest, locate: (p, o) => index.locate(p, o) };
  let exact: Locator | undefined;
  return {
    manifest,
    locate: (p, o) => {
      if (!exact) {
        const { LineCounter, parseDocument } = yamlLib();
        const lineCounter = new LineCounter();
        exact = makeLocator(parseDocument(source, { lineCounter, uniqueKeys: true, version: '1.2' }), lineCounter);
      }
      return exact(p, o);
    },
  };
}

export async function loadManifest(file: string, opts: ParseOptions = {}): Promise<LoadedManifest> {
  const maxBytes = opts.maxBytes ?? maxBytesFromEnv(opts.env) ?? DEFAULT_MAX_BYTES;
  // stat, then at most maxBytes + 1 bytes: /dev/zero, a FIFO without a writer or a huge file end at once
  let bytes: Buffer;
  try {
    bytes = await readBounded(opts.cwd ? path.resolve(opts.cwd, file) : file, { maxBytes, what: 'a manifest', shownAs: file });
  } catch (err) {
    // first contact: a missing manifest says how to make one
    if (err instanceof InputError && /: no such file$/.test(err.diagnostics[0]?.message ?? '')) {
      const hint = `readiness init${path.basename(file) === 'readiness.yaml' && path.dirname(file) === '.' ? '' : ` --out ${file}`}`;
      throw new InputError([{ file, line: 1, column: 1, message: `cannot read manifest: no such file\n  hint: to create one, run \`${hint}\` (it asks about the deployment and writes the manifest)` }]);
    }
    throw err;
  }
  return parseManifest(bytes, file, { maxBytes });
}

/** READINESS_MAX_BYTES when it is a positive number: the size limit for manifests and answers files. */
export function maxBytesFromEnv(env: NodeJS.ProcessEnv = process.env): number | undefined {
  const n = Number(env.READINESS_MAX_BYTES);
  return Number.isFinite(n) && n > 0 ? n : undefined;
}

/**
 * What is wrong with a parsed YAML document, located: its syntax errors, and tags it cannot resolve
 * (`!foo value`), which the yaml package only warns about and would read as a plain string: in a
 * manifest, waiver or answers file a tag is a mistake, and it must not vanish silently.
 */
export function yamlProblems(doc: Document, lineCounter: LineCounter, file: string): Diagnostic[] {
  const at = (offset: number) => {
    const p = lineCounter.linePos(offset);
    return { line: p.line, column: p.col };
  };
  // one syntax error is reported, the first: the parser's later errors on the lines after it follow
  // from it ("All mapping items must start at the same column" after a tab) and only mislead.
  // Duplicate keys are each their own mistake and are all reported.
  const syntax = doc.errors.filter((e) => e.code !== 'DUPLICATE_KEY').sort((a, b) => a.pos[0] - b.pos[0]);
  if (syntax.length > 0) {
    const first = syntax[0];
    const hint = yamlHint(first.code, first.message);
    return [{ file, ...at(first.pos[0]), message: `YAML: ${yamlMessage(first.message)}${hint ? `\n  hint: ${hint}` : ''}` }];
  }
  const out: Diagnostic[] = doc.errors.map((e) => ({ file, ...at(e.pos[0]), message: `YAML: ${yamlMessage(e.message)}` }));
  for (const w of doc.warnings) {
    if (w.code !== 'TAG_RESOLVE_FAILED') continue;
    const tag = /Unresolved tag: (\S+)/.exec(w.message)?.[1] ?? '';
    out.push({ file, ...at(w.pos[0]), message: `YAML: unknown tag ${quote(tag)}: write the plain value, without a tag` });
  }
  return out;
}

/**
 * A parsed YAML document as plain data, refusing alias bombs (more than MAX_ALIAS_COUNT expansions) and
 * locating an alias that names no anchor defined before it. Shared by manifests, waiver and answers files.
 */
export function yamlToJs(doc: Document, lineCounter: LineCounter, file: string): unknown {
  try {
    return doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    if (/excessive alias count/i.test(msg)) {
      throw new InputError([{ file, line: 1, column: 1, message: `too many YAML alias expansions (more than ${MAX_ALIAS_COUNT}): refusing a possible alias bomb` }]);
    }
    const unresolved = /^Unresolved alias[^:]*: (.*)$/.exec(msg.split('\n')[0]);
    if (unresolved) {
      const name = unresolved[1];
      let at: number | undefined;
      yamlLib().visit(doc, {
        Alias(_key, node) {
          if (node.source !== name || !node.range) return undefined;
          at = node.range[0];
          return yamlLib().visit.BREAK;
        },
      });
      const p = lineCounter.linePos(at ?? 0);
      throw new InputError([{ file, line: p.line, column: p.col, message: `YAML: alias *${quote(name).replace(/^"|"$/g, '')} names no anchor (&) defined before it` }]);
    }
    throw new InputError([{ file, line: 1, column: 1, message: `YAML: ${yamlMessage(msg)}` }]);
  }
}

/** What to do about the commonest syntax errors, as a second line; undefined when the message says it all. */
export function yamlHint(code: string, message: string): string | undefined {
  if (code === 'TAB_AS_INDENT' || /tabs are not allowed/i.test(message)) return 'YAML indents with spaces only: replace the tab at the start of this line with spaces, lined up with the keys above it';
  if (/must start at the same column/i.test(message)) return 'line this key up under the other keys of the same mapping (spaces, not tabs)';
  if (/^Flow (map|sequence) .*end with a [}\]]/i.test(message)) return 'a { or [ opened on or before this line is not closed, or the lines inside it are not indented';
  return undefined;
}

/** The yaml package's message without its own position suffix and source excerpt. */
export function yamlMessage(raw: string): string {
  const first = raw.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
  return /call stack/i.test(first) ? 'nesting is too deep to parse' : first;
}

function sortUnique(ds: Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return ds
    .filter((d) => {
      const k = `${d.line}:${d.column}:${d.message}`;
      if (seen.has(k)) return false;
      seen.add(k);
      return true;
    })
    .sort((a, b) => a.line - b.line || a.column - b.column);
}

/** Problems the schema cannot express: references between sections and duplicate ids. */
/** Words PromQL's lexer takes as keywords, operators or aggregations, in any case: not usable as bare metric names. */
const PROMQL_KEYWORDS = new Set(
  'and or unless atan2 by without on ignoring group_left group_right bool offset inf nan sum min max avg group stddev stdvar count count_values bottomk topk quantile limitk limit_ratio'.split(' '),
);

/** Each item whose key an earlier item already had: its index, and the index of the first with that key. */
function repeats<T>(items: ReadonlyArray<T>, keyOf: (item: T) => string): Array<{ index: number; first: number }> {
  const firstAt = new Map<string, number>();
  const out: Array<{ index: number; first: number }> = [];
  items.forEach((item, index) => {
    const key = keyOf(item);
    const first = firstAt.get(key);
    if (first === undefined) firstAt.set(key, index);
    else out.push({ index, first });
  });
  return out;
}

export function crossReferenceProblems(m: Manifest): Array<{ path: ManifestPath; message: string }> {
  const out: Array<{ path: ManifestPath; message: string }> = [];
  for (const section of ['providers', 'tenants'] as const) {
    const items: ReadonlyArray<{ id: string }> = m[section] ?? [];
    for (const { index: i, first } of repeats(items, (it) => it.id)) {
      out.push({ path: [section, i, 'id'], message: `${section}[${i}].id: duplicate id ${quote(items[i].id)} (first used by ${section}[${first}])` });
    }
  }

  const ids = m.providers.map((p) => p.id);
  const unknownProvider = (path: ManifestPath, id: string) => {
    const guess = didYouMean(id, ids);
    out.push({
      path,
      message: `${formatPath(path)}: no provider has id ${quote(id)}${guess ? `; did you mean ${quote(guess)}?` : ''} (providers: ${ids.map((x) => (secretKind(x) ? quote(x) : x)).join(', ')})`,
    });
  };
  const primary = m.routing?.primary;
  if (primary !== undefined && !ids.includes(primary)) unknownProvider(['routing', 'primary'], primary);
  const primaryId = primary ?? ids[0];
  (m.routing?.failover?.targets ?? []).forEach((t, i) => {
    const path = ['routing', 'failover', 'targets', i];
    if (!ids.includes(t)) unknownProvider(path, t);
    else if (t === primaryId) out.push({ path, message: `${formatPath(path)}: ${quote(t)} is the primary; a failover target must be another provider` });
  });

  const metrics = m.gateway?.metrics;
  // readiness appends one #anchor per alert to the runbook base: a base with its own fragment gives dead links
  if (metrics?.runbookBaseUrl?.includes('#')) {
    out.push({ path: ['gateway', 'metrics', 'runbookBaseUrl'], message: 'gateway.metrics.runbookBaseUrl: give the page without a #fragment: readiness appends one #anchor per alert' });
  }
  // the exporter reads LiteLLM's database and serves the litellm profile's names: nothing else fits it
  if (metrics?.source === 'readiness-exporter') {
    const kind = m.gateway?.kind;
    if (kind !== 'litellm') {
      out.push({
        path: ['gateway', 'metrics', 'source'],
        message: `gateway.metrics.source: readiness-exporter reads LiteLLM's database, so it needs gateway.kind: litellm (${kind === undefined ? 'gateway.kind is not set' : `the gateway is ${kind}`})`,
      });
    }
    if (metrics.profile !== undefined && metrics.profile !== 'litellm') {
      out.push({
        path: ['gateway', 'metrics', 'profile'],
        message: `gateway.metrics.profile: ${metrics.profile} queries other names than readiness exporter serves (the litellm profile's): set profile: litellm, or leave it unset, with source: readiness-exporter`,
      });
    }
  }
  const named = Object.entries(metrics?.overrides ?? {}).filter((e): e is [string, string] => typeof e[1] === 'string');
  // a metric named like a PromQL keyword (nan, bool, on, sum...) cannot stand as a bare selector
  for (const [key, name] of named) {
    if (PROMQL_KEYWORDS.has(name.toLowerCase())) {
      out.push({
        path: ['gateway', 'metrics', 'overrides', key],
        message: `gateway.metrics.overrides.${key}: ${quote(name)} is a PromQL keyword, so the generated rules could not name it; use the metric's full name (e.g. ${name}_total)`,
      });
    }
  }
  // two logical metrics under one name could not be told apart (the rules would count one for the other)
  for (const { index, first } of repeats(named, ([, name]) => name)) {
    const [key, name] = named[index];
    out.push({ path: ['gateway', 'metrics', 'overrides', key], message: `gateway.metrics.overrides.${key}: ${quote(name)} is already overrides.${named[first][0]}: each metric needs its own name` });
  }

  // HTTP header names are case-insensitive: two attribution headers differing only in case are one header,
  // and the gateway could not tell the operator from the team
  const headers = Object.entries(m.gateway?.attribution?.headers ?? {}).filter((e): e is [string, string] => typeof e[1] === 'string');
  for (const { index, first } of repeats(headers, ([, name]) => name.toLowerCase())) {
    const [key, name] = headers[index];
    out.push({
      path: ['gateway', 'attribution', 'headers', key],
      message: `gateway.attribution.headers.${key}: ${quote(name)} is the same header as headers.${headers[first][0]} (${quote(headers[first][1])}): header names ignore case; give each its own`,
    });
  }

  (m.waivers ?? []).forEach((w, i) => {
    if (!isValidDate(w.expires)) out.push({ path: ['waivers', i, 'expires'], message: `waivers[${i}].expires: "${w.expires}" is not a calendar date (YYYY-MM-DD)` });
  });

  const t = m.traffic;
  if (t?.peakRpm !== undefined && t.peakMultiplier !== undefined) {
    out.push({ path: ['traffic', 'peakMultiplier'], message: 'traffic: give peakRpm or peakMultiplier, not both' });
  }
  if (t?.peakMultiplier !== undefined && t.averageRpm === undefined) {
    out.push({ path: ['traffic', 'peakMultiplier'], message: 'traffic.peakMultiplier needs traffic.averageRpm to multiply' });
  }
  if (t?.peakRpm !== undefined && t.averageRpm !== undefined && t.peakRpm < t.averageRpm) {
    out.push({ path: ['traffic', 'peakRpm'], message: `traffic.peakRpm (${t.peakRpm}) is below traffic.averageRpm (${t.averageRpm}): a peak cannot be lower than the average` });
  }
  return out;
}
