import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { buildModel } from '../src/manifest/model.js';
import {
  MissingAttributionError,
  MissingEnvError,
  PORTKEY_CONFIG_PATH,
  PORTKEY_GUARDRAIL_DENY_STATUS,
  portkeyClientOptions,
  portkeyGenerator,
  preparePortkeyRequest,
} from '../src/generate/portkey.js';
import type { GenerateContext } from '../src/generate/types.js';
import { secretKind } from '../src/util/secrets.js';
import { assertDeterministic, assertGolden, exampleContext, exampleNames } from './helpers/golden.js';
import { patched } from './helpers/manifest.js';
import { type MockProvider, startMockProvider } from './helpers/mock-openai.js';
import { type Gateway, startGateway } from './helpers/portkey-gateway.js';

function ctxOf(patch: Parameters<typeof patched>[0]): GenerateContext {
  const loaded = patched(patch);
  return { model: buildModel(loaded.manifest), manifestFile: loaded.file, manifestSha256: loaded.sha256, toolVersion: '0.0.0-test' };
}

function configOf(ctx: GenerateContext): Record<string, any> {
  const files = portkeyGenerator(ctx);
  assert.deepEqual(files.map((f) => f.path), [PORTKEY_CONFIG_PATH]);
  return JSON.parse(files[0].content) as Record<string, any>;
}

describe('portkey generator', () => {
  it('falls back in routing order on the manifest codes, 429 included', () => {
    const c = configOf(exampleContext('compliant'));
    assert.deepEqual(c.strategy, { mode: 'fallback', on_status_codes: [429, 500, 502, 503, 504] });
    assert.deepEqual(c.targets.map((t: any) => t.provider), ['openai', 'anthropic']);
    assert.deepEqual(c.targets.map((t: any) => t.override_params.model), ['gpt-4o-2024-08-06', 'claude-sonnet-4-5']);
  });

  it('adds 429 when the manifest forgot it (Portkey falls back only on listed codes)', () => {
    const c = configOf(ctxOf({ set: { 'routing.failover.onStatus': [503, 500] } }));
    assert.deepEqual(c.strategy.on_status_codes, [429, 500, 503]);
  });

  it('retries only the last target (use_retry_after_header off: it crashes gateway 1.15.2, see canary below)', () => {
    const c = configOf(exampleContext('compliant'));
    assert.equal(c.targets[0].retry, undefined);
    assert.deepEqual(c.targets[1].retry, { attempts: 3, on_status_codes: [429, 500, 502, 503, 504] });
  });

  it('is a single target with retry when failover is none or manual', () => {
    for (const ctx of [exampleContext('incident-1-rate-limit-at-peak'), ctxOf({ set: { 'routing.failover.mode': 'manual' } })]) {
      const c = configOf(ctx);
      assert.deepEqual(c.strategy, { mode: 'single' });
      assert.equal(c.targets.length, 1);
      assert.equal(c.targets[0].retry.attempts, 3);
    }
  });

  it('references keys by environment variable, never a literal', () => {
    for (const name of exampleNames()) {
      const c = configOf(exampleContext(name));
      for (const t of c.targets) assert.match(t.api_key ?? t.aws_secret_access_key, /^\$\{[A-Z_][A-Z0-9_]*\}$/);
      assert.equal(secretKind(JSON.stringify(c)), undefined);
    }
  });

  it('refuses untagged requests with the requiredMetadataKeys guardrail (deny) when onMissing is reject, and only then', () => {
    const c = configOf(exampleContext('compliant'));
    assert.equal(c.readiness_metadata, undefined, 'the gateway ignored the old readiness_metadata block');
    assert.deepEqual(c.input_guardrails, [
      { id: 'readiness-required-metadata', deny: true, 'default.requiredMetadataKeys': { metadataKeys: ['operator_id', 'team_id', 'use_case_id'], operator: 'all' } },
    ]);
    assert.equal(configOf(ctxOf({ set: { 'gateway.attribution.onMissing': 'label-unattributed' } })).input_guardrails, undefined);
    assert.equal(configOf(ctxOf({ set: { 'gateway.attribution.onMissing': 'allow' } })).input_guardrails, undefined);
  });

  it('sets request_timeout from the SLO (2 x steady p99, ms), 60 s without one', () => {
    assert.equal(configOf(exampleContext('compliant')).request_timeout, 16000);
    assert.equal(configOf(ctxOf({ set: { 'slo.steadyP99Ms': 1234.5 } })).request_timeout, 2469);
    assert.equal(configOf(ctxOf({ unset: ['slo'] })).request_timeout, 60000);
  });

  it('retries 408 on the last target when the manifest fails over on it; the fallback list follows onStatus', () => {
    const with408 = configOf(ctxOf({ set: { 'routing.failover.onStatus': [408, 429, 503] } }));
    assert.deepEqual(with408.strategy.on_status_codes, [408, 429, 503]);
    assert.deepEqual(with408.targets[1].retry.on_status_codes, [408, 429, 500, 502, 503, 504]);
    const without = configOf(exampleContext('compliant'));
    assert.deepEqual(without.targets[1].retry.on_status_codes, [429, 500, 502, 503, 504]);
  });

  it('says to set TRUSTED_CUSTOM_HOSTS (with the loopback names again) for a custom_host in a private range', () => {
    const priv = configOf(ctxOf({ set: { 'providers[1]': { id: 'local-llm', vendor: 'self-hosted', model: 'llama', baseUrl: 'http://10.1.2.3:8000/v1', limits: { rpm: 1000, tpm: 2000000 } }, 'routing.failover.targets': ['local-llm'] } }));
    assert.ok(priv['//'].some((l: string) => l.includes('TRUSTED_CUSTOM_HOSTS=localhost,127.0.0.1,::1,host.docker.internal,10.1.2.3')), priv['//'].join('\n'));
    for (const host of ['127.0.0.1', '192.169.0.1', '172.32.0.1', 'llm.internal.example']) {
      const c = configOf(ctxOf({ set: { 'providers[1]': { id: 'local-llm', vendor: 'self-hosted', model: 'llama', baseUrl: `http://${host}:8000/v1` }, 'routing.failover.targets': ['local-llm'] } }));
      assert.ok(!c['//'].some((l: string) => l.includes('TRUSTED_CUSTOM_HOSTS')), host);
    }
    for (const host of ['192.168.0.1', '172.16.0.1', '172.31.255.255']) {
      const c = configOf(ctxOf({ set: { 'providers[1]': { id: 'local-llm', vendor: 'self-hosted', model: 'llama', baseUrl: `http://${host}:8000/v1` }, 'routing.failover.targets': ['local-llm'] } }));
      assert.ok(c['//'].some((l: string) => l.includes(`,${host}`)), host);
    }
  });

  it('carries the do-not-edit header with the manifest sha256', () => {
    const ctx = exampleContext('compliant');
    const c = configOf(ctx);
    assert.match(c['//'][0], new RegExp(`sha256 ${ctx.manifestSha256}`));
    assert.match(c['//'][1], /DO NOT EDIT/);
  });

  for (const name of exampleNames()) {
    it(`matches its golden file and is byte-identical across runs: ${name}`, async () => {
      await assertGolden(name, assertDeterministic(portkeyGenerator, name));
    });
  }
});

describe('preparePortkeyRequest', () => {
  const config = configOf(exampleContext('compliant'));
  const client = portkeyClientOptions(exampleContext('compliant').model);
  const env = { OPENAI_API_KEY: 'k-openai', ANTHROPIC_API_KEY: 'k-anthropic' };
  const who = { 'x-operator-id': 'acme-bank', 'x-team-id': 'research', 'x-use-case-id': 'batch-analysis' };

  it('fills placeholders only where the generator put them: a model spelled like one is sent as written', () => {
    const ctx = { ...exampleContext('compliant'), model: buildModel(patched({ set: { 'providers[1].model': '${OPENAI_API_KEY}' } }).manifest) };
    const sent = JSON.parse(preparePortkeyRequest(configOf(ctx), env, who, client)['x-portkey-config']);
    assert.equal(sent.targets[1].override_params.model, '${OPENAI_API_KEY}');
    assert.deepEqual(sent.targets.map((t: any) => t.api_key), ['k-openai', 'k-anthropic']);
    assert.ok(!JSON.stringify(sent.targets[1]).includes('k-openai'), 'the OpenAI key never goes to the other provider');
  });

  it('fills keys from the environment, drops the comment and keeps the guardrail for the gateway', () => {
    const h = preparePortkeyRequest(config, env, who, client);
    const sent = JSON.parse(h['x-portkey-config']);
    assert.deepEqual(sent.targets.map((t: any) => t.api_key), ['k-openai', 'k-anthropic']);
    assert.equal(sent['//'], undefined);
    assert.deepEqual(sent.input_guardrails, config.input_guardrails);
    assert.deepEqual(JSON.parse(h['x-portkey-metadata']), { operator_id: 'acme-bank', team_id: 'research', use_case_id: 'batch-analysis' });
  });

  it('names unset variables without echoing any value', () => {
    assert.throws(() => preparePortkeyRequest(config, { OPENAI_API_KEY: 'k-openai' }, who, client), (e: unknown) => {
      assert.ok(e instanceof MissingEnvError);
      assert.deepEqual(e.variables, ['ANTHROPIC_API_KEY']);
      assert.doesNotMatch(e.message, /k-openai/);
      return true;
    });
  });

  it('refuses an unattributed request when on_missing is reject, labels it when label-unattributed', () => {
    assert.throws(() => preparePortkeyRequest(config, env, { 'x-team-id': 'research' }, client), (e: unknown) => {
      assert.ok(e instanceof MissingAttributionError);
      assert.deepEqual(e.keys, ['operator_id', 'use_case_id']);
      return true;
    });
    const labelledCtx = ctxOf({ set: { 'gateway.attribution.onMissing': 'label-unattributed' } });
    const h = preparePortkeyRequest(configOf(labelledCtx), env, { team_id: 'research' }, portkeyClientOptions(labelledCtx.model));
    assert.deepEqual(JSON.parse(h['x-portkey-metadata']), { team_id: 'research', operator_id: 'unattributed', use_case_id: 'unattributed' });
  });
});

describe('portkey config against the real gateway (@portkey-ai/gateway)', { timeout: 120_000 }, () => {
  let gateway: Gateway | undefined;
  const mocks: MockProvider[] = [];
  let primary: MockProvider;
  let secondary: MockProvider;

  before(async () => {
    primary = await startMockProvider({ name: 'primary', limited: true, maxRequests: 100 });
    secondary = await startMockProvider({ name: 'secondary', maxRequests: 100 });
    mocks.push(primary, secondary);
    gateway = await startGateway();
  });
  after(async () => {
    await gateway?.stop();
    await Promise.all(mocks.map((m) => m.stop()));
  });

  function mockManifest(extra: Record<string, unknown> = {}): GenerateContext {
    return ctxOf({
      set: {
        ...extra,
        providers: [
          { id: 'mock-primary', vendor: 'self-hosted', model: 'mock-a', baseUrl: primary.baseUrl, limits: { rpm: 600, tpm: 1000000 }, apiKeyEnv: 'MOCK_PRIMARY_KEY' },
          { id: 'mock-secondary', vendor: 'self-hosted', model: 'mock-b', baseUrl: secondary.baseUrl, limits: { rpm: 600, tpm: 1000000 }, apiKeyEnv: 'MOCK_SECONDARY_KEY' },
        ],
        'routing.primary': 'mock-primary',
        'routing.failover': { mode: 'automatic', targets: ['mock-secondary'], onStatus: (extra['routing.failover.onStatus'] as number[] | undefined) ?? [429, 500, 502, 503, 504] },
      },
    });
  }
  const clientOf = (ctx: GenerateContext) => portkeyClientOptions(ctx.model);
  const env = { MOCK_PRIMARY_KEY: 'key-primary', MOCK_SECONDARY_KEY: 'key-secondary' };
  const who = { 'x-operator-id': 'acme-bank', 'x-team-id': 'research', 'x-use-case-id': 'batch-analysis' };

  async function send(headers: Record<string, string>): Promise<{ status: number; body: any; headers: Headers }> {
    const res = await fetch(`${gateway!.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ messages: [{ role: 'user', content: 'hello' }] }),
      signal: AbortSignal.timeout(30_000),
    });
    const text = await res.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // keep text
    }
    return { status: res.status, body, headers: res.headers };
  }

  it('turns a primary answering 429 into responses served by the secondary', async () => {
    primary.limited = true;
    secondary.limited = false;
    const headers = preparePortkeyRequest(configOf(mockManifest()), env, who, clientOf(mockManifest()));
    const before = { p: primary.requests.length, s: secondary.requests.length };
    for (let i = 0; i < 5; i++) {
      const r = await send({ ...headers });
      assert.equal(r.status, 200, `request ${i} got ${r.status}: ${JSON.stringify(r.body)}\n${gateway!.output()}`);
      assert.equal(r.body.choices[0].message.content, 'served by secondary');
      assert.equal(r.body.model, 'mock-b');
      assert.equal(r.headers.get('x-portkey-last-used-option-index'), 'config.targets[1]');
    }
    // the primary was tried first every time, once (no retry on a rate-limited primary), with its own key
    assert.equal(primary.requests.length - before.p, 5);
    assert.equal(secondary.requests.length - before.s, 5);
    assert.ok(primary.requests.slice(before.p).every((r) => r.authorization === 'Bearer key-primary'));
    assert.ok(secondary.requests.slice(before.s).every((r) => r.authorization === 'Bearer key-secondary'));
  });

  it('lets the 429 reach the client when both providers are limited, after retrying the last one', async () => {
    primary.limited = true;
    secondary.limited = true;
    const headers = preparePortkeyRequest(configOf(mockManifest()), env, who, clientOf(mockManifest()));
    const before = { p: primary.requests.length, s: secondary.requests.length };
    const r = await send({ ...headers });
    assert.equal(r.status, 429, `got ${r.status}: ${JSON.stringify(r.body)}`);
    assert.equal(r.body.error.type, 'rate_limit_error');
    assert.equal(primary.requests.length - before.p, 1);
    // 1 try + 3 retries (backoff 1 s, 2 s, 4 s) on the last target
    assert.equal(secondary.requests.length - before.s, 4);
  });

  it('canary: use_retry_after_header still crashes gateway 1.15.2 on a 429 with retry-after (turn it on when this fails)', async () => {
    primary.limited = true;
    secondary.limited = true;
    const prepared = preparePortkeyRequest(configOf(mockManifest()), env, who, clientOf(mockManifest()));
    const cfg = JSON.parse(prepared['x-portkey-config']);
    cfg.targets[1].retry = { attempts: 1, on_status_codes: [429], use_retry_after_header: true };
    const r = await send({ 'x-portkey-config': JSON.stringify(cfg), 'x-portkey-metadata': prepared['x-portkey-metadata'] });
    assert.equal(r.status, 500, `gateway now answers ${r.status}: PORTKEY_USE_RETRY_AFTER_HEADER can be turned on`);
    assert.match(JSON.stringify(r.body), /_timeouts/);
  });

  it('falls back to the secondary when the primary hangs past request_timeout (408 in onStatus)', async () => {
    primary.limited = false;
    secondary.limited = false;
    primary.hang = true;
    try {
      // steady p99 400 ms: request_timeout 800 ms; the primary never answers
      const ctx = mockManifest({ 'slo.steadyP99Ms': 400, 'routing.failover.onStatus': [408, 429, 500, 502, 503, 504] });
      const cfg = configOf(ctx);
      assert.equal(cfg.request_timeout, 800);
      const before = { p: primary.requests.length, s: secondary.requests.length };
      const r = await send(preparePortkeyRequest(cfg, env, who, clientOf(ctx)) as unknown as Record<string, string>);
      assert.equal(r.status, 200, `got ${r.status}: ${JSON.stringify(r.body)}\n${gateway!.output()}`);
      assert.equal(r.body.choices[0].message.content, 'served by secondary');
      assert.equal(r.headers.get('x-portkey-last-used-option-index'), 'config.targets[1]');
      assert.equal(primary.requests.length - before.p, 1);
      assert.equal(secondary.requests.length - before.s, 1);
    } finally {
      primary.hang = false;
    }
  });

  it('without 408 in onStatus the hung primary reaches the client as a 408 (the fallback list follows the manifest)', async () => {
    primary.limited = false;
    secondary.limited = false;
    primary.hang = true;
    try {
      const ctx = mockManifest({ 'slo.steadyP99Ms': 400 });
      const before = { s: secondary.requests.length };
      const r = await send(preparePortkeyRequest(configOf(ctx), env, who, clientOf(ctx)) as unknown as Record<string, string>);
      assert.equal(r.status, 408, `got ${r.status}: ${JSON.stringify(r.body)}`);
      assert.equal(secondary.requests.length - before.s, 0);
    } finally {
      primary.hang = false;
    }
  });

  it('refuses an untagged request with the generated guardrail, and serves a tagged one', async () => {
    primary.limited = false;
    secondary.limited = false;
    const ctx = mockManifest();
    const headers = preparePortkeyRequest(configOf(ctx), env, who, clientOf(ctx));
    const before = { p: primary.requests.length, s: secondary.requests.length };
    const untagged = await send({ 'x-portkey-config': headers['x-portkey-config'], 'x-portkey-metadata': '{}' });
    assert.equal(untagged.status, PORTKEY_GUARDRAIL_DENY_STATUS, `got ${untagged.status}: ${JSON.stringify(untagged.body)}`);
    const partly = await send({ 'x-portkey-config': headers['x-portkey-config'], 'x-portkey-metadata': JSON.stringify({ team_id: 'research' }) });
    assert.equal(partly.status, PORTKEY_GUARDRAIL_DENY_STATUS, 'all three keys are required');
    assert.equal(primary.requests.length - before.p + secondary.requests.length - before.s, 0, 'a refused request never reaches a provider');
    const tagged = await send({ ...headers });
    assert.equal(tagged.status, 200, `got ${tagged.status}: ${JSON.stringify(tagged.body)}`);
    assert.equal(tagged.body.choices[0].message.content, 'served by primary');
  });

  it('rejects a config the gateway does not understand (the test can fail)', async () => {
    const bad = JSON.parse(preparePortkeyRequest(configOf(mockManifest()), env, who, clientOf(mockManifest()))['x-portkey-config']);
    bad.strategy.mode = 'fallbackk';
    const r = await send({ 'x-portkey-config': JSON.stringify(bad) });
    assert.equal(r.status, 400);
  });
});
