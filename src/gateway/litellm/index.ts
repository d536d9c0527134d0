import type { GatewayProfile } from '../types.js';

/** LiteLLM proxy (BerriAI/litellm). Facts are added per concern file; see ../types.ts. */
export const litellm: GatewayProfile = {
  kind: 'litellm',
  title: 'LiteLLM proxy',
  docs: { title: 'LiteLLM proxy documentation', url: 'https://docs.litellm.ai/docs/simple_proxy' },
  capabilities: {},
};
export { LITELLM_METRICS, LITELLM_MATCHERS, LITELLM_PROMETHEUS_SOURCES } from './metrics.js';
