import type { DeploymentModel } from '../manifest/model.js';

/**
 * The request timeout both gateway writers set, from the manifest's SLO: a request still unanswered
 * at REQUEST_TIMEOUT_FACTOR x slo.steadyP99Ms is treated as hung, and retried on the next provider
 * (LiteLLM: Timeout error, then fallback; Portkey: 408, then fallback when 408 is listed). Without
 * an SLO, DEFAULT_REQUEST_TIMEOUT_MS (LiteLLM's own default is 6000 s, Portkey's none).
 */
export const REQUEST_TIMEOUT_FACTOR = 2;
export const DEFAULT_REQUEST_TIMEOUT_MS = 60_000;

export interface Timeouts {
  /** whole request, ms */
  requestMs: number;
  /** first chunk of a streamed response, ms: the steady p99 itself */
  streamMs: number;
  /** where the figures came from */
  source: 'slo.steadyP99Ms' | 'default';
}

export function gatewayTimeouts(model: DeploymentModel): Timeouts {
  const p99 = model.manifest.slo?.steadyP99Ms;
  if (p99 === undefined) return { requestMs: DEFAULT_REQUEST_TIMEOUT_MS, streamMs: DEFAULT_REQUEST_TIMEOUT_MS, source: 'default' };
  return { requestMs: Math.ceil(REQUEST_TIMEOUT_FACTOR * p99), streamMs: Math.ceil(p99), source: 'slo.steadyP99Ms' };
}
