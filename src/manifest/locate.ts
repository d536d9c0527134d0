import type { Document, LineCounter, Node } from 'yaml';
import { yamlLib } from './yaml-lib.js';
import type { ManifestPath } from './types.js';

export interface Location {
  line: number;
  column: number;
}

/**
 * Maps a manifest path to a 1-based line and column using the yaml package's source ranges.
 * `key: true` points at the key of the last segment (for unknown keys); otherwise at its value.
 * A path that does not exist in the source resolves to its nearest existing ancestor.
 */
export function makeLocator(doc: Document, lineCounter: LineCounter) {
  const { isMap, isPair, isScalar, isSeq } = yamlLib();
  const at = (offset: number | undefined): Location => {
    if (offset === undefined) return { line: 1, column: 1 };
    const p = lineCounter.linePos(offset);
    return { line: p.line, column: p.col };
  };
  return function locate(path: ManifestPath, opts: { key?: boolean } = {}): Location {
    let node: unknown = doc.contents;
    let best: Location = at((doc.contents as Node | null)?.range?.[0] ?? 0);
    for (let i = 0; i < path.length; i++) {
      const seg = path[i];
      const last = i === path.length - 1;
      if (isMap(node)) {
        const pair = node.items.find((it) => isPair(it) && isScalar(it.key) && String(it.key.value) === String(seg));
        if (!pair) return best;
        const keyNode = pair.key as Node;
        const keyLoc = at(keyNode.range?.[0]);
        if (last && opts.key) return keyLoc;
        const valueNode = pair.value as Node | null;
        // an empty value (`key:`) has no range: point at the key
        best = valueNode?.range ? at(valueNode.range[0]) : keyLoc;
        if (last) return best;
        node = valueNode;
      } else if (isSeq(node)) {
        const idx = typeof seg === 'number' ? seg : Number.parseInt(String(seg), 10);
        const item = Number.isInteger(idx) ? (node.items[idx] as Node | undefined) : undefined;
        if (!item) return best;
        best = at(item.range?.[0]);
        if (last) return best;
        node = item;
      } else {
        return best;
      }
    }
    return best;
  };
}

export type Locator = ReturnType<typeof makeLocator>;
