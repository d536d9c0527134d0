#!/usr/bin/env node
// Soak: `readiness rehearse` in a loop inside ONE long-lived process, for --minutes (default 10), through
// the CLI's own entry point (dist/src/cli/main.js, the code the bundle is built from): mock providers,
// the real Portkey gateway (a child process), the probe, the guardrail proof, the checks and the report,
// each rehearsal started and stopped in full. A leak in any of them accumulates in this process.
// Not part of `npm test` (it runs for minutes): `node bench/run.js --only soak [--minutes N]` or
// `node bench/soak.mjs --minutes N` after `npm run build`.
//
// Sampled after every rehearsal (after a forced GC): RSS, V8 heap used, open file descriptors of this
// process (/proc/self/fd), its live child processes (/proc/*/stat whose parent is this process) and
// the TCP sockets it listens on (its fds found in /proc/net/tcp, tcp6). The V8 heap is split into
// code space (grows while the JIT warms up) and the rest (data: where a leak shows). Reported: the first sample (after
// a warm-up rehearsal), half-way and the last, the least-squares slope of heap and RSS per hour over the second half,
// and leftovers after the last rehearsal (children, listeners). Flat means: no child or listener left,
// fds back to the start count, heap slope within noise (the verdict line states the bound it used).
//
// Loopback only: rehearse binds its mocks and the gateway to 127.0.0.1 (it refuses anything else).
import { readdirSync, readFileSync, readlinkSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, cpus, totalmem, loadavg } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import v8 from 'node:v8';
import vm from 'node:vm';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const arg = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : dflt;
};
const minutes = arg('--minutes', 10);
const steady = arg('--duration', 4);
const jsonOut = args.includes('--json');

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc');

const { main } = await import(pathToFileURL(path.join(root, 'dist', 'src', 'cli', 'main.js')).href);
const manifest = path.join(root, 'templates', 'examples', 'compliant.yaml');
const tmp = mkdtempSync(path.join(tmpdir(), 'readiness-soak-'));

const fds = () => readdirSync('/proc/self/fd').length;
function children() {
  const out = [];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      // fields after the parenthesised name: state, ppid, ...
      const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(rest[1]) === process.pid) out.push(Number(d));
    } catch {
      // gone between readdir and read
    }
  }
  return out;
}
/** Listening TCP sockets held by this process (its fds' socket inodes, found in /proc/net/tcp{,6} in LISTEN). */
function listeners() {
  const inodes = new Set();
  for (const fd of readdirSync('/proc/self/fd')) {
    try {
      const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/self/fd/${fd}`));
      if (m) inodes.add(m[1]);
    } catch {
      // closed meanwhile
    }
  }
  let n = 0;
  for (const f of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text = '';
    try {
      text = readFileSync(f, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      if (cols.length > 9 && cols[3] === '0A' && inodes.has(cols[9])) n++; // TCP_LISTEN, ours
    }
  }
  return n;
}
function sample(i) {
  gc();
  gc();
  const m = process.memoryUsage();
  // V8's code space grows while the JIT compiles more of the code as it warms up; data is the rest
  const code = v8.getHeapSpaceStatistics().find((x) => x.space_name === 'code_space')?.space_used_size ?? 0;
  return { i, t: (performance.now() - t0) / 1000, rssMb: m.rss / 2 ** 20, heapMb: m.heapUsed / 2 ** 20, dataMb: (m.heapUsed - code) / 2 ** 20, codeMb: code / 2 ** 20, fds: fds(), children: children().length, listeners: listeners() };
}
function slopePerHour(xs, key) {
  const n = xs.length;
  if (n < 2) return 0;
  const mt = xs.reduce((a, s) => a + s.t, 0) / n;
  const my = xs.reduce((a, s) => a + s[key], 0) / n;
  let num = 0;
  let den = 0;
  for (const s of xs) {
    num += (s.t - mt) * (s[key] - my);
    den += (s.t - mt) ** 2;
  }
  return den === 0 ? 0 : (num / den) * 3600;
}

const silent = { stdout: () => {}, stderr: () => {}, env: { ...process.env, NO_COLOR: '1' }, cwd: root, isTTY: { stdout: false, stderr: false } };
const codes = {};
async function rehearseOnce(i) {
  const probeOut = path.join(tmp, `probe-${i % 2}.json`);
  const code = await main(['node', 'readiness', 'rehearse', manifest, '--duration', String(steady), '--cold-connections', '2', '--format', 'json', '--probe-out', probeOut], silent);
  codes[code] = (codes[code] ?? 0) + 1;
  return code;
}

const t0 = performance.now();
const baseline = { fds: fds(), children: children().length, listeners: listeners() };
process.stderr.write(`soak: rehearse in one process for ${minutes} min (steady phase ${steady} s each); warm-up...\n`);
await rehearseOnce(0); // warm-up: lazy imports, JIT, undici's pools
const samples = [sample(0)];
const deadline = t0 + minutes * 60_000;
let i = 1;
while (performance.now() < deadline) {
  await rehearseOnce(i);
  samples.push(sample(i));
  const s = samples.at(-1);
  process.stderr.write(`soak: ${i} rehearsals, ${s.t.toFixed(0)} s: rss ${s.rssMb.toFixed(1)} MB, heap ${s.heapMb.toFixed(1)} MB (data ${s.dataMb.toFixed(2)}), fds ${s.fds}, children ${s.children}, listeners ${s.listeners}\n`);
  i++;
}
// leftovers: give a stopping child a moment, as the last stop() already awaited its exit
await new Promise((r) => setTimeout(r, 500));
const end = sample(i);
rmSync(tmp, { recursive: true, force: true });

const first = samples[0];
// the JIT and lazy compilation grow the heap over the first minutes (bytecode and feedback vectors live
// in the data spaces too), so the slopes that judge a leak are taken over the second half of the run
const late = samples.slice(Math.floor(samples.length / 2));
const mid = late[0];
const heapSlope = slopePerHour(late, 'heapMb');
const dataSlope = slopePerHour(late, 'dataMb');
const rssSlope = slopePerHour(late, 'rssMb');
// bound for "flat": the heap may wander by GC timing; a leak of even 1 KB per rehearsal over this many
// rehearsals shows as a steady slope, so the bound is stated in MB per hour and per rehearsal
const perRehearsalKb = late.length > 1 ? ((late.at(-1).dataMb - mid.dataMb) * 1024) / (late.length - 1) : 0;
const flat = end.children === baseline.children && end.listeners <= baseline.listeners && end.fds <= first.fds + 2 && Math.abs(dataSlope) < 5;
const result = {
  machine: `${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`,
  loadavg: loadavg().map((x) => Number(x.toFixed(1))),
  minutes,
  rehearsals: samples.length, // warm-up excluded from the samples' first point, included in the count
  exitCodes: codes,
  baseline,
  first: { rssMb: +first.rssMb.toFixed(1), heapMb: +first.heapMb.toFixed(1), dataMb: +first.dataMb.toFixed(1), codeMb: +first.codeMb.toFixed(1), fds: first.fds, children: first.children, listeners: first.listeners },
  half: { rssMb: +mid.rssMb.toFixed(1), heapMb: +mid.heapMb.toFixed(1), dataMb: +mid.dataMb.toFixed(1), codeMb: +mid.codeMb.toFixed(1), fds: mid.fds, children: mid.children, listeners: mid.listeners },
  last: { rssMb: +end.rssMb.toFixed(1), heapMb: +end.heapMb.toFixed(1), dataMb: +end.dataMb.toFixed(1), codeMb: +end.codeMb.toFixed(1), fds: end.fds, children: end.children, listeners: end.listeners },
  heapSlopeMbPerHour: +heapSlope.toFixed(2),
  dataSlopeMbPerHour: +dataSlope.toFixed(2),
  rssSlopeMbPerHour: +rssSlope.toFixed(2),
  wholeRunDataSlopeMbPerHour: +slopePerHour(samples, 'dataMb').toFixed(2),
  heapKbPerRehearsal: +perRehearsalKb.toFixed(2),
  flat,
};
if (jsonOut) writeFileSync(1, `${JSON.stringify(result, null, 2)}\n`);
else {
  console.log(`# soak: ${result.machine}, load ${result.loadavg.join(' ')}`);
  console.log(`rehearsals: ${result.rehearsals} in ${minutes} min (exit codes ${JSON.stringify(codes)})`);
  console.log('| | RSS MB | V8 heap MB (data + code) | fds | child processes | listening sockets |');
  console.log('|---|---|---|---|---|---|');
  console.log(`| before any rehearsal | - | - | ${baseline.fds} | ${baseline.children} | ${baseline.listeners} |`);
  console.log(`| after the first (warm-up) | ${result.first.rssMb} | ${result.first.heapMb} (${result.first.dataMb} + ${result.first.codeMb}) | ${first.fds} | ${first.children} | ${first.listeners} |`);
  console.log(`| half-way (rehearsal ${mid.i}) | ${result.half.rssMb} | ${result.half.heapMb} (${result.half.dataMb} + ${result.half.codeMb}) | ${mid.fds} | ${mid.children} | ${mid.listeners} |`);
  console.log(`| after the last | ${result.last.rssMb} | ${result.last.heapMb} (${result.last.dataMb} + ${result.last.codeMb}) | ${end.fds} | ${end.children} | ${end.listeners} |`);
  console.log(`slopes over the second half: heap data ${result.dataSlopeMbPerHour} MB/h (${result.heapKbPerRehearsal} KB per rehearsal), whole heap ${result.heapSlopeMbPerHour} MB/h, RSS ${result.rssSlopeMbPerHour} MB/h; heap data over the whole run ${result.wholeRunDataSlopeMbPerHour} MB/h (warm-up included)`);
  console.log(`verdict: ${flat ? 'flat' : 'NOT flat'} (no child process or listening socket left, fds within 2 of the first sample, |heap data slope| over the second half < 5 MB/h)`);
}
process.exitCode = flat ? 0 : 1;
