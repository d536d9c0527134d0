// Hostile input: thousands of mutated manifests. Each must give either a located InputError
// (exit 2 in the CLI) or a normal report; never another exception, never a stack trace.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { CHECKS } from '../src/checks/catalogue.js';
import { runChecks } from '../src/checks/run.js';
import { parseManifest } from '../src/manifest/load.js';
import { InputError } from '../src/util/errors.js';
import { base } from './helpers/manifest.js';
import { runInProcess } from './helpers/cli.js';

type P = Array<string | number>;
function allPaths(v: unknown, prefix: P = [], out: P[] = []): P[] {
  if (prefix.length) out.push(prefix);
  if (Array.isArray(v)) v.forEach((x, i) => allPaths(x, [...prefix, i], out));
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) allPaths(x, [...prefix, k], out);
  return out;
}

const COMPLIANT = base('compliant');
const PATHS = allPaths(COMPLIANT);
const SOURCE = stringify(COMPLIANT);

/** Loads and checks; returns 'report' or 'input-error', and fails on anything else. */
function judge(src: string): 'report' | 'input-error' {
  let loaded;
  try {
    loaded = parseManifest(src, 'fuzz.yaml');
  } catch (e) {
    assert.ok(e instanceof InputError, `not an InputError: ${e instanceof Error ? e.stack : String(e)}\n--- input ---\n${src.slice(0, 2000)}`);
    assert.ok(e.diagnostics.length > 0);
    for (const d of e.diagnostics) {
      assert.ok(Number.isInteger(d.line) && d.line >= 1 && Number.isInteger(d.column) && d.column >= 1, JSON.stringify(d));
      assert.ok(d.message.length > 0 && !/\n\s+at /.test(d.message));
    }
    return 'input-error';
  }
  const report = runChecks(loaded);
  assert.equal(report.checks.length, CHECKS.length);
  for (const c of report.checks) for (const f of c.findings) assert.ok(f.line >= 1 && f.message.length > 0 && !f.message.includes('NaN') && !f.message.includes('undefined'), f.message);
  return 'report';
}

const hostileValue = fc.oneof(
  fc.constantFrom(null, true, false, 0, -1, -0.0001, 1e308, -1e308, Number.MAX_SAFE_INTEGER, 2 ** 64, 0.1 + 0.2, '', ' ', '\u0000', '\u202e', '🚀', 'NaN', '.nan', '.inf', 'null', '~', '__proto__', 'constructor', 'sk-proj-AAAAAAAAAAAAAAAAAAAAAAAA', '${HOME}', '{{ .Values }}', '"', "'", '&a', '*a', '!!js/function'),
  fc.double(),
  fc.integer(),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.array(fc.oneof(fc.integer(), fc.string({ maxLength: 5 })), { maxLength: 5 }),
  fc.dictionary(fc.constantFrom('__proto__', 'constructor', 'prototype', 'peakRPM', 'id', 'rpm', 'x'), fc.oneof(fc.integer(), fc.string({ maxLength: 5 })), { maxKeys: 3 }),
  fc.letrec((tie) => ({ deep: fc.oneof({ depthSize: 'small' }, fc.constant(1), fc.array(tie('deep'), { maxLength: 2 })) })).deep,
);

type Mutation = { op: 'set'; at: number; value: unknown } | { op: 'delete'; at: number } | { op: 'add'; at: number; key: string; value: unknown };
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constant('set' as const), at: fc.nat(), value: hostileValue }),
  fc.record({ op: fc.constant('delete' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('add' as const), at: fc.nat(), key: fc.oneof(fc.constantFrom('__proto__', 'constructor', 'peakRPM', 'onmissing', 'extra'), fc.string({ maxLength: 8 })), value: hostileValue }),
);

function apply(m: Record<string, unknown>, mu: Mutation): void {
  const p = PATHS[mu.at % PATHS.length];
  let parent: any = m;
  for (const seg of p.slice(0, -1)) {
    if (parent === null || typeof parent !== 'object') return;
    parent = parent[seg];
  }
  if (parent === null || typeof parent !== 'object') return;
  const last = p[p.length - 1];
  if (mu.op === 'set') parent[last] = mu.value;
  else if (mu.op === 'delete') Array.isArray(parent) ? parent.splice(Number(last), 1) : delete parent[last];
  else if (!Array.isArray(parent)) Object.defineProperty(parent, mu.key, { value: mu.value, enumerable: true, configurable: true, writable: true });
}

describe('fuzzing the loader and the checks', () => {
  test('structured mutations of the compliant manifest', { timeout: 240_000 }, () => {
    const seen = { report: 0, 'input-error': 0 };
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 6 }), (mus) => {
        const m = structuredClone(COMPLIANT);
        for (const mu of mus) apply(m, mu);
        let src: string;
        try {
          src = stringify(m);
        } catch {
          return;
        }
        seen[judge(src)]++;
      }),
      { numRuns: 2000, seed: 4242 },
    );
    assert.ok(seen.report > 50 && seen['input-error'] > 50, JSON.stringify(seen));
  });
  test('byte-level mutations of the YAML text', { timeout: 240_000 }, () => {
    const edit = fc.record({ at: fc.nat(), del: fc.nat({ max: 12 }), ins: fc.oneof(fc.string({ maxLength: 6 }), fc.constantFrom('\n', ':', '- ', '  ', '{', '[', '&x ', '*x', '!!str ', '"', '\t', '\r\n', '\ufeff', '# ', '---\n')) });
    fc.assert(
      fc.property(fc.array(edit, { minLength: 1, maxLength: 4 }), (edits) => {
        let src = SOURCE;
        for (const e of edits) {
          const at = e.at % (src.length + 1);
          src = src.slice(0, at) + e.ins + src.slice(at + e.del);
        }
        judge(src);
      }),
      { numRuns: 2000, seed: 777 },
    );
  });
  test('duplicating a line (duplicate keys) is located', () => {
    const lines = SOURCE.split('\n');
    let dupErrors = 0;
    for (let i = 0; i < lines.length; i++) {
      if (!/^\s*[a-zA-Z]+:/.test(lines[i])) continue;
      const src = [...lines.slice(0, i + 1), lines[i], ...lines.slice(i + 1)].join('\n');
      if (judge(src) === 'input-error') dupErrors++;
    }
    assert.ok(dupErrors > 20);
  });
  test('deep nesting is refused with a message, not a crash', () => {
    for (const src of [`metadata: ${'['.repeat(50_000)}${']'.repeat(50_000)}\n`, `metadata: ${'{a: '.repeat(20_000)}1${'}'.repeat(20_000)}\n`]) {
      assert.equal(judge(src), 'input-error');
    }
  });
  test('figures at the schema\'s bounds (largest, smallest, tiniest fraction) give a report in every format, never a crash', async () => {
    const { mkdtempSync, writeFileSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const path = await import('node:path');
    const { schemaNode } = await import('../src/init/schema-bounds.js');
    const get = (m: unknown, p: P) => p.reduce<unknown>((o, k) => (o as Record<string | number, unknown>)[k], m);
    const field = (p: P) => p.map((k) => (typeof k === 'number' ? '[]' : `.${k}`)).join('').replace(/^\./, '');
    type Bound = { type?: string; maximum?: number; minimum?: number; exclusiveMinimum?: number };
    const numeric = PATHS.filter((p) => typeof get(COMPLIANT, p) === 'number').map((p) => ({ p, node: schemaNode(field(p)) as Bound }));
    assert.ok(numeric.length > 20 && numeric.every((x) => x.node && typeof x.node.maximum === 'number'), 'every figure of the example has a schema bound');
    const extreme = (node: Bound, pick: 'max' | 'min' | 'tiny'): number => {
      if (pick === 'max') return node.maximum as number;
      if (node.minimum !== undefined) return node.minimum;
      return node.type === 'integer' ? 1 : pick === 'tiny' ? Number.MIN_VALUE : 1e-9;
    };
    const picks = ['max', 'min', 'tiny'] as const;
    const cases: Array<Array<{ at: number; pick: (typeof picks)[number] }>> = [
      ...picks.map((pick) => numeric.map((_, at) => ({ at, pick }))), // every figure at once at each extreme
      ...fc.sample(fc.array(fc.record({ at: fc.nat({ max: numeric.length - 1 }), pick: fc.constantFrom(...picks) }), { minLength: 1, maxLength: 8 }), { numRuns: 60, seed: 21 }),
    ];
    const dir = mkdtempSync(path.join(tmpdir(), 'readiness-bounds-'));
    try {
      for (const [i, c] of cases.entries()) {
        const m = structuredClone(COMPLIANT) as Record<string, unknown>;
        for (const { at, pick } of c) {
          const { p, node } = numeric[at];
          const parent = get(m, p.slice(0, -1)) as Record<string | number, unknown>;
          parent[p[p.length - 1]] = extreme(node, pick);
        }
        const f = path.join(dir, `b${i}.yaml`);
        writeFileSync(f, stringify(m));
        const formats = ['json', 'markdown', 'junit', 'sarif', 'github', 'html'].flatMap((x) => ['--format', `${x}=${path.join(dir, `r${i}.${x}`)}`]);
        const r = await runInProcess(['check', f, '--format', 'text', ...formats, '--out-dir', path.join(dir, `g${i}`)]);
        assert.ok([0, 1, 2].includes(r.code), `case ${i} (${JSON.stringify(c.slice(0, 4))}...): exit ${r.code}: ${r.stderr.slice(0, 600)}`);
        assert.doesNotMatch(r.stderr, /internal error|\n\s+at /);
        if (r.code !== 2) assert.doesNotMatch(r.stdout, /NaN|undefined/);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('the CLI never prints a stack trace for fuzzed input', async () => {
    const samples = fc.sample(fc.array(mutation, { minLength: 1, maxLength: 4 }), { numRuns: 40, seed: 99 });
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const path = await import('node:path');
    const dir = mkdtempSync(path.join(tmpdir(), 'readiness-fuzz-'));
    for (const [i, mus] of samples.entries()) {
      const m = structuredClone(COMPLIANT);
      for (const mu of mus) apply(m, mu);
      const f = path.join(dir, `m${i}.yaml`);
      writeFileSync(f, stringify(m));
      const r = await runInProcess(['check', f, '--format', 'json']);
      assert.ok([0, 1, 2].includes(r.code), `exit ${r.code}: ${r.stderr}`);
      assert.doesNotMatch(r.stderr, /\n\s+at |internal error/);
      if (r.code !== 2) JSON.parse(r.stdout);
    }
  });
});
