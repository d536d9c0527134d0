import type { GatewayHeaders } from '../types.js';

/**
 * Portkey gateway response headers (RESPONSE_HEADER_KEYS in src/globals.ts, appended in
 * src/handlers/services/responseService.ts updateHeaders()): `x-portkey-last-used-option-index` names the config
 * target that answered by its JSON path, "config.targets[1]" as the npm build 1.15.2 sends it (in the generated
 * fallback config: targets[0] = primary, targets[1].. = failover targets in order), `x-portkey-retry-attempt-count` the retries of that target, `x-portkey-provider` its provider kind.
 * Seen through the npm build 1.15.2 in rehearse (test/probe/stream-served.test.ts).
 */
export const headers: GatewayHeaders = {
  servedBy: { header: 'x-portkey-last-used-option-index', means: 'target-index' },
  attemptedRetries: 'x-portkey-retry-attempt-count',
  provider: 'x-portkey-provider',
  // set on the 500 the gateway answers when it throws (tryTargetsRecursively in src/handlers/handlerUtils.ts), which
  // also stops the fallback chain: a gateway exception is not failed over
  gatewayException: { header: 'x-portkey-gateway-exception', value: 'true' },
  sources: [
    { title: 'Portkey-AI/gateway src/globals.ts (RESPONSE_HEADER_KEYS)', url: 'https://github.com/Portkey-AI/gateway/blob/main/src/globals.ts' },
    { title: 'Portkey-AI/gateway src/handlers/services/responseService.ts (updateHeaders)', url: 'https://github.com/Portkey-AI/gateway/blob/main/src/handlers/services/responseService.ts' },
    { title: 'Portkey-AI/gateway src/handlers/handlerUtils.ts (tryTargetsRecursively: x-portkey-gateway-exception)', url: 'https://github.com/Portkey-AI/gateway/blob/main/src/handlers/handlerUtils.ts' },
  ],
};
