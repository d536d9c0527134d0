import assert from 'node:assert/strict';
import { test } from 'node:test';
import { costAttribution, untaggedFindings } from '../../src/checks/cost-attribution.js';
import { probeFindings, rateLimitSizing } from '../../src/checks/rate-limit-sizing.js';
import { runChecks } from '../../src/checks/run.js';
import { buildModel } from '../../src/manifest/model.js';
import type { PhaseResult, ProbeEvidence } from '../../src/probe/types.js';
import { patched } from '../helpers/manifest.js';

// compliant: peak 1000 rpm, slo.steadyP99Ms 8000, slo.maxErrorRate 0.01, onMissing reject
const loaded = patched({});
const model = buildModel(loaded.manifest);

function phase(name: PhaseResult['name'], o: Partial<PhaseResult> = {}): PhaseResult {
  return {
    name,
    targetRps: 1000 / 60,
    durationSeconds: 30,
    sent: 500,
    responses: 500,
    achievedRps: 1000 / 60,
    statuses: { '200': 500 },
    errors: 0,
    errorRate: 0,
    count429: 0,
    first429AtSeconds: null,
    maxDispatchLagMs: 1,
    p50: 900,
    p90: 1500,
    p99: 2000,
    max: 2100,
    ...o,
  };
}

function evidence(o: { steady?: Partial<PhaseResult>; cold?: Partial<PhaseResult>; burst?: Partial<PhaseResult>; ev?: Partial<ProbeEvidence> } = {}): ProbeEvidence {
  const steady = phase('steady', o.steady);
  return {
    target: 'http://127.0.0.1:4000/v1/chat/completions',
    peakRpm: 1000,
    targetRps: 1000 / 60,
    achievedRps: steady.achievedRps,
    minAchievedFraction: 0.98,
    inconclusive: false,
    interrupted: false,
    compression: 1,
    phases: [phase('cold', { sent: 10, responses: 10, p99: 3000, ...o.cold }), steady, phase('burst', { targetRps: 20, ...o.burst })],
    coldP99Ms: 3000,
    steadyP99Ms: steady.p99,
    untagged: { status: 400 },
    timeline: [],
    ...o.ev,
  };
}

const byPath = (fs: ReturnType<typeof probeFindings>, p: string) => fs.filter((f) => f.path.join('.') === p);

test('a clean probe at peak passes every probe finding, each with its measurement beside its limit', () => {
  const fs = probeFindings(model, evidence());
  assert.ok(fs.every((f) => f.status === 'pass'), JSON.stringify(fs, null, 1));
  assert.match(byPath(fs, 'traffic.peakRpm')[0].message, /0 of 500 responses .* were 429 \(limit: 0\)/);
  assert.match(byPath(fs, 'slo.maxErrorRate')[0].message, /error rate 0% .*limit slo.maxErrorRate 1%/);
  assert.match(byPath(fs, 'slo.steadyP99Ms')[0].message, /steady p99 2,000 ms .*limit slo.steadyP99Ms 8,000 ms/);
  assert.match(byPath(fs, 'probe')[0].message, /first-request p99 3,000 ms on 10 fresh connections \(limit 2 x steady p99 = 4,000 ms\)/);
});

test('any 429 at the stated peak fails rate-limit-sizing with the count and when they began', () => {
  const fs = probeFindings(model, evidence({ steady: { count429: 1, statuses: { '200': 499, '429': 1 }, first429AtSeconds: 12.5, errorRate: 0.002 } }));
  const f = byPath(fs, 'traffic.peakRpm')[0];
  assert.equal(f.status, 'fail');
  assert.match(f.message, /1 of 500 responses at the stated peak of 16\.667 req\/s \(1000 rpm\) were 429 \(limit: 0 at or below the peak\), the first 12\.5 s into the steady phase/);
  assert.equal(f.evidence?.count429, 1);
  assert.equal(f.evidence?.first429AtSeconds, 12.5);
  // through the whole check: the static finding passes, the probe fails it
  const result = rateLimitSizing.run({ model, evidence: [], probe: evidence({ steady: { count429: 1, first429AtSeconds: 1 } }) });
  assert.ok(result.some((x) => x.status === 'fail'));
  assert.ok(rateLimitSizing.run({ model, evidence: [] }).every((x) => x.status === 'pass'));
});

test('429s only in the burst above the peak warn, not fail', () => {
  const fs = probeFindings(model, evidence({ burst: { count429: 5, first429AtSeconds: 0.4 } }));
  const f = byPath(fs, 'probe.burstFactor')[0];
  assert.equal(f.status, 'warn');
  assert.match(f.message, /at 20 req\/s \(x1\.2\), 5 of 500 responses were 429, the first 0\.4 s into the burst/);
});

test('error rate: at slo.maxErrorRate passes, above fails', () => {
  assert.equal(byPath(probeFindings(model, evidence({ steady: { errorRate: 0.01 } })), 'slo.maxErrorRate')[0].status, 'pass');
  const f = byPath(probeFindings(model, evidence({ steady: { errorRate: 0.012, errors: 6, responses: 494 } })), 'slo.maxErrorRate')[0];
  assert.equal(f.status, 'fail');
  assert.match(f.message, /error rate 1\.2% at the stated peak \(6 of 500 requests non-2xx or failed; limit slo.maxErrorRate 1%\)/);
  // without an SLO the default of 1% applies and says so
  const noSlo = buildModel(patched({ unset: ['slo'] }).manifest);
  const d = probeFindings(noSlo, evidence({ steady: { errorRate: 0.02 } })).find((x) => /error rate/.test(x.message));
  assert.equal(d?.status, 'fail');
  assert.match(d?.message ?? '', /limit slo.maxErrorRate 1% \(default\)/);
});

test('steady p99: at slo.steadyP99Ms passes, above warns', () => {
  assert.equal(byPath(probeFindings(model, evidence({ steady: { p99: 8000 } })), 'slo.steadyP99Ms')[0].status, 'pass');
  const f = byPath(probeFindings(model, evidence({ steady: { p99: 8001 } })), 'slo.steadyP99Ms')[0];
  assert.equal(f.status, 'warn');
  assert.match(f.message, /steady p99 8,001 ms at the stated peak \(limit slo.steadyP99Ms 8,000 ms\)/);
});

test('first-request p99: at 2x the steady p99 passes, above warns', () => {
  assert.equal(byPath(probeFindings(model, evidence({ cold: { p99: 4000 } })), 'probe')[0].status, 'pass');
  assert.equal(byPath(probeFindings(model, evidence({ cold: { p99: 4001 } })), 'probe')[0].status, 'warn');
});

test('an inconclusive probe says so with achieved beside the 98% minimum', () => {
  const fs = probeFindings(model, evidence({ ev: { inconclusive: true, achievedRps: 16 } }));
  const f = fs.find((x) => /inconclusive/.test(x.message));
  assert.equal(f?.status, 'warn');
  assert.match(f?.message ?? '', /achieved 16 req\/s of the 16\.667 req\/s \(1000 rpm\) target, 96% \(minimum 98%\)/);
});

test('untagged request: 2xx fails cost-attribution when onMissing is reject; 4xx passes; 429, 5xx or no answer cannot tell', () => {
  const f = untaggedFindings(model, { status: 200 });
  assert.equal(f[0].status, 'fail');
  assert.match(f[0].message, /without x-operator-id, x-team-id, x-use-case-id got 200 .*expected: refused with 4xx/);
  assert.equal(untaggedFindings(model, { status: 400 })[0].status, 'pass');
  assert.equal(untaggedFindings(model, { status: 403 })[0].status, 'pass');
  assert.equal(untaggedFindings(model, { status: 429 })[0].status, 'warn');
  assert.equal(untaggedFindings(model, { status: 503 })[0].status, 'warn');
  assert.equal(untaggedFindings(model, { status: null, error: 'ECONNREFUSED' })[0].status, 'warn');
  const labelled = buildModel(patched({ set: { 'gateway.attribution.onMissing': 'label-unattributed' } }).manifest);
  assert.deepEqual(untaggedFindings(labelled, { status: 200 }), []);
  const fs = costAttribution.run({ model, evidence: [], probe: evidence({ ev: { untagged: { status: 201 } } }) });
  assert.deepEqual(fs.map((x) => x.status), ['pass', 'fail']);
});

test('runChecks folds the probe into the report; without a probe the report is unchanged', () => {
  const without = runChecks(loaded);
  const withClean = runChecks(loaded, undefined, undefined, evidence());
  assert.deepEqual(withClean.summary, without.summary);
  const bad = runChecks(loaded, undefined, undefined, evidence({ steady: { count429: 3, first429AtSeconds: 2 }, ev: { untagged: { status: 200 } } }));
  assert.equal(bad.checks.find((c) => c.id === 'rate-limit-sizing')?.status, 'fail');
  assert.equal(bad.checks.find((c) => c.id === 'cost-attribution')?.status, 'fail');
  const f = bad.checks.find((c) => c.id === 'rate-limit-sizing')?.findings.find((x) => x.path === 'traffic.peakRpm' && x.status === 'fail');
  assert.ok(f && f.line > 0);
});
