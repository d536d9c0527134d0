import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import _Ajv2020 from 'ajv/dist/2020.js';
import { parse } from 'yaml';
import { LITELLM_CONFIG_PATH, LITELLM_KEYS_PATH, LITELLM_TEAMS_PATH, litellmGenerator, shiftedDecimal } from '../src/generate/litellm.js';
import type { GenerateContext } from '../src/generate/types.js';
import { buildModel } from '../src/manifest/model.js';
import { fromRoot } from '../src/util/paths.js';
import { secretKind } from '../src/util/secrets.js';
import { lintLitellmConfig } from '../src/gateway/litellm/lint.js';
import { assertDeterministic, assertGolden, exampleContext, exampleNames } from './helpers/golden.js';
import { patched } from './helpers/manifest.js';

const Ajv2020 = _Ajv2020.default;
const validate = new Ajv2020({ allErrors: true, strict: true }).compile(JSON.parse(readFileSync(fromRoot('schemas', 'litellm-config.schema.json'), 'utf8')));

function ctxOf(patch: Parameters<typeof patched>[0]): GenerateContext {
  const loaded = patched(patch);
  return { model: buildModel(loaded.manifest), manifestFile: loaded.file, manifestSha256: loaded.sha256, toolVersion: '0.0.0-test' };
}
function generated(ctx: GenerateContext): { config: any; configText: string; teams: any; keys: any } {
  const files = litellmGenerator(ctx);
  assert.deepEqual(files.map((f) => f.path), [LITELLM_CONFIG_PATH, LITELLM_KEYS_PATH, LITELLM_TEAMS_PATH]);
  return { config: parse(files[0].content, { version: '1.1' }), configText: files[0].content, keys: JSON.parse(files[1].content), teams: JSON.parse(files[2].content) };
}
const errorsOf = (doc: unknown) => (validate(doc) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`));

describe('litellm generator', () => {
  for (const name of exampleNames()) {
    it(`validates against the LiteLLM config schema, has no literal secret, matches golden, is deterministic: ${name}`, async () => {
      const files = assertDeterministic(litellmGenerator, name);
      const { config, configText } = generated(exampleContext(name));
      assert.deepEqual(errorsOf(config), []);
      assert.equal(secretKind(configText), undefined);
      await assertGolden(name, files);
    });
  }

  it('the schema refuses what LiteLLM does not document, a literal key and a bad strategy (the validation can fail)', () => {
    const { config } = generated(exampleContext('compliant'));
    assert.deepEqual(errorsOf(config), []);
    const typo = structuredClone(config);
    typo.router_settings.retry_policy.RateLimitRetries = 1;
    assert.notDeepEqual(errorsOf(typo), []);
    const literal = structuredClone(config);
    literal.model_list[0].litellm_params.api_key = 'sk-proj-abcdefghijklmnopqrstuvwxyz';
    assert.notDeepEqual(errorsOf(literal), []);
    const strategy = structuredClone(config);
    strategy.router_settings.routing_strategy = 'round-robin';
    assert.notDeepEqual(errorsOf(strategy), []);
  });

  it('lists providers with rpm/tpm and keys as os.environ references, primary first', () => {
    const { config } = generated(exampleContext('compliant'));
    assert.deepEqual(config.model_list[0], {
      model_name: 'openai-main',
      litellm_params: { model: 'openai/gpt-4o-2024-08-06', api_key: 'os.environ/OPENAI_API_KEY', rpm: 2000, tpm: 4000000, timeout: 16, stream_timeout: 8 },
      model_info: { id: 'openai-main', input_cost_per_token: 0.0000025, output_cost_per_token: 0.00001 },
    });
    assert.equal(config.model_list[1].litellm_params.model, 'anthropic/claude-sonnet-4-5');
  });

  it('provider ids YAML 1.1 would read as booleans, numbers or dates stay strings for LiteLLM (PyYAML reads 1.1)', () => {
    const ids = ['yes', 'off', '1_000', '0b101', '2026-01-01'];
    const ctx = ctxOf({
      set: {
        providers: ids.map((id) => ({ id, vendor: 'openai', model: 'gpt-4o', limits: { rpm: 2000, tpm: 4000000 }, apiKeyEnv: 'OPENAI_API_KEY' })),
        'routing.primary': 'yes',
        'routing.failover': { mode: 'automatic', targets: ids.slice(1), onStatus: [429, 500] },
      },
    });
    const text = litellmGenerator(ctx)[0].content;
    const config = parse(text, { version: '1.1' });
    assert.deepEqual(config.model_list.map((m: { model_name: unknown }) => m.model_name), ids);
    assert.deepEqual(config.model_list.map((m: { model_info: { id: unknown } }) => m.model_info.id), ids);
    assert.deepEqual(config.router_settings.fallbacks, [{ yes: ids.slice(1) }]);
    assert.deepEqual(parse(text), config, 'and YAML 1.2 reads the same');
  });

  it('falls back from the primary to the failover targets, retrying a rate limit once first', () => {
    const { config } = generated(exampleContext('compliant'));
    assert.deepEqual(config.router_settings.fallbacks, [{ 'openai-main': ['anthropic-backup'] }]);
    assert.equal(config.router_settings.retry_policy.RateLimitErrorRetries, 1);
    assert.equal(config.router_settings.routing_strategy, 'usage-based-routing-v2');
    assert.equal(config.router_settings.enable_pre_call_checks, true);
  });

  it('has no fallbacks without automatic failover, and retries rate limits three times instead', () => {
    for (const ctx of [exampleContext('incident-1-rate-limit-at-peak'), ctxOf({ set: { 'routing.failover.mode': 'manual' } })]) {
      const { config } = generated(ctx);
      assert.equal(config.router_settings.fallbacks, undefined);
      assert.equal(config.router_settings.retry_policy.RateLimitErrorRetries, 3);
    }
  });

  it('turns on Prometheus and turns the attribution headers into spend tags', () => {
    const { config, configText } = generated(exampleContext('compliant'));
    assert.deepEqual(config.litellm_settings.callbacks, ['prometheus']);
    assert.deepEqual(config.litellm_settings.extra_spend_tag_headers, ['x-operator-id', 'x-team-id', 'x-use-case-id']);
    assert.match(configText, /enforced by virtual keys/);
    assert.match(generated(ctxOf({ unset: ['gateway.attribution.enforcedBy'] })).configText, /cannot refuse a request missing a header/);
    assert.deepEqual(generated(exampleContext('incident-2-no-team-ceilings')).config.litellm_settings.extra_spend_tag_headers, ['x-operator-id']);
  });

  it('maps vendor settings to environment references (azure, bedrock, vertex, self-hosted)', () => {
    const ctx = ctxOf({
      set: {
        providers: [
          { id: 'az', vendor: 'azure-openai', model: 'gpt4o-prod', apiKeyEnv: 'AZURE_API_KEY' },
          { id: 'br', vendor: 'aws-bedrock', model: 'anthropic.claude-sonnet-4-5', apiKeyEnv: 'AWS_SECRET_ACCESS_KEY' },
          { id: 'vx', vendor: 'google-vertex', model: 'gemini-2.5-pro', apiKeyEnv: 'VERTEX_CREDENTIALS' },
          { id: 'sh', vendor: 'self-hosted', model: 'llama', baseUrl: 'http://10.0.0.5:8000/v1' },
        ],
        'routing.primary': 'az',
        'routing.failover.targets': ['br', 'vx', 'sh'],
      },
    });
    const { config } = generated(ctx);
    assert.deepEqual(errorsOf(config), []);
    const p = config.model_list.map((d: any) => d.litellm_params);
    assert.deepEqual(p[0], { model: 'azure/gpt4o-prod', api_key: 'os.environ/AZURE_API_KEY', api_base: 'os.environ/AZURE_API_BASE', api_version: 'os.environ/AZURE_API_VERSION', timeout: 16, stream_timeout: 8 });
    assert.deepEqual(p[1], { model: 'bedrock/anthropic.claude-sonnet-4-5', aws_access_key_id: 'os.environ/AWS_ACCESS_KEY_ID', aws_secret_access_key: 'os.environ/AWS_SECRET_ACCESS_KEY', aws_region_name: 'os.environ/AWS_REGION_NAME', timeout: 16, stream_timeout: 8 });
    assert.deepEqual(p[2], { model: 'vertex_ai/gemini-2.5-pro', vertex_project: 'os.environ/VERTEX_PROJECT', vertex_location: 'os.environ/VERTEX_LOCATION', vertex_credentials: 'os.environ/VERTEX_CREDENTIALS', timeout: 16, stream_timeout: 8 });
    assert.deepEqual(p[3], { model: 'openai/llama', api_base: 'http://10.0.0.5:8000/v1', timeout: 16, stream_timeout: 8 });
    assert.deepEqual(config.router_settings.fallbacks, [{ az: ['br', 'vx', 'sh'] }]);
  });

  it('carries the do-not-edit header with the manifest sha256 in both files', () => {
    const ctx = exampleContext('compliant');
    const files = litellmGenerator(ctx);
    assert.ok(files[0].content.startsWith(`# Generated by readiness ${ctx.toolVersion} from templates/examples/compliant.yaml (sha256 ${ctx.manifestSha256}).\n# DO NOT EDIT`));
    assert.match(JSON.parse(files[1].content)['//'][0], new RegExp(ctx.manifestSha256));
    assert.match(JSON.parse(files[2].content)['//'][0], new RegExp(ctx.manifestSha256));
  });

  it('sets master_key and database_url from the environment, so virtual keys and teams exist (the team label is set)', () => {
    const { config } = generated(exampleContext('compliant'));
    assert.deepEqual(config.general_settings, {
      master_key: 'os.environ/LITELLM_MASTER_KEY',
      database_url: 'os.environ/DATABASE_URL',
      reject_clientside_metadata_tags: true,
    });
    const byHeaders = generated(ctxOf({ unset: ['gateway.attribution.enforcedBy'] })).config.general_settings;
    assert.equal(byHeaders.reject_clientside_metadata_tags, undefined, 'client tags are refused only when keys carry the attribution');
    assert.equal(byHeaders.master_key, 'os.environ/LITELLM_MASTER_KEY');
  });

  it('writes the manifest prices per token, in decimal form PyYAML reads as floats (never 1e-7)', () => {
    const { config, configText } = generated(ctxOf({ set: { 'providers[0].pricing': { inputPerMTok: 0.1, outputPerMTok: 3 } } }));
    assert.equal(config.model_list[0].model_info.input_cost_per_token, 0.0000001);
    assert.equal(config.model_list[0].model_info.output_cost_per_token, 0.000003);
    assert.match(configText, /input_cost_per_token: 0\.0000001\n/);
    assert.doesNotMatch(configText, /cost_per_token: [^\n]*e/);
    assert.equal(config.model_list[1].model_info.input_cost_per_token * 1e6, 3);
    // a provider without prices gets none (LiteLLM's own price map then applies)
    const none = generated(ctxOf({ unset: ['providers[0].pricing'] })).config.model_list[0].model_info;
    assert.deepEqual(none, { id: 'openai-main' });
  });

  it('prints decimals without exponent or float noise', () => {
    assert.equal(shiftedDecimal(2.5, 6), '0.0000025');
    assert.equal(shiftedDecimal(10, 6), '0.00001');
    assert.equal(shiftedDecimal(3, 6), '0.000003');
    assert.equal(shiftedDecimal(1e-7, 6), '0.0000000000001');
    assert.equal(shiftedDecimal(1234567, 6), '1.234567');
    assert.equal(shiftedDecimal(15000000, 6), '15.0');
  });

  it('sets request and stream timeouts from the SLO (2 x steady p99, and the p99 to the first chunk), 60 s without one', () => {
    const { config } = generated(ctxOf({ set: { 'slo.steadyP99Ms': 2500 } }));
    assert.equal(config.litellm_settings.request_timeout, 5);
    assert.equal(config.model_list[0].litellm_params.timeout, 5);
    assert.equal(config.model_list[0].litellm_params.stream_timeout, 2.5);
    const dflt = generated(ctxOf({ unset: ['slo'] })).config;
    assert.equal(dflt.litellm_settings.request_timeout, 60);
    // a timeout hands over to the fallback at once when there is one
    assert.equal(config.router_settings.retry_policy.TimeoutErrorRetries, 0);
    assert.equal(generated(ctxOf({ set: { 'routing.failover.mode': 'manual' } })).config.router_settings.retry_policy.TimeoutErrorRetries, 2);
  });

  it('shares rate-limit counters through Redis when more than one replica is declared (unless redis: false)', () => {
    assert.equal(generated(exampleContext('compliant')).config.router_settings.redis_host, undefined);
    const three = generated(ctxOf({ set: { 'gateway.replicas': 3 } }));
    assert.deepEqual(
      [three.config.router_settings.redis_host, three.config.router_settings.redis_port, three.config.router_settings.redis_password],
      ['os.environ/REDIS_HOST', 'os.environ/REDIS_PORT', 'os.environ/REDIS_PASSWORD'],
    );
    assert.deepEqual(errorsOf(three.config), []);
    const without = generated(ctxOf({ set: { 'gateway.replicas': 3, 'gateway.redis': false } }));
    assert.equal(without.config.router_settings.redis_host, undefined);
    assert.match(without.configText, /effective limit = limit x 3/);
  });
});

describe('litellm virtual keys', () => {
  it('has one /key/generate body per tenant and use case, in the team, tagged like the header spend tags', () => {
    const { keys } = generated(exampleContext('compliant'));
    assert.equal(keys.endpoint, '/key/generate');
    assert.deepEqual(keys.keys.map((k: any) => [k.key_alias, k.team_id]), [
      ['research.batch-analysis', 'research'],
      ['operations.document-routing', 'operations'],
      ['operations.qa', 'operations'],
    ]);
    assert.deepEqual(keys.keys[2].metadata.tags, ['x-operator-id: acme-bank', 'x-team-id: operations', 'x-use-case-id: qa']);
    assert.equal(secretKind(JSON.stringify(keys)), undefined);
  });

  it('a tenant without use cases gets no key (the cost-attribution check reports it)', () => {
    const { keys } = generated(ctxOf({ unset: ['tenants[1].useCases'] }));
    assert.deepEqual(keys.keys.map((k: any) => k.key_alias), ['research.batch-analysis']);
  });
});

describe('litellm teams', () => {
  it('has one /team/new body per tenant with budget, 30d duration, rpm and soft budget at 70%', () => {
    const { teams } = generated(exampleContext('compliant'));
    assert.equal(teams.endpoint, '/team/new');
    assert.deepEqual(teams.teams, [
      { team_id: 'research', team_alias: 'research', max_budget: 8000, soft_budget: 5600, budget_duration: '30d', rpm_limit: 300, metadata: { readiness_tenant: 'research', use_cases: ['batch-analysis'] } },
      { team_id: 'operations', team_alias: 'operations', max_budget: 6000, soft_budget: 4200, budget_duration: '30d', rpm_limit: 400, metadata: { readiness_tenant: 'operations', use_cases: ['document-routing', 'qa'] } },
    ]);
  });

  it('prints soft budgets plainly (never 0.7000000000000001 artefacts) for awkward fractions', () => {
    const { teams } = generated(ctxOf({ set: { 'budgets.alertAtFraction': 0.7, 'tenants[0].budget.monthlyUsd': 0.1 + 0.2 } }));
    assert.equal(teams.teams[0].max_budget, 0.3);
    assert.equal(teams.teams[0].soft_budget, 0.21);
    const text = litellmGenerator(ctxOf({ set: { 'budgets.alertAtFraction': 0.35, 'tenants[0].budget.monthlyUsd': 3333 } }))[2].content;
    assert.match(text, /"soft_budget": 1166.55,/);
  });

  it('omits soft_budget at alertAtFraction 1 (LiteLLM requires soft_budget < max_budget)', () => {
    const { teams } = generated(ctxOf({ set: { 'budgets.alertAtFraction': 1 } }));
    assert.equal(teams.teams[0].max_budget, 8000);
    assert.equal(teams.teams[0].soft_budget, undefined);
  });

  it('leaves budget fields out for a tenant with no budget (the gap the budget check reports)', () => {
    const { teams } = generated(exampleContext('incident-2-no-team-ceilings'));
    assert.equal(teams.teams.length, 3);
    for (const t of teams.teams) {
      assert.equal(t.max_budget, undefined);
      assert.equal(t.soft_budget, undefined);
      assert.ok(t.rpm_limit > 0);
    }
  });

  it("LiteLLM's own budget alerts as a second channel, only where the manifest names a Slack or webhook receiver", () => {
    const none = generated(ctxOf({}));
    assert.equal(none.config.general_settings.alerting, undefined, 'no receiver: LiteLLM alerting stays off');
    const receivers = [
      { name: 'oncall', kind: 'pagerduty', routingKeyFile: '/etc/am/pd' },
      { name: 'llm-alerts', kind: 'slack', apiUrlFile: '/etc/am/slack', channel: '#llm' },
      { name: 'finops-hook', kind: 'webhook', url: 'https://finops.example.com/litellm' },
    ];
    const both = ctxOf({ set: { alerting: { receivers } } });
    const g = generated(both);
    assert.deepEqual(g.config.general_settings.alerting, ['slack', 'webhook']);
    assert.deepEqual(g.config.general_settings.alert_types, ['budget_alerts'], 'Slack carries budget alerts only: the Prometheus rules page on the rest');
    assert.deepEqual(errorsOf(g.config), []);
    assert.deepEqual(lintLitellmConfig(g.configText, 'c.yaml').findings.filter((f) => f.id === 'unknown-key'), []);
    assert.match(g.configText, /SLACK_WEBHOOK_URL to the webhook of receiver "llm-alerts"/);
    assert.match(g.configText, /WEBHOOK_URL to the URL of receiver "finops-hook"/);
    assert.doesNotMatch(g.configText, /finops\.example\.com/, 'the URL is the environment\'s, not written into the config');
    const pdOnly = generated(ctxOf({ set: { alerting: { receivers: [receivers[0]] } } }));
    assert.equal(pdOnly.config.general_settings.alerting, undefined, 'LiteLLM has no PagerDuty budget channel');
    const webhookOnly = generated(ctxOf({ set: { alerting: { receivers: [receivers[2]] } } }));
    assert.deepEqual(webhookOnly.config.general_settings.alerting, ['webhook']);
    assert.equal(webhookOnly.config.general_settings.alert_types, undefined);
  });
});
