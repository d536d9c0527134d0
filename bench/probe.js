#!/usr/bin/env node
// Probe benchmarks (npm run bench; never part of npm test). Needs `npm run build` first and `wrk` on PATH.
// Every server is a `readiness mock-provider` child process on 127.0.0.1; nothing leaves loopback.
//   node bench/probe.js            all sections
//   node bench/probe.js pacing     one section: pacing | ceiling | p99 | cpu
import { spawn, execFileSync } from 'node:child_process';
import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import autocannon from 'autocannon';
import { buildModel } from '../dist/src/manifest/model.js';
import { parseManifest } from '../dist/src/manifest/load.js';
import { buildPlan } from '../dist/src/probe/plan.js';
import { runProbe } from '../dist/src/probe/run.js';
import { maxInSlidingWindow, percentile } from '../dist/src/probe/measure.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BIN = path.join(ROOT, 'bin', 'readiness.js');
const only = process.argv[2];

/** Starts a mock provider child process and warms it (JIT) with 2 s of traffic at 200 req/s before any measurement. */
async function startMock(args) {
  const mock = await spawnMock(args);
  await runProbe(plan(mock.base, 200, 2));
  return mock;
}

function spawnMock(args) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'mock-provider', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d) => {
      out += d;
      const m = /^(http:\/\/127\.0\.0\.1:\d+)\/v1$/m.exec(out);
      if (m) resolve({ base: m[1], stop: () => new Promise((r) => (child.once('exit', r), child.kill('SIGINT'))) });
    });
    child.once('exit', (c) => reject(new Error(`mock exited ${c}`)));
  });
}

const stats = async (base) => (await fetch(`${base}/stats`)).json();

const manifestText = `apiVersion: readiness/v1
kind: AgentDeployment
metadata: {name: bench, operator: bench}
traffic: {peakRpm: 60, tokensPerRequest: {input: 100, output: 50}}
providers: [{id: mock, vendor: openai, model: mock-model}]
`;
function plan(base, rate, seconds) {
  const m = parseManifest(manifestText, 'bench.yaml').manifest;
  m.traffic.peakRpm = rate * 60;
  return buildPlan(buildModel(m), { target: `${base}/v1`, durationSeconds: seconds, phases: ['steady'], untagged: false, maxRequests: 1e6 });
}

/** The arrivals the mock saw since `before`, judged against the target rate. */
function judge(arrivals, rate) {
  const n = arrivals.length;
  const span = (arrivals[n - 1] - arrivals[0]) / 1000;
  const achieved = (n - 1) / span;
  const largest = maxInSlidingWindow(arrivals, 100);
  return { n, achieved, ratio: achieved / rate, largest, relMean: largest / (rate / 10) };
}

const f = (x, d = 2) => (typeof x === 'number' ? x.toFixed(d) : String(x));

async function pacing() {
  const mock = await startMock(['--latency-ms', '20', '--jitter-ms', '10']);
  const rows = [];
  try {
    for (const rate of [20, 100, 500]) {
      const seconds = 5;
      let before = (await stats(mock.base)).total;
      const ev = await runProbe(plan(mock.base, rate, seconds));
      let s = await stats(mock.base);
      const probeJ = judge(s.arrivals.slice(before), rate);
      rows.push({ tool: 'readiness probe', rate, ...probeJ, reported: ev.achievedRps / rate, p99: ev.steadyP99Ms });
      before = s.total;
      await autocannon({
        url: `${mock.base}/v1/chat/completions`,
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'x'.repeat(400) }], max_tokens: 50 }),
        connections: 10,
        overallRate: rate,
        duration: seconds,
        ignoreCoordinatedOmission: true,
      });
      s = await stats(mock.base);
      rows.push({ tool: 'autocannon 8 overallRate', rate, ...judge(s.arrivals.slice(before), rate) });
    }
  } finally {
    await mock.stop();
  }
  console.log('\n### Pacing (5 s per rate; measured on the mock\'s own arrival timestamps)\n');
  console.log('| tool | target req/s | arrivals | achieved/target | largest 100 ms window | ÷ mean (R/10) | requirement |');
  console.log('|---|---|---|---|---|---|---|');
  for (const r of rows) {
    console.log(`| ${r.tool} | ${r.rate} | ${r.n} | ${f(r.ratio, 3)} | ${r.largest} | ${f(r.relMean)} | ${r.relMean <= 1.5 && r.ratio >= 0.98 ? 'met' : 'NOT met'} |`);
  }
}

function wrkRun(base, connections, seconds) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'readiness-wrk-'));
  const lua = path.join(dir, 'post.lua');
  writeFileSync(
    lua,
    `wrk.method = "POST"\nwrk.headers["Content-Type"] = "application/json"\nwrk.body = '${JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'x'.repeat(400) }], max_tokens: 50 })}'\n`,
  );
  try {
    const out = execFileSync('wrk', ['-t2', `-c${connections}`, `-d${seconds}s`, '--latency', '-s', lua, `${base}/v1/chat/completions`], { encoding: 'utf8' });
    const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1]);
    const p99m = /\s99%\s+([\d.]+)(us|ms|s)/.exec(out);
    const p99 = p99m ? Number(p99m[1]) * (p99m[2] === 'us' ? 0.001 : p99m[2] === 's' ? 1000 : 1) : NaN;
    return { rps, p99 };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function ceiling() {
  const mock = await startMock([]);
  const rows = [];
  try {
    let best = 0;
    for (const rate of [500, 1000, 2000, 4000, 6000, 8000, 12000, 16000]) {
      // the best of two 3 s attempts: on a shared machine one attempt can lose a CPU for a while
      let met = false;
      for (let attempt = 0; attempt < 2 && !met; attempt++) {
        const before = (await stats(mock.base)).total;
        const ev = await runProbe(plan(mock.base, rate, 3));
        const s = await stats(mock.base);
        const j = judge(s.arrivals.slice(before), rate);
        met = j.ratio >= 0.98 && j.relMean <= 1.5;
        rows.push(`| readiness probe (open model) | ${rate} | ${f(j.achieved, 0)} | ${f(j.ratio, 3)} | ${f(ev.achievedRps / rate, 3)} | ${f(j.relMean)} | ${ev.inconclusive ? 'inconclusive' : 'conclusive'}; ${met ? 'met' : 'NOT met'} |`);
      }
      if (met) best = rate;
      else break;
    }
    const w = wrkRun(mock.base, 10, 5);
    const ac = await autocannon({
      url: `${mock.base}/v1/chat/completions`,
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'x'.repeat(400) }], max_tokens: 50 }),
      connections: 10,
      duration: 5,
    });
    console.log('\n### Ceiling against the mock (no latency)\n');
    console.log('| tool | target req/s | achieved req/s (mock) | achieved/target (mock) | achieved/target (probe) | largest 100 ms ÷ mean | probe verdict; requirement |');
    console.log('|---|---|---|---|---|---|---|');
    for (const r of rows) console.log(r);
    console.log(`| wrk -t2 -c10 (closed loop, as fast as it can) | - | ${f(w.rps, 0)} | - | - | - | - |`);
    console.log(`| autocannon -c10 (closed loop, as fast as it can) | - | ${f(ac.requests.average, 0)} | - | - | - | - |`);
    console.log(`\nProbe ceiling (highest rate tried that met 98% and 1.5x): ${best} req/s.`);
  } finally {
    await mock.stop();
  }
}

async function p99() {
  const mock = await startMock(['--latency-ms', '20', '--jitter-ms', '10', '--seed', '7']);
  try {
    // wrk is closed-loop: with 4 connections and ~25 ms per request it settles near 150 req/s; probe at that rate
    const w = wrkRun(mock.base, 4, 10);
    const rate = Math.floor(w.rps);
    const ev = await runProbe(plan(mock.base, rate, 10));
    console.log('\n### p99 at a rate both hold (mock latency 20 ms + uniform 0-10 ms)\n');
    console.log('| tool | rate req/s | p99 ms | p50 ms |');
    console.log('|---|---|---|---|');
    console.log(`| wrk -t2 -c4 --latency (closed loop) | ${f(w.rps, 0)} | ${f(w.p99, 1)} | - |`);
    console.log(`| readiness probe (open model, from intended start) | ${f(ev.achievedRps, 0)} of ${rate} | ${f(ev.steadyP99Ms, 1)} | ${f(ev.phases[0].p50, 1)} |`);
  } finally {
    await mock.stop();
  }
}

/** CPU the probe's own process spends per second of wall time at `rate`, from process.cpuUsage() (user + system). */
async function cpuShare(fn) {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const result = await fn();
  const c = process.cpuUsage(c0);
  return { share: (c.user + c.system) / 1000 / (performance.now() - t0), result };
}

async function cpuSection() {
  // the mock is a child process: the figure is the probe's (or autocannon's) own process only
  const mock = await startMock([]);
  const rows = [];
  try {
    for (const rate of [500, 1000]) {
      const seconds = 10;
      const p = await cpuShare(() => runProbe(plan(mock.base, rate, seconds)));
      const steady = p.result.phases.find((x) => x.name === 'steady');
      rows.push(`| readiness probe | ${rate} | ${f(p.share * 100, 1)}% | ${f(p.result.achievedRps / rate, 3)} | ${f(steady.dispatchLagMs.p50, 1)} / ${f(steady.dispatchLagMs.p99, 1)} ms |`);
      const a = await cpuShare(() =>
        autocannon({
          url: `${mock.base}/v1/chat/completions`,
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'x'.repeat(400) }], max_tokens: 50 }),
          connections: 10,
          overallRate: rate,
          duration: seconds,
          ignoreCoordinatedOmission: true,
        }),
      );
      rows.push(`| autocannon 8 overallRate (baseline) | ${rate} | ${f(a.share * 100, 1)}% | ${f(a.result.requests.total / seconds / rate, 3)} | - |`);
    }
  } finally {
    await mock.stop();
  }
  console.log('\n### CPU of the probe process (10 s steady against the mock, no latency; process.cpuUsage user + system / wall)\n');
  console.log('| tool | target req/s | CPU (share of one core) | achieved/target | dispatch lag p50 / p99 |');
  console.log('|---|---|---|---|---|');
  for (const r of rows) console.log(r);
}

const cpu = os.cpus();
console.log(`## Probe bench on ${os.hostname()}: ${cpu.length} x ${cpu[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, load average ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}`);
if (!only || only === 'pacing') await pacing();
if (!only || only === 'ceiling') await ceiling();
if (!only || only === 'p99') await p99();
if (!only || only === 'cpu') await cpuSection();
console.log(`\nload average after: ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}`);
void percentile;
