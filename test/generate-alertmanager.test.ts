import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { needs } from './helpers/tools.js';
import { buildModel } from '../src/manifest/model.js';
import type { LoadedManifest } from '../src/manifest/load.js';
import { ALERTMANAGER_PATH, NULL_RECEIVER, alertmanagerGenerator } from '../src/generate/alertmanager.js';
import type { GenerateContext } from '../src/generate/types.js';
import { patched } from './helpers/manifest.js';
import { assertGolden, exampleNames, exampleContext as loadExampleCtx } from './helpers/golden.js';

function ctxOf(loaded: LoadedManifest): GenerateContext {
  return { model: buildModel(loaded.manifest), manifestFile: loaded.file, manifestSha256: loaded.sha256, toolVersion: '0.0.0-golden' };
}

function amtool(args: string[]): Promise<{ code: number; output: string }> {
  return new Promise((resolve, reject) => {
    execFile(process.env.AMTOOL ?? 'amtool', args, { timeout: 30_000 }, (err, stdout, stderr) => {
      if (err && typeof err.code !== 'number') return reject(new Error(`amtool did not run (install prometheus-alertmanager): ${err.message}`));
      resolve({ code: err ? (err.code as number) : 0, output: `${stdout}${stderr}` });
    });
  });
}

async function written(t: { after: (fn: () => Promise<void>) => void }, ctx: GenerateContext): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'readiness-am-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const [f] = alertmanagerGenerator(ctx);
  assert.equal(f.path, ALERTMANAGER_PATH);
  const file = path.join(dir, 'alertmanager.yml');
  await writeFile(file, f.content);
  return file;
}

const routes = async (file: string, labels: string[]) => {
  const r = await amtool(['config', 'routes', 'test', `--config.file=${file}`, ...labels]);
  assert.equal(r.code, 0, r.output);
  return r.output.trim().split('\n')[0].split(',').map((s) => s.trim()).sort();
};

test('every example: alerts/alertmanager.yml passes amtool check-config and routes to the null receiver without receivers', { skip: needs('amtool') }, async (t) => {
  for (const name of exampleNames()) {
    const ctx = loadExampleCtx(name);
    const file = await written(t, ctx);
    const check = await amtool(['check-config', file]);
    assert.equal(check.code, 0, `${name}: ${check.output}`);
    if (!ctx.model.manifest.alerting?.receivers?.length) {
      assert.deepEqual(await routes(file, ['alertname=ReadinessTenantNearRpmLimit', 'severity=warning', 'team=research']), [NULL_RECEIVER]);
    }
    await assertGolden(name, alertmanagerGenerator(ctx));
  }
});

test('receivers from the manifest: routed by severity and team, secrets only as files, inhibition, proven by amtool', { skip: needs('amtool') }, async (t) => {
  const ctx = ctxOf(
    patched({
      set: {
        alerting: {
          receivers: [
            { name: 'oncall', kind: 'pagerduty', severities: ['critical'], routingKeyFile: '/etc/alertmanager/secrets/pd-key' },
            { name: 'llm-alerts', kind: 'slack', severities: ['warning'], apiUrlFile: '/etc/alertmanager/secrets/slack-url', channel: '#llm-alerts' },
            { name: 'research-mail', kind: 'email', tenants: ['research'], to: 'research@example.com', from: 'alerts@example.com', smarthost: 'smtp.example.com:587', authUsername: 'alerts', authPasswordFile: '/etc/alertmanager/secrets/smtp' },
            { name: 'audit-hook', kind: 'webhook', tenants: ['operations'], severities: ['critical'], url: 'https://audit.example.com/alerts', credentialsFile: '/etc/alertmanager/secrets/hook-token' },
          ],
        },
      },
    }),
  );
  const file = await written(t, ctx);
  const content = alertmanagerGenerator(ctx)[0].content;
  for (const k of ['api_url_file', 'routing_key_file', 'auth_password_file', 'credentials_file']) assert.match(content, new RegExp(`${k}: /etc/alertmanager/secrets/`));
  assert.doesNotMatch(content, /\bapi_url:|\brouting_key:|\bauth_password:|\bcredentials:/);
  const check = await amtool(['check-config', file]);
  assert.equal(check.code, 0, check.output);
  assert.deepEqual(await routes(file, ['alertname=ReadinessAuditRecordMissingTraceId', 'severity=critical', 'team=research']), ['oncall', 'research-mail']);
  assert.deepEqual(await routes(file, ['alertname=ReadinessTenantNearRpmLimit', 'severity=warning', 'team=research']), ['llm-alerts', 'research-mail']);
  assert.deepEqual(await routes(file, ['alertname=ReadinessTenantBudgetExhausted', 'severity=critical', 'team=operations']), ['audit-hook', 'oncall']);
  assert.deepEqual(await routes(file, ['alertname=ReadinessTenantNearRpmLimit', 'severity=warning', 'team=operations']), ['llm-alerts']);
  assert.deepEqual(await routes(file, ['alertname=ReadinessProviderRateLimited', 'severity=critical', 'model_id=openai-main']), ['oncall']);
  assert.deepEqual(await routes(file, ['alertname=SomethingElse', 'severity=critical']), [NULL_RECEIVER]);
  // a provider outage inhibits the tenant pages it causes; an exhausted budget inhibits the early burn of the same tenant
  assert.match(content, /source_matchers:\n\s+- alertname=~"ReadinessProviderRateLimited\|ReadinessGatewayRejecting"\n\s+target_matchers:\n\s+- alertname=~"ReadinessTenantNearRpmLimit\|ReadinessTenantCostPerRequestHigh\|ReadinessFirstRequestSlow"/);
  assert.match(content, /alertname="ReadinessTenantBudgetExhausted"\n\s+target_matchers:\n\s+- alertname="ReadinessTenantBudgetBurnEarly"\n\s+equal:\n\s+- team/);
});

test('a receiver that names a secret inline is refused by the manifest schema, with its location', () => {
  assert.throws(() => patched({ set: { alerting: { receivers: [{ name: 'x', kind: 'slack', apiUrl: 'https://hooks.slack.com/services/T/B/C', channel: '#a' }] } } }), /patched\.yaml:\d+:\d+/);
  assert.throws(() => patched({ set: { alerting: { receivers: [{ name: 'x', kind: 'pagerduty' }] } } }), /patched\.yaml:\d+:\d+/);
});
