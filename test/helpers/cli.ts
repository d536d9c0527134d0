import { spawn } from 'node:child_process';
import path from 'node:path';
import { main } from '../../src/cli/main.js';
import type { CliIO } from '../../src/cli/io.js';
import { packageRoot } from '../../src/util/paths.js';

export const ROOT = packageRoot;
export const BIN = path.join(packageRoot, 'bin', 'readiness.js');
export const EXAMPLES = path.join(packageRoot, 'templates', 'examples');
export const example = (name: string) => path.join(EXAMPLES, name);

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI in-process (no spawn): fast, for most command tests. */
export async function runInProcess(args: string[], env: NodeJS.ProcessEnv = {}, cwd = packageRoot): Promise<RunResult> {
  let stdout = '';
  let stderr = '';
  const io: CliIO = {
    stdout: (t) => {
      stdout += t;
    },
    stderr: (t) => {
      stderr += t;
    },
    env: { NO_COLOR: '1', ...env },
    cwd,
    isTTY: { stdout: false, stderr: false },
  };
  const code = await main(['node', 'readiness', ...args], io);
  return { code, stdout, stderr };
}

/** Runs the built CLI as a user would: `node bin/readiness.js ...` in a child process. */
export function runBin(args: string[], opts: { env?: NodeJS.ProcessEnv; cwd?: string; input?: string; timeoutMs?: number } = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const env = { ...process.env, ...opts.env };
    delete env.FORCE_COLOR;
    if (opts.env && 'FORCE_COLOR' in opts.env) env.FORCE_COLOR = opts.env.FORCE_COLOR;
    const child = spawn(process.execPath, [BIN, ...args], { cwd: opts.cwd ?? packageRoot, env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 30_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code: code ?? (signal ? 128 : -1), stdout, stderr });
    });
    child.stdin.end(opts.input ?? '');
  });
}

/** A built CLI left running, for tests that interrupt it: its output so far, and its exit code once closed. */
export interface RunningCli {
  pid: number;
  stdout: () => string;
  stderr: () => string;
  /** resolves to the exit code (null when killed by a signal) */
  closed: Promise<number | null>;
  /** sends a signal to the CLI, or with `group` to its whole process group (as a terminal's Ctrl-C does; needs `detached`) */
  signal: (sig: NodeJS.Signals, group?: boolean) => void;
}

/**
 * Starts `node bin/readiness.js ...` and leaves it running. It is SIGKILLed (with its process group when
 * `detached`) when the test ends, and after `timeoutMs` at the latest.
 */
export function startBin(t: { after: (fn: () => void) => void }, args: string[], opts: { cwd?: string; detached?: boolean; timeoutMs?: number } = {}): RunningCli {
  const child = spawn(process.execPath, [BIN, ...args], { cwd: opts.cwd ?? packageRoot, stdio: ['ignore', 'pipe', 'pipe'], detached: opts.detached ?? false });
  const pid = child.pid as number;
  const signal = (sig: NodeJS.Signals, group = false) => {
    try {
      process.kill(group ? -pid : pid, sig);
    } catch {
      // already gone
    }
  };
  const killAll = () => signal('SIGKILL', opts.detached ?? false);
  const killer = setTimeout(killAll, opts.timeoutMs ?? 60_000);
  t.after(() => {
    clearTimeout(killer);
    killAll();
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const closed = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return { pid, stdout: () => stdout, stderr: () => stderr, closed, signal };
}
