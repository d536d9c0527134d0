import type { GatewayProfile } from '../types.js';
import { PORTKEY_CAPABILITIES } from './capabilities.js';
import { headers } from './headers.js';

/** Portkey AI gateway, open source (@portkey-ai/gateway). Facts are added per concern file; see ../types.ts. */
export const portkey: GatewayProfile = {
  kind: 'portkey',
  title: 'Portkey AI gateway (open source)',
  docs: { title: 'Portkey gateway documentation', url: 'https://portkey.ai/docs/product/ai-gateway' },
  capabilities: PORTKEY_CAPABILITIES,
  headers,
};

// config keys; the deployed-config linter is ./lint.ts, loaded only by readiness drift and check --gateway-config
export { PORTKEY_TARGET_KEYS } from './config-keys.js';
