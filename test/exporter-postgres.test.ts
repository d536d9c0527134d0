import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { test } from 'node:test';
import { LITELLM_TABLES } from '../src/gateway/litellm/db-schema.js';
import { Poller } from '../src/exporter/poll.js';
import { ROOT, runBin, startBin } from './helpers/cli.js';
import { needsPostgres, startPostgres } from './helpers/postgres.js';

const fixture = (f: string) => readFileSync(path.join(ROOT, 'test', 'fixtures', 'litellm-db', f), 'utf8');

test("the exporter's SQL on PostgreSQL with LiteLLM's tables (the DDL of schema.prisma): paged, incremental, the scenario's figures", { skip: needsPostgres(), timeout: 180_000 }, async () => {
  const pg = await startPostgres();
  try {
    await pg.exec(fixture('schema.sql'));
    await pg.exec(fixture('scenario.sql'));
    // pages of 50: the 241 spend log rows take five
    const poller = new Poller(pg.queryable(), { batchSize: 50 });
    const first = await poller.poll();
    assert.deepEqual(first, { spendRows: 241, errorRows: 13, teams: 2, teamsDropped: 0, behind: false });
    const m = poller.metrics;
    const key = { end_user: '', hashed_api_key: 'hashed-key-research', api_key_alias: 'research-agent', requested_model: 'gpt-4o', team: 'research', team_alias: 'Research' };
    assert.equal(m.proxyTotalRequests.value({ ...key, user: 'u1', status_code: '200' }), 240);
    assert.equal(m.proxyTotalRequests.value({ ...key, user: '', status_code: '429' }), 1, 'the status code from metadata.error_information.error_code');
    assert.equal(m.proxyFailedRequests.value({ ...key, user: '', exception_status: '429', exception_class: 'RateLimitError' }), 1);
    const deployment = { requested_model: 'gpt-4o', litellm_model_name: 'azure/gpt-4o', model_id: 'azure-east', api_base: 'https://east.example.invalid' };
    assert.equal(m.deploymentFailureResponses.value({ ...deployment, exception_status: '429', exception_class: 'RateLimitError' }), 12);
    assert.equal(m.deploymentFailureResponses.value({ requested_model: 'gpt-4o', litellm_model_name: 'gpt-4o', exception_status: '429', exception_class: 'RouterRateLimitError' }), 1);
    assert.equal(m.remainingTeamBudget.value({ team: 'research', team_alias: 'Research' }), 87.5);
    assert.equal(m.teamMaxBudget.value({ team: 'support' }), 200);
    const text = m.render();
    assert.match(text, /^litellm_request_total_latency_metric_bucket\{.*model="gpt-4o",le="1\.5"\} 240$/m, 'endTime - startTime is 1.2 s');
    // nothing new: nothing counted twice
    assert.deepEqual(await poller.poll(), { spendRows: 0, errorRows: 0, teams: 2, teamsDropped: 0, behind: false });
    // a new row, and one LiteLLM's batch writer inserts late (startTime before rows already read)
    await pg.exec(`INSERT INTO "LiteLLM_SpendLogs" ("request_id", "call_type", "startTime", "endTime", "team_id", "status")
      VALUES ('late', 'acompletion', (now() AT TIME ZONE 'UTC') - interval '90 seconds', (now() AT TIME ZONE 'UTC') - interval '89 seconds', 'research', 'success'),
             ('new', 'acompletion', now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC', 'research', 'success');`);
    const third = await poller.poll();
    assert.equal(third.spendRows, 2);
    assert.equal(m.rowsRead.value({ table: LITELLM_TABLES.spendLogs }), 243);
    // a cap of one team: the count query runs on PostgreSQL, the team sorting last (support) is dropped
    const capped = new Poller(pg.queryable(), { batchSize: 50, maxTeams: 1 });
    assert.equal((await capped.poll()).teamsDropped, 1);
    assert.equal(capped.metrics.teamMaxBudget.value({ team: 'research', team_alias: 'Research' }), 500);
    assert.equal(capped.metrics.teamMaxBudget.value({ team: 'support' }), undefined);
    assert.match(capped.metrics.render(), /^readiness_exporter_teams_truncated 1$/m);
  } finally {
    await pg.stop();
  }
});

/** The driver the command loads (an optional package until it ships as a dependency): false when it is there. */
function needsPg(): string | false {
  try {
    createRequire(import.meta.url).resolve('pg');
    return false;
  } catch {
    return "the pg package is not installed (npm install pg), needed for running readiness exporter against PostgreSQL";
  }
}

test('the command end to end: serves the database on /metrics, SIGTERM stops it with exit 0; a wrong password is exit 2 and never shown', { skip: needsPostgres() || needsPg(), timeout: 180_000 }, async (t) => {
  const password = 'Sekr3t-pw-4f9a';
  const pg = await startPostgres({ password });
  try {
    await pg.exec(fixture('schema.sql'));
    await pg.exec(fixture('scenario.sql'));
    process.env.EXPORTER_TEST_DATABASE_URL = `postgresql://postgres:${password}@127.0.0.1:${pg.port}/litellm`;
    const cli = startBin(t, ['exporter', '--database-url-env', 'EXPORTER_TEST_DATABASE_URL', '--listen', '127.0.0.1:0', '--interval', '1s'], { timeoutMs: 60_000 });
    for (let i = 0; i < 300 && !cli.stdout().includes('\n'); i++) await new Promise((r) => setTimeout(r, 50));
    const url = cli.stdout().trim();
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/metrics$/, cli.stderr());
    const body = await (await fetch(url)).text();
    assert.match(body, /^litellm_proxy_total_requests_metric_total\{.*team="research".*status_code="200"\} 240$/m);
    cli.signal('SIGTERM');
    assert.equal(await cli.closed, 0);
    assert.match(cli.stderr(), /exporter: stopped/);
    assert.ok(!cli.stderr().includes(password) && !cli.stdout().includes(password));

    const wrong = await runBin(['exporter', '--database-url-env', 'WRONG_URL', '--listen', '127.0.0.1:0'], { env: { WRONG_URL: `postgresql://postgres:Not-${password}@127.0.0.1:${pg.port}/litellm` }, timeoutMs: 60_000 });
    assert.equal(wrong.code, 2);
    assert.match(wrong.stderr, /^readiness: cannot serve LiteLLM's metrics from the database in WRONG_URL: password authentication failed/);
    assert.ok(!wrong.stderr.includes(password), wrong.stderr);
  } finally {
    delete process.env.EXPORTER_TEST_DATABASE_URL;
    await pg.stop();
  }
});
