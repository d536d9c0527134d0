// readiness drift: the deployed gateway config linted against the gateway's documented keys and
// compared with the manifest. Fixtures: test/fixtures/drift/{litellm,portkey}/success-*|failure-*,
// and LiteLLM's own example configs (test/fixtures/drift/litellm-examples, each naming its source).
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import { DRIFT_RULES } from '../src/drift/rules.js';
import { detectKind, runDrift } from '../src/drift/run.js';
import type { DriftFinding, GatewayFile, GatewayFileKind } from '../src/drift/types.js';
import { readConfig } from '../src/drift/yaml.js';
import { LITELLM_KEY_GROUPS } from '../src/gateway/litellm/config-keys.js';
import { lintLitellmConfig } from '../src/gateway/litellm/lint.js';
import { loadManifest } from '../src/manifest/load.js';
import { buildModel, type DeploymentModel } from '../src/manifest/model.js';
import { InputError } from '../src/util/errors.js';
import { EXAMPLES, ROOT, example, runInProcess } from './helpers/cli.js';

const FIX = path.join(ROOT, 'test', 'fixtures', 'drift');
const fx = (...p: string[]) => path.join(FIX, ...p);
const rel = (abs: string) => path.relative(ROOT, abs).split(path.sep).join('/');

async function compliantModel(): Promise<DeploymentModel> {
  return buildModel((await loadManifest(example('compliant.yaml'))).manifest);
}

function lint(kind: GatewayFileKind, file: string, model?: DeploymentModel): DriftFinding[] {
  const f: GatewayFile = { kind, file: rel(file), text: readFileSync(file, 'utf8') };
  return runDrift([f], model).findings;
}

const at = (fs: DriftFinding[]) => fs.map((f) => `${f.id}@${f.line}:${f.column}`).sort();

describe('LiteLLM: its own example configs', () => {
  const files = readdirSync(fx('litellm-examples')).filter((f) => f.endsWith('.yaml'));
  test('there are fixtures, each naming where it comes from', () => {
    assert.ok(files.length >= 6);
    for (const f of files) assert.match(readFileSync(fx('litellm-examples', f), 'utf8'), /^# Source: BerriAI\/litellm litellm\/proxy\/example_config_yaml\//);
  });
  for (const f of files) {
    test(`${f}: no unknown-key, no duplicate-key`, () => {
      const found = lint('litellm-config', fx('litellm-examples', f));
      assert.deepEqual(found.filter((x) => x.id === 'unknown-key' || x.id === 'duplicate-key'), []);
    });
  }
  test('load_balancer.yaml: rpm/tpm beside litellm_params are read, literal keys are flagged and never printed', async () => {
    const found = lint('litellm-config', fx('litellm-examples', 'load_balancer.yaml'));
    assert.deepEqual(at(found), ['literal-secret@12:16', 'literal-secret@18:16', 'literal-secret@30:19']);
    const r = await runInProcess(['drift', '--litellm-config', rel(fx('litellm-examples', 'load_balancer.yaml')), '--format', 'json']);
    assert.equal(r.code, 1);
    for (const secret of ['sk-uj6F', 'sk-Imn', 'eYVX71']) assert.ok(!r.stdout.includes(secret), secret);
  });
});

describe('LiteLLM: hand-written configs, each finding at its line', () => {
  test('success-hand-written.yaml (comments, anchors, << merge, flow style): no findings', async () => {
    assert.deepEqual(at(lint('litellm-config', fx('litellm', 'success-hand-written.yaml'), await compliantModel())), []);
  });
  test('success-crlf.yaml: the same with CRLF line ends, no findings and the same lines', async () => {
    const text = readFileSync(fx('litellm', 'success-crlf.yaml'), 'utf8');
    assert.ok(text.includes('\r\n'));
    assert.deepEqual(at(lint('litellm-config', fx('litellm', 'success-crlf.yaml'), await compliantModel())), []);
    const bad = text.replace('fallbacks:', 'fallback:');
    const f = lintLitellmConfig(bad, 'x.yaml', await compliantModel()).findings.find((x) => x.id === 'unknown-key');
    const lf = lintLitellmConfig(bad.replace(/\r\n/g, '\n'), 'x.yaml', await compliantModel()).findings.find((x) => x.id === 'unknown-key');
    assert.ok(f && lf);
    assert.deepEqual([f.line, f.column], [lf.line, lf.column]);
  });
  test('failure-misspelled-keys.yaml: every misspelling at its line, with did-you-mean', async () => {
    const found = lint('litellm-config', fx('litellm', 'failure-misspelled-keys.yaml'), await compliantModel());
    const unknown = found.filter((f) => f.id === 'unknown-key');
    assert.deepEqual(
      unknown.map((f) => [f.line, f.column, /did you mean "([^"]+)"/.exec(f.message)?.[1]]),
      [
        [4, 5, 'litellm_params'],
        [13, 7, 'api_base'],
        [17, 3, 'enable_pre_call_checks'],
        [18, 3, 'fallbacks'],
        [19, 18, 'RateLimitErrorRetries'],
        [20, 1, 'litellm_settings'],
        [25, 3, 'master_key'],
      ],
    );
    assert.ok(unknown.every((f) => f.status === 'fail'));
    // what the typos cost: the misspelled sections are not in force
    assert.ok(found.some((f) => f.id === 'fallbacks-missing'));
    assert.ok(found.some((f) => f.id === 'prometheus-callback-missing'));
  });
  test('failure-duplicate-key.yaml: both lines named, and what is lost', async () => {
    const found = lint('litellm-config', fx('litellm', 'failure-duplicate-key.yaml'), await compliantModel());
    assert.deepEqual(at(found), ['duplicate-key@16:3', 'duplicate-key@18:1', 'prometheus-callback-missing@19:3']);
    const block = found.find((f) => f.line === 18);
    assert.match(block!.message, /litellm_settings is given twice \(line 9 and line 18\).*drops the one at line 9, which held a mapping with callbacks, extra_spend_tag_headers/);
    assert.match(found.find((f) => f.line === 16)!.message, /router_settings\.timeout .*which held 30/);
  });
  test('failure-drift.yaml: limits, model, env var, price, fallbacks, callback, tags, YAML 1.1 surprise', async () => {
    const found = lint('litellm-config', fx('litellm', 'failure-drift.yaml'), await compliantModel());
    assert.deepEqual(at(found), [
      'database-missing@2:1',
      'env-reference-mismatch@6:16',
      'fallbacks-missing@16:3',
      'limit-drift@11:102',
      'limit-drift@5:7',
      'limit-drift@7:12',
      'master-key-missing@2:1',
      'model-mismatch@5:14',
      'model-not-declared@13:5',
      'price-drift@8:29',
      'prometheus-callback-missing@18:14',
      'retry-policy-429@16:3',
      'spend-tag-headers-missing@19:28',
      'timeout-missing@16:3',
      'yaml-1.1-surprise@11:128',
    ]);
    const above = found.find((f) => f.id === 'limit-drift' && f.line === 7)!;
    const below = found.find((f) => f.id === 'limit-drift' && f.line === 11)!;
    assert.equal(above.status, 'fail');
    assert.equal(below.status, 'warn');
  });
  test('fallbacks to a model_name that is not in model_list are reported', async () => {
    const text = readFileSync(fx('litellm', 'success-hand-written.yaml'), 'utf8').replace('[{openai-main: [anthropic-backup]}]', '[{openai-main: [claude-backup]}]');
    const found = lintLitellmConfig(text, 'c.yaml', await compliantModel()).findings;
    assert.deepEqual(found.map((f) => `${f.id}@${f.line}`), ['fallbacks-order@24', 'fallbacks-order@24']);
    assert.match(found[1].message + found[0].message, /claude-backup, which is no model_name/);
  });
  test('redis-missing: more than one replica and no Redis in router_settings', async () => {
    const model = await compliantModel();
    const text = readFileSync(fx('litellm', 'success-hand-written.yaml'), 'utf8');
    const two = { ...model, manifest: { ...model.manifest, gateway: { ...model.manifest.gateway, replicas: 2 } } } as DeploymentModel;
    assert.deepEqual(lintLitellmConfig(text, 'c.yaml', model).findings, []);
    const found = lintLitellmConfig(text, 'c.yaml', two).findings;
    assert.deepEqual(found.map((f) => f.id), ['redis-missing']);
    const withRedis = text.replace('router_settings:\n', 'router_settings:\n  redis_host: os.environ/REDIS_HOST\n');
    assert.deepEqual(lintLitellmConfig(withRedis, 'c.yaml', two).findings, []);
  });
});

describe('LiteLLM teams and keys', () => {
  test('success-teams.json (GET /team/list): no findings', async () => {
    assert.deepEqual(lint('litellm-teams', fx('litellm', 'success-teams.json'), await compliantModel()), []);
  });
  test('failure-teams.json: budget, missing budget, limit, undeclared team, duplicate JSON key', async () => {
    const found = lint('litellm-teams', fx('litellm', 'failure-teams.json'), await compliantModel());
    assert.deepEqual(at(found), ['duplicate-key@4:98', 'no-budget@3:3', 'team-budget-drift@2:67', 'team-budget-drift@4:3', 'team-limit-drift@4:111', 'team-not-declared@3:3']);
  });
  test('a tenant with no team: team-missing', async () => {
    const found = runDrift([{ kind: 'litellm-teams', file: 't.json', text: '{"teams": [{"team_id": "research", "max_budget": 8000, "budget_duration": "30d", "rpm_limit": 300}]}' }], await compliantModel()).findings;
    assert.deepEqual(found.map((f) => `${f.id} ${f.message.slice(0, 17)}`), ['team-missing tenant operations']);
  });
  test('failure-keys.json (GET /key/list): a key with no team and no budget, a key of an undeclared team', async () => {
    const found = lint('litellm-keys', fx('litellm', 'failure-keys.json'), await compliantModel());
    assert.deepEqual(at(found), ['no-budget@3:3', 'team-not-declared@4:116']);
  });
});

describe('Portkey configs', () => {
  test('success-portkey.json: no findings', async () => {
    assert.deepEqual(lint('portkey-config', fx('portkey', 'success-portkey.json'), await compliantModel()), []);
  });
  test('failure-portkey-fallback.json: no 429 in on_status_codes, targets out of order, env var, misspelled key, metadata not all required', async () => {
    const found = lint('portkey-config', fx('portkey', 'failure-portkey-fallback.json'), await compliantModel());
    assert.deepEqual(at(found), ['attribution-not-required@4:23', 'env-reference-mismatch@9:39', 'fallback-status@2:55', 'fallbacks-order@7:14', 'unknown-key@10:31']);
    assert.match(found.find((f) => f.id === 'fallback-status')!.message, /lacks 429, 504/);
  });
  test('failure-portkey-single.json: no fallback, literal key, no timeout, unknown key', async () => {
    const found = lint('portkey-config', fx('portkey', 'failure-portkey-single.json'), await compliantModel());
    assert.deepEqual(at(found), ['attribution-not-required@1:1', 'fallbacks-missing@2:15', 'literal-secret@5:39', 'model-missing@4:14', 'timeout-missing@1:1', 'unknown-key@3:3']);
  });
});

describe('the YAML 1.1 reader behaves like PyYAML', () => {
  test('yes/no/on/off are booleans, y/n stay strings, 0755 is octal, 1_000 is 1000, << merges, last duplicate wins', () => {
    const r = readConfig('a: on\nb: y\nc: 0755\nd: 1_000\nbase: &b {x: 1, y: 2}\ne: {<<: *b, y: 3}\nf: 1\nf: 2\n', 'x.yaml', 'yaml-1.1');
    const js = Object.fromEntries((r.root as { entries: Array<{ key: string; value: unknown }> }).entries.map((e) => [e.key, e.value]));
    assert.equal((js.a as { value: unknown }).value, true);
    assert.equal((js.b as { value: unknown }).value, 'y');
    assert.equal((js.c as { value: unknown }).value, 493);
    assert.equal((js.d as { value: unknown }).value, 1000);
    assert.deepEqual((js.e as { entries: Array<{ key: string; value: { value: unknown } }> }).entries.map((e) => [e.key, e.value.value]), [['y', 3], ['x', 1]]);
    assert.equal((js.f as { value: unknown }).value, 2);
    assert.deepEqual(r.duplicates.map((d) => [d.key, d.first.line, d.second.line]), [['f', 7, 8]]);
    assert.deepEqual(r.surprises.map((s) => s.source), ['on', '0755']);
  });
  test('PyYAML surprises are located: a date api_version, a base-60 number, a boolean key', () => {
    const found = lintLitellmConfig('model_list:\n  - model_name: a\n    litellm_params: {model: azure/a, api_version: 2024-05-01, timeout: 1:30}\nrouter_settings:\n  model_group_alias: {no: a}\n', 'c.yaml').findings.filter((f) => f.id === 'yaml-1.1-surprise');
    assert.deepEqual(found.map((f) => [f.line, f.column, /as (.*), not/.exec(f.message)?.[1]]), [
      [3, 51, 'a date (datetime)'],
      [3, 72, 'the base-60 number 90'],
      [5, 23, 'the boolean False'],
    ]);
  });
  test('a syntax error is invalid input located at its line', () => {
    assert.throws(() => readConfig('model_list:\n  - model_name: a\n   bad: [\n', 'c.yaml', 'yaml-1.1'), (e: unknown) => e instanceof InputError && e.diagnostics[0].file === 'c.yaml' && e.diagnostics[0].line >= 3);
  });
});

describe('round trip: what readiness generate writes shows no drift', () => {
  const examples = readdirSync(EXAMPLES).filter((f) => f.endsWith('.yaml'));
  for (const ex of examples) {
    test(ex, async () => {
      const dir = await mkdtemp(path.join(os.tmpdir(), 'readiness-drift-'));
      try {
        const gen = await runInProcess(['generate', example(ex), '--out-dir', dir]);
        assert.equal(gen.code, 0, gen.stderr);
        const gw = path.join(dir, 'gateway');
        const given = readdirSync(gw).filter((f) => /^(litellm|portkey)\./.test(f));
        assert.ok(given.some((f) => f.endsWith('.yaml')));
        const files: GatewayFile[] = given.map((f) => {
          const text = readFileSync(path.join(gw, f), 'utf8');
          return { kind: detectKind(f, text), file: f, text };
        });
        const model = buildModel((await loadManifest(example(ex))).manifest);
        const found = runDrift(files, model).findings;
        assert.deepEqual(found.map((f) => `${f.file}:${f.line}:${f.column} ${f.id}: ${f.message}`), []);
        // every key the writer emits is one LiteLLM documents
        const cfg = files.find((f) => f.kind === 'litellm-config')!;
        assert.deepEqual(lintLitellmConfig(cfg.text, cfg.file).findings.filter((f) => f.id === 'unknown-key'), []);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    });
  }
});

describe('readiness drift (CLI)', () => {
  const hand = rel(fx('litellm', 'success-hand-written.yaml'));
  const drifted = rel(fx('litellm', 'failure-drift.yaml'));
  const secret = rel(fx('litellm', 'failure-literal-secret.yaml'));
  test('exit 0 without drift, 1 with failing drift, --fail-on warn counts warnings', async () => {
    assert.equal((await runInProcess(['drift', example('compliant.yaml'), '--litellm-config', hand])).code, 0);
    assert.equal((await runInProcess(['drift', example('compliant.yaml'), '--litellm-config', drifted])).code, 1);
    const keys = rel(fx('litellm', 'failure-keys.json'));
    assert.equal((await runInProcess(['drift', example('compliant.yaml'), '--litellm-keys', keys])).code, 0);
    assert.equal((await runInProcess(['drift', example('compliant.yaml'), '--litellm-keys', keys, '--fail-on', 'warn'])).code, 1);
  });
  test('exit 2: no file, a missing file, a YAML error (file:line:col, no stack)', async () => {
    assert.equal((await runInProcess(['drift', example('compliant.yaml')])).code, 2);
    const missing = await runInProcess(['drift', '--litellm-config', 'nope.yaml']);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /^nope\.yaml:1:1: cannot read deployed LiteLLM config file: no such file$/m);
    const dir = await mkdtemp(path.join(os.tmpdir(), 'readiness-drift-'));
    try {
      const { writeFile } = await import('node:fs/promises');
      await writeFile(path.join(dir, 'bad.yaml'), 'model_list:\n  - model_name: a\n    x: [1, 2\n');
      const bad = await runInProcess(['drift', '--litellm-config', 'bad.yaml'], {}, dir);
      assert.equal(bad.code, 2);
      assert.match(bad.stderr, /^bad\.yaml:\d+:\d+: not valid YAML/m);
      assert.ok(!bad.stderr.includes('    at '));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
  test('JSON findings carry id, status, file, line, column, message, remediation', async () => {
    const r = await runInProcess(['drift', example('compliant.yaml'), '--litellm-config', drifted, '--format', 'json']);
    const doc = JSON.parse(r.stdout) as { findings: Array<Record<string, unknown>> };
    assert.ok(doc.findings.length > 0);
    for (const f of doc.findings) {
      for (const k of ['id', 'status', 'file', 'line', 'column', 'message', 'remediation']) assert.ok(k in f, k);
      assert.equal(f.file, drifted);
    }
  });
  for (const format of ['text', 'json', 'sarif', 'markdown', 'github']) {
    test(`--format ${format}: secrets are never printed`, async () => {
      const r = await runInProcess(['drift', example('compliant.yaml'), '--litellm-config', secret, '--portkey-config', rel(fx('portkey', 'failure-portkey-single.json')), '--format', format]);
      assert.equal(r.code, 1);
      for (const s of ['AbCdEfGhIjKlMnOpQrStUvWxYz0123456789', 'hunter2', 'sk-master-0123456789']) assert.ok(!r.stdout.includes(s) && !r.stderr.includes(s), `${format} printed ${s}`);
      assert.match(r.stdout, /literal-secret/);
    });
  }
  test('SARIF: a rule per catalogue entry, results located in the file', async () => {
    const r = await runInProcess(['drift', example('compliant.yaml'), '--litellm-config', drifted, '--format', 'sarif']);
    const log = JSON.parse(r.stdout) as { runs: Array<{ tool: { driver: { rules: Array<{ id: string }> } }; results: Array<{ ruleId: string; locations: Array<{ physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }> }> }> };
    assert.deepEqual(log.runs[0].tool.driver.rules.map((x) => x.id), DRIFT_RULES.map((x) => x.id));
    assert.ok(log.runs[0].results.every((x) => x.locations[0].physicalLocation.artifactLocation.uri === drifted));
  });
});

describe('the drift catalogue', () => {
  test('stable ids, each with title, rationale, remediation and a source; docs/drift.md lists every rule', () => {
    const ids = DRIFT_RULES.map((r) => r.id);
    assert.equal(new Set(ids).size, ids.length);
    for (const id of ['unknown-key', 'duplicate-key', 'literal-secret', 'fallbacks-missing', 'team-missing']) assert.ok(ids.includes(id), id);
    const doc = readFileSync(path.join(ROOT, 'docs', 'drift.md'), 'utf8');
    for (const r of DRIFT_RULES) {
      assert.ok(r.title && r.rationale && r.remediation && r.sources.length > 0, r.id);
      assert.ok(doc.includes(`\`${r.id}\``), `docs/drift.md lacks ${r.id}`);
      for (const s of r.sources) assert.ok(doc.includes(s.url), `docs/drift.md lacks ${s.url} (${r.id})`);
    }
    for (const g of LITELLM_KEY_GROUPS) for (const s of g.sources) assert.ok(doc.includes(s.url), s.url);
  });
});

test('docs/drift.md carries the generated rules section as the catalogue renders it (npm run docs)', async () => {
  const { renderDriftRulesDoc } = await import('../src/drift/doc.js');
  assert.ok(readFileSync(path.join(ROOT, 'docs', 'drift.md'), 'utf8').includes(renderDriftRulesDoc()));
});
