import type { SourceRef } from '../types.js';

/**
 * The keys LiteLLM's proxy reads from its config.yaml, per section, each group with where it was
 * confirmed. The linter (lint.ts) checks a deployed config against these lists, and what the writer
 * emits must be in them (test/drift.test.ts proves the generated config lints clean).
 *
 * How strictly a section is judged follows how LiteLLM reads it:
 * - `strict`: a key outside the list is ignored by LiteLLM (root keys it never looks up, model_list
 *   entry keys, router_settings keys that are not Router.__init__ arguments: proxy_server.py copies only
 *   `k in available_args` from router_settings). Such a key is reported, with a did-you-mean when one
 *   is close.
 * - `near-miss`: LiteLLM accepts keys beyond any list (litellm_settings are set as attributes of the
 *   litellm module; general_settings is read with .get() in many places; litellm_params passes provider
 *   keyword arguments through). Only a key that is not in the list and is one or two letters away from a
 *   listed key is reported: a typo of a known key, which LiteLLM then silently ignores.
 */
export interface KeyGroup {
  /** where the keys sit: '' for the root, 'model_list[]' for each deployment entry, or a section name */
  section: string;
  keys: readonly string[];
  mode: 'strict' | 'near-miss' | 'free';
  sources: SourceRef[];
}

const CONFIGS_DOC: SourceRef = { title: 'LiteLLM docs: Proxy Config.yaml (overview of config.yaml sections)', url: 'https://docs.litellm.ai/docs/proxy/configs' };
const SETTINGS_DOC: SourceRef = { title: 'LiteLLM docs: All settings (config_settings.md: litellm_settings, general_settings, router_settings reference tables)', url: 'https://docs.litellm.ai/docs/proxy/config_settings' };
const TYPES_SRC: SourceRef = {
  title: 'BerriAI/litellm litellm/proxy/_types.py: ConfigYAML and ConfigGeneralSettings ("Documents all the fields supported by general_settings")',
  url: 'https://github.com/BerriAI/litellm/blob/main/litellm/proxy/_types.py',
};
const PROXY_SRC: SourceRef = {
  title: 'BerriAI/litellm litellm/proxy/proxy_server.py: ProxyConfig.load_config (router_settings filtered by Router.__init__ arguments; credential_list, search_tools)',
  url: 'https://github.com/BerriAI/litellm/blob/main/litellm/proxy/proxy_server.py',
};
const ROUTER_SRC: SourceRef = { title: 'BerriAI/litellm litellm/router.py: Router.__init__ arguments', url: 'https://github.com/BerriAI/litellm/blob/main/litellm/router.py' };
const EXAMPLES_SRC: SourceRef = {
  title: 'BerriAI/litellm litellm/proxy/example_config_yaml/*.yaml (load_balancer.yaml: rpm/tpm beside litellm_params; oai_misc_config.yaml: files_settings, finetune_settings; builtin_mcp_config.yaml: mcp_builtin_servers; otel_test_config.yaml: guardrails)',
  url: 'https://github.com/BerriAI/litellm/tree/main/litellm/proxy/example_config_yaml',
};
const INPUT_DOC: SourceRef = { title: 'LiteLLM docs: completion() input parameters (what litellm_params passes on)', url: 'https://docs.litellm.ai/docs/completion/input' };
const PRICING_DOC: SourceRef = { title: 'LiteLLM docs: Custom pricing (input_cost_per_token, output_cost_per_token in litellm_params or model_info)', url: 'https://docs.litellm.ai/docs/proxy/custom_pricing' };
const TAGS_DOC: SourceRef = { title: 'LiteLLM docs: Spend tracking, extra_spend_tag_headers', url: 'https://docs.litellm.ai/docs/proxy/cost_tracking' };
const PROM_DOC: SourceRef = { title: 'LiteLLM docs: Prometheus metrics (callbacks: ["prometheus"], prometheus_initialize_budget_metrics, custom_prometheus_metadata_labels)', url: 'https://docs.litellm.ai/docs/proxy/prometheus' };

export const LITELLM_KEY_GROUPS: readonly KeyGroup[] = [
  {
    section: '',
    mode: 'strict',
    keys: [
      'assistant_settings', 'callback_settings', 'credential_list', 'environment_variables', 'files_settings', 'finetune_settings', 'general_settings',
      'guardrails', 'include', 'litellm_settings', 'mcp_builtin_servers', 'mcp_servers', 'model_list', 'router_settings', 'search_tools', 'worker_registry',
    ],
    sources: [CONFIGS_DOC, SETTINGS_DOC, TYPES_SRC, PROXY_SRC, EXAMPLES_SRC, { title: 'LiteLLM docs: File Management (include external YAML files in a config.yaml)', url: 'https://docs.litellm.ai/docs/proxy/config_management' }],
  },
  {
    section: 'model_list[]',
    mode: 'strict',
    // rpm and tpm beside litellm_params are read by the router's usage-based strategies (load_balancer.yaml)
    keys: ['litellm_params', 'model_info', 'model_name', 'rpm', 'tpm'],
    sources: [CONFIGS_DOC, EXAMPLES_SRC],
  },
  {
    section: 'model_list[].litellm_params',
    mode: 'near-miss',
    keys: [
      'api_base', 'api_key', 'api_version', 'aws_access_key_id', 'aws_region_name', 'aws_secret_access_key', 'aws_session_token', 'base_model',
      'custom_llm_provider', 'input_cost_per_second', 'input_cost_per_token', 'max_budget', 'budget_duration', 'max_parallel_requests', 'max_retries', 'max_tokens', 'model',
      'mock_response', 'order', 'organization', 'output_cost_per_second', 'output_cost_per_token', 'region_name', 'rpm', 'stream_timeout', 'tags', 'temperature',
      'timeout', 'tpm', 'use_in_pass_through', 'vertex_credentials', 'vertex_location', 'vertex_project', 'weight',
    ],
    sources: [CONFIGS_DOC, INPUT_DOC, PRICING_DOC, EXAMPLES_SRC],
  },
  {
    section: 'model_list[].model_info',
    mode: 'near-miss',
    keys: ['base_model', 'id', 'input_cost_per_token', 'max_input_tokens', 'max_output_tokens', 'max_tokens', 'mode', 'output_cost_per_token', 'supports_vision'],
    sources: [SETTINGS_DOC, PRICING_DOC],
  },
  {
    section: 'litellm_settings',
    mode: 'near-miss',
    keys: [
      'cache', 'cache_params', 'callbacks', 'content_policy_fallbacks', 'context_window_fallbacks', 'custom_prometheus_metadata_labels', 'default_fallbacks',
      'default_team_settings', 'disable_add_transform_inline_image_block', 'disable_copilot_system_to_assistant', 'disable_end_user_cost_tracking',
      'disable_end_user_cost_tracking_prometheus_only', 'disable_hf_tokenizer_download', 'drop_params', 'enable_json_schema_validation',
      'enable_key_alias_format_validation', 'enable_preview_features', 'extra_spend_tag_headers', 'failure_callback', 'fallbacks', 'force_ipv4',
      'include_cost_in_streaming_usage', 'json_logs', 'key_generation_settings', 'langfuse_default_tags', 'max_budget', 'budget_duration', 'mcp_aliases', 'modify_params',
      'num_retries', 'prometheus_initialize_budget_metrics', 'redact_user_api_key_info', 'request_timeout', 'service_callbacks', 'set_verbose', 'success_callback',
      'telemetry', 'timezone', 'turn_off_message_logging', 'use_chat_completions_url_for_anthropic_messages',
    ],
    sources: [SETTINGS_DOC, TAGS_DOC, PROM_DOC, EXAMPLES_SRC],
  },
  {
    section: 'general_settings',
    mode: 'near-miss',
    keys: [
      'admin_only_routes', 'alert_to_webhook_url', 'alert_types', 'alerting', 'alerting_args', 'alerting_threshold', 'allow_client_side_credentials',
      'allow_requests_on_db_unavailable', 'allow_user_auth', 'allowed_ips', 'allowed_routes', 'apply_user_budget_to_team_keys', 'background_health_checks',
      'cancel_on_disconnect', 'completion_model', 'control_plane_url', 'coordination_redis', 'custom_auth', 'custom_key_generate', 'custom_sso',
      'database_args', 'database_connect_timeout', 'database_connection_pool_limit', 'database_connection_timeout', 'database_socket_timeout', 'database_type',
      'database_url', 'default_team_disabled', 'disable_adding_master_key_hash_to_db', 'disable_budget_reservation', 'disable_error_logs', 'disable_master_key_return',
      'disable_prisma_schema_update', 'disable_reset_budget', 'disable_responses_id_security', 'disable_retry_on_max_parallel_request_limit_error',
      'disable_spend_logs', 'disable_spend_updates', 'embedding_model', 'enable_jwt_auth', 'enable_oauth2_auth', 'enable_oauth2_proxy_auth',
      'enable_public_model_hub', 'enforce_user_param', 'enforced_params', 'forward_client_headers_to_llm_api', 'forward_openai_org_id',
      'global_max_parallel_requests', 'health_check_details', 'health_check_interval', 'image_generation_model', 'infer_model_from_keys',
      'key_management_settings', 'key_management_system', 'litellm_jwtauth', 'litellm_key_header_name', 'litellm_license', 'master_key',
      'max_parallel_requests', 'max_request_size_mb', 'max_response_size_mb', 'maximum_spend_logs_retention_interval', 'maximum_spend_logs_retention_period',
      'moderation_model', 'oauth2_config_mappings', 'otel', 'pass_through_endpoints', 'proxy_batch_polling_interval', 'proxy_batch_write_at',
      'proxy_budget_rescheduler_max_time', 'proxy_budget_rescheduler_min_time', 'public_routes', 'reject_clientside_metadata_tags',
      'service_account_settings', 'spend_report_frequency', 'store_model_in_db', 'store_prompts_in_spend_logs', 'supported_db_objects', 'ui_access_mode',
      'use_azure_key_vault', 'use_client_credentials_pass_through_routes', 'use_google_kms', 'use_redis_transaction_buffer', 'use_x_forwarded_for',
      'user_api_key_cache_ttl', 'user_header_mappings', 'user_header_name', 'user_mcp_management_mode',
    ],
    sources: [SETTINGS_DOC, TYPES_SRC, EXAMPLES_SRC],
  },
  {
    section: 'router_settings',
    mode: 'strict',
    keys: [
      'allowed_fails', 'allowed_fails_policy', 'assistants_config', 'cache_kwargs', 'cache_responses', 'caching_groups', 'client_ttl', 'content_policy_fallbacks',
      'context_window_fallbacks', 'cooldown_time', 'debug_level', 'default_fallbacks', 'default_litellm_params', 'default_max_parallel_requests',
      'default_priority', 'deployment_affinity_ttl_seconds', 'disable_cooldowns', 'enable_pre_call_checks', 'enable_tag_filtering', 'fallbacks',
      'guardrail_list', 'ignore_invalid_deployments', 'max_fallbacks', 'model_group_alias', 'model_group_retry_policy', 'num_retries',
      'optional_pre_call_checks', 'polling_interval', 'provider_budget_config', 'redis_db', 'redis_host', 'redis_password', 'redis_port', 'redis_url',
      'retry_after', 'retry_policy', 'router_general_settings', 'routing_strategy', 'routing_strategy_args', 'search_tools', 'set_verbose', 'stream_timeout',
      'tag_filtering_match_any', 'timeout',
    ],
    // config_settings.md also lists `enable_pre_call_check` (singular); Router takes `enable_pre_call_checks`,
    // so the singular is left out on purpose: it is reported with a did-you-mean.
    sources: [SETTINGS_DOC, PROXY_SRC, ROUTER_SRC],
  },
  {
    section: 'router_settings.retry_policy',
    mode: 'strict',
    keys: [
      'AuthenticationErrorRetries', 'BadRequestErrorRetries', 'ContentPolicyViolationErrorRetries', 'InternalServerErrorRetries', 'RateLimitErrorRetries',
      'TimeoutErrorRetries',
    ],
    sources: [SETTINGS_DOC, { title: 'LiteLLM docs: Reliability, retry_policy per exception type', url: 'https://docs.litellm.ai/docs/proxy/reliability' }],
  },
  { section: 'environment_variables', mode: 'free', keys: [], sources: [CONFIGS_DOC] },
];

/** The group for a section ('' root, 'model_list[]', 'router_settings', ...), if LiteLLM's keys there are listed. */
export function litellmKeyGroup(section: string): KeyGroup | undefined {
  return LITELLM_KEY_GROUPS.find((g) => g.section === section);
}

/** Team fields of LiteLLM's /team/new and /team/list (the ones drift compares). */
export const LITELLM_TEAM_FIELDS = ['team_id', 'team_alias', 'max_budget', 'soft_budget', 'budget_duration', 'rpm_limit', 'tpm_limit', 'metadata', 'models'] as const;
export const LITELLM_TEAM_SOURCES: SourceRef[] = [
  { title: 'LiteLLM docs: Budgets, rate limits (POST /team/new max_budget, budget_duration, rpm_limit, tpm_limit)', url: 'https://docs.litellm.ai/docs/proxy/users' },
  { title: 'LiteLLM docs: Virtual keys (GET /key/list, POST /key/generate team_id, max_budget)', url: 'https://docs.litellm.ai/docs/proxy/virtual_keys' },
];

/** The prefix LiteLLM reads a value from the environment with (`api_key: os.environ/OPENAI_API_KEY`). */
export const LITELLM_ENV_PREFIX = 'os.environ/';
export const LITELLM_ENV_SOURCE: SourceRef = CONFIGS_DOC;

/** Settings keys whose values are credentials: a literal there is a secret in the file. */
export const LITELLM_SECRET_KEYS = new Set([
  'api_key', 'aws_secret_access_key', 'aws_session_token', 'master_key', 'database_url', 'redis_password', 'password', 'vertex_credentials',
  'langfuse_secret', 's3_aws_secret_access_key', 'azure_ad_token', 'client_secret',
]);

/** Spec text for the callback that makes LiteLLM export Prometheus metrics. */
export const LITELLM_PROMETHEUS_CALLBACK = 'prometheus';
export const LITELLM_PROM_SOURCE = PROM_DOC;
export const LITELLM_TAGS_SOURCE = TAGS_DOC;
export const LITELLM_SETTINGS_SOURCE = SETTINGS_DOC;
export const LITELLM_RELIABILITY_SOURCE: SourceRef = { title: 'LiteLLM docs: Reliability (fallbacks, retry_policy, timeouts)', url: 'https://docs.litellm.ai/docs/proxy/reliability' };
export const LITELLM_REDIS_SOURCE: SourceRef = { title: 'LiteLLM docs: Load balancing across proxy instances (router_settings redis_host, redis_port, redis_password)', url: 'https://docs.litellm.ai/docs/proxy/load_balancing' };
export const LITELLM_VIRTUAL_KEYS_SOURCE: SourceRef = { title: 'LiteLLM docs: Virtual keys (master_key and database_url are required for keys, teams and budgets)', url: 'https://docs.litellm.ai/docs/proxy/virtual_keys' };
