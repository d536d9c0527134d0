#!/usr/bin/env node
// readiness exporter benchmark: `npm run build && node bench/exporter.mjs` (not part of `npm test`).
// Needs PostgreSQL (initdb, pg_ctl, psql: as test/helpers/postgres.ts finds them) and the pg package.
//   poll    one exporter poll that counts N LiteLLM_SpendLogs rows (LiteLLM's DDL, pages of 5000, the
//           exporter's own SQL through pg) vs psql copying the same N rows of the same columns to
//           /dev/null, side by side, medians of --runs runs each (default 5), each run a fresh process
//   The question: how much a poll costs on top of just reading the rows, and how many rows a second one
//   exporter keeps up with.
// Options: --rows N (default 200000), --runs N
import { execFileSync, spawnSync } from 'node:child_process';
import { cpus, platform, release, totalmem } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const opt = (name, d) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : d);
const rows = opt('--rows', 200_000);
const runs = opt('--runs', 5);
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

if (args[0] === '--child') {
  // one measured poll in a fresh process: prints {ms, rows}
  const [, url] = args;
  const { connectPostgres, Poller } = await import(path.join(root, 'dist', 'src', 'exporter', 'index.js'));
  const db = connectPostgres(url);
  const t = process.hrtime.bigint();
  const poller = new Poller(db, { batchSize: 5000, maxPagesPerPoll: 1000, lateWindowMs: 3_600_000 });
  const r = await poller.poll();
  poller.metrics.render();
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  await db.close();
  console.log(JSON.stringify({ ms, rows: r.spendRows }));
  process.exit(0);
}

const { startPostgres, findPostgresBin } = await import(path.join(root, 'dist', 'test', 'helpers', 'postgres.js'));
const { SPEND_LOGS_SQL } = await import(path.join(root, 'dist', 'src', 'exporter', 'sql.js'));
const { readFileSync } = await import('node:fs');
const pg = await startPostgres();
try {
  console.log(`# readiness exporter bench: ${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, ${platform()} ${release()}, Node ${process.version}, ${execFileSync(path.join(findPostgresBin(), 'psql'), ['--version']).toString().trim()}`);
  await pg.exec(readFileSync(path.join(root, 'test', 'fixtures', 'litellm-db', 'schema.sql'), 'utf8'));
  // N rows within the last half hour, five teams, the metadata LiteLLM writes; 1 in 50 a failure
  await pg.exec(`INSERT INTO "LiteLLM_SpendLogs" ("request_id", "call_type", "api_key", "spend", "total_tokens", "prompt_tokens", "completion_tokens",
    "startTime", "endTime", "model", "model_id", "model_group", "custom_llm_provider", "api_base", "user", "team_id", "end_user", "metadata", "status")
    SELECT 'chatcmpl-' || md5(g::text), 'acompletion', md5((g % 40)::text), 0.00325, 700, 500, 200,
      (now() AT TIME ZONE 'UTC') - interval '30 minutes' + (g::bigint * 1800000 / ${rows}) * interval '1 millisecond',
      (now() AT TIME ZONE 'UTC') - interval '30 minutes' + (g::bigint * 1800000 / ${rows} + 900 + g % 700) * interval '1 millisecond',
      'gpt-4o', 'azure-east', 'gpt-4o', 'azure', 'https://east.example.invalid', 'u' || (g % 40), 'team-' || (g % 5), '',
      jsonb_build_object('user_api_key_alias', 'key-' || (g % 40), 'user_api_key_team_alias', 'Team ' || (g % 5), 'status', CASE WHEN g % 50 = 0 THEN 'failure' ELSE 'success' END,
        'error_information', CASE WHEN g % 50 = 0 THEN jsonb_build_object('error_code', '429', 'error_class', 'RateLimitError') END),
      CASE WHEN g % 50 = 0 THEN 'failure' ELSE 'success' END
    FROM generate_series(1, ${rows}) AS g; ANALYZE "LiteLLM_SpendLogs";`);
  const url = `postgresql://postgres@127.0.0.1:${pg.port}/litellm`;
  // the baseline: the same columns of the same rows, through psql, thrown away
  const copySql = `\\copy (${SPEND_LOGS_SQL.replace('$1::timestamp', "'1970-01-01'::timestamp").replace('$2::text', "''").replace('LIMIT $3', '')}) TO '/dev/null'`;
  const psql = path.join(findPostgresBin(), 'psql');
  const baseline = () => {
    const t = process.hrtime.bigint();
    execFileSync(psql, ['-X', '-q', '-h', '127.0.0.1', '-p', String(pg.port), '-U', 'postgres', '-d', 'litellm', '-c', copySql]);
    return Number(process.hrtime.bigint() - t) / 1e6;
  };
  const exporter = () => {
    const r = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--child', url], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`exporter poll failed: ${r.stderr}`);
    const out = JSON.parse(r.stdout.trim().split('\n').pop());
    if (out.rows !== rows) throw new Error(`the poll counted ${out.rows} rows, not ${rows}`);
    return out.ms;
  };
  baseline();
  exporter(); // warm the server's cache
  const b = [];
  const e = [];
  for (let i = 0; i < runs; i++) {
    b.push(baseline());
    e.push(exporter());
  }
  const bMs = median(b);
  const eMs = median(e);
  console.log(`poll    ${rows.toLocaleString('en-US')} spend log rows: exporter poll ${eMs.toFixed(0)} ms (${Math.round(rows / (eMs / 1000)).toLocaleString('en-US')} rows/s), psql \\copy of the same rows ${bMs.toFixed(0)} ms: ${(eMs / bMs).toFixed(2)}x (medians of ${runs})`);
} finally {
  await pg.stop();
}
