import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildModel } from '../../src/manifest/model.js';
import { attributionSequence, buildPlan, chatUrl, expectedCostPerRequest, guard } from '../../src/probe/plan.js';
import { maxInSlidingWindow, percentile, windowCounts } from '../../src/probe/measure.js';
import { isLoopbackHost } from '../../src/util/net.js';
import { UsageError } from '../../src/util/errors.js';
import { patched } from '../helpers/manifest.js';

const model = (set: Record<string, unknown> = {}, unset: string[] = []) => buildModel(patched({ set, unset }).manifest);

test('loopback is 127.0.0.0/8, ::1, IPv4-mapped loopback and (to bind) localhost; nothing else, and never *.localhost by its name', () => {
  for (const h of ['127.0.0.1', '127.1.2.3', '::1', '[::1]', 'localhost', '::ffff:127.0.0.1', '::ffff:7f00:1', '[::ffff:7f00:1]', '0:0:0:0:0:ffff:7f00:1', '0:0:0:0:0:0:0:1']) assert.ok(isLoopbackHost(h), h);
  for (const h of ['192.0.2.1', '0.0.0.0', '10.0.0.1', 'example.com', '::', '128.0.0.1', 'localhost.example.com', 'api.localhost', '::ffff:c000:201', '::ffff:192.0.2.1', '::2']) assert.equal(isLoopbackHost(h), false, h);
  // URLs serialise a mapped address in hex: the guard must see it as loopback
  assert.equal(new URL('http://[::ffff:127.0.0.1]:8080/').hostname, '[::ffff:7f00:1]');
  assert.ok(isLoopbackHost(new URL('http://[::ffff:127.0.0.1]:8080/').hostname));
});

test('chatUrl completes a /v1 base or a bare origin, and keeps a full path', () => {
  assert.equal(chatUrl('http://127.0.0.1:4000/v1'), 'http://127.0.0.1:4000/v1/chat/completions');
  assert.equal(chatUrl('http://127.0.0.1:4000/v1/'), 'http://127.0.0.1:4000/v1/chat/completions');
  assert.equal(chatUrl('http://127.0.0.1:4000'), 'http://127.0.0.1:4000/v1/chat/completions');
  assert.equal(chatUrl('http://127.0.0.1:4000/v1/chat/completions'), 'http://127.0.0.1:4000/v1/chat/completions');
});

test('plan: steady at peakRpm / 60 for durationSeconds, burst at peak x burstFactor, cold on N connections, one untagged', () => {
  const p = buildPlan(model()); // compliant: peak 1000 rpm, 30 s, burst 1.2
  assert.deepEqual(
    p.phases.map((x) => [x.name, x.rate, x.durationSeconds, x.requests]),
    [
      ['cold', 10, 0, 10],
      ['steady', 1000 / 60, 30, 500],
      ['burst', 20, 6, 120],
    ],
  );
  assert.equal(p.totalRequests, 631);
  assert.equal(p.untagged, true);
  assert.equal(p.target, 'http://127.0.0.1:4000/v1/chat/completions');
  assert.equal(p.loopback, true);
  const body = JSON.parse(p.body);
  assert.equal(body.max_tokens, 400);
  assert.equal(body.messages[0].content.length, 1800 * 4);
  const c = buildPlan(model(), { compression: 10, phases: ['steady'] });
  assert.deepEqual(c.phases.map((x) => [x.name, x.durationSeconds, x.requests]), [['steady', 3, 50]]);
  assert.throws(() => buildPlan(model({}, ['traffic.peakRpm'])), UsageError);
  assert.throws(() => buildPlan(model({}, ['probe.target', 'gateway.endpoint'])), UsageError);
  assert.throws(() => buildPlan(model(), { compression: 0.5 }), UsageError);
  assert.equal(buildPlan(model({ 'probe.burstFactor': 1 })).phases.some((x) => x.name === 'burst'), false);
});

test('attribution headers follow the tenants in proportion to dailyRequests (20000 : 15000)', () => {
  const seq = attributionSequence(model(), 700);
  const teams = seq.map((h) => h['x-team-id']);
  assert.equal(teams.filter((t) => t === 'research').length, 400);
  assert.equal(teams.filter((t) => t === 'operations').length, 300);
  assert.ok(seq.every((h) => h['x-operator-id'] === 'acme-bank'));
  const ops = seq.filter((h) => h['x-team-id'] === 'operations').map((h) => h['x-use-case-id']);
  assert.equal(ops.filter((u) => u === 'qa').length, 150);
  // interleaved, not in blocks: no run of one team longer than 2 in the first 100
  let run = 1;
  for (let i = 1; i < 100; i++) {
    run = teams[i] === teams[i - 1] ? run + 1 : 1;
    assert.ok(run <= 2);
  }
  assert.deepEqual(attributionSequence(model({}, ['gateway.attribution.headers'])), []);
});

test('guard: loopback runs; remote refused without --allow-remote, above --max-cost-usd, or with unknown cost; the cap binds', () => {
  const local = buildPlan(model());
  assert.equal(guard(local, {}).ok, true);
  const remote = buildPlan(model(), { target: 'http://192.0.2.1:4000/v1' });
  const refused = guard(remote, {});
  assert.equal(refused.ok, false);
  assert.match(refused.lines.join('\n'), /192\.0\.2\.1 is not a loopback address.*--allow-remote/);
  // 631 requests x (20000 x 0.0085 + 15000 x 0.0085) / 35000 = $5.3635
  assert.equal(expectedCostPerRequest(model()), 0.0085);
  const expensive = guard(remote, { allowRemote: true, maxCostUsd: 5 });
  assert.equal(expensive.ok, false);
  assert.match(expensive.lines.join('\n'), /631 requests x \$0\.0085 = \$5\.36/);
  assert.match(expensive.lines.join('\n'), /above --max-cost-usd \$5\.00/);
  assert.equal(guard(remote, { allowRemote: true, maxCostUsd: 5.4 }).ok, true);
  const unpriced = buildPlan(model({ 'tenants[0].costPerRequestUsd': undefined }, ['providers[0].pricing', 'tenants[0].costPerRequestUsd']), { target: 'http://192.0.2.1/v1' });
  assert.equal(unpriced.costPerRequestUsd, undefined);
  assert.equal(guard(unpriced, { allowRemote: true, maxCostUsd: 1000 }).ok, false);
  const capped = buildPlan(model(), { maxRequests: 630 });
  assert.equal(guard(capped, {}).ok, false);
  assert.equal(guard(buildPlan(model(), { maxRequests: 631 }), {}).ok, true);
});

test('percentiles are nearest-rank; windows count arrivals', () => {
  const xs = Array.from({ length: 100 }, (_, i) => i + 1);
  assert.equal(percentile(xs, 50), 50);
  assert.equal(percentile(xs, 99), 99);
  assert.equal(percentile(xs, 100), 100);
  assert.equal(percentile([], 99), null);
  assert.deepEqual(windowCounts([0, 10, 150, 299]).counts, [2, 1, 1]);
  assert.equal(maxInSlidingWindow([0, 50, 99, 100, 149]), 4);
  assert.equal(maxInSlidingWindow([0, 100, 200]), 1);
});
