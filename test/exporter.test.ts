import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { stringify } from 'yaml';
import { PROFILES } from '../src/generate/metrics.js';
import { LITELLM_COLUMNS, LITELLM_TABLES } from '../src/gateway/litellm/db-schema.js';
import type { Queryable, Row } from '../src/exporter/db.js';
import { type ErrorRow, ExporterMetrics, type SpendRow, type TeamRow } from '../src/exporter/metrics.js';
import { LITELLM_METRICS } from '../src/gateway/litellm/metrics.js';
import { EXPORTER_FEEDS, type LitellmMetricKey, type LitellmRows } from '../src/gateway/litellm/metrics-sources.js';
import { Poller, timeMinus } from '../src/exporter/poll.js';
import { startExporter } from '../src/exporter/run.js';
import { EXPOSITION_CONTENT_TYPE, parseListen, serveMetrics } from '../src/exporter/server.js';
import { ERROR_LOGS_SQL, NOW_SQL, SPEND_LOGS_SQL, TEAMS_COUNT_SQL, TEAMS_SQL, TIME_FORMAT } from '../src/exporter/sql.js';
import { ROOT, runInProcess } from './helpers/cli.js';
import { promtool } from './helpers/promtool.js';
import { needs, toolPath } from './helpers/tools.js';

/**
 * LiteLLM's three tables in memory, answering the exporter's four statements as PostgreSQL does:
 * rows after the (start_time, request_id) cursor, in that order, at most LIMIT of them. The SQL
 * itself is proven against PostgreSQL with LiteLLM's DDL (docs/exporter.md, "Proving the SQL").
 */
class FakeLiteLLMDb implements Queryable {
  spend: SpendRow[] = [];
  errors: ErrorRow[] = [];
  teams: TeamRow[] = [];
  queries = 0;
  constructor(public now: string) {}
  async query(sql: string, params: readonly unknown[]): Promise<Row[]> {
    this.queries++;
    const page = (rows: Array<{ start_time: string; request_id: string }>) => {
      const [t, id, limit] = params as [string, string, number];
      return rows
        .filter((r) => r.start_time > t || (r.start_time === t && r.request_id > id))
        .sort((a, b) => (a.start_time < b.start_time ? -1 : a.start_time > b.start_time ? 1 : a.request_id < b.request_id ? -1 : 1))
        .slice(0, limit) as unknown as Row[];
    };
    if (sql === NOW_SQL) return [{ now: this.now }];
    if (sql === SPEND_LOGS_SQL) return page(this.spend);
    if (sql === ERROR_LOGS_SQL) return page(this.errors);
    const budgeted = () => this.teams.filter((t) => t.max_budget !== null).sort((a, b) => (a.team_id < b.team_id ? -1 : a.team_id > b.team_id ? 1 : 0));
    if (sql === TEAMS_SQL) return budgeted().slice(0, params[0] as number) as unknown as Row[];
    if (sql === TEAMS_COUNT_SQL) return [{ teams: budgeted().length }];
    throw new Error(`unexpected SQL: ${sql}`);
  }
}

const NOW = '2026-12-03T08:00:00.000000';
const at = (secondsBeforeNow: number) => timeMinus(NOW, secondsBeforeNow * 1000);

function spendRow(id: string, secondsBeforeNow: number, o: Partial<SpendRow> = {}): SpendRow {
  return {
    request_id: id,
    start_time: at(secondsBeforeNow),
    duration_seconds: 1.2,
    status: 'success',
    spend: 0.002,
    prompt_tokens: 200,
    completion_tokens: 100,
    model: 'gpt-4o',
    model_id: 'azure-east',
    model_group: 'gpt-4o',
    provider: 'azure',
    api_base: 'https://east.example.invalid',
    api_key: 'hashed-key-research',
    user: 'u1',
    team_id: 'research',
    end_user: '',
    key_alias: 'research-agent',
    team_alias: 'Research',
    error_code: null,
    error_class: null,
    ...o,
  };
}

function errorRow(id: string, secondsBeforeNow: number, o: Partial<ErrorRow> = {}): ErrorRow {
  return {
    request_id: id,
    start_time: at(secondsBeforeNow),
    model_group: 'gpt-4o',
    litellm_model_name: 'azure/gpt-4o',
    model_id: 'azure-east',
    api_base: 'https://east.example.invalid',
    exception_type: 'RateLimitError',
    status_code: '429',
    ...o,
  };
}

/** name -> label names of every sample line of that family (histograms: their _bucket/_sum/_count lines, without le). */
function servedLabelSets(text: string): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? /.exec(line);
    if (!m || line.startsWith('#')) continue;
    const name = m[1].replace(/_(bucket|sum|count)$/, (s) => (text.includes(`# TYPE ${m[1].replace(/_(bucket|sum|count)$/, '')} histogram`) ? '' : s));
    const labels = [...(m[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="/g)].map((x) => x[1]).filter((l) => l !== 'le');
    const key = labels.join(',');
    const set = out.get(name) ?? new Set<string>();
    set.add(key);
    out.set(name, set);
  }
  return out;
}

function scenarioDb(): FakeLiteLLMDb {
  const db = new FakeLiteLLMDb(NOW);
  for (let i = 0; i < 30; i++) db.spend.push(spendRow(`req-${String(i).padStart(3, '0')}`, 60 - i));
  db.spend.push(spendRow('fail-1', 20, { status: 'failure', model_id: '', spend: 0, error_code: '429', error_class: 'RateLimitError' }));
  for (let i = 0; i < 4; i++) db.errors.push(errorRow(`err-${i}`, 40 - i));
  db.errors.push(errorRow('err-router', 5, { model_id: '', api_base: '', litellm_model_name: 'gpt-4o', exception_type: 'RouterRateLimitError' }));
  db.teams = [
    { team_id: 'research', team_alias: 'Research', max_budget: 500, spend: 412.5 },
    { team_id: 'support', team_alias: null, max_budget: '200', spend: '20' },
    { team_id: 'nobudget', team_alias: null, max_budget: null, spend: 3 },
  ];
  return db;
}

test('every gateway metric the litellm profile reads is served, with exactly the label set LiteLLM puts on it', async () => {
  const poller = new Poller(scenarioDb());
  await poller.poll();
  const served = servedLabelSets(poller.metrics.render());
  const gateway = Object.values(PROFILES.litellm.metrics).filter((m) => m.source === 'gateway');
  assert.ok(gateway.length >= 6, 'the profile reads the gateway metrics');
  for (const m of gateway) {
    const sets = served.get(m.name);
    assert.ok(sets, `${m.name} is served`);
    assert.deepEqual([...sets], [(m.exported ?? m.labels).join(',')], `${m.name}: every series carries LiteLLM's labels, in its order`);
    for (const l of m.labels) assert.ok((m.exported ?? []).includes(l), `${m.name}: the rules' label ${l} is among them`);
  }
});

test("the scenario's figures: requests by team and status, spend, 429s per deployment, the router's own rejection, budgets", async () => {
  const poller = new Poller(scenarioDb());
  const r = await poller.poll();
  assert.deepEqual(r, { spendRows: 31, errorRows: 5, teams: 2, teamsDropped: 0, behind: false });
  const m = poller.metrics;
  const key = { end_user: '', hashed_api_key: 'hashed-key-research', api_key_alias: 'research-agent', requested_model: 'gpt-4o', team: 'research', team_alias: 'Research' };
  assert.equal(m.proxyTotalRequests.value({ ...key, user: 'u1', status_code: '200' }), 30);
  assert.equal(m.proxyTotalRequests.value({ ...key, user: 'u1', status_code: '429' }), 1);
  assert.equal(m.proxyFailedRequests.value({ ...key, user: 'u1', exception_status: '429', exception_class: 'RateLimitError' }), 1);
  const spend = m.spend.value({ end_user: '', hashed_api_key: 'hashed-key-research', api_key_alias: 'research-agent', model: 'gpt-4o', team: 'research', team_alias: 'Research', user: 'u1' });
  assert.ok(Math.abs((spend ?? 0) - 0.06) < 1e-12, `spend of the successful requests only: ${spend}`);
  const deployment = { requested_model: 'gpt-4o', litellm_model_name: 'azure/gpt-4o', model_id: 'azure-east', api_base: 'https://east.example.invalid' };
  assert.equal(m.deploymentFailureResponses.value({ ...deployment, exception_status: '429', exception_class: 'RateLimitError' }), 4);
  assert.equal(m.deploymentTotalRequests.value(deployment), 4, 'each failed attempt is a call to the deployment');
  assert.equal(m.deploymentFailureResponses.value({ requested_model: 'gpt-4o', litellm_model_name: 'gpt-4o', exception_status: '429', exception_class: 'RouterRateLimitError' }), 1, 'model_id empty');
  assert.equal(m.remainingTeamBudget.value({ team: 'research', team_alias: 'Research' }), 87.5);
  assert.equal(m.remainingTeamBudget.value({ team: 'support' }), 180, 'numeric columns that arrive as text');
  assert.equal(m.teamMaxBudget.value({ team: 'research', team_alias: 'Research' }), 500);
  assert.equal(m.teamMaxBudget.size, 2, 'a team without max_budget has no budget series');
});

test('teams beyond maxTeams: at the cap every team is served and nothing is said; one over, the last by team_id is dropped, counted in readiness_exporter_teams_truncated and logged once per poll', async () => {
  const db = scenarioDb();
  db.teams.push({ team_id: 'analytics', team_alias: null, max_budget: 50, spend: 5 });
  // three teams with a budget (analytics, research, support), one without
  const atCap = new Poller(db, { maxTeams: 3 });
  assert.equal((await atCap.poll()).teamsDropped, 0);
  assert.equal(atCap.metrics.teamMaxBudget.size, 3);
  assert.match(atCap.metrics.render(), /^readiness_exporter_teams_truncated 0$/m);

  const queries: string[] = [];
  const counting: Queryable = { query: (sql, params) => (queries.push(sql), db.query(sql, params)) };
  const below = new Poller(counting, { maxTeams: 2 });
  const r = await below.poll();
  assert.equal(r.teams, 2);
  assert.equal(r.teamsDropped, 1);
  assert.equal(below.metrics.remainingTeamBudget.value({ team: 'support' }), undefined, 'support sorts last: dropped');
  assert.equal(below.metrics.teamMaxBudget.value({ team: 'analytics' }), 50);
  assert.match(below.metrics.render(), /^readiness_exporter_teams_truncated 1$/m);
  assert.equal(queries.filter((q) => q === TEAMS_COUNT_SQL).length, 1, 'counted only when truncated');

  const stop = new AbortController();
  const lines: string[] = [];
  const exporter = await startExporter(db, { listen: { host: '127.0.0.1', port: 0 }, intervalMs: 20, maxTeams: 2, signal: stop.signal, log: (l) => lines.push(l) });
  try {
    for (let i = 0; i < 200 && lines.length < 2; i++) await new Promise((res) => setTimeout(res, 10));
    assert.ok(lines.length >= 2, 'a line at each poll');
    for (const l of lines) assert.match(l, /^exporter: 1 team with a budget beyond the first 2 \(by team_id\) not served this poll: their budget alerts are silent; raise --max-teams \(readiness_exporter_teams_truncated\)$/);
    assert.match(await (await fetch(`${exporter.url}/metrics`)).text(), /^readiness_exporter_teams_truncated 1$/m);
  } finally {
    stop.abort();
    await exporter.done;
  }
  // the team over the cap removed: the gauge is back at 0
  db.teams = db.teams.filter((t) => t.team_id !== 'support');
  assert.equal((await below.poll()).teamsDropped, 0);
  assert.match(below.metrics.render(), /^readiness_exporter_teams_truncated 0$/m);
});

test('EXPORTER_FEEDS says what feeds each served metric: one kind of row at a time into a fresh ExporterMetrics gives series in exactly the metrics it lists', () => {
  const families = (m: ExporterMetrics) =>
    (Object.keys(LITELLM_METRICS) as LitellmMetricKey[]).filter((k) => {
      const f = (m as unknown as Record<string, { size?: number } | undefined>)[k];
      return f !== undefined && (f.size ?? 0) > 0;
    });
  const served = (Object.keys(LITELLM_METRICS) as LitellmMetricKey[]).filter((k) => k in new ExporterMetrics());
  assert.deepEqual(served.sort(), (Object.keys(EXPORTER_FEEDS) as LitellmMetricKey[]).sort(), 'EXPORTER_FEEDS lists exactly the families the exporter has');
  const fedBy = (rows: LitellmRows) => (Object.keys(EXPORTER_FEEDS) as LitellmMetricKey[]).filter((k) => EXPORTER_FEEDS[k]?.includes(rows)).sort();
  const one = (feed: (m: ExporterMetrics) => void) => {
    const m = new ExporterMetrics();
    feed(m);
    return families(m).sort();
  };
  assert.deepEqual(one((m) => m.addSpendRow(spendRow('s', 1))), fedBy('spend-log-success'));
  assert.deepEqual(one((m) => m.addSpendRow(spendRow('f', 1, { status: 'failure', error_code: '429', error_class: 'RateLimitError' }))), fedBy('spend-log-failure'));
  assert.deepEqual(one((m) => m.addErrorRow(errorRow('e', 1))), fedBy('error-log'));
  // the team table: the spend moves only the remaining budget; max_budget is the ceiling's own series
  const team = (spend: number, max: number) => {
    const m = new ExporterMetrics();
    m.setTeams([{ team_id: 'research', team_alias: 'Research', max_budget: max, spend }]);
    return { remaining: m.remainingTeamBudget.value({ team: 'research', team_alias: 'Research' }), max: m.teamMaxBudget.value({ team: 'research', team_alias: 'Research' }) };
  };
  const moved = (a: ReturnType<typeof team>, b: ReturnType<typeof team>) =>
    (['remaining', 'max'] as const).filter((k) => a[k] !== b[k]).map((k) => (k === 'remaining' ? 'remainingTeamBudget' : 'teamMaxBudget'));
  assert.deepEqual(moved(team(0, 500), team(100, 500)), fedBy('team-spend'));
  assert.ok(moved(team(0, 500), team(0, 600)).includes('teamMaxBudget') && fedBy('team-budget').includes('teamMaxBudget'));
});

test('counters only grow across polls; a row re-read in the late window is counted once; a late row inside it is counted', async () => {
  const db = scenarioDb();
  const poller = new Poller(db, { lateWindowMs: 120_000 });
  await poller.poll();
  const key = { end_user: '', hashed_api_key: 'hashed-key-research', api_key_alias: 'research-agent', requested_model: 'gpt-4o', team: 'research', team_alias: 'Research', user: 'u1', status_code: '200' };
  assert.equal(poller.metrics.proxyTotalRequests.value(key), 30);
  // the next poll re-reads the same window: nothing new
  await poller.poll();
  assert.equal(poller.metrics.proxyTotalRequests.value(key), 30);
  // LiteLLM's batch writer inserts a row whose startTime is before the newest one already read
  db.spend.push(spendRow('late-1', 50));
  // and a new one
  db.spend.push(spendRow('new-1', 0));
  const r = await poller.poll();
  assert.equal(r.spendRows, 2);
  assert.equal(poller.metrics.proxyTotalRequests.value(key), 32);
  // a team's spend going up lowers its remaining budget (a gauge), never a counter
  db.teams[0].spend = 450;
  await poller.poll();
  assert.equal(poller.metrics.remainingTeamBudget.value({ team: 'research', team_alias: 'Research' }), 50);
  assert.equal(poller.metrics.proxyTotalRequests.value(key), 32);
});

test('a row older than the late window when it appears is not counted (the documented limit), and request ids are forgotten after it', async () => {
  const db = scenarioDb();
  const poller = new Poller(db, { lateWindowMs: 30_000 });
  await poller.poll();
  const before = poller.metrics.rowsRead.value({ table: LITELLM_TABLES.spendLogs });
  db.spend.push(spendRow('too-late', 100));
  await poller.poll();
  assert.equal(poller.metrics.rowsRead.value({ table: LITELLM_TABLES.spendLogs }), before);
  assert.ok(poller.remembered <= 31 + 5, `remembered ${poller.remembered}`);
});

test('a poll reads at most batchSize x maxPagesPerPoll rows per table, says it is behind, and the next poll goes on', async () => {
  const db = scenarioDb();
  const poller = new Poller(db, { batchSize: 4, maxPagesPerPoll: 2 });
  const first = await poller.poll();
  assert.equal(first.spendRows, 8);
  assert.equal(first.behind, true);
  let total = first.spendRows;
  for (let i = 0; i < 10 && total < 31; i++) total += (await poller.poll()).spendRows;
  assert.equal(total, 31, 'every row counted once, in bounded polls');
  // re-reading the late window is bounded the same way: it goes on from where it stopped, counts nothing twice, and ends
  let behind = true;
  for (let i = 0; i < 10 && behind; i++) {
    const r = await poller.poll();
    total += r.spendRows;
    behind = r.behind;
  }
  assert.equal(behind, false);
  assert.equal(total, 31);
});

test("the statements name LiteLLM's tables and columns as Prisma creates them, and every column they read is in LiteLLM's DDL", () => {
  const ddl = readFileSync(path.join(ROOT, 'test', 'fixtures', 'litellm-db', 'schema.sql'), 'utf8');
  const columnsOf = (table: string) => {
    const m = new RegExp(`CREATE TABLE "${table}" \\(([\\s\\S]*?)\\n\\);`).exec(ddl);
    assert.ok(m, `${table} in the DDL`);
    return new Set([...m[1].matchAll(/^\s+"([^"]+)"/gm)].map((x) => x[1]));
  };
  const checks: Array<[string, string, Record<string, string>]> = [
    [SPEND_LOGS_SQL, LITELLM_TABLES.spendLogs, LITELLM_COLUMNS.spendLogs],
    [ERROR_LOGS_SQL, LITELLM_TABLES.errorLogs, LITELLM_COLUMNS.errorLogs],
    [TEAMS_SQL, LITELLM_TABLES.team, LITELLM_COLUMNS.team],
  ];
  for (const [sql, table, cols] of checks) {
    assert.ok(sql.includes(`FROM "${table}"`), `${table} quoted`);
    const have = columnsOf(table);
    for (const c of Object.values(cols)) {
      assert.ok(have.has(c), `${table}.${c} exists`);
      assert.ok(sql.includes(`"${c}"`), `${table}.${c} is read, quoted`);
    }
    // every quoted identifier in the statement is the table or one of its columns (the aliases are unquoted, but "user")
    for (const [, id] of sql.split(TIME_FORMAT).join('').matchAll(/"([^"]+)"/g)) assert.ok(id === table || have.has(id), `${id} is a column of ${table}`);
  }
  // the count of teams reads the team table's budget column only
  for (const [, id] of TEAMS_COUNT_SQL.matchAll(/"([^"]+)"/g)) assert.ok(id === LITELLM_TABLES.team || id === LITELLM_COLUMNS.team.maxBudget, `${id} in TEAMS_COUNT_SQL`);
  assert.match(SPEND_LOGS_SQL, /WHERE \("startTime", "request_id"\) > \(\$1::timestamp, \$2::text\) ORDER BY "startTime", "request_id" LIMIT \$3/);
});

test('exposition: label values escaped, the same figures give the same bytes, promtool check metrics accepts it', { skip: needs('promtool') }, async () => {
  const db = scenarioDb();
  db.spend.push(spendRow('odd', 1, { team_alias: 'R&D "core"\\ team\nsecond line', key_alias: 'a' }));
  const a = new Poller(db);
  await a.poll();
  const text = a.metrics.render();
  assert.ok(text.includes('team_alias="R&D \\"core\\"\\\\ team\\nsecond line"'), 'backslash, quote and line feed escaped');
  const b = new Poller(db);
  await b.poll();
  assert.equal(b.metrics.render(), text, 'deterministic');
  // promtool reads the exposition on stdin
  const out = execFileSync(toolPath('promtool'), ['check', 'metrics'], { input: text, timeout: 60_000 }).toString();
  assert.equal(out.trim(), '', `promtool check metrics: ${out}`);
});

test("promtool: the generated rules fire ReadinessTenantNearRpmLimit and ReadinessProviderRateLimited on the exporter's own output", { skip: needs('promtool') }, async () => {
  // two scrapes five minutes apart; between them team research sends 1,300 requests (260/min,
  // above 80% of its 300 rpm in the compliant example) and azure-east answers 40 of 400 calls with 429
  const db = new FakeLiteLLMDb(NOW);
  db.spend.push(spendRow('seed', 10));
  db.errors.push(errorRow('seed-err', 10));
  const poller = new Poller(db, { lateWindowMs: 600_000, batchSize: 10_000 });
  await poller.poll();
  const first = poller.metrics.render();
  for (let i = 0; i < 1300; i++) db.spend.push(spendRow(`r-${String(i).padStart(5, '0')}`, 9 - i / 1000, { model_id: i < 360 ? 'azure-east' : 'other' }));
  for (let i = 0; i < 40; i++) db.errors.push(errorRow(`e-${String(i).padStart(3, '0')}`, 9 - i / 100));
  await poller.poll();
  const second = poller.metrics.render();
  const samples = (text: string) =>
    new Map(
      text
        .split('\n')
        .filter((l) => l && !l.startsWith('#') && /^litellm_(proxy_total_requests_metric_total|deployment_(total_requests|failure_responses)_total)\{/.test(l))
        .map((l) => [l.slice(0, l.lastIndexOf(' ')), Number(l.slice(l.lastIndexOf(' ') + 1))] as const),
    );
  const s1 = samples(first);
  const s2 = samples(second);
  // each series as promtool input: its value at the first scrape, then growing at the rate seen
  // between the two scrapes (five minutes), sustained for 15 minutes, a sample a minute
  const input_series = [...s2].map(([series, v2]) => {
    const v1 = s1.get(series) ?? 0;
    return { series, values: `${v1}+${(v2 - v1) / 5}x15` };
  });
  assert.ok(input_series.some((s) => s.series.includes('team="research"') && s.series.includes('status_code="200"')), 'the requests of team research');
  const dir = await mkdtemp(path.join(os.tmpdir(), 'readiness-exporter-rules-'));
  try {
    const rules = path.join(ROOT, 'test', 'golden', 'compliant', 'alerts', 'readiness.rules.yml');
    const spec = {
      rule_files: [rules],
      evaluation_interval: '1m',
      tests: [
        {
          interval: '1m',
          input_series,
          alert_rule_test: [
            { eval_time: '0m', alertname: 'ReadinessTenantNearRpmLimit', exp_alerts: [] },
            {
              eval_time: '10m',
              alertname: 'ReadinessTenantNearRpmLimit',
              exp_alerts: [
                {
                  exp_labels: { severity: 'warning', team: 'research' },
                  exp_annotations: {
                    summary: 'Tenant research is at 86.67% of its rpm limit',
                    description:
                      'Tenant research sent requests at 86.67% of its 300 requests/min limit over the last 5m (alert above 80%). Raise the limit or slow the tenant down before its requests get 429s.',
                    runbook_url: 'RUNBOOK.md#readinesstenantnearrpmlimit',
                  },
                },
              ],
            },
            { eval_time: '0m', alertname: 'ReadinessProviderRateLimited', exp_alerts: [] },
            {
              eval_time: '10m',
              alertname: 'ReadinessProviderRateLimited',
              exp_alerts: [
                {
                  exp_labels: { severity: 'critical', model_id: 'azure-east' },
                  exp_annotations: {
                    summary: 'Provider azure-east answers 10% of requests with 429',
                    description:
                      '10% of requests to provider azure-east were answered 429 (rate limited) over the last 5m (alert above 1%, with at least 20 requests). Check that failover is taking the traffic and raise the provider limit; incident one went eleven minutes unnoticed.',
                    runbook_url: 'RUNBOOK.md#readinessproviderratelimited',
                  },
                },
              ],
            },
          ],
        },
      ],
    };
    await writeFile(path.join(dir, 'exporter.test.yml'), stringify(spec));
    const r = await promtool(['test', 'rules', 'exporter.test.yml'], dir);
    assert.equal(r.code, 0, r.output);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('the server: /metrics in the exposition content type, 404 and 405 otherwise, loopback unless allowed; stops on abort', async () => {
  const stop = new AbortController();
  const lines: string[] = [];
  const exporter = await startExporter(scenarioDb(), { listen: { host: '127.0.0.1', port: 0 }, intervalMs: 60_000, signal: stop.signal, log: (l) => lines.push(l), now: () => 1_764_748_800_000 });
  try {
    const res = await fetch(`${exporter.url}/metrics`);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), EXPOSITION_CONTENT_TYPE);
    const body = await res.text();
    assert.match(body, /^litellm_proxy_total_requests_metric_total\{.*team="research".*status_code="200"\} 30$/m);
    assert.match(body, /^readiness_exporter_last_poll_success_timestamp_seconds 1764748800$/m);
    assert.equal((await fetch(`${exporter.url}/nope`)).status, 404);
    assert.equal((await fetch(`${exporter.url}/metrics`, { method: 'POST' })).status, 405);
  } finally {
    stop.abort();
    await exporter.done;
  }
  await assert.rejects(fetch(`${exporter.url}/metrics`), 'closed after abort');
  await assert.rejects(serveMetrics(() => '', { host: '0.0.0.0', port: 0 }), /not a loopback address.*--allow-remote/);
  assert.deepEqual(lines, []);
});

test('a failed poll is counted and logged; the figures stay', async () => {
  const db = scenarioDb();
  const stop = new AbortController();
  const lines: string[] = [];
  const exporter = await startExporter(db, { listen: { host: '127.0.0.1', port: 0 }, intervalMs: 20, signal: stop.signal, log: (l) => lines.push(l) });
  try {
    db.query = async () => {
      throw new Error('connection terminated');
    };
    for (let i = 0; i < 100 && lines.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    const body = await (await fetch(`${exporter.url}/metrics`)).text();
    assert.match(body, /^readiness_exporter_poll_errors_total [1-9]\d*$/m);
    assert.match(body, /status_code="200"\} 30$/m);
    assert.match(lines[0], /poll failed: connection terminated/);
  } finally {
    stop.abort();
    await exporter.done;
  }
});

test('parseListen', () => {
  assert.deepEqual(parseListen('127.0.0.1:9464'), { host: '127.0.0.1', port: 9464 });
  assert.deepEqual(parseListen('[::1]:9464'), { host: '::1', port: 9464 });
  assert.deepEqual(parseListen(':9464'), { host: '127.0.0.1', port: 9464 });
  assert.equal(parseListen('9464'), undefined);
  assert.equal(parseListen('127.0.0.1:70000'), undefined);
});

test('the command: exit 2 with a clear line for an unset variable, a URL that is not postgresql://, a remote --listen, a bad --interval; the value is never echoed', async () => {
  const unset = await runInProcess(['exporter', '--database-url-env', 'LITELLM_DB_URL']);
  assert.equal(unset.code, 2);
  assert.match(unset.stderr, /^readiness: the environment variable LITELLM_DB_URL is not set/);
  const secret = 'mysql://litellm:hunter2secret@db.internal:3306/litellm';
  const wrong = await runInProcess(['exporter', '--database-url-env', 'DATABASE_URL'], { DATABASE_URL: secret });
  assert.equal(wrong.code, 2);
  assert.match(wrong.stderr, /DATABASE_URL is not a postgresql:\/\/ URL/);
  assert.ok(!wrong.stderr.includes('hunter2secret') && !wrong.stderr.includes('db.internal'), wrong.stderr);
  const asValue = await runInProcess(['exporter', '--database-url-env', 'postgresql://u:pw@h/db']);
  assert.equal(asValue.code, 2);
  assert.ok(!asValue.stderr.includes('pw@h'), asValue.stderr);
  const remote = await runInProcess(['exporter', '--database-url-env', 'DATABASE_URL', '--listen', '0.0.0.0:9464'], { DATABASE_URL: 'postgresql://u:pw@127.0.0.1:1/db' });
  assert.equal(remote.code, 2);
  assert.match(remote.stderr, /not a loopback address.*--allow-remote/);
  const interval = await runInProcess(['exporter', '--database-url-env', 'DATABASE_URL', '--interval', 'soon']);
  assert.equal(interval.code, 2);
  assert.match(interval.stderr, /--interval must be a duration/);
  for (const r of [unset, wrong, asValue, remote, interval]) assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
});
