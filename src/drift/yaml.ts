import { type Document, LineCounter, type Node as YNode, isAlias, isMap, isPair, isScalar, isSeq, parseDocument } from 'yaml';
import { InputError } from '../util/errors.js';
import { secretKind } from '../util/secrets.js';

/**
 * A reader for gateway config files that behaves like the reader the gateway uses, and keeps where
 * every key and value stands (line and column, 1-based) so that a finding can point at it.
 *
 * - LiteLLM reads its config.yaml with PyYAML (`yaml.safe_load`), which follows YAML 1.1: `yes`, `no`,
 *   `on`, `off` (any case as PyYAML spells them) are booleans, `0755` is octal, `1_000` is 1000, `1:30`
 *   is 90, `<<` merges a mapping, and a key given twice silently keeps the last value. The `yaml` package
 *   with version '1.1' resolves scalars the same way except that it also reads `y`/`n` as booleans,
 *   which PyYAML does not (PyYAML's bool resolver: yes|no|true|false|on|off in three casings,
 *   https://github.com/yaml/pyyaml/blob/main/lib/yaml/resolver.py), so those stay strings here.
 * - JSON files (Portkey configs, LiteLLM team and key lists) are read as YAML 1.2, of which JSON is a
 *   subset; a duplicate key keeps the last value there too (as JSON.parse and Python's json do).
 *
 * Duplicates and YAML 1.1 surprises are reported, not refused: the gateway would start with them.
 */

export interface Pos {
  line: number;
  column: number;
}

export type CNode = CMap | CSeq | CScalar;

export interface CMapEntry {
  key: string;
  keyPos: Pos;
  value: CNode;
}

export interface CMap {
  kind: 'map';
  pos: Pos;
  /** the entries as the gateway sees them: a duplicated key once, with its last value, at its last place */
  entries: CMapEntry[];
}

export interface CSeq {
  kind: 'seq';
  pos: Pos;
  items: CNode[];
}

export interface CScalar {
  kind: 'scalar';
  pos: Pos;
  value: string | number | boolean | null;
  /** the text as written (for plain scalars): `on`, `0755` */
  source?: string;
  /** true when written without quotes */
  plain: boolean;
}

/** A key given twice in one mapping: the gateway keeps the second and drops the first without a word. */
export interface Duplicate {
  /** dotted path of the mapping that holds the key ('' for the root) */
  parent: string;
  key: string;
  first: Pos;
  second: Pos;
  /** what the first one held, in words, never a secret value: "a mapping with callbacks, prometheus_initialize_budget_metrics" */
  lost: string;
}

/** A plain scalar that YAML 1.1 reads as something else than it looks like. */
export interface Surprise {
  path: string;
  pos: Pos;
  source: string;
  /** what PyYAML makes of it */
  readAs: string;
  /** true when the surprise is in a key, not a value */
  inKey: boolean;
}

export interface ReadResult {
  root: CNode;
  duplicates: Duplicate[];
  surprises: Surprise[];
}

const PYYAML_NOT_BOOL = new Set(['y', 'Y', 'n', 'N']);
const OCTAL = /^[-+]?0[0-7_]+$/;
const SEXAGESIMAL = /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$/;

/** What PyYAML makes of a plain scalar that does not look like it, or undefined when it reads as it looks. */
function surprising(src: string, value: unknown): string | undefined {
  if (typeof value === 'boolean' && BOOL_WORDS.test(src)) return `the boolean ${value ? 'True' : 'False'}`;
  if (typeof value === 'number' && OCTAL.test(src)) return `the octal number ${value}`;
  if (typeof value === 'number' && SEXAGESIMAL.test(src)) return `the base-60 number ${value}`;
  if (value instanceof Date) return 'a date (datetime)';
  return undefined;
}
const BOOL_WORDS = /^(?:yes|Yes|YES|no|No|NO|on|On|ON|off|Off|OFF)$/;

export function joinPath(parent: string, key: string | number): string {
  if (typeof key === 'number') return `${parent}[${key}]`;
  const k = /^[A-Za-z_][A-Za-z0-9_-]*$/.test(key) ? key : JSON.stringify(key);
  return parent ? `${parent}.${k}` : k;
}

function describe(n: CNode, key: string): string {
  if (n.kind === 'map') {
    const keys = n.entries.map((e) => e.key);
    return keys.length ? `a mapping with ${keys.slice(0, 6).join(', ')}${keys.length > 6 ? `, and ${keys.length - 6} more` : ''}` : 'an empty mapping';
  }
  if (n.kind === 'seq') return `a list of ${n.items.length} item${n.items.length === 1 ? '' : 's'}`;
  if (typeof n.value === 'string') {
    // a credential's value is never repeated; other short strings say what was lost
    if (/key|secret|password|token|credential|database_url/i.test(key) || secretKind(n.value)) return 'a value, not shown';
    return n.value.length <= 60 ? JSON.stringify(n.value) : 'a long string';
  }
  return String(n.value);
}

/** Reads `text` (YAML 1.1 as PyYAML, or JSON); a syntax error is an InputError naming file, line and column. */
export function readConfig(text: string, file: string, as: 'yaml-1.1' | 'json'): ReadResult {
  const lc = new LineCounter();
  const doc = parseDocument(text, { version: as === 'json' ? '1.2' : '1.1', uniqueKeys: false, merge: true, lineCounter: lc, prettyErrors: false, strict: false });
  if (doc.errors.length > 0) {
    throw new InputError(
      doc.errors.map((e) => {
        const p = lc.linePos(e.pos[0]);
        return { file, line: p.line, column: p.col, message: `not valid ${as === 'json' ? 'JSON' : 'YAML'}: ${e.message.split('\n')[0]}` };
      }),
    );
  }
  const pos = (offset: number | undefined): Pos => {
    const p = lc.linePos(offset ?? 0);
    return { line: p.line, column: p.col };
  };
  const duplicates: Duplicate[] = [];
  const surprises: Surprise[] = [];
  const seen = new Set<YNode>();

  const convert = (node: unknown, path: string, depth: number): CNode => {
    if (depth > 200) throw new InputError([{ file, line: 1, column: 1, message: 'nested too deeply (more than 200 levels)' }]);
    if (isAlias(node)) {
      const target = node.resolve(doc as Document) as unknown;
      if (!target) {
        const p = pos(node.range?.[0]);
        throw new InputError([{ file, ...p, message: `alias *${node.source} has no anchor before it` }]);
      }
      if (seen.has(target as YNode)) {
        const p = pos(node.range?.[0]);
        throw new InputError([{ file, ...p, message: `alias *${node.source} refers to a node that contains it` }]);
      }
      seen.add(target as YNode);
      try {
        return convert(target, path, depth + 1);
      } finally {
        seen.delete(target as YNode);
      }
    }
    if (isMap(node)) {
      const out: CMap = { kind: 'map', pos: pos(node.range?.[0]), entries: [] };
      const index = new Map<string, number>();
      const merged: CMapEntry[] = [];
      for (const item of node.items) {
        if (!isPair(item)) continue;
        const k = item.key as unknown;
        const keyPos = pos((k as { range?: [number] } | null)?.range?.[0] ?? node.range?.[0]);
        if (isScalar(k) && typeof k.value === 'symbol') {
          // `<<: *anchor` or `<<: [*a, *b]`: the merged keys count unless the mapping sets them itself
          const sources = isSeq(item.value) ? item.value.items : [item.value];
          for (const s of sources) {
            const m = convert(s, path, depth + 1);
            if (m.kind === 'map') merged.push(...m.entries);
          }
          continue;
        }
        let key: string;
        if (isScalar(k)) {
          const src = k.type === 'PLAIN' && k.range ? text.slice(k.range[0], k.range[1]) : undefined;
          const readAs = src !== undefined && as !== 'json' ? surprising(src, k.value) : undefined;
          if (readAs) surprises.push({ path: joinPath(path, src as string), pos: keyPos, source: src as string, readAs, inKey: true });
          key = src !== undefined && PYYAML_NOT_BOOL.has(src) ? src : typeof k.value === 'boolean' ? (k.value ? 'True' : 'False') : String(k.value);
        } else {
          key = String((k as { toString?: () => string })?.toString?.() ?? k);
        }
        const value = item.value === null || item.value === undefined ? ({ kind: 'scalar', pos: keyPos, value: null, plain: true } as CScalar) : convert(item.value, joinPath(path, key), depth + 1);
        const entry: CMapEntry = { key, keyPos, value };
        const prev = index.get(key);
        if (prev !== undefined) {
          const first = out.entries[prev];
          duplicates.push({ parent: path, key, first: first.keyPos, second: keyPos, lost: describe(first.value, key) });
          out.entries.splice(prev, 1);
          for (const [kk, i] of index) if (i > prev) index.set(kk, i - 1);
        }
        index.set(key, out.entries.length);
        out.entries.push(entry);
      }
      for (const e of merged) if (!index.has(e.key)) {
        index.set(e.key, out.entries.length);
        out.entries.push(e);
      }
      return out;
    }
    if (isSeq(node)) {
      return { kind: 'seq', pos: pos(node.range?.[0]), items: node.items.map((it, i) => convert(it, joinPath(path, i), depth + 1)) };
    }
    if (isScalar(node)) {
      const p = pos(node.range?.[0]);
      const plain = node.type === 'PLAIN';
      const src = plain && node.range ? text.slice(node.range[0], node.range[1]) : undefined;
      let value = node.value as unknown;
      if (src !== undefined && PYYAML_NOT_BOOL.has(src)) value = src;
      if (src !== undefined && as !== 'json') {
        const readAs = surprising(src, value);
        if (readAs) surprises.push({ path, pos: p, source: src, readAs, inKey: false });
      }
      if (value instanceof Date) value = src ?? value.toISOString();
      const v = typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' || value === null ? value : String(value);
      return { kind: 'scalar', pos: p, value: v, source: src, plain };
    }
    return { kind: 'scalar', pos: { line: 1, column: 1 }, value: null, plain: true };
  };

  const root = doc.contents ? convert(doc.contents, '', 0) : ({ kind: 'map', pos: { line: 1, column: 1 }, entries: [] } as CMap);
  return { root, duplicates, surprises };
}

// ---- small accessors the linters share ----

export function get(n: CNode | undefined, key: string): CNode | undefined {
  return n?.kind === 'map' ? n.entries.find((e) => e.key === key)?.value : undefined;
}

export function entry(n: CNode | undefined, key: string): CMapEntry | undefined {
  return n?.kind === 'map' ? n.entries.find((e) => e.key === key) : undefined;
}

export function scalar(n: CNode | undefined): string | number | boolean | null | undefined {
  return n?.kind === 'scalar' ? n.value : undefined;
}

export function str(n: CNode | undefined): string | undefined {
  const v = scalar(n);
  return typeof v === 'string' ? v : undefined;
}

export function num(n: CNode | undefined): number | undefined {
  const v = scalar(n);
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

export function items(n: CNode | undefined): CNode[] {
  return n?.kind === 'seq' ? n.items : [];
}

export function strings(n: CNode | undefined): string[] {
  if (n?.kind === 'scalar' && typeof n.value === 'string') return [n.value];
  return items(n).map(str).filter((s): s is string => s !== undefined);
}

/** Plain JSON of a node, for values that are compared whole. */
export function toJS(n: CNode | undefined): unknown {
  if (!n) return undefined;
  if (n.kind === 'scalar') return n.value;
  if (n.kind === 'seq') return n.items.map(toJS);
  return Object.fromEntries(n.entries.map((e) => [e.key, toJS(e.value)]));
}
