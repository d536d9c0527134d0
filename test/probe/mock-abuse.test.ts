// The mock provider under abuse: bodies capped (413), /stats bounded, header values kept intact,
// clear exit 2 on a busy port or an absurd latency, normal requests served meanwhile.
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { test } from 'node:test';
import { MOCK_LIMITS, OTHER_VALUES, startMockProvider } from '../../src/mock/provider.js';
import { runInProcess } from '../helpers/cli.js';

const chat = JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'hi' }], max_tokens: 4 });

test('mock: a body over the cap gets 413, declared or streamed, and normal requests are served meanwhile', async (t) => {
  const mock = await startMockProvider({ maxBodyBytes: 64 * 1024 });
  t.after(() => mock.close());
  const declared = await fetch(mock.chatUrl, { method: 'POST', body: 'x'.repeat(65 * 1024), headers: { 'content-type': 'application/json' } });
  assert.equal(declared.status, 413);
  // chunked, no length: 50 MiB offered in 64 KiB chunks; the mock answers 413 after the cap, reading no further
  const streamed = await new Promise<number>((resolve, reject) => {
    const req = request(mock.chatUrl, { method: 'POST', headers: { 'transfer-encoding': 'chunked' } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', () => undefined);
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    let sent = 0;
    const pump = () => {
      while (sent < 800) {
        sent++;
        if (!req.write(chunk)) return void req.once('drain', pump);
      }
      req.end();
    };
    pump();
    setTimeout(() => reject(new Error('no answer')), 20_000).unref();
  });
  assert.equal(streamed, 413);
  const ok = await Promise.all(Array.from({ length: 20 }, () => fetch(mock.chatUrl, { method: 'POST', body: chat }).then((r) => r.status)));
  assert.deepEqual([...new Set(ok)], [200]);
  assert.equal(mock.stats().statuses['413'], 2);
});

test('mock: /stats keeps at most maxHeaderValues values per header; "constructor" and "toString" are counted intact', async (t) => {
  const mock = await startMockProvider({ maxHeaderValues: 50 });
  t.after(() => mock.close());
  for (const v of ['constructor', 'toString', '__proto__', 'constructor']) {
    assert.equal((await fetch(mock.chatUrl, { method: 'POST', body: chat, headers: { 'x-team-id': v } })).status, 200);
  }
  for (let i = 0; i < 120; i++) await (await fetch(mock.chatUrl, { method: 'POST', body: chat, headers: { 'x-team-id': `t${i}-${'v'.repeat(2000)}` } })).text();
  const teams = mock.stats().headers['x-team-id'];
  assert.equal(teams.constructor, 2);
  assert.equal(teams.toString, 1);
  assert.equal(teams.__proto__, 1);
  assert.equal(Object.keys(teams).length, 51);
  assert.equal(teams[OTHER_VALUES], 120 - (50 - 3));
  assert.ok(Object.keys(teams).every((k) => k.length <= MOCK_LIMITS.headerValueChars));
});

test('mock-provider: a busy port and an absurd --latency-ms are exit 2 with a clear message', async (t) => {
  const busy = createServer();
  await new Promise<void>((r) => busy.listen(0, '127.0.0.1', r));
  t.after(() => busy.close());
  const port = (busy.address() as { port: number }).port;
  const r = await runInProcess(['mock-provider', '--port', String(port), '--duration', '0.1']);
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, /the port is already in use \(EADDRINUSE\)/);
  assert.doesNotMatch(r.stderr, /at .*\.js/);
  const l = await runInProcess(['mock-provider', '--latency-ms', '1e12', '--duration', '0.1']);
  assert.equal(l.code, 2);
  assert.match(l.stderr, /--latency-ms must be a number from 0 to 600000/);
  const h = await runInProcess(['mock-provider', '--host', 'nowhere.invalid', '--duration', '0.1']);
  assert.equal(h.code, 2);
  assert.match(h.stderr, /loopback only/);
});
