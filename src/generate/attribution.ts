import type { DeploymentModel } from '../manifest/model.js';
import type { OnMissing } from '../manifest/types.js';

/**
 * One attribution dimension: the request header the manifest names (gateway.attribution.headers)
 * and the key it becomes in gateway metadata and in the audit record (operator_id, team_id, use_case_id).
 */
export interface AttributionKey {
  dimension: 'operator' | 'team' | 'useCase';
  header: string;
  key: 'operator_id' | 'team_id' | 'use_case_id';
}

const KEYS: ReadonlyArray<{ dimension: AttributionKey['dimension']; key: AttributionKey['key'] }> = [
  { dimension: 'operator', key: 'operator_id' },
  { dimension: 'team', key: 'team_id' },
  { dimension: 'useCase', key: 'use_case_id' },
];

/** The attribution headers the manifest declares, in a fixed order (operator, team, use case). */
export function attributionKeys(model: DeploymentModel): AttributionKey[] {
  const headers = model.manifest.gateway?.attribution?.headers ?? {};
  const out: AttributionKey[] = [];
  for (const k of KEYS) {
    const header = headers[k.dimension];
    if (header) out.push({ dimension: k.dimension, header: header.toLowerCase(), key: k.key });
  }
  return out;
}

export function onMissing(model: DeploymentModel): OnMissing {
  return model.manifest.gateway?.attribution?.onMissing ?? 'allow';
}

/** Status codes a failover triggers on: the manifest's list (default 429 and 5xx), always with 429, sorted. */
export const DEFAULT_FAILOVER_STATUS: readonly number[] = [429, 500, 502, 503, 504];
export function failoverStatusCodes(model: DeploymentModel): number[] {
  const given = model.manifest.routing?.failover?.onStatus ?? DEFAULT_FAILOVER_STATUS;
  return [...new Set([429, ...given])].sort((a, b) => a - b);
}

/** True when requests fail over automatically to at least one other provider. */
export function hasAutomaticFailover(model: DeploymentModel): boolean {
  return model.manifest.routing?.failover?.mode === 'automatic' && model.failoverTargets.length > 0;
}
