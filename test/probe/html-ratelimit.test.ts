import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runChecks } from '../../src/checks/run.js';
import { buildModel } from '../../src/manifest/model.js';
import { probeForHtml, rateLimitForHtml } from '../../src/probe/html.js';
import { buildTimeline, type RequestRecord } from '../../src/probe/measure.js';
import type { PhaseResult, ProbeEvidence } from '../../src/probe/types.js';
import { rateLimitFigure } from '../../src/report/html-ratelimit.js';
import { renderHtml } from '../../src/report/html.js';
import { Ids } from '../../src/report/html-svg.js';
import { patched } from '../helpers/manifest.js';

const phase = (name: PhaseResult['name'], startSeconds: number, durationSeconds: number, extra: Partial<PhaseResult> = {}): PhaseResult => ({
  name,
  startSeconds,
  targetRps: 20,
  durationSeconds,
  sent: 0,
  responses: 0,
  achievedRps: 20,
  statuses: {},
  errors: 0,
  errorRate: 0,
  count429: 0,
  first429AtSeconds: null,
  maxDispatchLagMs: 0,
  p50: null,
  p90: null,
  p99: null,
  max: null,
  ...extra,
});

const evidence = (timeline: ProbeEvidence['timeline'], phases: PhaseResult[], extra: Partial<ProbeEvidence> = {}): ProbeEvidence => ({
  target: 'http://127.0.0.1:1/v1/chat/completions',
  peakRpm: 1200,
  targetRps: 20,
  achievedRps: 20,
  minAchievedFraction: 0.98,
  inconclusive: false,
  interrupted: false,
  compression: 1,
  phases,
  coldP99Ms: null,
  steadyP99Ms: null,
  untagged: null,
  timeline,
  chain: ['openai-main', 'anthropic-backup'],
  ...extra,
});

/**
 * Steady 0-4 s, burst 4-6 s: the primary's remaining requests fall 9, 7, 5, 3, 1, 0 (429s from 4.5 s), the backup
 * serves from 5.2 s with 99 and 98 left; tokens only on the primary.
 */
function burstRecords(): RequestRecord[] {
  const recs: RequestRecord[] = [];
  const primary = [9, 7, 5, 3, 1, 0];
  primary.forEach((left, s) => recs.push({ phase: s < 4 ? 'steady' : 'burst', intended: s * 1000, dispatched: s * 1000, done: s * 1000 + 300, status: 200, servedBy: 'openai-main', remainingRequests: left, remainingTokens: 1000 - s * 150 }));
  recs.push({ phase: 'burst', intended: 5200, dispatched: 5200, done: 5400, status: 200, servedBy: 'anthropic-backup', remainingRequests: 99 });
  recs.push({ phase: 'burst', intended: 5300, dispatched: 5300, done: 5500, status: 200, servedBy: 'anthropic-backup', remainingRequests: 98 });
  return recs;
}

function burstEvidence(): ProbeEvidence {
  return evidence(
    buildTimeline(burstRecords(), 'openai-main'),
    [phase('steady', 0, 4), phase('burst', 4, 2, { first429AtSeconds: 0.5, gateway429OnsetSeconds: 0.5, failoverStartSeconds: 1.2 })],
    {
      granted: [
        { provider: 'openai-main', vendor: 'openai', style: 'openai', limitRequests: 10, limitTokens: 1000, responses: 6 },
        { provider: 'anthropic-backup', vendor: 'anthropic', style: 'anthropic', limitRequests: 100, responses: 2 },
      ],
    },
  );
}

function page(ev: ProbeEvidence): string {
  const model = buildModel(patched({}).manifest);
  return renderHtml(runChecks(patched({}), undefined, model), model, { probe: probeForHtml(ev) });
}

test('the timeline keeps the remaining budget per serving provider, the primary when no gateway header named one', () => {
  const tl = buildTimeline(
    [
      ...burstRecords(),
      { phase: 'steady', intended: 100, dispatched: 100, done: 200, status: 200, remainingRequests: 8 },
    ],
    'openai-main',
  );
  assert.deepEqual(tl[0].remainingBy, { 'openai-main': { requests: 8, tokens: 1000 } });
  assert.deepEqual(tl[5].remainingBy, { 'anthropic-backup': { requests: 98 }, 'openai-main': { requests: 0, tokens: 250 } });
  // the overall figure stays the lowest of all
  assert.equal(tl[5].remainingRequests, 0);
});

test('a probe result with rate-limit headers: the page charts the remaining budget per provider, marks the burst, the 429 onset and the failover start, and tables the figures', () => {
  const ev = burstEvidence();
  const rl = rateLimitForHtml(ev)!;
  assert.deepEqual(
    rl.providers.map((s) => [s.provider, s.limitRequests, s.limitTokens, s.points.length]),
    [
      ['openai-main', 10, 1000, 6],
      ['anthropic-backup', 100, undefined, 1],
    ],
  );
  assert.deepEqual(rl.burst, { startSecond: 4, endSecond: 6 });
  assert.equal(rl.first429Second, 4.5);
  assert.equal(rl.failoverStartSecond, 5.2);
  const html = page(ev);
  const start = html.indexOf('<h3 id="probe-ratelimit">');
  assert.ok(start > html.indexOf('<section id="probe"'), 'inside the probe section');
  assert.ok(start < html.indexOf('</section>', html.indexOf('<section id="probe"')));
  const part = html.slice(start, html.indexOf('</details>', start));
  // two charts (requests, tokens), each an image with a title and a description naming the lows and the marks
  assert.equal(part.match(/<svg class="chart" role="img"/g)?.length, 2);
  assert.match(part, /<title id="[^"]+">Remaining rate-limit budget \(requests\) during the probe<\/title>/);
  assert.match(part, /openai-main down to 0 at second 5 of 10; anthropic-backup down to 98 at second 5 of 100\. Marked: burst from second 4 to 6, first 429 at second 4\.5, failover from second 5\.2\./);
  assert.match(part, /openai-main down to 250 at second 5 of 1,000\./);
  // patterns besides colour: each provider its own line style, named in the legend; the marks are labelled in the chart
  assert.match(part, /class="line started"><title>openai-main: remaining requests/);
  assert.match(part, /class="line ok"><title>anthropic-backup: remaining requests/);
  assert.match(part, /openai-main \(solid\)/);
  assert.match(part, /anthropic-backup \(dashed\)/);
  assert.match(part, /first 429, s 4\.5/);
  assert.match(part, /failover, s 5\.2/);
  assert.match(part, />burst</);
  // the data table: one row per second, every provider's figures, the marks in words
  const table = html.slice(html.indexOf('<table class="data"><caption>Lowest remaining rate-limit budget', start), html.indexOf('</table>', start));
  assert.match(table, /<th scope="col">openai-main: remaining requests<\/th><th scope="col">openai-main: remaining tokens<\/th><th scope="col">anthropic-backup: remaining requests<\/th><th scope="col">anthropic-backup: remaining tokens<\/th><th scope="col">Marks<\/th>/);
  assert.match(table, /<tr><th scope="row">4<\/th><td>1<\/td><td>400<\/td><td>–<\/td><td>–<\/td><td>burst, first 429<\/td><\/tr>/);
  assert.match(table, /<tr><th scope="row">5<\/th><td>0<\/td><td>250<\/td><td>98<\/td><td>–<\/td><td>burst, failover start<\/td><\/tr>/);
  assert.equal(table.match(/<tr><th scope="row">/g)?.length, 6);
  assert.doesNotMatch(part, /NaN|Infinity|undefined/);
  // deterministic
  assert.equal(page(burstEvidence()), html);
});

test('without remaining data: no chart, no heading, no empty table', () => {
  const ev = burstEvidence();
  const bare = evidence(
    ev.timeline.map(({ remainingBy: _b, remainingRequests: _r, remainingTokens: _t, ...s }) => s),
    ev.phases,
  );
  assert.equal(rateLimitForHtml(bare), undefined);
  const html = page(bare);
  assert.doesNotMatch(html, /probe-ratelimit|Remaining rate-limit budget|remaining requests/);
  assert.match(html, /<section id="probe"/);
  assert.equal(rateLimitFigure(undefined, new Ids()), '');
  assert.equal(rateLimitFigure({ providers: [{ provider: 'p', points: [{ second: 0 }] }] }, new Ids()), '');
});

test('a 200,000-second timeline (beyond the ~120,000 arguments a spread can pass on Node 20): built, adapted and charted without Math.max/min over a spread', () => {
  const N = 200_000;
  const recs: RequestRecord[] = [];
  for (let s = 0; s < N; s++) recs.push({ phase: 'steady', intended: s * 1000, dispatched: s * 1000, done: s * 1000 + 10, status: 200, remainingRequests: (s * 7919) % 1000, remainingTokens: 50_000 - (s % 50_000) });
  const tl = buildTimeline(recs, 'openai-main');
  assert.equal(tl.length, N);
  const rl = rateLimitForHtml(evidence(tl, [phase('steady', 0, N)]))!;
  assert.equal(rl.providers[0].points.length, N);
  const html = rateLimitFigure(rl, new Ids());
  // the lines are drawn with at most one point per column (each column's lowest), the table has every second
  const paths = [...html.matchAll(/<path d="([^"]*)" class="line/g)].map((m) => m[1].split(/[ML]/).length - 1);
  assert.equal(paths.length, 2);
  for (const p of paths) assert.ok(p > 100 && p <= 1501, `points drawn: ${p}`);
  assert.equal(html.match(/<tr><th scope="row">/g)?.length, N);
  assert.match(html, /openai-main down to 0 at second 0\./);
});
