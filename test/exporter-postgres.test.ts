import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { LITELLM_TABLES } from '../src/gateway/litellm/db-schema.js';
import { Poller } from '../src/exporter/poll.js';
import { ROOT } from './helpers/cli.js';
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
    assert.deepEqual(first, { spendRows: 241, errorRows: 13, teams: 2, behind: false });
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
    assert.deepEqual(await poller.poll(), { spendRows: 0, errorRows: 0, teams: 2, behind: false });
    // a new row, and one LiteLLM's batch writer inserts late (startTime before rows already read)
    await pg.exec(`INSERT INTO "LiteLLM_SpendLogs" ("request_id", "call_type", "startTime", "endTime", "team_id", "status")
      VALUES ('late', 'acompletion', (now() AT TIME ZONE 'UTC') - interval '90 seconds', (now() AT TIME ZONE 'UTC') - interval '89 seconds', 'research', 'success'),
             ('new', 'acompletion', now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC', 'research', 'success');`);
    const third = await poller.poll();
    assert.equal(third.spendRows, 2);
    assert.equal(m.rowsRead.value({ table: LITELLM_TABLES.spendLogs }), 243);
  } finally {
    await pg.stop();
  }
});
