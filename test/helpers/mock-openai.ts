import { type IncomingMessage, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A minimal OpenAI-compatible provider for gateway tests: POST /v1/chat/completions answers a chat
 * completion naming this mock, or 429 with retry-after when `limited`. Binds 127.0.0.1 on a free port,
 * refuses more than `maxRequests` requests (503) so a runaway retry loop cannot hang a test, and
 * records what it received (auth header, metadata headers) for assertions.
 */
export interface MockProvider {
  name: string;
  port: number;
  /** base URL including /v1, as Portkey's custom_host needs */
  baseUrl: string;
  requests: Array<{ path: string; authorization?: string; body: unknown }>;
  limited: boolean;
  /** when true, a chat request is never answered (until the client gives up or the mock stops): a hung provider */
  hang: boolean;
  stop: () => Promise<void>;
}

export interface MockOptions {
  name: string;
  limited?: boolean;
  maxRequests?: number;
  /** retry-after-ms sent with a 429 (Portkey reads retry-after-ms before retry-after) */
  retryAfterMs?: number;
}

export async function startMockProvider(opts: MockOptions): Promise<MockProvider> {
  const maxRequests = opts.maxRequests ?? 200;
  const requests: MockProvider['requests'] = [];
  const handle = (req: IncomingMessage, res: ServerResponse, raw: string) => {
    let body: unknown;
    try {
      body = JSON.parse(raw);
    } catch {
      body = raw;
    }
    requests.push({ path: req.url ?? '', authorization: req.headers.authorization, body });
    const send = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify(payload));
    };
    if (requests.length > maxRequests) return send(503, { error: { message: `mock ${opts.name}: request budget exhausted`, type: 'mock_exhausted' } });
    if (req.method !== 'POST' || !(req.url ?? '').endsWith('/chat/completions')) return send(404, { error: { message: 'not found' } });
    if (mock.hang) return; // the connection stays open with no answer; stop() closes it
    if (mock.limited) {
      return send(
        429,
        { error: { message: `mock ${opts.name}: rate limit reached`, type: 'rate_limit_error', code: 'rate_limit_exceeded' } },
        { 'retry-after': '1', 'retry-after-ms': String(opts.retryAfterMs ?? 50) },
      );
    }
    const model = (body as { model?: string } | undefined)?.model ?? 'mock-model';
    send(200, {
      id: `chatcmpl-${opts.name}-${requests.length}`,
      object: 'chat.completion',
      created: 1_700_000_000,
      model,
      choices: [{ index: 0, message: { role: 'assistant', content: `served by ${opts.name}` }, finish_reason: 'stop' }],
      usage: { prompt_tokens: 5, completion_tokens: 3, total_tokens: 8 },
    });
  };
  const server = createServer((req, res) => {
    let raw = '';
    req.setEncoding('utf8');
    req.on('data', (d: string) => {
      if (raw.length < 1_000_000) raw += d;
    });
    req.on('end', () => handle(req, res, raw));
  });
  server.requestTimeout = 10_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const mock: MockProvider = {
    name: opts.name,
    port,
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    limited: opts.limited ?? false,
    hang: false,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return mock;
}
