#!/usr/bin/env node
// readiness usage reader benchmark: `npm run build && node bench/usage.mjs` (not part of `npm test`).
//   speed   readUsage on a 1.3M-line JSON Lines log vs a bare readline + JSON.parse loop over the same file,
//           side by side, medians of --runs runs each (default 3)        goal: within 2x, peak RSS < 400 MB
//   memory  the reader on 1.3M and on 10M lines (the same 30-day span): peak RSS must not grow with lines
// Options: --lines N (default 1300000), --big N (default 10000000; 0 skips), --runs N
import { spawnSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { cpus, platform, release, tmpdir, totalmem } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const opt = (name, d) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : d);
const lines = opt('--lines', 1_300_000);
const big = opt('--big', 10_000_000);
const runs = opt('--runs', 3);
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

if (args[0] === '--child') {
  // one measured run in a fresh process: prints {ms, rssMb, requests}
  const [, mode, file] = args;
  const t = process.hrtime.bigint();
  let requests = 0;
  if (mode === 'baseline') {
    const { createInterface } = await import('node:readline');
    const { createReadStream } = await import('node:fs');
    const rl = createInterface({ input: createReadStream(file), crlfDelay: Infinity });
    for await (const l of rl) {
      if (!l) continue;
      const o = JSON.parse(l);
      if (o.timestamp) requests++;
    }
  } else {
    const { readUsage } = await import(path.join(root, 'dist', 'src', 'usage', 'read.js'));
    const { profile } = await readUsage([file], { cwd: root, timezone: 'America/New_York' });
    requests = profile.requests;
  }
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  console.log(JSON.stringify({ ms, rssMb: process.resourceUsage().maxRSS / 1024, requests }));
  process.exit(0);
}

/** n lines over 30 days, five tenants, an evening peak: the shape of a real log. */
async function makeLog(file, n) {
  const out = createWriteStream(file);
  const start = Date.UTC(2026, 10, 2, 5);
  const span = 30 * 86_400_000;
  for (let i = 0; i < n; i++) {
    const ts = start + Math.floor((i / n) * span);
    const tenant = i % 97 === 0 ? null : `team-${i % 5}`;
    const line = `{"timestamp":"${new Date(ts).toISOString()}","tenant":${tenant ? `"${tenant}"` : 'null'},"use_case":"chat","model":"gpt-4o","input_tokens":${400 + (i % 300)},"output_tokens":${100 + (i % 200)},"status":200,"cost_usd":0.00325}\n`;
    if (!out.write(line)) await new Promise((r) => out.once('drain', r));
  }
  await new Promise((r) => out.end(r));
}

function child(mode, file) {
  const r = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--child', mode, file], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${mode} failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop());
}

const tmp = mkdtempSync(path.join(tmpdir(), 'readiness-usage-bench-'));
try {
  console.log(`# readiness usage bench: ${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, ${platform()} ${release()}, Node ${process.version}`);
  const file = path.join(tmp, 'usage.jsonl');
  await makeLog(file, lines);
  const mb = statSync(file).size / 2 ** 20;
  const base = [];
  const reader = [];
  for (let i = 0; i < runs; i++) {
    base.push(child('baseline', file));
    reader.push(child('reader', file));
  }
  const bMs = median(base.map((x) => x.ms));
  const rMs = median(reader.map((x) => x.ms));
  const rRss = Math.max(...reader.map((x) => x.rssMb));
  const ratio = rMs / bMs;
  console.log(`speed   ${lines.toLocaleString('en-US')} lines (${mb.toFixed(0)} MB): reader ${rMs.toFixed(0)} ms, readline + JSON.parse ${bMs.toFixed(0)} ms: ${ratio.toFixed(2)}x (goal <= 2x) ${ratio <= 2 ? 'ok' : 'MISSED'}`);
  console.log(`memory  reader peak RSS ${rRss.toFixed(0)} MB on ${lines.toLocaleString('en-US')} lines (goal < 400 MB) ${rRss < 400 ? 'ok' : 'MISSED'}`);
  if (big > 0) {
    const bigFile = path.join(tmp, 'usage-big.jsonl');
    await makeLog(bigFile, big);
    const b = child('reader', bigFile);
    rmSync(bigFile);
    const growth = b.rssMb / rRss;
    console.log(`memory  reader peak RSS ${b.rssMb.toFixed(0)} MB on ${big.toLocaleString('en-US')} lines (${b.ms.toFixed(0)} ms, ${(big / (b.ms / 1000)).toFixed(0)} lines/s): ${growth.toFixed(2)}x the ${lines.toLocaleString('en-US')}-line run (goal: no growth, < 1.25x) ${growth < 1.25 ? 'ok' : 'MISSED'}`);
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
