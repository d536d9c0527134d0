// budget-ceilings beyond its fixtures: the account's month, the spill-over model behind it, fixes
// computed together, and the HTML page telling the same story as the check.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { budgetCeilings, projectAccount } from '../src/checks/budget-ceilings.js';
import { findCheck } from '../src/checks/catalogue.js';
import { runChecks } from '../src/checks/run.js';
import { dailyShape, spillOver, windowMinutes } from '../src/checks/spend.js';
import { buildModel } from '../src/manifest/model.js';
import { renderHtml } from '../src/report/html.js';
import { type Patch, patched } from './helpers/manifest.js';

const ACCOUNT_OVER: Patch = {
  set: {
    'tenants[0].dailyRequests': 6000,
    'tenants[0].budget.monthlyUsd': 2200,
    'tenants[1].dailyRequests': 9000,
    'tenants[1].budget.monthlyUsd': 3300,
    'budgets.accountMonthlyUsd': 3000,
    'budgets.onExceeded': 'throttle',
  },
};
const SPILL: Patch = { set: { 'traffic.peakRpm': 2500, 'traffic.averageRpm': 600, 'tenants[1].budget.monthlyUsd': 5500 } };

function budgetFindings(p: Patch) {
  const loaded = patched(p);
  const check = findCheck('budget-ceilings');
  assert.ok(check);
  return runChecks(loaded, [check]).checks[0];
}

function text(html: string): string {
  return html.replace(/<[^>]+>/g, ' ').replace(/&amp;/g, '&').replace(/\s+/g, ' ');
}

describe('budget-ceilings: the account ceiling', () => {
  test('projected account spend above a throttling ceiling fails with the total, the ceiling and the day', () => {
    const r = budgetFindings(ACCOUNT_OVER);
    assert.equal(r.status, 'fail');
    const f = r.findings.find((x) => x.path === 'budgets.accountMonthlyUsd' && x.status === 'fail');
    assert.ok(f, r.findings.map((x) => x.message).join('\n'));
    assert.equal(f.evidence?.projectedAccountMonthlyUsd, 3825);
    assert.equal(f.evidence?.accountMonthlyUsd, 3000);
    assert.equal(f.evidence?.ceilingDay, 24);
    assert.equal(r.headline, f.message, 'the account overrun decides the check');
  });
  test('the HTML page says the same: over the account ceiling on day 24, not "OVER budget"', () => {
    const loaded = patched(ACCOUNT_OVER);
    const model = buildModel(loaded.manifest);
    const page = text(renderHtml(runChecks(loaded, undefined, model), model));
    assert.match(page, /OVER the account ceiling: reached on day 24/);
    assert.match(page, /projected account spend \$3,825 is OVER it, reached on day 24 , when the gateway will throttle every team/);
    assert.doesNotMatch(page, /all tenants[^.]*OVER budget/);
  });
  test('a ceiling the projection fits in gives no account finding', () => {
    const r = budgetFindings({ set: { 'budgets.accountMonthlyUsd': 14000 } });
    assert.equal(r.status, 'pass');
    assert.equal(projectAccount(buildModel(patched({}).manifest)).projectedMonthlyUsd, 8925);
  });
});

describe('budget-ceilings: spill-over at the failover provider\'s rates', () => {
  test('the daily shape: the peak flat for the window, the rest of the day spread evenly', () => {
    assert.equal(windowMinutes('17:00-19:00'), 120);
    assert.equal(windowMinutes('23:00-01:30'), 150);
    assert.equal(windowMinutes('nonsense'), undefined);
    const shape = dailyShape(buildModel(patched(SPILL).manifest));
    assert.ok(shape);
    assert.deepEqual({ ...shape, offPeakRpm: Math.round(shape.offPeakRpm) }, {
      peakRpm: 2500,
      windowMinutes: 120,
      windowSource: 'peakWindow',
      dailyRequests: 864000,
      dailySource: 'averageRpm',
      offPeakRpm: Math.round((864000 - 2500 * 120) / 1320),
    });
  });
  test('anthropic-backup carries 682 rpm of the peak at its own price; the evidence states the model', () => {
    const spill = spillOver(buildModel(patched(SPILL).manifest));
    assert.ok(spill);
    assert.equal(spill.targets[0].provider, 'anthropic-backup');
    assert.ok(Math.abs(spill.targets[0].peakRpm - (2500 - 4000000 / 2200)) < 1e-6);
    assert.ok(Math.abs(spill.extraCostPerRequestUsd - spill.shareOfDay * (0.0114 - 0.0085)) < 1e-12);
    const f = budgetFindings(SPILL).findings.find((x) => x.status === 'warn');
    assert.ok(f);
    assert.equal(f.evidence?.peakWindowMinutes, 120);
    assert.equal(f.evidence?.dailyRequests, 864000);
    assert.deepEqual(f.evidence?.spillTargets, ['anthropic-backup']);
    assert.equal(f.evidence?.spillShareOfDay, 0.0947);
  });
  test('no spill when the primary holds the peak, or when failover does not take 429s', () => {
    assert.equal(spillOver(buildModel(patched({}).manifest)), undefined);
    assert.equal(spillOver(buildModel(patched({ ...SPILL, set: { ...SPILL.set, 'routing.failover.onStatus': [500, 503] } }).manifest)), undefined);
  });
  test('the rationale (docs/checks.md) states the daily-shape model', () => {
    assert.match(budgetCeilings.rationale, /peak runs flat for the whole peak window \(traffic\.peakWindow, else two hours\)/);
  });
});

describe('budget-ceilings: fixes computed together', () => {
  // research projected at $6,000 a month (20,000 x $0.01 x 30) against $7,000, alert at 0.8
  const P: Patch = { set: { 'budgets.alertAtFraction': 0.8, 'tenants[0].costPerRequestUsd': 0.01, 'tenants[0].budget.monthlyUsd': 7000, 'budgets.accountMonthlyUsd': 20000 } };
  test('a budget raise is computed at the 0.7 the alert-fraction fix asks for ($8,572, not $7,500)', () => {
    const fixes = budgetFindings(P).findings.map((f) => f.remediation ?? '').join('\n');
    assert.match(fixes, /Set budgets\.alertAtFraction to 0\.7 or lower/);
    assert.match(fixes, /Raise tenants\[0\]\.budget\.monthlyUsd to at least \$8,572 \(at budgets\.alertAtFraction 0\.7, the fix above\)/);
    assert.doesNotMatch(fixes, /\$7,500/);
  });
  test('the alert-fraction fix names the tenants that 0.7 brings to their alert, with the budget they then need', () => {
    // at $8,000 research is at 75%: under the 80% alert, over a 70% one
    const fixes = budgetFindings({ set: { ...P.set, 'tenants[0].budget.monthlyUsd': 8000 } }).findings.map((f) => f.remediation ?? '').join('\n');
    assert.match(fixes, /Set budgets\.alertAtFraction to 0\.7 or lower; at 0\.7 tenant research reaches its alert in an ordinary month: raise tenants\[0\]\.budget\.monthlyUsd to at least \$8,572/);
  });
  test('the account ceiling fix covers the tenant budgets the other fixes ask for', () => {
    const r = budgetFindings({ set: { ...ACCOUNT_OVER.set, 'tenants[0].budget.monthlyUsd': 1600 } });
    const acct = r.findings.find((f) => f.path === 'budgets.accountMonthlyUsd' && f.status === 'fail');
    // research needs ceil(1530 / 0.7) = 2186; operations keeps 3300: 5486 together
    assert.match(acct?.remediation ?? '', /at least \$5,486 \(the tenant budgets the fixes below ask for, added up\)/);
    assert.ok(r.findings.some((f) => (f.remediation ?? '').includes('at least $2,186')));
  });
});
