#!/usr/bin/env node
// readiness benchmarks: `npm run bench` (builds first). Not part of `npm test`.
// Every figure is a median over several runs, and every goal is a ratio against a baseline measured
// in the same session, so the figures hold on a noisy shared machine.
//   start-up  readiness check on the compliant example vs `node -e 0`           goal <= 2.0x
//   install   the packed tarball installed in an empty project: check and generate vs `node -e 0`  goal <= 2.0x
//   scale     check + generate on 100 / 1,000 / 10,000 tenants, 50 providers    goal 10k < 2 s, 10k <= 12x 1k
//   audit     audit verify MB/s on a 200 MB JSON Lines log vs read + JSON.parse  goal >= 0.5x, memory flat
//   fuzz      the slowest of 3,000 hostile manifests (load + checks), and a 5 MB one   goal every case < 2 s
//   promtool  promtool check rules + test rules on the files generated for 1,000 / 10,000 tenants   goal 10k < 120 s
//   probe     pacing evenness, ceiling and p99 against the mock, beside wrk       (bench/probe.js; needs wrk)
//   html      the go-live page for 200 / 40,000 tenants: bytes, and chromium's load + render time; check --out-dir on 10,000
//             goal 40k page < 5 MB, 40k in chromium < 3 s (and its ratio to the 200-tenant page), 10k check --out-dir < 1 s
//   soak      rehearse in a loop in one process for --minutes (default 10): memory, fds, leftovers flat
//             (bench/soak.mjs; only with --only soak, as it runs for minutes)
// Options: --only startup|install|scale|audit|fuzz|promtool|probe|html|soak (repeatable), --runs N, --audit-mb N,
//          --minutes N (soak)
import { spawnSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir, cpus, loadavg, totalmem, platform, release } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { syntheticManifest } from './make-manifest.mjs';
import { parse as parseYaml } from 'yaml';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const only = args.flatMap((a, i) => (a === '--only' ? [args[i + 1]] : []));
const runs = Number(args[args.indexOf('--runs') + 1]) || 9;
const auditMb = Number(args[args.indexOf('--audit-mb') + 1]) || 200;
const want = (name) => only.length === 0 || only.includes(name);
const tmp = mkdtempSync(path.join(tmpdir(), 'readiness-bench-'));
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const fmt = (n, d = 0) => n.toFixed(d);

function wall(cmd, argv, opts = {}) {
  const t = process.hrtime.bigint();
  const r = spawnSync(cmd, argv, { cwd: root, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8', ...opts });
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  if (r.status !== 0 && r.status !== 1) throw new Error(`${cmd} ${argv.join(' ')} exited ${r.status}: ${r.stderr}`);
  return { ms, stderr: r.stderr };
}

function measure(readinessArgs) {
  const r = wall(process.execPath, [path.join(root, 'bench', 'measure.mjs'), ...readinessArgs]);
  const line = r.stderr.trim().split('\n').pop();
  return { ...JSON.parse(line), processMs: r.ms };
}

console.log(`# readiness bench: ${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}, ${fmt(totalmem() / 2 ** 30)} GiB, ${platform()} ${release()}, Node ${process.version}`);

if (want('startup')) {
  const a = [];
  const b = [];
  const c = [];
  const ratio = [];
  const check = [path.join(root, 'bin', 'readiness.js'), 'check', 'templates/examples/compliant.yaml'];
  // the same command run from the tsc output (ES modules, no bundle, no code cache): what the bundle saves
  const unbundled = ['--input-type=module', '-e', `const m = await import(${JSON.stringify(new URL('../dist/src/cli/main.js', import.meta.url).href)}); process.exitCode = await m.main(["node", "readiness", ...process.argv.slice(1)]);`, '--', 'check', 'templates/examples/compliant.yaml'];
  wall(process.execPath, check);
  wall(process.execPath, ['-e', '0']);
  wall(process.execPath, unbundled);
  for (let i = 0; i < runs; i++) {
    const x = wall(process.execPath, check).ms;
    const y = wall(process.execPath, ['-e', '0']).ms;
    c.push(wall(process.execPath, unbundled).ms);
    a.push(x);
    b.push(y);
    ratio.push(x / y);
  }
  console.log('\n## start-up (whole process, wall ms, median of %d alternating runs)', runs);
  console.log('| command | median ms | vs node -e 0 |\n|---|---|---|');
  console.log(`| readiness check compliant.yaml | ${fmt(median(a))} | ${fmt(median(a) / median(b), 2)}x |`);
  console.log(`| node -e 0 | ${fmt(median(b))} | 1.00x |`);
  console.log(`| (reference) the same check from the tsc output: no bundle, no code cache | ${fmt(median(c))} | ${fmt(median(c) / median(b), 2)}x |`);
  console.log(`ratio of medians ${fmt(median(a) / median(b), 2)}, median of pair ratios ${fmt(median(ratio), 2)} (goal <= 2.0)`);
}

if (want('install')) {
  // the package as a user installs it: npm pack, npm install of the tarball into an empty project
  // (its postinstall makes the code cache there), then the installed command against `node -e 0`
  const proj = path.join(tmp, 'installed');
  const packed = spawnSync('npm', ['pack', '--ignore-scripts', '--silent', '--pack-destination', tmp], { cwd: root, encoding: 'utf8' });
  if (packed.status !== 0) throw new Error(`npm pack failed: ${packed.stderr}`);
  spawnSync('mkdir', ['-p', proj]);
  writeFileSync(path.join(proj, 'package.json'), '{ "name": "bench", "private": true }\n');
  const inst = spawnSync('npm', ['install', '--no-audit', '--no-fund', '--foreground-scripts', path.join(tmp, packed.stdout.trim().split('\n').pop())], { cwd: proj, encoding: 'utf8' });
  if (inst.status !== 0) throw new Error(`npm install of the tarball failed: ${inst.stderr}`);
  const pkg = path.join(proj, 'node_modules', 'operator-readiness');
  const example = path.join(pkg, 'templates', 'examples', 'compliant.yaml');
  const cmds = {
    'node -e 0': ['-e', '0'],
    'installed: readiness check compliant.yaml': [path.join(pkg, 'bin', 'readiness.js'), 'check', example],
    'installed: readiness generate compliant.yaml': [path.join(pkg, 'bin', 'readiness.js'), 'generate', example, '--out-dir', path.join(tmp, 'gen-installed')],
    'clone: readiness generate compliant.yaml': [path.join(root, 'bin', 'readiness.js'), 'generate', path.join(root, 'templates', 'examples', 'compliant.yaml'), '--out-dir', path.join(tmp, 'gen-clone')],
  };
  const t = Object.fromEntries(Object.keys(cmds).map((k) => [k, []]));
  for (const argv of Object.values(cmds)) wall(process.execPath, argv, { cwd: proj });
  for (let i = 0; i < runs; i++) for (const [k, argv] of Object.entries(cmds)) t[k].push(wall(process.execPath, argv, { cwd: proj }).ms);
  const base = median(t['node -e 0']);
  console.log('\n## installed copy (npm pack + npm install of the tarball; wall ms, median of %d alternating runs)', runs);
  console.log(`code cache made by the postinstall: ${statSync(path.join(pkg, 'dist', 'src', 'cli', 'readiness.cjs.v8cache'), { throwIfNoEntry: false }) ? 'yes' : 'NO'}`);
  console.log('| command | median ms | vs node -e 0 |\n|---|---|---|');
  for (const k of Object.keys(cmds)) console.log(`| ${k} | ${fmt(median(t[k]))} | ${fmt(median(t[k]) / base, 2)}x |`);
  console.log('goal: each <= 2.0x');
}

if (want('scale')) {
  console.log('\n## scale: check + generate (all formats json, all generated files), 50 providers');
  console.log('| tenants | manifest KB | median ms (in-process, incl. start-up) | peak RSS MiB | rules |\n|---|---|---|---|---|');
  const times = {};
  for (const n of [100, 1000, 10000]) {
    const file = path.join(tmp, `m${n}.yaml`);
    writeFileSync(file, syntheticManifest(root, n));
    const out = path.join(tmp, `out${n}`);
    const xs = [];
    let rss = 0;
    for (let i = 0; i < Math.max(3, Math.ceil(runs / 2)); i++) {
      const m = measure(['check', file, '--format', 'json', '--out-dir', out]);
      if (m.code > 1) throw new Error(`check exited ${m.code}`);
      xs.push(m.wallMs);
      rss = Math.max(rss, m.maxRssMiB);
    }
    times[n] = median(xs);
    let rules = 'n/a';
    const promtool = spawnSync('promtool', ['check', 'rules', path.join(out, 'alerts', 'readiness.rules.yml')], { encoding: 'utf8' });
    if (!promtool.error) rules = promtool.status === 0 ? (promtool.stdout.match(/SUCCESS: (\d+) rules found/)?.[0] ?? 'ok') : `promtool FAILED: ${promtool.stderr.trim().split('\n')[0]}`;
    console.log(`| ${n.toLocaleString('en-US')} | ${fmt(statSync(file).size / 1024)} | ${fmt(times[n])} | ${fmt(rss)} | ${rules} |`);
  }
  console.log(`10,000 / 1,000 time ratio ${fmt(times[10000] / times[1000], 2)} (goal <= 12); 10,000 tenants ${fmt(times[10000])} ms (goal < 2000)`);
}

if (want('audit')) {
  const file = path.join(tmp, 'audit.jsonl');
  const small = path.join(tmp, 'audit-small.jsonl');
  const write = async (target, bytes) => {
    const ws = createWriteStream(target);
    let written = 0;
    let i = 0;
    const t0 = Date.parse('2026-03-02T00:00:00.000Z');
    while (written < bytes) {
      const rec = {
        timestamp: new Date(t0 + i * 10).toISOString(),
        trace_id: (BigInt(i) + 0x4bf92f3577b34da6a3ce929d0e0e4736n).toString(16).padStart(32, '0'),
        operator_id: 'acme-bank',
        team_id: i % 2 ? 'research' : 'operations',
        use_case_id: 'batch-analysis',
        business_object_id: `doc-${i}`,
        agent_version: '3.4.1',
        model_version: 'gpt-4o-2024-08-06',
        prompt_version: 'contract-review@7',
        output_sha256: i.toString(16).padStart(64, '0'),
        confidence: 0.9,
      };
      const line = `${JSON.stringify(rec)}\n`;
      written += line.length;
      i++;
      if (!ws.write(line)) await new Promise((r) => ws.once('drain', r));
    }
    await new Promise((r) => ws.end(r));
  };
  await write(file, auditMb * 1024 * 1024);
  await write(small, (auditMb / 10) * 1024 * 1024);
  const size = statSync(file).size / 2 ** 20;
  const baselineScript = `
    const rl = require('node:readline').createInterface({ input: require('node:fs').createReadStream(process.argv[1]), crlfDelay: Infinity });
    let n = 0; rl.on('line', (l) => { if (l) { JSON.parse(l); n++; } }); rl.on('close', () => process.stderr.write(JSON.stringify({ n, maxRssMiB: process.resourceUsage().maxRSS / 1024 }) + '\\n'));`;
  const ours = [];
  const base = [];
  let rssBig = 0;
  let rssBase = 0;
  for (let i = 0; i < 3; i++) {
    const m = measure(['audit', 'verify', file, '--manifest', 'templates/examples/compliant.yaml']);
    if (m.code !== 0) throw new Error(`audit verify found defects in the clean log (exit ${m.code})`);
    ours.push(m.processMs);
    rssBig = Math.max(rssBig, m.maxRssMiB);
    const b = wall(process.execPath, ['-e', baselineScript, file]);
    base.push(b.ms);
    rssBase = Math.max(rssBase, JSON.parse(b.stderr.trim()).maxRssMiB);
  }
  const smallRss = measure(['audit', 'verify', small, '--manifest', 'templates/examples/compliant.yaml']).maxRssMiB;
  console.log(`\n## audit verify on a ${fmt(size)} MB JSON Lines log (median of 3)`);
  console.log('| reader | MB/s | peak RSS MiB |\n|---|---|---|');
  console.log(`| readiness audit verify | ${fmt(size / (median(ours) / 1000), 1)} | ${fmt(rssBig)} (${fmt(smallRss)} on a ${fmt(size / 10)} MB log) |`);
  console.log(`| read + JSON.parse per line (floor) | ${fmt(size / (median(base) / 1000), 1)} | ${fmt(rssBase)} |`);
  console.log(`throughput ratio ${fmt(median(base) / median(ours), 2)} of the floor (goal >= 0.5)`);
}

if (want('fuzz')) {
  const [{ default: fc }, { parse, stringify }, { parseManifest }, { runChecks }] = await Promise.all([
    import('fast-check'),
    import('yaml'),
    import('../dist/src/manifest/load.js'),
    import('../dist/src/checks/run.js'),
  ]);
  const { readFileSync } = await import('node:fs');
  const base = parse(readFileSync(path.join(root, 'templates', 'examples', 'compliant.yaml'), 'utf8'));
  const paths = [];
  const walk = (v, p) => {
    if (p.length) paths.push(p);
    if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, [...p, Array.isArray(v) ? Number(k) : k]);
  };
  walk(base, []);
  const value = fc.oneof(fc.double(), fc.integer(), fc.string({ maxLength: 40 }), fc.constantFrom(null, true, '__proto__', 1e308, -1, ''), fc.array(fc.integer(), { maxLength: 5 }), fc.dictionary(fc.string({ maxLength: 6 }), fc.integer(), { maxKeys: 3 }));
  const cases = fc.sample(fc.array(fc.record({ at: fc.nat(), value, del: fc.boolean() }), { minLength: 1, maxLength: 6 }), { numRuns: 3000, seed: 7 });
  const times = [];
  let errors = 0;
  for (const muts of cases) {
    const m = structuredClone(base);
    for (const mu of muts) {
      const p = paths[mu.at % paths.length];
      let parent = m;
      for (const seg of p.slice(0, -1)) parent = parent?.[seg];
      if (!parent || typeof parent !== 'object') continue;
      if (mu.del) delete parent[p[p.length - 1]];
      else parent[p[p.length - 1]] = mu.value;
    }
    const src = stringify(m);
    const t = process.hrtime.bigint();
    try {
      runChecks(parseManifest(src, 'fuzz.yaml'));
    } catch {
      errors++;
    }
    times.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  times.sort((a, b) => a - b);
  const big = syntheticManifest(root, 25000);
  const t = process.hrtime.bigint();
  try {
    runChecks(parseManifest(big, 'big.yaml', { maxBytes: 6 * 2 ** 20 }));
  } catch {}
  const bigMs = Number(process.hrtime.bigint() - t) / 1e6;
  console.log(`\n## hostile input: ${cases.length} mutated manifests (load + checks, in one process)`);
  console.log(`${errors} refused with located errors; median ${fmt(median(times), 2)} ms, p99 ${fmt(times[Math.floor(times.length * 0.99)], 1)} ms, slowest ${fmt(times[times.length - 1], 1)} ms (goal < 2000 ms)`);
  console.log(`a ${fmt(big.length / 2 ** 20, 1)} MB manifest (25,000 tenants): ${fmt(bigMs)} ms`);
}

if (want('promtool')) {
  // The generated rules and their unit tests, proven by promtool as an operator would run them.
  // The unit tests cover a sample of the tenants beyond 25 (docs/alerts.md): the figure is the whole run.
  console.log('\n## promtool: check rules + test rules (both test files) on the generated alerts/, 50 providers');
  console.log('| tenants | rules | check rules ms | test rules ms (median of runs) | result |\n|---|---|---|---|---|');
  for (const n of [1000, 10000]) {
    const file = path.join(tmp, `p${n}.yaml`);
    writeFileSync(file, syntheticManifest(root, n));
    const out = path.join(tmp, `pout${n}`);
    wall(process.execPath, [path.join(root, 'bin', 'readiness.js'), 'generate', file, '--out-dir', out]);
    const dir = path.join(out, 'alerts');
    const check = spawnSync('promtool', ['check', 'rules', 'readiness.rules.yml'], { cwd: dir, encoding: 'utf8' });
    if (check.error) { console.log(`| ${n} | promtool not found | | | |`); break; }
    const t0 = process.hrtime.bigint();
    spawnSync('promtool', ['check', 'rules', 'readiness.rules.yml'], { cwd: dir, encoding: 'utf8' });
    const checkMs = Number(process.hrtime.bigint() - t0) / 1e6;
    const xs = [];
    let result = 'SUCCESS';
    for (let i = 0; i < Math.max(1, Math.min(3, runs)); i++) {
      const t = process.hrtime.bigint();
      const r = spawnSync('promtool', ['test', 'rules', 'readiness.rules.test.yml', 'readiness.rules.monthly.test.yml'], { cwd: dir, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
      xs.push(Number(process.hrtime.bigint() - t) / 1e6);
      if (r.status !== 0) result = `FAILED: ${(r.stdout + r.stderr).split('\n').find((l) => /FAILED|err/.test(l)) ?? r.status}`;
    }
    const rules = check.stdout.match(/SUCCESS: (\d+) rules found/)?.[1] ?? `FAILED ${check.stderr.trim().split('\n')[0]}`;
    console.log(`| ${n.toLocaleString('en-US')} | ${rules} | ${fmt(checkMs)} | ${fmt(median(xs))} | ${result} |`);
  }
}

if (want('html')) {
  // The page as a user gets it (readiness check --format html=FILE), opened from disk in Debian's chromium
  // through playwright-core, as test/html-browser.test.ts opens it: one browser, a fresh page per run, timed
  // from goto to the second animation frame after load (laid out and painted), the two sizes alternating.
  const { chromium } = await import('playwright-core');
  const exe = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((x) => statSync(x, { throwIfNoEntry: false }));
  const pages = {};
  for (const n of [200, 40000]) {
    const file = path.join(tmp, `h${n}.yaml`);
    writeFileSync(file, syntheticManifest(root, n));
    const out = path.join(tmp, `h${n}`);
    // a 40,000-tenant manifest is 7.6 MB, over the 5 MiB default limit (docs/limits.md)
    wall(process.execPath, [path.join(root, 'bin', 'readiness.js'), 'check', file, '--format', `html=${path.join(out, 'report.html')}`], { env: { ...process.env, READINESS_MAX_BYTES: String(64 * 2 ** 20) } });
    pages[n] = { file: path.join(out, 'report.html'), bytes: statSync(path.join(out, 'report.html')).size, csv: statSync(path.join(out, 'tenants.csv'), { throwIfNoEntry: false })?.size };
  }
  console.log('\n## html: the go-live page at scale (synthetic manifests, 50 providers)');
  console.log('| tenants | page bytes | bytes per tenant | tenants.csv bytes | chromium load + render, median ms |\n|---|---|---|---|---|');
  if (!exe) console.log('(chromium not found: no browser figures)');
  const times = { 200: [], 40000: [] };
  if (exe) {
    const browser = await chromium.launch({ executablePath: exe, headless: true, args: ['--no-sandbox', '--disable-gpu', '--host-resolver-rules=MAP * ~NOTFOUND'] });
    try {
      const once = async (n) => {
        const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
        const t = process.hrtime.bigint();
        await page.goto(`file://${pages[n].file}`, { waitUntil: 'load', timeout: 60_000 });
        await page.evaluate('new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))');
        const ms = Number(process.hrtime.bigint() - t) / 1e6;
        await page.close();
        return ms;
      };
      await once(200);
      await once(40000);
      for (let i = 0; i < runs; i++) for (const n of [200, 40000]) times[n].push(await once(n));
    } finally {
      await browser.close();
    }
  }
  for (const n of [200, 40000]) {
    const p = pages[n];
    console.log(`| ${n.toLocaleString('en-US')} | ${p.bytes.toLocaleString('en-US')} | ${fmt(p.bytes / n)} | ${p.csv === undefined ? 'not written (200 or fewer)' : p.csv.toLocaleString('en-US')} | ${exe ? fmt(median(times[n])) : 'n/a'} |`);
  }
  if (exe) console.log(`40,000 / 200 chromium time ratio ${fmt(median(times[40000]) / median(times[200]), 2)}; 40,000 tenants ${fmt(median(times[40000]))} ms (goal < 3000), page ${fmt(pages[40000].bytes / 2 ** 20, 2)} MiB (goal < 5 MB); median of ${runs} alternating runs`);
  // check --out-dir on 10,000 tenants (every generated file, report.html, tenants.csv) against the same check with
  // no files written, and the same manifest as JSON (the baseline the issue names: JSON.parse is the floor of parsing)
  const file = path.join(tmp, 'h10000.yaml');
  const text = syntheticManifest(root, 10000);
  writeFileSync(file, text);
  const jsonFile = path.join(tmp, 'h10000.json');
  writeFileSync(jsonFile, JSON.stringify(parseYaml(text)));
  const forms = { yamlOut: { wall: [], cpu: [] }, yamlNone: { wall: [], cpu: [] }, jsonOut: { wall: [], cpu: [] } };
  const cmd = {
    yamlOut: ['check', file, '--format', 'json', '--out-dir', path.join(tmp, 'h10000-out')],
    yamlNone: ['check', file, '--format', 'json'],
    jsonOut: ['check', jsonFile, '--format', 'json', '--out-dir', path.join(tmp, 'h10000-json-out')],
  };
  for (const k of Object.keys(cmd)) measure(cmd[k]);
  for (let i = 0; i < runs; i++) {
    for (const k of Object.keys(cmd)) {
      const r = measure(cmd[k]);
      forms[k].wall.push(r.wallMs);
      forms[k].cpu.push(r.cpuMs);
    }
  }
  const row = (label, f) => console.log(`| ${label} | ${fmt(median(f.wall))} | ${fmt(median(f.cpu))} |`);
  console.log(`| 10,000 tenants, median of ${runs} alternating runs | wall ms (in-process, incl. start-up) | CPU ms (user + system) |\n|---|---|---|`);
  row('check --format json --out-dir (generated files, report.html, tenants.csv), YAML manifest', forms.yamlOut);
  row('the same, the manifest as JSON', forms.jsonOut);
  row('check --format json (nothing written), YAML manifest', forms.yamlNone);
  const withOut = forms.yamlOut;
  console.log(`YAML / JSON manifest, --out-dir: wall ratio ${fmt(median(withOut.wall) / median(forms.jsonOut.wall), 2)}, CPU ratio ${fmt(median(withOut.cpu) / median(forms.jsonOut.cpu), 2)}; --out-dir / no files: wall ratio ${fmt(median(withOut.wall) / median(forms.yamlNone.wall), 2)}; 10,000 tenants with --out-dir ${fmt(median(withOut.wall))} ms wall, ${fmt(median(withOut.cpu))} ms CPU (goal < 1000)`);
  console.log(`load average during the run: ${loadavg().map((x) => x.toFixed(1)).join(' ')}`);
}

if (want('probe')) {
  console.log('\n## probe (bench/probe.js)');
  const r = spawnSync(process.execPath, [path.join(root, 'bench', 'probe.js')], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) console.log(`bench/probe.js exited ${r.status}`);
}

if (only.includes('soak')) {
  console.log('\n## soak (bench/soak.mjs)');
  const minutes = args.includes('--minutes') ? ['--minutes', args[args.indexOf('--minutes') + 1]] : [];
  const r = spawnSync(process.execPath, [path.join(root, 'bench', 'soak.mjs'), ...minutes], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) console.log(`bench/soak.mjs exited ${r.status}`);
}

rmSync(tmp, { recursive: true, force: true });
