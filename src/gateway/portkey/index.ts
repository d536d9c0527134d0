import type { GatewayProfile } from '../types.js';

/** Portkey AI gateway, open source (@portkey-ai/gateway). Facts are added per concern file; see ../types.ts. */
export const portkey: GatewayProfile = {
  kind: 'portkey',
  title: 'Portkey AI gateway (open source)',
  docs: { title: 'Portkey gateway documentation', url: 'https://portkey.ai/docs/product/ai-gateway' },
  capabilities: {},
};

// config keys and the deployed-config linter (readiness drift)
export { PORTKEY_TARGET_KEYS } from './config-keys.js';
export { lintPortkeyConfig } from './lint.js';
