import assert from 'node:assert/strict';
import { test } from 'node:test';
import { grantedTokenFindings } from '../../src/checks/probe-findings.js';
import { HEADROOM_THRESHOLD, rateLimitSizing } from '../../src/checks/rate-limit-sizing.js';
import { buildModel } from '../../src/manifest/model.js';
import type { Provider } from '../../src/manifest/types.js';
import { startMockProvider } from '../../src/mock/provider.js';
import { buildPlan } from '../../src/probe/plan.js';
import { azureRpmPer1000Tpm, grantedPerMinute, readRateLimitHeaders } from '../../src/probe/provider-headers.js';
import { runProbe } from '../../src/probe/run.js';
import { rehearsalMockLimits } from '../../src/rehearse/run.js';
import type { ProbeEvidence } from '../../src/probe/types.js';
import { patched } from '../helpers/manifest.js';

test("Anthropic's input- and output-token headers are read beside the combined tokens header (a recorded response's figures)", () => {
  // https://rdrr.io/cran/tidyllm/src/tests/testthat/claude/api.anthropic.com/v1/messages-e050b5-POST.R
  const now = Date.parse('2025-08-21T12:40:58Z');
  const snap = readRateLimitHeaders(
    {
      'anthropic-ratelimit-input-tokens-limit': '80000',
      'anthropic-ratelimit-input-tokens-remaining': '80000',
      'anthropic-ratelimit-input-tokens-reset': '2025-08-21T12:40:59Z',
      'anthropic-ratelimit-output-tokens-limit': '16000',
      'anthropic-ratelimit-output-tokens-remaining': '16000',
      'anthropic-ratelimit-output-tokens-reset': '2025-08-21T12:41:00Z',
      'anthropic-ratelimit-requests-limit': '1000',
      'anthropic-ratelimit-requests-remaining': '999',
      'anthropic-ratelimit-requests-reset': '2025-08-21T12:40:59Z',
      'anthropic-ratelimit-tokens-limit': '96000',
      'anthropic-ratelimit-tokens-remaining': '96000',
      'anthropic-ratelimit-tokens-reset': '2025-08-21T12:40:59Z',
    },
    now,
  );
  assert.deepEqual(snap, {
    style: 'anthropic',
    limitRequests: 1000,
    limitTokens: 96000,
    remainingRequests: 999,
    remainingTokens: 96000,
    resetRequestsMs: 1000,
    resetTokensMs: 1000,
    limitInputTokens: 80000,
    remainingInputTokens: 80000,
    limitOutputTokens: 16000,
    remainingOutputTokens: 16000,
  });
  // a response with only the input/output figures is still Anthropic's
  assert.deepEqual(readRateLimitHeaders({ 'anthropic-ratelimit-output-tokens-limit': '8000', 'anthropic-ratelimit-output-tokens-remaining': '10' }), {
    style: 'anthropic',
    limitOutputTokens: 8000,
    remainingOutputTokens: 10,
  });
});

test('probed: a provider granting fewer input tokens per minute than the peak needs fails rate-limit-sizing; its output-token grant within the headroom passes', async (t) => {
  // peak 600 rpm x 1,800 input tokens = 1,080,000 ITPM against a grant of 1,000,000; x 400 output = 240,000 of 1,000,000 OTPM
  const loaded = patched({ set: { 'traffic.peakRpm': 600, 'routing.failover.mode': 'none' } });
  const model = buildModel(loaded.manifest);
  const mock = await startMockProvider({ headerStyle: 'anthropic', rpm: 60_000, inputTpm: 1_000_000, outputTpm: 1_000_000 });
  t.after(() => mock.close());
  const plan = buildPlan(model, { target: mock.chatUrl, phases: ['steady'], durationSeconds: 1, untagged: false });
  const ev = await runProbe(plan);
  const g = ev.granted?.find((x) => x.provider === model.primary.id);
  assert.equal(g?.itpm, 1_000_000, JSON.stringify(ev.granted));
  assert.equal(g?.otpm, 1_000_000);
  assert.ok((g?.minRemainingInputTokens ?? Infinity) < 1_000_000);
  const fs = rateLimitSizing.run({ model, probe: ev, evidence: [] });
  const input = fs.find((f) => /input tokens per minute/.test(f.message));
  assert.equal(input?.status, 'fail', JSON.stringify(fs.map((f) => f.message)));
  assert.match(input!.message, /grants 1,000,000 input tokens per minute \(anthropic-ratelimit-input-tokens-limit\); the peak needs 1,080,000 \(600 rpm x 1,800 input tokens\), 108% of it: over the limit, and there is no automatic failover on 429/);
  const output = fs.find((f) => /output tokens per minute/.test(f.message));
  assert.equal(output?.status, 'pass');
  assert.match(output!.message, /the peak needs 240,000 \(600 rpm x 400 output tokens\), 24% of it: within the 60% headroom/);
});

test("the mock enforces Anthropic's input-token limit on prompt tokens and states it in anthropic-ratelimit-input-tokens-*", async (t) => {
  // 60,000 ITPM metered over 1 s: a bucket of 1,000 tokens; two back-to-back prompts of 600 tokens cannot both pass
  const mock = await startMockProvider({ headerStyle: 'anthropic', inputTpm: 60_000 });
  t.after(() => mock.close());
  const send = () =>
    fetch(mock.chatUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ messages: [{ role: 'user', content: 'x'.repeat(2400) }], max_tokens: 5 }) });
  const first = await send();
  await first.text();
  assert.equal(first.status, 200);
  assert.equal(first.headers.get('anthropic-ratelimit-input-tokens-limit'), '60000');
  // 400 of the 1,000-token bucket left: 40% of the per-minute limit
  assert.equal(first.headers.get('anthropic-ratelimit-input-tokens-remaining'), '24000');
  assert.equal(first.headers.get('anthropic-ratelimit-output-tokens-limit'), null);
  const second = await send();
  const body = (await second.json()) as { error: { message: string } };
  assert.equal(second.status, 429);
  assert.match(body.error.message, /Rate limit reached for input tokens per minute on mock-model: Limit 60000, Requested 600/);
});

test('granted input/output token limits: above the headroom warns; over the limit with failover on 429 warns; no grant or no tokensPerRequest: no finding', () => {
  const probe = (itpm?: number, otpm?: number): ProbeEvidence =>
    ({
      granted: [{ provider: 'openai-main', vendor: 'anthropic', style: 'anthropic', responses: 10, ...(itpm ? { itpm } : {}), ...(otpm ? { otpm } : {}) }],
    }) as unknown as ProbeEvidence;
  // compliant: peak 1,000 rpm, 1,800 input and 400 output tokens, automatic failover on 429 to anthropic-backup
  const model = buildModel(patched({}).manifest);
  const [a, b] = grantedTokenFindings(model, probe(2_000_000, 500_000), HEADROOM_THRESHOLD);
  assert.equal(a.status, 'warn');
  assert.match(a.message, /1,800,000 .* 90% of it: above the 60% headroom/);
  assert.equal(b.status, 'warn');
  assert.match(b.message, /400,000 .* 80% of it/);
  const [over] = grantedTokenFindings(model, probe(1_000_000), HEADROOM_THRESHOLD);
  assert.equal(over.status, 'warn');
  assert.match(over.message, /180% of it: over the limit; the excess fails over on 429 to anthropic-backup/);
  assert.deepEqual(grantedTokenFindings(model, probe(), HEADROOM_THRESHOLD), []);
  const noTokens = buildModel(patched({ unset: ['traffic.tokensPerRequest'] }).manifest);
  assert.deepEqual(grantedTokenFindings(noTokens, probe(1_000_000), HEADROOM_THRESHOLD), []);
});

test("Azure's rpm per 1,000 tpm by model (capacity units: 6 for older chat models, 1/6 for o1, 1 for o3 and o4-mini, 0.1 for o3-mini, o1-mini, o3-pro)", () => {
  const cases: Array<[string | undefined, number]> = [
    ['gpt-4o', 6],
    ['gpt-35-turbo', 6],
    [undefined, 6],
    ['o1', 1 / 6],
    ['o1-2024-12-17', 1 / 6],
    ['O1-Preview', 1 / 6],
    ['o1-mini', 0.1],
    ['o3-mini-2025-01-31', 0.1],
    ['o3-pro', 0.1],
    ['o3', 1],
    ['o4-mini', 1],
    ['o10-large', 6],
  ];
  for (const [model, ratio] of cases) assert.equal(azureRpmPer1000Tpm(model), ratio, String(model));
  // the probe's grant: 60,000 tpm on an o1 deployment is 10 rpm, not the 360 of the older ratio
  assert.deepEqual(grantedPerMinute('azure-openai', { limitRequests: 2, limitTokens: 60_000 }, 'o1'), { rpm: 10, tpm: 60_000 });
  assert.deepEqual(grantedPerMinute('azure-openai', { limitRequests: 60, limitTokens: 60_000 }, 'gpt-4o'), { rpm: 360, tpm: 60_000 });
});

test('rate-limit-sizing sizes an Azure deployment with the rpm its tpm grants when the manifest declares more (or none), and says so', () => {
  const azure = (limits: Record<string, number>, model = 'gpt-4o') =>
    buildModel(patched({ set: { 'providers[0].vendor': 'azure-openai', 'providers[0].model': model, 'providers[0].limits': limits } }).manifest);
  // 100,000 tpm grants 600 rpm; the manifest claims 3,000
  const fs = rateLimitSizing.run({ model: azure({ rpm: 3000, tpm: 100_000 }), evidence: [] });
  const w = fs.find((f) => /Azure sets its rpm from its tpm/.test(f.message));
  assert.equal(w?.status, 'warn', JSON.stringify(fs.map((f) => f.message)));
  assert.match(w!.message, /openai-main is an Azure OpenAI deployment: Azure sets its rpm from its tpm, 6 rpm per 1,000 tpm for gpt-4o, so 100,000 tpm grants 600 rpm, not the 3,000 declared; sized with 600 rpm/);
  // o1: 12,000,000 tpm grants 2,000 rpm (not 72,000) with no rpm declared, and that rpm is what binds at the peak
  const o1 = rateLimitSizing.run({ model: azure({ tpm: 12_000_000 }, 'o1'), evidence: [] });
  assert.ok(o1.some((f) => /0\.167 rpm per 1,000 tpm for o1, so 12,000,000 tpm grants 2,000 rpm; sized with 2,000 rpm/.test(f.message)), JSON.stringify(o1.map((f) => f.message)));
  assert.ok(o1.some((f) => /peak 1000 rpm uses 50% of openai-main's rpm limit \(2,000 rpm\)/.test(f.message)), JSON.stringify(o1.map((f) => f.message)));
  // a declared rpm within what the tpm grants stands, with no warning; other vendors are not touched
  assert.ok(!rateLimitSizing.run({ model: azure({ rpm: 500, tpm: 100_000 }), evidence: [] }).some((f) => /Azure sets/.test(f.message)));
  assert.ok(!rateLimitSizing.run({ model: buildModel(patched({ set: { 'providers[0].limits': { rpm: 3000, tpm: 100_000 } } }).manifest), evidence: [] }).some((f) => /Azure sets/.test(f.message)));
});

test('rehearsal mocks behave like their vendor: an Azure deployment enforces the rpm its tpm grants over the short window and states that window in its requests header; Anthropic mocks send anthropic-ratelimit-*', async (t) => {
  const provider = (vendor: string, limits: Record<string, number>, model = 'gpt-4o') => ({ id: 'p', vendor, model, limits, apiKeyEnv: 'K' }) as unknown as Provider;
  assert.deepEqual(rehearsalMockLimits(provider('azure-openai', { rpm: 3000, tpm: 100_000 })), { rpm: 600, tpm: 100_000, requestsPerWindow: true });
  assert.deepEqual(rehearsalMockLimits(provider('azure-openai', { rpm: 500, tpm: 100_000 })), { rpm: 500, tpm: 100_000, requestsPerWindow: true });
  assert.deepEqual(rehearsalMockLimits(provider('azure-openai', { tpm: 60_000 }, 'o1')), { rpm: 10, tpm: 60_000, requestsPerWindow: true });
  assert.deepEqual(rehearsalMockLimits(provider('anthropic', { rpm: 50, tpm: 40_000 })), { rpm: 50, tpm: 40_000, headerStyle: 'anthropic' });
  assert.deepEqual(rehearsalMockLimits(provider('openai', { rpm: 500 })), { rpm: 500 });
  // the Azure-like mock of a deployment declared 3,000 rpm on 100,000 tpm: it enforces 600 rpm over 1 s and states 10
  // requests for that window; the probe takes the per-minute grant from the tpm header, 600 rpm, not from the 10
  const declared = { rpm: 3000, tpm: 100_000 };
  const loaded = patched({ set: { 'traffic.peakRpm': 600, 'providers[0].vendor': 'azure-openai', 'providers[0].model': 'gpt-4o', 'providers[0].limits': declared } });
  const model = buildModel(loaded.manifest);
  const mock = await startMockProvider({ ...rehearsalMockLimits(model.primary), windowSeconds: 1 });
  t.after(() => mock.close());
  const first = await fetch(mock.chatUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"messages":[{"role":"user","content":"hi"}]}' });
  await first.text();
  assert.equal(first.headers.get('x-ratelimit-limit-requests'), '10');
  assert.equal(first.headers.get('x-ratelimit-limit-tokens'), '100000');
  const ev = await runProbe(buildPlan(model, { target: mock.chatUrl, phases: ['steady'], durationSeconds: 1, untagged: false }));
  const g = ev.granted?.find((x) => x.provider === model.primary.id);
  assert.equal(g?.limitRequests, 10);
  assert.equal(g?.rpm, 600, JSON.stringify(g));
});
