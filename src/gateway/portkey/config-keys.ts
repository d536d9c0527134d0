import type { SourceRef } from '../types.js';

/**
 * The keys the Portkey gateway reads from a config (`x-portkey-config`, or a saved config), at the root
 * and in each target. The gateway converts the config's snake_case keys to camelCase
 * (src/handlers/handlerUtils.ts, convertKeysToCamelCase) and reads the fields of its Options, Targets
 * and Config types (src/types/requestBody.ts); the request validator's zod schema
 * (src/middlewares/requestValidator/schema/config.ts) names the same keys and drops any other without a
 * word (zod objects strip unknown keys). Confirmed in Portkey-AI/gateway at commit
 * 669825cbe89ee51569918b8f78a9db486fd69dd4 and in the npm build @portkey-ai/gateway 1.15.2.
 */
const COMMIT = '669825cbe89ee51569918b8f78a9db486fd69dd4';
export const PORTKEY_SOURCES: SourceRef[] = [
  { title: 'Portkey-AI/gateway src/types/requestBody.ts (Options, Targets, Config, RetrySettings, Strategy)', url: `https://github.com/Portkey-AI/gateway/blob/${COMMIT}/src/types/requestBody.ts` },
  { title: 'Portkey-AI/gateway src/middlewares/requestValidator/schema/config.ts (config schema)', url: `https://github.com/Portkey-AI/gateway/blob/${COMMIT}/src/middlewares/requestValidator/schema/config.ts` },
  { title: 'Portkey-AI/gateway src/handlers/handlerUtils.ts (convertHooksShorthand: input_guardrails, deny)', url: `https://github.com/Portkey-AI/gateway/blob/${COMMIT}/src/handlers/handlerUtils.ts` },
];
export const PORTKEY_GUARDRAIL_SOURCE: SourceRef = {
  title: 'Portkey-AI/gateway plugins/default/requiredMetadataKeys.ts and plugins/default/manifest.json (metadataKeys, operator)',
  url: `https://github.com/Portkey-AI/gateway/blob/${COMMIT}/plugins/default/requiredMetadataKeys.ts`,
};
export const PORTKEY_FALLBACK_SOURCE: SourceRef = { title: 'Portkey docs: Fallbacks (strategy.mode fallback, on_status_codes)', url: 'https://portkey.ai/docs/product/ai-gateway/fallbacks' };
export const PORTKEY_TIMEOUT_SOURCE: SourceRef = { title: 'Portkey docs: Request timeouts (request_timeout, milliseconds)', url: 'https://portkey.ai/docs/product/ai-gateway/request-timeouts' };

/** Keys of a config and of each of its targets (the same type nests: a target may hold targets). */
export const PORTKEY_TARGET_KEYS: readonly string[] = [
  'ad_auth', 'after_request_hooks', 'amzn_sagemaker_custom_attributes', 'amzn_sagemaker_enable_explanations', 'amzn_sagemaker_inference_component',
  'amzn_sagemaker_inference_id', 'amzn_sagemaker_model_name', 'amzn_sagemaker_session_id', 'amzn_sagemaker_target_container_hostname',
  'amzn_sagemaker_target_model', 'amzn_sagemaker_target_variant', 'anthropic_api_key', 'anthropic_beta', 'anthropic_version', 'api_key', 'api_version',
  'aws_access_key_id', 'aws_auth_type', 'aws_bedrock_model', 'aws_external_id', 'aws_region', 'aws_role_arn', 'aws_secret_access_key',
  'aws_server_side_encryption', 'aws_server_side_encryption_kms_key_id', 'aws_service', 'aws_session_token', 'azure_ad_token', 'azure_api_version',
  'azure_auth_mode', 'azure_deployment_name', 'azure_entra_client_id', 'azure_entra_client_secret', 'azure_entra_scope', 'azure_entra_tenant_id',
  'azure_extra_parameters', 'azure_foundry_url', 'azure_managed_client_id', 'azure_model_name', 'azure_workload_client_id', 'before_request_hooks',
  'cache', 'custom_host', 'default_input_guardrails', 'default_output_guardrails', 'deployment_id', 'filename', 'fireworks_account_id',
  'fireworks_file_length', 'forward_headers', 'foundation_model', 'huggingface_base_url', 'index', 'input_guardrails', 'input_mutators', 'metadata',
  'mistral_fim_completion', 'mode', 'model_pricing_config', 'name', 'on_status_codes', 'openai_beta', 'openai_organization', 'openai_project', 'options',
  'oracle_api_version', 'oracle_compartment_id', 'oracle_fingerprint', 'oracle_key_passphrase', 'oracle_private_key', 'oracle_region',
  'oracle_serving_mode', 'oracle_tenancy', 'oracle_user', 'output_guardrails', 'output_mutators', 'override_params', 'provider', 'request_timeout',
  'resource_name', 'retry', 'snowflake_account', 'stability_client_id', 'stability_client_user_id', 'stability_client_version', 'strategy',
  'strict_open_ai_compliance', 'targets', 'transform_to_form_data', 'vertex_batch_endpoint', 'vertex_model_name', 'vertex_project_id', 'vertex_region',
  'vertex_service_account_json', 'vertex_storage_bucket_name', 'virtual_key', 'weight', 'workers_ai_account_id',
];

/** Keys readiness adds for itself, which the gateway ignores: a comment block and the attribution it expects. */
export const READINESS_PORTKEY_KEYS: readonly string[] = ['//', 'readiness_metadata'];

export const PORTKEY_STRATEGY_KEYS: readonly string[] = ['conditions', 'default', 'mode', 'on_status_codes'];
export const PORTKEY_RETRY_KEYS: readonly string[] = ['attempts', 'on_status_codes', 'use_retry_after_header'];
export const PORTKEY_CACHE_KEYS: readonly string[] = ['max_age', 'mode'];
export const PORTKEY_STRATEGY_MODES: readonly string[] = ['conditional', 'fallback', 'loadbalance', 'single'];

/** Credential keys: a value that is not a `${VAR}` placeholder (or a virtual key) is a literal secret. */
export const PORTKEY_SECRET_KEYS = new Set([
  'api_key', 'aws_secret_access_key', 'aws_session_token', 'azure_ad_token', 'azure_entra_client_secret', 'anthropic_api_key', 'oracle_private_key',
  'oracle_key_passphrase',
]);

/** The default plugin's guardrail that refuses a request missing metadata keys (with deny: true). */
export const PORTKEY_REQUIRED_METADATA_CHECK = 'requiredMetadataKeys';
