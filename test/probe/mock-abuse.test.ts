// The mock provider under abuse: bodies capped (413), /stats bounded, header values kept intact,
// clear exit 2 on a busy port or an absurd latency, normal requests served meanwhile.
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { connect, createServer, type Socket } from 'node:net';
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
  // a name other than localhost is refused by its spelling, before any lookup (so this never reaches DNS)
  const h = await runInProcess(['mock-provider', '--host', 'nowhere.invalid', '--duration', '0.1']);
  assert.equal(h.code, 2);
  assert.match(h.stderr, /loopback only \(127\.0\.0\.1, ::1 or localhost\), not nowhere\.invalid/);
});

test('mock: localhost is resolved before binding: a resolver failure is a clear usage error, a non-loopback answer is refused', async () => {
  const asked: string[] = [];
  const failing = async (name: string) => {
    asked.push(name);
    throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${name}`), { code: 'ENOTFOUND' });
  };
  await assert.rejects(startMockProvider({ host: 'localhost', lookupAll: failing }), (err: Error) => {
    assert.equal(err.name, 'UsageError');
    assert.equal(err.message, 'mock provider cannot listen on localhost:0: the host name does not resolve (ENOTFOUND)');
    return true;
  });
  assert.deepEqual(asked, ['localhost'], 'the resolver was asked for localhost');
  await assert.rejects(
    startMockProvider({ host: 'localhost', lookupAll: async () => [{ address: '127.0.0.1', family: 4 }, { address: '192.0.2.7', family: 4 }] }),
    /binds loopback only: localhost resolves to 192\.0\.2\.7, not loopback/,
  );
  await assert.rejects(startMockProvider({ host: 'localhost', lookupAll: async () => [] }), /the host name has no address \(ENODATA\)/);
  // a loopback answer is bound, and the URL keeps the name
  const mock = await startMockProvider({ host: 'localhost', lookupAll: async () => [{ address: '127.0.0.1', family: 4 }] });
  try {
    assert.match(mock.url, /^http:\/\/localhost:\d+\/v1$/);
    assert.equal((await fetch(`http://127.0.0.1:${mock.port}/health`)).status, 200);
  } finally {
    await mock.close();
  }
});

/** A raw connection that sends `first` and then, every `everyMs`, one more byte of `trickle`; its answer and whether the server closed it. */
function slowClient(port: number, first: string, trickle = '', everyMs = 50) {
  const sock: Socket = connect(port, '127.0.0.1');
  let answer = '';
  let i = 0;
  let timer: NodeJS.Timeout | undefined;
  const closed = new Promise<string>((resolve) => {
    sock.on('data', (d) => (answer += d.toString('latin1')));
    sock.on('error', () => undefined);
    sock.on('close', () => {
      clearInterval(timer);
      resolve(answer);
    });
  });
  sock.write(first);
  if (trickle) timer = setInterval(() => i < trickle.length && sock.write(trickle[i++]), everyMs);
  return { sock, closed, isOpen: () => !sock.destroyed && answer === '', end: () => (clearInterval(timer), sock.destroy()) };
}

test('mock: headersTimeoutMs and requestTimeoutMs cut off a slow client with 408; a mock with the defaults still waits for it', async (t) => {
  assert.equal(MOCK_LIMITS.headersTimeoutMs, 10_000);
  assert.equal(MOCK_LIMITS.requestTimeoutMs, 30_000);
  const quick = await startMockProvider({ headersTimeoutMs: 200, requestTimeoutMs: 600 });
  const patient = await startMockProvider();
  t.after(() => Promise.all([quick.close(), patient.close()]));
  // headers never finished: a header line every 50 ms, for ever
  const partial = 'POST /v1/chat/completions HTTP/1.1\r\nhost: 127.0.0.1\r\n';
  const dribble = 'x-team-id: a\r\n'.repeat(1000);
  const [slowHeaders, control] = [slowClient(quick.port, partial, dribble), slowClient(patient.port, partial, dribble)];
  t.after(() => control.end());
  assert.match(await slowHeaders.closed, /^HTTP\/1\.1 408 Request Timeout/);
  assert.ok(control.isOpen(), 'the mock with the default 10 s still holds its slow client');
  // headers on time, then a body of 1,000 bytes a byte every 50 ms: cut off by the request timeout
  const head = `POST /v1/chat/completions HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n\r\n`;
  const [slowBody, control2] = [slowClient(quick.port, head, ' '.repeat(1000)), slowClient(patient.port, head, ' '.repeat(1000))];
  t.after(() => control2.end());
  assert.match(await slowBody.closed, /^HTTP\/1\.1 408 Request Timeout/);
  assert.ok(control2.isOpen(), 'the mock with the default 30 s still reads its slow body');
  assert.equal(quick.stats().statuses['200'], undefined, 'nothing was answered as if complete');
  // a request on time is served as ever
  assert.equal((await fetch(quick.chatUrl, { method: 'POST', body: chat })).status, 200);
});

test('mock: a headers timeout longer than the request timeout, or not a positive number, is refused', async () => {
  await assert.rejects(startMockProvider({ headersTimeoutMs: 5000, requestTimeoutMs: 1000 }), /headersTimeoutMs \(5000\) may not exceed requestTimeoutMs \(1000\)/);
  await assert.rejects(startMockProvider({ headersTimeoutMs: 0 }), /headersTimeoutMs must be a number of milliseconds >= 1/);
  await assert.rejects(startMockProvider({ requestTimeoutMs: Number.NaN }), /requestTimeoutMs must be a number/);
});
