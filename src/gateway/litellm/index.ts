import type { GatewayProfile } from '../types.js';
import { LITELLM_CAPABILITIES } from './capabilities.js';
import { headers } from './headers.js';

/** LiteLLM proxy (BerriAI/litellm). Facts are added per concern file; see ../types.ts. */
export const litellm: GatewayProfile = {
  kind: 'litellm',
  title: 'LiteLLM proxy',
  docs: { title: 'LiteLLM proxy documentation', url: 'https://docs.litellm.ai/docs/simple_proxy' },
  capabilities: LITELLM_CAPABILITIES,
  headers,
};

// config keys (the linter and the writer agree on them); the deployed-config linter is ./lint.ts,
// loaded only by readiness drift and check --gateway-config (it pulls in the YAML reader)
export { LITELLM_KEY_GROUPS, litellmKeyGroup } from './config-keys.js';
export { LITELLM_METRICS, LITELLM_MATCHERS, LITELLM_PROMETHEUS_SOURCES } from './metrics.js';
