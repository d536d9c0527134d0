import type { GatewayHeaders } from '../types.js';

/**
 * LiteLLM proxy response headers. `x-litellm-model-id` is the deployment's model_info.id, which the generated
 * config (src/generate/litellm.ts) sets to the manifest's provider id; so it names the provider that served.
 */
export const headers: GatewayHeaders = {
  servedBy: { header: 'x-litellm-model-id', means: 'provider-id' },
  attemptedFallbacks: 'x-litellm-attempted-fallbacks',
  attemptedRetries: 'x-litellm-attempted-retries',
  responseCost: 'x-litellm-response-cost',
  sources: [
    { title: 'LiteLLM proxy: response headers', url: 'https://docs.litellm.ai/docs/proxy/response_headers' },
    { title: 'litellm/router_utils/add_retry_fallback_headers.py', url: 'https://github.com/BerriAI/litellm/blob/main/litellm/router_utils/add_retry_fallback_headers.py' },
  ],
};
