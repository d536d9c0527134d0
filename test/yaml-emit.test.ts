// The YAML writer of the generated files (src/util/yaml-emit.ts): what it writes reads back as the value
// it was given, with the yaml package (YAML 1.2 core and 1.1) and js-yaml (core schema), on random and
// adversarial strings; and for ordinary strings it is the yaml package's stringify byte for byte, so the
// generated files kept their bytes. PyYAML, LiteLLM's reader: test/yaml-emit-pyyaml.test.ts.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { CORE_SCHEMA, load as jsYamlLoad } from 'js-yaml';
import { parse, stringify } from 'yaml';
import { toYaml, yamlBlock, yamlString } from '../src/util/yaml-emit.js';
import { ADVERSARIAL } from './helpers/yaml-strings.js';


const ordinaryChar = fc.constantFrom(...'abcXYZ019 :#-?,[]{}&*!|>\'"%@`._/\\=+~\té中😀'.split(/(?:)/u));
/** any string, weighted towards the adversarial ones */
const anyString = fc.oneof(fc.constantFrom(...ADVERSARIAL), fc.string({ maxLength: 12 }), fc.string({ unit: 'binary', maxLength: 8 }), fc.string({ unit: ordinaryChar, maxLength: 10 }));
const anyKey = anyString.filter((k) => k !== '__proto__');
// -0: written as yaml writes it (-0); the readers disagree on its sign (the last test)
const anyNumber = fc.oneof(fc.integer(), fc.double(), fc.constantFrom(0.0000025, 1e-7, 1e21, 0.1, 1 / 3)).map((n) => (Object.is(n, -0) ? 0 : n));

type Tree = unknown;
const tree = (str: fc.Arbitrary<string>, key: fc.Arbitrary<string>, num: fc.Arbitrary<number>) =>
  fc.letrec<{ node: Tree; map: Tree; seq: Tree }>((t) => ({
    node: fc.oneof({ depthSize: 'small', withCrossShrink: true }, str, num, fc.boolean(), fc.constant(null), t('map'), t('seq')),
    map: fc.dictionary(key, t('node'), { maxKeys: 4, noNullPrototype: true }),
    seq: fc.array(t('node'), { maxLength: 4 }),
  }));
const documents = (str = anyString, key = anyKey, num = anyNumber) => fc.oneof(tree(str, key, num).map, tree(str, key, num).seq) as fc.Arbitrary<object>;

/** NaN compares equal to NaN in deepStrictEqual; the readers agree with the writer on it. */
const roundTrips = (v: object) => {
  const y12 = toYaml(v);
  assert.deepEqual(parse(y12), v, `yaml 1.2 read back:\n${y12}`);
  assert.deepEqual(jsYamlLoad(y12, { schema: CORE_SCHEMA }), v, `js-yaml read back:\n${y12}`);
  const y11 = toYaml(v, { version: '1.1' });
  assert.deepEqual(parse(y11, { version: '1.1' }), v, `yaml 1.1 read back:\n${y11}`);
};

describe('yaml-emit', () => {
  test('every adversarial string reads back as itself, as a value and as a key, in YAML 1.2 and 1.1', () => {
    for (const s of ADVERSARIAL) {
      roundTrips({ k: s });
      roundTrips([s]);
      roundTrips({ [s]: 'v' });
      roundTrips({ a: [{ [s]: [s, { b: s }] }] });
    }
  });

  test('random documents of random and adversarial strings read back equal (yaml 1.2, 1.1, js-yaml)', () => {
    fc.assert(fc.property(documents(), roundTrips), { numRuns: 1500, seed: 18 });
  });

  test('ordinary strings: the same bytes as the yaml package stringify (lineWidth 0, indent 2), 1.2 and 1.1', () => {
    // no line break, control character or document marker: where the writer means to match yaml; and
    // one that YAML 1.1 and 1.2 read alike (yes, 1_000, 2024-01-01: 1.2 reads a string, 1.1 does not,
    // and this writer quotes them in both, as the next test shows)
    const sameIn11 = (s: string) => stringify(s, { version: '1.1' }) === stringify(s);
    const ordinary = fc
      .oneof(fc.constantFrom(...ADVERSARIAL), fc.string({ unit: ordinaryChar, maxLength: 10 }))
      .filter((s) => s.length <= 1024 && !/[\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]|^(%|---|\.\.\.)/.test(s) && !/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(s) && sameIn11(s) && s !== '<<' && s !== '=');
    const numbers = fc.oneof(fc.integer(), fc.double({ noNaN: true }), fc.constantFrom(0.0000025, 1e-7, -0));
    fc.assert(
      fc.property(documents(ordinary, ordinary.filter((k) => k !== '__proto__'), numbers), (v) => {
        assert.equal(toYaml(v), stringify(v, { lineWidth: 0, indent: 2 }));
        assert.equal(toYaml(v, { version: '1.1' }), stringify(v, { lineWidth: 0, indent: 2, version: '1.1' }));
      }),
      { numRuns: 1500, seed: 18 },
    );
  });

  test('a string YAML 1.1 reads as a boolean, number or date is quoted in 1.2 files too, and << always', () => {
    const only11 = ADVERSARIAL.filter((s) => stringify(s, { version: '1.1' }) !== stringify(s));
    assert.ok(['yes', 'off', 'y', '1_000', '0b101', '1:20', '2024-01-01'].every((s) => only11.includes(s)), only11.join(' '));
    for (const s of only11) {
      const quoted = stringify([s]) !== `- ${s}\n` ? stringify([s]) : stringify([s], { version: '1.1' });
      assert.equal(toYaml([s]), quoted, s);
      assert.equal(typeof parse(toYaml([s]), { version: '1.1' })[0], 'string', s);
    }
    // the yaml package leaves << and = plain; a YAML 1.1 reader takes << as a merge key, and PyYAML refuses a plain =: quoted here
    assert.equal(toYaml(['='], { version: '1.1' }), '- "="\n');
    assert.equal(stringify({ '<<': 1 }, { version: '1.1' }), '<<: 1\n');
    assert.equal(toYaml({ '<<': ['<<'] }, { version: '1.1' }), '"<<":\n  - "<<"\n');
    assert.deepEqual(parse(toYaml({ '<<': 1 }, { version: '1.1' }), { version: '1.1', merge: true }), { '<<': 1 });
  });

  test('the layout of nested collections, empty ones and undefined values', () => {
    const v = { a: 1, skip: undefined, b: [], c: {}, d: [[1, [2]], { e: [] }, [], {}], f: { g: [{ h: null, i: true }] } };
    const text = toYaml(v);
    assert.equal(text, 'a: 1\nb: []\nc: {}\nd:\n  - - 1\n    - - 2\n  - e: []\n  - []\n  - {}\nf:\n  g:\n    - h: null\n      i: true\n');
    assert.equal(text, stringify(v, { lineWidth: 0, indent: 2 }));
    assert.equal(toYaml([]), '[]\n');
    assert.equal(toYaml({}), '{}\n');
    assert.equal(yamlBlock([{ a: 1, b: [2] }], '    '), '    - a: 1\n      b:\n        - 2\n');
  });

  test('an object written twice is written out in full both times (yaml wrote an alias), and reads back equal', () => {
    const shared = { series: 'x{a="1"}', values: '0+1x5' };
    const v = { tests: [{ input: [shared] }, { input: [shared] }] };
    const text = toYaml(v);
    assert.doesNotMatch(text, /[&*]a1/);
    assert.match(stringify(v), /&a1/, 'the yaml package writes an anchor here');
    assert.deepEqual(parse(text), v);
  });

  test('a key over 1,024 characters is an explicit key and reads back', () => {
    const k = 'k'.repeat(1100);
    const text = toYaml({ [k]: { a: [1] }, b: 2 });
    assert.match(text, /^\? k{1100}\n:\n {2}a:/);
    assert.deepEqual(parse(text), { [k]: { a: [1] }, b: 2 });
  });

  test('what it cannot write is refused, naming where: undefined in a list, a function, a Date, a cycle', () => {
    assert.throws(() => toYaml({ a: [1, undefined] }), /cannot write undefined at a\[1\]/);
    assert.throws(() => toYaml({ a: { f: () => 1 } }), /cannot write function at a\.f/);
    assert.throws(() => toYaml({ when: new Date(0) }), /cannot write \[object Date\] at when/);
    assert.throws(() => toYaml({ n: 1n }), /cannot write bigint at n/);
    const loop: Record<string, unknown> = { a: {} };
    (loop.a as Record<string, unknown>).back = loop;
    assert.throws(() => toYaml(loop), /contains itself/);
  });

  test('scalars: quoted exactly when plain would read as something else', () => {
    assert.equal(yamlString('readiness'), 'readiness');
    assert.equal(yamlString('yes'), '"yes"', 'a reader of YAML 1.1 would see a boolean');
    assert.equal(yamlString('yes', '1.1'), '"yes"');
    assert.equal(yamlString('0b101'), '"0b101"', 'js-yaml core reads 5');
    assert.equal(yamlString('1_000', '1.1'), '"1_000"');
    assert.equal(yamlString('2024-01-01', '1.1'), '"2024-01-01"');
    assert.equal(yamlString('a: b'), '"a: b"');
    assert.equal(yamlString('say "hi"'), 'say "hi"');
    assert.equal(yamlString('"hi" she said'), '\'"hi" she said\'');
    assert.equal(yamlString('a\nb'), '"a\\nb"');
    assert.equal(yamlString('\x85\u2028'), '"\\N\\L"');
    assert.equal(toYaml([-0, Number.NaN, Infinity, -Infinity, 1e-7, 0.0000025]), '- -0\n- .nan\n- .inf\n- -.inf\n- 1e-7\n- 0.0000025\n');
    assert.ok([parse('- -0\n')[0], jsYamlLoad('- -0\n', { schema: CORE_SCHEMA }) as number[]].flat().every((z) => z === 0));
  });
});
