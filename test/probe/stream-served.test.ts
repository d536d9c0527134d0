import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test, type TestContext } from 'node:test';
import { failover } from '../../src/checks/failover.js';
import { rateLimitSizing } from '../../src/checks/rate-limit-sizing.js';
import { probeEvidenceSet } from '../../src/evidence/from-probe.js';
import type { EvidenceSet } from '../../src/evidence/types.js';
import { buildModel } from '../../src/manifest/model.js';
import { buildPlan } from '../../src/probe/plan.js';
import { runProbe } from '../../src/probe/run.js';
import { portkeyStreamingAdvice, portkeyStreamingBroken } from '../../src/gateway/portkey/streaming.js';
import { portkeyNodeServerVersion } from '../../src/rehearse/gateway.js';
import { startRehearsal } from '../../src/rehearse/run.js';
import { GATEWAY_SCRIPT } from '../helpers/portkey-gateway.js';
import { patched } from '../helpers/manifest.js';

// peak 1,200 rpm (20 req/s); the primary's mock holds 120 rpm (a bucket of 2, refilled at 2/s), the backup's
// 6,000: however slowly a loaded machine lets the gateway pass requests on, Portkey must fall back on 429
const SET = {
  'traffic.peakRpm': 1200,
  'providers[0].limits': { rpm: 120, tpm: 100_000_000 },
  'providers[1].limits': { rpm: 6000, tpm: 100_000_000 },
};

test('through the real Portkey gateway the probe reports who served each request and when failover began', async (t) => {
    const stream = false;
    const loaded = patched({ set: SET });
    const model = buildModel(loaded.manifest);
    const r = await startRehearsal(model, { latencyMs: 10, jitterMs: 10, gatewayStartMs: 60_000, mock: { streamTtftMs: 30, itlMs: 10, outputTokens: 5 } });
    t.after(() => r.stop());
    const plan = buildPlan(model, { target: r.gatewayUrl, headers: r.headers, phases: ['steady'], durationSeconds: 3, untagged: false, gatewayKind: 'portkey', stream });
    assert.deepEqual(plan.chain, ['openai-main', 'anthropic-backup']);
    const ev = await runProbe(plan);
    const steady = ev.phases.find((p) => p.name === 'steady')!;
    assert.equal(steady.count429, 0, JSON.stringify(steady.statuses));
    assert.equal(steady.responses, 60, JSON.stringify(steady));
    // the gateway's x-portkey-last-used-option-index names the target: both served, the backup from some point on
    const served = steady.servedBy ?? {};
    assert.ok((served['openai-main'] ?? 0) > 0 && (served['anthropic-backup'] ?? 0) > 0, JSON.stringify(served));
    assert.equal((served['openai-main'] ?? 0) + (served['anthropic-backup'] ?? 0), 60);
    assert.equal(typeof steady.failoverStartSeconds, 'number');
    // the primary's bucket of 2 runs dry within the first few requests
    assert.ok(steady.failoverStartSeconds! >= 0 && steady.failoverStartSeconds! <= 6, `failover from ${steady.failoverStartSeconds} s`);
    // the mocks agree: the primary refused with 429 what the backup served
    const [primary, backup] = r.providers.map((p) => p.mock.stats());
    assert.ok((primary.statuses['429'] ?? 0) > 0);
    assert.equal(backup.statuses['200'], served['anthropic-backup']);
    // as evidence: a failover target served while the primary was rate-limited, and the failover check says so
    const set = probeEvidenceSet(ev);
    const o = set.observations.find((x) => x.figure === 'failover.servedBySecondary');
    assert.equal(o?.value, true, JSON.stringify(set.observations));
    const fs = failover.run({ model, evidence: [set] });
    const f = fs.find((x) => x.decidedBy?.kind === 'probe');
    assert.equal(f?.status, 'pass', JSON.stringify(fs));
});

/**
 * Streamed, served as declared: both targets serve, the backup from the moment the primary's bucket runs dry, the
 * primary's 429s never reach the client, and every stream is whole (time to first token measured, no cut stream).
 */
async function assertStreamsServed(gatewayScript: string | undefined): Promise<void> {
  const model = buildModel(patched({ set: SET }).manifest);
  const r = await startRehearsal(model, { latencyMs: 10, jitterMs: 10, gatewayStartMs: 60_000, gatewayScript, mock: { streamTtftMs: 30, itlMs: 10, outputTokens: 5 } });
  try {
    assert.equal(r.nodeServer?.streamingBroken, false, JSON.stringify(r.nodeServer));
    const plan = buildPlan(model, { target: r.gatewayUrl, headers: r.headers, phases: ['steady'], durationSeconds: 3, untagged: false, gatewayKind: 'portkey', stream: true });
    const ev = await runProbe(plan);
    const steady = ev.phases.find((p) => p.name === 'steady')!;
    assert.deepEqual(steady.statuses, { '200': 60 }, JSON.stringify(steady));
    assert.equal(steady.streamErrors ?? 0, 0);
    assert.ok((steady.ttftMs?.p50 ?? 0) >= 30, JSON.stringify(steady.ttftMs));
    const served = steady.servedBy ?? {};
    assert.ok((served['openai-main'] ?? 0) > 0 && (served['anthropic-backup'] ?? 0) > 0, JSON.stringify(served));
    assert.equal((served['openai-main'] ?? 0) + (served['anthropic-backup'] ?? 0), 60);
    assert.equal(typeof steady.failoverStartSeconds, 'number');
    assert.ok(steady.failoverStartSeconds! >= 0 && steady.failoverStartSeconds! <= 6, `failover from ${steady.failoverStartSeconds} s`);
    // fallback on 429 under streaming: the primary refused, the client saw none of it, the backup served the rest
    const [primary, backup] = r.providers.map((p) => p.mock.stats());
    assert.ok((primary.statuses['429'] ?? 0) > 0, JSON.stringify(primary.statuses));
    assert.equal(steady.count429, 0);
    assert.equal(backup.statuses['200'], served['anthropic-backup']);
    const o = probeEvidenceSet(ev).observations.find((x) => x.figure === 'failover.servedBySecondary');
    assert.equal(o?.value, true);
  } finally {
    await r.stop();
  }
}

test('which @hono/node-server versions break streaming through the Portkey gateway (measured: 1.14.1 and 2.0.12 stream, 1.14.2 to 2.0.11 fail)', () => {
  for (const v of ['1.13.5', '1.14.0', '1.14.1', '2.0.12', '2.1.0', '2.1.9', '3.0.0']) assert.equal(portkeyStreamingBroken(v), false, v);
  for (const v of ['1.14.2', '1.14.3', '1.19.19', '2.0.0', '2.0.6', '2.0.11']) assert.equal(portkeyStreamingBroken(v), true, v);
  assert.equal(portkeyStreamingBroken('latest'), undefined);
  assert.match(portkeyStreamingAdvice('1.19.19'), /@hono\/node-server 1\.19\.19: .*answered 500 .*issues\/1389.*pin @hono\/node-server 1\.13\.5 and @hono\/node-ws 1\.2\.0/);
});

/**
 * Streamed through a Portkey gateway as installed: with a @hono/node-server that breaks streams every request is a
 * gateway exception the probe counts as an error and rate-limit-sizing names; with one that streams, the streams are
 * served as declared.
 */
async function assertInstalledGatewayStreams(t: TestContext, gatewayScript: string): Promise<void> {
  // Portkey-AI/gateway#1389: the gateway's updateHeaders() appends x-portkey-* to a Response whose headers are the
  // provider's fetch() answer's, immutable under @hono/node-server 1.14.2 to 2.0.11 (src/gateway/portkey/streaming.ts).
  // When the installed pair is fixed (a gateway that no longer mutates, or a pinned @hono/node-server), the first
  // branch stops applying and the streams must be served as declared.
  const version = portkeyNodeServerVersion(gatewayScript);
  assert.ok(version, 'the gateway resolves a @hono/node-server');
  if (!portkeyStreamingBroken(version)) {
    await assertStreamsServed(gatewayScript);
    return;
  }
  const loaded = patched({ set: SET });
  const model = buildModel(loaded.manifest);
  const r = await startRehearsal(model, { latencyMs: 10, jitterMs: 10, gatewayStartMs: 60_000, gatewayScript, mock: { streamTtftMs: 30, itlMs: 10, outputTokens: 5 } });
  t.after(() => r.stop());
  assert.deepEqual(r.nodeServer, { version, streamingBroken: true });
  const plan = buildPlan(model, { target: r.gatewayUrl, headers: r.headers, phases: ['steady'], durationSeconds: 1, untagged: false, gatewayKind: 'portkey', stream: true });
  const ev = await runProbe(plan);
  const steady = ev.phases.find((p) => p.name === 'steady')!;
  assert.deepEqual(steady.statuses, { '500': 20 });
  assert.equal(steady.errorRate, 1);
  assert.equal(steady.servedBy, undefined);
  // each carried x-portkey-gateway-exception: true, which also stops Portkey's fallback chain; rate-limit-sizing says so
  assert.equal(steady.gatewayExceptions, 20);
  const fs = rateLimitSizing.run({ model, probe: ev, evidence: [] });
  const gx = fs.find((f) => /gateway's own exceptions/.test(f.message));
  assert.equal(gx?.status, 'warn');
  assert.match(gx!.message, /^probe: 20 responses were the gateway's own exceptions .*not failed over/);
  assert.match(gx!.remediation ?? '', /@hono\/node-server/);
  // the providers did answer: the failure is the gateway's, and it says why
  const primary = r.providers[0].mock.stats();
  assert.ok((primary.statuses['200'] ?? 0) > 0, JSON.stringify(primary.statuses));
  assert.match(r.gatewayOutput(), /TypeError: immutable[\s\S]*updateHeaders/);
}

test('streamed through the Portkey gateway this project installs (1.15.2, @hono/node-server pinned to 1.13.5 by package.json overrides): served-by shares, failover start and fallback on 429', async (t) => {
  await assertInstalledGatewayStreams(t, GATEWAY_SCRIPT);
  // the pin is what makes this the served branch: without it the installed pair is the broken one
  assert.equal(portkeyStreamingBroken(portkeyNodeServerVersion(GATEWAY_SCRIPT)!), false, 'package.json overrides pin @hono/node-server to a version that streams');
});

// Another installed gateway, e.g. one installed in a scratch folder WITHOUT the pin (npm install
// @portkey-ai/gateway@1.15.2 resolves @hono/node-server 1.19.19, which breaks streams), to see the broken branch:
// READINESS_PORTKEY_OTHER_GATEWAY=<that folder>/node_modules/@portkey-ai/gateway/build/start-server.js
const OTHER_GATEWAY = process.env.READINESS_PORTKEY_OTHER_GATEWAY;
test(
  'streamed through another installed Portkey gateway (READINESS_PORTKEY_OTHER_GATEWAY): the 500s diagnosed when its @hono/node-server breaks streams, the streams served when not',
  { skip: !OTHER_GATEWAY && 'set READINESS_PORTKEY_OTHER_GATEWAY to another installed gateway, e.g. one without the @hono/node-server pin' },
  async (t) => {
    await assertInstalledGatewayStreams(t, OTHER_GATEWAY!);
  },
);

test('failover declared automatic but nothing served by the secondary while the primary answered 429 fails, decided by the probe', () => {
  const model = buildModel(patched({}).manifest);
  const set: EvidenceSet = {
    origin: { kind: 'probe', description: 'probe of http://127.0.0.1:1/v1/chat/completions at 1200 rpm' },
    observations: [{ figure: 'failover.servedBySecondary', value: false, note: 'every response was served by openai-main although it answered 429' }],
  };
  const fs = failover.run({ model, evidence: [set] });
  const f = fs.find((x) => x.status === 'fail')!;
  assert.match(f.message, /declared automatic, but nothing was served by anthropic-backup while openai-main answered 429/);
  assert.equal(f.decidedBy?.kind, 'probe');
  // without evidence the declaration passes as before
  assert.deepEqual(failover.run({ model, evidence: [] }).map((x) => x.status), ['pass']);
});

test('a gateway answering streamed requests with its own exception (500, x-portkey-gateway-exception: true, as Portkey 1.15.2 under a @hono/node-server that breaks streams): counted as errors and gateway exceptions, rate-limit-sizing names the gateway and the pin', async (t) => {
  // shaped like the real broken gateway's answer (seen through it, see docs/probe.md): the body and header
  // its tryTargetsRecursively catch sends, src/gateway/portkey/headers.ts
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(500, { 'content-type': 'application/json', 'x-portkey-gateway-exception': 'true' });
      res.end('{"status":"failure","message":"Something went wrong"}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const port = (server.address() as AddressInfo).port;
  const model = buildModel(patched({ set: SET }).manifest);
  const plan = buildPlan(model, { target: `http://127.0.0.1:${port}/v1/chat/completions`, headers: {}, phases: ['steady'], durationSeconds: 1, untagged: false, gatewayKind: 'portkey', stream: true });
  const ev = await runProbe(plan);
  const steady = ev.phases.find((p) => p.name === 'steady')!;
  assert.deepEqual(steady.statuses, { '500': 20 });
  assert.equal(steady.gatewayExceptions, 20);
  const gx = rateLimitSizing.run({ model, probe: ev, evidence: [] }).find((f) => /gateway's own exceptions/.test(f.message));
  assert.equal(gx?.status, 'warn');
  assert.match(gx!.message, /^probe: 20 responses were the gateway's own exceptions .*not failed over/);
  assert.match(gx!.remediation ?? '', /@hono\/node-server/);
  // the same 500s without the header are the provider's, not the gateway's: no such finding
  const plain = createServer((req, res) => { req.resume(); req.on('end', () => { res.writeHead(500, { 'content-type': 'application/json' }); res.end('{}'); }); });
  await new Promise<void>((resolve) => plain.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => plain.close(() => resolve())));
  const ev2 = await runProbe(buildPlan(model, { target: `http://127.0.0.1:${(plain.address() as AddressInfo).port}/v1/chat/completions`, headers: {}, phases: ['steady'], durationSeconds: 1, untagged: false, gatewayKind: 'portkey', stream: true }));
  assert.equal(ev2.phases[0].gatewayExceptions, undefined);
  assert.equal(rateLimitSizing.run({ model, probe: ev2, evidence: [] }).some((f) => /gateway's own exceptions/.test(f.message)), false);
});
