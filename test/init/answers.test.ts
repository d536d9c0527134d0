/** `readiness init --answers FILE`: the non-interactive questionnaire, in-process. */
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { gateExitCode, runChecks } from '../../src/checks/run.js';
import { answersToManifest, manifestToAnswers } from '../../src/init/manifest.js';
import { answersFromFile } from '../../src/init/session.js';
import { renderManifestYaml } from '../../src/init/yaml.js';
import { parseManifest } from '../../src/manifest/load.js';
import { InputError } from '../../src/util/errors.js';
import { ROOT, example, runInProcess } from '../helpers/cli.js';
import { expectedVerdicts, verdicts } from '../helpers/verdicts.js';

const FIXTURES = path.join(ROOT, 'test', 'init', 'fixtures');
const fixture = (name: string) => path.join(FIXTURES, name);

function tmp(t: { after: (fn: () => void) => void }): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'readiness-init-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function writtenVerdicts(file: string) {
  const loaded = parseManifest(readFileSync(file), path.basename(file));
  const report = runChecks(loaded);
  return verdicts(report, gateExitCode(report));
}

const CASES = [
  { answers: 'answers-compliant.yaml', reproduces: 'compliant.yaml' },
  { answers: 'answers-incident-1-rate-limit-at-peak.json', reproduces: 'incident-1-rate-limit-at-peak.yaml' },
];

for (const c of CASES) {
  test(`--answers ${c.answers} writes a valid manifest with ${c.reproduces}'s verdicts`, async (t) => {
    const dir = tmp(t);
    const r = await runInProcess(['init', '--answers', fixture(c.answers), '--out', 'out/readiness.yaml'], {}, dir);
    const expected = expectedVerdicts(example(c.reproduces));
    assert.equal(String(r.code), expected.exit, r.stderr);
    assert.deepEqual(writtenVerdicts(path.join(dir, 'out', 'readiness.yaml')), expected);
    const written = parseManifest(readFileSync(path.join(dir, 'out', 'readiness.yaml')), 'out').manifest;
    const original = parseManifest(readFileSync(example(c.reproduces)), c.reproduces).manifest;
    assert.equal(written.slo?.steadyP99Ms, original.slo?.steadyP99Ms, 'the latency objective (the first-request alert threshold is 2x it)');
    assert.match(r.stdout, new RegExp(`Gate ${expected.exit === '0' ? 'PASSED' : 'FAILED'} \\(exit ${expected.exit}\\)`));
    assert.match(r.stderr, /wrote out\/readiness\.yaml/);
  });
}

test('the incident answers show the consequence as a sentence before the report', async (t) => {
  const dir = tmp(t);
  const r = await runInProcess(['init', '--answers', fixture('answers-incident-1-rate-limit-at-peak.json')], {}, dir);
  assert.match(r.stderr, /-> peak is 166\.7% of azure-gpt4o's rpm limit \(600 rpm\): over the limit, so it cannot hold the peak alone/);
  assert.match(r.stderr, /-> SOC 2: keep audit records 1 year \(365 days; SOC 2 common policy\)/);
  assert.ok(readdirSync(dir).includes('readiness.yaml'), 'the default --out is readiness.yaml');
});

test('an invalid answers file is exit 2, every problem at file:line:col, and nothing is written', async (t) => {
  const dir = tmp(t);
  const r = await runInProcess(['init', '--answers', 'answers-invalid.yaml', '--out', path.join(dir, 'x.yaml')], {}, FIXTURES);
  assert.equal(r.code, 2);
  assert.equal(r.stdout, '');
  assert.deepEqual(readdirSync(dir), []);
  const lines = r.stderr.trim().split('\n');
  assert.deepEqual(lines, [
    'answers-invalid.yaml:2:86: deployment.agentVersion: expected text: quote it ("3.4")',
    'answers-invalid.yaml:4:13: operator.industry: expected one of: financial-services, healthcare, insurance, legal, government, technology, retail, other',
    'answers-invalid.yaml:5:15: operator.frameworks: "hipaa" is listed twice',
    'answers-invalid.yaml:6:1: usage.outputTokens is missing: How many tokens does a typical answer have?',
    'answers-invalid.yaml:8:12: usage.peakRpm: the peak cannot be lower than the average (300 rpm)',
    'answers-invalid.yaml:9:15: usage.peakWindow: expected HH:MM-HH:MM on a 24-hour clock, e.g. 17:00-19:00',
    'answers-invalid.yaml:11:16: usage.steadyP99Ms: must be at most 3,600,000',
    'answers-invalid.yaml:13:52: providers[0].rpm: must be a positive number',
    'answers-invalid.yaml:13:67: providers[0].apiKeyEnv: that looks like a key itself: give the name of the environment variable that holds it (e.g. OPENAI_API_KEY)',
    'answers-invalid.yaml:14:10: providers[1].id: another provider already has the id "main"',
    'answers-invalid.yaml:15:1: routing.slaMinutes is missing: Within how many minutes do they switch provider?',
    'answers-invalid.yaml:15:53: routing.runbook: not a URL: expected something like https://wiki.example.com/runbooks/llm-failover',
    'answers-invalid.yaml:16:65: unknown answer "teamHeadr" in gateway; did you mean "teamHeader"?',
    'answers-invalid.yaml:18:28: budgets.alertAtFraction: must be at most 1',
    'answers-invalid.yaml:20:1: unknown section "extra"; sections are deployment, operator, usage, providers, routing, gateway, tenants, budgets, audit',
  ]);
  assert.doesNotMatch(r.stderr, /sk-proj/, 'a pasted key is never echoed');
  assert.doesNotMatch(r.stderr, /->/, 'no consequences are shown for answers that are refused');
});

test('the peak is never assumed: an answers file without it is refused, naming the 4x offer', async () => {
  const text = readFileSync(fixture('answers-compliant.yaml'), 'utf8').replace('peakRpm: 1000, ', '');
  await assert.rejects(answersFromFile(text, 'a.yaml'), (e: unknown) => {
    assert.ok(e instanceof InputError);
    assert.deepEqual(
      e.diagnostics.map((d) => `${d.line}:${d.column}: ${d.message}`),
      ['7:1: usage.peakRpm is missing: At their busiest, how many requests per minute? (4x the average, 1000, is offered as a starting guess: confirm it with the operator) (the questionnaire would offer 1000; state it explicitly)'],
    );
    return true;
  });
});

test('answers that only apply to another choice are refused once everything else is right', async () => {
  const text = readFileSync(fixture('answers-compliant.yaml'), 'utf8').replace('burst: queue, maxWaitSeconds: 20', 'burst: none, maxWaitSeconds: 20');
  await assert.rejects(answersFromFile(text, 'a.yaml'), /a\.yaml:11:\d+: routing\.maxWaitSeconds does not apply given the other answers/);
});

test('open-source LiteLLM: the metrics source is asked, lands in gateway.metrics.source and passes budget-ceilings with the exporter; with Enterprise it does not apply', async () => {
  const text = readFileSync(fixture('answers-compliant.yaml'), 'utf8');
  const oss = text.replace('edition: enterprise,', 'edition: oss, metricsSource: readiness-exporter,');
  const m = answersToManifest((await answersFromFile(oss, 'a.yaml')).answers);
  assert.deepEqual(m.gateway?.metrics, { source: 'readiness-exporter' });
  const loaded = parseManifest(renderManifestYaml(m), 'm.yaml');
  const budget = runChecks(loaded).checks.find((c) => c.id === 'budget-ceilings')!;
  assert.equal(budget.status, 'pass', budget.findings.map((f) => f.message).join('\n'));
  assert.equal(manifestToAnswers(loaded.manifest).gateway?.metricsSource, 'readiness-exporter', 'read back for --from');
  await assert.rejects(answersFromFile(text.replace('edition: enterprise,', 'edition: enterprise, metricsSource: readiness-exporter,'), 'a.yaml'), /a\.yaml:12:\d+: gateway\.metricsSource does not apply given the other answers/);
});

test('an answers file that is not a mapping, or not YAML, is located too', async () => {
  await assert.rejects(answersFromFile('- just\n- a list\n', 'l.yaml'), /l\.yaml:1:1: expected a mapping of answers/);
  await assert.rejects(answersFromFile('usage: {averageRpm: 1\n', 'y.yaml'), /y\.yaml:\d+:\d+: YAML: /);
  await assert.rejects(answersFromFile('providers: {id: x}\n', 'p.yaml'), (e: unknown) => {
    assert.ok(e instanceof InputError);
    const providers = e.diagnostics.filter((d) => d.message.startsWith('providers'));
    assert.deepEqual(providers.map((d) => `${d.line}:${d.column}: ${d.message}`), ['1:12: providers: expected a list of providers'], 'one problem, not one per missing answer');
    return true;
  });
});

test('--answers and --from do not combine; a missing answers file is exit 2', async (t) => {
  const dir = tmp(t);
  const both = await runInProcess(['init', '--answers', fixture('answers-compliant.yaml'), '--from', example('compliant.yaml')], {}, dir);
  assert.equal(both.code, 2);
  assert.match(both.stderr, /--answers and --from do not combine/);
  const missing = await runInProcess(['init', '--answers', 'nope.yaml'], {}, dir);
  assert.equal(missing.code, 2);
  assert.equal(missing.stderr, 'nope.yaml:1:1: cannot read answers file: no such file\n');
  assert.deepEqual(readdirSync(dir), []);
});

test('the overwrite guard: exit 2 and the file untouched without --force, replaced with it', async (t) => {
  const dir = tmp(t);
  const out = path.join(dir, 'readiness.yaml');
  writeFileSync(out, 'mine\n');
  const refused = await runInProcess(['init', '--answers', fixture('answers-compliant.yaml')], {}, dir);
  assert.equal(refused.code, 2);
  assert.match(refused.stderr, /readiness\.yaml already exists: pass --force to overwrite it/);
  assert.equal(readFileSync(out, 'utf8'), 'mine\n');
  const forced = await runInProcess(['init', '--answers', fixture('answers-compliant.yaml'), '--force'], {}, dir);
  assert.equal(forced.code, 0, forced.stderr);
  assert.deepEqual(writtenVerdicts(out), expectedVerdicts(example('compliant.yaml')));
  assert.deepEqual(readdirSync(dir), ['readiness.yaml'], 'no temporary file left behind');
});

test('the written manifest is deterministic and carries a comment above each section', async () => {
  const { answers } = await answersFromFile(readFileSync(fixture('answers-compliant.yaml'), 'utf8'), 'a.yaml');
  const a = renderManifestYaml(answersToManifest(answers));
  const b = renderManifestYaml(answersToManifest(structuredClone(answers)));
  assert.equal(a, b);
  for (const section of ['metadata', 'operator', 'traffic', 'providers', 'routing', 'gateway', 'tenants', 'budgets', 'audit']) {
    assert.match(a, new RegExp(`# [^\\n]+\\n(# [^\\n]+\\n)*${section}:`), `a comment explains ${section}`);
  }
  assert.match(a, /sink: \{kind: s3-object-lock, mode: compliance, retentionDays: 2557\} # sox requires retentionDays >= 2557/);
});

for (const name of ['compliant', 'incident-1-rate-limit-at-peak', 'incident-2-no-team-ceilings', 'incident-3-trace-spans-audit']) {
  test(`${name}.yaml -> answers -> manifest keeps every verdict`, () => {
    const original = parseManifest(readFileSync(example(`${name}.yaml`)), `${name}.yaml`).manifest;
    const again = parseManifest(renderManifestYaml(answersToManifest(manifestToAnswers(original), original)), 'again.yaml');
    const report = runChecks(again);
    assert.deepEqual(verdicts(report, gateExitCode(report)), expectedVerdicts(example(`${name}.yaml`)));
  });
}

test('any single answer removed or mistyped gives located errors or a manifest, never a crash', async () => {
  const { parse, stringify } = await import('yaml');
  const base = parse(readFileSync(fixture('answers-compliant.yaml'), 'utf8')) as Record<string, unknown>;
  const leaves: Array<Array<string | number>> = [];
  const walk = (v: unknown, p: Array<string | number>) => {
    if (v !== null && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, [...p, Array.isArray(v) ? Number(k) : k]);
    else leaves.push(p);
  };
  walk(base, []);
  assert.ok(leaves.length > 60);
  let refused = 0;
  for (const leaf of leaves) {
    for (const replacement of [undefined, 'x', {}]) {
      const copy = structuredClone(base);
      let parent: any = copy;
      for (const seg of leaf.slice(0, -1)) parent = parent[seg];
      const last = leaf[leaf.length - 1];
      if (replacement === undefined) {
        if (Array.isArray(parent)) parent.splice(last as number, 1);
        else delete parent[last];
      } else parent[last] = replacement;
      try {
        const { answers } = await answersFromFile(stringify(copy), 'm.yaml');
        parseManifest(renderManifestYaml(answersToManifest(answers)), 'm.yaml');
      } catch (e) {
        assert.ok(e instanceof InputError, `${leaf.join('.')} = ${JSON.stringify(replacement)}: ${(e as Error).stack}`);
        assert.ok(e.diagnostics.every((d) => d.file === 'm.yaml' && d.line >= 1 && d.column >= 1));
        refused++;
      }
    }
  }
  assert.ok(refused > leaves.length * 1.5, `most mistakes are refused (${refused})`);
});

test('--from an invalid manifest is exit 2 with the loader\'s located errors, before any question', async (t) => {
  const dir = tmp(t);
  writeFileSync(path.join(dir, 'old.yaml'), 'apiVersion: readiness/v1\nkind: AgentDeployment\nmetadata: {name: x}\nproviders: []\n');
  const r = await runInProcess(['init', '--from', 'old.yaml'], {}, dir);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /^old\.yaml:4:12: /m);
  assert.doesNotMatch(r.stderr, /needs a terminal/, 'the manifest is read before the terminal is needed');
});

test('an alias bomb in an answers file is refused, not expanded', async () => {
  const bomb = ['a: &a [x, x, x, x, x, x, x, x, x, x]', ...'bcdefgh'.split('').map((c, i) => `${c}: &${c} [${Array(10).fill(`*${'abcdefgh'[i]}`).join(', ')}]`), 'deployment: *h'].join('\n');
  await assert.rejects(answersFromFile(bomb, 'bomb.yaml'), /bomb\.yaml:1:1: too many YAML alias expansions/);
});

test('answers files are held to the manifest loader\'s guards: UTF-8 only, aliases that resolve, located', async (t) => {
  const dir = tmp(t);
  writeFileSync(path.join(dir, 'latin1.yaml'), Buffer.from('deployment: {name: acme-b\xe4nk, operator: x, environment: prod}\n', 'latin1'));
  let r = await runInProcess(['init', '--answers', 'latin1.yaml', '--out', 'm.yaml'], {}, dir);
  assert.equal(r.code, 2);
  assert.equal(r.stderr, 'latin1.yaml:1:26: file is not valid UTF-8: save the answers file as UTF-8 text\n');
  writeFileSync(path.join(dir, 'alias.yaml'), 'deployment: {name: *nope, operator: x, environment: prod}\n');
  r = await runInProcess(['init', '--answers', 'alias.yaml', '--out', 'm.yaml'], {}, dir);
  assert.equal(r.code, 2);
  assert.equal(r.stderr, 'alias.yaml:1:20: YAML: alias *nope names no anchor (&) defined before it\n');
  writeFileSync(path.join(dir, 'broken.yaml'), 'deployment: {name: x, operator: x, environment: prod\n');
  r = await runInProcess(['init', '--answers', 'broken.yaml', '--out', 'm.yaml'], {}, dir);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /^broken\.yaml:2:1: YAML: [^\n]*[^:\n](\n  hint: [^\n]+)?\n$/, 'the yaml package\'s own "at line, column:" suffix is dropped');
  assert.deepEqual(readdirSync(dir).sort(), ['alias.yaml', 'broken.yaml', 'latin1.yaml']);
});

test('--out through a file (out/m.yaml where out is a file) is exit 2 with the reason', async (t) => {
  const dir = tmp(t);
  writeFileSync(path.join(dir, 'out'), 'a file\n');
  const r = await runInProcess(['init', '--answers', fixture('answers-compliant.yaml'), '--out', 'out/m.yaml'], {}, dir);
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, /cannot write .*out\/m\.yaml: a part of its path is a file, not a folder/);
  assert.equal(readFileSync(path.join(dir, 'out'), 'utf8'), 'a file\n');
});

test('a credential given as any answer is refused at that answer and never echoed, nor written', async (t) => {
  const dir = tmp(t);
  const KEY = 'sk-proj-Zq9XvB7nM3kL5pR8tY2wE4uI6oA1sD0f';
  const AWS = 'AKIAIOSFODNN7EXAMPLE';
  const base = readFileSync(fixture('answers-compliant.yaml'), 'utf8');
  const cases: Array<[string, string, RegExp]> = [
    ['timezone: America/New_York', `timezone: "${KEY}"`, /operator\.timezone: that looks like a credential \(OpenAI-style API key\)/],
    ['frameworks: [sec-17a-4, finra-4511, sox]', `frameworks: [sec-17a-4, "${KEY}"]`, /operator\.frameworks: that looks like a credential/],
    ['useCases: [batch-analysis]', `useCases: ["${KEY}", "${KEY}"]`, /useCases: that looks like a credential/],
    ['name: contract-review-agent', `name: "Bearer eyJhbGciOiJIUzI1NiJ9.payload"`, /deployment\.name: that looks like a credential \(bearer token\)/],
    ['model: gpt-4o-2024-08-06', `model: ${AWS}`, /providers\[0\]\.model: that looks like a credential \(AWS access key id\)/],
    ['endpoint: "http://127.0.0.1:4000/v1/chat/completions"', `endpoint: "http://user:${KEY}@127.0.0.1:4000/v1"`, /gateway\.endpoint: that looks like a credential/],
    ['apiKeyEnv: OPENAI_API_KEY', `apiKeyEnv: ${KEY}`, /providers\[0\]\.apiKeyEnv: that looks like a key itself: give the name of the environment variable/],
  ];
  for (const [from, to, expected] of cases) {
    assert.ok(base.includes(from), from);
    writeFileSync(path.join(dir, 'a.yaml'), base.replace(from, to));
    const r = await runInProcess(['init', '--answers', 'a.yaml', '--out', 'm.yaml'], {}, dir);
    assert.equal(r.code, 2, `${to}: ${r.stderr}`);
    assert.match(r.stderr, expected);
    for (const secret of [KEY, AWS, 'eyJhbGciOiJIUzI1NiJ9']) assert.ok(!r.stderr.includes(secret) && !r.stdout.includes(secret), `${to}: echoed`);
    assert.deepEqual(readdirSync(dir), ['a.yaml'], 'nothing written');
  }
});

test('an answers file: an unknown vendor or time zone is located with the nearest valid one', async () => {
  const base = readFileSync(fixture('answers-compliant.yaml'), 'utf8');
  const text = base.replace('vendor: anthropic,', 'vendor: antropic,').replace('timezone: America/New_York', 'timezone: America/NewYork');
  await assert.rejects(answersFromFile(text, 'a.yaml'), (e: unknown) => {
    assert.ok(e instanceof InputError);
    assert.deepEqual(
      e.diagnostics.map((d) => `${d.file}:${d.line}:${d.column}: ${d.message}`),
      [
        'a.yaml:6:13: operator.timezone: unknown time zone "America/NewYork": did you mean "America/New_York"? use an IANA name such as America/New_York or Europe/London',
        'a.yaml:10:36: providers[1].vendor: did you mean "anthropic"? expected one of: openai, azure-openai, anthropic, aws-bedrock, google-vertex, mistral, cohere, self-hosted, other',
      ],
    );
    return true;
  });
});

test('an answers file without 429 in the failover statuses is taken as meant, with the warning said', async (t) => {
  const dir = tmp(t);
  writeFileSync(path.join(dir, 'a.yaml'), readFileSync(fixture('answers-compliant.yaml'), 'utf8').replace('onStatus: [429, 500, 502, 503, 504]', 'onStatus: [500, 502]'));
  const r = await runInProcess(['init', '--answers', 'a.yaml', '--out', 'm.yaml'], {}, dir);
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stderr, /-> warning: routing\.onStatus: without 429 a rate-limited primary is never failed over: at the peak its requests fail, and the failover check fails \(onStatus: 500, 502\)/);
  assert.match(r.stdout, /FAIL {2}failover/);
  const { answers } = await answersFromFile(readFileSync(fixture('answers-compliant.yaml'), 'utf8'), 'a.yaml');
  assert.deepEqual(answers.routing.onStatus, [429, 500, 502, 503, 504], 'with 429, no warning and the list as given');
});
