import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { UsageError } from '../util/errors.js';
import { isLoopbackAddress, isLoopbackHost, type LookupAll, systemLookupAll } from '../util/net.js';
import { perMinuteBucket, seededRandom, type TokenBucket } from './bucket.js';

export interface MockProviderOptions {
  /** loopback only: 127.0.0.1 (default), ::1 or localhost */
  host?: string;
  /** 0 (default) picks a free port */
  port?: number;
  /** requests per minute; undefined = unlimited */
  rpm?: number;
  /** tokens per minute (prompt estimate + max_tokens); undefined = unlimited */
  tpm?: number;
  /** the window over which per-minute limits are metered (bucket capacity = limit x window / 60). Default 1 s. */
  windowSeconds?: number;
  /** latency model: base + uniform [0, jitter) ms */
  latencyMs?: number;
  jitterMs?: number;
  /** extra latency for the first request on a new connection, and for any request after `coldIdleMs` of idleness */
  coldStartMs?: number;
  coldIdleMs?: number;
  /** probability of answering 500 (after rate limiting) */
  faultRate?: number;
  /** PRNG seed for jitter and faults */
  seed?: number;
  /** model name echoed in responses */
  model?: string;
  /** when set, requests lacking any of these headers get 400 (a gateway that refuses untagged traffic) */
  requireHeaders?: string[];
  /** largest request body accepted (bytes; default 1 MiB): a larger one gets 413 and is not read */
  maxBodyBytes?: number;
  /** distinct values kept per recorded header (default 1000); later new values count under "(other values)" */
  maxHeaderValues?: number;
  /** headers whose values are counted in stats (default: x-operator-id, x-team-id, x-use-case-id) */
  recordHeaders?: string[];
  /** bound on the arrival log (default 1,000,000) */
  maxArrivals?: number;
  /**
   * Streaming (requests with "stream": true): the role chunk goes out with the headers, the first content token
   * `streamTtftMs` after the request's latency, then one token every `itlMs`; `outputTokens` content tokens
   * (default: the request's max_tokens, at most 16). A usage chunk follows when stream_options.include_usage.
   */
  streamTtftMs?: number;
  itlMs?: number;
  outputTokens?: number;
  /** probability that a stream is cut after half its tokens, without [DONE] (a mid-stream failure) */
  streamFaultRate?: number;
  /** the limits the rate-limit headers state (what the provider grants); enforced when rpm / tpm are not set */
  grantRpm?: number;
  grantTpm?: number;
  /** the rate-limit header family: OpenAI's x-ratelimit-* (default) or Anthropic's anthropic-ratelimit-* */
  headerStyle?: 'openai' | 'anthropic';
  /**
   * Anthropic's separate input- and output-token limits (ITPM, OTPM; https://docs.anthropic.com/en/api/rate-limits):
   * enforced on prompt tokens and on max_tokens (Anthropic estimates OTPM from max_tokens when a request starts),
   * stated in anthropic-ratelimit-{input,output}-tokens-{limit,remaining,reset} with headerStyle 'anthropic'.
   */
  inputTpm?: number;
  outputTpm?: number;
  /**
   * State x-ratelimit-limit-requests / -remaining-requests for the metering window instead of per minute, as Azure
   * OpenAI does (its requests header carries the short window's limit: 20 for a 120 RPM deployment metered over
   * 10 s, https://learn.microsoft.com/en-us/answers/questions/2265464/calculate-azure-openai-rpm-value).
   */
  requestsPerWindow?: boolean;
  /**
   * How long a client has to send its request headers, and its whole request (ms; defaults
   * MOCK_LIMITS.headersTimeoutMs and requestTimeoutMs): a slower client gets 408 and its connection is
   * closed (Node's http.Server headersTimeout and requestTimeout). headersTimeoutMs may not exceed requestTimeoutMs.
   */
  headersTimeoutMs?: number;
  requestTimeoutMs?: number;
  /**
   * Resolves a host name given as `host` (localhost) before binding: every address must be loopback and
   * the mock binds the first. Injectable for tests; default dns.lookup (all addresses, in the order given).
   */
  lookupAll?: LookupAll;
}

export interface MockStats {
  /** arrival time of each chat-completions request, ms since the mock started (monotonic, hrtime-based) */
  arrivals: number[];
  total: number;
  /** responses by HTTP status */
  statuses: Record<string, number>;
  /** counts of recorded header values: headers[name][value]; requests without the header count under "" */
  headers: Record<string, Record<string, number>>;
  connections: number;
  coldStarts: number;
  /** arrivals dropped from the log once maxArrivals was reached */
  arrivalsDropped: number;
}

export interface MockProvider {
  /** base URL including /v1, e.g. http://127.0.0.1:43123/v1 */
  url: string;
  /** full chat-completions URL */
  chatUrl: string;
  port: number;
  stats(): MockStats;
  /** clears the stats (not the buckets) */
  resetStats(): void;
  close(): Promise<void>;
}

const DEFAULT_RECORD = ['x-operator-id', 'x-team-id', 'x-use-case-id'];

/** OpenAI's reset format: "120ms", "1.5s", "6m0s". */
export function formatReset(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.ceil(ms))}ms`;
  const s = ms / 1000;
  if (s < 60) return `${Number(s.toFixed(3))}s`;
  const m = Math.floor(s / 60);
  return `${m}m${Number((s - m * 60).toFixed(3))}s`;
}

/** Tokens a request will consume: prompt characters / 4 plus max_tokens (what providers reserve against tpm). */
export function estimateTokens(body: unknown): { prompt: number; completion: number } {
  let chars = 0;
  let completion = 16;
  if (body && typeof body === 'object') {
    const b = body as { messages?: Array<{ content?: unknown }>; max_tokens?: unknown; max_completion_tokens?: unknown };
    for (const msg of Array.isArray(b.messages) ? b.messages : []) {
      if (typeof msg?.content === 'string') chars += msg.content.length;
    }
    const mt = typeof b.max_tokens === 'number' ? b.max_tokens : typeof b.max_completion_tokens === 'number' ? b.max_completion_tokens : undefined;
    if (mt !== undefined && mt >= 0) completion = Math.floor(mt);
  }
  return { prompt: Math.ceil(chars / 4), completion };
}

function openAIError(res: ServerResponse, status: number, message: string, type: string, code: string | null, headers: Record<string, string> = {}): void {
  const body = JSON.stringify({ error: { message, type, param: null, code } });
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...headers });
  res.end(body);
}

/**
 * The mock's limits under abuse (docs/probe.md "Mock provider limits"): a body over maxBodyBytes gets
 * 413 unread; /stats keeps at most maxHeaderValues distinct values per header, each cut to
 * headerValueChars; a client gets headersTimeoutMs to send its headers and requestTimeoutMs for the
 * whole request (Node's http.Server headersTimeout and requestTimeout).
 */
export const MOCK_LIMITS = {
  maxBodyBytes: 1024 * 1024,
  maxHeaderValues: 1000,
  headerValueChars: 256,
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
} as const;

/** The /stats key that counts header values beyond maxHeaderValues. */
export const OTHER_VALUES = '(other values)';

/**
 * Rate-limit headers in the OpenAI form (x-ratelimit-*) or Anthropic's (anthropic-ratelimit-*, reset RFC 3339).
 * Remaining is stated against the limit beside it, as the providers state it: the share of the metering window's
 * bucket that is left, times the stated per-minute limit (a full bucket says the whole limit, an empty one 0); with
 * perWindow (Azure) both are the window's figures.
 */
function rateLimitHeaders(
  style: 'openai' | 'anthropic',
  t: number,
  rpm: number | undefined,
  rb: TokenBucket | undefined,
  tpm: number | undefined,
  tb: TokenBucket | undefined,
  enforced: { rpm?: number; tpm?: number },
  io: { input?: [number, TokenBucket]; output?: [number, TokenBucket] } = {},
  perWindow = false,
): Record<string, string> {
  const h: Record<string, string> = {};
  const at = (ms: number) => new Date(Date.now() + ms).toISOString();
  // the share of the bucket left in whole units: a bucket that cannot serve one more request says 0
  const left = (b: TokenBucket) => Math.floor(b.available(t) + 1e-9) / b.capacity;
  if (style === 'anthropic') {
    for (const [kind, lim] of [['input-tokens', io.input], ['output-tokens', io.output]] as const) {
      if (!lim) continue;
      h[`anthropic-ratelimit-${kind}-limit`] = String(lim[0]);
      h[`anthropic-ratelimit-${kind}-remaining`] = String(Math.max(0, Math.floor(left(lim[1]) * lim[0] + 1e-9)));
      h[`anthropic-ratelimit-${kind}-reset`] = at(lim[1].fullInMs(t));
    }
  }
  if (rpm !== undefined && rb) {
    const share = left(rb);
    const remaining = String(Math.max(0, Math.floor(share * (perWindow ? rb.capacity * (rpm / (enforced.rpm ?? rpm)) : rpm) + 1e-9)));
    if (style === 'anthropic') {
      h['anthropic-ratelimit-requests-limit'] = String(rpm);
      h['anthropic-ratelimit-requests-remaining'] = remaining;
      h['anthropic-ratelimit-requests-reset'] = at(rb.fullInMs(t));
    } else {
      // per window (Azure): the bucket's capacity is the window's share of the per-minute limit
      h['x-ratelimit-limit-requests'] = perWindow ? String(Math.floor(rb.capacity * (rpm / (enforced.rpm ?? rpm)) + 1e-9)) : String(rpm);
      h['x-ratelimit-remaining-requests'] = remaining;
      h['x-ratelimit-reset-requests'] = formatReset(rb.fullInMs(t));
    }
  }
  if (tpm !== undefined && tb) {
    const remaining = String(Math.max(0, Math.floor(left(tb) * tpm + 1e-9)));
    if (style === 'anthropic') {
      h['anthropic-ratelimit-tokens-limit'] = String(tpm);
      h['anthropic-ratelimit-tokens-remaining'] = remaining;
      h['anthropic-ratelimit-tokens-reset'] = at(tb.fullInMs(t));
    } else {
      h['x-ratelimit-limit-tokens'] = String(tpm);
      h['x-ratelimit-remaining-tokens'] = remaining;
      h['x-ratelimit-reset-tokens'] = formatReset(tb.fullInMs(t));
    }
  }
  return h;
}

/**
 * An OpenAI chat-completions stream (Server-Sent Events of chat.completion.chunk objects, then `data: [DONE]`):
 * the headers and the role chunk at once, the first content token after ttftMs, one more every itlMs.
 */
function streamCompletion(
  res: ServerResponse,
  o: { id: string; model: string; n: number; ttftMs: number; itlMs: number; includeUsage: boolean; cut: boolean; prompt: number; headers: Record<string, string>; timers: Set<NodeJS.Timeout> },
): void {
  const created = Math.floor(Date.now() / 1000);
  const chunk = (delta: Record<string, unknown>, finish: string | null = null, extra: Record<string, unknown> = {}) =>
    `data: ${JSON.stringify({ id: o.id, object: 'chat.completion.chunk', created, model: o.model, choices: [{ index: 0, delta, finish_reason: finish, logprobs: null }], ...extra })}\n\n`;
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', ...o.headers });
  res.write(chunk({ role: 'assistant', content: '' }));
  const started = performance.now();
  let sent = 0;
  const next = () => {
    if (res.destroyed) return;
    if (o.cut && sent >= Math.ceil(o.n / 2)) {
      res.destroy();
      return;
    }
    res.write(chunk({ content: sent === 0 ? 'ok' : ' ok' }));
    sent++;
    if (sent < o.n) {
      // scheduled from the stream's start, so timer lateness does not accumulate over the tokens
      const due = started + o.ttftMs + sent * o.itlMs - performance.now();
      schedule(Math.max(0, due));
      return;
    }
    res.write(chunk({}, 'stop'));
    if (o.includeUsage) {
      res.write(`data: ${JSON.stringify({ id: o.id, object: 'chat.completion.chunk', created, model: o.model, choices: [], usage: { prompt_tokens: o.prompt, completion_tokens: o.n, total_tokens: o.prompt + o.n } })}\n\n`);
    }
    res.end('data: [DONE]\n\n');
  };
  const schedule = (ms: number) => {
    const timer = setTimeout(() => {
      o.timers.delete(timer);
      next();
    }, ms);
    o.timers.add(timer);
  };
  schedule(o.ttftMs);
}

/** Node checks its header and request timeouts on an interval (connectionsCheckingInterval, default 30 s): a quarter of the shorter timeout, so one is kept to within a quarter of itself. */
export function timeoutCheckInterval(headersTimeoutMs: number, requestTimeoutMs: number): number {
  return Math.min(30_000, Math.max(1, Math.floor(Math.min(headersTimeoutMs, requestTimeoutMs) / 4)));
}

const RESOLVE_WHY: Record<string, string> = { ENOTFOUND: 'the host name does not resolve', EAI_AGAIN: 'the host name could not be resolved now (temporary DNS failure)', ENODATA: 'the host name has no address' };

/**
 * The address to bind for `host`: a literal loopback address is itself; a name (localhost) is resolved
 * and every address it resolves to must be loopback (a hosts file may map localhost anywhere), else refused.
 */
async function bindAddress(host: string, port: number, lookupAll: LookupAll): Promise<string> {
  const bare = host.replace(/^\[|\]$/g, '');
  if (isLoopbackAddress(bare)) return bare;
  let addresses: Array<{ address: string }>;
  try {
    addresses = await lookupAll(bare);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException)?.code ?? '';
    throw new UsageError(`mock provider cannot listen on ${host}:${port}: ${RESOLVE_WHY[code] ?? 'the host name cannot be resolved'} (${code || String(err)})`);
  }
  if (addresses.length === 0) throw new UsageError(`mock provider cannot listen on ${host}:${port}: ${RESOLVE_WHY.ENODATA} (ENODATA)`);
  const away = addresses.filter((a) => !isLoopbackAddress(a.address));
  if (away.length) throw new UsageError(`the mock provider binds loopback only: ${host} resolves to ${away.map((a) => a.address).join(', ')}, not loopback`);
  return addresses[0].address;
}

/** Starts an OpenAI-compatible mock provider on loopback. Refuses any other bind address. */
export async function startMockProvider(opts: MockProviderOptions = {}): Promise<MockProvider> {
  const host = opts.host ?? '127.0.0.1';
  if (!isLoopbackHost(host)) throw new UsageError(`the mock provider binds loopback only (127.0.0.1, ::1 or localhost), not ${host}`);
  const headersTimeoutMs = opts.headersTimeoutMs ?? MOCK_LIMITS.headersTimeoutMs;
  const requestTimeoutMs = opts.requestTimeoutMs ?? MOCK_LIMITS.requestTimeoutMs;
  for (const [name, v] of [['headersTimeoutMs', headersTimeoutMs], ['requestTimeoutMs', requestTimeoutMs]] as const) {
    if (!Number.isFinite(v) || v < 1) throw new UsageError(`mock provider ${name} must be a number of milliseconds >= 1, not ${v}`);
  }
  if (headersTimeoutMs > requestTimeoutMs) throw new UsageError(`mock provider headersTimeoutMs (${headersTimeoutMs}) may not exceed requestTimeoutMs (${requestTimeoutMs}): the headers are part of the request`);
  const bindTo = await bindAddress(host, opts.port ?? 0, opts.lookupAll ?? systemLookupAll);
  const t0 = performance.now();
  const now = () => performance.now() - t0;
  const window = opts.windowSeconds ?? 1;
  // enforced limits: rpm / tpm, else the granted ones; the headers state the granted ones, else the enforced
  const enforcedRpm = opts.rpm ?? opts.grantRpm;
  const enforcedTpm = opts.tpm ?? opts.grantTpm;
  const statedRpm = opts.grantRpm ?? opts.rpm;
  const statedTpm = opts.grantTpm ?? opts.tpm;
  const rpmBucket: TokenBucket | undefined = enforcedRpm !== undefined ? perMinuteBucket(enforcedRpm, window, 0) : undefined;
  const tpmBucket: TokenBucket | undefined = enforcedTpm !== undefined ? perMinuteBucket(enforcedTpm, window, 0) : undefined;
  const inBucket: TokenBucket | undefined = opts.inputTpm !== undefined ? perMinuteBucket(opts.inputTpm, window, 0) : undefined;
  const outBucket: TokenBucket | undefined = opts.outputTpm !== undefined ? perMinuteBucket(opts.outputTpm, window, 0) : undefined;
  const io = { ...(inBucket ? { input: [opts.inputTpm!, inBucket] as [number, TokenBucket] } : {}), ...(outBucket ? { output: [opts.outputTpm!, outBucket] as [number, TokenBucket] } : {}) };
  const rand = seededRandom(opts.seed ?? 1);
  const recordHeaders = (opts.recordHeaders ?? DEFAULT_RECORD).map((h) => h.toLowerCase());
  const required = (opts.requireHeaders ?? []).map((h) => h.toLowerCase());
  const maxArrivals = opts.maxArrivals ?? 1_000_000;
  const maxBodyBytes = opts.maxBodyBytes ?? MOCK_LIMITS.maxBodyBytes;
  const maxHeaderValues = opts.maxHeaderValues ?? MOCK_LIMITS.maxHeaderValues;
  const model = opts.model ?? 'mock-model';
  let stats: MockStats;
  const resetStats = () => {
    stats = { arrivals: [], total: 0, statuses: {}, headers: {}, connections: 0, coldStarts: 0, arrivalsDropped: 0 };
    // no prototype: a header value of "constructor" or "toString" is a key like any other
    for (const h of recordHeaders) stats.headers[h] = Object.create(null) as Record<string, number>;
  };
  resetStats();
  let lastArrival = -Infinity;
  let seq = 0;
  const fresh = new WeakSet<Socket>();
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();

  const count = (status: number) => {
    stats.statuses[String(status)] = (stats.statuses[String(status)] ?? 0) + 1;
  };

  const handleChat = (req: IncomingMessage, res: ServerResponse, arrival: number, raw: string) => {
    let body: unknown;
    try {
      body = raw ? JSON.parse(raw) : {};
    } catch {
      count(400);
      openAIError(res, 400, 'We could not parse the JSON body of your request.', 'invalid_request_error', null);
      return;
    }
    const missing = required.filter((h) => !req.headers[h]);
    if (missing.length > 0) {
      count(400);
      openAIError(res, 400, `missing required attribution header(s): ${missing.join(', ')}`, 'invalid_request_error', 'missing_attribution');
      return;
    }
    const tokens = estimateTokens(body);
    const need = tokens.prompt + tokens.completion;
    const t = arrival;
    const rpmOk = rpmBucket ? rpmBucket.available(t) >= 1 - 1e-9 : true;
    const tpmOk = tpmBucket ? tpmBucket.available(t) >= Math.min(need, tpmBucket.capacity) - 1e-9 : true;
    const inNeed = inBucket ? Math.min(tokens.prompt, inBucket.capacity) : 0;
    const outNeed = outBucket ? Math.min(tokens.completion, outBucket.capacity) : 0;
    const inOk = inBucket ? inBucket.available(t) >= inNeed - 1e-9 : true;
    const outOk = outBucket ? outBucket.available(t) >= outNeed - 1e-9 : true;
    const limitHeaders = (): Record<string, string> => rateLimitHeaders(opts.headerStyle ?? 'openai', t, statedRpm, rpmBucket, statedTpm, tpmBucket, { rpm: enforcedRpm, tpm: enforcedTpm }, io, opts.requestsPerWindow === true);
    if (!rpmOk || !tpmOk || !inOk || !outOk) {
      const by = !rpmOk ? 'requests' : !tpmOk ? 'tokens' : !inOk ? 'input_tokens' : 'output_tokens';
      const wait =
        by === 'requests' ? rpmBucket!.waitMs(1, t) : by === 'tokens' ? tpmBucket!.waitMs(Math.min(need, tpmBucket!.capacity), t) : by === 'input_tokens' ? inBucket!.waitMs(inNeed, t) : outBucket!.waitMs(outNeed, t);
      count(429);
      const message =
        by === 'requests'
          ? `Rate limit reached for requests on ${model}: Limit ${enforcedRpm}, Used ${enforcedRpm}, Requested 1. Please try again in ${formatReset(wait)}.`
          : by === 'tokens'
            ? `Rate limit reached for tokens on ${model}: Limit ${enforcedTpm}, Requested ${need}. Please try again in ${formatReset(wait)}.`
            : `Rate limit reached for ${by === 'input_tokens' ? 'input' : 'output'} tokens per minute on ${model}: Limit ${by === 'input_tokens' ? opts.inputTpm : opts.outputTpm}, Requested ${by === 'input_tokens' ? tokens.prompt : tokens.completion}. Please try again in ${formatReset(wait)}.`;
      openAIError(res, 429, message, by, 'rate_limit_exceeded', {
        'retry-after': String(Math.max(1, Math.ceil(wait / 1000))),
        'retry-after-ms': String(Math.ceil(wait)),
        ...limitHeaders(),
      });
      return;
    }
    rpmBucket?.take(1, t);
    tpmBucket?.take(Math.min(need, tpmBucket.capacity), t);
    inBucket?.take(inNeed, t);
    outBucket?.take(outNeed, t);
    const headers = limitHeaders();
    let delay = (opts.latencyMs ?? 0) + (opts.jitterMs ? rand() * opts.jitterMs : 0);
    const sock = req.socket;
    const idle = arrival - lastArrival;
    const cold = opts.coldStartMs !== undefined && (fresh.has(sock) || idle >= (opts.coldIdleMs ?? 10_000));
    fresh.delete(sock);
    lastArrival = arrival;
    if (cold) {
      delay += opts.coldStartMs ?? 0;
      stats.coldStarts++;
    }
    const fault = opts.faultRate !== undefined && opts.faultRate > 0 && rand() < opts.faultRate;
    const respond = () => {
      if (res.destroyed) return;
      if (fault) {
        count(500);
        openAIError(res, 500, 'The server had an error while processing your request. Sorry about that!', 'server_error', null, headers);
        return;
      }
      count(200);
      const id = `chatcmpl-mock-${++seq}`;
      if (body && typeof body === 'object' && (body as { stream?: unknown }).stream === true) {
        const includeUsage = Boolean((body as { stream_options?: { include_usage?: unknown } }).stream_options?.include_usage);
        const n = Math.max(1, Math.floor(opts.outputTokens ?? Math.min(16, Math.max(1, tokens.completion))));
        const cut = opts.streamFaultRate !== undefined && opts.streamFaultRate > 0 && rand() < opts.streamFaultRate;
        streamCompletion(res, { id, model, n, ttftMs: opts.streamTtftMs ?? 0, itlMs: opts.itlMs ?? 0, includeUsage, cut, prompt: tokens.prompt, headers: { 'x-request-id': id, ...headers }, timers });
        return;
      }
      const out = JSON.stringify({
        id,
        object: 'chat.completion',
        created: Math.floor(Date.now() / 1000),
        model,
        choices: [{ index: 0, message: { role: 'assistant', content: 'ok' }, finish_reason: 'stop', logprobs: null }],
        usage: { prompt_tokens: tokens.prompt, completion_tokens: tokens.completion, total_tokens: need },
      });
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(out), 'x-request-id': id, ...headers });
      res.end(out);
    };
    if (delay <= 0) respond();
    else {
      const timer = setTimeout(() => {
        timers.delete(timer);
        respond();
      }, delay);
      timers.add(timer);
    }
  };

  const server = createServer({ keepAliveTimeout: 30_000, headersTimeout: headersTimeoutMs, requestTimeout: requestTimeoutMs, connectionsCheckingInterval: timeoutCheckInterval(headersTimeoutMs, requestTimeoutMs) }, (req, res) => {
    const arrival = now();
    const url = (req.url ?? '/').split('?')[0];
    if (req.method === 'GET' && url === '/stats') {
      const out = JSON.stringify(stats);
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(out) });
      res.end(out);
      return;
    }
    if (req.method === 'GET' && (url === '/' || url === '/health')) {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('mock provider ok');
      return;
    }
    if (req.method === 'POST' && /\/(v1\/)?chat\/completions$/.test(url)) {
      if (stats.arrivals.length < maxArrivals) stats.arrivals.push(arrival);
      else stats.arrivalsDropped++;
      stats.total++;
      for (const h of recordHeaders) {
        const v = req.headers[h];
        const seen = stats.headers[h];
        let key = typeof v === 'string' ? v.slice(0, MOCK_LIMITS.headerValueChars) : '';
        if (!Object.hasOwn(seen, key) && Object.keys(seen).length >= maxHeaderValues) key = OTHER_VALUES;
        seen[key] = (Object.hasOwn(seen, key) ? seen[key] : 0) + 1;
      }
      const tooLarge = () => {
        count(413);
        res.setHeader('connection', 'close');
        openAIError(res, 413, `request body over the mock's ${maxBodyBytes}-byte limit`, 'invalid_request_error', 'request_too_large');
        // stop reading: the rest of the body is discarded with the connection
        res.on('finish', () => req.destroy());
      };
      if (Number(req.headers['content-length'] ?? 0) > maxBodyBytes) {
        tooLarge();
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      let refused = false;
      req.on('data', (c: Buffer) => {
        if (refused) return;
        size += c.length;
        if (size > maxBodyBytes) {
          refused = true;
          chunks.length = 0;
          tooLarge();
          return;
        }
        chunks.push(c);
      });
      req.on('error', () => undefined);
      req.on('end', () => {
        if (!refused) handleChat(req, res, arrival, Buffer.concat(chunks).toString('utf8'));
      });
      return;
    }
    count(404);
    openAIError(res, 404, `Unknown request URL: ${req.method} ${url}`, 'invalid_request_error', 'unknown_url');
  });
  server.on('connection', (s: Socket) => {
    stats.connections++;
    fresh.add(s);
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => {
      // a busy port or an address this machine does not have is the user's to fix: exit 2, no stack trace
      const why: Record<string, string> = { EADDRINUSE: 'the port is already in use', EADDRNOTAVAIL: 'this machine has no such address', EACCES: 'permission denied' };
      reject(why[err.code ?? ''] ? new UsageError(`mock provider cannot listen on ${host}:${opts.port ?? 0}: ${why[err.code ?? '']} (${err.code})`) : err);
    });
    // the address checked above, not the name: a second lookup could answer differently
    server.listen(opts.port ?? 0, bindTo, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const hostInUrl = host.includes(':') ? `[${host}]` : host;
  const base = `http://${hostInUrl}:${port}/v1`;
  return {
    url: base,
    chatUrl: `${base}/chat/completions`,
    port,
    stats: () => structuredClone(stats),
    resetStats,
    close: () =>
      new Promise<void>((resolve) => {
        for (const t of timers) clearTimeout(t);
        timers.clear();
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      }),
  };
}
