import { gatewayProfile } from '../gateway/index.js';
import type { GatewayHeaders, GatewayKind } from '../gateway/types.js';
import type { DeploymentModel } from '../manifest/model.js';
import { UsageError } from '../util/errors.js';
import { quote, redactedKind, secretKind } from '../util/secrets.js';
import { type LookupAll, type ResolvedAddress, httpHost, isLoopbackAddress, resolveHost } from '../util/net.js';
import { plain, usd } from '../util/numbers.js';

/** Defaults for a probe; the manifest's probe section and the command line override them. */
export const PROBE_DEFAULTS = {
  durationSeconds: 30,
  burstFactor: 1.5,
  coldConnections: 10,
  maxRequests: 20_000,
  minAchievedFraction: 0.98,
  /** assumed size when traffic.tokensPerRequest is absent */
  tokens: { input: 100, output: 50 },
} as const;

export interface ProbeOptions {
  target?: string;
  durationSeconds?: number;
  burstFactor?: number;
  burstSeconds?: number;
  coldConnections?: number;
  /** divide every duration by this factor (rates unchanged) */
  compression?: number;
  maxRequests?: number;
  timeoutMs?: number;
  /** extra headers on every request (e.g. a gateway config); never printed */
  headers?: Record<string, string>;
  /** skip the cold and burst phases (tests, bench) */
  phases?: Array<'cold' | 'steady' | 'burst'>;
  /** send the untagged request (default: when attribution headers are declared) */
  untagged?: boolean;
  maxConnections?: number;
  /** stream every request (SSE) and measure TTFT, ITL and output tokens per second */
  stream?: boolean;
  /** the gateway in front (default gateway.kind): whose headers say who served (rehearse: portkey) */
  gatewayKind?: GatewayKind;
}

export interface TenantMix {
  id: string;
  weight: number;
  headers: Record<string, string>[];
}

export interface PhasePlan {
  name: 'cold' | 'steady' | 'burst';
  /** req/s (cold: number of fresh connections, each sending one request) */
  rate: number;
  durationSeconds: number;
  requests: number;
}

export interface ProbePlan {
  target: string;
  /** true only when every address the target's host resolves to is loopback (see resolvePlan) */
  loopback: boolean;
  /** the checked address every connection goes to (set by resolvePlan; a literal address needs none) */
  connect?: ResolvedAddress;
  peakRpm: number;
  phases: PhasePlan[];
  totalRequests: number;
  maxRequests: number;
  timeoutMs: number;
  maxConnections: number;
  compression: number;
  body: string;
  tokens: { input: number; output: number };
  headers: Record<string, string>;
  /** attribution header sets, in the order the probe cycles through them */
  attribution: Record<string, string>[];
  untagged: boolean;
  onMissing?: string;
  /** expected USD per request, undefined when the manifest gives no pricing */
  costPerRequestUsd?: number;
  estimatedCostUsd?: number;
  minAchievedFraction: number;
  /** requests are streamed */
  stream: boolean;
  /** the gateway's headers that say who served (from src/gateway/<kind>/headers.ts); undefined for other */
  gatewayHeaders?: GatewayHeaders;
  /** provider ids in failover order, primary first: what a target index in the gateway's headers refers to */
  chain: string[];
  /** vendor of each declared provider, by id */
  vendors: Record<string, string>;
  /** provider id -> model (Azure's rpm per tpm depends on it) */
  models?: Record<string, string>;
}

/** The chat-completions URL to probe: the given URL, with /chat/completions appended to a bare /v1 base. */
export function chatUrl(target: string): string {
  const u = new URL(target);
  if (/\/v1\/?$/.test(u.pathname)) u.pathname = `${u.pathname.replace(/\/$/, '')}/chat/completions`;
  else if (u.pathname === '/' || u.pathname === '') u.pathname = '/v1/chat/completions';
  return u.toString();
}

/**
 * Attribution header sets in proportion to the tenants' dailyRequests, interleaved by smooth weighted
 * round-robin (deterministic: the same manifest gives the same sequence). One cycle of the returned list
 * has each tenant's share rounded to a total of `slots`.
 */
export function attributionSequence(model: DeploymentModel, slots = 100): Record<string, string>[] {
  const h = model.manifest.gateway?.attribution?.headers;
  if (!h || (!h.operator && !h.team && !h.useCase)) return [];
  const operator = model.manifest.metadata.operator ?? model.manifest.metadata.name;
  const tenants = model.tenants.map((t) => t.tenant);
  const list = tenants.length > 0 ? tenants : [{ id: 'probe', team: 'probe', useCases: ['probe'], dailyRequests: 1 }];
  const anyDaily = list.some((t) => (t.dailyRequests ?? 0) > 0);
  const weights = list.map((t) => (anyDaily ? (t.dailyRequests ?? 0) : 1));
  const total = weights.reduce((s, w) => s + w, 0);
  const current = weights.map(() => 0);
  const useCaseTurn = list.map(() => 0);
  const out: Record<string, string>[] = [];
  for (let i = 0; i < slots; i++) {
    let best = 0;
    for (let j = 0; j < list.length; j++) {
      current[j] += weights[j];
      if (current[j] > current[best]) best = j;
    }
    current[best] -= total;
    const t = list[best];
    const uc = t.useCases && t.useCases.length > 0 ? t.useCases[useCaseTurn[best]++ % t.useCases.length] : t.id;
    const headers: Record<string, string> = {};
    if (h.operator) headers[h.operator.toLowerCase()] = operator;
    if (h.team) headers[h.team.toLowerCase()] = t.team ?? t.id;
    if (h.useCase) headers[h.useCase.toLowerCase()] = uc;
    out.push(headers);
  }
  return out;
}

/** Expected USD per request: tenants' figures weighted by their traffic, else primary pricing x tokensPerRequest. */
export function expectedCostPerRequest(model: DeploymentModel): number | undefined {
  const priced = model.tenants.filter((t) => t.costPerRequestUsd !== undefined);
  if (priced.length > 0) {
    const anyDaily = priced.some((t) => (t.tenant.dailyRequests ?? 0) > 0);
    const w = priced.map((t) => (anyDaily ? (t.tenant.dailyRequests ?? 0) : 1));
    const tw = w.reduce((s, x) => s + x, 0);
    return priced.reduce((s, t, i) => s + (t.costPerRequestUsd as number) * w[i], 0) / tw;
  }
  const p = model.primary.pricing;
  const t = model.manifest.traffic?.tokensPerRequest;
  if (p && t) return (t.input * p.inputPerMTok + t.output * p.outputPerMTok) / 1_000_000;
  return undefined;
}

/** Builds the probe plan for a manifest. Pure; throws UsageError when there is nothing sensible to probe. */
export function buildPlan(model: DeploymentModel, opts: ProbeOptions = {}): ProbePlan {
  const m = model.manifest;
  const peakRpm = model.peakRpm;
  if (peakRpm === undefined || peakRpm <= 0) throw new UsageError('the manifest states no peak (traffic.peakRpm or traffic.peakMultiplier): there is no rate to probe at');
  const rawTarget = opts.target ?? m.probe?.target ?? m.gateway?.endpoint;
  if (!rawTarget) throw new UsageError('no target to probe: set probe.target or gateway.endpoint in the manifest, or pass --target');
  // a key in the target (userinfo, a query parameter) would be echoed in messages, the probe JSON and --out;
  // one in the manifest was already replaced by its placeholder when the manifest was loaded
  const secret = secretKind(rawTarget) ?? redactedKind(rawTarget);
  if (secret) throw new UsageError(`the probe target holds a credential (${secret}; not shown): give the key by environment variable name with --api-key-env, never in the URL`);
  if (!httpHost(rawTarget)) throw new UsageError(`probe target is not an http(s) URL: ${quote(rawTarget)}`);
  const target = chatUrl(rawTarget);
  const compression = opts.compression ?? 1;
  if (!(compression >= 1)) throw new UsageError('--compress must be a number >= 1');
  const duration = (opts.durationSeconds ?? m.probe?.durationSeconds ?? PROBE_DEFAULTS.durationSeconds) / compression;
  const burstFactor = opts.burstFactor ?? m.probe?.burstFactor ?? PROBE_DEFAULTS.burstFactor;
  const burstSeconds = opts.burstSeconds ?? Math.min(10, Math.max(2, duration / 5));
  const rate = peakRpm / 60;
  const wanted = new Set(opts.phases ?? ['cold', 'steady', 'burst']);
  const phases: PhasePlan[] = [];
  const cold = opts.coldConnections ?? PROBE_DEFAULTS.coldConnections;
  if (wanted.has('cold') && cold > 0) phases.push({ name: 'cold', rate: cold, durationSeconds: 0, requests: cold });
  if (wanted.has('steady')) phases.push({ name: 'steady', rate, durationSeconds: duration, requests: Math.round(rate * duration) });
  if (wanted.has('burst') && burstFactor > 1) {
    phases.push({ name: 'burst', rate: rate * burstFactor, durationSeconds: burstSeconds, requests: Math.round(rate * burstFactor * burstSeconds) });
  }
  const attribution = attributionSequence(model);
  const onMissing = m.gateway?.attribution?.onMissing;
  const untagged = opts.untagged ?? attribution.length > 0;
  const totalRequests = phases.reduce((s, p) => s + p.requests, 0) + (untagged ? 1 : 0);
  const maxRequests = opts.maxRequests ?? PROBE_DEFAULTS.maxRequests;
  const tokens = m.traffic?.tokensPerRequest ?? PROBE_DEFAULTS.tokens;
  const stream = opts.stream ?? m.probe?.stream ?? false;
  const body = JSON.stringify({
    model: model.primary.model,
    messages: [{ role: 'user', content: 'readiness probe '.padEnd(Math.max(16, tokens.input * 4), 'x') }],
    max_tokens: tokens.output,
    ...(stream ? { stream: true, stream_options: { include_usage: true } } : {}),
  });
  const automatic = m.routing?.failover?.mode === 'automatic';
  const chain = [model.primary.id, ...(automatic ? model.failoverTargets.map((t) => t.provider.id) : [])];
  const vendors = Object.fromEntries(m.providers.map((p) => [p.id, p.vendor]));
  const models = Object.fromEntries(m.providers.map((p) => [p.id, p.model]));
  const gatewayHeaders = gatewayProfile(opts.gatewayKind ?? m.gateway?.kind).headers;
  const costPerRequestUsd = expectedCostPerRequest(model);
  const slo = m.slo?.steadyP99Ms;
  const timeoutMs = opts.timeoutMs ?? Math.min(120_000, Math.max(10_000, slo ? 3 * slo : 30_000));
  const maxRps = Math.max(...phases.filter((p) => p.name !== 'cold').map((p) => p.rate), 1);
  return {
    target,
    // a name is not loopback until resolvePlan has resolved it
    loopback: isLoopbackAddress(new URL(target).hostname),
    peakRpm,
    phases,
    totalRequests,
    maxRequests,
    timeoutMs,
    maxConnections: opts.maxConnections ?? Math.min(1024, Math.max(16, Math.ceil(maxRps))),
    compression,
    body,
    tokens,
    headers: { 'content-type': 'application/json', ...(opts.headers ?? {}) },
    attribution,
    untagged,
    onMissing,
    costPerRequestUsd,
    estimatedCostUsd: costPerRequestUsd !== undefined ? costPerRequestUsd * totalRequests : undefined,
    minAchievedFraction: PROBE_DEFAULTS.minAchievedFraction,
    stream,
    ...(gatewayHeaders ? { gatewayHeaders } : {}),
    chain,
    vendors,
    models,
  };
}

/**
 * Resolves the target's host before the guard looks at it: the plan is loopback only when every
 * address the name resolves to is loopback (`x.localhost` may go to DNS and answer anything), and
 * every connection is then made to the first checked address, never to a second resolution.
 */
export async function resolvePlan(plan: ProbePlan, lookupAll?: LookupAll): Promise<ProbePlan> {
  const host = new URL(plan.target).hostname;
  let r;
  try {
    r = await resolveHost(host, lookupAll);
  } catch (err) {
    throw new UsageError(`cannot resolve the probe target's host ${host}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  if (!r.addresses.length) throw new UsageError(`cannot resolve the probe target's host ${host}: no address`);
  return { ...plan, loopback: r.loopback, connect: r.addresses[0] };
}

export interface GuardOptions {
  allowRemote?: boolean;
  maxCostUsd?: number;
}

export interface GuardVerdict {
  ok: boolean;
  /** lines to print before the run (request count, cost) or the reason for refusing */
  lines: string[];
}

/**
 * Decides whether a plan may run. Pure: it never touches the network.
 * Loopback targets always may (within the request cap); any other needs allowRemote, and its estimated
 * cost must be known and within maxCostUsd.
 */
export function guard(plan: ProbePlan, opts: GuardOptions): GuardVerdict {
  const host = new URL(plan.target).hostname;
  const summary = `${plan.totalRequests} requests (${plan.phases.map((p) => `${p.name} ${p.requests}`).join(', ')}${plan.untagged ? ', untagged 1' : ''}) to ${host}`;
  if (plan.totalRequests > plan.maxRequests) {
    return { ok: false, lines: [`refusing: the plan needs ${summary}, above the request cap of ${plan.maxRequests} (raise --max-requests or shorten the probe)`] };
  }
  if (plan.loopback) return { ok: true, lines: [`probe: ${summary}`] };
  if (!opts.allowRemote) {
    return { ok: false, lines: [`refusing: ${host} is not a loopback address; a probe sends real traffic at the stated peak (${summary}). Pass --allow-remote to probe it.`] };
  }
  const cost = plan.estimatedCostUsd;
  const costLine =
    cost === undefined
      ? `estimated cost: unknown (no tenant costPerRequestUsd and no primary pricing with tokensPerRequest)`
      : `estimated cost: ${plan.totalRequests} requests x $${plain(plan.costPerRequestUsd ?? 0, 6)} = ${usd(cost)} (${plain(cost, 4)} USD)`;
  const lines = [`probe: ${summary}`, costLine];
  if (cost === undefined) return { ok: false, lines: [...lines, 'refusing: cannot bound the cost of a remote probe; add pricing to the manifest'] };
  const max = opts.maxCostUsd ?? 1;
  if (cost > max) return { ok: false, lines: [...lines, `refusing: estimated cost ${usd(cost)} is above --max-cost-usd ${usd(max)}`] };
  return { ok: true, lines };
}
