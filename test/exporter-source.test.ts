// gateway.metrics.source: readiness-exporter: which alerts the exporter feeds, what LiteLLM's log
// switches (general_settings.disable_error_logs, disable_spend_logs, disable_spend_updates) take from
// it, the drift finding and the budget-ceilings verdict on a deployed config, and what generate writes.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import { parse, stringify } from 'yaml';
import { ALERT_CATALOGUE, ALERT_NAMES, planAlerts } from '../src/alerts/index.js';
import { exporterFeeds } from '../src/alerts/feeds.js';
import { budgetCapabilityFindings, budgetCeilings } from '../src/checks/budget-ceilings.js';
import { runDrift } from '../src/drift/run.js';
import type { EvidenceSet } from '../src/evidence/types.js';
import { LITELLM_LOG_SWITCHES, type LitellmRows } from '../src/gateway/litellm/metrics-sources.js';
import { buildModel } from '../src/manifest/model.js';
import type { Manifest } from '../src/manifest/types.js';
import { ROOT, runInProcess } from './helpers/cli.js';
import { base, patched, setPath } from './helpers/manifest.js';

const EXPORTER = { 'gateway.edition': 'oss', 'gateway.metrics': { source: 'readiness-exporter' } };
const manifest = (set: Record<string, unknown> = {}, unset: string[] = []): Manifest => patched({ set: { ...EXPORTER, ...set }, unset }).manifest;
const stops = (key: string): Set<LitellmRows> => new Set(LITELLM_LOG_SWITCHES.find((s) => s.key === key)!.stops);
const byState = (m: Manifest, stopped?: Set<LitellmRows>) => {
  const out: Record<string, string[]> = { fed: [], incomplete: [], silent: [] };
  for (const f of exporterFeeds(m, stopped)) out[f.state].push(f.alert);
  return out;
};

describe('exporterFeeds: the alerts the exporter feeds', () => {
  test('with LiteLLM writing every row, every alert of the litellm profile is fed; the audit alert reads the agent alone, the first-request alert too when slo.steadyP99Ms is given', () => {
    const feeds = exporterFeeds(manifest());
    assert.deepEqual(feeds.map((f) => f.alert), ALERT_NAMES, 'every alert of the catalogue has the litellm profile');
    assert.ok(feeds.every((f) => f.state === 'fed'), JSON.stringify(feeds));
    assert.deepEqual(feeds.filter((f) => f.agentOnly).map((f) => f.alert), ['ReadinessAuditRecordMissingTraceId', 'ReadinessFirstRequestSlow']);
    // without an SLO the steady p99 is measured from the exporter's latency histogram
    const measured = exporterFeeds(manifest({}, ['slo.steadyP99Ms'])).find((f) => f.alert === 'ReadinessFirstRequestSlow')!;
    assert.deepEqual([measured.agentOnly, measured.gatewayMetrics], [false, ['litellm_request_total_latency_metric']]);
  });

  test('disable_error_logs: the 429 alerts are silent (their only rows are gone), the rpm and gateway-rejection denominators lose the failures', () => {
    assert.deepEqual(byState(manifest(), stops('disable_error_logs')), {
      fed: ['ReadinessTenantCostPerRequestHigh', 'ReadinessAuditRecordMissingTraceId', 'ReadinessFirstRequestSlow', 'ReadinessTenantBudgetBurnEarly', 'ReadinessTenantBudgetExhausted'],
      incomplete: ['ReadinessTenantNearRpmLimit'],
      silent: ['ReadinessProviderRateLimited', 'ReadinessGatewayRejecting'],
    });
    const rpm = exporterFeeds(manifest(), stops('disable_error_logs')).find((f) => f.alert === 'ReadinessTenantNearRpmLimit')!;
    assert.deepEqual(rpm.reasons, ['litellm_proxy_total_requests_metric_total lacks the spend-log rows of failed requests (their status codes, 429s among them), which LiteLLM does not write']);
  });

  test('disable_spend_logs: the requests, spend and latency series are flat; the provider-429 ratio loses its successes; budgets stay (team spend is still updated)', () => {
    assert.deepEqual(byState(manifest(), stops('disable_spend_logs')), {
      fed: ['ReadinessAuditRecordMissingTraceId', 'ReadinessFirstRequestSlow', 'ReadinessTenantBudgetBurnEarly', 'ReadinessTenantBudgetExhausted'],
      incomplete: ['ReadinessProviderRateLimited'],
      silent: ['ReadinessTenantNearRpmLimit', 'ReadinessTenantCostPerRequestHigh', 'ReadinessGatewayRejecting'],
    });
    // the first-request alert measures its steady p99 from the latency histogram only without an SLO
    assert.ok(byState(manifest({}, ['slo.steadyP99Ms']), stops('disable_spend_logs')).silent.includes('ReadinessFirstRequestSlow'));
  });

  test("disable_spend_updates: as disable_spend_logs, and the teams' spend stops: both budget alerts are silent", () => {
    const s = byState(manifest(), stops('disable_spend_updates'));
    assert.deepEqual(s.silent, ['ReadinessTenantNearRpmLimit', 'ReadinessTenantCostPerRequestHigh', 'ReadinessTenantBudgetBurnEarly', 'ReadinessTenantBudgetExhausted', 'ReadinessGatewayRejecting']);
  });

  test("an override names a metric the exporter does not serve: the alerts reading it are silent; an override to the exporter's own name is not", () => {
    const spend = byState(manifest({ 'gateway.metrics': { source: 'readiness-exporter', overrides: { spend: 'acme_spend_usd_total' } } }));
    assert.deepEqual(spend.silent, ['ReadinessTenantCostPerRequestHigh']);
    const same = byState(manifest({ 'gateway.metrics': { source: 'readiness-exporter', overrides: { spend: 'litellm_spend_metric_total' } } }));
    assert.deepEqual(same.silent, []);
    // requestLatency is read only without an SLO
    const lat = { 'gateway.metrics': { source: 'readiness-exporter', overrides: { requestLatency: 'acme_latency_seconds' } } };
    assert.deepEqual(byState(manifest(lat)).silent, []);
    assert.deepEqual(byState(manifest(lat, ['slo.steadyP99Ms'])).silent, ['ReadinessFirstRequestSlow']);
    // an agent metric overridden is still the agent's
    assert.deepEqual(byState(manifest({ 'gateway.metrics': { source: 'readiness-exporter', overrides: { auditRecordsWritten: 'acme_audit_total' } } })).silent, []);
  });
});

test("successesOnly is what the rules read: every use of such a metric in the alert's rules carries the profile's success matcher", () => {
  const model = buildModel(manifest());
  const plan = planAlerts(model, 'RUNBOOK.md');
  const withOne = ALERT_CATALOGUE.filter((a) => a.successesOnly?.length);
  assert.ok(withOne.length > 0);
  for (const a of withOne) {
    for (const k of a.successesOnly ?? []) {
      const name = plan.metrics.metrics[k].name;
      const uses = a.rules(plan).flatMap((r) => r.expr.split(name).slice(1));
      assert.ok(uses.length > 0, `${a.name} reads ${name}`);
      for (const u of uses) assert.ok(u.startsWith(`{${plan.profile.successMatcher}`), `${a.name}: ${name}${u.slice(0, 40)}`);
    }
  }
});

describe('budget-ceilings with the exporter', () => {
  const deployed = (key: string, value: boolean): EvidenceSet[] => [
    { origin: { kind: 'deployed-config', file: 'litellm.yaml', description: 'deployed LiteLLM config' }, observations: [{ figure: 'gateway.logsDisabled', subject: key, value, line: 9, column: 23 }] },
  ];
  test('oss with the exporter passes and names the source; oss without it fails as before, pointing at the exporter', () => {
    const pass = budgetCapabilityFindings(buildModel(manifest()));
    assert.deepEqual(pass.map((f) => f.status), ['pass']);
    assert.match(pass[0].message, /^the alerts read readiness exporter \(LiteLLM's database: .*\), not LiteLLM's Enterprise callback: it feeds ReadinessTenantNearRpmLimit, .* and ReadinessGatewayRejecting; ReadinessAuditRecordMissingTraceId and ReadinessFirstRequestSlow read the agent's own metrics$/);
    const callback = budgetCapabilityFindings(buildModel(patched({ set: { 'gateway.edition': 'oss' } }).manifest));
    assert.deepEqual(callback.map((f) => f.status), ['fail']);
    assert.match(callback[0].remediation ?? '', /gateway\.metrics\.source: readiness-exporter/);
    // the explicit callback source is the default's verdict
    const explicit = budgetCapabilityFindings(buildModel(patched({ set: { 'gateway.edition': 'oss', 'gateway.metrics': { source: 'litellm-prometheus' } } }).manifest));
    assert.deepEqual(explicit.map((f) => [f.status, f.message]), callback.map((f) => [f.status, f.message]));
  });

  test('a deployed disable_error_logs: fail naming the silent alerts, warn naming the incomplete one, both decided by the deployed config at its line; false changes nothing', () => {
    const fs = budgetCapabilityFindings(buildModel(manifest()), deployed('disable_error_logs', true));
    assert.deepEqual(fs.map((f) => f.status), ['fail', 'warn']);
    assert.match(fs[0].message, /^with gateway\.metrics\.source readiness-exporter, 2 alerts stay silent: ReadinessProviderRateLimited \(.*\), ReadinessGatewayRejecting \(.*\) \(decided by the deployed LiteLLM config \(litellm\.yaml:9:23\)\)$/);
    assert.match(fs[1].message, /^with gateway\.metrics\.source readiness-exporter, one alert reads incomplete series: ReadinessTenantNearRpmLimit \(/);
    assert.ok(fs.every((f) => f.decidedBy?.file === 'litellm.yaml' && f.decidedBy.line === 9));
    assert.match(fs[0].remediation ?? '', /^Remove general_settings\.disable_error_logs from the deployed LiteLLM config/);
    assert.deepEqual(budgetCapabilityFindings(buildModel(manifest()), deployed('disable_error_logs', false)).map((f) => f.status), ['pass']);
    // the probe's or a usage log's figure of the same name would not be a deployed config
    const other: EvidenceSet[] = [{ ...deployed('disable_error_logs', true)[0], origin: { kind: 'usage', description: 'usage log' } }];
    assert.deepEqual(budgetCapabilityFindings(buildModel(manifest()), other).map((f) => f.status), ['pass']);
  });
});

describe('budget-ceilings: a deployed switch that freezes the teams\' spend', () => {
  const deployed = (key: string, value: boolean): EvidenceSet[] => [
    { origin: { kind: 'deployed-config', file: 'litellm.yaml', description: 'deployed LiteLLM config' }, observations: [{ figure: 'gateway.logsDisabled', subject: key, value, line: 9, column: 26, note: `general_settings.${key}: ${value}` }] },
  ];
  const frozen = (m: Manifest, ev: EvidenceSet[]) => budgetCeilings.run({ model: buildModel(m), evidence: ev }).filter((f) => /adds no request's cost/.test(f.message));
  test('disable_spend_updates: true with budgets that block: fail, decided by the deployed config at its line, whatever serves the metrics; false, alert-only or no budgets: nothing', () => {
    for (const m of [patched({}).manifest, manifest()]) {
      const fs = frozen(m, deployed('disable_spend_updates', true));
      assert.equal(fs.length, 1);
      assert.equal(fs[0].status, 'fail');
      assert.match(fs[0].message, /^the deployed LiteLLM config sets general_settings\.disable_spend_updates \(general_settings\.disable_spend_updates: true\): LiteLLM then adds no request's cost to any key's or team's spend, so no team reaches its max_budget and the 2 tenant budgets that are to block are not enforced \(decided by the deployed LiteLLM config \(litellm\.yaml:9:26\)\)$/);
      assert.deepEqual([fs[0].decidedBy?.file, fs[0].decidedBy?.line], ['litellm.yaml', 9]);
      assert.deepEqual(fs[0].path, ['budgets', 'onExceeded']);
    }
    assert.deepEqual(frozen(patched({}).manifest, deployed('disable_spend_updates', false)), []);
    assert.deepEqual(frozen(patched({ set: { 'budgets.onExceeded': 'alert-only' } }).manifest, deployed('disable_spend_updates', true)), []);
    assert.deepEqual(frozen(patched({ set: { 'budgets.onExceeded': 'throttle' } }).manifest, deployed('disable_spend_updates', true)).map((f) => f.status), ['fail']);
    // the other switches leave the teams' spend alone (LiteLLM still updates the team table)
    for (const key of ['disable_spend_logs', 'disable_error_logs']) assert.deepEqual(frozen(patched({}).manifest, deployed(key, true)), [], key);
    // only a deployed config decides it
    assert.deepEqual(frozen(patched({}).manifest, [{ ...deployed('disable_spend_updates', true)[0], origin: { kind: 'usage', description: 'usage log' } }]), []);
  });
});

/** The compliant example with the exporter source, as a file, and a deployed LiteLLM config for it. */
async function workspace(generalExtra: string): Promise<{ dir: string; manifest: string; config: string; line: number }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'readiness-exporter-src-'));
  const m = base('compliant');
  setPath(m, 'gateway.edition', 'oss');
  setPath(m, 'gateway.metrics', { source: 'readiness-exporter' });
  await writeFile(path.join(dir, 'manifest.yaml'), stringify(m));
  const hand = readFileSync(path.join(ROOT, 'test', 'fixtures', 'drift', 'litellm', 'success-hand-written.yaml'), 'utf8');
  const text = `${hand.replace(/\n?$/, '\n')}${generalExtra}`;
  await writeFile(path.join(dir, 'litellm.yaml'), text);
  const line = generalExtra ? text.split('\n').findIndex((l) => l.startsWith(generalExtra.split('\n')[0])) + 1 : 0;
  return { dir, manifest: 'manifest.yaml', config: 'litellm.yaml', line };
}

describe('the deployed config (drift, check --gateway-config)', () => {
  const driftOf = async (extra: string, set: Record<string, unknown> = EXPORTER) => {
    const w = await workspace(extra);
    try {
      const model = buildModel(patched({ set }).manifest);
      const r = runDrift([{ kind: 'litellm-config', file: w.config, text: readFileSync(path.join(w.dir, w.config), 'utf8') }], model);
      return { findings: r.findings, observed: r.evidence[0].observations.filter((o) => o.figure === 'gateway.logsDisabled'), line: w.line };
    } finally {
      await rm(w.dir, { recursive: true, force: true });
    }
  };

  test('each switch as LiteLLM tests it: disable_error_logs and disable_spend_updates only for a boolean true, disable_spend_logs for anything but a boolean false', async () => {
    const cases: Array<[string, boolean]> = [
      ['  disable_error_logs: true', true],
      ['  disable_error_logs: True', true],
      ['  disable_error_logs: yes', true], // PyYAML: a boolean
      ['  disable_error_logs: "true"', false], // a string: `is True` is False
      ['  disable_error_logs: false', false],
      ['  disable_spend_logs: true', true],
      ['  disable_spend_logs: "false"', true], // a string: `is False` is False, so the logs are off
      ['  disable_spend_logs:', true], // None
      ['  disable_spend_logs: false', false],
      ['  disable_spend_updates: true', true],
      ['  disable_spend_updates: 1', false],
    ];
    for (const [extra, stopped] of cases) {
      const { findings, observed, line } = await driftOf(extra);
      assert.deepEqual(observed.map((o) => [o.subject, o.value, o.line]), [[extra.trim().split(':')[0], stopped, line]], extra);
      const hits = findings.filter((f) => f.id === 'exporter-logs-disabled');
      assert.equal(hits.length, stopped ? 1 : 0, `${extra}: ${findings.map((f) => f.message).join('; ')}`);
      if (stopped) assert.deepEqual([hits[0].status, hits[0].line, hits[0].path], ['fail', line, `general_settings.${extra.trim().split(':')[0]}`]);
    }
  });

  test('the finding says what stops and which alerts go silent; without the exporter the key is observed but not a finding', async () => {
    const { findings } = await driftOf('  disable_error_logs: true');
    const f = findings.find((x) => x.id === 'exporter-logs-disabled')!;
    assert.equal(
      f.message,
      'general_settings.disable_error_logs is true: LiteLLM does not write the spend-log rows of failed requests (their status codes, 429s among them) and the error-log rows (each failed call to a deployment, 429s among them), which readiness exporter (gateway.metrics.source) reads: ReadinessProviderRateLimited, ReadinessGatewayRejecting stay silent; ReadinessTenantNearRpmLimit reads incomplete series',
    );
    assert.match((await driftOf('  disable_spend_logs: "false"')).findings.find((x) => x.id === 'exporter-logs-disabled')!.message, /is "false" \(LiteLLM keeps the rows only for a boolean false\)/);
    const callback = await driftOf('  disable_error_logs: true', { 'gateway.edition': 'enterprise' });
    assert.deepEqual(callback.findings.filter((x) => x.id === 'exporter-logs-disabled'), []);
    assert.equal(callback.observed[0].value, true);
    // the key is one LiteLLM reads: no unknown-key
    assert.deepEqual(findings.filter((x) => x.id === 'unknown-key'), []);
  });

  test('with the exporter the prometheus callback is not required; with the callback source it still is', async () => {
    const w = await workspace('');
    try {
      const text = readFileSync(path.join(w.dir, w.config), 'utf8').replace('  callbacks: ["prometheus"]\n', '');
      const run = (set: Record<string, unknown>) => runDrift([{ kind: 'litellm-config', file: w.config, text }], buildModel(patched({ set }).manifest)).findings.map((f) => f.id);
      assert.ok(!run(EXPORTER).includes('prometheus-callback-missing'));
      assert.ok(run({ 'gateway.edition': 'enterprise' }).includes('prometheus-callback-missing'));
    } finally {
      await rm(w.dir, { recursive: true, force: true });
    }
  });

  test('check --gateway-config: budget-ceilings fails on a deployed disable_error_logs, decided by the file at its line, and deployed-config carries the drift finding', async () => {
    const w = await workspace('  disable_error_logs: true');
    try {
      const r = await runInProcess(['check', w.manifest, '--gateway-config', w.config, '--format', 'json'], {}, w.dir);
      const report = JSON.parse(r.stdout) as { checks: Array<{ id: string; status: string; findings: Array<{ status: string; message: string; path: string; decidedBy?: { file?: string; line?: number } }> }> };
      const budget = report.checks.find((c) => c.id === 'budget-ceilings')!;
      assert.equal(budget.status, 'fail');
      const f = budget.findings.find((x) => x.path === 'gateway.metrics.source' && x.status === 'fail')!;
      assert.match(f.message, /ReadinessProviderRateLimited .*ReadinessGatewayRejecting/);
      assert.deepEqual([f.decidedBy?.file, f.decidedBy?.line], [w.config, w.line]);
      const d = report.checks.find((c) => c.id === 'deployed-config')!;
      assert.ok(d.findings.some((x) => x.message.startsWith('[exporter-logs-disabled] general_settings.disable_error_logs is true')));
      // the same manifest with the config as written: budget-ceilings passes, naming the exporter
      const w2 = await workspace('');
      try {
        const ok = JSON.parse((await runInProcess(['check', w2.manifest, '--gateway-config', w2.config, '--format', 'json'], {}, w2.dir)).stdout) as typeof report;
        const b2 = ok.checks.find((c) => c.id === 'budget-ceilings')!;
        assert.equal(b2.status, 'pass', JSON.stringify(b2.findings));
        assert.ok(b2.findings.some((x) => x.path === 'gateway.metrics.source' && /readiness exporter/.test(x.message)));
      } finally {
        await rm(w2.dir, { recursive: true, force: true });
      }
    } finally {
      await rm(w.dir, { recursive: true, force: true });
    }
  });
});

test('generate with the exporter source: no prometheus callback, none of the log switches, the exporter named in the config notes and the runbook; it lints clean', async () => {
  const w = await workspace('');
  try {
    const out = path.join(w.dir, 'out');
    const gen = await runInProcess(['generate', path.join(w.dir, w.manifest), '--out-dir', out], {}, w.dir);
    assert.equal(gen.code, 0, gen.stderr);
    const text = readFileSync(path.join(out, 'gateway', 'litellm.config.yaml'), 'utf8');
    const cfg = parse(text) as { litellm_settings: Record<string, unknown>; general_settings: Record<string, unknown> };
    assert.equal(cfg.litellm_settings.callbacks, undefined);
    for (const s of LITELLM_LOG_SWITCHES) assert.ok(!(s.key in cfg.general_settings) && !text.includes(`${s.key}:`), `${s.key} is not set`);
    assert.match(text, /^# The alerts read readiness exporter \(gateway\.metrics\.source\), not the prometheus callback: .*127\.0\.0\.1:9464\/metrics/m);
    assert.match(text, /^# Keep general_settings\.disable_error_logs, general_settings\.disable_spend_logs, general_settings\.disable_spend_updates out of this config/m);
    assert.match(readFileSync(path.join(out, 'alerts', 'RUNBOOK.md'), 'utf8'), /^Metrics source: `readiness exporter`/m);
    const model = buildModel(patched({ set: EXPORTER }).manifest);
    assert.deepEqual(runDrift([{ kind: 'litellm-config', file: 'litellm.config.yaml', text }], model).findings.map((f) => `${f.id}: ${f.message}`), []);
    // the callback source keeps writing the callback
    const plain = await runInProcess(['generate', path.join(ROOT, 'templates', 'examples', 'compliant.yaml'), '--out-dir', path.join(w.dir, 'plain')], {}, w.dir);
    assert.equal(plain.code, 0, plain.stderr);
    const p = parse(readFileSync(path.join(w.dir, 'plain', 'gateway', 'litellm.config.yaml'), 'utf8')) as typeof cfg;
    assert.deepEqual(p.litellm_settings.callbacks, ['prometheus']);
    for (const s of LITELLM_LOG_SWITCHES) assert.ok(!(s.key in p.general_settings));
    assert.doesNotMatch(readFileSync(path.join(w.dir, 'plain', 'alerts', 'RUNBOOK.md'), 'utf8'), /readiness exporter/);
  } finally {
    await rm(w.dir, { recursive: true, force: true });
  }
});
