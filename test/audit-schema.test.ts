import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import _Ajv2020 from 'ajv/dist/2020.js';
import _addFormats from 'ajv-formats';
import { BASE_AUDIT_FIELDS, PCI_AUDIT_FIELDS } from '../src/checks/compliance.js';
import { AUDIT_SCHEMA_PATH, auditRecordSchema, auditSchemaGenerator } from '../src/generate/audit-schema.js';
import { assertDeterministic, assertGolden, exampleContext, exampleNames } from './helpers/golden.js';

const Ajv2020 = _Ajv2020.default;
const addFormats = _addFormats.default;
function compile(schema: object) {
  const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true });
  addFormats(ajv, ['date-time']);
  return ajv.compile(schema);
}

const good = {
  timestamp: '2026-03-02T17:04:05.123Z',
  trace_id: '4bf92f3577b34da6a3ce929d0e0e4736',
  operator_id: 'acme-bank',
  team_id: 'research',
  use_case_id: 'batch-analysis',
  business_object_id: 'doc-1',
  agent_version: '3.4.1',
  model_version: 'gpt-4o-2024-08-06',
  prompt_version: 'contract-review@7',
  output_sha256: 'a'.repeat(64),
  confidence: 0.92,
};

describe('audit record schema generator', () => {
  for (const name of exampleNames()) {
    it(`matches its golden file and is byte-identical across runs: ${name}`, async () => {
      const files = assertDeterministic(auditSchemaGenerator, name);
      assert.deepEqual(files.map((f) => f.path), [AUDIT_SCHEMA_PATH]);
      const schema = JSON.parse(files[0].content);
      assert.equal(schema.$schema, 'https://json-schema.org/draft/2020-12/schema');
      assert.match(schema.$comment, new RegExp(exampleContext(name).manifestSha256));
      compile(schema); // a valid draft 2020-12 schema under ajv strict mode
      await assertGolden(name, files);
    });
  }

  it('requires the audit-log check fields (not a copy: the same list), PCI fields only with pci-dss', () => {
    const base = auditRecordSchema([]) as { required: string[]; allOf: unknown[] };
    const single = BASE_AUDIT_FIELDS.filter((f) => f.anyOf.length === 1).map((f) => f.name);
    assert.deepEqual(base.required, single);
    assert.equal(base.allOf.length, 1);
    const pci = auditRecordSchema(['pci-dss']) as { required: string[] };
    assert.deepEqual(pci.required, [...single, ...PCI_AUDIT_FIELDS.map((f) => f.name)]);
  });

  const v = compile(auditRecordSchema([]));
  const check = (patch: Record<string, unknown>, drop: string[] = []) => {
    const r: Record<string, unknown> = { ...good, ...patch };
    for (const d of drop) delete r[d];
    return v(r);
  };

  it('accepts a complete record, operator fields, output instead of its hash, X-Ray trace ids, +00:00', () => {
    assert.equal(check({}), true);
    assert.equal(check({ reviewer: 'j.doe', extra: { nested: true } }), true);
    assert.equal(check({ output: 'approve' }, ['output_sha256']), true);
    assert.equal(check({ trace_id: '1-5759e988-bd862e3fe1be46a994272793' }), true);
    assert.equal(check({ timestamp: '2026-03-02T17:04:05+00:00' }), true);
    assert.equal(check({ timestamp: '2026-03-02T17:04:05.123456789Z' }), true);
  });

  it('refuses each defect at its boundary', () => {
    assert.equal(check({}, ['trace_id']), false);
    assert.equal(check({}, ['prompt_version']), false);
    assert.equal(check({}, ['output_sha256']), false, 'neither output nor output_sha256');
    assert.equal(check({ timestamp: '2026-03-02T17:04:05+02:00' }), false, 'not UTC');
    assert.equal(check({ timestamp: '2026-03-02 17:04:05Z' }), false, 'space instead of T');
    assert.equal(check({ timestamp: '2026-02-30T17:04:05Z' }), false, 'no such date');
    assert.equal(check({ trace_id: '0'.repeat(32) }), false, 'W3C: all zeros is invalid');
    assert.equal(check({ trace_id: '4BF92F3577B34DA6A3CE929D0E0E4736' }), false, 'W3C: lowercase');
    assert.equal(check({ trace_id: 'a'.repeat(31) }), false);
    assert.equal(check({ output_sha256: 'a'.repeat(63) }), false);
    assert.equal(check({ confidence: 0 }), true);
    assert.equal(check({ confidence: 1 }), true);
    assert.equal(check({ confidence: 1.0001 }), false);
    assert.equal(check({ confidence: -0.0001 }), false);
    assert.equal(check({ confidence: '0.9' }), false);
    assert.equal(check({ team_id: '' }), false);
  });
});
