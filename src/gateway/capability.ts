import type { DeploymentModel } from '../manifest/model.js';
import { gatewayProfile } from './index.js';
import { keyCoverage } from './litellm/config.js';
import type { Capability, CapabilityId, GatewayProfile } from './types.js';

/** What the manifest's gateway can do about `id`, from its capability table (src/gateway/<kind>/capabilities.ts). */
export function capabilityOf(model: DeploymentModel, id: CapabilityId): { gateway: GatewayProfile; cap: Capability | undefined } {
  const gateway = gatewayProfile(model.manifest.gateway?.kind);
  return { gateway, cap: gateway.capabilities[id] };
}

/** Replicas that each enforce every rate limit on their own: the effective limit is limit x this (1 when limits are shared). */
export function perReplicaMultiplier(model: DeploymentModel): { replicas: number; multiplier: number; shared: boolean | undefined } {
  const g = model.manifest.gateway;
  const replicas = g?.replicas ?? 1;
  const { cap } = capabilityOf(model, 'cluster-wide-limits');
  // litellm: cluster-wide only with Redis; other: at the manifest's word (redis: false says otherwise)
  const shared = replicas <= 1 ? true : cap?.can === 'yes' ? true : g?.redis;
  return { replicas, multiplier: shared === true ? 1 : replicas, shared };
}

/** LiteLLM with virtual keys: does the generated config set master_key, and do the key bodies cover every tenant and use case? */
export { keyCoverage };
