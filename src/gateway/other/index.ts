import type { GatewayProfile } from '../types.js';
import { OTHER_CAPABILITIES } from './capabilities.js';

/** Any other gateway: taken at the manifest's word, confirmed by the probe's evidence where it can be. */
export const other: GatewayProfile = {
  kind: 'other',
  title: 'another gateway',
  docs: { title: 'readiness: gateways', url: 'docs/gateway.md' },
  capabilities: OTHER_CAPABILITIES,
};
