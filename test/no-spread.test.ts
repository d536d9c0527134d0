/**
 * No spread of a large array into a call: `Math.max(...xs)` passes every element as an argument and
 * throws RangeError past V8's limit (the HTML budget chart crashed at 50,000 tenants). The report
 * modules use maxOf/minOf (src/util/numbers.ts), which hold at any length.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { maxOf, minOf } from '../src/util/numbers.js';
import { fromRoot } from '../src/util/paths.js';

test('maxOf and minOf hold far past the argument limit that Math.max(...xs) hits', () => {
  const xs = Array.from({ length: 500_000 }, (_, i) => (i * 7919) % 500_000);
  assert.throws(() => Math.max(...xs), RangeError, 'the limit this guards against is real on this Node');
  assert.equal(maxOf(xs), 499_999);
  assert.equal(minOf(xs), 0);
  assert.equal(maxOf([], 1), 1, 'the floor when empty');
  assert.equal(minOf([], 0), 0);
  assert.equal(maxOf([0.5, 2], 1.2), 2);
  assert.equal(maxOf([0.5], 1.2), 1.2);
});

test('no Math.max/Math.min over a spread in the report modules', () => {
  const dir = fromRoot('src', 'report');
  for (const f of readdirSync(dir).filter((x) => x.endsWith('.ts'))) {
    const text = readFileSync(`${dir}/${f}`, 'utf8');
    const spread = [...text.matchAll(/Math\.(?:max|min)\((?:[^()\n]|\([^()\n]*\))*\.\.\.[^;\n]*/g)].map((m) => m[0]);
    // a fixed handful (the six checks' ids for column widths) is fine; a per-tenant or per-second array is not
    const unbounded = spread.filter((s) => !/report\.checks|CHECKS/.test(s));
    assert.deepEqual(unbounded, [], `src/report/${f}`);
  }
});
