import { stringify } from 'yaml';
import type { DeploymentModel } from '../manifest/model.js';
import type { Provider, Vendor } from '../manifest/types.js';
import { plain } from '../util/numbers.js';
import { attributionKeys, hasAutomaticFailover, onMissing } from './attribution.js';
import { type GenerateContext, type GeneratedFile, type Generator, hashHeader, headerLines } from './types.js';

/**
 * LiteLLM proxy config (`litellm --config gateway/litellm.config.yaml`) and the team bodies for its
 * admin API (`POST /team/new`), which is where LiteLLM keeps budgets and per-team limits.
 * LiteLLM cannot run where readiness is tested: the config is validated against
 * schemas/litellm-config.schema.json, written from LiteLLM's documented keys.
 */
export const LITELLM_CONFIG_PATH = 'gateway/litellm.config.yaml';
export const LITELLM_TEAMS_PATH = 'gateway/litellm.teams.json';

/** Rate-limit retries on a deployment before LiteLLM falls back: one when there is somewhere to go, else three. */
export const RATE_LIMIT_RETRIES_WITH_FALLBACK = 1;
export const RATE_LIMIT_RETRIES_WITHOUT_FALLBACK = 3;
/** LiteLLM's budget_duration that resets monthly. */
export const TEAM_BUDGET_DURATION = '30d';

const PREFIX: Record<Vendor, string> = {
  openai: 'openai',
  'azure-openai': 'azure',
  anthropic: 'anthropic',
  'aws-bedrock': 'bedrock',
  'google-vertex': 'vertex_ai',
  mistral: 'mistral',
  cohere: 'cohere',
  'self-hosted': 'openai',
  other: 'openai',
};

const env = (name: string) => `os.environ/${name}`;

/** Credentials and vendor settings, all as os.environ/NAME references (variable names shared with the Portkey config). */
function credentials(p: Provider): Record<string, string> {
  const key = p.apiKeyEnv;
  switch (p.vendor) {
    case 'azure-openai':
      return {
        ...(key ? { api_key: env(key) } : {}),
        api_base: p.baseUrl ?? env('AZURE_API_BASE'),
        api_version: env('AZURE_API_VERSION'),
      };
    case 'aws-bedrock':
      // the manifest's apiKeyEnv names the secret access key; the key id and region come from the usual variables
      return {
        aws_access_key_id: env('AWS_ACCESS_KEY_ID'),
        ...(key ? { aws_secret_access_key: env(key) } : {}),
        aws_region_name: env('AWS_REGION_NAME'),
      };
    case 'google-vertex':
      // apiKeyEnv names the service-account credentials (JSON) LiteLLM reads as vertex_credentials
      return {
        vertex_project: env('VERTEX_PROJECT'),
        vertex_location: env('VERTEX_LOCATION'),
        ...(key ? { vertex_credentials: env(key) } : {}),
      };
    default:
      return { ...(key ? { api_key: env(key) } : {}), ...(p.baseUrl ? { api_base: p.baseUrl } : {}) };
  }
}

function deployment(p: Provider): Record<string, unknown> {
  const params: Record<string, unknown> = { model: `${PREFIX[p.vendor]}/${p.model}`, ...credentials(p) };
  if (p.limits?.rpm !== undefined) params.rpm = p.limits.rpm;
  if (p.limits?.tpm !== undefined) params.tpm = p.limits.tpm;
  return { model_name: p.id, litellm_params: params, model_info: { id: p.id } };
}

export function litellmConfig(model: DeploymentModel): Record<string, unknown> {
  const m = model.manifest;
  const fallback = hasAutomaticFailover(model);
  const router: Record<string, unknown> = {
    // usage-based-routing-v2 with pre-call checks is what makes LiteLLM keep each deployment under its rpm/tpm
    routing_strategy: 'usage-based-routing-v2',
    enable_pre_call_checks: true,
    num_retries: 2,
    retry_policy: {
      RateLimitErrorRetries: fallback ? RATE_LIMIT_RETRIES_WITH_FALLBACK : RATE_LIMIT_RETRIES_WITHOUT_FALLBACK,
      TimeoutErrorRetries: 2,
      InternalServerErrorRetries: 2,
      AuthenticationErrorRetries: 0,
      BadRequestErrorRetries: 0,
      ContentPolicyViolationErrorRetries: 0,
    },
  };
  if (fallback) router.fallbacks = [{ [model.primary.id]: model.failoverTargets.map((t) => t.provider.id) }];
  const headers = attributionKeys(model).map((k) => k.header);
  const settings: Record<string, unknown> = {
    callbacks: ['prometheus'],
    prometheus_initialize_budget_metrics: true,
  };
  if (headers.length > 0) settings.extra_spend_tag_headers = headers;
  return {
    model_list: [model.primary, ...m.providers.filter((p) => p.id !== model.primary.id)].map(deployment),
    router_settings: router,
    litellm_settings: settings,
  };
}

function configNotes(model: DeploymentModel): string[] {
  const notes = [
    'Clients ask for model "' + model.primary.id + '"; budgets and per-team limits are not in this file:',
    'create the teams in litellm.teams.json through POST /team/new (needs the proxy database).',
    'Running more than one proxy replica? Add router_settings.redis_host/redis_port/redis_password,',
    'or every replica enforces the rpm/tpm limits on its own (the effective limit becomes limit x replicas).',
  ];
  const keys = attributionKeys(model);
  if (keys.length > 0) {
    notes.push(`Attribution: ${keys.map((k) => k.header).join(', ')} become spend tags ("<header>: <value>") on every request.`);
    if (onMissing(model) === 'reject') {
      notes.push('onMissing is reject, but open-source LiteLLM cannot refuse untagged requests: enforce it in the client.');
    }
  }
  return notes;
}

export interface LitellmTeam {
  team_id: string;
  team_alias: string;
  max_budget?: number;
  soft_budget?: number;
  budget_duration?: string;
  rpm_limit?: number;
  tpm_limit?: number;
  metadata: { readiness_tenant: string; use_cases?: string[] };
}

/**
 * One /team/new body per tenant, in manifest order; soft_budget = alertAtFraction x max_budget, in
 * dollars and cents. A tenant without a budget gets no budget fields (LiteLLM then enforces none).
 */
export function litellmTeams(model: DeploymentModel): LitellmTeam[] {
  return model.tenants.map(({ tenant }) => {
    const t: LitellmTeam = { team_id: tenant.id, team_alias: tenant.team ?? tenant.id, metadata: { readiness_tenant: tenant.id } };
    const budget = tenant.budget?.monthlyUsd;
    if (budget !== undefined) {
      t.max_budget = Number(plain(budget, 2));
      // LiteLLM refuses soft_budget >= max_budget: at alertAtFraction 1 the alert is the ceiling itself
      if (model.alertAtFraction < 1) t.soft_budget = Number(plain(budget * model.alertAtFraction, 2));
      t.budget_duration = TEAM_BUDGET_DURATION;
    }
    if (tenant.limits?.rpm !== undefined) t.rpm_limit = tenant.limits.rpm;
    if (tenant.limits?.tpm !== undefined) t.tpm_limit = tenant.limits.tpm;
    if (tenant.useCases?.length) t.metadata.use_cases = [...tenant.useCases];
    return t;
  });
}

export const litellmGenerator: Generator = (ctx: GenerateContext): GeneratedFile[] => {
  // LiteLLM reads its config with PyYAML, which follows YAML 1.1: written as 1.1, a provider id such as
  // yes, off, 1_000 or 0b101 is quoted and stays a string there (as 1.2 plain scalars they became
  // True, False, 1000 and 5)
  const yaml = stringify(litellmConfig(ctx.model), { lineWidth: 0, indent: 2, sortMapEntries: false, version: '1.1' });
  const config = `${hashHeader(ctx)}\n${configNotes(ctx.model).map((l) => `# ${l}`).join('\n')}\n${yaml}`;
  const teams = {
    '//': [...headerLines(ctx), 'Each entry of "teams" is the JSON body of one POST /team/new call to the LiteLLM proxy admin API.'],
    endpoint: '/team/new',
    teams: litellmTeams(ctx.model),
  };
  return [
    { path: LITELLM_CONFIG_PATH, content: config },
    { path: LITELLM_TEAMS_PATH, content: `${JSON.stringify(teams, null, 2)}\n` },
  ];
};
