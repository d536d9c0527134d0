import { litellm } from './litellm/index.js';
import { other } from './other/index.js';
import { portkey } from './portkey/index.js';
import type { GatewayKind, GatewayProfile } from './types.js';

export const GATEWAYS: Readonly<Record<GatewayKind, GatewayProfile>> = { litellm, portkey, other };

/** The profile of the manifest's gateway kind (unset = other). */
export function gatewayProfile(kind: GatewayKind | undefined): GatewayProfile {
  return GATEWAYS[kind ?? 'other'];
}

export type * from './types.js';
