/**
 * No import loops in src/: the layers go one way (manifest -> checks -> reports and generators), so a
 * module can be read, tested and reused without the ones above it. Type-only imports count too: a loop
 * through types still ties the two modules' designs together. Dynamic `import()` of a relative module
 * counts as well.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { fromRoot } from '../src/util/paths.js';

/** Relative imports of one TypeScript source, as repository paths. */
export function relativeImports(file: string, text: string): string[] {
  const out: string[] = [];
  const add = (spec: string) => out.push(path.join(path.dirname(file), spec.replace(/\.js$/, '.ts')));
  for (const m of text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^'";]*?\sfrom\s+['"](\.[^'"]+)['"]/g)) add(m[1]);
  for (const m of text.matchAll(/import\(\s*['"](\.[^'"]+)['"]\s*\)/g)) add(m[1]);
  return out;
}

/** Strongly connected components of more than one file (Tarjan). */
export function cycles(graph: Map<string, string[]>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string) => {
    index.set(v, next);
    low.set(v, next);
    next++;
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const c: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        c.push(w);
      } while (w !== v);
      if (c.length > 1) found.push(c.sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return found;
}

function sourceGraph(): Map<string, string[]> {
  const root = fromRoot();
  const graph = new Map<string, string[]>();
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const p = path.join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (p.endsWith('.ts') && !p.endsWith('.d.ts')) {
        const rel = path.relative(root, p);
        graph.set(rel, relativeImports(rel, readFileSync(p, 'utf8')));
      }
    }
  };
  walk(fromRoot('src'));
  return graph;
}

test('the cycle finder sees a loop through type-only and dynamic imports', () => {
  const a = "import type { B } from './b.js';\nexport const a = 1;\n";
  const b = "export async function f() { return import('./a.js'); }\n";
  const g = new Map([
    ['src/a.ts', relativeImports('src/a.ts', a)],
    ['src/b.ts', relativeImports('src/b.ts', b)],
    ['src/c.ts', relativeImports('src/c.ts', "import { a } from './a.js';\n")],
  ]);
  assert.deepEqual(cycles(g), [['src/a.ts', 'src/b.ts']]);
});

test('src/ has no import loops', () => {
  const g = sourceGraph();
  assert.ok(g.size > 50, `read ${g.size} source files`);
  assert.deepEqual(cycles(g), []);
});
