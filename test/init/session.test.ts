/**
 * Whole interactive sessions of `readiness init`: the real @inquirer/prompts, rendered by
 * @inquirer/testing and answered key by key by a scripted operator.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { stringify } from 'yaml';
import { gateExitCode, runChecks } from '../../src/checks/run.js';
import { runInit } from '../../src/init/run.js';
import { parseManifest } from '../../src/manifest/load.js';
import { UsageError } from '../../src/util/errors.js';
import { example } from '../helpers/cli.js';
import { type Operator, type Step, recordingIO, scriptedOperator } from '../helpers/operator.js';
import { expectedVerdicts, verdicts } from '../helpers/verdicts.js';

function tmp(t: { after: (fn: () => void) => void }): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'readiness-init-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function session(op: Operator, dir: string, opts: { from?: string; force?: boolean } = {}) {
  const io = recordingIO(dir);
  const run = runInit({ out: 'readiness.yaml', ...opts }, io, { prompts: async () => ({ fns: op.fns }) });
  return { io, run };
}

function written(dir: string) {
  const file = path.join(dir, 'readiness.yaml');
  const loaded = parseManifest(readFileSync(file), 'readiness.yaml');
  const report = runChecks(loaded);
  return { loaded, report, verdicts: verdicts(report, gateExitCode(report)) };
}

/** A healthcare operator under HIPAA, peak 1000 rpm on a 1,200 rpm primary absorbed by a queue and failover. */
const HEALTHCARE: Step[] = [
  { q: /deployment called/, reply: { type: 'prior-auth-agent' } },
  { q: /Who is the operator/, reply: { type: 'mercy-health' } },
  { q: /environment/, reply: { enter: true } },
  { q: /version of the agent/, reply: { type: '2.1.0' } },
  { q: /industry/, reply: { choose: 'Healthcare' } },
  { q: /compliance frameworks/, reply: { toggle: ['HIPAA'] } },
  { q: /time zone/, reply: { type: 'America/Denver' }, rejects: [{ type: 'Mars/Olympus', error: /unknown time zone/ }] },
  { q: /business hours/, reply: { type: 'mon-fri 08:00-17:00' }, rejects: [{ type: 'weekdays', error: /DAYS HH:MM-HH:MM/ }] },
  {
    q: /on average/,
    reply: { type: '300' },
    rejects: [
      { type: '-5', error: /must be a positive number/ },
      { type: 'lots', error: /expected a number/ },
    ],
  },
  { q: /4x the average, 1200, is offered as a starting guess/, reply: { type: '1000' }, rejects: [{ type: '200', error: /cannot be lower than the average/ }] },
  { q: /When does the peak happen/, reply: { type: '08:00-10:00' }, rejects: [{ type: '8am', error: /HH:MM-HH:MM/ }] },
  { q: /tokens does a typical request/, reply: { type: '1500' } },
  { q: /tokens does a typical answer/, reply: { type: '300' } },
  { q: /p99 latency must an ordinary request meet/, reply: { type: '2,500' } },
  // provider 1
  { q: /id for this provider/, reply: { type: 'openai-main' }, rejects: [{ type: 'OpenAI Main', error: /lower-case/ }] },
  { q: /Which vendor/, reply: { choose: 'OpenAI' } },
  { q: /Which model/, reply: { type: 'gpt-4o' } },
  { q: /Requests per minute this account/, reply: { type: '1,200' } },
  { q: /Tokens per minute/, reply: { type: '4000000' } },
  { q: /per million input tokens/, reply: { type: '2.5' } },
  { q: /per million output tokens/, reply: { type: '10' } },
  { q: /environment variable/, reply: { type: 'OPENAI_API_KEY' }, rejects: [{ type: 'sk-proj-abcdefghijklmnopqrstuvwx', error: /looks like a key/ }] },
  { q: /Add another provider/, reply: { yes: true } },
  // provider 2
  { q: /id for this provider/, reply: { type: 'anthropic-backup' }, rejects: [{ type: 'openai-main', error: /already has the id "openai-main"/ }] },
  { q: /Which vendor/, reply: { choose: 'Anthropic' } },
  { q: /Which model/, reply: { type: 'claude-sonnet-4-5' } },
  { q: /Requests per minute this account/, reply: { type: '1000' } },
  { q: /Tokens per minute/, reply: { type: '2000000' } },
  { q: /per million input tokens/, reply: { type: '3' } },
  { q: /per million output tokens/, reply: { type: '15' } },
  { q: /environment variable/, reply: { type: 'ANTHROPIC_API_KEY' } },
  { q: /Add another provider/, reply: { yes: false } },
  // routing
  { q: /takes traffic first/, reply: { enter: true } },
  { q: /where do requests go/, reply: { choose: 'Automatically' } },
  { q: /Fail over to which providers/, reply: { enter: true } },
  { q: /status codes/, reply: { enter: true }, rejects: [{ type: '429, 200', error: /between 400 and 599/ }] },
  { q: /During a burst/, reply: { choose: 'queue' } },
  { q: /seconds may a request wait/, reply: { type: '20' } },
  // gateway
  { q: /Which gateway/, reply: { choose: 'LiteLLM' } },
  { q: /Which LiteLLM edition/, reply: { choose: 'Enterprise' } },
  { q: /chat-completions URL/, reply: { type: 'http://127.0.0.1:4000/v1/chat/completions' }, rejects: [{ type: 'not a url', error: /not a URL/ }] },
  { q: /names the operator/, reply: { enter: true } },
  { q: /names the team/, reply: { enter: true } },
  { q: /names the use case/, reply: { enter: true } },
  { q: /lacks these headers/, reply: { choose: 'Rejects' } },
  { q: /How is it refused/, reply: { choose: 'By virtual keys' } },
  { q: /rolled up per team/, reply: { choose: 'Daily' } },
  // tenants
  { q: /Declare a team now/, reply: { enter: true } },
  { q: /id for this team/, reply: { type: 'prior-auth' } },
  { q: /team id its requests carry/, reply: { enter: true } },
  { q: /use cases/, reply: { type: 'prior-authorization, appeals' }, rejects: [{ type: 'qa, qa', error: /"qa" is listed twice/ }] },
  { q: /requests does it send/, reply: { type: '10000' } },
  { q: /cost per request in USD, if different \(blank uses \$0\.00675 from openai-main's prices\)/, reply: { enter: true } },
  { q: /rate limit in requests per minute/, reply: { type: '200' } },
  { q: /limit in tokens per minute, for the gateway/, reply: { type: '400,000' }, rejects: [{ type: '2e12', error: /must be at most 1,000,000,000,000/ }] },
  { q: /monthly budget/, reply: { type: '4000' } },
  { q: /Add another team/, reply: { yes: false } },
  // budgets
  { q: /ceiling for the whole account/, reply: { type: '5000' } },
  { q: /fraction of a team's budget/, reply: { enter: true }, rejects: [{ type: '1.5', error: /at most 1/ }] },
  { q: /by which day of the month/, reply: { enter: true } },
  { q: /exceeds its budget/, reply: { choose: 'refused' } },
  // audit
  { q: /record of each request kept/, reply: { enter: true } },
  { q: /Object Lock mode/, reply: { choose: 'Compliance' } },
  { q: /no longer be changed/, reply: { enter: true } },
  { q: /How many days are records kept \(HIPAA requires at least 2192\)/, reply: { enter: true } },
  { q: /What is each decision about/, reply: { type: 'prior-authorization request' } },
  { q: /Fields in each record/, reply: { enter: true } },
];

test('a whole interactive session writes a valid manifest that passes, showing consequences as answers are given', async (t) => {
  const dir = tmp(t);
  const op = scriptedOperator(HEALTHCARE);
  const { io, run } = session(op, dir);
  const code = await run;
  assert.equal(op.remaining(), 0, 'every scripted question was asked');
  assert.equal(code, 0, io.err());
  const w = written(dir);
  assert.deepEqual(w.verdicts, { 'rate-limit-sizing': 'pass', 'cost-attribution': 'pass', 'audit-log': 'pass', failover: 'pass', 'budget-ceilings': 'pass', 'no-literal-secrets': 'pass', exit: '0' });
  const m = w.loaded.manifest;
  assert.equal(m.traffic?.peakRpm, 1000, 'the peak the operator typed, not the 4x guess');
  assert.equal(m.providers[0].limits?.rpm, 1200, '"1,200" is read as 1200');
  assert.deepEqual(m.slo, { steadyP99Ms: 2500 }, 'the latency objective the operator gave');
  assert.deepEqual(m.tenants?.[0].limits, { rpm: 200, tpm: 400000 });
  assert.deepEqual(m.routing?.failover, { mode: 'automatic', targets: ['anthropic-backup'], onStatus: [429, 500, 502, 503, 504] });
  assert.equal(m.audit?.sink?.retentionDays, 2192, 'retention pre-filled from HIPAA');
  assert.deepEqual(m.audit?.fields, ['timestamp', 'trace_id', 'operator_id', 'team_id', 'use_case_id', 'business_object_id', 'agent_version', 'model_version', 'prompt_version', 'output', 'confidence']);
  assert.equal(m.tenants?.[0].costPerRequestUsd, undefined, 'a blank cost per request leaves the estimate to the primary pricing');
  const said = io.err();
  assert.match(said, /peak is 83\.3% of openai-main's rpm limit \(1,200 rpm\): above 60% you need burst handling or a second provider/);
  assert.match(said, /HIPAA: keep audit records 6 years \(2192 days; 45 CFR 164\.316\(b\)\(2\)\(i\)\)/);
  assert.match(said, /healthcare is a regulated industry/);
  assert.match(said, /the first-request alert fires when an agent's first request after start-up has a p99 above 2x 2500 ms = 5000 ms/);
  assert.match(said, /prior-auth is projected at \$2,025 a month, 50\.6% of its \$4,000 budget: below the 70% alert/);
  assert.match(said, /rate-limit-sizing so far: PASS .*above 60%, absorbed by burst strategy queue/);
  assert.match(io.out(), /6 checks: 6 pass, 0 warn, 0 fail\. Gate PASSED \(exit 0\)/);
  const yaml = readFileSync(path.join(dir, 'readiness.yaml'), 'utf8');
  assert.match(yaml, /^# Usage pattern, in requests per minute/m, 'each section carries its comment');
  assert.doesNotMatch(yaml, /sk-proj/, 'the refused key never reaches the file');
});

for (const name of ['compliant', 'incident-1-rate-limit-at-peak', 'incident-2-no-team-ceilings', 'incident-3-trace-spans-audit']) {
  test(`--from ${name}.yaml, accepting every default, writes the same deployment with the same verdicts`, async (t) => {
    const dir = tmp(t);
    const op = scriptedOperator('accept-all');
    const { io, run } = session(op, dir, { from: example(`${name}.yaml`) });
    const code = await run;
    const w = written(dir);
    const expected = expectedVerdicts(example(`${name}.yaml`));
    assert.deepEqual(w.verdicts, expected, io.err());
    assert.equal(String(code), expected.exit);
    const original = parseManifest(readFileSync(example(`${name}.yaml`)), `${name}.yaml`).manifest;
    // a complete manifest comes back unchanged (the others gain the defaults the operator accepted)
    if (name === 'compliant') assert.deepEqual(w.loaded.manifest, original, 'nothing lost or changed');
  });
}

test('--from a manifest using every field, accepting every default, gives back exactly that manifest', async (t) => {
  // what the questionnaire does not ask (owner, metric names and runbook URL, error-rate objective, probe, waivers,
  // tenant tpm) must survive a revision untouched
  const dir = tmp(t);
  const full = parseManifest(readFileSync(example('compliant.yaml')), 'compliant.yaml').manifest;
  full.metadata.owner = 'platform-team@example.com';
  full.gateway = { ...full.gateway, metrics: { profile: 'otel', runbookBaseUrl: 'https://wiki.example.com/runbooks/readiness', overrides: { spend: 'llm_spend_usd_total' } } } as typeof full.gateway;
  full.tenants = full.tenants?.map((x, i) => ({ ...x, limits: { ...x.limits, tpm: 100_000 * (i + 1) } }));
  full.waivers = [{ check: 'failover', reason: 'second vendor contract signed, rollout in sprint 12', owner: 'platform-team', expires: '2099-12-31' }];
  writeFileSync(path.join(dir, 'full.yaml'), stringify(full));
  const op = scriptedOperator('accept-all');
  const { io, run } = session(op, dir, { from: path.join(dir, 'full.yaml') });
  assert.equal(await run, 0, io.err());
  assert.deepEqual(written(dir).loaded.manifest, parseManifest(readFileSync(path.join(dir, 'full.yaml')), 'full.yaml').manifest, 'nothing lost or changed');
});

test('Ctrl-C in the middle of a session exits 130 and leaves no file behind', async (t) => {
  const dir = tmp(t);
  const op = scriptedOperator([...HEALTHCARE.slice(0, 9), { q: /4x the average/, reply: { interrupt: true } }]);
  const { io, run } = session(op, dir);
  assert.equal(await run, 130);
  assert.equal(op.remaining(), 0);
  assert.deepEqual(readdirSync(dir), [], 'no manifest and no temporary file');
  assert.match(io.err(), /interrupted; nothing was written/);
  assert.equal(io.out(), '');
});

test('an existing file is never overwritten without --force, and nothing is asked', async (t) => {
  const dir = tmp(t);
  writeFileSync(path.join(dir, 'readiness.yaml'), 'keep me\n');
  const op = scriptedOperator([]);
  const { run } = session(op, dir);
  await assert.rejects(run, (e: unknown) => e instanceof UsageError && /readiness\.yaml already exists: pass --force/.test(e.message));
  assert.deepEqual(op.asked, []);
  assert.equal(readFileSync(path.join(dir, 'readiness.yaml'), 'utf8'), 'keep me\n');
});

test('--from the file being written, with --force, revises it in place', async (t) => {
  const dir = tmp(t);
  const file = path.join(dir, 'readiness.yaml');
  writeFileSync(file, readFileSync(example('incident-1-rate-limit-at-peak.yaml')));
  // the operator keeps every answer: the file is rewritten, commented, with the same verdicts
  const op = scriptedOperator('accept-all');
  const { run } = session(op, dir, { from: file, force: true });
  assert.equal(await run, 1);
  const w = written(dir);
  assert.equal(w.verdicts.failover, 'fail');
  assert.match(readFileSync(file, 'utf8'), /^# readiness\/v1 manifest written by `readiness init`/);
});
