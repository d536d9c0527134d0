import type { Capability, CapabilityId, SourceRef } from '../types.js';

/**
 * Another gateway: readiness cannot read its source, so every capability is taken at the manifest's
 * word, and confirmed where the probe can (refuse-untagged: the probe's untagged request must get a 4xx).
 */
const S: SourceRef = { title: 'readiness: gateways other than LiteLLM and Portkey', url: 'docs/gateway.md' };
const atItsWord = (id: CapabilityId, how: string): Capability => ({ id, can: 'conditional', how, requires: ['taken at the manifest\'s word'], sources: [S] });

export const OTHER_CAPABILITIES: Partial<Record<CapabilityId, Capability>> = {
  'refuse-untagged': atItsWord('refuse-untagged', 'taken at the manifest\'s word (onMissing: reject); confirmed by `readiness check --probe`, whose request without attribution headers must be refused with a 4xx'),
  'per-tenant-budget': atItsWord('per-tenant-budget', 'taken at the manifest\'s word (budgets.onExceeded)'),
  'per-tenant-rpm': atItsWord('per-tenant-rpm', 'taken at the manifest\'s word (tenants[].limits)'),
  'per-tenant-tpm': atItsWord('per-tenant-tpm', 'taken at the manifest\'s word (tenants[].limits)'),
  'fallback-on-status': atItsWord('fallback-on-status', 'taken at the manifest\'s word (routing.failover.onStatus); confirmed by a probe at the peak'),
  'fallback-on-timeout': atItsWord('fallback-on-timeout', 'taken at the manifest\'s word'),
  'cluster-wide-limits': atItsWord('cluster-wide-limits', 'taken at the manifest\'s word'),
  'cost-by-tenant': atItsWord('cost-by-tenant', 'taken at the manifest\'s word (gateway.attribution.aggregation)'),
  'prometheus-metrics': atItsWord('prometheus-metrics', 'taken at the manifest\'s word (gateway.metrics)'),
};
