/**
 * The statements the exporter runs against LiteLLM's database, built from the table and column
 * names in src/gateway/litellm/db-schema.ts (quoted as Prisma creates them). Each log query reads
 * one bounded page after a (startTime, request_id) cursor, in that order, which the
 * @@index([startTime, request_id]) of LiteLLM_SpendLogs serves. Times travel as text in UTC
 * (Prisma stores DateTime as timestamp(3) in UTC), so no driver's time-zone handling is involved.
 */
import { LITELLM_COLUMNS, LITELLM_SPEND_METADATA, LITELLM_TABLES } from '../gateway/litellm/db-schema.js';

/** A Postgres identifier, double-quoted (Prisma keeps the case: "startTime"). */
export function ident(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** The text form of every time the exporter reads and sends: ISO 8601 without zone, microseconds, UTC. */
export const TIME_FORMAT = `'YYYY-MM-DD"T"HH24:MI:SS.US'`;
const asText = (expr: string) => `to_char(${expr}, ${TIME_FORMAT})`;

const S = LITELLM_COLUMNS.spendLogs;
const E = LITELLM_COLUMNS.errorLogs;
const T = LITELLM_COLUMNS.team;
const M = LITELLM_SPEND_METADATA;

const jsonText = (col: string, key: string) => `${ident(col)}->>'${key}'`;
const errorInfo = (key: string) => `${ident(S.metadata)}->'${M.errorInformation}'->>'${key}'`;

/** The database's clock, in UTC, in TIME_FORMAT: where a first poll starts. */
export const NOW_SQL = `SELECT ${asText(`now() AT TIME ZONE 'UTC'`)} AS now`;

/** $1 cursor time (text), $2 cursor request_id, $3 page size. */
export const SPEND_LOGS_SQL = [
  'SELECT',
  [
    `${ident(S.requestId)} AS request_id`,
    `${asText(ident(S.startTime))} AS start_time`,
    `EXTRACT(EPOCH FROM (${ident(S.endTime)} - ${ident(S.startTime)}))::float8 AS duration_seconds`,
    `${ident(S.status)} AS status`,
    `${ident(S.spend)} AS spend`,
    `${ident(S.promptTokens)} AS prompt_tokens`,
    `${ident(S.completionTokens)} AS completion_tokens`,
    `${ident(S.model)} AS model`,
    `${ident(S.modelId)} AS model_id`,
    `${ident(S.modelGroup)} AS model_group`,
    `${ident(S.provider)} AS provider`,
    `${ident(S.apiBase)} AS api_base`,
    `${ident(S.apiKey)} AS api_key`,
    `${ident(S.user)} AS "user"`,
    `${ident(S.teamId)} AS team_id`,
    `${ident(S.endUser)} AS end_user`,
    `${jsonText(S.metadata, M.keyAlias)} AS key_alias`,
    `${jsonText(S.metadata, M.teamAlias)} AS team_alias`,
    `${errorInfo(M.errorCode)} AS error_code`,
    `${errorInfo(M.errorClass)} AS error_class`,
  ].join(', '),
  `FROM ${ident(LITELLM_TABLES.spendLogs)}`,
  `WHERE (${ident(S.startTime)}, ${ident(S.requestId)}) > ($1::timestamp, $2::text)`,
  `ORDER BY ${ident(S.startTime)}, ${ident(S.requestId)}`,
  'LIMIT $3',
].join(' ');

/** $1 cursor time (text), $2 cursor request_id, $3 page size. */
export const ERROR_LOGS_SQL = [
  'SELECT',
  [
    `${ident(E.requestId)} AS request_id`,
    `${asText(ident(E.startTime))} AS start_time`,
    `${ident(E.modelGroup)} AS model_group`,
    `${ident(E.litellmModelName)} AS litellm_model_name`,
    `${ident(E.modelId)} AS model_id`,
    `${ident(E.apiBase)} AS api_base`,
    `${ident(E.exceptionType)} AS exception_type`,
    `${ident(E.statusCode)} AS status_code`,
  ].join(', '),
  `FROM ${ident(LITELLM_TABLES.errorLogs)}`,
  `WHERE (${ident(E.startTime)}, ${ident(E.requestId)}) > ($1::timestamp, $2::text)`,
  `ORDER BY ${ident(E.startTime)}, ${ident(E.requestId)}`,
  'LIMIT $3',
].join(' ');

/** Teams with a budget; $1 the most rows to read. */
export const TEAMS_SQL = [
  'SELECT',
  [
    `${ident(T.teamId)} AS team_id`,
    `${ident(T.teamAlias)} AS team_alias`,
    `${ident(T.maxBudget)} AS max_budget`,
    `${ident(T.spend)} AS spend`,
  ].join(', '),
  `FROM ${ident(LITELLM_TABLES.team)}`,
  `WHERE ${ident(T.maxBudget)} IS NOT NULL`,
  `ORDER BY ${ident(T.teamId)}`,
  'LIMIT $1',
].join(' ');

/** How many teams have a budget (read only when TEAMS_SQL hit its limit). */
export const TEAMS_COUNT_SQL = `SELECT count(*)::int AS teams FROM ${ident(LITELLM_TABLES.team)} WHERE ${ident(T.maxBudget)} IS NOT NULL`;
