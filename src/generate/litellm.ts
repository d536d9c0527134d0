// The LiteLLM config writer lives with everything else readiness knows about LiteLLM: src/gateway/litellm/writer.ts.
export * from '../gateway/litellm/writer.js';
export { litellmWriter as litellmGenerator } from '../gateway/litellm/writer.js';
