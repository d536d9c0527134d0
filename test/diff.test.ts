import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { stringify } from 'yaml';
import { runChecks } from '../src/checks/run.js';
import { diffExitCode, diffReports } from '../src/diff/diff.js';
import { parseManifest } from '../src/manifest/load.js';
import { renderDiffMarkdown } from '../src/report/diff.js';
import { example, runBin, runInProcess } from './helpers/cli.js';
import { base, setPath } from './helpers/manifest.js';

const dirs: string[] = [];
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
function tmp(): string {
  const d = mkdtempSync(path.join(tmpdir(), 'readiness-diff-'));
  dirs.push(d);
  return d;
}

/**
 * compliant.yaml made worse: openai-main's tpm 4M -> 3M (peak utilization 55% -> 73.3%, still absorbed by the queue),
 * retention 2557 -> 2000 days (audit-log fails), research 20,000 -> 30,000 requests a day ($5,100 -> $7,650 a month: warns).
 */
function worse(): string {
  const m = base('compliant');
  setPath(m, 'providers[0].limits.tpm', 3000000);
  setPath(m, 'audit.sink.retentionDays', 2000);
  setPath(m, 'tenants[0].dailyRequests', 30000);
  return stringify(m);
}
const COMPLIANT = readFileSync(example('compliant.yaml'), 'utf8');

function files(): { dir: string } {
  const dir = tmp();
  writeFileSync(path.join(dir, 'good.yaml'), COMPLIANT);
  writeFileSync(path.join(dir, 'worse.yaml'), worse());
  return { dir };
}

describe('readiness diff', () => {
  it('a regression exits 1 and names the checks that got worse and the numbers that moved', async () => {
    const { dir } = files();
    const r = await runInProcess(['diff', 'good.yaml', 'worse.yaml'], {}, dir);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stdout, /WORSE   audit-log: pass -> fail/);
    assert.match(r.stdout, /WORSE   budget-ceilings: pass -> warn/);
    assert.doesNotMatch(r.stdout, /rate-limit-sizing: pass/, 'rate-limit-sizing did not change verdict');
    assert.match(r.stdout, /peak utilization of the primary \(openai-main\): 55% -> 73\.3% \(worse\)/);
    assert.match(r.stdout, /failover chain capacity \(openai-main -> anthropic-backup\): 2,727 rpm -> 2,273 rpm \(worse\)/);
    assert.match(r.stdout, /projected spend of tenant research: \$5,100\/month -> \$7,650\/month \(worse\)/);
    assert.match(r.stdout, /audit retention: 2557 days -> 2000 days \(worse\)/);
    assert.doesNotMatch(r.stdout, /tenant operations/, 'unmoved numbers are not listed');
    assert.match(r.stdout, /REGRESSION: 1 check\(s\) became fail \(audit-log\)\. Exit 1\./);
    assert.match(r.stdout, /openai-main tpm limit: 4,000,000 tpm -> 3,000,000 tpm \(worse\)/);
    assert.match(r.stdout, /tenant research requests a day: 20000 -> 30000 \(worse\)/);
  });

  it('an improvement exits 0 and names the numbers that moved', async () => {
    const { dir } = files();
    const r = await runInProcess(['diff', 'worse.yaml', 'good.yaml', '--format', 'markdown'], {}, dir);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /✅ readiness diff: no regression/);
    assert.match(r.stdout, /\| `audit-log` \| ❌ fail \| ✅ pass \| better \|/);
    assert.match(r.stdout, /\| audit retention \| 2000 days \| 2557 days \| better \|/);
    assert.match(r.stdout, /\| projected spend of tenant research \| \$7,650\/month \| \$5,100\/month \| better \|/);
  });

  it('identical manifests: nothing changed, exit 0', async () => {
    const { dir } = files();
    const r = await runInProcess(['diff', 'good.yaml', 'good.yaml'], {}, dir);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /No check changed verdict\.\n\nNo key number moved\.\n\nNo regression\. Exit 0\./);
  });

  it('a regression that is waived in HEAD is not a regression', async () => {
    const { dir } = files();
    writeFileSync(
      path.join(dir, 'waived.yaml'),
      `${worse()}waivers:\n  - {check: audit-log, reason: retention migration, owner: compliance, expires: 2027-01-31}\n  - {check: budget-ceilings, reason: q4 batch, owner: research, expires: 2027-01-31}\n`,
    );
    const r = await runInProcess(['diff', 'good.yaml', 'waived.yaml', '-f', 'json'], { READINESS_TODAY: '2026-11-27' }, dir);
    assert.equal(r.code, 0, r.stdout);
    const j = JSON.parse(r.stdout);
    assert.deepEqual(j.regressions, []);
    assert.equal(j.checks.find((c: { id: string }) => c.id === 'audit-log').head, 'waived');
    assert.equal(j.exitCode, 0);
  });

  it('--base <git ref> reads the base manifest from git (built CLI, from a subdirectory)', async () => {
    const dir = tmp();
    const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', '-c', 'init.defaultBranch=main', ...args], { cwd: dir, stdio: 'pipe' });
    git('init', '-q');
    execFileSync('mkdir', ['-p', path.join(dir, 'deploy')]);
    writeFileSync(path.join(dir, 'deploy', 'readiness.yaml'), COMPLIANT);
    git('add', '.');
    git('commit', '-qm', 'base');
    writeFileSync(path.join(dir, 'deploy', 'readiness.yaml'), worse());
    const r = await runBin(['diff', '--base', 'HEAD', 'readiness.yaml'], { cwd: path.join(dir, 'deploy') });
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stdout, /^readiness diff: HEAD:readiness.yaml -> readiness.yaml$/m);
    assert.match(r.stdout, /audit retention: 2557 days -> 2000 days \(worse\)/);
    const fromRoot = await runInProcess(['diff', '--base', 'HEAD', 'deploy/readiness.yaml'], {}, dir);
    assert.equal(fromRoot.code, 1);
    const missing = await runInProcess(['diff', '--base', 'no-such-ref', 'deploy/readiness.yaml'], {}, dir);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /cannot read deploy\/readiness.yaml at no-such-ref: fatal: /);
  });

  it('the change that adds the manifest: no base at the ref is not an error (exit 0, says why)', async () => {
    const dir = tmp();
    const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd: dir, stdio: 'pipe' });
    git('init', '-q');
    git('commit', '-q', '--allow-empty', '-m', 'before readiness');
    writeFileSync(path.join(dir, 'readiness.yaml'), COMPLIANT);
    const r = await runInProcess(['diff', '--base', 'HEAD', 'readiness.yaml'], {}, dir);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /readiness\.yaml does not exist at HEAD: a new manifest, nothing to compare/);
    const j = await runInProcess(['diff', '--base', 'HEAD', 'readiness.yaml', '--format', 'json'], {}, dir);
    assert.equal(JSON.parse(j.stdout).base, null);
  });

  it('an invalid base at the ref is located as REF:FILE:line:col', async () => {
    const dir = tmp();
    const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd: dir, stdio: 'pipe' });
    git('init', '-q');
    writeFileSync(path.join(dir, 'readiness.yaml'), 'apiVersion: readiness/v1\nkind: AgentDeployment\n');
    git('add', '.');
    git('commit', '-qm', 'broken');
    writeFileSync(path.join(dir, 'readiness.yaml'), COMPLIANT);
    const r = await runInProcess(['diff', '--base', 'HEAD', 'readiness.yaml'], {}, dir);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^HEAD:readiness.yaml:\d+:\d+: /m);
  });

  it('usage: two files, or one with --base', async () => {
    const one = await runInProcess(['diff', example('compliant.yaml')]);
    assert.equal(one.code, 2);
    assert.match(one.stderr, /give two manifests, BASE and HEAD/);
    const three = await runInProcess(['diff', '--base', 'main', 'a.yaml', 'b.yaml']);
    assert.equal(three.code, 2);
    assert.match(three.stderr, /with --base, give one manifest \(HEAD\), got 2/);
  });

  it('diffExitCode is 1 exactly when a check got worse (library use)', () => {
    const g = parseManifest(COMPLIANT, 'g.yaml');
    const w = parseManifest(worse(), 'w.yaml');
    const d = diffReports({ label: 'g', manifest: g.manifest, report: runChecks(g) }, { label: 'w', manifest: w.manifest, report: runChecks(w) });
    assert.equal(diffExitCode(d), 1);
    const back = diffReports({ label: 'w', manifest: w.manifest, report: runChecks(w) }, { label: 'g', manifest: g.manifest, report: runChecks(g) });
    assert.equal(diffExitCode(back), 0);
    assert.deepEqual(back.improvements, ['audit-log', 'budget-ceilings']);
    assert.ok(renderDiffMarkdown(d).includes('**worse**'));
  });
});

describe('readiness diff: every figure, and the gate as for check', () => {
  /** compliant.yaml with figures moved that change no verdict */
  function quiet(): string {
    const m = base('compliant');
    setPath(m, 'tenants[0].budget.monthlyUsd', 9000);
    setPath(m, 'tenants[1].limits.rpm', 350);
    setPath(m, 'budgets.accountMonthlyUsd', 17000);
    setPath(m, 'budgets.alertByDay', 12);
    setPath(m, 'routing.failover.onStatus', [429, 500, 502, 503, 504, 529]);
    setPath(m, 'providers[1].pricing.outputPerMTok', 16);
    setPath(m, 'traffic.peakWindow', '16:00-19:00');
    return stringify(m);
  }
  it('changed budgets, limits, ceiling, alert day, statuses and prices are listed old -> new although no verdict moved', async () => {
    const dir = tmp();
    writeFileSync(path.join(dir, 'good.yaml'), COMPLIANT);
    writeFileSync(path.join(dir, 'quiet.yaml'), quiet());
    const r = await runInProcess(['diff', 'good.yaml', 'quiet.yaml'], {}, dir);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /No check changed verdict\./);
    for (const line of [
      'tenant research budget: $8,000/month -> $9,000/month (changed)',
      'tenant operations rpm limit: 400 rpm -> 350 rpm (changed)',
      'account ceiling (budgets.accountMonthlyUsd): $16,000/month -> $17,000/month (changed)',
      'budget alert paged by day: day 15 -> day 12 (changed)',
      'failover statuses: 429, 500, 502, 503, 504 -> 429, 500, 502, 503, 504, 529 (changed)',
      'anthropic-backup output price: $15/MTok -> $16/MTok (worse)',
      'peak window (traffic.peakWindow): 17:00-19:00 -> 16:00-19:00 (changed)',
    ]) {
      assert.ok(r.stdout.includes(line), `expected "${line}" in:\n${r.stdout}`);
    }
    const md = await runInProcess(['diff', 'good.yaml', 'quiet.yaml', '-f', 'markdown'], {}, dir);
    assert.match(md.stdout, /\| tenant research budget \| \$8,000\/month \| \$9,000\/month \| changed \|/);
  });
  it('pass -> warn exits 0 under the default --fail-on fail, 1 under --fail-on warn', async () => {
    const dir = tmp();
    const m = base('compliant');
    setPath(m, 'tenants[0].dailyRequests', 30000); // research $7,650 of $8,000: warns
    writeFileSync(path.join(dir, 'good.yaml'), COMPLIANT);
    writeFileSync(path.join(dir, 'warn.yaml'), stringify(m));
    const r = await runInProcess(['diff', 'good.yaml', 'warn.yaml'], {}, dir);
    assert.equal(r.code, 0, r.stdout);
    assert.match(r.stdout, /WORSE   budget-ceilings: pass -> warn/);
    assert.match(r.stdout, /1 check\(s\) got worse \(budget-ceilings\), none became fail \(--fail-on fail\)\. Exit 0\./);
    const strict = await runInProcess(['diff', 'good.yaml', 'warn.yaml', '--fail-on', 'warn', '-f', 'json'], {}, dir);
    assert.equal(strict.code, 1);
    assert.equal(JSON.parse(strict.stdout).exitCode, 1);
  });
});

describe('readiness diff --waivers', () => {
  it('a regression waived in a --waivers file is not a regression', async () => {
    const dir = tmp();
    writeFileSync(path.join(dir, 'good.yaml'), COMPLIANT);
    writeFileSync(path.join(dir, 'worse.yaml'), worse());
    writeFileSync(path.join(dir, 'w.yaml'), 'waivers:\n  - {check: audit-log, reason: r, owner: o, expires: 2027-01-31}\n  - {check: budget-ceilings, reason: r, owner: o, expires: 2027-01-31}\n');
    const env = { READINESS_TODAY: '2026-11-27' };
    assert.equal((await runInProcess(['diff', 'good.yaml', 'worse.yaml'], env, dir)).code, 1);
    const r = await runInProcess(['diff', 'good.yaml', 'worse.yaml', '--waivers', 'w.yaml'], env, dir);
    assert.equal(r.code, 0, r.stdout);
    assert.match(r.stdout, /audit retention: 2557 days -> 2000 days \(worse\)/, 'numbers still move');
  });
});
