/**
 * One place per gateway kind (litellm, portkey, other): what it can enforce and how, its config keys, the
 * metrics it exports with their labels, its response headers, and its config writer and reader/linter.
 * Every fact carries its source (a documentation page or a file in the gateway's repository, at a version).
 * Checks, generators, drift and the probe consult these modules; nothing else holds gateway facts.
 *
 * The module per kind is assembled in src/gateway/<kind>/index.ts from one file per concern:
 *   capabilities.ts  what it can enforce, and how (issue 16)
 *   config-keys.ts   the config keys it reads, each with its source (the linter and the writer agree on it)
 *   metrics.ts       metric names and label sets it exports, by edition/version
 *   headers.ts       response headers it sets (who served, attempted fallbacks, cost, rate limits)
 *   writer.ts        the config it is given by `readiness generate`
 *   lint.ts          the reader/linter of a deployed config (`readiness drift`, `check --gateway-config`)
 */

export type GatewayKind = 'litellm' | 'portkey' | 'other';

export interface SourceRef {
  title: string;
  /** a documentation page, or a file in the gateway's repository at a tag or commit */
  url: string;
}

/** A fact about another system, with where it was confirmed. */
export interface Sourced {
  sources: SourceRef[];
}

/** What a gateway can be asked to enforce; the checks ask for these by id. */
export type CapabilityId =
  | 'refuse-untagged' // refuse a request that lacks the attribution (tenant) tags
  | 'per-tenant-budget' // stop or throttle one tenant at its own budget
  | 'per-tenant-rpm' // enforce one tenant's requests-per-minute limit
  | 'per-tenant-tpm' // enforce one tenant's tokens-per-minute limit
  | 'fallback-on-status' // fall back to another provider on given HTTP statuses
  | 'fallback-on-timeout' // fall back when the provider does not answer in time
  | 'cluster-wide-limits' // limits hold across replicas (not per replica)
  | 'cost-by-tenant' // record spend per tenant
  | 'prometheus-metrics'; // export the metrics the generated alerts query

export interface Capability extends Sourced {
  id: CapabilityId;
  /** yes: always; conditional: only when `requires` holds; no: cannot */
  can: 'yes' | 'conditional' | 'no';
  /** how it is done on this gateway, in one sentence a platform engineer can act on */
  how: string;
  /** conditions for 'conditional', in words ("general_settings.master_key set", "Enterprise licence") */
  requires?: string[];
}

export interface GatewayProfile {
  kind: GatewayKind;
  title: string;
  /** the gateway's documentation home */
  docs: SourceRef;
  capabilities: Partial<Record<CapabilityId, Capability>>;
  /** response headers that say who served each request (headers.ts) */
  headers?: GatewayHeaders;
}

/** Response headers a gateway sets that say who served a request (headers.ts per kind). */
export interface GatewayHeaders extends Sourced {
  /** the header naming what served the request */
  servedBy?: { header: string; means: 'provider-id' | 'target-index' };
  /** number of fallbacks tried before the answer */
  attemptedFallbacks?: string;
  /** number of retries of the served target */
  attemptedRetries?: string;
  /** the gateway's cost of the request, USD */
  responseCost?: string;
  /** the provider kind (openai, anthropic...) that served */
  provider?: string;
  /** a header (and its value) that marks an answer as the gateway's own failure, not the provider's */
  gatewayException?: { header: string; value: string };
}
