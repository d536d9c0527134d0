import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decide, describeOrigin, larger, smaller } from '../src/evidence/decide.js';
import type { EvidenceSet } from '../src/evidence/types.js';

const usage: EvidenceSet = {
  origin: { kind: 'usage', file: 'pilot.jsonl', description: 'usage log pilot.jsonl, 14 days' },
  observations: [
    { figure: 'traffic.peakRpm', value: 480 },
    { figure: 'provider.rpm', subject: 'a', value: 300 },
  ],
};
const deployed: EvidenceSet = {
  origin: { kind: 'deployed-config', file: 'config.yaml', description: 'deployed LiteLLM config config.yaml' },
  observations: [{ figure: 'provider.rpm', subject: 'a', value: 200, line: 4, column: 12 }],
};

test('decide: the declared figure stands when no evidence beats it (ties keep the declared one)', () => {
  const d = decide([usage], 'traffic.peakRpm', 480, larger);
  assert.equal(d.value, 480);
  assert.equal(d.decidedBy, undefined);
  assert.equal(d.observed.length, 1);
});

test('decide: a larger measured peak decides, and says where it came from', () => {
  const d = decide([usage], 'traffic.peakRpm', 479, larger);
  assert.equal(d.value, 480);
  assert.equal(d.decidedBy?.kind, 'usage');
  assert.equal(d.declared, 479);
});

test('decide: for a limit the smallest of declared and every observation decides, per subject', () => {
  const d = decide([usage, deployed], 'provider.rpm', 500, smaller, 'a');
  assert.equal(d.value, 200);
  assert.equal(d.decidedBy?.kind, 'deployed-config');
  assert.equal(d.decidedBy?.line, 4);
  assert.equal(describeOrigin(d.decidedBy!), 'deployed LiteLLM config config.yaml (config.yaml:4:12)');
  assert.equal(decide([usage, deployed], 'provider.rpm', 500, smaller, 'b').value, 500);
});

test('decide: with nothing declared the first observation decides', () => {
  const d = decide([deployed], 'provider.rpm', undefined, smaller, 'a');
  assert.equal(d.value, 200);
  assert.equal(decide([], 'provider.rpm', undefined, smaller, 'a').value, undefined);
});
