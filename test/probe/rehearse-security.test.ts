// The rehearsal's Portkey gateway listens on loopback only and dies with readiness, however it ends.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type TestContext, test } from 'node:test';
import { stringify } from 'yaml';
import { startBin } from '../helpers/cli.js';
import { base, setPath } from '../helpers/manifest.js';

const linux = process.platform === 'linux';

function childrenOf(pid: number): number[] {
  const out: number[] = [];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) out.push(Number(d));
    } catch {
      // ended meanwhile
    }
  }
  return out;
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    // a zombie is dead for our purpose
    return !/^\S+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
};

/** The local addresses (hex, as /proc/net/tcp{,6} writes them) of the sockets `pid` listens on. */
export function listeningAddresses(pid: number): string[] {
  const inodes = new Set<string>();
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (m) inodes.add(m[1]);
    } catch {
      // closed meanwhile
    }
  }
  const out: string[] = [];
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const line of readFileSync(table, 'utf8').split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      // sl local_address rem_address st ... inode (10th field)
      if (f.length > 9 && f[3] === '0A' && inodes.has(f[9])) out.push(f[1]);
    }
  }
  return out;
}

const LOOPBACK = /^(0100007F|00000000000000000000000001000000|0000000000000000FFFF00000100007F):/;

async function until<T>(fn: () => T | undefined, ms: number): Promise<T | undefined> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = fn();
    if (v !== undefined || Date.now() > deadline) return v;
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function rehearsal(t: TestContext) {
  const m = base('compliant');
  setPath(m, 'traffic.peakRpm', 600);
  const dir = mkdtempSync(path.join(tmpdir(), 'readiness-rehearse-sec-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(path.join(dir, 'readiness.yaml'), stringify(m));
  const cli = startBin(t, ['rehearse', 'readiness.yaml', '--duration', '600', '--compress', '1', '--cold-connections', '0'], { cwd: dir, timeoutMs: 90_000 });
  const gateway = await until(() => childrenOf(cli.pid)[0], 30_000);
  assert.ok(gateway !== undefined, `no gateway process appeared: ${cli.stderr()}`);
  t.after(() => {
    if (alive(gateway)) process.kill(gateway, 'SIGKILL');
  });
  // listening once it answers: wait for its listening socket
  const addrs = await until(() => {
    const a = alive(gateway) ? listeningAddresses(gateway) : [];
    return a.length ? a : undefined;
  }, 30_000);
  assert.ok(addrs, `the gateway never listened: ${cli.stderr()}`);
  return { cli, gateway, addrs };
}

test('rehearse: the Portkey gateway listens on loopback only (read from /proc/net/tcp and tcp6)', { skip: !linux && 'reads /proc' }, async (t) => {
  const { cli, gateway, addrs } = await rehearsal(t);
  for (const a of addrs) assert.match(a, LOOPBACK, `gateway ${gateway} listens on ${a} (all: ${addrs.join(', ')})`);
  cli.signal('SIGINT');
  await cli.closed;
});

test('rehearse: SIGTERM (a CI timeout, docker stop) stops the gateway before readiness exits', { skip: !linux && 'reads /proc' }, async (t) => {
  const { cli, gateway } = await rehearsal(t);
  cli.signal('SIGTERM');
  const code = await cli.closed;
  assert.equal(code, 130, cli.stderr());
  assert.equal(alive(gateway), false, 'the gateway outlived readiness');
  assert.doesNotMatch(cli.stderr(), /internal error/);
});

test('rehearse: SIGKILL of readiness mid-traffic, which no handler sees, still ends the gateway', { skip: !linux && 'reads /proc' }, async (t) => {
  const { cli, gateway } = await rehearsal(t);
  cli.signal('SIGKILL');
  await cli.closed;
  const gone = await until(() => (alive(gateway) ? undefined : true), 15_000);
  assert.equal(gone, true, 'the gateway kept running after readiness was killed');
});

test('an idle gateway (no traffic, so nothing it writes can fail on a closed pipe) dies when its parent is SIGKILLed', { skip: !linux && 'reads /proc' }, async (t) => {
  // The rehearsal test above kills readiness mid-traffic, where a gateway could also die of a failed write
  // to its closed stdout. Here the parent starts the gateway and then idles: only the stdin lifeline can end it.
  const gatewayJs = new URL('../../src/rehearse/gateway.js', import.meta.url).href;
  const parent = spawn(process.execPath, ['--input-type=module', '-e', `const { startGateway } = await import(${JSON.stringify(gatewayJs)}); const g = await startGateway(); process.stdout.write('up ' + g.port + '\\n'); setInterval(() => {}, 1000);`], { stdio: ['ignore', 'pipe', 'pipe'] });
  t.after(() => parent.kill('SIGKILL'));
  let out = '';
  parent.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
  parent.stderr.setEncoding('utf8').on('data', (d: string) => (out += d));
  const up = await until(() => (/up \d+/.test(out) ? true : undefined), 40_000);
  assert.ok(up, `the gateway did not start: ${out}`);
  const gateway = childrenOf(parent.pid as number)[0];
  assert.ok(gateway !== undefined, 'no gateway child');
  t.after(() => {
    if (alive(gateway)) process.kill(gateway, 'SIGKILL');
  });
  // idle first: the gateway writes a few lines of its own in its first seconds, and a write to a pipe whose
  // reader is gone would end it too (EPIPE); after that it writes nothing until a request comes
  await new Promise((r) => setTimeout(r, 5000));
  assert.equal(alive(gateway), true, 'the gateway ended while its parent lived');
  parent.kill('SIGKILL');
  const gone = await until(() => (alive(gateway) ? undefined : true), 10_000);
  assert.equal(gone, true, 'the idle gateway kept running after its parent was killed');
});
