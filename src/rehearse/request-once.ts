import { Client } from 'undici';

/**
 * One HTTP request on a connection of its own, closed afterwards. The rehearsal talks to its gateway
 * this way rather than with the global fetch(): Node's fetch keeps a connection pool per origin in
 * undici's global Agent for the life of the process (its `Map` of origins, seen in a heap snapshot of
 * bench/soak.mjs), and every rehearsal's gateway listens on a new port, so a long-lived process (the
 * soak, a library user rehearsing in a loop) kept one pool, and its closed clients, per rehearsal.
 */
export async function requestOnce(
  url: string,
  opts: { method?: 'GET' | 'POST'; headers?: Record<string, string>; body?: string; timeoutMs: number },
): Promise<{ status: number; body: string }> {
  const u = new URL(url);
  const client = new Client(u.origin, { headersTimeout: opts.timeoutMs, bodyTimeout: opts.timeoutMs });
  try {
    const res = await client.request({
      path: `${u.pathname}${u.search}`,
      method: opts.method ?? 'GET',
      headers: opts.headers,
      body: opts.body,
      signal: AbortSignal.timeout(opts.timeoutMs),
    });
    return { status: res.statusCode, body: await res.body.text() };
  } finally {
    await client.destroy().catch(() => undefined);
  }
}
