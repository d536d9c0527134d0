import { PORTKEY_GUARDRAIL_ID, portkeyClientOptions, portkeyConfig, preparePortkeyRequest } from '../generate/portkey.js';
import { attributionSequence } from '../probe/plan.js';
import type { DeploymentModel } from '../manifest/model.js';
import type { Provider } from '../manifest/types.js';
import { grantedPerMinute } from '../probe/provider-headers.js';
import { type MockProvider, type MockProviderOptions, type MockStats, startMockProvider } from '../mock/provider.js';
import { UsageError } from '../util/errors.js';
import { portkeyStreamingBroken } from '../gateway/portkey/streaming.js';
import { type Gateway, portkeyNodeServerVersion, portkeyScript, startGateway } from './gateway.js';
import { requestOnce } from './request-once.js';

/** Defaults for a rehearsal's mock providers. */
export const REHEARSAL_DEFAULTS = {
  latencyMs: 40,
  jitterMs: 40,
  windowSeconds: 1,
  /** the steady phase is compressed to at most this many seconds unless --compress is given */
  maxSteadySeconds: 15,
} as const;

export interface RehearsalProvider {
  id: string;
  vendor: string;
  rpm: number | null;
  tpm: number | null;
  url: string;
  mock: MockProvider;
}

export interface Rehearsal {
  providers: RehearsalProvider[];
  gatewayUrl: string;
  /** headers every probe request carries: the generated config with placeholders filled for the mocks */
  headers: Record<string, string>;
  /** the generated config as sent (credentials are rehearsal dummies) */
  config: Record<string, unknown>;
  /**
   * The @hono/node-server the gateway runs with, and whether that version breaks streamed answers
   * (src/gateway/portkey/streaming.ts); undefined when it could not be read.
   */
  nodeServer?: { version: string; streamingBroken: boolean | undefined };
  /** the last 20,000 characters the gateway printed */
  gatewayOutput: () => string;
  stop: () => Promise<void>;
}

export interface RehearsalOptions {
  latencyMs?: number;
  jitterMs?: number;
  windowSeconds?: number;
  seed?: number;
  /** ms to wait for the gateway to answer GET / */
  gatewayStartMs?: number;
  /** aborts the start-up (Ctrl-C): whatever was started is stopped and the signal's reason thrown */
  signal?: AbortSignal;
  /** the gateway's start script (default: the @portkey-ai/gateway installed next to readiness) */
  gatewayScript?: string;
  /** more options for every mock (streaming: streamTtftMs, itlMs, outputTokens) */
  mock?: Pick<MockProviderOptions, 'streamTtftMs' | 'itlMs' | 'outputTokens' | 'streamFaultRate'>;
}

/**
 * What a provider's mock enforces and states in a rehearsal, as its vendor would: an Azure OpenAI deployment gets the
 * rpm its tpm grants (by model, src/probe/provider-headers.ts) when that is below the declared rpm, metered over the
 * rehearsal's short window, with the requests header stating that window's figure as Azure's does; an Anthropic
 * provider's mock sends anthropic-ratelimit-* headers. Others: the declared limits, OpenAI's headers.
 */
export function rehearsalMockLimits(p: Provider): Pick<MockProviderOptions, 'rpm' | 'tpm' | 'headerStyle' | 'requestsPerWindow'> {
  const rpm = p.limits?.rpm;
  const tpm = p.limits?.tpm;
  if (p.vendor === 'azure-openai') {
    const granted = tpm !== undefined ? grantedPerMinute('azure-openai', { limitTokens: tpm }, p.model).rpm : undefined;
    const enforced = granted !== undefined && (rpm === undefined || granted < rpm) ? granted : rpm;
    return { ...(enforced !== undefined ? { rpm: enforced } : {}), ...(tpm !== undefined ? { tpm } : {}), requestsPerWindow: true };
  }
  return { ...(rpm !== undefined ? { rpm } : {}), ...(tpm !== undefined ? { tpm } : {}), ...(p.vendor === 'anthropic' ? { headerStyle: 'anthropic' as const } : {}) };
}

/**
 * The generated Portkey config rewired to the rehearsal's mocks: every target keeps its place, retry and
 * fallback settings, but speaks OpenAI to its provider's mock (custom_host), since the mocks are
 * OpenAI-compatible whatever vendor they stand in for.
 */
export function rewireConfig(config: Record<string, unknown>, mockUrls: string[]): Record<string, unknown> {
  const targets = (config.targets as Array<Record<string, unknown>>).map((t, i) => {
    const { aws_access_key_id: _a, aws_secret_access_key: _s, resource_name: _r, deployment_id: _d, api_version: _v, aws_region: _ar, vertex_project_id: _vp, vertex_region: _vr, ...rest } = t;
    return { ...rest, provider: 'openai', api_key: 'rehearsal-key', custom_host: mockUrls[i] };
  });
  return { ...config, targets };
}

/**
 * Starts a mock provider per declared provider (with its declared limits) and the real Portkey gateway,
 * all on loopback. The caller probes `gatewayUrl` with `headers` and must call stop().
 */
export async function startRehearsal(model: DeploymentModel, opts: RehearsalOptions = {}): Promise<Rehearsal> {
  const script = opts.gatewayScript ?? portkeyScript();
  if (!script) throw new UsageError('rehearse needs the Portkey gateway: run `npm install @portkey-ai/gateway@1.15.2` next to readiness');
  const started: MockProvider[] = [];
  let gateway: Gateway | undefined;
  const stop = async () => {
    if (gateway) await gateway.stop();
    await Promise.all(started.map((m) => m.close()));
  };
  try {
    const providers: RehearsalProvider[] = [];
    for (const [i, p] of model.manifest.providers.entries()) {
      const limits = rehearsalMockLimits(p);
      const mock = await startMockProvider({
        ...limits,
        windowSeconds: opts.windowSeconds ?? REHEARSAL_DEFAULTS.windowSeconds,
        latencyMs: opts.latencyMs ?? REHEARSAL_DEFAULTS.latencyMs,
        jitterMs: opts.jitterMs ?? REHEARSAL_DEFAULTS.jitterMs,
        seed: (opts.seed ?? 1) + i,
        model: p.model,
        ...(opts.mock ?? {}),
      });
      started.push(mock);
      providers.push({ id: p.id, vendor: p.vendor, rpm: limits.rpm ?? null, tpm: limits.tpm ?? null, url: mock.url, mock });
    }
    const generated = portkeyConfig(model, []);
    const chain = [model.primary, ...(model.manifest.routing?.failover?.mode === 'automatic' ? model.failoverTargets.map((t) => t.provider) : [])];
    const urls = chain.map((p) => providers.find((x) => x.id === p.id)?.url ?? '');
    // the rewired config holds no placeholders; every probe request carries the first tenant's attribution
    // as x-portkey-metadata, so the generated guardrail (if any) lets it through
    const client = portkeyClientOptions(model);
    const who = attributionSequence(model, 1)[0] ?? {};
    const headers = preparePortkeyRequest(rewireConfig(generated, urls), {}, who, client);
    const cfg = headers['x-portkey-config'];
    gateway = await startGateway({ script, timeoutMs: opts.gatewayStartMs ?? 30_000, signal: opts.signal });
    const gatewayUrl = gateway.url;
    const version = portkeyNodeServerVersion(script);
    const nodeServer = version === undefined ? undefined : { version, streamingBroken: portkeyStreamingBroken(version) };
    return { providers, gatewayUrl: `${gatewayUrl}/v1/chat/completions`, headers: { 'x-portkey-config': cfg, 'x-portkey-metadata': headers['x-portkey-metadata'] }, config: JSON.parse(cfg), ...(nodeServer ? { nodeServer } : {}), gatewayOutput: gateway.output, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

export interface ProviderOutcome {
  id: string;
  rpm: number | null;
  tpm: number | null;
  requests: number;
  statuses: Record<string, number>;
}

export function providerOutcomes(providers: RehearsalProvider[]): ProviderOutcome[] {
  return providers.map((p) => {
    const s: MockStats = p.mock.stats();
    return { id: p.id, rpm: p.rpm, tpm: p.tpm, requests: s.total, statuses: s.statuses };
  });
}

export interface GuardrailProof {
  /** whether the generated config carries the requiredMetadataKeys guardrail at all */
  guarded: boolean;
  /** status of one request sent with empty x-portkey-metadata (expected: refused, 446) */
  untaggedStatus: number | null;
  /** status of one request with the rehearsal tenant's metadata (expected: 200) */
  taggedStatus: number | null;
  error?: string;
}

/**
 * Proves the generated guardrail against the real gateway: one request without the attribution
 * metadata must be refused, one with it must pass. Two requests, sent after the probe so its
 * figures are not disturbed; null statuses when the gateway did not answer within `timeoutMs`.
 */
export async function proveGuardrail(r: Rehearsal, timeoutMs = 10_000): Promise<GuardrailProof> {
  const guarded = Array.isArray(r.config.input_guardrails) && (r.config.input_guardrails as Array<{ id?: string }>).some((g) => g.id === PORTKEY_GUARDRAIL_ID);
  const send = async (metadata: string): Promise<number | null> => {
    const res = await requestOnce(r.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-portkey-config': r.headers['x-portkey-config'], 'x-portkey-metadata': metadata },
      body: JSON.stringify({ messages: [{ role: 'user', content: 'readiness rehearsal: attribution guardrail' }] }),
      timeoutMs,
    });
    return res.status;
  };
  try {
    const untaggedStatus = await send('{}');
    const taggedStatus = await send(r.headers['x-portkey-metadata'] ?? '{}');
    return { guarded, untaggedStatus, taggedStatus };
  } catch (err) {
    return { guarded, untaggedStatus: null, taggedStatus: null, error: err instanceof Error ? err.message : String(err) };
  }
}
