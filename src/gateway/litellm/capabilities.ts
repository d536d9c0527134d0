import type { Capability, CapabilityId, SourceRef } from '../types.js';

/**
 * What the LiteLLM proxy can enforce, and how. Each row was confirmed in LiteLLM's docs or source
 * (BerriAI/litellm); the checks ask this table, never their own idea of LiteLLM.
 */
const S = {
  virtualKeys: { title: 'LiteLLM: virtual keys (master_key + database_url, /key/generate)', url: 'https://github.com/BerriAI/litellm/blob/main/docs/my-website/docs/proxy/virtual_keys.md' },
  rejectTags: { title: 'LiteLLM: reject client-side metadata tags (general_settings.reject_clientside_metadata_tags)', url: 'https://github.com/BerriAI/litellm/blob/main/docs/my-website/docs/proxy/reject_clientside_metadata_tags.md' },
  enterprise: { title: 'LiteLLM: Enterprise features ("Enforce Required Params for LLM Requests")', url: 'https://github.com/BerriAI/litellm/blob/main/docs/my-website/docs/proxy/enterprise.md' },
  teams: { title: 'LiteLLM: budgets and rate limits per team', url: 'https://docs.litellm.ai/docs/proxy/users' },
  reliability: { title: 'LiteLLM: fallbacks, retries, timeouts (reliability)', url: 'https://github.com/BerriAI/litellm/blob/main/docs/my-website/docs/proxy/reliability.md' },
  timeout: { title: 'LiteLLM: timeouts (request_timeout, timeout, stream_timeout)', url: 'https://docs.litellm.ai/docs/proxy/timeout' },
  multiInstance: { title: 'LiteLLM: multi-instance TPM/RPM (router with redis_host/redis_port/redis_password)', url: 'https://docs.litellm.ai/docs/load_test_rpm' },
  perPod: { title: 'LiteLLM issue 40291: rate limits enforced per pod without Redis', url: 'https://github.com/BerriAI/litellm/issues/40291' },
  spend: { title: 'LiteLLM: spend tracking', url: 'https://github.com/BerriAI/litellm/blob/main/docs/my-website/docs/proxy/cost_tracking.md' },
  prometheus: { title: 'LiteLLM source: litellm/integrations/prometheus.py (premium_user check, litellm_not_a_premium_user_metric)', url: 'https://github.com/BerriAI/litellm/blob/main/litellm/integrations/prometheus.py' },
  prometheusDocs: { title: 'LiteLLM: Prometheus metrics (Enterprise)', url: 'https://docs.litellm.ai/docs/proxy/prometheus' },
} satisfies Record<string, SourceRef>;

export const LITELLM_CAPABILITIES: Partial<Record<CapabilityId, Capability>> = {
  'refuse-untagged': {
    id: 'refuse-untagged',
    can: 'conditional',
    how: 'one virtual key per tenant and use case (POST /key/generate with team_id and metadata.tags); with general_settings.master_key set a request without a valid key is refused, and reject_clientside_metadata_tags stops a client overriding the key\'s tags. Header tags alone are recorded, never enforced: refusing requests that lack a header or param (general_settings.enforced_params) is an Enterprise feature',
    requires: ['general_settings.master_key and database_url set', 'one virtual key per tenant and use case, carrying team_id and metadata tags', 'gateway.attribution.enforcedBy: virtual-keys in the manifest'],
    sources: [S.virtualKeys, S.rejectTags, S.enterprise],
  },
  'per-tenant-budget': {
    id: 'per-tenant-budget',
    can: 'conditional',
    how: 'a team per tenant (POST /team/new with max_budget and budget_duration); requests on the team\'s keys are refused once the budget is spent',
    requires: ['general_settings.master_key and database_url set', 'requests use virtual keys that belong to the team'],
    sources: [S.teams, S.virtualKeys],
  },
  'per-tenant-rpm': {
    id: 'per-tenant-rpm',
    can: 'conditional',
    how: 'rpm_limit on the team (POST /team/new); enforced on requests made with the team\'s virtual keys',
    requires: ['general_settings.master_key and database_url set', 'requests use virtual keys that belong to the team'],
    sources: [S.teams],
  },
  'per-tenant-tpm': {
    id: 'per-tenant-tpm',
    can: 'conditional',
    how: 'tpm_limit on the team (POST /team/new); enforced on requests made with the team\'s virtual keys',
    requires: ['general_settings.master_key and database_url set', 'requests use virtual keys that belong to the team'],
    sources: [S.teams],
  },
  'fallback-on-status': {
    id: 'fallback-on-status',
    can: 'yes',
    how: 'router_settings.fallbacks: after num_retries a failed call (rate limit, 5xx) goes to the next model group; LiteLLM falls back on error classes, not on a list of status codes',
    sources: [S.reliability],
  },
  'fallback-on-timeout': {
    id: 'fallback-on-timeout',
    can: 'yes',
    how: 'litellm_params.timeout / stream_timeout per deployment (and litellm_settings.request_timeout) raise a Timeout error, which is retried (retry_policy.TimeoutErrorRetries) and then falls back like any other failure',
    sources: [S.timeout, S.reliability],
  },
  'cluster-wide-limits': {
    id: 'cluster-wide-limits',
    can: 'conditional',
    how: 'router_settings.redis_host/redis_port/redis_password: the replicas share usage counters in Redis; without it each replica enforces every rpm/tpm limit on its own (effective limit = limit x replicas)',
    requires: ['Redis shared by all replicas (router_settings.redis_host, redis_port, redis_password)'],
    sources: [S.multiInstance, S.perPod],
  },
  'cost-by-tenant': {
    id: 'cost-by-tenant',
    can: 'conditional',
    how: 'spend is recorded per team and key in LiteLLM_SpendLogs; extra_spend_tag_headers adds header values as spend tags',
    requires: ['general_settings.master_key and database_url set (spend logs live in the database)'],
    sources: [S.spend, S.virtualKeys],
  },
  'prometheus-metrics': {
    id: 'prometheus-metrics',
    can: 'conditional',
    how: 'litellm_settings.callbacks: [prometheus] serves /metrics; since 15 September 2024 it is an Enterprise feature: without LITELLM_LICENSE the callback registers only litellm_not_a_premium_user_metric and returns, so every metric the litellm alert profile queries is absent',
    requires: ['LiteLLM Enterprise licence (LITELLM_LICENSE)'],
    sources: [S.prometheus, S.prometheusDocs],
  },
};
