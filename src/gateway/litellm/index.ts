import type { GatewayProfile } from '../types.js';
import { headers } from './headers.js';

/** LiteLLM proxy (BerriAI/litellm). Facts are added per concern file; see ../types.ts. */
export const litellm: GatewayProfile = {
  kind: 'litellm',
  title: 'LiteLLM proxy',
  docs: { title: 'LiteLLM proxy documentation', url: 'https://docs.litellm.ai/docs/simple_proxy' },
  capabilities: {},
  headers,
};
