/**
 * Provider rate-limit headers: the limit a provider really grants, read from every response.
 * Pure facts and a pure parser; the probe records a snapshot per response and the evidence layer turns the
 * granted limits into `provider.rpm` / `provider.tpm` observations.
 *
 * Sources (each header name and reset format confirmed there):
 * - OpenAI, "Rate limits: rate limits in headers": https://platform.openai.com/docs/guides/rate-limits
 *   x-ratelimit-{limit,remaining,reset}-{requests,tokens}; reset as a duration ("1s", "6m0s", "12ms").
 * - Azure OpenAI, "Manage Azure OpenAI Service quota": https://learn.microsoft.com/en-us/azure/ai-services/openai/how-to/quota
 *   the same OpenAI names; quota per deployment in TPM, RPM = 6 per 1,000 TPM, evaluated over 1 or 10 s
 *   windows (Microsoft Q&A "Calculate azure OpenAI RPM value",
 *   https://learn.microsoft.com/en-us/answers/questions/2265464/calculate-azure-openai-rpm-value: the requests
 *   header carries the short window's limit, not the per-minute one).
 * - Anthropic, "Rate limits: response headers": https://docs.anthropic.com/en/api/rate-limits
 *   anthropic-ratelimit-{requests,tokens,input-tokens,output-tokens}-{limit,remaining,reset} (reset RFC 3339)
 *   and retry-after (seconds) on 429. Input tokens per minute (ITPM) and output tokens per minute (OTPM) are
 *   limited separately, OTPM estimated from max_tokens when a request starts (same page); tokens-limit is the
 *   combined input + output figure (Claude Platform on AWS, "Rate limit headers":
 *   https://docs.aws.amazon.com/claude-platform/latest/userguide/rate-limits.html; a recorded response with
 *   input 80,000, output 16,000, tokens 96,000: https://rdrr.io/cran/tidyllm/src/tests/testthat/claude/api.anthropic.com/v1/messages-e050b5-POST.R).
 * - LiteLLM proxy, "Response Headers": https://docs.litellm.ai/docs/proxy/response_headers
 *   passes the provider's limits through in OpenAI form (or the key's own limits when the key has them).
 */

export interface SourceRef {
  title: string;
  url: string;
}

export const PROVIDER_HEADER_SOURCES: Record<'openai' | 'azure-openai' | 'anthropic' | 'litellm', SourceRef> = {
  openai: { title: 'OpenAI: rate limits in headers', url: 'https://platform.openai.com/docs/guides/rate-limits' },
  'azure-openai': { title: 'Azure OpenAI: manage quota', url: 'https://learn.microsoft.com/en-us/azure/ai-services/openai/how-to/quota' },
  anthropic: { title: 'Anthropic: rate limits, response headers', url: 'https://docs.anthropic.com/en/api/rate-limits' },
  litellm: { title: 'LiteLLM proxy: response headers', url: 'https://docs.litellm.ai/docs/proxy/response_headers' },
};

/** OpenAI form (OpenAI, Azure OpenAI, and LiteLLM passing them through). */
export const OPENAI_RATE_HEADERS = {
  limitRequests: 'x-ratelimit-limit-requests',
  limitTokens: 'x-ratelimit-limit-tokens',
  remainingRequests: 'x-ratelimit-remaining-requests',
  remainingTokens: 'x-ratelimit-remaining-tokens',
  resetRequests: 'x-ratelimit-reset-requests',
  resetTokens: 'x-ratelimit-reset-tokens',
} as const;

/** Anthropic's names: anthropic-ratelimit-<kind>-<field>. */
export const ANTHROPIC_RATE_KINDS = ['requests', 'tokens', 'input-tokens', 'output-tokens'] as const;
export const anthropicHeader = (kind: (typeof ANTHROPIC_RATE_KINDS)[number], field: 'limit' | 'remaining' | 'reset') => `anthropic-ratelimit-${kind}-${field}`;

export const RETRY_AFTER = 'retry-after';

/** Azure OpenAI: requests per minute granted per 1,000 tokens per minute of a deployment's quota (older chat models). */
export const AZURE_RPM_PER_1000_TPM = 6;

/**
 * Azure's RPM per 1,000 TPM by model, where it differs from the older chat models' 6: quota comes in capacity
 * units, 1 unit = 6 RPM and 1,000 TPM for older chat models, 1 RPM and 6,000 TPM for o1 and o1-preview, 1 RPM and
 * 1,000 TPM for o3 and o4-mini, 1 RPM and 10,000 TPM for o3-mini, o1-mini and o3-pro ("Manage Azure OpenAI quota",
 * articles/ai-services/openai/how-to/quota.md in MicrosoftDocs/azure-ai-docs, the table added in
 * https://github.com/MicrosoftDocs/azure-ai-docs/commit/cbf810de2938348c1c44b869a85b3c2a5cc37f44; earlier versions
 * say only "6 RPM per 1000 TPM"). Matched on the model name, longest prefix first; anything else takes 6.
 */
export const AZURE_RPM_PER_1000_TPM_BY_MODEL: ReadonlyArray<readonly [prefix: string, rpmPer1000Tpm: number]> = [
  ['o1-mini', 0.1],
  ['o3-mini', 0.1],
  ['o3-pro', 0.1],
  ['o4-mini', 1],
  ['o1-preview', 1 / 6],
  ['o1', 1 / 6],
  ['o3', 1],
];

/** Azure's RPM per 1,000 TPM for a model (deployment model name, case-insensitive). */
export function azureRpmPer1000Tpm(model: string | undefined): number {
  const m = (model ?? '').toLowerCase();
  for (const [prefix, ratio] of AZURE_RPM_PER_1000_TPM_BY_MODEL) if (m === prefix || m.startsWith(`${prefix}-`)) return ratio;
  return AZURE_RPM_PER_1000_TPM;
}

/** What one response said about the limits (undefined = header absent). Per-minute figures. */
export interface RateLimitSnapshot {
  style: 'openai' | 'anthropic';
  limitRequests?: number;
  limitTokens?: number;
  remainingRequests?: number;
  remainingTokens?: number;
  /** Anthropic's separate input- and output-token limits (ITPM, OTPM) and what is left of them */
  limitInputTokens?: number;
  limitOutputTokens?: number;
  remainingInputTokens?: number;
  remainingOutputTokens?: number;
  /** ms until the request / token budget is full again */
  resetRequestsMs?: number;
  resetTokensMs?: number;
  retryAfterSeconds?: number;
}

type Headers = Record<string, string | string[] | undefined>;

const one = (h: Headers, name: string): string | undefined => {
  const v = h[name];
  return Array.isArray(v) ? v[0] : v;
};
const num = (s: string | undefined): number | undefined => {
  if (s === undefined || s.trim() === '') return undefined;
  const n = Number(s);
  return Number.isFinite(n) ? n : undefined;
};

/** OpenAI's reset duration: "12ms", "1.5s", "6m0s", "1h2m3s"; a bare number is seconds. */
export function parseOpenAIDuration(s: string | undefined): number | undefined {
  if (s === undefined) return undefined;
  const t = s.trim();
  if (/^\d+(\.\d+)?$/.test(t)) return Number(t) * 1000;
  const re = /(\d+(?:\.\d+)?)(ms|h|m|s)/g;
  let total = 0;
  let matched = '';
  for (const m of t.matchAll(re)) {
    const v = Number(m[1]);
    total += m[2] === 'ms' ? v : m[2] === 's' ? v * 1000 : m[2] === 'm' ? v * 60_000 : v * 3_600_000;
    matched += m[0];
  }
  return matched === t && matched !== '' ? total : undefined;
}

/** Anthropic's reset: an RFC 3339 instant; ms from `nowMs` (epoch ms). */
export function parseRfc3339Reset(s: string | undefined, nowMs: number): number | undefined {
  if (s === undefined) return undefined;
  const t = Date.parse(s);
  return Number.isFinite(t) ? Math.max(0, t - nowMs) : undefined;
}

/** Reads whichever provider headers a response carries; undefined when none. `nowMs` is wall-clock epoch ms. */
export function readRateLimitHeaders(h: Headers, nowMs = Date.now()): RateLimitSnapshot | undefined {
  const retryAfterSeconds = num(one(h, RETRY_AFTER));
  if (one(h, OPENAI_RATE_HEADERS.limitRequests) !== undefined || one(h, OPENAI_RATE_HEADERS.limitTokens) !== undefined) {
    const s: RateLimitSnapshot = { style: 'openai' };
    const set = <K extends keyof RateLimitSnapshot>(k: K, v: RateLimitSnapshot[K] | undefined) => {
      if (v !== undefined) s[k] = v;
    };
    set('limitRequests', num(one(h, OPENAI_RATE_HEADERS.limitRequests)));
    set('limitTokens', num(one(h, OPENAI_RATE_HEADERS.limitTokens)));
    set('remainingRequests', num(one(h, OPENAI_RATE_HEADERS.remainingRequests)));
    set('remainingTokens', num(one(h, OPENAI_RATE_HEADERS.remainingTokens)));
    set('resetRequestsMs', parseOpenAIDuration(one(h, OPENAI_RATE_HEADERS.resetRequests)));
    set('resetTokensMs', parseOpenAIDuration(one(h, OPENAI_RATE_HEADERS.resetTokens)));
    set('retryAfterSeconds', retryAfterSeconds);
    // OpenAI and LiteLLM send -1 for "no limit" on some endpoints (seen on Azure's Responses API): not a grant
    if (s.limitRequests !== undefined && s.limitRequests < 0) delete s.limitRequests;
    if (s.limitTokens !== undefined && s.limitTokens < 0) delete s.limitTokens;
    return s;
  }
  if (ANTHROPIC_RATE_KINDS.some((k) => one(h, anthropicHeader(k, 'limit')) !== undefined)) {
    const s: RateLimitSnapshot = { style: 'anthropic' };
    const lr = num(one(h, anthropicHeader('requests', 'limit')));
    // tokens-limit is the combined (input + output) limit; input-tokens and output-tokens are Anthropic's ITPM and
    // OTPM, each enforced on its own (OTPM estimated from max_tokens when a request starts): read all three
    const lt = num(one(h, anthropicHeader('tokens', 'limit')));
    const rr = num(one(h, anthropicHeader('requests', 'remaining')));
    const rt = num(one(h, anthropicHeader('tokens', 'remaining')));
    const resR = parseRfc3339Reset(one(h, anthropicHeader('requests', 'reset')), nowMs);
    const resT = parseRfc3339Reset(one(h, anthropicHeader('tokens', 'reset')), nowMs);
    if (lr !== undefined) s.limitRequests = lr;
    if (lt !== undefined) s.limitTokens = lt;
    if (rr !== undefined) s.remainingRequests = rr;
    if (rt !== undefined) s.remainingTokens = rt;
    if (resR !== undefined) s.resetRequestsMs = resR;
    if (resT !== undefined) s.resetTokensMs = resT;
    const io: Array<[keyof RateLimitSnapshot, 'input-tokens' | 'output-tokens', 'limit' | 'remaining']> = [
      ['limitInputTokens', 'input-tokens', 'limit'],
      ['remainingInputTokens', 'input-tokens', 'remaining'],
      ['limitOutputTokens', 'output-tokens', 'limit'],
      ['remainingOutputTokens', 'output-tokens', 'remaining'],
    ];
    for (const [key, kind, field] of io) {
      const v = num(one(h, anthropicHeader(kind, field)));
      if (v !== undefined) (s as unknown as Record<string, number>)[key] = v;
    }
    if (retryAfterSeconds !== undefined) s.retryAfterSeconds = retryAfterSeconds;
    return s;
  }
  if (retryAfterSeconds !== undefined) return { style: 'openai', retryAfterSeconds };
  return undefined;
}

/**
 * The per-minute limits a vendor grants, from the limits its headers state. For azure-openai the requests
 * header holds the short window's limit, so the per-minute rpm is derived from the TPM quota (6 per 1,000 TPM
 * for older chat models, by model otherwise: azureRpmPer1000Tpm).
 */
export function grantedPerMinute(vendor: string, s: Pick<RateLimitSnapshot, 'limitRequests' | 'limitTokens'>, model?: string): { rpm?: number; tpm?: number } {
  const out: { rpm?: number; tpm?: number } = {};
  if (s.limitTokens !== undefined) out.tpm = s.limitTokens;
  if (vendor === 'azure-openai') {
    if (s.limitTokens !== undefined) out.rpm = Math.round(((s.limitTokens * azureRpmPer1000Tpm(model)) / 1000) * 1000) / 1000;
  } else if (s.limitRequests !== undefined) out.rpm = s.limitRequests;
  return out;
}
