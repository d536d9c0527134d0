// The loopback guard resolves a name before judging it, requires every address to be loopback, and
// connects to the address it checked. A fake resolver stands in for DNS: no packet leaves the machine.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import type { CliIO } from '../../src/cli/io.js';
import { buildModel } from '../../src/manifest/model.js';
import { probeForCli } from '../../src/probe/session.js';
import type { LookupAll } from '../../src/util/net.js';
import { patched } from '../helpers/manifest.js';

const io = (): CliIO & { err: () => string } => {
  let err = '';
  return { stdout: () => undefined, stderr: (t) => void (err += t), env: {}, cwd: process.cwd(), isTTY: { stdout: false, stderr: false }, err: () => err };
};

const model = (target: string) => buildModel(patched({ set: { 'traffic.peakRpm': 600, 'probe.target': target } }).manifest);
const fake = (answers: Record<string, string[]>, asked: string[]): LookupAll => async (h) => {
  asked.push(h);
  return (answers[h] ?? []).map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
};

for (const [what, answer] of [
  ['a .localhost name that resolves to a remote address', ['203.0.113.7']],
  ['a name with one loopback and one remote address', ['127.0.0.1', '203.0.113.7']],
  ['a name resolving to an IPv4-mapped remote address', ['::ffff:203.0.113.7']],
] as const) {
  test(`guard: ${what} is refused without --allow-remote, before any connection`, async () => {
    const asked: string[] = [];
    const o = io();
    await assert.rejects(
      probeForCli(model('http://evil.localhost:4000'), { duration: 1, coldConnections: 0 }, o, new AbortController().signal, { lookupAll: fake({ 'evil.localhost': [...answer] }, asked) }),
      /evil\.localhost is not a loopback address.*--allow-remote/s,
    );
    assert.deepEqual(asked, ['evil.localhost']);
  });
}

test('guard: a name that resolves to loopback is probed at the address that was checked, not re-resolved', async (t) => {
  let requests = 0;
  const server = createServer((req, res) => {
    requests++;
    req.resume();
    req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end('{"usage":{"prompt_tokens":1,"completion_tokens":1}}'));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  t.after(() => new Promise<void>((r) => server.close(() => r())));
  server.unref();
  const port = (server.address() as AddressInfo).port;
  const asked: string[] = [];
  // the system resolver would send *.localhost to DNS here; only the fake resolver knows this name
  const { evidence } = await probeForCli(model(`http://rehearsal.readiness-test.localhost:${port}`), { duration: 1, coldConnections: 2, burstFactor: 1 }, io(), new AbortController().signal, {
    lookupAll: fake({ 'rehearsal.readiness-test.localhost': ['127.0.0.1'] }, asked),
  });
  assert.deepEqual(asked, ['rehearsal.readiness-test.localhost']);
  const steady = evidence.phases.find((p) => p.name === 'steady');
  assert.ok(steady && steady.responses > 0, JSON.stringify(evidence.phases));
  assert.equal(evidence.phases.find((p) => p.name === 'cold')?.responses, 2);
  assert.ok(requests >= steady.responses + 2);
});

test('guard: an unresolvable target host is a usage error, not a crash', async () => {
  await assert.rejects(
    probeForCli(model('http://nowhere.localhost:4000'), { duration: 1 }, io(), new AbortController().signal, {
      lookupAll: async () => {
        throw Object.assign(new Error('not found'), { code: 'ENOTFOUND' });
      },
    }),
    /cannot resolve the probe target's host nowhere\.localhost: ENOTFOUND/,
  );
});
