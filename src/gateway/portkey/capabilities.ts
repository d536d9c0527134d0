import type { Capability, CapabilityId, SourceRef } from '../types.js';

/**
 * What the open-source Portkey AI gateway (@portkey-ai/gateway 1.15.2, Portkey-AI/gateway) can enforce.
 * Each row was confirmed in the gateway's source; refuse-untagged and fallback-on-timeout are also
 * proven against the real gateway in test/portkey.test.ts.
 */
const S = {
  requiredMetadata: { title: 'Portkey gateway source: plugins/default/requiredMetadataKeys.ts (metadataKeys, operator all|any|none)', url: 'https://github.com/Portkey-AI/gateway/blob/main/plugins/default/requiredMetadataKeys.ts' },
  guardrails: { title: 'Portkey docs: raw guardrails in JSON (deny; a failed deny check answers 446)', url: 'https://portkey.ai/docs/product/guardrails/creating-raw-guardrails-in-json' },
  fallback: { title: 'Portkey docs: fallbacks (strategy.on_status_codes)', url: 'https://portkey.ai/docs/product/ai-gateway/fallbacks' },
  timeouts: { title: 'Portkey docs: request timeouts (request_timeout in ms, 408)', url: 'https://portkey.ai/docs/product/ai-gateway/request-timeouts' },
  configSchema: { title: 'Portkey gateway source: src/middlewares/requestValidator/schema/config.ts', url: 'https://github.com/Portkey-AI/gateway/blob/main/src/middlewares/requestValidator/schema/config.ts' },
  budgets: { title: 'Portkey docs: budget limits (hosted Portkey, not the open-source gateway)', url: 'https://portkey.ai/docs/product/administration/enforce-budget-and-rate-limit' },
} satisfies Record<string, SourceRef>;

const HOSTED_ONLY = 'the open-source gateway has no per-tenant budgets or rate limits (those are hosted Portkey features): enforce them in front of the gateway or in the client';

export const PORTKEY_CAPABILITIES: Partial<Record<CapabilityId, Capability>> = {
  'refuse-untagged': {
    id: 'refuse-untagged',
    can: 'yes',
    how: 'input guardrail default.requiredMetadataKeys with deny: true (operator all) in the config; a request whose x-portkey-metadata lacks a key is refused with 446',
    sources: [S.requiredMetadata, S.guardrails],
  },
  'per-tenant-budget': { id: 'per-tenant-budget', can: 'no', how: HOSTED_ONLY, sources: [S.budgets] },
  'per-tenant-rpm': { id: 'per-tenant-rpm', can: 'no', how: HOSTED_ONLY, sources: [S.budgets] },
  'per-tenant-tpm': { id: 'per-tenant-tpm', can: 'no', how: HOSTED_ONLY, sources: [S.budgets] },
  'fallback-on-status': {
    id: 'fallback-on-status',
    can: 'yes',
    how: 'strategy.mode fallback with on_status_codes: falls back only on the codes listed (429 must be among them)',
    sources: [S.fallback, S.configSchema],
  },
  'fallback-on-timeout': {
    id: 'fallback-on-timeout',
    can: 'yes',
    how: 'request_timeout (ms) turns a hung provider into a 408, which falls back when 408 is in on_status_codes',
    sources: [S.timeouts, S.configSchema],
  },
  'cluster-wide-limits': { id: 'cluster-wide-limits', can: 'no', how: `no rate-limit state at all: ${HOSTED_ONLY}`, sources: [S.budgets] },
  'cost-by-tenant': {
    id: 'cost-by-tenant',
    can: 'no',
    how: 'the open-source gateway keeps no spend ledger; metadata reaches logs only through hosted Portkey or your own logging',
    sources: [S.budgets],
  },
  'prometheus-metrics': {
    id: 'prometheus-metrics',
    can: 'no',
    how: 'the open-source gateway exports none of the litellm profile\'s metrics: use the otel profile from the agent side',
    sources: [S.configSchema],
  },
};
