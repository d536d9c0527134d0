import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import path from 'node:path';
import { packageRoot } from '../../src/util/paths.js';

/** The real Portkey AI gateway (@portkey-ai/gateway, a devDependency), started for one test file. */
export interface Gateway {
  port: number;
  url: string;
  output: () => string;
  stop: () => Promise<void>;
}

export const GATEWAY_SCRIPT = path.join(packageRoot, 'node_modules', '@portkey-ai', 'gateway', 'build', 'start-server.js');

/** A port that was free a moment ago on loopback (the gateway ignores PORT and prints localhost:0 for --port=0). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const kill = setTimeout(() => child.kill('SIGKILL'), 3000);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** Starts the gateway headless on a free port and waits (at most `timeoutMs`) until GET / answers. */
export async function startGateway(timeoutMs = 20_000): Promise<Gateway> {
  const port = await freePort();
  const child = spawn(process.execPath, [GATEWAY_SCRIPT, `--port=${port}`, '--headless'], {
    cwd: packageRoot,
    env: { PATH: process.env.PATH ?? '', NODE_ENV: 'production', HOME: process.env.HOME ?? '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.setEncoding('utf8').on('data', (d: string) => (out = (out + d).slice(-20_000)));
  child.stderr?.setEncoding('utf8').on('data', (d: string) => (out = (out + d).slice(-20_000)));
  const url = `http://127.0.0.1:${port}`;
  const gw: Gateway = { port, url, output: () => out, stop: () => stopChild(child) };
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`Portkey gateway exited early (code ${child.exitCode}):\n${out}`);
    try {
      const res = await fetch(`${url}/`, { signal: AbortSignal.timeout(1000) });
      if ((await res.text()).includes('AI Gateway says hey')) return gw;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  await gw.stop();
  throw new Error(`Portkey gateway did not answer on ${url} within ${timeoutMs} ms:\n${out}`);
}
