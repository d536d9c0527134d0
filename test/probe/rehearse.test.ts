import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { stringify } from 'yaml';
import { portkeyConfig } from '../../src/generate/portkey.js';
import { buildModel } from '../../src/manifest/model.js';
import { rewireConfig } from '../../src/rehearse/run.js';
import { runBin, startBin } from '../helpers/cli.js';
import { base, patched, setPath } from '../helpers/manifest.js';

test('rewireConfig points each target at its mock, speaking OpenAI, and keeps fallback and retry', () => {
  const model = buildModel(patched({}).manifest);
  const c = rewireConfig(portkeyConfig(model, []), ['http://127.0.0.1:1/v1', 'http://127.0.0.1:2/v1']) as any;
  assert.deepEqual(c.strategy, { mode: 'fallback', on_status_codes: [429, 500, 502, 503, 504] });
  assert.deepEqual(
    c.targets.map((t: any) => [t.provider, t.custom_host, t.api_key]),
    [
      ['openai', 'http://127.0.0.1:1/v1', 'rehearsal-key'],
      ['openai', 'http://127.0.0.1:2/v1', 'rehearsal-key'],
    ],
  );
  assert.equal(c.targets[0].retry, undefined);
  assert.equal(c.targets[1].retry.attempts, 3);
  assert.equal(c.request_timeout, 16000);
  assert.equal(c.input_guardrails[0]['default.requiredMetadataKeys'].operator, 'all');
});

test('rehearse: a primary limited below the peak with automatic failover on 429 shows the client no 429 through the real Portkey gateway, and passes', async (t) => {
  // peak 1,200 rpm (20 req/s); the primary holds 600 rpm, the backup 1,200 rpm: together they cover the peak
  const m = base('compliant');
  setPath(m, 'traffic.peakRpm', 1200);
  setPath(m, 'providers[0].limits', { rpm: 600, tpm: 100000000 });
  setPath(m, 'providers[1].limits', { rpm: 1200, tpm: 100000000 });
  const dir = mkdtempSync(path.join(tmpdir(), 'readiness-rehearse-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'readiness.yaml');
  writeFileSync(file, stringify(m));
  const out = path.join(dir, 'probe.json');
  const r = await runBin(
    ['rehearse', file, '--format', 'json', '--duration', '3', '--burst-factor', '1', '--cold-connections', '2', '--latency-ms', '10', '--jitter-ms', '10', '--probe-out', out],
    { timeoutMs: 90_000 },
  );
  assert.equal(r.code, 0, r.stderr + r.stdout);
  const report = JSON.parse(r.stdout);
  const rls = report.checks.find((c: any) => c.id === 'rate-limit-sizing');
  // passes: no failing finding (a cold-start warning from the freshly started gateway may appear on a busy machine)
  assert.notEqual(rls.status, 'fail', JSON.stringify(rls.findings, null, 1));
  const f = rls.findings.find((x: any) => /were 429/.test(x.message));
  assert.equal(f.status, 'pass');
  assert.equal(f.evidence.count429, 0);
  assert.equal(f.evidence.responses, 60);
  // the failover was exercised: the primary's mock refused some, the backup's mock served them
  const [primary, backup] = report.rehearsal.providers;
  assert.equal(primary.id, 'openai-main');
  assert.ok((primary.statuses['429'] ?? 0) > 0, JSON.stringify(report.rehearsal.providers));
  assert.ok((backup.statuses['200'] ?? 0) > 0, JSON.stringify(report.rehearsal.providers));
  assert.equal((primary.statuses['200'] ?? 0) + (backup.statuses['200'] ?? 0), 62);
  // the generated requiredMetadataKeys guardrail, proven on the real gateway: untagged refused, tagged served
  assert.deepEqual(report.rehearsal.guardrail, { guarded: true, untaggedStatus: 446, taggedStatus: 200 });
  const ca = report.checks.find((c: any) => c.id === 'cost-attribution');
  const probeFinding = ca.findings.find((x: any) => /^probe: a request without/.test(x.message));
  assert.equal(probeFinding?.status, 'pass', JSON.stringify(ca.findings, null, 1));
  assert.match(probeFinding.message, /refused with 446/);
  assert.match(r.stderr, /attribution guardrail: untagged request 446, tagged request 200/);
  const probe = JSON.parse(readFileSync(out, 'utf8'));
  assert.equal(probe.phases.find((p: any) => p.name === 'steady').statuses['200'], 60);
  assert.doesNotMatch(r.stderr, /-> fail/);
});

/** Pids whose parent is `pid` (Linux /proc). */
function childrenOf(pid: number): number[] {
  const out: number[] = [];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      // pid (comm) state ppid ...: comm may hold spaces, so read after the last ')'
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) out.push(Number(d));
    } catch {
      // the process ended meanwhile
    }
  }
  return out;
}
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

for (const [when, waitMs, group] of [
  ['a terminal\'s Ctrl-C (the whole process group) while the gateway starts', 0, true],
  ['a terminal\'s Ctrl-C while traffic flows', 1500, true],
  ['SIGINT to readiness alone while the gateway starts', 0, false],
] as const) test(`Ctrl-C during rehearse, ${when}: exit 130, the Portkey gateway is stopped, no report`, { skip: process.platform !== 'linux' ? 'reads /proc' : false }, async (t) => {
  const m = base('compliant');
  setPath(m, 'traffic.peakRpm', 1200);
  const dir = mkdtempSync(path.join(tmpdir(), 'readiness-rehearse-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(path.join(dir, 'readiness.yaml'), stringify(m));
  // its own process group, as a shell gives a foreground job: a terminal's Ctrl-C signals the whole group
  const cli = startBin(t, ['rehearse', 'readiness.yaml', '--duration', '600', '--compress', '1', '--cold-connections', '0', '--probe-out', 'probe.json'], { cwd: dir, detached: true });
  const pid = cli.pid;
  let gateway: number | undefined;
  t.after(() => {
    if (gateway !== undefined && alive(gateway)) process.kill(gateway, 'SIGKILL');
  });
  // the gateway is a child process of readiness: wait for it to appear, then interrupt at once (it is still
  // starting: before the fix a SIGINT to readiness alone took Node's default action and left the gateway
  // running, and a terminal's Ctrl-C, which kills the gateway too, hung 30 s then exited 70) or a moment
  // later, when traffic flows
  const deadline = Date.now() + 30_000;
  while (gateway === undefined && Date.now() < deadline) {
    gateway = childrenOf(pid)[0];
    if (gateway === undefined) await new Promise((r) => setTimeout(r, 50));
  }
  assert.ok(gateway !== undefined, `no gateway process appeared: ${cli.stderr()}`);
  await new Promise((r) => setTimeout(r, waitMs));
  cli.signal('SIGINT', group);
  assert.equal(await cli.closed, 130, cli.stderr());
  const stdout = cli.stdout();
  const stderr = cli.stderr();
  assert.equal(alive(gateway), false, 'the gateway was stopped before readiness exited');
  assert.equal(stdout, '', 'no report');
  if (/interrupted while the rehearsal started/.test(stderr)) {
    assert.deepEqual(readdirSync(dir), ['readiness.yaml'], 'nothing measured, nothing written');
  } else {
    assert.match(stderr, /interrupted; the figures above are what was measured before Ctrl-C \(no verdict\)/);
    assert.deepEqual(readdirSync(dir).sort(), ['probe.json', 'readiness.yaml']);
    assert.equal(JSON.parse(readFileSync(path.join(dir, 'probe.json'), 'utf8')).interrupted, true);
  }
  assert.doesNotMatch(stderr, /internal error/);
});

test('rehearse --stream warns, naming the version and the pin, when the gateway runs with a @hono/node-server that breaks streams', async (t) => {
  const { portkeyNodeServerVersion } = await import('../../src/rehearse/gateway.js');
  const { portkeyStreamingBroken } = await import('../../src/gateway/portkey/streaming.js');
  const { GATEWAY_SCRIPT } = await import('../helpers/portkey-gateway.js');
  const version = portkeyNodeServerVersion(GATEWAY_SCRIPT)!;
  const dir = mkdtempSync(path.join(tmpdir(), 'readiness-rehearse-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'readiness.yaml');
  writeFileSync(file, stringify(base('compliant')));
  const r = await runBin(['rehearse', file, '--stream', '--duration', '1', '--burst-factor', '1', '--cold-connections', '0', '--latency-ms', '5', '--jitter-ms', '0'], { timeoutMs: 90_000 });
  const warning = new RegExp(`readiness: warning: the Portkey gateway runs with @hono/node-server ${version.replace(/\./g, '\\.')}: from 1\\.14\\.2 to 2\\.0\\.11 every streamed request through it is answered 500 .*issues/1389.*pin @hono/node-server 1\\.13\\.5 and @hono/node-ws 1\\.2\\.0`);
  if (portkeyStreamingBroken(version)) assert.match(r.stderr, warning);
  else assert.doesNotMatch(r.stderr, /@hono\/node-server/);
  // the warning goes to stderr only; stdout holds the report, whose rate-limit-sizing names the gateway's exceptions
  assert.doesNotMatch(r.stdout, /readiness: warning/);
  if (portkeyStreamingBroken(version)) assert.match(r.stdout, /responses were the gateway's own exceptions/);
});
