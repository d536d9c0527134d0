/**
 * The tables and columns of LiteLLM's own database that `readiness exporter` reads, spelled as
 * LiteLLM's Prisma schema defines them (Prisma creates each table and column under its model and
 * field name, case kept, so SQL must double-quote them: "LiteLLM_SpendLogs", "startTime").
 * Nothing else states a LiteLLM table or column name.
 *
 * Source: schema.prisma at the root of BerriAI/litellm, read at commit 029f645f1c81cbd6c6c48fbc8490d91da937066f
 * (the copy the proxy ships, litellm/proxy/schema.prisma, defines the same models).
 * What LiteLLM writes into them:
 * - LiteLLM_SpendLogs: one row per request through the proxy. A success row from the cost callback;
 *   a failed request gets a row too, with status "failure" and metadata.error_information
 *   (error_code, error_class) (_ProxyDBLogger.async_post_call_failure_hook in
 *   litellm/proxy/hooks/proxy_track_cost_callback.py; the row is built by get_logging_payload in
 *   litellm/proxy/spend_tracking/spend_tracking_utils.py, which also puts user_api_key_alias and
 *   user_api_key_team_alias into metadata).
 * - LiteLLM_ErrorLogs: one row per failed LLM API call (each deployment attempt), with the
 *   deployment's model_id and the exception's status_code (_PROXY_failure_handler in
 *   litellm/proxy/hooks/failure_handler.py; not written with general_settings.disable_error_logs: true).
 * - LiteLLM_TeamTable: each team's max_budget and spend.
 */
import type { SourceRef } from '../types.js';

export const LITELLM_DB_SOURCES: Record<'schema' | 'spendLogs' | 'errorLogs' | 'failureRows', SourceRef> = {
  schema: {
    title: 'BerriAI/litellm, schema.prisma at commit 029f645f (models LiteLLM_SpendLogs, LiteLLM_ErrorLogs, LiteLLM_TeamTable)',
    url: 'https://github.com/BerriAI/litellm/blob/029f645f1c81cbd6c6c48fbc8490d91da937066f/schema.prisma',
  },
  spendLogs: {
    title: 'BerriAI/litellm, litellm/proxy/spend_tracking/spend_tracking_utils.py (get_logging_payload: the columns and metadata of a spend log row)',
    url: 'https://github.com/BerriAI/litellm/blob/main/litellm/proxy/spend_tracking/spend_tracking_utils.py',
  },
  errorLogs: {
    title: 'BerriAI/litellm, litellm/proxy/hooks/failure_handler.py (_PROXY_failure_handler: one LiteLLM_ErrorLogs row per failed call)',
    url: 'https://github.com/BerriAI/litellm/blob/main/litellm/proxy/hooks/failure_handler.py',
  },
  failureRows: {
    title: 'BerriAI/litellm, litellm/proxy/hooks/proxy_track_cost_callback.py (async_post_call_failure_hook: a failed request as a spend log with status "failure")',
    url: 'https://github.com/BerriAI/litellm/blob/main/litellm/proxy/hooks/proxy_track_cost_callback.py',
  },
};

/** Table names (Prisma model names). */
export const LITELLM_TABLES = {
  spendLogs: 'LiteLLM_SpendLogs',
  errorLogs: 'LiteLLM_ErrorLogs',
  team: 'LiteLLM_TeamTable',
} as const;

/** The columns read, per table, as schema.prisma names the fields (with their Prisma types). */
export const LITELLM_COLUMNS = {
  spendLogs: {
    requestId: 'request_id', // String @id
    startTime: 'startTime', // DateTime, indexed with request_id: @@index([startTime, request_id])
    endTime: 'endTime', // DateTime
    status: 'status', // String?: "success" | "failure"
    spend: 'spend', // Float
    promptTokens: 'prompt_tokens', // Int
    completionTokens: 'completion_tokens', // Int
    model: 'model', // String: the model LiteLLM called
    modelId: 'model_id', // String?: model_info.id of the deployment
    modelGroup: 'model_group', // String?: the public model name the client asked for
    provider: 'custom_llm_provider', // String?
    apiBase: 'api_base', // String?
    apiKey: 'api_key', // String: the hashed virtual key
    user: 'user', // String?
    teamId: 'team_id', // String?
    endUser: 'end_user', // String?
    metadata: 'metadata', // Json?
  },
  errorLogs: {
    requestId: 'request_id', // String @id @default(uuid())
    startTime: 'startTime', // DateTime
    modelGroup: 'model_group', // String
    litellmModelName: 'litellm_model_name', // String
    modelId: 'model_id', // String: "" when no deployment was chosen
    apiBase: 'api_base', // String
    exceptionType: 'exception_type', // String: the exception class name
    statusCode: 'status_code', // String
  },
  team: {
    teamId: 'team_id', // String @id
    teamAlias: 'team_alias', // String?
    maxBudget: 'max_budget', // Float?
    spend: 'spend', // Float
  },
} as const;

/** Keys of the spend log's metadata JSON that the exporter reads (SpendLogsMetadata; error_information is StandardLoggingPayloadErrorInformation). */
export const LITELLM_SPEND_METADATA = {
  keyAlias: 'user_api_key_alias',
  teamAlias: 'user_api_key_team_alias',
  errorInformation: 'error_information',
  errorCode: 'error_code',
  errorClass: 'error_class',
} as const;

/** The value of LiteLLM_SpendLogs.status for a failed request (_get_status_for_spend_log: anything else is "success"). */
export const LITELLM_SPEND_STATUS_FAILURE = 'failure';
