/**
 * A generated two-week request log reproducing the seed's incidents one and two, in every input format:
 * an interactive baseline of 2 requests a minute with 4x that (8/min) every evening 17:00-19:00 local, and a
 * batch team running 4 heavy requests a minute every night 23:00-24:00 and on Saturdays 10:00-16:00,
 * costing two thirds of the total. Every 100th interactive request carries no tenant. Deterministic.
 *
 * Local time America/New_York, 2026-11-02 (Mon) to 2026-11-15 (Sun): EST all along (UTC-5).
 */
export interface GenRecord {
  ts: number;
  tenant: string | null;
  useCase: string;
  model: string;
  input: number;
  output: number;
  cost: number;
}

const OFFSET_MS = 5 * 3_600_000;
const DAY = 86_400_000;
const START_LOCAL = Date.UTC(2026, 10, 2); // Monday, local midnight (as wall clock)

export const INCIDENT = {
  days: 14,
  interactive: { input: 500, output: 200, cost: 0.00325 },
  batch: { input: 9000, output: 3000, cost: 0.0525 },
  requests: 56_640,
  interactiveRequests: 50_400,
  batchRequests: 6_240,
  untagged: 504,
  support: 25_200,
  sales: 24_696,
};

export function incidentRecords(): GenRecord[] {
  const out: GenRecord[] = [];
  let i = 0;
  for (let d = 0; d < INCIDENT.days; d++) {
    const weekday = (d + 1) % 7; // 0 = Sunday; day 0 is a Monday
    for (let minute = 0; minute < 1440; minute++) {
      const hour = Math.floor(minute / 60);
      const wall = START_LOCAL + d * DAY + minute * 60_000;
      const interactive = hour >= 17 && hour < 19 ? 8 : 2;
      const batch = hour === 23 || (weekday === 6 && hour >= 10 && hour < 16) ? 4 : 0;
      const n = interactive + batch;
      for (let k = 0; k < n; k++) {
        const ts = wall + OFFSET_MS + Math.floor((k * 60_000) / n) + 7;
        if (k < interactive) {
          const tenant = i % 100 === 99 ? null : i % 2 === 0 ? 'support' : 'sales';
          i++;
          out.push({ ts, tenant, useCase: 'chat', model: 'gpt-4o', input: INCIDENT.interactive.input, output: INCIDENT.interactive.output, cost: INCIDENT.interactive.cost });
        } else {
          out.push({ ts, tenant: 'batch', useCase: 'nightly-reports', model: 'gpt-4o', input: INCIDENT.batch.input, output: INCIDENT.batch.output, cost: INCIDENT.batch.cost });
        }
      }
    }
  }
  return out;
}

const iso = (ms: number) => new Date(ms).toISOString();
/** LiteLLM's startTime as psql prints a timestamp without zone: "2026-11-02 22:00:00.007" (UTC) */
const naive = (ms: number) => iso(ms).replace('T', ' ').replace('Z', '');

export function toJsonl(rs: GenRecord[]): string {
  return rs
    .map((r, n) =>
      JSON.stringify({
        // alternate RFC 3339 with an offset (local) and epoch milliseconds: both are accepted
        timestamp: n % 2 ? r.ts : localIso(r.ts),
        tenant: r.tenant,
        use_case: r.useCase,
        model: r.model,
        input_tokens: r.input,
        output_tokens: r.output,
        status: 200,
        cost_usd: r.cost,
      }),
    )
    .join('\n')
    .concat('\n');
}

/** "2026-11-02T17:00:00.007-05:00" */
function localIso(ms: number): string {
  return `${iso(ms - OFFSET_MS).slice(0, 23)}-05:00`;
}

export function toCsv(rs: GenRecord[]): string {
  const head = 'timestamp,tenant,use_case,model,input_tokens,output_tokens,status,cost_usd';
  return `${[head, ...rs.map((r) => [iso(r.ts), r.tenant ?? '', r.useCase, r.model, r.input, r.output, 200, r.cost].join(','))].join('\n')}\n`;
}

const LITELLM_COLUMNS = [
  'request_id', 'call_type', 'api_key', 'spend', 'total_tokens', 'prompt_tokens', 'completion_tokens', 'startTime', 'endTime',
  'request_duration_ms', 'completionStartTime', 'model', 'model_id', 'model_group', 'custom_llm_provider', 'api_base', 'user',
  'metadata', 'cache_hit', 'cache_key', 'request_tags', 'team_id', 'organization_id', 'end_user', 'requester_ip_address',
  'messages', 'response', 'session_id', 'status', 'mcp_namespaced_tool_name', 'agent_id', 'proxy_server_request',
];

function litellmRow(r: GenRecord, n: number): Record<string, unknown> {
  return {
    request_id: `chatcmpl-${n}`,
    call_type: 'acompletion',
    api_key: '88dc28d0f030c55ed4ab77ed8faf098196cb1c05df778539800c9f1243fe6b4b',
    spend: r.cost,
    total_tokens: r.input + r.output,
    prompt_tokens: r.input,
    completion_tokens: r.output,
    startTime: r.ts,
    endTime: r.ts + 900,
    request_duration_ms: 900,
    completionStartTime: r.ts + 300,
    model: 'gpt-4o-2024-08-06',
    model_id: 'm-1',
    model_group: r.model,
    custom_llm_provider: 'openai',
    api_base: 'https://api.openai.com/v1',
    user: '',
    metadata: { user_api_key_team_id: r.tenant, user_api_key_alias: null, spend_logs_metadata: null },
    cache_hit: 'False',
    cache_key: '',
    request_tags: r.tenant ? [`team:${r.tenant}`, `use-case:${r.useCase}`] : [],
    team_id: r.tenant,
    organization_id: null,
    end_user: null,
    requester_ip_address: '10.0.0.7',
    messages: {},
    response: {},
    session_id: null,
    status: 'success',
    mcp_namespaced_tool_name: null,
    agent_id: null,
    proxy_server_request: {},
  };
}

/** psql's `\copy (SELECT * FROM "LiteLLM_SpendLogs") TO 'f.csv' WITH CSV HEADER`: NULL empty, JSON quoted. */
export function toLiteLLMCsv(rs: GenRecord[]): string {
  const cell = (k: string, v: unknown): string => {
    if (v === null || v === undefined) return '';
    if (k === 'startTime' || k === 'endTime' || k === 'completionStartTime') return naive(v as number);
    if (typeof v === 'object') return `"${JSON.stringify(v).replace(/"/g, '""')}"`;
    return String(v);
  };
  const lines = rs.map((r, n) => {
    const row = litellmRow(r, n);
    return LITELLM_COLUMNS.map((k) => cell(k, row[k])).join(',');
  });
  return `${[LITELLM_COLUMNS.join(','), ...lines].join('\n')}\n`;
}

/** GET /spend/logs: a JSON array of LiteLLM_SpendLogs rows, times as ISO 8601 without an offset (UTC). */
export function toLiteLLMJson(rs: GenRecord[]): string {
  const rows = rs.map((r, n) => {
    const row = litellmRow(r, n);
    for (const k of ['startTime', 'endTime', 'completionStartTime']) row[k] = iso(row[k] as number).replace('Z', '000');
    return JSON.stringify(row, null, 2).replace(/^/gm, '  ');
  });
  return `[\n${rows.join(',\n')}\n]\n`;
}

/** A manifest whose declared figures pass the three checks the log contradicts. */
export const INCIDENT_MANIFEST = `apiVersion: readiness/v1
kind: AgentDeployment
metadata: {name: incident-replay, operator: acme, environment: production}
operator:
  industry: technology
  timezone: America/New_York
traffic:
  averageRpm: 1
  peakRpm: 4
  peakWindow: "17:00-19:00"
  tokensPerRequest: {input: 500, output: 200}
providers:
  - id: openai-main
    vendor: openai
    model: gpt-4o
    limits: {rpm: 10, tpm: 100000}
    pricing: {inputPerMTok: 2.50, outputPerMTok: 10.00}
    apiKeyEnv: OPENAI_API_KEY
  - id: anthropic-backup
    vendor: anthropic
    model: claude-sonnet-4-5
    limits: {rpm: 10, tpm: 100000}
    pricing: {inputPerMTok: 3.00, outputPerMTok: 15.00}
    apiKeyEnv: ANTHROPIC_API_KEY
routing:
  primary: openai-main
  failover: {mode: automatic, targets: [anthropic-backup], onStatus: [500, 502, 503, 504]}
gateway:
  kind: litellm
  edition: enterprise
  attribution:
    headers: {operator: x-operator-id, team: x-team-id, useCase: x-use-case-id}
    onMissing: reject
    enforcedBy: virtual-keys
    aggregation: daily
tenants:
  - {id: support, team: support, useCases: [chat], dailyRequests: 1000, costPerRequestUsd: 0.00325, limits: {rpm: 3}, budget: {monthlyUsd: 300}}
  - {id: sales, team: sales, useCases: [chat], dailyRequests: 1000, costPerRequestUsd: 0.00325, limits: {rpm: 3}, budget: {monthlyUsd: 300}}
  - {id: batch, team: batch, useCases: [nightly-reports], dailyRequests: 100, costPerRequestUsd: 0.0525, limits: {rpm: 4}, budget: {monthlyUsd: 300}}
budgets: {accountMonthlyUsd: 1000, alertAtFraction: 0.7, alertByDay: 15, onExceeded: block}
`;
