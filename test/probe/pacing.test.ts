import assert from 'node:assert/strict';
import { test } from 'node:test';
import { maxInSlidingWindow } from '../../src/probe/measure.js';
import { dueNow, type Pacing } from '../../src/probe/run.js';

/** Steps a virtual clock in `tick` ms, freezing it during [stallAt, stallAt + stallMs), and returns fire times. */
function simulate(p: Pacing, tick: number, stallAt = Infinity, stallMs = 0): number[] {
  const state = { next: 0, allowed: p.start };
  const fired: number[] = [];
  for (let now = p.start; state.next < p.count; now += tick) {
    if (now >= stallAt && now < stallAt + stallMs) continue;
    for (const _ of dueNow(state, now, p)) fired.push(now);
    if (now > p.start + 1e6) throw new Error('never finished');
  }
  return fired;
}

test('on time, every arrival goes at its intended time', () => {
  const p = { rate: 100, count: 300, start: 0 };
  const fired = simulate(p, 0.5);
  assert.equal(fired.length, 300);
  fired.forEach((t, i) => assert.ok(Math.abs(t - i * 10) <= 0.5, `arrival ${i} at ${t}`));
});

for (const rate of [20, 40, 100, 500]) {
  test(`after a 300 ms stall at ${rate} req/s no 100 ms window holds more than 1.5 x R/10, and the schedule is caught up`, () => {
    const p = { rate, count: rate * 5, start: 0 };
    // timer ticks of 1 ms (late wake-ups of up to a tick are jitter), a stall from 1 s to 1.3 s
    const fired = simulate(p, 1, 1000, 300);
    assert.equal(fired.length, p.count);
    assert.ok(maxInSlidingWindow(fired, 100) <= 1.5 * (rate / 10), `largest window ${maxInSlidingWindow(fired, 100)}`);
    // caught up well before the end: the last arrival is on time
    assert.ok(fired[fired.length - 1] - (p.count - 1) * (1000 / rate) <= 1);
  });
}

test('a late wake-up within the jitter allowance sends what is due at once', () => {
  const p = { rate: 1000, count: 20, start: 0 };
  const state = { next: 0, allowed: 0 };
  assert.deepEqual(dueNow(state, 5, p), [0, 1, 2, 3, 4, 5]);
  // 20 ms since the last wake-up is timer lateness: everything due goes
  assert.equal(dueNow({ next: 0, allowed: 0 }, 20, p).length, 20);
  // 60 ms without a wake-up is a stall: one now, the rest on the catch-up chain
  const s2 = { next: 0, allowed: 0 };
  assert.deepEqual(dueNow(s2, 60, p), [0]);
  // and timers that are always late (a wake-up every 15 ms) do not slow the schedule down
  const s3 = { next: 0, allowed: 0, lastWake: 0 };
  const late = { rate: 500, count: 500, start: 0 };
  let sent = 0;
  for (let now = 15; now <= 1000; now += 15) sent += dueNow(s3, now, late).length;
  assert.ok(sent >= 490, `sent ${sent} of 500 in 1 s`);
});
