import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TokenBucket, perMinuteBucket, seededRandom } from '../../src/mock/bucket.js';
import { estimateTokens, formatReset, startMockProvider } from '../../src/mock/provider.js';
import { UsageError } from '../../src/util/errors.js';

const chat = (maxTokens = 10, content = 'hello') => JSON.stringify({ model: 'm', messages: [{ role: 'user', content }], max_tokens: maxTokens });

async function post(url: string, body = chat(), headers: Record<string, string> = {}) {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  return { status: res.status, headers: res.headers, body: (await res.json()) as any };
}

test('token bucket: starts full, refuses when empty, refills at its rate on the given clock', () => {
  const b = new TokenBucket(2, 0.001, 0);
  assert.ok(b.take(1, 0));
  assert.ok(b.take(1, 0));
  assert.equal(b.take(1, 0), false);
  assert.equal(b.waitMs(1, 0), 1000);
  assert.equal(b.take(1, 999), false);
  assert.ok(b.take(1, 1000));
  assert.equal(b.fullInMs(1000), 2000);
  // a per-minute limit metered per second: 600 rpm holds 10 at once
  const pm = perMinuteBucket(600, 1, 0);
  assert.equal(pm.capacity, 10);
  assert.equal(perMinuteBucket(6, 1, 0).capacity, 1);
});

test('seeded random is reproducible and in [0, 1)', () => {
  const a = seededRandom(7);
  const b = seededRandom(7);
  const xs = Array.from({ length: 100 }, () => a());
  assert.deepEqual(xs, Array.from({ length: 100 }, () => b()));
  assert.ok(xs.every((x) => x >= 0 && x < 1));
  assert.notDeepEqual(xs, Array.from({ length: 100 }, seededRandom(8)));
});

test('reset times are formatted as OpenAI does', () => {
  assert.equal(formatReset(120.2), '121ms');
  assert.equal(formatReset(1500), '1.5s');
  assert.equal(formatReset(360_000), '6m0s');
  assert.deepEqual(estimateTokens(JSON.parse(chat(400, 'x'.repeat(7200)))), { prompt: 1800, completion: 400 });
});

test('refuses to bind anything but loopback', async () => {
  await assert.rejects(startMockProvider({ host: '0.0.0.0' }), UsageError);
  await assert.rejects(startMockProvider({ host: '192.0.2.1' }), UsageError);
});

test('answers chat completions, then OpenAI-shaped 429s once the rpm bucket is empty', async (t) => {
  const mock = await startMockProvider({ rpm: 120, windowSeconds: 1 }); // 2 per second
  t.after(() => mock.close());
  const ok = await post(mock.chatUrl, chat(10, 'abcd'));
  assert.equal(ok.status, 200);
  assert.equal(ok.body.object, 'chat.completion');
  assert.equal(ok.body.choices[0].message.role, 'assistant');
  assert.deepEqual(ok.body.usage, { prompt_tokens: 1, completion_tokens: 10, total_tokens: 11 });
  assert.equal(ok.headers.get('x-ratelimit-limit-requests'), '120');
  assert.equal((await post(mock.chatUrl)).status, 200);
  const limited = await post(mock.chatUrl);
  assert.equal(limited.status, 429);
  assert.equal(limited.body.error.code, 'rate_limit_exceeded');
  assert.equal(limited.body.error.type, 'requests');
  assert.equal(limited.body.error.param, null);
  assert.match(limited.body.error.message, /^Rate limit reached for requests/);
  assert.ok(Number(limited.headers.get('retry-after')) >= 1);
  assert.equal(limited.headers.get('x-ratelimit-limit-requests'), '120');
  assert.equal(limited.headers.get('x-ratelimit-remaining-requests'), '0');
  assert.match(limited.headers.get('x-ratelimit-reset-requests') ?? '', /^\d+(ms|(\.\d+)?s)$/);
  const stats = mock.stats();
  assert.equal(stats.total, 3);
  assert.deepEqual(stats.statuses, { '200': 2, '429': 1 });
  assert.equal(stats.arrivals.length, 3);
  assert.ok(stats.arrivals[0] <= stats.arrivals[1] && stats.arrivals[1] <= stats.arrivals[2]);
  const viaHttp = (await (await fetch(mock.url.replace(/\/v1$/, '/stats'))).json()) as any;
  assert.equal(viaHttp.total, 3);
});

test('tpm limit: a request bigger than what is left gets a tokens 429 with x-ratelimit-*-tokens', async (t) => {
  const mock = await startMockProvider({ tpm: 6000, windowSeconds: 1 }); // 100 tokens per second
  t.after(() => mock.close());
  assert.equal((await post(mock.chatUrl, chat(60))).status, 200);
  const r = await post(mock.chatUrl, chat(60));
  assert.equal(r.status, 429);
  assert.equal(r.body.error.type, 'tokens');
  assert.equal(r.headers.get('x-ratelimit-limit-tokens'), '6000');
  assert.ok(r.headers.get('x-ratelimit-remaining-tokens') !== null);
  assert.ok(r.headers.get('x-ratelimit-reset-tokens') !== null);
});

test('fault injection, required headers, header counts and cold starts', async (t) => {
  const faulty = await startMockProvider({ faultRate: 1 });
  t.after(() => faulty.close());
  const f = await post(faulty.chatUrl);
  assert.equal(f.status, 500);
  assert.equal(f.body.error.type, 'server_error');
  const none = await startMockProvider({ faultRate: 0, requireHeaders: ['x-team-id'], coldStartMs: 1 });
  t.after(() => none.close());
  const refused = await post(none.chatUrl);
  assert.equal(refused.status, 400);
  assert.equal(refused.body.error.code, 'missing_attribution');
  assert.equal((await post(none.chatUrl, chat(), { 'x-team-id': 'research' })).status, 200);
  const s = none.stats();
  assert.deepEqual(s.headers['x-team-id'], { '': 1, research: 1 });
  assert.equal(s.coldStarts, 1, 'the first admitted request on a fresh connection is cold');
  assert.equal((await fetch(none.url.replace(/\/v1$/, '/nope'))).status, 404);
});
