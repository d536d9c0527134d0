// The capability tables (src/gateway/<kind>/capabilities.ts) are complete, sourced, and cited in
// docs/gateway.md; every key the LiteLLM writer emits is documented there.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { GATEWAYS } from '../src/gateway/index.js';
import type { CapabilityId } from '../src/gateway/types.js';
import { litellmGenerator } from '../src/generate/litellm.js';
import { portkeyGenerator } from '../src/generate/portkey.js';
import { buildModel } from '../src/manifest/model.js';
import { fromRoot } from '../src/util/paths.js';
import { patched } from './helpers/manifest.js';

const IDS: CapabilityId[] = [
  'refuse-untagged',
  'per-tenant-budget',
  'per-tenant-rpm',
  'per-tenant-tpm',
  'fallback-on-status',
  'fallback-on-timeout',
  'cluster-wide-limits',
  'cost-by-tenant',
  'prometheus-metrics',
];
const docs = readFileSync(fromRoot('docs', 'gateway.md'), 'utf8');

describe('gateway capability tables', () => {
  for (const [kind, g] of Object.entries(GATEWAYS)) {
    it(`${kind}: one row per capability, each with how and a source; conditional rows say what they require`, () => {
      assert.deepEqual(Object.keys(g.capabilities).sort(), [...IDS].sort());
      for (const [id, c] of Object.entries(g.capabilities)) {
        assert.equal(c!.id, id);
        assert.ok(c!.how.length > 20, `${kind}/${id}: how`);
        assert.ok(c!.sources.length > 0 && c!.sources.every((s) => s.title && s.url), `${kind}/${id}: sources`);
        if (c!.can === 'conditional') assert.ok((c!.requires ?? []).length > 0, `${kind}/${id}: requires`);
      }
    });
  }

  it('every source of the LiteLLM and Portkey tables is cited in docs/gateway.md', () => {
    for (const kind of ['litellm', 'portkey'] as const) {
      for (const c of Object.values(GATEWAYS[kind].capabilities)) {
        for (const s of c!.sources) assert.ok(docs.includes(s.url), `${kind}/${c!.id}: ${s.url} not cited in docs/gateway.md`);
      }
    }
  });

  it('the facts the checks rest on: LiteLLM refuses only by key, Portkey by guardrail, OSS Portkey enforces no budget', () => {
    assert.equal(GATEWAYS.litellm.capabilities['refuse-untagged']?.can, 'conditional');
    assert.equal(GATEWAYS.litellm.capabilities['prometheus-metrics']?.can, 'conditional');
    assert.equal(GATEWAYS.portkey.capabilities['refuse-untagged']?.can, 'yes');
    assert.equal(GATEWAYS.portkey.capabilities['per-tenant-budget']?.can, 'no');
    assert.equal(GATEWAYS.portkey.capabilities['per-tenant-rpm']?.can, 'no');
  });
});

describe('docs/gateway.md names every key the writers emit', () => {
  const model = buildModel(patched({ set: { 'gateway.replicas': 3 } }).manifest);
  const ctx = { model, manifestFile: 'x.yaml', manifestSha256: '0', toolVersion: '0' };
  it('LiteLLM: every settings key, litellm_params key and model_info key', () => {
    const config = parse(litellmGenerator(ctx)[0].content) as Record<string, any>;
    const keys = new Set<string>();
    for (const section of ['router_settings', 'litellm_settings', 'general_settings']) for (const k of Object.keys(config[section])) keys.add(k);
    for (const d of config.model_list) {
      for (const k of Object.keys(d.litellm_params)) keys.add(k);
      for (const k of Object.keys(d.model_info)) keys.add(k);
    }
    for (const k of keys) assert.ok(docs.includes(`\`${k}\``) || docs.includes(`${k}\``) || docs.includes(`\`${k}`), `${k} is not documented in docs/gateway.md`);
  });
  it('Portkey: every top-level config key', () => {
    const config = JSON.parse(portkeyGenerator(ctx)[0].content) as Record<string, unknown>;
    for (const k of Object.keys(config)) assert.ok(docs.includes(`\`${k}\``), `${k} is not documented in docs/gateway.md`);
  });
});
