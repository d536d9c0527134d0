/**
 * The fast path for large, valid manifests.
 *
 * The yaml package gives exact source ranges for every node, which is what located error messages
 * need, but it composes a full document model: ~230x the time of JSON.parse on a 2 MB manifest with
 * 10,000 tenants (measured: bench/). A valid manifest only needs locations for a handful of findings.
 * So, for plain block-style YAML (no anchors, aliases, tags, directives or multi-line flow
 * collections), the data comes from js-yaml (core schema) and locations from a line indexer below;
 * anything else, and every invalid manifest, goes through the yaml package (src/manifest/load.ts).
 * Tests check that both paths give the same data and the same location for every path.
 */
import { CORE_SCHEMA, load } from 'js-yaml';
import type { Location } from './locate.js';
import type { ManifestPath } from './types.js';

/**
 * Conservative: true only for sources the indexer understands. A false negative costs time, never
 * correctness. Anything that could be an anchor, alias, tag, directive, document marker, complex
 * key, merge key or tab indentation sends the file to the exact path.
 */
export function fastEligible(src: string): boolean {
  if (/(^|[\s[\]{},])[&*!][^\s]/.test(src)) return false;
  if (/^(---|\.\.\.)(\s|$)/m.test(src)) return false;
  if (/^\s*%/m.test(src)) return false;
  if (/(^|\s)\?(\s|$)/m.test(src)) return false;
  if (src.includes('<<')) return false;
  if (/^ *\t/m.test(src)) return false;
  if (src.charCodeAt(0) === 0xfeff) return false;
  // js-yaml's core schema still reads YAML 1.1 binary integers (0b1010); the yaml package reads a string
  if (/(^|[\s:,[{-])[-+]?0b[01_]/m.test(src)) return false;
  // a quoted scalar that runs onto the next line: js-yaml accepts continuation lines indented less than
  // the yaml package requires (which refuses them), so validity would depend on the path taken
  if (hasMultilineQuoted(src)) return false;
  return true;
}

/**
 * Whether any single- or double-quoted scalar is still open at the end of its line. A quote counts as
 * opening a scalar only where a token starts (line start; after `: `, `- ` or `? `; after `[`, `{` or,
 * inside a flow collection, `,`), so a quote or apostrophe inside a plain scalar or a comment does not.
 * Linear in the source.
 */
export function hasMultilineQuoted(src: string): boolean {
  let quote: '"' | "'" | undefined;
  let start = true; // the next non-space character starts a token
  let flow = 0; // depth of flow collections opened at a token start
  for (let i = 0; i < src.length; i++) {
    const ch = src[i];
    if (quote) {
      if (ch === '\n' || ch === '\r') return true;
      if (quote === '"' && ch === '\\') {
        if (src[i + 1] === '\n' || src[i + 1] === '\r') return true;
        i++;
      } else if (ch === quote) {
        if (quote === "'" && src[i + 1] === "'") i++;
        else quote = undefined;
      }
      continue;
    }
    if (ch === '\n') {
      start = true;
      continue;
    }
    if (ch === ' ' || ch === '\t' || ch === '\r') continue;
    if (ch === '#' && (i === 0 || src[i - 1] === ' ' || src[i - 1] === '\t' || src[i - 1] === '\n')) {
      while (i + 1 < src.length && src[i + 1] !== '\n') i++; // a comment, to the end of its line
      continue;
    }
    const spaced = i + 1 >= src.length || src[i + 1] === ' ' || src[i + 1] === '\t' || src[i + 1] === '\n' || src[i + 1] === '\r';
    if (start && (ch === '"' || ch === "'")) {
      quote = ch;
      start = false;
      continue;
    }
    if ((ch === ':' || ch === '-' || ch === '?') && spaced) start = true;
    else if ((ch === '[' || ch === '{') && start) {
      flow++;
      start = true;
    } else if (ch === ',' && flow > 0) start = true;
    else if ((ch === ']' || ch === '}') && flow > 0) {
      flow--;
      start = false;
    } else start = false;
  }
  return quote !== undefined;
}

/** Parses with js-yaml's core schema; undefined when it cannot (the exact path then reports why). */
export function fastLoad(src: string): unknown {
  try {
    return load(src, { schema: CORE_SCHEMA, json: false });
  } catch {
    return undefined;
  }
}

/** Source offsets of one node's key and value, and its children by key or index. */
interface Entry {
  key?: number;
  value?: number;
  kids?: Map<string, Entry>;
}

class Bail extends Error {}

function child(e: Entry, seg: string | number): Entry {
  e.kids ??= new Map();
  const k = String(seg);
  let c = e.kids.get(k);
  if (!c) {
    c = {};
    e.kids.set(k, c);
  }
  return c;
}

/** Source positions of keys and values by path, and the locator over them (the yaml-based one's contract). */
abstract class OffsetIndex {
  protected readonly root: Entry = {};
  protected rootOffset = 0;
  private readonly lineStarts: number[] = [0];

  protected constructor(protected readonly src: string) {
    for (let i = src.indexOf('\n'); i !== -1; i = src.indexOf('\n', i + 1)) this.lineStarts.push(i + 1);
  }

  protected get lines(): ReadonlyArray<number> {
    return this.lineStarts;
  }

  private pos(offset: number): Location {
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStarts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - this.lineStarts[lo] + 1 };
  }

  protected set(e: Entry, field: 'key' | 'value', offset: number): void {
    if (e[field] === undefined) e[field] = offset;
  }

  /** Same contract as the yaml-based locator in locate.ts. */
  locate(path: ManifestPath, opts: { key?: boolean } = {}): Location {
    let best = this.rootOffset;
    let e: Entry | undefined = this.root;
    for (let i = 0; i < path.length; i++) {
      e = e.kids?.get(String(path[i]));
      if (!e) break;
      if (i === path.length - 1 && opts.key && e.key !== undefined) return this.pos(e.key);
      best = e.value ?? e.key ?? best;
    }
    return this.pos(best);
  }
}

/** Index of the source positions of keys and values in a block-style YAML document, by path. */
export class LineIndex extends OffsetIndex {
  private constructor(src: string) {
    super(src);
  }

  /** Builds the index; undefined when the document uses a construct the indexer does not follow. */
  static build(src: string): LineIndex | undefined {
    const index = new LineIndex(src);
    try {
      index.scan();
      return index;
    } catch (e) {
      if (e instanceof Bail) return undefined;
      throw e;
    }
  }

  private scan(): void {
    const src = this.src;
    type Frame = { indent: number; kind: 'map' | 'seq'; node: Entry; next: number };
    const stack: Frame[] = [];
    let pending: { node: Entry; indent: number } | undefined;
    let blockScalarIndent = -1;
    let sawRoot = false;
    const lineStarts = this.lines;
    for (let li = 0; li < lineStarts.length; li++) {
      const start = lineStarts[li];
      const end = li + 1 < lineStarts.length ? lineStarts[li + 1] - 1 : src.length;
      let line = src.slice(start, end);
      if (line.endsWith('\r')) line = line.slice(0, -1);
      const indent = line.length - line.trimStart().length;
      const body = line.slice(indent);
      if (blockScalarIndent >= 0) {
        if (body === '' || indent > blockScalarIndent) continue;
        blockScalarIndent = -1;
      }
      if (body === '' || body.startsWith('#')) continue;
      let col = indent;
      // the node that starts this line: close deeper frames first
      while (stack.length && stack[stack.length - 1].indent > col) stack.pop();
      const isDash = body === '-' || body.startsWith('- ');
      if (stack.length && stack[stack.length - 1].indent === col && stack[stack.length - 1].kind === 'seq' && !isDash) stack.pop();
      let parent: Entry;
      if (pending && (col > pending.indent || (col === pending.indent && isDash))) {
        parent = pending.node;
        this.set(parent, 'value', start + col);
        pending = undefined;
      } else {
        pending = undefined;
        const top = stack[stack.length - 1];
        if (!sawRoot) {
          parent = this.root;
          this.rootOffset = start + col;
        } else if (!top || top.indent !== col) {
          throw new Bail();
        } else {
          parent = top.node;
        }
      }
      sawRoot = true;
      // one line may open several nested nodes: "- id: x" is a sequence item holding a mapping
      let text = body;
      for (;;) {
        const top = stack[stack.length - 1];
        if (text === '-' || text.startsWith('- ')) {
          let frame = top && top.indent === col && top.kind === 'seq' ? top : undefined;
          if (!frame) {
            frame = { indent: col, kind: 'seq', node: parent, next: 0 };
            stack.push(frame);
          }
          const item = child(frame.node, frame.next++);
          const rest = text.slice(1);
          const skip = rest.length - rest.trimStart().length;
          const content = rest.trimStart();
          if (content === '' || content.startsWith('#')) {
            pending = { node: item, indent: col };
            break;
          }
          col += 1 + skip;
          this.set(item, 'value', start + col);
          parent = item;
          text = content;
          continue;
        }
        const m = /^("(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|[^\s#'"{[\]}:,][^:#]*?|[^\s#'"{[\]}:,])\s*:(?=\s|$)/.exec(text);
        if (!m) {
          // a scalar or flow value standing alone (only as a sequence item, already recorded)
          if (stack.length && stack[stack.length - 1].kind === 'seq' && stack[stack.length - 1].indent < col) {
            this.value(parent, text, start + col);
            break;
          }
          throw new Bail();
        }
        let frame = top && top.indent === col && top.kind === 'map' ? top : undefined;
        if (!frame) {
          frame = { indent: col, kind: 'map', node: parent, next: 0 };
          stack.push(frame);
        }
        const rawKey = m[1];
        const key = unquote(rawKey);
        const entry = child(frame.node, key);
        this.set(entry, 'key', start + col);
        const after = text.slice(m[0].length);
        const skip = after.length - after.trimStart().length;
        const value = after.trimStart();
        if (value === '' || value.startsWith('#')) {
          pending = { node: entry, indent: col };
          break;
        }
        const vcol = col + m[0].length + skip;
        this.set(entry, 'value', start + vcol);
        if (value.startsWith('|') || value.startsWith('>')) {
          blockScalarIndent = col;
          break;
        }
        this.value(entry, value, start + vcol);
        break;
      }
    }
  }

  /** A value on one line: a flow collection is indexed; a quoted scalar must close on the line. */
  private value(node: Entry, text: string, offset: number): void {
    const c = text[0];
    if (c === '{' || c === '[') {
      const end = this.flow(node, text, 0, offset);
      const tail = text.slice(end).trim();
      if (tail !== '' && !tail.startsWith('#')) throw new Bail();
      return;
    }
    if (c === '"' || c === "'") {
      const end = quotedEnd(text, 0);
      const tail = text.slice(end).trim();
      if (tail !== '' && !tail.startsWith('#')) throw new Bail();
    }
  }

  /** Indexes a flow collection starting at text[i]; returns the index after it. */
  private flow(node: Entry, text: string, i: number, base: number): number {
    const open = text[i];
    const close = open === '{' ? '}' : ']';
    i++;
    let n = 0;
    const ws = () => {
      while (i < text.length && text[i] === ' ') i++;
    };
    ws();
    if (text[i] === close) return i + 1;
    for (;;) {
      ws();
      if (i >= text.length) throw new Bail();
      if (open === '{') {
        const kStart = i;
        let key: string;
        if (text[i] === '"' || text[i] === "'") {
          const e = quotedEnd(text, i);
          key = unquote(text.slice(i, e));
          i = e;
        } else {
          const m = /^[^,:{}[\]#\s][^,:{}[\]]*?(?=\s*:)/.exec(text.slice(i));
          if (!m) throw new Bail();
          key = m[0];
          i += m[0].length;
        }
        ws();
        if (text[i] !== ':') throw new Bail();
        i++;
        ws();
        const entry = child(node, key);
        this.set(entry, 'key', base + kStart);
        this.set(entry, 'value', base + i);
        i = this.flowValue(entry, text, i, base);
      } else {
        const item = child(node, n++);
        this.set(item, 'value', base + i);
        i = this.flowValue(item, text, i, base);
      }
      ws();
      if (text[i] === ',') {
        i++;
        ws();
        if (text[i] === close) return i + 1;
        continue;
      }
      if (text[i] === close) return i + 1;
      throw new Bail();
    }
  }

  private flowValue(node: Entry, text: string, i: number, base: number): number {
    const c = text[i];
    if (c === '{' || c === '[') return this.flow(node, text, i, base);
    if (c === '"' || c === "'") return quotedEnd(text, i);
    const m = /^[^,{}[\]]*/.exec(text.slice(i));
    const v = (m?.[0] ?? '').trimEnd();
    if (v === '' || v.includes(': ') || v.includes(' #')) throw new Bail();
    return i + v.length;
  }
}

function quotedEnd(text: string, i: number): number {
  const q = text[i];
  let j = i + 1;
  while (j < text.length) {
    if (q === '"' && text[j] === '\\') {
      j += 2;
      continue;
    }
    if (text[j] === q) {
      if (q === "'" && text[j + 1] === "'") {
        j += 2;
        continue;
      }
      return j + 1;
    }
    j++;
  }
  throw new Bail();
}

function unquote(raw: string): string {
  if (raw.startsWith('"')) {
    // YAML escapes are a superset of JSON's: leave anything JSON cannot read to the exact path
    try {
      return JSON.parse(raw) as string;
    } catch {
      throw new Bail();
    }
  }
  if (raw.startsWith("'")) return raw.slice(1, -1).replace(/''/g, "'");
  return raw.trimEnd();
}

/**
 * A manifest written as JSON (JSON is YAML 1.2 flow style, so the exact path reads it too, but the yaml
 * package composes its document model ~20x slower than JSON.parse on a 10,000-tenant manifest: bench/).
 * The data comes from JSON.parse and the locations from one linear scan below. Conservative like
 * fastEligible: anything the scan does not follow, a duplicate key (the exact path refuses it; JSON.parse
 * would keep the last), a key over 1,000 characters (YAML limits implicit keys to 1,024), tab indentation
 * or a character YAML does not print, sends the file to the exact path, which also gives every error.
 */
export class JsonIndex extends OffsetIndex {
  private constructor(src: string) {
    super(src);
  }

  /** The data and the index, or undefined when the source is not JSON this path takes. */
  static load(src: string): { data: unknown; index: JsonIndex } | undefined {
    if (!/^[ \t\r\n]*\{/.test(src) || /^ *\t/m.test(src) || NOT_PRINTABLE.test(src)) return undefined;
    let data: unknown;
    try {
      data = JSON.parse(src);
    } catch {
      return undefined;
    }
    const index = new JsonIndex(src);
    try {
      index.scan();
    } catch (e) {
      if (e instanceof Bail) return undefined;
      throw e;
    }
    return { data, index };
  }

  private scan(): void {
    const s = this.src;
    const n = s.length;
    let i = 0;
    const ws = () => {
      while (i < n) {
        const c = s.charCodeAt(i);
        if (c === 32 || c === 10 || c === 13 || c === 9) i++;
        else break;
      }
    };
    const stringEnd = (): number => {
      for (let j = i + 1; j < n; j++) {
        const c = s.charCodeAt(j);
        if (c === 92) j++;
        else if (c === 34) return j + 1;
      }
      throw new Bail();
    };
    const value = (node: Entry, depth: number): void => {
      if (depth > 64) throw new Bail();
      const c = s.charCodeAt(i);
      if (c === 123 || c === 91) {
        const close = c === 123 ? 125 : 93;
        i++;
        ws();
        if (s.charCodeAt(i) === close) {
          i++;
          return;
        }
        const keys = c === 123 ? new Set<string>() : undefined;
        for (let item = 0; ; item++) {
          ws();
          let e: Entry;
          if (keys) {
            if (s.charCodeAt(i) !== 34) throw new Bail();
            const start = i;
            const end = stringEnd();
            if (end - start > 1000) throw new Bail();
            const raw = s.slice(start, end);
            const key = raw.includes('\\') ? (JSON.parse(raw) as string) : raw.slice(1, -1);
            if (keys.has(key)) throw new Bail();
            keys.add(key);
            i = end;
            ws();
            if (s.charCodeAt(i) !== 58) throw new Bail();
            i++;
            ws();
            e = child(node, key);
            this.set(e, 'key', start);
          } else {
            e = child(node, item);
          }
          this.set(e, 'value', i);
          value(e, depth + 1);
          ws();
          const d = s.charCodeAt(i);
          i++;
          if (d === 44) continue;
          if (d === close) return;
          throw new Bail();
        }
      }
      if (c === 34) {
        i = stringEnd();
        return;
      }
      // a number, true, false or null (JSON.parse has read them)
      const start = i;
      while (i < n) {
        const d = s.charCodeAt(i);
        if (d === 44 || d === 93 || d === 125 || d === 32 || d === 10 || d === 13 || d === 9) break;
        i++;
      }
      if (i === start) throw new Bail();
    };
    ws();
    this.rootOffset = i;
    value(this.root, 0);
    ws();
    if (i !== n) throw new Bail();
  }
}

/** Characters outside YAML 1.2's printable set (c-printable), lone surrogates included: the exact path judges them. */
const NOT_PRINTABLE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u0084\u0086-\u009f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
