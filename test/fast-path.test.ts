// The fast loader (js-yaml + line index) must be indistinguishable from the exact one (yaml package):
// the same data and the same location for every path, on every example, every fixture, and
// manifests written in many YAML styles.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { dump } from 'js-yaml';
import { parse, stringify } from 'yaml';
import { JsonIndex } from '../src/manifest/fast.js';
import { type LoadedManifest, parseManifest } from '../src/manifest/load.js';
import { EXAMPLES, ROOT } from './helpers/cli.js';
import { base, setPath, unsetPath } from './helpers/manifest.js';

type P = Array<string | number>;

function allPaths(v: unknown, prefix: P = [], out: P[] = []): P[] {
  out.push(prefix);
  if (Array.isArray(v)) v.forEach((x, i) => allPaths(x, [...prefix, i], out));
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) allPaths(x, [...prefix, k], out);
  return out;
}

function assertSame(src: string, label: string, requireFast = true): void {
  const fast = parseManifest(src, 'm.yaml');
  const exact = parseManifest(src, 'm.yaml', { exact: true });
  if (requireFast) assert.equal(fast.via, 'fast', `${label}: expected the fast path`);
  assert.equal(exact.via, 'exact');
  assert.deepEqual(fast.manifest, exact.manifest, label);
  compareLocations(fast, exact, label);
}

function compareLocations(a: LoadedManifest, b: LoadedManifest, label: string): void {
  for (const p of allPaths(b.manifest)) {
    for (const key of [false, true]) {
      assert.deepEqual(a.locate(p, { key }), b.locate(p, { key }), `${label}: ${JSON.stringify(p)} key=${key}`);
    }
    // a path that does not exist resolves to its nearest ancestor on both
    assert.deepEqual(a.locate([...p, 'nope']), b.locate([...p, 'nope']), `${label}: ${JSON.stringify([...p, 'nope'])}`);
  }
}

/** Every check fixture's manifest, labelled check/file. */
function fixtureManifests(): Array<[string, unknown]> {
  const dir = path.join(ROOT, 'test', 'fixtures', 'checks');
  const out: Array<[string, unknown]> = [];
  for (const check of readdirSync(dir)) {
    for (const f of readdirSync(path.join(dir, check))) {
      const fx = parse(readFileSync(path.join(dir, check, f), 'utf8'));
      const m = base(fx.base);
      for (const p of fx.unset ?? []) unsetPath(m, p);
      for (const [p, v] of Object.entries(fx.set ?? {})) setPath(m, p, v);
      out.push([`${check}/${f}`, m]);
    }
  }
  return out;
}

describe('fast path equals exact path', () => {
  for (const f of readdirSync(EXAMPLES).filter((x) => x.endsWith('.yaml'))) {
    test(`example ${f}`, () => assertSame(readFileSync(path.join(EXAMPLES, f), 'utf8'), f));
  }
  test('every check fixture', () => {
    const fixtures = fixtureManifests();
    for (const [label, m] of fixtures) assertSame(stringify(m), label);
    assert.ok(fixtures.length > 80);
  });
  test('manifests in many YAML styles', () => {
    const styles = fc.oneof(
      fc.record({
        lib: fc.constant('yaml' as const),
        indent: fc.constantFrom(2, 3, 4),
        indentSeq: fc.boolean(),
        defaultStringType: fc.constantFrom('PLAIN', 'QUOTE_DOUBLE', 'QUOTE_SINGLE'),
        defaultKeyType: fc.constantFrom(null, 'PLAIN', 'QUOTE_DOUBLE'),
        comments: fc.boolean(),
      }),
      fc.record({
        lib: fc.constant('js-yaml' as const),
        indent: fc.constantFrom(2, 4),
        flowLevel: fc.constantFrom(-1, 1, 2, 3, 4),
        quotingType: fc.constantFrom("'", '"'),
        forceQuotes: fc.boolean(),
        comments: fc.boolean(),
      }),
    );
    const names = fc.stringMatching(/^[a-z][a-z0-9 ,:#'"{}-]{0,12}$/);
    fc.assert(
      fc.property(styles, names, fc.integer({ min: 1, max: 5000 }), (s, name, rpm) => {
        const m = base('compliant');
        setPath(m, 'metadata.name', name.trim() || 'x');
        setPath(m, 'tenants[0].limits.rpm', rpm);
        const doc =
          s.lib === 'yaml'
            ? stringify(m, { indent: s.indent, indentSeq: s.indentSeq, defaultStringType: s.defaultStringType as 'PLAIN', defaultKeyType: s.defaultKeyType as 'PLAIN' | null })
            : dump(m, { indent: s.indent, flowLevel: s.flowLevel, quotingType: s.quotingType as "'", forceQuotes: s.forceQuotes, lineWidth: -1 });
        const src = s.comments ? doc.replace(/\n/g, ' # note\n') : doc;
        const fast = parseManifest(src, 'm.yaml');
        const exact = parseManifest(src, 'm.yaml', { exact: true });
        assert.deepEqual(fast.manifest, exact.manifest);
        compareLocations(fast, exact, `${JSON.stringify(s)}\n${src}`);
        if (s.lib === 'js-yaml' && s.flowLevel >= 2 && !s.comments) assert.equal(fast.via, 'fast', src);
      }),
      { numRuns: 200, seed: 20261127 },
    );
  });
  test('JSON manifests (compact, indented, tab-indented) of every example and fixture: the JSON path gives the exact data and locations', () => {
    const docs: Array<[string, unknown]> = readdirSync(EXAMPLES).filter((x) => x.endsWith('.yaml')).map((f) => [f, parse(readFileSync(path.join(EXAMPLES, f), 'utf8'))]);
    docs.push(...fixtureManifests());
    for (const [label, m] of docs) {
      for (const indent of [undefined, 2, 4]) assertSame(`${JSON.stringify(m, null, indent)}\n`, `${label} as JSON (indent ${indent ?? 'none'})`);
      // tab indentation: whatever the exact path decides, the default path decides the same
      const tabbed = JSON.stringify(m, null, '\t');
      const exact = (() => { try { return parseManifest(tabbed, 'm.json', { exact: true }).manifest; } catch (e) { return e; } })();
      if (exact instanceof Error) assert.throws(() => parseManifest(tabbed, 'm.json'), label);
      else assert.deepEqual(parseManifest(tabbed, 'm.json').manifest, exact, label);
    }
  });
  test('JSON the JSON path leaves to the exact path: a duplicate key is refused at its line as YAML refuses it, escapes and numbers read alike', () => {
    const m = base('compliant');
    const src = JSON.stringify(m, null, 2);
    // a duplicate key: JSON.parse keeps the last, YAML refuses it; the default path must refuse it too, located
    const dup = src.replace('"name": ', '"name": "first",\n    "name": ');
    assert.throws(() => parseManifest(dup, 'm.json', { exact: true }));
    assert.throws(() => parseManifest(dup, 'm.json'), (e: Error & { diagnostics?: Array<{ line: number }> }) => (e.diagnostics ?? []).some((d) => d.line > 1));
    // escaped keys and values, unicode, numbers in every JSON form: the same data and locations
    for (const [k, v] of [['owner', 'caf\u00e9 \ud83d\ude00 \u2028 #x: "y"'], ['owner', 'a\\/b\\u0041']] as const) {
      const one = JSON.parse(src);
      one.metadata[k] = v;
      assertSame(JSON.stringify(one, null, 2).replace('"name": "', '"name": "\\u0041\\/\\b'), `escapes ${JSON.stringify(v)}`, false);
    }
    for (const num of ['1e3', '1E+2', '2.50', '-0', '0.0', '12345678901234567890']) {
      const text = src.replace(/"rpm": \d+/, `"rpm": ${num}`);
      let exact: unknown;
      try { exact = parseManifest(text, 'm.json', { exact: true }).manifest; } catch (e) { exact = e; }
      if (exact instanceof Error) assert.throws(() => parseManifest(text, 'm.json'), num);
      else assert.deepEqual(parseManifest(text, 'm.json').manifest, exact, num);
    }
    // not JSON at all (a trailing comment) or not printable in YAML: the exact path, which still loads or refuses alike
    assert.equal(JsonIndex.load(`${src}\n# note\n`), undefined);
    assertSame(`${src}\n# note\n`, 'JSON with a YAML comment after it', false);
    assert.equal(JsonIndex.load(src.replace('"name": "', '"name": "\u0080')), undefined);
    assert.ok(JsonIndex.load(src));
    assert.equal(parseManifest(src, 'm.json').via, 'fast');
  });
  test('flow-style sections on one line are indexed, not sent to the slow path', () => {
    const src = readFileSync(path.join(EXAMPLES, 'compliant.yaml'), 'utf8');
    assert.match(src, /limits: \{rpm: 2000, tpm: 4000000\}/);
    assertSame(src, 'compliant');
  });
  test('anchors and aliases, tags, and multi-line flows take the exact path and still load', () => {
    const withAlias = readFileSync(path.join(EXAMPLES, 'compliant.yaml'), 'utf8').replace('pricing: {inputPerMTok: 2.50, outputPerMTok: 10.00}', 'pricing: &p {inputPerMTok: 2.50, outputPerMTok: 10.00}');
    assert.equal(parseManifest(withAlias, 'm.yaml').via, 'exact');
    const multiline = readFileSync(path.join(EXAMPLES, 'compliant.yaml'), 'utf8').replace('limits: {rpm: 2000, tpm: 4000000}', 'limits: {rpm: 2000,\n      tpm: 4000000}');
    const m = parseManifest(multiline, 'm.yaml');
    assert.equal(m.manifest.providers[0].limits?.tpm, 4000000);
    assertSame(multiline, 'multi-line flow', false);
  });
  test('a quoted scalar continued on the next line: both paths agree on validity and value, whatever the indentation', () => {
    const mk = (v: string) => `apiVersion: readiness/v1\nkind: AgentDeployment\nmetadata:\n  name: x\n  owner: ${v}\nproviders:\n  - id: a\n    vendor: openai\n    model: m\n`;
    // the yaml package refuses continuation lines indented at or below the key; js-yaml accepted them
    for (const v of ['"two\nlines"', '"two\n  lines"', '"two\n   lines"', "'two\nlines'", "'two\n  lines'", "'two\n   lines'", '"a\\\nb"', '"it\'s\n x"']) {
      const src = mk(v);
      let exact: unknown;
      let exactErr: unknown;
      try {
        exact = parseManifest(src, 'm.yaml', { exact: true }).manifest;
      } catch (e) {
        exactErr = e;
      }
      if (exactErr) assert.throws(() => parseManifest(src, 'm.yaml'), `${JSON.stringify(v)}: the exact path rejects it, so must the default`);
      else assert.deepEqual(parseManifest(src, 'm.yaml').manifest, exact, JSON.stringify(v));
    }
    // apostrophes inside plain scalars and comments, and quotes closed on their line, keep the fast path
    assert.equal(parseManifest(mk("operator's team # it's fine"), 'm.yaml').via, 'fast');
    assert.equal(parseManifest(mk('"quoted, closed" # "x'), 'm.yaml').via, 'fast');
    assert.equal(parseManifest(readFileSync(path.join(EXAMPLES, 'compliant.yaml'), 'utf8'), 'm.yaml').via, 'fast');
  });
  test('scalars read the same by both parsers', () => {
    for (const v of ['0b1010', '-0b11', '1_000', '0o17', '0x1F', '.inf', '-.Inf', '.NaN', '1e3', '+12', 'True', 'FALSE', 'yes', 'no', '~', 'Null', '012', '1.', '"\\x41"', "'it''s'"]) {
      const src = `apiVersion: readiness/v1\nkind: AgentDeployment\nmetadata:\n  name: x\n  owner: ${v}\nproviders:\n  - id: a\n    vendor: openai\n    model: m\n`;
      let exact: unknown;
      let exactErr: unknown;
      try {
        exact = parseManifest(src, 'm.yaml', { exact: true }).manifest;
      } catch (e) {
        exactErr = e;
      }
      if (exactErr) {
        assert.throws(() => parseManifest(src, 'm.yaml'), `${v}: the exact path rejects it, so must the default`);
      } else {
        assert.deepEqual(parseManifest(src, 'm.yaml').manifest, exact, v);
      }
    }
  });
});
