import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { parse, stringify } from 'yaml';
import { buildModel } from '../src/manifest/model.js';
import { type LoadedManifest, parseManifest } from '../src/manifest/load.js';
import { generateAll } from '../src/generate/index.js';
import {
  MAX_TESTED_TENANTS,
  planAlerts,
  testedPlan,
  ALERTS,
  MONTHLY_RULE_TESTS_PATH,
  RULES_PATH,
  RULE_TESTS_PATH,
  THRESHOLDS,
  CATALOGUE_NAMES,
  prometheusRules,
  renderRuleTests,
  renderRules,
  sig3,
} from '../src/generate/prometheus.js';
import { MAX_RUNBOOK_ROWS, RUNBOOK_PATH, WHAT_TO_DO } from '../src/generate/runbook.js';
import { AGENT_CONTRACT, LOGICAL_METRICS, PROFILES } from '../src/generate/metrics.js';
import type { GenerateContext } from '../src/generate/types.js';
import { goG, humanize, humanizeDuration, humanizePercentage } from '../src/generate/gotemplate.js';
import { EXAMPLES, ROOT } from './helpers/cli.js';
import { type Patch, patched } from './helpers/manifest.js';
import { promtool } from './helpers/promtool.js';
import { needs } from './helpers/tools.js';
import { assertDeterministic, assertGolden, exampleNames } from './helpers/golden.js';


/** every example manifest in templates/examples */
const examples = exampleNames;

function loadExample(name: string): LoadedManifest {
  const rel = `templates/examples/${name}.yaml`;
  return parseManifest(readFileSync(path.join(EXAMPLES, `${name}.yaml`)), rel);
}

/** A fixed tool version so golden files do not change with the package version. */
function ctxOf(loaded: LoadedManifest): GenerateContext {
  return { model: buildModel(loaded.manifest), manifestFile: loaded.file, manifestSha256: loaded.sha256, toolVersion: '0.0.0-golden' };
}

async function tmp(t: { after: (fn: () => Promise<void>) => void }): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'readiness-prom-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

async function writeFiles(dir: string, files: Array<{ path: string; content: string }>): Promise<string> {
  for (const f of files) {
    await mkdir(path.dirname(path.join(dir, f.path)), { recursive: true });
    await writeFile(path.join(dir, f.path), f.content);
  }
  return path.join(dir, 'alerts');
}

const TEST_FILES = [path.basename(RULE_TESTS_PATH), path.basename(MONTHLY_RULE_TESTS_PATH)];

/** promtool check rules + test rules on the generated files; asserts both pass. */
async function provenByPromtool(ctx: GenerateContext, dir: string): Promise<void> {
  const alerts = await writeFiles(dir, prometheusRules(ctx));
  const check = await promtool(['check', 'rules', path.basename(RULES_PATH)], alerts);
  assert.equal(check.code, 0, `promtool check rules failed:\n${check.output}`);
  const run = await promtool(['test', 'rules', ...TEST_FILES], alerts);
  assert.equal(run.code, 0, `promtool test rules failed:\n${run.output}`);
  assert.match(run.output, /SUCCESS/);
}

test('every example: generated rules pass promtool check rules and their unit tests pass promtool test rules', { concurrency: 2, skip: needs('promtool') }, async (t) => {
  await Promise.all(
    examples().map((name) =>
      t.test(name, async (st) => {
        await provenByPromtool(ctxOf(loadExample(name)), await tmp(st));
      }),
    ),
  );
});

test('the otel profile and per-metric overrides also pass promtool, with the overridden names in the rules', { skip: needs('promtool') }, async (t) => {
  const loaded = patched({
    set: {
      'gateway.metrics': {
        profile: 'otel',
        overrides: { spend: 'acme_llm_spend_usd_total', firstRequestLatency: 'acme_agent_cold_request_seconds' },
      },
    },
  });
  const ctx = ctxOf(loaded);
  const rules = renderRules(ctx);
  assert.match(rules, /acme_llm_spend_usd_total/);
  assert.match(rules, /max by \(team\) \(acme_agent_cold_request_seconds and \(time\(\) - readiness_agent_first_request_timestamp_seconds < 3600\)\)/);
  assert.match(rules, /gen_ai_client_operation_duration_seconds_count\{gen_ai_operation_name="chat",error_type=~"429\|\.\*RateLimit\.\*"\}/);
  assert.match(rules, /gen_ai_client_operation_duration_seconds_count\{gen_ai_operation_name="chat",error_type=""\}/, 'cost per successful chat operation');
  // the provider label takes OpenTelemetry's gen_ai.provider.name values, mapped from the manifest vendor
  const tests = renderRuleTests(ctx);
  assert.match(tests, /gen_ai_provider_name="openai"/);
  assert.doesNotMatch(tests, /gen_ai_provider_name="openai-main"/);
  // the gateway-side rejection alert needs LiteLLM's empty model_id: the otel profile cannot tell, so it has none
  assert.doesNotMatch(rules, /ReadinessGatewayRejecting/);
  assert.match(rules, /overridden: spend, firstRequestLatency/);
  assert.doesNotMatch(rules, /litellm_/);
  await provenByPromtool(ctx, await tmp(t));
});

test('the steady p99 falls back to the measured gateway latency when slo.steadyP99Ms is absent, and is proven too', { skip: needs('promtool') }, async (t) => {
  const ctx = ctxOf(patched({ unset: ['slo'] }));
  const rules = renderRules(ctx);
  assert.match(rules, /record: readiness_steady_p99_seconds\n\s+expr: histogram_quantile\(0\.99, sum by \(le\) \(rate\(litellm_request_total_latency_metric_bucket\[1h\]\)\)\)/);
  await provenByPromtool(ctx, await tmp(t));
});

test('one rule per alert kind however many tenants: thresholds are series, proven by promtool for 12 tenants', { skip: needs('promtool') }, async (t) => {
  const tenants = Array.from({ length: 12 }, (_, i) => ({
    id: `tenant-${String(i).padStart(2, '0')}`,
    dailyRequests: 1000 + i,
    costPerRequestUsd: 0.001 * (i + 1),
    limits: { rpm: 50 + 7 * i },
    budget: { monthlyUsd: 1000 + 333 * i },
  }));
  const ctx = ctxOf(patched({ set: { tenants } }));
  const doc = parse(renderRules(ctx)) as { groups: Array<{ name: string; rules: Array<{ alert?: string; record?: string }> }> };
  const alerts = doc.groups.flatMap((g) => g.rules).filter((r) => r.alert);
  const records = doc.groups.flatMap((g) => g.rules).filter((r) => r.record);
  assert.deepEqual([...new Set(alerts.map((r) => r.alert))], CATALOGUE_NAMES);
  assert.equal(records.length, 12 * 3 + 2);
  await provenByPromtool(ctx, await tmp(t));
});

test('a large operator: every tenant gets its thresholds, the unit tests cover a spread sample including both extremes, promtool proves it', { skip: needs('promtool') }, async (t) => {
  const n = 40; // above MAX_TESTED_TENANTS, so the sample is exercised; promtool evaluates every threshold rule at every step, so keep it small
  const tenants = Array.from({ length: n }, (_, i) => ({
    id: `tenant-${String(i).padStart(3, '0')}`,
    team: `team-${i}`,
    useCases: ['x'],
    dailyRequests: 100,
    costPerRequestUsd: 0.0001 * (((i * 37) % n) + 1),
    limits: { rpm: 10 + ((i * 53) % n) },
    budget: { monthlyUsd: 100 + ((i * 71) % n) * 10 },
  }));
  const ctx = ctxOf(patched({ set: { tenants, 'budgets.accountMonthlyUsd': 1e9 } }));
  const files = Object.fromEntries(generateAll(ctx).map((f) => [f.path, f.content]));
  const rules = parse(files['alerts/readiness.rules.yml']) as { groups: Array<{ rules: Array<{ record?: string; expr: string; labels?: { team: string } }> }> };
  assert.equal(rules.groups[0].rules.filter((r) => r.record).length, n * 3 + 2, 'every tenant has its three thresholds');
  const tests = files['alerts/readiness.rules.test.yml'];
  const plan = testedPlan(planAlerts(ctx.model));
  assert.ok(plan.rpmLimits.length >= MAX_TESTED_TENANTS && plan.rpmLimits.length <= MAX_TESTED_TENANTS + 4, String(plan.rpmLimits.length));
  // the tests run against the sample file, every line of which is in the real rules file
  const sample = files['alerts/readiness.rules.sample.yml'];
  assert.ok(sample, 'a sample rules file beyond MAX_TESTED_TENANTS tenants');
  assert.match(tests, /rule_files:\n  - readiness\.rules\.sample\.yml/);
  const full = new Set(files['alerts/readiness.rules.yml'].split('\n'));
  for (const line of sample.split('\n').filter((l) => !l.startsWith('#'))) assert.ok(full.has(line), `sample line not in the rules: ${line}`);
  const rpms = planAlerts(ctx.model).rpmLimits.map((x) => x.rpm);
  assert.deepEqual([Math.min(...plan.rpmLimits.map((x) => x.rpm)), Math.max(...plan.rpmLimits.map((x) => x.rpm))], [Math.min(...rpms), Math.max(...rpms)]);
  for (const x of plan.rpmLimits) assert.ok(tests.includes(`team="${x.team}"`), x.team);
  await provenByPromtool(ctx, await tmp(t));
});

test('boundary manifests are proven too: alertByDay 1 and 31, fractions 1 and 0.05, tiny and huge figures', { concurrency: 2, skip: needs('promtool') }, async (t) => {
  const cases: Record<string, Patch> = {
    'alertByDay 1, alertAtFraction 1': { set: { 'budgets.alertByDay': 1, 'budgets.alertAtFraction': 1 } },
    'alertByDay 31, alertAtFraction 0.05, steady p99 45 s': { set: { 'budgets.alertByDay': 31, 'budgets.alertAtFraction': 0.05, 'slo.steadyP99Ms': 45000 } },
    'tiny: $0.0000123 a request, $0.50 budget, 1 rpm, 30 ms': {
      set: { 'tenants[0].costPerRequestUsd': 0.0000123, 'tenants[0].budget.monthlyUsd': 0.5, 'tenants[0].limits.rpm': 1, 'slo.steadyP99Ms': 30 },
    },
    'huge: $12.50 a request, $123,456,789 budget, 1,234,567 rpm, 1 h': {
      set: { 'tenants[0].costPerRequestUsd': 12.5, 'tenants[0].budget.monthlyUsd': 123456789, 'tenants[0].limits.rpm': 1234567, 'slo.steadyP99Ms': 3600000 },
    },
  };
  await Promise.all(
    Object.entries(cases).map(([name, patch]) =>
      t.test(name, async (st) => {
        await provenByPromtool(ctxOf(patched(patch)), await tmp(st));
      }),
    ),
  );
});

/**
 * Moving a threshold, or undoing one of the fixes that make the rules hold against LiteLLM's real
 * exporter, must make promtool fail: the rules come from a changed manifest (or have their text edited),
 * the unit tests from the original. Each mutation must name the alert that broke, and how.
 */
test('moving any threshold, or undoing any exporter fix, makes promtool test rules fail', { concurrency: 2, skip: needs('promtool') }, async (t) => {
  const original = ctxOf(loadExample('compliant'));
  // how promtool must fail: the alert no longer fires where it must (no-fire), or fires where it must not (fires-wrongly)
  type How = 'no-fire' | 'fires-wrongly';
  type Mutation = { name: string; alert: string; how: How; file?: 'days'; patch?: Patch; edit?: [string | RegExp, string]; tests?: (yaml: string) => string; label?: string };
  const oldFirstRequest =
    'histogram_quantile(0.99, sum by (team, le) (rate(readiness_agent_first_request_duration_seconds_bucket[1h]))) > on () group_left () (2 * readiness_steady_p99_seconds)';
  const mutations: Mutation[] = [
    { name: 'rpm limit raised 300 -> 310', alert: ALERTS.rpm, how: 'no-fire', patch: { set: { 'tenants[0].limits.rpm': 310 } } },
    { name: 'rpm limit lowered 300 -> 290', alert: ALERTS.rpm, how: 'fires-wrongly', patch: { set: { 'tenants[0].limits.rpm': 290 } } },
    { name: 'rpm summed by the max replica instead of over replicas', alert: ALERTS.rpm, how: 'no-fire', edit: ['sum by (team) (rate(litellm_proxy_total_requests_metric_total[5m]))', 'max by (team) (rate(litellm_proxy_total_requests_metric_total[5m]))'] },
    { name: 'expected cost raised 0.0085 -> 0.0088', alert: ALERTS.cost, how: 'no-fire', patch: { set: { 'tenants[0].costPerRequestUsd': 0.0088 } } },
    { name: 'expected cost lowered 0.0085 -> 0.0082', alert: ALERTS.cost, how: 'fires-wrongly', patch: { set: { 'tenants[0].costPerRequestUsd': 0.0082 } } },
    { name: 'cost per request without the status filter (failed requests in the denominator)', alert: ALERTS.cost, how: 'no-fire', edit: ['litellm_proxy_total_requests_metric_total{status_code=~"2.."}', 'litellm_proxy_total_requests_metric_total'] },
    { name: 'monthly budget lowered 8000 -> 7800', alert: ALERTS.budget, how: 'no-fire', patch: { set: { 'tenants[0].budget.monthlyUsd': 7800 } } },
    { name: 'monthly budget raised 8000 -> 8200', alert: ALERTS.budget, how: 'fires-wrongly', file: 'days', patch: { set: { 'tenants[0].budget.monthlyUsd': 8200 } } },
    { name: 'alertAtFraction 0.7 -> 0.72', alert: ALERTS.budget, how: 'no-fire', patch: { set: { 'budgets.alertAtFraction': 0.72 } } },
    { name: 'alertAtFraction 0.7 -> 0.68', alert: ALERTS.budget, how: 'fires-wrongly', file: 'days', patch: { set: { 'budgets.alertAtFraction': 0.68 } } },
    { name: 'budget read from the max replica instead of the min', alert: ALERTS.budget, how: 'no-fire', edit: [/min by \(team\) \(litellm_remaining_team_budget_metric\)/g, 'max by (team) (litellm_remaining_team_budget_metric)'] },
    { name: 'budget alert without for: (a stale replica at the month start pages)', alert: ALERTS.budget, how: 'fires-wrongly', edit: [/(alert: ReadinessTenantBudgetBurnEarly\n\s+expr: [^\n]+\n)\s+for: 15m\n/, '$1'] },
    { name: 'budget exhausted read from the max replica', alert: ALERTS.budgetExhausted, how: 'no-fire', edit: [/min by \(team\) \(litellm_remaining_team_budget_metric\)/g, 'max by (team) (litellm_remaining_team_budget_metric)'] },
    { name: 'alertByDay 15 -> 14', alert: ALERTS.budget, how: 'no-fire', file: 'days', patch: { set: { 'budgets.alertByDay': 14 } } },
    { name: 'alertByDay 15 -> 16', alert: ALERTS.budget, how: 'fires-wrongly', file: 'days', patch: { set: { 'budgets.alertByDay': 16 } } },
    { name: 'day of the month in UTC instead of the operator zone', alert: ALERTS.budget, how: 'no-fire', file: 'days', edit: [/expr: day_of_month\(vector\(time\(\) \+ \([^\n]*\)\)\)\n/, 'expr: day_of_month(vector(time()))\n'] },
    { name: 'steady p99 8000 -> 8300 ms', alert: ALERTS.firstRequest, how: 'no-fire', patch: { set: { 'slo.steadyP99Ms': 8300 } } },
    { name: 'steady p99 8000 -> 7700 ms', alert: ALERTS.firstRequest, how: 'fires-wrongly', patch: { set: { 'slo.steadyP99Ms': 7700 } } },
    {
      name: 'first request as a histogram read with rate(), its series born at its one observation',
      alert: ALERTS.firstRequest,
      how: 'no-fire',
      edit: [/max by \(team\) \(readiness_agent_first_request_duration_seconds and [^\n]*\* readiness_steady_p99_seconds\)/, oldFirstRequest],
      // the cold start reported the old way: a histogram whose series appear holding their one observation
      tests: (yaml) =>
        yaml.replace(/- series: readiness_agent_first_request_duration_seconds\{([^}]*)\}\n(\s+)values: (_x10 )([\d.]+)x90/g, (_m, labels: string, ind: string, born: string, v: string) =>
          ['+Inf', v].map((le) => `- series: readiness_agent_first_request_duration_seconds_bucket{${labels},le="${le}"}\n${ind}values: ${born}1x90`).join(`\n${ind.slice(2)}`),
        ),
    },
    { name: 'provider 429 ratio edited 0.01 -> 0.0102', alert: ALERTS.provider429, how: 'no-fire', edit: ['[5m])) > 0.01 and on (model_id)', '[5m])) > 0.0102 and on (model_id)'], label: 'model_id="openai-main"' },
    { name: 'provider 429 ratio edited 0.01 -> 0.0098', alert: ALERTS.provider429, how: 'fires-wrongly', edit: ['[5m])) > 0.01 and on (model_id)', '[5m])) > 0.0098 and on (model_id)'], label: 'model_id="openai-main"' },
    { name: 'provider 429s without the traffic guard (a quiet deployment pages at 50%)', alert: ALERTS.provider429, how: 'fires-wrongly', edit: [/ and on \(model_id\) sum by \(model_id\) \(increase\([^\n]*\)\) >= 20/, ''], label: 'model_id="openai-main"' },
    { name: "provider 429s counting LiteLLM's own rejections (empty model_id)", alert: ALERTS.provider429, how: 'fires-wrongly', edit: [/,?model_id!=""/g, ''], label: 'alertname="ReadinessProviderRateLimited", severity="critical"}' },
    { name: 'missing trace id threshold edited 0 -> 1', alert: ALERTS.trace, how: 'no-fire', edit: ['[5m])) > 0 or', '[5m])) > 1 or'] },
    { name: 'missing trace id threshold edited 0 -> -1', alert: ALERTS.trace, how: 'fires-wrongly', edit: ['[5m])) > 0 or', '[5m])) > -1 or'] },
    { name: 'missing trace id read with increase() alone (a counter born at 1 is missed)', alert: ALERTS.trace, how: 'no-fire', edit: [/ or sum by \(team\) \(readiness_audit_records_missing_trace_id_total > 0 unless [^\n]*\) > 0/, ''] },
    { name: 'gateway rejections ratio edited 0.01 -> 0.0102', alert: ALERTS.gatewayRejecting, how: 'no-fire', edit: ['[5m])) > 0.01 and on (requested_model)', '[5m])) > 0.0102 and on (requested_model)'], label: 'requested_model="openai-main"' },
    { name: 'gateway rejections without the traffic guard', alert: ALERTS.gatewayRejecting, how: 'fires-wrongly', edit: [/ and on \(requested_model\) sum by \(requested_model\) \(increase\([^\n]*\)\) >= 20/, ''], label: 'requested_model="openai-main"' },
  ];
  /** promtool's failure report for one alert test: a block naming the alert, split at got: */
  const failed = (output: string, alert: string, how: How, label: string): string | undefined => {
    const blocks = output.split(/\n(?=\s*name: )/).filter((b) => b.includes(`alertname: ${alert},`));
    if (!blocks.length) return `no failure reported for ${alert} (${how}):\n${output.slice(0, 3000)}`;
    const ok = blocks.some((block) => {
      const [exp, got] = block.split(/\n\s*got:/);
      if (got === undefined) return false;
      return how === 'no-fire' ? exp.includes(label) && !got.includes(label) : !exp.includes(label) && got.includes(label);
    });
    return ok ? undefined : `no block where ${label} ${how === 'no-fire' ? 'is missing from got' : 'fires unexpectedly'}:\n${blocks.join('\n').slice(0, 3000)}`;
  };
  await Promise.all(
    mutations.map((mu) =>
      t.test(mu.name, async (st) => {
        let rules = renderRules(mu.patch ? ctxOf(patched(mu.patch)) : original);
        if (mu.edit) {
          const [from, to] = mu.edit;
          assert.ok(typeof from === 'string' ? rules.includes(from) : from.test(rules), `the rule text to edit is there: ${String(from)}`);
          rules = typeof from === 'string' ? rules.split(from).join(to) : rules.replace(from, to);
        }
        assert.notEqual(rules, renderRules(original), 'the mutation changed the rules');
        const scale = mu.file === 'days' ? 'days' : 'minutes';
        // only the mutated alert's groups: promtool evaluates every rule at every step of every group
        const all = parse(renderRuleTests(original, undefined, scale)) as { tests: Array<{ name: string }> };
        let tests = stringify({ ...all, tests: all.tests.filter((g) => g.name.startsWith(`${mu.alert}`)) }, { lineWidth: 0 });
        if (mu.tests) {
          const changed = mu.tests(tests);
          assert.notEqual(changed, tests, 'the test mutation changed the input series');
          tests = changed;
        }
        const file = scale === 'days' ? MONTHLY_RULE_TESTS_PATH : RULE_TESTS_PATH;
        const dir = await tmp(st);
        const alerts = await writeFiles(dir, [
          { path: RULES_PATH, content: rules },
          { path: file, content: tests },
        ]);
        const check = await promtool(['check', 'rules', path.basename(RULES_PATH)], alerts);
        assert.equal(check.code, 0, check.output);
        const run = await promtool(['test', 'rules', path.basename(file)], alerts);
        assert.equal(run.code, 1, `promtool test rules should fail:\n${run.output.slice(0, 3000)}`);
        assert.equal(failed(run.output, mu.alert, mu.how, mu.label ?? 'team="research"'), undefined);
      }),
    ),
  );
});

test('golden files: each example generates exactly test/golden/<example>/alerts/* (UPDATE_GOLDEN=1 rewrites them)', async () => {
  for (const name of examples()) {
    const files = assertDeterministic(prometheusRules, name);
    assert.deepEqual(
      files.map((f) => f.path),
      [RUNBOOK_PATH, RULES_PATH, RULE_TESTS_PATH, MONTHLY_RULE_TESTS_PATH],
    );
    await assertGolden(name, files);
  }
});

test('generation is deterministic: byte-identical across two runs, sorted by path, plain numbers, do-not-edit header', () => {
  for (const name of examples()) {
    const a = generateAll(ctxOf(loadExample(name)));
    const b = generateAll(ctxOf(loadExample(name)));
    assert.deepEqual(a, b);
    assert.deepEqual(
      a.map((f) => f.path),
      [...a.map((f) => f.path)].sort(),
    );
    for (const f of a) {
      // every generator's header, in its format's comment syntax (JSON: a $comment or "//" member)
      assert.match(f.content, /Generated by readiness 0\.0\.0-golden from templates\/examples\/[a-z0-9-]+\.yaml \(sha256 [0-9a-f]{64}\)\.[\s\S]{0,20}DO NOT EDIT/, f.path);
    }
    for (const f of a.filter((x) => x.path.startsWith('alerts/'))) {
      if (f.path.endsWith('.md')) {
        assert.match(f.content, /^<!--\nGenerated by readiness 0\.0\.0-golden from templates\/examples\/[a-z0-9-]+\.yaml \(sha256 [0-9a-f]{64}\)\.\nDO NOT EDIT[^\n]*\n-->\n/);
        continue;
      }
      assert.match(f.content, /^# Generated by readiness 0\.0\.0-golden from templates\/examples\/[a-z0-9-]+\.yaml \(sha256 [0-9a-f]{64}\)\.\n# DO NOT EDIT/);
      assert.doesNotMatch(f.content, /\d\.\d*0000000\d|\d\.\d*9999999\d|e[+-]\d/, `${f.path}: a number printed with float noise or an exponent`);
    }
  }
});

test('thresholds come from the manifest: the model cost per request, the rpm limit, the budget and the slo', () => {
  const rules = renderRules(ctxOf(loadExample('compliant')));
  // operations has no costPerRequestUsd: the model derives it from the primary pricing (1800 x 2.5 + 400 x 10) / 1e6
  assert.match(rules, /record: readiness_tenant_expected_cost_per_request_usd\n\s+expr: vector\(0\.0085\)\n\s+labels:\n\s+team: operations/);
  assert.match(rules, /record: readiness_tenant_rpm_limit\n\s+expr: vector\(400\)\n\s+labels:\n\s+team: operations/);
  assert.match(rules, /record: readiness_tenant_monthly_budget_usd\n\s+expr: vector\(8000\)\n\s+labels:\n\s+team: research/);
  assert.match(rules, /record: readiness_steady_p99_seconds\n\s+expr: vector\(8\)/);
  assert.match(rules, />= 0\.7 and on \(\) readiness_operator_day_of_month <= 15/);
  assert.match(rules, /min by \(team\) \(litellm_remaining_team_budget_metric\)/);
  const doc = parse(rules) as { groups: Array<{ rules: Array<{ alert?: string; labels?: Record<string, string>; annotations?: Record<string, string> }> }> };
  for (const r of doc.groups[0].rules.filter((x) => x.alert)) {
    assert.ok(['warning', 'critical'].includes(r.labels?.severity ?? ''), `${r.alert}: severity`);
    assert.deepEqual(Object.keys(r.annotations ?? {}), ['summary', 'description', 'runbook_url']);
    assert.match(r.annotations!.description, /\{\{ \$value \| humanize/);
    assert.match(r.annotations!.runbook_url, new RegExp(`#${r.alert!.toLowerCase()}$`));
  }
});

test('a threshold too small to print is left out rather than written as 0 (which would divide by zero and fire for ever)', () => {
  const rules = renderRules(ctxOf(patched({ set: { 'tenants[0].costPerRequestUsd': 1e-12, 'tenants[0].limits.rpm': 1e-12 } })));
  assert.doesNotMatch(rules, /vector\(0\)/);
  assert.doesNotMatch(rules, /record: readiness_tenant_rpm_limit\n\s+expr: [^\n]+\n\s+labels:\n\s+team: research/);
  assert.match(rules, /record: readiness_tenant_rpm_limit\n\s+expr: vector\(400\)\n\s+labels:\n\s+team: operations/);
});

test('runbook links follow gateway.metrics.runbookBaseUrl', () => {
  const ctx = ctxOf(patched({ set: { 'gateway.metrics': { runbookBaseUrl: 'https://wiki.example.com/llm-alerts' } } }));
  const rules = renderRules(ctx);
  assert.match(rules, /runbook_url: https:\/\/wiki\.example\.com\/llm-alerts#readinesstenantnearrpmlimit/);
  assert.doesNotMatch(rules, /runbook_url: RUNBOOK\.md/);
  const runbook = prometheusRules(ctx).find((f) => f.path === RUNBOOK_PATH)!.content;
  assert.match(runbook, /`https:\/\/wiki\.example\.com\/llm-alerts#<alert name in lower case>`/);
});

/** GitHub's heading anchor: lower case, punctuation other than - and _ dropped, spaces to -. */
const headingAnchor = (heading: string) =>
  heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}_\- ]/gu, '')
    .replace(/ /g, '-');

function runbookAnchors(md: string): { headings: Set<string>; ids: Set<string> } {
  const headings = new Set([...md.matchAll(/^#{1,6} (.+)$/gm)].map((m) => headingAnchor(m[1])));
  const ids = new Set([...md.matchAll(/<a id="([^"]+)"><\/a>/g)].map((m) => m[1]));
  return { headings, ids };
}

test('every example: each runbook_url is RUNBOOK.md#<anchor> and the anchor is a heading of the generated RUNBOOK.md, byte-identical across two runs', () => {
  for (const name of examples()) {
    const a = prometheusRules(ctxOf(loadExample(name)));
    const b = prometheusRules(ctxOf(loadExample(name)));
    const runbook = a.find((f) => f.path === RUNBOOK_PATH)!.content;
    assert.equal(Buffer.compare(Buffer.from(runbook), Buffer.from(b.find((f) => f.path === RUNBOOK_PATH)!.content)), 0, `${name}: RUNBOOK.md differs between two runs`);
    const rules = parse(a.find((f) => f.path === RULES_PATH)!.content) as { groups: Array<{ rules: Array<{ alert?: string; annotations?: { runbook_url: string } }> }> };
    const alerts = rules.groups[0].rules.filter((r) => r.alert);
    assert.deepEqual([...new Set(alerts.map((r) => r.alert))], CATALOGUE_NAMES, name);
    const { headings, ids } = runbookAnchors(runbook);
    for (const r of alerts) {
      const url = r.annotations!.runbook_url;
      // relative to the rules file: the runbook is written next to it
      assert.equal(path.posix.join(path.posix.dirname(RULES_PATH), url.split('#')[0]), RUNBOOK_PATH, `${name} ${r.alert}: ${url}`);
      const anchor = url.split('#')[1];
      assert.equal(anchor, r.alert!.toLowerCase());
      assert.ok(headings.has(anchor), `${name}: no heading with anchor #${anchor} in RUNBOOK.md`);
      assert.ok(ids.has(anchor), `${name}: no <a id="${anchor}"> in RUNBOOK.md`);
      assert.ok(runbook.includes(WHAT_TO_DO[r.alert as keyof typeof WHAT_TO_DO]), `${name} ${r.alert}: what to do`);
    }
    // every in-page link resolves
    for (const m of runbook.matchAll(/\]\(#([^)]+)\)/g)) assert.ok(headings.has(m[1]), `${name}: link to #${m[1]}`);
    assert.doesNotMatch(runbook, /\{\{|undefined|NaN/, name);
  }
});

test('the runbook states this manifest\'s figures: thresholds, for, severity, the expression as generated', () => {
  const ctx = ctxOf(loadExample('compliant'));
  const runbook = prometheusRules(ctx).find((f) => f.path === RUNBOOK_PATH)!.content;
  const section = (alert: string) => runbook.split(/\n(?=<a id=)/).find((s) => s.startsWith(`<a id="${alert.toLowerCase()}">`))!;
  const rpm = section(ALERTS.rpm);
  assert.match(rpm, /- Severity: `warning`\n- For: `5m`/);
  assert.match(rpm, /\| research \| 300 \| 240 \|/);
  assert.match(rpm, /\| operations \| 400 \| 320 \|/);
  const rulesDoc = parse(renderRules(ctx)) as { groups: Array<{ rules: Array<{ alert?: string; expr: string }> }> };
  for (const r of rulesDoc.groups[0].rules.filter((x) => x.alert)) {
    assert.ok(section(r.alert!).includes(`\`\`\`promql\n${r.expr}\n\`\`\``), `${r.alert}: expression as generated`);
  }
  assert.match(section(ALERTS.budget), /\| research \| \$8000 \| \$5600 \|/);
  assert.match(section(ALERTS.budget), /on or before day 15/);
  assert.match(section(ALERTS.firstRequest), /\| research \| 16s \|/);
  assert.match(section(ALERTS.trace), /- For: none/);
  assert.match(section(ALERTS.provider429), /\| openai-main \| 1% \|/);
});

test('the runbook lists the first 25 tenants of a large operator and says how many more, and names the tenants an alert cannot fire for', () => {
  const n = MAX_RUNBOOK_ROWS + 7;
  const tenants = Array.from({ length: n }, (_, i) => ({
    id: `tenant-${String(i).padStart(2, '0')}`,
    dailyRequests: 100,
    costPerRequestUsd: 0.001,
    // the last two have no rpm limit
    ...(i < n - 2 ? { limits: { rpm: 100 + i } } : {}),
    budget: { monthlyUsd: 1000 },
  }));
  const runbook = prometheusRules(ctxOf(patched({ set: { tenants, 'budgets.accountMonthlyUsd': 1e9 } }))).find((f) => f.path === RUNBOOK_PATH)!.content;
  const rpm = runbook.split(/\n(?=<a id=)/).find((s) => s.startsWith(`<a id="${ALERTS.rpm.toLowerCase()}">`))!;
  assert.match(rpm, /Covers \(30 tenants\)/);
  assert.match(rpm, /\| tenant-24 \| 124 \| 99\.2 \|/);
  assert.doesNotMatch(rpm, /\| tenant-25 \|/);
  assert.match(rpm, /The first 25 of 30 tenants, in manifest order; 5 more are in readiness\.rules\.yml\./);
  assert.match(rpm, /Not covered: 2 tenants without a positive `limits\.rpm`: `tenant-30`, `tenant-31`\./);
  assert.match(runbook, /The first 25 of 32 tenants, in manifest order; 7 more/);
});

test('docs/alerts.md has no second copy of the runbook prose and no made-up runbook URL', () => {
  const doc = readFileSync(path.join(ROOT, 'docs', 'alerts.md'), 'utf8');
  for (const [alert, text] of Object.entries(WHAT_TO_DO)) {
    // the first sentence of each alert's "what to do", whitespace-insensitive
    const first = text.replace(/\s+/g, ' ').split('. ')[0];
    assert.ok(!doc.replace(/\s+/g, ' ').includes(first), `${alert}: docs/alerts.md repeats the generated runbook's text`);
  }
  assert.match(doc, /RUNBOOK\.md/);
  assert.doesNotMatch(doc, /readiness-dev/);
});

test('the manifest rejects an unknown profile or override key, with its location', () => {
  assert.throws(
    () => patched({ set: { 'gateway.metrics': { overrides: { requestz: 'x_total' } } } }),
    (err: Error) => /patched\.yaml:\d+:\d+: .*requestz/.test(err.message),
  );
  assert.throws(() => patched({ set: { 'gateway.metrics': { profile: 'datadog' } } }), /patched\.yaml:\d+:\d+/);
  assert.throws(() => patched({ set: { 'gateway.metrics': { overrides: { spend: 'not a metric' } } } }), /patched\.yaml:\d+:\d+/);
});

test('the metric contract: every logical metric in both profiles, agent metrics identical across profiles', () => {
  for (const p of Object.values(PROFILES)) {
    assert.deepEqual(Object.keys(p.metrics).sort(), [...LOGICAL_METRICS].sort());
    for (const [k, ref] of Object.entries(AGENT_CONTRACT)) assert.deepEqual(p.metrics[k as keyof typeof AGENT_CONTRACT], ref);
    for (const ref of Object.values(p.metrics)) {
      assert.match(ref.name, /^[a-zA-Z_:][a-zA-Z0-9_:]*$/);
      if (ref.type === 'counter') assert.match(ref.name, /_(total|count)$/, `${ref.name}: a counter as queried ends in _total`);
    }
  }
  const schema = JSON.parse(readFileSync(path.join(ROOT, 'schemas', 'manifest.schema.json'), 'utf8'));
  assert.deepEqual(Object.keys(schema.properties.gateway.properties.metrics.properties.overrides.properties).sort(), [...LOGICAL_METRICS].sort());
});

test('Go template ports match Prometheus formatting', () => {
  assert.equal(goG(80.8), '80.8');
  assert.equal(goG(80), '80');
  assert.equal(goG(0.0085), '0.0085');
  assert.equal(goG(0.00001), '1e-05');
  assert.equal(goG(123456), '1.235e+05');
  assert.equal(goG(1000), '1000');
  assert.equal(humanize(300), '300');
  assert.equal(humanize(8000), '8k');
  assert.equal(humanize(1500000), '1.5M');
  assert.equal(humanize(0.25), '250m');
  assert.equal(humanize(0), '0');
  assert.equal(humanizePercentage(0.808), '80.8%');
  assert.equal(humanizePercentage(0.0101), '1.01%');
  assert.equal(humanizeDuration(16.2), '16.2s');
  assert.equal(humanizeDuration(80.8), '1m 20s');
  assert.equal(humanizeDuration(3725), '1h 2m 5s');
  assert.equal(humanizeDuration(0.25), '250ms');
});

test('test figures sit 1% either side of each threshold, rounded clear of formatting ties', () => {
  assert.equal(sig3(THRESHOLDS.rpmFraction * 1.01, 'up'), 0.808);
  assert.equal(sig3(THRESHOLDS.rpmFraction * 0.99, 'down'), 0.792);
  assert.equal(sig3(3 * 1.01, 'up'), 3.03);
  assert.equal(sig3(16 * 1.01, 'up'), 16.2);
  assert.equal(sig3(0.01 * 0.99, 'down'), 0.0099);
  assert.equal(sig3(12345, 'down'), 12300);
});
