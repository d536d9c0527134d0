import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import path from 'node:path';
import { packageRoot } from '../util/paths.js';
import { requestOnce } from './request-once.js';

/** The real Portkey AI gateway (@portkey-ai/gateway), running on loopback. */
export interface Gateway {
  port: number;
  /** http://127.0.0.1:PORT */
  url: string;
  /** the last 20,000 characters it printed */
  output: () => string;
  stop: () => Promise<void>;
}

/** The gateway's start script, when the package is installed. */
export function portkeyScript(): string | undefined {
  try {
    return createRequire(import.meta.url).resolve('@portkey-ai/gateway/build/start-server.js');
  } catch {
    const local = path.join(packageRoot, 'node_modules', '@portkey-ai', 'gateway', 'build', 'start-server.js');
    return existsSync(local) ? local : undefined;
  }
}

/**
 * The version of @hono/node-server the gateway's start script resolves (it decides whether streams pass:
 * src/gateway/portkey/streaming.ts), or undefined when it cannot be found. Read from the package.json above
 * the module Node would load for the script, since the package exports no ./package.json.
 */
export function portkeyNodeServerVersion(script: string): string | undefined {
  try {
    let dir = path.dirname(createRequire(script).resolve('@hono/node-server'));
    for (let i = 0; i < 4; i++) {
      const file = path.join(dir, 'package.json');
      if (existsSync(file)) {
        const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: unknown; version?: unknown };
        if (pkg.name === '@hono/node-server' && typeof pkg.version === 'string') return pkg.version;
      }
      dir = path.dirname(dir);
    }
  } catch {
    // not installed next to the gateway
  }
  return undefined;
}

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

/**
 * Loaded into the gateway's process before its start script (`node --import <this> start-server.js`).
 *
 * Loopback only: the gateway cannot be told where to listen. Its start script calls
 * `serve({ fetch: app.fetch, port })` with no hostname (src/start-server.ts in Portkey-AI/gateway,
 * https://github.com/Portkey-AI/gateway/blob/main/src/start-server.ts, commit 669825c; the same in the
 * 1.15.2 build), and @hono/node-server's serve() then calls `server.listen(port, options.hostname)`,
 * i.e. every interface (node_modules/@hono/node-server/dist/index.mjs, serve()). No flag or
 * environment variable names a host. So this preload makes every `listen(port, ...)` in that
 * process bind 127.0.0.1, whatever host it asked for; test/probe/rehearse-security.test.ts proves it
 * from /proc/net/tcp and /proc/net/tcp6.
 *
 * Dies with its parent: readiness holds the write end of the child's stdin; when readiness ends by
 * any means (SIGKILL included) the kernel closes it, the child reads end-of-file and exits.
 */
export const GATEWAY_PRELOAD = [
  "import net from 'node:net';",
  'const listen = net.Server.prototype.listen;',
  'net.Server.prototype.listen = function (...args) {',
  "  if (typeof args[0] === 'number' || (typeof args[0] === 'string' && /^\\d+$/.test(args[0]))) {",
  "    if (typeof args[1] === 'string' || args[1] === undefined || args[1] === null) args[1] = '127.0.0.1';",
  "    else args.splice(1, 0, '127.0.0.1');",
  "  } else if (args[0] && typeof args[0] === 'object' && args[0].port !== undefined) {",
  "    args[0] = { ...args[0], host: '127.0.0.1' };",
  '  }',
  '  return listen.apply(this, args);',
  '};',
  "process.stdin.on('end', () => process.exit(0));",
  "process.stdin.on('error', () => process.exit(0));",
  'process.stdin.resume();',
].join('\n');

/** The preload as a `--import` specifier (a data: URL: nothing is written to disk). */
export const GATEWAY_PRELOAD_URL = `data:text/javascript,${encodeURIComponent(GATEWAY_PRELOAD)}`;

/** SIGTERM, then SIGKILL after 3 s. */
export function stopChild(child: ChildProcess): Promise<void> {
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

/**
 * Starts the gateway headless on a free loopback port and waits (at most `timeoutMs`) until `GET /`
 * answers. It gets a minimal environment (no provider keys leak into it). Throws, having stopped it,
 * when it exits early (by a code or by a signal: a terminal's Ctrl-C reaches it too), never answers,
 * or `signal` aborts (then with the signal's reason).
 */
export async function startGateway(opts: { script?: string; timeoutMs?: number; signal?: AbortSignal } = {}): Promise<Gateway> {
  const script = opts.script ?? portkeyScript();
  if (!script) throw new Error('the Portkey gateway (@portkey-ai/gateway) is not installed');
  opts.signal?.throwIfAborted();
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', GATEWAY_PRELOAD_URL, script, `--port=${port}`, '--headless'], {
    cwd: path.dirname(path.dirname(script)),
    env: { PATH: process.env.PATH ?? '', NODE_ENV: 'production', HOME: process.env.HOME ?? '' },
    // stdin is the lifeline (see GATEWAY_PRELOAD): never written, closed only when readiness ends
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  child.stdin?.on('error', () => undefined);
  let out = '';
  child.stdout?.setEncoding('utf8').on('data', (d: string) => (out = (out + d).slice(-20_000)));
  child.stderr?.setEncoding('utf8').on('data', (d: string) => (out = (out + d).slice(-20_000)));
  const url = `http://127.0.0.1:${port}`;
  const gw: Gateway = { port, url, output: () => out, stop: () => stopChild(child) };
  const deadline = Date.now() + (opts.timeoutMs ?? 30_000);
  try {
    while (Date.now() < deadline) {
      opts.signal?.throwIfAborted();
      if (child.exitCode !== null || child.signalCode !== null) {
        throw new Error(`the Portkey gateway exited early (${child.signalCode ? `signal ${child.signalCode}` : `code ${child.exitCode}`}):\n${out}`);
      }
      try {
        const res = await requestOnce(`${url}/`, { timeoutMs: 1000 });
        if (res.body.includes('AI Gateway says hey')) return gw;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`the Portkey gateway did not answer on ${url} within ${opts.timeoutMs ?? 30_000} ms:\n${out}`);
  } catch (err) {
    await gw.stop();
    throw err;
  }
}
