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
const KEY = 'sk-proj-abcdefghijklmnopqrstuvwx';
const HEAD: Step[] = [
  {
    q: /The deployment: its short name, the operator/,
    reply: { type: 'prior-auth-agent | mercy-health | production | 2.1.0' },
    rejects: [{ type: 'prior-auth-agent | mercy-health', error: /expected 4 columns separated by "\|" \(name \| operator \| environment \| agent version\), got 2/ }],
  },
  { q: /industry/, reply: { choose: 'Healthcare' } },
  { q: /compliance frameworks/, reply: { toggle: ['HIPAA'] } },
  {
    q: /time zone \(IANA name/,
    reply: { type: 'America/Denver | mon-fri 08:00-17:00' },
    rejects: [
      { type: 'America/Denvr | ', error: /time zone: unknown time zone "America\/Denvr": did you mean "America\/Denver"\?/ },
      { type: 'Mars/Olympus | ', error: /unknown time zone "Mars\/Olympus": use an IANA name/ },
      { type: 'America/Denver | weekdays', error: /business hours: .*DAYS HH:MM-HH:MM/ },
    ],
  },
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
  { q: /tokens does a typical request send/, reply: { type: '1500 | 300' }, rejects: [{ type: '1500 | -1', error: /output tokens: must be zero or more/ }] },
  { q: /p99 latency must an ordinary request meet/, reply: { type: '2,500' } },
  {
    q: /ids for the providers the agent can call, the primary first/,
    reply: { type: 'openai-main, anthropic-backup' },
    rejects: [
      { type: 'OpenAI Main', error: /"OpenAI Main": the id must be lower-case/ },
      { type: 'a, a', error: /"a" is listed twice/ },
    ],
  },
  {
    q: /^openai-main: its vendor \(openai, azure-openai/,
    reply: { type: 'openai | gpt-4o | 1,200 | 4000000 | 2.5 | 10 | OPENAI_API_KEY' },
    rejects: [
      { type: 'opena | gpt-4o | 1200 | 4000000 | 2.5 | 10 | OPENAI_API_KEY', error: /vendor: did you mean "openai"\? expected one of: openai, azure-openai/ },
      { type: 'openai | gpt-4o | 1200 | 4000000 | | 10 | OPENAI_API_KEY', error: /USD\/M output: does not apply given the columns before it/ },
      { type: 'openai | gpt-4o | 1200 | 4000000 | 2.5 | | OPENAI_API_KEY', error: /USD\/M output: an answer is needed here/ },
    ],
  },
  { q: /^anthropic-backup: its vendor/, reply: { type: 'anthropic | claude-sonnet-4-5 | 1000 | 2000000 | 3 | 15 | ANTHROPIC_API_KEY' } },
  // routing
  { q: /takes traffic first/, reply: { enter: true } },
  { q: /where do requests go/, reply: { choose: 'Automatically' } },
  { q: /Fail over to which providers/, reply: { enter: true } },
  { q: /status codes.*Enter keeps them; \+408 adds, -504 removes; a plain list replaces them/, reply: { enter: true }, rejects: [{ type: '429, 200', error: /between 400 and 599/ }, { type: '+408, 500', error: /either change the offered list with \+x and -x only/ }] },
  { q: /During a burst/, reply: { choose: 'queue' } },
  { q: /seconds may a request wait/, reply: { type: '20' } },
  // gateway
  { q: /Which gateway/, reply: { choose: 'LiteLLM' } },
  { q: /Which LiteLLM edition/, reply: { choose: 'Enterprise' } },
  { q: /chat-completions URL/, reply: { type: 'http://127.0.0.1:4000/v1/chat/completions' }, rejects: [{ type: 'not a url', error: /not a URL/ }] },
  { q: /headers that name the operator, the team and the use case/, reply: { enter: true }, rejects: [{ type: 'x-operator-id | x team | x-use-case-id', error: /team header: not a valid HTTP header name/ }] },
  { q: /lacks these headers/, reply: { choose: 'Rejects' } },
  { q: /How is it refused/, reply: { choose: 'By virtual keys' } },
  { q: /rolled up per team/, reply: { choose: 'Daily' } },
];

const TEAMS_ONE: Step[] = [
  { q: /ids for the teams that call the agent/, reply: { type: 'prior-auth' } },
  {
    q: /^prior-auth: the team id its requests carry.*cost per request in USD if different \(blank uses \$0\.00675 from openai-main's prices\)/,
    reply: { type: 'prior-auth | prior-authorization, appeals | 10000 | | 200 | 400,000 | 4000' },
    rejects: [
      { type: 'prior-auth | qa, qa | 10000 | | 200 | | 4000', error: /use cases: "qa" is listed twice/ },
      { type: 'prior-auth | qa | 10000 | | 200 | 2e12 | 4000', error: /tpm limit: must be at most 1,000,000,000,000/ },
    ],
  },
];

const TAIL: Step[] = [
  // budgets
  { q: /ceiling for the whole account/, reply: { type: '5000' } },
  { q: /fraction of a team's budget is someone alerted/, reply: { enter: true }, rejects: [{ type: '1.5 | 15', error: /alert at fraction: must be at most 1/ }] },
  { q: /exceeds its budget/, reply: { choose: 'refused' } },
  // audit
  { q: /record of each request kept/, reply: { enter: true } },
  { q: /Object Lock mode/, reply: { choose: 'Compliance' } },
  { q: /no longer be changed/, reply: { enter: true } },
  { q: /How many days are records kept \(HIPAA requires at least 2192\)/, reply: { enter: true } },
  { q: /What is each decision about/, reply: { type: 'prior-authorization request' } },
  { q: /Fields in each record/, reply: { enter: true } },
];

const WRITE: Step = { q: /Write readiness\.yaml, or change an answer\?/, reply: { enter: true } };
const HEALTHCARE: Step[] = [...HEAD, ...TEAMS_ONE, ...TAIL, WRITE];

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
  assert.match(said, /== Review: every answer, and what it means/);
  assert.match(said, /openai-main: vendor: openai; model: gpt-4o; rpm limit: 1200; tpm limit: 4000000; USD\/M input: 2\.5; USD\/M output: 10; API key env var: OPENAI_API_KEY\n\s+-> peak is 83\.3% of openai-main's rpm limit/, 'the review shows each answer with its consequence figures');
  const yaml = readFileSync(path.join(dir, 'readiness.yaml'), 'utf8');
  assert.match(yaml, /^# Usage pattern, in requests per minute/m, 'each section carries its comment');
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
  const op = scriptedOperator([...HEALTHCARE.slice(0, 5), { q: /4x the average/, reply: { interrupt: true } }]);
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

/** The steps of HEALTHCARE with the one matching `q` replaced by `by`. */
function replacing(steps: Step[], q: RegExp, by: Step[]): Step[] {
  const at = steps.findIndex((s) => String(s.q) === String(q));
  assert.ok(at >= 0, String(q));
  return [...steps.slice(0, at), ...by, ...steps.slice(at + 1)];
}
const STATUS_Q = HEAD.find((s) => /status codes/.test(String(s.q)))?.q as RegExp;

test('2 providers and 4 teams take 40 answers (92 before the rows, the ids at once and the review); teams after the first are offered its figures', async (t) => {
  const dir = tmp(t);
  const teams: Step[] = [
    { q: /ids for the teams that call the agent/, reply: { type: 'prior-auth, claims, appeals, billing' } },
    { q: /^prior-auth: the team id/, reply: { type: 'prior-auth | prior-authorization | 10000 | | 200 | | 4000' } },
    // Enter takes the first team's figures under the team's own id
    { q: /^claims: the team id/, offered: 'claims | prior-authorization | 10000 |  | 200 |  | 4000', reply: { enter: true } },
    { q: /^appeals: the team id/, reply: { type: 'appeals | appeals | 2000 | | 50 | | 1000' } },
    { q: /^billing: the team id/, offered: 'billing | prior-authorization | 10000 |  | 200 |  | 4000', reply: { enter: true } },
  ];
  // an account ceiling that holds four teams
  const tail = replacing(TAIL, /ceiling for the whole account/, [{ q: /ceiling for the whole account/, reply: { type: '20000' } }]);
  const op = scriptedOperator([...HEAD, ...teams, ...tail, WRITE]);
  const { io, run } = session(op, dir);
  assert.equal(await run, 0, io.err());
  assert.equal(op.remaining(), 0);
  assert.equal(op.asked.length, 40, op.asked.join('\n'));
  assert.ok(op.asked.length < 50);
  const tenants = written(dir).loaded.manifest.tenants ?? [];
  assert.deepEqual(
    tenants.map((x) => [x.id, x.team, x.useCases, x.dailyRequests, x.limits?.rpm, x.budget?.monthlyUsd]),
    [
      ['prior-auth', 'prior-auth', ['prior-authorization'], 10000, 200, 4000],
      ['claims', 'claims', ['prior-authorization'], 10000, 200, 4000],
      ['appeals', 'appeals', ['appeals'], 2000, 50, 1000],
      ['billing', 'billing', ['prior-authorization'], 10000, 200, 4000],
    ],
    'billing is offered the first team\'s figures, not the previous team\'s',
  );
});

test('failover statuses: "-429" warns and is asked again when not confirmed; "+408" adds to the offered list', async (t) => {
  const dir = tmp(t);
  const steps = replacing(HEALTHCARE, STATUS_Q, [
    { q: STATUS_Q, reply: { type: '-429' } },
    { q: /Keep this answer anyway/, reply: { enter: true } }, // the default is No
    { q: STATUS_Q, reply: { type: '+408' }, rejects: [{ type: '-418', error: /418 is not in the list \(429, 500, 502, 503, 504\)/ }] },
  ]);
  const op = scriptedOperator(steps);
  const { io, run } = session(op, dir);
  assert.equal(await run, 0, io.err());
  assert.equal(op.remaining(), 0);
  assert.match(io.err(), /! warning: without 429 a rate-limited primary is never failed over: at the peak its requests fail, and the failover check fails \(onStatus: 500, 502, 503, 504\)/);
  assert.match(op.drawn().replace(/\x1b\[[0-9;]*[A-Za-z]/g, '').replace(/\s+/g, ' '), /\+408 -> 429, 500, 502, 503, 504, 408/, 'the line ends showing the list it made');
  assert.deepEqual((written(dir).loaded.manifest.routing?.failover as { onStatus?: number[] }).onStatus, [429, 500, 502, 503, 504, 408]);
});

test('failover statuses: a plain list replaces the offered one, and one without 429 stands only when confirmed', async (t) => {
  const dir = tmp(t);
  const steps = replacing(HEALTHCARE, STATUS_Q, [
    { q: STATUS_Q, reply: { type: '500, 502' } },
    { q: /Keep this answer anyway/, reply: { yes: true } },
  ]);
  const op = scriptedOperator(steps);
  const { io, run } = session(op, dir);
  assert.equal(await run, 1, 'the failover check fails, as the warning said');
  assert.equal(op.remaining(), 0);
  const w = written(dir);
  assert.deepEqual((w.loaded.manifest.routing?.failover as { onStatus?: number[] }).onStatus, [500, 502]);
  assert.equal(w.verdicts.failover, 'fail');
});

test('the review: changing an answer asks it again with its value offered, then what it brings in, and writes once chosen', async (t) => {
  const dir = tmp(t);
  const steps: Step[] = [
    ...HEAD,
    ...TEAMS_ONE,
    ...TAIL,
    { q: /Write readiness\.yaml, or change an answer\?/, reply: { choose: 'Change failover: automatic' } },
    { q: /where do requests go/, reply: { choose: 'A person switches' } },
    { q: /URL of the runbook/, reply: { type: 'https://wiki.example.com/runbooks/llm-failover' } },
    { q: /Within how many minutes/, reply: { type: '15' } },
    { q: /Write readiness\.yaml, or change an answer\?/, reply: { choose: 'Change prior-auth: prior-auth' } },
    { q: /^prior-auth: the team id/, offered: 'prior-auth | prior-authorization, appeals | 10000 |  | 200 | 400000 | 4000', reply: { type: 'prior-auth | prior-authorization, appeals | 10000 | | 200 | 400000 | 3000' } },
    WRITE,
  ];
  const op = scriptedOperator(steps);
  const { io, run } = session(op, dir);
  const code = await run;
  assert.equal(op.remaining(), 0, op.asked.slice(-8).join('\n'));
  assert.equal(code, 0, io.err());
  const m = written(dir).loaded.manifest;
  assert.deepEqual(m.routing?.failover, { mode: 'manual', manual: { runbook: 'https://wiki.example.com/runbooks/llm-failover', slaMinutes: 15 } });
  assert.equal(m.tenants?.[0].budget?.monthlyUsd, 3000);
  assert.equal(m.audit?.sink?.retentionDays, 2192, 'answers not changed stay as given');
  const reviews = io.err().split('== Review: every answer, and what it means');
  assert.equal(reviews.length, 4, 'the review is shown again after each change');
  assert.match(reviews[2], /failover: manual\n\s+runbook: https:\/\/wiki\.example\.com\/runbooks\/llm-failover\n\s+minutes to switch: 15/);
  assert.doesNotMatch(reviews[2], /failover on status/, 'what no longer applies is gone');
  assert.match(reviews[3], /prior-auth is projected at \$2,025 a month, 67\.5% of its \$3,000 budget/, 'the figures follow the changed answer');
});

test('a pasted key is refused, hidden as it is typed and gone from the line: the row is offered again without it', async (t) => {
  const dir = tmp(t);
  const openai = HEAD.find((s) => /openai-main: its vendor/.test(String(s.q))) as Step;
  const steps = replacing(HEALTHCARE, openai.q, [
    { q: openai.q, reply: { type: `openai | gpt-4o | 1,200 | 4000000 | 2.5 | 10 | ${KEY}` } },
    { q: openai.q, offered: 'openai | gpt-4o | 1,200 | 4000000 | 2.5 | 10 | ', reply: { type: 'openai | gpt-4o | 1,200 | 4000000 | 2.5 | 10 | OPENAI_API_KEY' } },
  ]);
  const op = scriptedOperator(steps);
  const { io, run } = session(op, dir);
  assert.equal(await run, 0, io.err());
  assert.equal(op.remaining(), 0);
  assert.match(io.err(), /! API key env var: that looks like a key itself: give the name of the environment variable that holds it \(e\.g\. OPENAI_API_KEY\)\. What was typed is not kept and no longer shown/);
  // what the prompts drew, as a terminal would show it: without escapes, lines wrapped at the test screen's width joined again
  const screen = op.drawn().replace(/\x1b\[[0-9;]*[A-Za-z]/g, '').replace(/\s+/g, ' ');
  assert.match(screen, /2\.5 \| 10 \| \[hidden: looks like a credential\]/);
  for (const part of [KEY, 'sk-proj', 'abcdefgh']) {
    assert.ok(!op.drawn().includes(part), `the prompts never drew ${part}`);
    assert.ok(!io.err().includes(part), `nothing said ${part}`);
  }
  assert.doesNotMatch(readFileSync(path.join(dir, 'readiness.yaml'), 'utf8'), /sk-proj/);
});

test('the review: "+claims" over the team ids adds a team, whose row alone is asked, offered the first team\'s figures', async (t) => {
  const dir = tmp(t);
  const steps: Step[] = [
    ...HEAD,
    ...TEAMS_ONE,
    ...TAIL,
    { q: /Write readiness\.yaml, or change an answer\?/, reply: { choose: 'Change tenant ids: prior-auth' } },
    { q: /ids for the teams that call the agent.*\+x adds, -x removes/, offered: 'prior-auth', reply: { type: '+claims' } },
    { q: /^claims: the team id/, offered: 'claims | prior-authorization, appeals | 10000 |  | 200 | 400000 | 4000', reply: { enter: true } },
    WRITE,
  ];
  const op = scriptedOperator(steps);
  const { io, run } = session(op, dir);
  const code = await run;
  assert.equal(op.remaining(), 0, op.asked.slice(-5).join('\n'));
  assert.equal(code, 0, io.err());
  const tenants = written(dir).loaded.manifest.tenants ?? [];
  assert.deepEqual(tenants.map((x) => x.id), ['prior-auth', 'claims']);
  assert.deepEqual(tenants[0].limits, { rpm: 200, tpm: 400000 }, 'the first team kept as given, not asked again');
});

test('--from a manifest whose failover lacks 429: Enter keeps it, the warning is said, not asked (it was chosen before)', async (t) => {
  const dir = tmp(t);
  const m = parseManifest(readFileSync(example('compliant.yaml')), 'compliant.yaml').manifest;
  (m.routing?.failover as { onStatus?: number[] }).onStatus = [500, 502, 503, 504];
  writeFileSync(path.join(dir, 'old.yaml'), stringify(m));
  const op = scriptedOperator('accept-all');
  const { io, run } = session(op, dir, { from: path.join(dir, 'old.yaml') });
  assert.equal(await run, 1, 'the failover check fails, as it did');
  assert.match(io.err(), /! warning: without 429 a rate-limited primary is never failed over/);
  assert.deepEqual(op.asked.filter((x) => /Keep this answer anyway/.test(x)), []);
  assert.deepEqual((written(dir).loaded.manifest.routing?.failover as { onStatus?: number[] }).onStatus, [500, 502, 503, 504]);
});
