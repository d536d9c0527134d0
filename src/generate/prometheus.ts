/**
 * Prometheus alerting rules (alerts/readiness.rules.yml), their promtool unit tests
 * (alerts/readiness.rules.test.yml, alerts/readiness.rules.monthly.test.yml) and their runbook
 * (alerts/RUNBOOK.md, see runbook.ts), rendered from the alert catalogue (src/alerts/). Pure: same
 * context, same bytes.
 *
 * Technique (docs/alerts.md, "Thresholds as series"): each per-tenant threshold is a recording rule
 * `readiness_tenant_<name>{team="<tenant>"}` = vector(<number>) at the top of the `readiness` group, and
 * each alert is ONE rule (one per budget fraction) that divides the live metric by the threshold series,
 * matched on the team label.
 */
import path from 'node:path';
import { ALERT_CATALOGUE, alertsFor } from '../alerts/index.js';
import { MAX_TESTED_TENANTS, planAlerts as planFromModel, sharedRules, testedPlan } from '../alerts/plan.js';
import type { DeploymentModel } from '../manifest/model.js';
import { KIT } from '../alerts/kit.js';
import { DAY_TEST_STEP_HOURS } from '../alerts/budget.js';
import type { AlertDef, AlertPlan, AlertRule, RecordingRule, TestGroup } from '../alerts/types.js';
import { yamlBlock, toYaml } from '../util/yaml-emit.js';
import { RUNBOOK_PATH, renderRunbook } from './runbook.js';
import { type GenerateContext, type GeneratedFile, hashHeader } from './types.js';

export { MAX_TESTED_TENANTS, SERIES, testedPlan, THRESHOLDS } from '../alerts/plan.js';
export { sig3 } from '../alerts/kit.js';

export const RULES_PATH = 'alerts/readiness.rules.yml';
export const RULE_TESTS_PATH = 'alerts/readiness.rules.test.yml';
/**
 * The budget alert depends on the day of the month, so its day-scale tests run over days. promtool
 * evaluates every rule at each evaluation_interval up to the eval time and the interval is per file: at
 * 1m, fifteen days take ~40 s, at 1h a fraction of a second. So the day-scale tests have their own file.
 */
export const MONTHLY_RULE_TESTS_PATH = 'alerts/readiness.rules.monthly.test.yml';
/**
 * Beyond MAX_TESTED_TENANTS tenants the unit tests run against this file: the same rules, with the
 * thresholds of the tested tenants only (promtool's test engine refuses a query over more than 10,000
 * samples, and evaluates every rule at every step). Not for Prometheus: load readiness.rules.yml.
 */
export const SAMPLE_RULES_PATH = 'alerts/readiness.rules.sample.yml';

/** The alert names, by their old short keys (kept for callers and tests). */
export const ALERTS = {
  rpm: 'ReadinessTenantNearRpmLimit',
  cost: 'ReadinessTenantCostPerRequestHigh',
  trace: 'ReadinessAuditRecordMissingTraceId',
  firstRequest: 'ReadinessFirstRequestSlow',
  budget: 'ReadinessTenantBudgetBurnEarly',
  budgetExhausted: 'ReadinessTenantBudgetExhausted',
  provider429: 'ReadinessProviderRateLimited',
  gatewayRejecting: 'ReadinessGatewayRejecting',
} as const;

/**
 * Where runbook_url points without gateway.metrics.runbookBaseUrl: the generated RUNBOOK.md, relative
 * to the rules file. The operator commits both files together, so the link resolves in their repo.
 */
export const DEFAULT_RUNBOOK_BASE = path.posix.relative(path.posix.dirname(RULES_PATH), RUNBOOK_PATH);

/** The alert plan for a model, with runbook links as the manifest asks. */
export function planAlerts(model: DeploymentModel): AlertPlan {
  return planFromModel(model, model.manifest.gateway?.metrics?.runbookBaseUrl ?? DEFAULT_RUNBOOK_BASE);
}

export const planFor = (ctx: GenerateContext): AlertPlan => planAlerts(ctx.model);

/** The alerts of the manifest's profile with their rules for this plan, in catalogue order. */
export function alertRules(plan: AlertPlan): Array<{ def: AlertDef; rules: AlertRule[] }> {
  return alertsFor(plan.profile.id).map((def) => ({ def, rules: def.rules(plan) }));
}

function renderRulesDoc(ctx: GenerateContext, plan: AlertPlan, intro: string[]): string {
  const shared = sharedRules(plan);
  const alerts = alertRules(plan).flatMap((a) => a.rules);
  const header = [
    hashHeader(ctx),
    `# Metrics profile: ${plan.profile.id}${plan.metrics.overridden.length ? ` (overridden: ${plan.metrics.overridden.join(', ')})` : ''}. See docs/alerts.md for the metric contract.`,
    `# Days are counted in ${plan.zone.name}${plan.zone.note ? ` (${plan.zone.note})` : ''}.`,
    ...intro,
  ].join('\n');
  // One group, shared series and thresholds first: rules in a group run in order and see the series
  // recorded before them at the same timestamp. The per-tenant recording rules are uniform and can number
  // tens of thousands: written line by line; the alert rules by src/util/yaml-emit.ts.
  return `${header}\ngroups:\n  - name: readiness\n    rules:\n${shared.map(recordingRuleYaml).join('')}${alerts.length ? yamlBlock(alerts, '      ') : ''}`;
}

export function renderRules(ctx: GenerateContext, plan = planFor(ctx)): string {
  return renderRulesDoc(ctx, plan, [
    '# First the shared series and the thresholds (one recording rule per tenant and threshold), then the alert rules.',
    '# What each alert checks for this manifest and what to do when it fires: RUNBOOK.md, next to this file.',
  ]);
}

function renderSampleRules(ctx: GenerateContext, plan: AlertPlan): string {
  const t = testedPlan(plan);
  return renderRulesDoc(ctx, t, [
    `# FOR promtool TESTS ONLY, do not load into Prometheus: readiness.rules.yml with the thresholds of the ${t.teams.length} tenants the`,
    `# unit tests cover (of ${plan.teams.length}; docs/alerts.md, "How the unit tests choose tenants"). Every line here is in readiness.rules.yml.`,
  ]);
}

/** A YAML scalar: plain when that cannot be misread (as a number, boolean, null, an indicator...), else double-quoted. */
function scalar(v: string): string {
  const plainSafe =
    v !== '' &&
    v === v.trim() &&
    !/^[-?:,[\]{}#&*!|>'"%@`]/.test(v) &&
    !/: | #|:$|[\u0000-\u001f\u007f]/.test(v) &&
    !/^(true|false|null|~|yes|no|on|off|y|n)$/i.test(v) &&
    !/^[-+]?(\.\d+|\d+(\.\d*)?)([eE][-+]?\d+)?$|^0x[0-9a-f]+$|^0o[0-7]+$|^[-+]?\.inf$|^\.nan$/i.test(v);
  return plainSafe ? v : JSON.stringify(v);
}

/** One recording rule, laid out as src/util/yaml-emit.ts lays out the alert rules after them (and as these were before it). */
function recordingRuleYaml(r: RecordingRule): string {
  const labels = r.labels ? `        labels:\n${Object.entries(r.labels).map(([k, v]) => `          ${k}: ${scalar(v)}\n`).join('')}` : '';
  return `      - record: ${scalar(r.record)}\n        expr: ${scalar(r.expr)}\n${labels}`;
}


// ---------------------------------------------------------------------------------------------
// promtool unit tests

/** Every alert's promtool cases for the tested plan, in catalogue order. */
export function buildTests(fullPlan: AlertPlan): TestGroup[] {
  const plan = testedPlan(fullPlan);
  return alertRules(plan).flatMap(({ def, rules }) => def.tests(plan, KIT, rules));
}

/** One of the two test files; `groups` is buildTests(plan), passed in when both files are written (it is built once). */
export function renderRuleTests(ctx: GenerateContext, plan = planFor(ctx), scale: 'minutes' | 'days' = 'minutes', groups: TestGroup[] = buildTests(plan)): string {
  const tests = groups
    .filter((g) => g.scale === scale)
    .map(({ scale: _scale, ...g }) => g);
  const sampled = plan.teams.length > MAX_TESTED_TENANTS;
  const doc = {
    rule_files: [path.basename(sampled ? SAMPLE_RULES_PATH : RULES_PATH)],
    evaluation_interval: scale === 'days' ? `${DAY_TEST_STEP_HOURS}h` : '1m',
    tests,
  };
  const file = scale === 'days' ? MONTHLY_RULE_TESTS_PATH : RULE_TESTS_PATH;
  const intro = [
    hashHeader(ctx),
    `# promtool unit tests for readiness.rules.yml: run \`promtool test rules ${file.split('/').pop()}\` in this folder.`,
    scale === 'days'
      ? '# Day-scale tests (the budget alert by day), evaluated every 4 hours; the minute-scale ones are in readiness.rules.test.yml.'
      : '# Each alert fires where it must and stays silent where it must, on series shaped like the exporter\'s (replicas, label sets, failed requests).',
    ...(sampled ? [`# ${plan.teams.length} tenants: the tests cover a sample of them (readiness.rules.sample.yml; docs/alerts.md).`] : []),
  ].join('\n');
  return `${intro}\n${toYaml(doc)}`;
}

/** The Prometheus generator: the rules, their unit tests and their runbook. */
export function prometheusRules(ctx: GenerateContext): GeneratedFile[] {
  const plan = planFor(ctx);
  const groups = buildTests(plan);
  const files: GeneratedFile[] = [
    { path: RUNBOOK_PATH, content: renderRunbook(ctx, plan, alertRules(plan)) },
    { path: RULES_PATH, content: renderRules(ctx, plan) },
    { path: RULE_TESTS_PATH, content: renderRuleTests(ctx, plan, 'minutes', groups) },
    { path: MONTHLY_RULE_TESTS_PATH, content: renderRuleTests(ctx, plan, 'days', groups) },
  ];
  if (plan.teams.length > MAX_TESTED_TENANTS) files.push({ path: SAMPLE_RULES_PATH, content: renderSampleRules(ctx, plan) });
  return files;
}

/** For the catalogue's consumers: every alert name the catalogue knows. */
export const CATALOGUE_NAMES = ALERT_CATALOGUE.map((a) => a.name);
