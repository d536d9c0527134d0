import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { XMLParser } from 'fast-xml-parser';
import { applyWaivers, isExpired, isValidDate, pathCovers, resolveToday } from '../src/checks/waivers.js';
import { parseWaivers } from '../src/manifest/waivers.js';
import { InputError } from '../src/util/errors.js';
import { example, runInProcess } from './helpers/cli.js';
import { reportValidator, sarifValidator } from './helpers/report.js';

const dirs: string[] = [];
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const INCIDENT1 = readFileSync(example('incident-1-rate-limit-at-peak.yaml'), 'utf8');
const WAIVE_BOTH = `waivers:
  - check: failover
    reason: "second vendor contract signed, rollout in sprint 12"
    owner: platform-team
    expires: 2026-12-31
  - check: rate-limit-sizing
    path: providers[0].limits
    reason: "Azure quota increase requested (ticket 4711)"
    owner: jane.doe
    expires: 2026-12-31
`;

/** A temp repo with incident-1 plus `extra` appended as readiness.yaml; returns its dir and the line where `extra` starts. */
function repo(extra: string, files: Record<string, string> = {}): { dir: string; firstLine: number } {
  const dir = mkdtempSync(path.join(tmpdir(), 'readiness-waivers-'));
  dirs.push(dir);
  const src = `${INCIDENT1.trimEnd()}\n`;
  writeFileSync(path.join(dir, 'readiness.yaml'), src + extra);
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
  return { dir, firstLine: src.split('\n').length };
}

const check = (dir: string, args: string[], today = '2026-11-27') => runInProcess(['check', 'readiness.yaml', ...args], { READINESS_TODAY: today }, dir);

describe('waivers: rules', () => {
  it('dates: real calendar dates only', () => {
    for (const d of ['2026-12-31', '2028-02-29', '2026-01-01']) assert.equal(isValidDate(d), true, d);
    for (const d of ['2026-02-29', '2026-13-01', '2026-1-1', '26-01-01', '2026-12-31T00:00:00Z', '']) assert.equal(isValidDate(d), false, d);
  });

  it('a waiver still applies on its expiry day and expires the day after', () => {
    assert.equal(isExpired({ expires: '2026-12-31' }, '2026-12-31'), false);
    assert.equal(isExpired({ expires: '2026-12-31' }, '2027-01-01'), true);
    assert.equal(isExpired({ expires: '2026-12-31' }, '2026-12-30'), false);
  });

  it('today comes from READINESS_TODAY, else the UTC date; a bad value is a usage error', () => {
    assert.equal(resolveToday({ READINESS_TODAY: '2027-03-04' }), '2027-03-04');
    assert.equal(resolveToday({}, new Date('2026-11-27T23:59:59-05:00')), '2026-11-28', 'UTC, not local time');
    assert.throws(() => resolveToday({ READINESS_TODAY: 'tomorrow' }), /READINESS_TODAY must be a date YYYY-MM-DD/);
  });

  it('a path covers itself and what is below it, not its siblings', () => {
    assert.equal(pathCovers(undefined, 'anything'), true);
    assert.equal(pathCovers('tenants[1]', 'tenants[1]'), true);
    assert.equal(pathCovers('tenants[1]', 'tenants[1].budget.monthlyUsd'), true);
    assert.equal(pathCovers('tenants[1]', 'tenants[10]'), false);
    assert.equal(pathCovers('providers', 'providers[0].limits'), true);
    assert.equal(pathCovers('routing.failover', 'routing.failoverx'), false);
  });

  it('applyWaivers with no waivers returns the report unchanged', async () => {
    const { reportOf } = await import('./helpers/report.js');
    const r = await reportOf(example('compliant.yaml'));
    assert.equal(applyWaivers(r, [], '2026-01-01'), r);
  });
});

describe('waivers: readiness check', () => {
  it('valid waivers: waived failures do not fail the gate, and show with reason and owner in every format', async () => {
    const { dir, firstLine } = repo(WAIVE_BOTH);
    const text = await check(dir, ['-f', 'text', '-f', 'sarif=r.sarif', '-f', 'junit=r.xml', '-f', 'markdown=r.md', '-f', 'json=r.json']);
    assert.equal(text.code, 0, text.stdout + text.stderr);
    assert.match(text.stdout, /WAIVED\s+rate-limit-sizing/);
    assert.match(text.stdout, /waived: by platform-team until 2026-12-31 \(readiness.yaml:\d+:\d+\): second vendor contract signed/);
    assert.match(text.stdout, /2 waived finding\(s\)\. Gate PASSED \(exit 0\)/);

    const json = JSON.parse(readFileSync(path.join(dir, 'r.json'), 'utf8'));
    const schema = await reportValidator();
    assert.equal(schema(json), true, JSON.stringify(schema.errors));
    assert.equal(json.summary.waived, 2);
    assert.equal(json.summary.fail, 0);
    assert.deepEqual(
      json.waivers.map((w: { state: string; matched: number; source: string }) => [w.state, w.matched, w.source]),
      [
        ['active', 1, `readiness.yaml:${firstLine + 1}:5`],
        ['active', 1, `readiness.yaml:${firstLine + 5}:5`],
      ],
    );

    const sarif = JSON.parse(readFileSync(path.join(dir, 'r.sarif'), 'utf8'));
    assert.equal(sarifValidator()(sarif), true, JSON.stringify(sarifValidator().errors));
    const results = sarif.runs[0].results;
    assert.equal(results.length, 2);
    for (const r of results) {
      assert.equal(r.level, 'note');
      assert.equal(r.suppressions[0].kind, 'inSource');
      assert.equal(r.suppressions[0].status, 'accepted');
      assert.match(r.suppressions[0].justification, /owner (platform-team|jane\.doe)/);
    }

    const junit = new XMLParser({ ignoreAttributes: false, isArray: (n) => n === 'testcase' }).parse(readFileSync(path.join(dir, 'r.xml'), 'utf8'));
    const cases = junit.testsuites.testsuite.testcase as Array<{ '@_classname': string; failure?: unknown; skipped?: { '@_message': string } }>;
    assert.equal(cases.filter((c) => c.failure).length, 0);
    const skipped = cases.filter((c) => c.skipped);
    assert.deepEqual(
      skipped.map((c) => c['@_classname']),
      ['readiness.rate-limit-sizing', 'readiness.failover'],
    );
    assert.match(skipped[1].skipped?.['@_message'] ?? '', /waived by platform-team until 2026-12-31: second vendor/);

    const md = readFileSync(path.join(dir, 'r.md'), 'utf8');
    assert.match(md, /gate PASSED/);
    assert.match(md, /\| `failover` \| 🟡 waived \|/);
    assert.match(md, /\| `rate-limit-sizing` \| `providers\[0\].limits` \| jane.doe \| 2026-12-31 \| active \(1\) \| Azure quota increase/);

    const gh = await check(dir, ['-f', 'github']);
    assert.equal(gh.code, 0);
    assert.match(gh.stdout, /^::notice file=readiness.yaml,line=\d+,col=\d+,title=readiness failover \(waived\)%3A routing.failover.mode::.*Waived by platform-team until 2026-12-31/m);
  });

  it('a waiver covering one of two failing checks: the gate still fails on the other', async () => {
    const { dir } = repo(WAIVE_BOTH.split('  - check: rate-limit-sizing')[0]);
    const r = await check(dir, ['-f', 'json']);
    assert.equal(r.code, 1);
    const json = JSON.parse(r.stdout);
    assert.deepEqual(
      json.checks.map((c: { id: string; status: string }) => `${c.id}=${c.status}`),
      ['rate-limit-sizing=fail', 'cost-attribution=pass', 'audit-log=pass', 'failover=pass', 'budget-ceilings=pass', 'no-literal-secrets=pass'],
    );
    assert.equal(json.checks[3].waived, 1);
  });

  it('on its expiry day a waiver applies; the day after, the gate fails and says which waiver expired', async () => {
    const { dir, firstLine } = repo(WAIVE_BOTH);
    assert.equal((await check(dir, [], '2026-12-31')).code, 0);
    const r = await check(dir, ['-f', 'text', '-f', 'sarif=r.sarif'], '2027-01-01');
    assert.equal(r.code, 1);
    // the finding points at the waiver itself: its line and its index in the list
    assert.match(r.stdout, new RegExp(`FAIL  failover  readiness.yaml:${firstLine + 1}:5  waivers\\[0\\]`));
    assert.match(r.stdout, new RegExp(`FAIL  rate-limit-sizing  readiness.yaml:${firstLine + 5}:5  waivers\\[1\\]`));
    assert.match(r.stdout, /waiver for failover expired on 2026-12-31 \(owner platform-team; reason: second vendor contract signed, rollout in sprint 12\): the accepted risk is no longer accepted, so 1 finding\(s\) count again/);
    assert.match(r.stdout, /2 expired waiver\(s\)\. Gate FAILED/);
    const sarif = JSON.parse(readFileSync(path.join(dir, 'r.sarif'), 'utf8'));
    assert.equal(sarifValidator()(sarif), true);
    const expired = sarif.runs[0].results.filter((x: { message: { text: string } }) => /expired on/.test(x.message.text));
    assert.equal(expired.length, 2);
    assert.equal(expired[0].level, 'error');
    assert.equal(expired[0].locations[0].physicalLocation.region.startLine, firstLine + 5);
  });

  it('an expired waiver fails the gate even when what it waived has been fixed', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'readiness-waivers-'));
    dirs.push(dir);
    writeFileSync(path.join(dir, 'readiness.yaml'), `${readFileSync(example('compliant.yaml'), 'utf8')}waivers:\n  - {check: failover, reason: old, owner: ops, expires: 2025-01-31}\n`);
    const r = await check(dir, ['-f', 'json']);
    assert.equal(r.code, 1);
    const json = JSON.parse(r.stdout);
    assert.deepEqual(json.waivers.map((w: { state: string; matched: number }) => [w.state, w.matched]), [['expired', 0]]);
    assert.equal(json.summary.expiredWaivers, 1);
    const schema = await reportValidator();
    assert.equal(schema(json), true, JSON.stringify(schema.errors));
    assert.equal(schema({ ...json, waivers: [{ ...json.waivers[0], state: 'lapsed' }] }), false, 'the schema is strict enough to fail');
  });

  it('a waiver that matches nothing is reported unused and does not fail the gate', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'readiness-waivers-'));
    dirs.push(dir);
    writeFileSync(path.join(dir, 'readiness.yaml'), `${readFileSync(example('compliant.yaml'), 'utf8')}waivers:\n  - {check: audit-log, reason: r, owner: o, expires: 2027-01-31}\n`);
    const r = await check(dir, ['-f', 'json']);
    assert.equal(r.code, 0);
    assert.equal(JSON.parse(r.stdout).waivers[0].state, 'unused');
  });

  it('a waiver without reason, owner or a real expiry date is invalid input: exit 2 with file:line:col', async () => {
    const cases: Array<[string, RegExp]> = [
      ['  - {check: failover, owner: ops, expires: 2026-12-31}\n', /^readiness.yaml:(\d+):5: waivers\[0\]: missing required key "reason"$/m],
      ['  - {check: failover, reason: r, expires: 2026-12-31}\n', /^readiness.yaml:(\d+):5: waivers\[0\]: missing required key "owner"$/m],
      ['  - {check: failover, reason: r, owner: o}\n', /^readiness.yaml:(\d+):5: waivers\[0\]: missing required key "expires"$/m],
      ['  - {check: failover, reason: "", owner: o, expires: 2026-12-31}\n', /^readiness.yaml:(\d+):\d+: waivers\[0\].reason must not be empty$/m],
      ['  - {check: failover, reason: r, owner: o, expires: 2026-02-30}\n', /^readiness.yaml:(\d+):\d+: waivers\[0\].expires: "2026-02-30" is not a calendar date \(YYYY-MM-DD\)$/m],
      ['  - {check: failover, reason: r, owner: o, expires: 31/12/2026}\n', /^readiness.yaml:(\d+):\d+: waivers\[0\].expires: "31\/12\/2026" is not valid/m],
      ['  - {check: fail-over, reason: r, owner: o, expires: 2026-12-31}\n', /^readiness.yaml:(\d+):\d+: waivers\[0\].check: "fail-over" is not one of: .*did you mean "failover"\?$/m],
    ];
    for (const [item, msg] of cases) {
      const { dir, firstLine } = repo(`waivers:\n${item}`);
      const r = await check(dir, []);
      assert.equal(r.code, 2, item);
      const m = msg.exec(r.stderr);
      assert.ok(m, `${item}: ${r.stderr}`);
      assert.equal(Number(m[1]), firstLine + 1, 'points at the waiver');
      assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
    }
  });

  it('--waivers FILE: applied like the manifest\'s own, located in that file', async () => {
    const { dir } = repo('', { 'waivers.yaml': WAIVE_BOTH });
    const r = await check(dir, ['--waivers', 'waivers.yaml', '-f', 'json']);
    assert.equal(r.code, 0, r.stderr);
    const json = JSON.parse(r.stdout);
    assert.deepEqual(json.waivers.map((w: { source: string }) => w.source), ['waivers.yaml:2:5', 'waivers.yaml:6:5']);
    const sarif = await check(dir, ['--waivers', 'waivers.yaml', '-f', 'sarif']);
    assert.equal(JSON.parse(sarif.stdout).runs[0].results[0].suppressions[0].kind, 'external');
    const expired = await check(dir, ['--waivers', 'waivers.yaml', '-f', 'github'], '2027-06-01');
    assert.equal(expired.code, 1);
    assert.match(expired.stdout, /^::error file=waivers.yaml,line=2,col=5,title=readiness failover%3A waivers\[0\]::waiver for failover expired on 2026-12-31/m);
  });

  it('--waivers FILE with a missing reason, an unknown key, or no file: exit 2 located in that file', async () => {
    const { dir } = repo('', {
      'no-reason.yaml': 'waivers:\n  - check: failover\n    owner: ops\n    expires: 2026-12-31\n',
      'typo.yaml': 'waivers:\n  - check: failover\n    reason: r\n    owner: o\n    expires: 2026-12-31\n    expiry: 2027-01-01\n',
      'list.yaml': '- check: failover\n',
    });
    const a = await check(dir, ['--waivers', 'no-reason.yaml']);
    assert.equal(a.code, 2);
    assert.match(a.stderr, /^no-reason.yaml:2:5: waivers\[0\]: missing required key "reason"$/m);
    const b = await check(dir, ['--waivers', 'typo.yaml']);
    assert.equal(b.code, 2);
    assert.match(b.stderr, /^typo.yaml:6:5: unknown key "expiry" in waivers\[0\]; did you mean "expires"\?$/m);
    const c = await check(dir, ['--waivers', 'list.yaml']);
    assert.equal(c.code, 2);
    assert.match(c.stderr, /^list.yaml:1:1: waivers file: expected a mapping, got a list$/m);
    const d = await check(dir, ['--waivers', 'nope.yaml']);
    assert.equal(d.code, 2);
    assert.match(d.stderr, /^nope.yaml:1:1: cannot read waivers file: no such file$/m);
  });

  it('a path-scoped waiver waives only the findings at or below its path', async () => {
    const src = readFileSync(example('incident-2-no-team-ceilings.yaml'), 'utf8');
    const w = parseWaivers('waivers:\n  - {check: budget-ceilings, path: "tenants[1]", reason: r, owner: o, expires: 2030-01-01}\n', 'w.yaml');
    const { parseManifest } = await import('../src/manifest/load.js');
    const { runChecks } = await import('../src/checks/run.js');
    const report = applyWaivers(runChecks(parseManifest(src, 'm.yaml')), w, '2026-11-27');
    const budget = report.checks.find((c) => c.id === 'budget-ceilings');
    assert.equal(budget?.status, 'fail', 'tenants[0] and [2] still fail');
    assert.deepEqual(
      budget?.findings.filter((f) => f.waived).map((f) => f.path),
      ['tenants[1]'],
    );
  });

  it('READINESS_TODAY that is not a date is a usage error', async () => {
    const { dir } = repo(WAIVE_BOTH);
    const r = await check(dir, [], '2026/12/01');
    assert.equal(r.code, 2);
    assert.match(r.stderr, /READINESS_TODAY must be a date YYYY-MM-DD/);
  });

  it('parseWaivers throws located InputErrors', () => {
    assert.throws(
      () => parseWaivers('waivers:\n  - {check: failover}\n', 'w.yaml'),
      (e: unknown) => e instanceof InputError && e.diagnostics.length === 3 && e.diagnostics.every((d) => d.file === 'w.yaml' && d.line === 2),
    );
  });
});
