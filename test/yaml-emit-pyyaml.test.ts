// LiteLLM reads its config with PyYAML, which follows YAML 1.1: what src/util/yaml-emit.ts writes as 1.1
// (the LiteLLM config) reads back as the value it was given, on the adversarial strings of
// test/yaml-emit.test.ts and random documents of them. Needs python3 with PyYAML (Debian: python3-yaml);
// skipped, and said, without it.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import fc from 'fast-check';
import { toYaml } from '../src/util/yaml-emit.js';
import { ADVERSARIAL } from './helpers/yaml-strings.js';

const READ = [
  'import sys, json, yaml',
  'for line in sys.stdin:',
  '    try:',
  '        print(json.dumps(yaml.safe_load(json.loads(line))))',
  '    except Exception as e:',
  "        print(json.dumps({'PyYAML error': str(e)}))",
].join('\n');
const probe = spawnSync('python3', ['-c', 'import yaml'], { encoding: 'utf8' });
const skip = probe.status === 0 ? false : 'python3 with PyYAML not found (apt-get install python3-yaml): the PyYAML read-back did not run';

/** Each document read by PyYAML's safe_load, as JSON. */
function pyyaml(docs: string[]): unknown[] {
  const r = spawnSync('python3', ['-c', READ], { input: docs.map((d) => `${JSON.stringify(d)}\n`).join(''), encoding: 'utf8', maxBuffer: 64 * 2 ** 20 });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.trim().split('\n').map((l) => JSON.parse(l));
}

test('PyYAML (YAML 1.1) reads the 1.1 output back: every adversarial string as a value and a key, and random documents', { skip }, () => {
  const values: object[] = [];
  for (const s of ADVERSARIAL) values.push({ k: s }, { [s]: [s, { n: 1 }] });
  // strings, integers, booleans and null: PyYAML reads 1e-7 as a string (1.1 floats need a dot), which the
  // LiteLLM writer handles itself (DECIMAL in src/gateway/litellm/config.ts)
  const str = fc.oneof(fc.constantFrom(...ADVERSARIAL), fc.string({ maxLength: 10 }), fc.string({ unit: 'binary', maxLength: 6 }));
  const node = fc.letrec<{ node: unknown; map: unknown; seq: unknown }>((t) => ({
    node: fc.oneof({ depthSize: 'small' }, str, fc.integer(), fc.boolean(), fc.constant(null), t('map'), t('seq')),
    map: fc.dictionary(str.filter((k) => k !== '__proto__'), t('node'), { maxKeys: 4, noNullPrototype: true }),
    seq: fc.array(t('node'), { maxLength: 4 }),
  }));
  values.push(...(fc.sample(node.map, { numRuns: 400, seed: 18 }) as object[]));
  const read = pyyaml(values.map((v) => toYaml(v, { version: '1.1' })));
  // JSON on both sides: a lone surrogate is escaped the same way by JSON.stringify and Python's json
  for (let i = 0; i < values.length; i++) assert.deepEqual(read[i], JSON.parse(JSON.stringify(values[i])), `PyYAML read back:\n${toYaml(values[i], { version: '1.1' })}`);
});
