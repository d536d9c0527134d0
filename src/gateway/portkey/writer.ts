import { isIP } from 'node:net';
import type { DeploymentModel } from '../../manifest/model.js';
import type { OnMissing, Provider, Vendor } from '../../manifest/types.js';
import { attributionKeys, failoverStatusCodes, hasAutomaticFailover, onMissing } from '../../generate/attribution.js';
import { type GenerateContext, type GeneratedFile, type Generator, headerLines } from '../../generate/types.js';
import { gatewayTimeouts } from '../timeouts.js';

/**
 * Portkey AI gateway config (`x-portkey-config`): a fallback chain over the providers in routing
 * order, a request_timeout (ms) from the SLO so a hung provider becomes a 408, and, when untagged
 * requests must be refused, the open-source input guardrail default.requiredMetadataKeys with deny
 * (Portkey-AI/gateway plugins/default/requiredMetadataKeys.ts; proven against the npm gateway 1.15.2
 * in test/portkey.test.ts). Secrets are never written: every credential is a `${ENV_VAR}` placeholder that the client
 * fills from its environment just before sending the config (see preparePortkeyRequest).
 */
export const PORTKEY_CONFIG_PATH = 'gateway/portkey.config.json';

/** Retries on the last target of the chain (Portkey allows at most 5); the earlier ones fall back at once. */
export const PORTKEY_RETRY_ATTEMPTS = 3;
/** Codes retried on the last target: rate limits and transient server errors (Portkey's own default set). */
export const PORTKEY_RETRY_STATUS: readonly number[] = [429, 500, 502, 503, 504];
/**
 * Whether to set retry.use_retry_after_header. Off on purpose: in the npm build of @portkey-ai/gateway
 * 1.15.2 a 429 carrying retry-after (or retry-after-ms) with this flag on crashes the retry handler
 * ("Cannot set properties of undefined (setting '_timeouts')": the build relies on the repository's
 * patches/async-retry+1.3.3.patch, which passes the retry operation to the callback, and the npm
 * package does not ship that patch) and the client gets a 500 instead of the provider's
 * 429 or a retried answer. Without it Portkey retries with exponential backoff (1 s, 2 s, 4 s), which
 * covers the few seconds providers usually ask for. test/portkey.test.ts keeps a canary that fails once
 * the gateway is fixed, so this can be turned on then.
 */
export const PORTKEY_USE_RETRY_AFTER_HEADER = false;

/** Portkey provider slug per manifest vendor (Portkey-AI/gateway src/globals.ts). */
const PORTKEY_PROVIDER: Record<Vendor, string> = {
  openai: 'openai',
  'azure-openai': 'azure-openai',
  anthropic: 'anthropic',
  'aws-bedrock': 'bedrock',
  'google-vertex': 'vertex-ai',
  mistral: 'mistral-ai',
  cohere: 'cohere',
  'self-hosted': 'openai',
  other: 'openai',
};

/**
 * Extra settings some vendors need, as environment placeholders (never literal values). The variable
 * names are the ones the LiteLLM config uses too (AZURE_API_VERSION, AWS_REGION_NAME, VERTEX_PROJECT,
 * VERTEX_LOCATION), so one environment serves either gateway.
 */
function vendorSettings(p: Provider): Record<string, string> {
  switch (p.vendor) {
    case 'azure-openai':
      return { resource_name: '${AZURE_RESOURCE_NAME}', deployment_id: p.model, api_version: '${AZURE_API_VERSION}' };
    case 'aws-bedrock':
      return { aws_region: '${AWS_REGION_NAME}' };
    case 'google-vertex':
      return { vertex_project_id: '${VERTEX_PROJECT}', vertex_region: '${VERTEX_LOCATION}' };
    default:
      return {};
  }
}

interface PortkeyTarget {
  provider: string;
  api_key?: string;
  custom_host?: string;
  [k: string]: unknown;
}

function target(p: Provider): PortkeyTarget {
  const secret = p.apiKeyEnv ? `\${${p.apiKeyEnv}}` : '';
  const t: PortkeyTarget =
    p.vendor === 'aws-bedrock'
      ? // as in the LiteLLM config: apiKeyEnv names the secret access key, the key id comes from AWS_ACCESS_KEY_ID
        { provider: PORTKEY_PROVIDER[p.vendor], aws_access_key_id: '${AWS_ACCESS_KEY_ID}', aws_secret_access_key: secret }
      : // no apiKeyEnv: a keyless provider (self-hosted); Portkey still needs the field present
        { provider: PORTKEY_PROVIDER[p.vendor], api_key: secret };
  if (p.baseUrl) t.custom_host = p.baseUrl;
  Object.assign(t, vendorSettings(p));
  t.override_params = { model: p.model };
  return t;
}

/** The id of the generated guardrail that refuses requests lacking the attribution metadata. */
export const PORTKEY_GUARDRAIL_ID = 'readiness-required-metadata';
/** What the gateway answers when a deny guardrail fails (seen with @portkey-ai/gateway 1.15.2). */
export const PORTKEY_GUARDRAIL_DENY_STATUS = 446;
/** Hosts the gateway trusts as custom_host without TRUSTED_CUSTOM_HOSTS (npm build 1.15.2). */
export const PORTKEY_DEFAULT_TRUSTED_HOSTS: readonly string[] = ['localhost', '127.0.0.1', '::1', 'host.docker.internal'];

/** True for an IPv4 address in 10/8, 172.16/12 or 192.168/16 (and IPv6 unique-local fc00::/7). */
export function isPrivateHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '');
  if (isIP(h) === 4) {
    const [a, b] = h.split('.').map(Number);
    return a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168);
  }
  if (isIP(h) === 6) return /^f[cd]/i.test(h);
  return false;
}

/** custom_host values the gateway refuses unless TRUSTED_CUSTOM_HOSTS lists them: private ranges, not the default loopback names. */
export function untrustedCustomHosts(model: DeploymentModel): string[] {
  const out: string[] = [];
  for (const p of model.manifest.providers) {
    if (!p.baseUrl) continue;
    let host: string;
    try {
      host = new URL(p.baseUrl).hostname;
    } catch {
      continue;
    }
    if (isPrivateHost(host) && !PORTKEY_DEFAULT_TRUSTED_HOSTS.includes(host.replace(/^\[|\]$/g, ''))) out.push(host);
  }
  return [...new Set(out)];
}

/** Statuses retried on the last target: Portkey's default set, with 408 when the manifest fails over on it (a hung provider). */
export function retryStatusCodes(model: DeploymentModel): number[] {
  const codes = new Set(PORTKEY_RETRY_STATUS);
  if (failoverStatusCodes(model).includes(408)) codes.add(408);
  return [...codes].sort((a, b) => a - b);
}

/** The guardrail that refuses untagged requests, when the manifest says onMissing: reject. */
export function requiredMetadataGuardrail(model: DeploymentModel): Record<string, unknown> | undefined {
  const keys = attributionKeys(model);
  if (onMissing(model) !== 'reject' || keys.length === 0) return undefined;
  return { id: PORTKEY_GUARDRAIL_ID, deny: true, 'default.requiredMetadataKeys': { metadataKeys: keys.map((k) => k.key), operator: 'all' } };
}

export function portkeyConfig(model: DeploymentModel, header: string[]): Record<string, unknown> {
  const chain = [model.primary, ...(hasAutomaticFailover(model) ? model.failoverTargets.map((t) => t.provider) : [])];
  const targets = chain.map(target);
  // Only the last target retries: earlier targets hand over at once, because waiting on a rate-limited
  // primary while a healthy secondary is idle is incident one again.
  targets[targets.length - 1].retry = {
    attempts: PORTKEY_RETRY_ATTEMPTS,
    on_status_codes: retryStatusCodes(model),
    ...(PORTKEY_USE_RETRY_AFTER_HEADER ? { use_retry_after_header: true } : {}),
  };
  const keys = attributionKeys(model);
  const guardrail = requiredMetadataGuardrail(model);
  const untrusted = untrustedCustomHosts(model);
  const t = gatewayTimeouts(model);
  return {
    '//': [
      ...header,
      'Credentials are ${ENV_VAR} placeholders: the client fills them from its environment before sending this config as x-portkey-config.',
      ...(keys.length
        ? [`Every request carries x-portkey-metadata with ${keys.map((k) => k.key).join(', ')}${guardrail ? '; the input guardrail refuses one without them (446)' : ''}.`]
        : []),
      `request_timeout ${t.requestMs} ms (${t.source === 'default' ? 'default: no slo.steadyP99Ms' : '2 x slo.steadyP99Ms'}): a hung provider becomes a 408${failoverStatusCodes(model).includes(408) ? ' and falls back' : ''}.`,
      ...(untrusted.length
        ? [
            `custom_host ${untrusted.join(', ')} is in a private range: start the gateway with TRUSTED_CUSTOM_HOSTS=${[...PORTKEY_DEFAULT_TRUSTED_HOSTS, ...untrusted].join(',')}`,
            '(the variable replaces the default list of loopback names, so they are listed again).',
          ]
        : []),
    ],
    strategy: chain.length > 1 ? { mode: 'fallback', on_status_codes: failoverStatusCodes(model) } : { mode: 'single' },
    request_timeout: t.requestMs,
    targets,
    ...(guardrail ? { input_guardrails: [guardrail] } : {}),
  };
}

/** How a client turns its attribution into x-portkey-metadata for this manifest (pass to preparePortkeyRequest). */
export interface PortkeyClientOptions {
  /** manifest header name (lower case) -> metadata key */
  fromHeaders: Record<string, string>;
  required: string[];
  onMissing: OnMissing;
}

export function portkeyClientOptions(model: DeploymentModel): PortkeyClientOptions {
  const keys = attributionKeys(model);
  return { fromHeaders: Object.fromEntries(keys.map((k) => [k.header, k.key])), required: keys.map((k) => k.key), onMissing: onMissing(model) };
}

export const portkeyWriter: Generator = (ctx: GenerateContext): GeneratedFile[] => [
  { path: PORTKEY_CONFIG_PATH, content: `${JSON.stringify(portkeyConfig(ctx.model, headerLines(ctx)), null, 2)}\n` },
];

// ---------------------------------------------------------------------------------------------
// Client side: how a generated config reaches the gateway with real credentials and attribution.
// ---------------------------------------------------------------------------------------------

const PLACEHOLDER = /^\$\{([A-Z_][A-Z0-9_]*)\}$/;

/** Thrown when a placeholder's environment variable is unset; names the variables, never a value. */
export class MissingEnvError extends Error {
  readonly variables: string[];
  constructor(variables: string[]) {
    super(`environment variable${variables.length > 1 ? 's' : ''} not set: ${variables.join(', ')}`);
    this.name = 'MissingEnvError';
    this.variables = variables;
  }
}

/** Thrown when a request lacks attribution the config requires (on_missing: reject). */
export class MissingAttributionError extends Error {
  readonly keys: string[];
  constructor(keys: string[]) {
    super(`request is missing required attribution: ${keys.join(', ')}`);
    this.name = 'MissingAttributionError';
    this.keys = keys;
  }
}

/**
 * The keys whose values the generator writes as `${VAR}` placeholders (credentials and cloud settings).
 * Only these are filled: a model or deployment name the manifest spells `${OPENAI_API_KEY}` stays that
 * text, never becomes a key sent to another provider.
 */
const PLACEHOLDER_KEYS = new Set(['api_key', 'aws_access_key_id', 'aws_secret_access_key', 'aws_region', 'resource_name', 'api_version', 'vertex_project_id', 'vertex_region']);

function substitute(value: unknown, env: NodeJS.ProcessEnv, missing: Set<string>, key?: string): unknown {
  if (typeof value === 'string') {
    if (key === undefined || !PLACEHOLDER_KEYS.has(key)) return value;
    const m = PLACEHOLDER.exec(value);
    if (!m) return value;
    const v = env[m[1]];
    if (v === undefined || v === '') {
      missing.add(m[1]);
      return value;
    }
    return v;
  }
  if (Array.isArray(value)) return value.map((v) => substitute(v, env, missing));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substitute(v, env, missing, k)]));
  }
  return value;
}

export interface PortkeyRequestHeaders {
  'x-portkey-config': string;
  'x-portkey-metadata': string;
}

/**
 * Turns the generated config into the two request headers a client sends to the Portkey gateway:
 * the config with every `${VAR}` filled from `env` (the '//' comment removed), and the attribution
 * metadata. `attribution` is keyed by metadata key (team_id) or by the manifest's header name
 * (x-team-id, mapped through `client.fromHeaders`). The keys required are the guardrail's (or
 * `client.required`); a request lacking one is refused here already when onMissing is reject (the
 * gateway would answer 446), labelled "unattributed" when label-unattributed.
 */
export function preparePortkeyRequest(
  config: Record<string, unknown>,
  env: NodeJS.ProcessEnv,
  attribution: Record<string, string | undefined> = {},
  client: Partial<PortkeyClientOptions> = {},
): PortkeyRequestHeaders {
  const { '//': _comment, ...gatewayConfig } = config as { '//'?: unknown } & Record<string, unknown>;
  const missingEnv = new Set<string>();
  const resolved = substitute(gatewayConfig, env, missingEnv);
  if (missingEnv.size > 0) throw new MissingEnvError([...missingEnv].sort());

  const guard = (config.input_guardrails as Array<Record<string, unknown>> | undefined)?.find((g) => g.id === PORTKEY_GUARDRAIL_ID);
  const guardKeys = (guard?.['default.requiredMetadataKeys'] as { metadataKeys?: string[] } | undefined)?.metadataKeys;
  const required = guardKeys ?? client.required ?? [];
  const on = guardKeys ? 'reject' : client.onMissing;
  const metadata: Record<string, string> = {};
  const fromHeaders = client.fromHeaders ?? {};
  for (const [k, v] of Object.entries(attribution)) {
    if (v === undefined || v === '') continue;
    metadata[fromHeaders[k.toLowerCase()] ?? k] = v;
  }
  const absent = required.filter((k) => metadata[k] === undefined);
  if (absent.length > 0 && on === 'reject') throw new MissingAttributionError(absent);
  if (absent.length > 0 && on === 'label-unattributed') for (const k of absent) metadata[k] = 'unattributed';
  return { 'x-portkey-config': JSON.stringify(resolved), 'x-portkey-metadata': JSON.stringify(metadata) };
}
