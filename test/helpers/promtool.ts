import { execFile } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import path from 'node:path';

export const PROMTOOL_MISSING =
  'promtool not found: set PROMTOOL=/path/to/promtool or put it on PATH. On Debian: ' +
  '`apt-get update && apt-get download prometheus && dpkg-deb -x prometheus_*.deb /tmp/prom && ' +
  'install -m 0755 /tmp/prom/usr/bin/promtool /usr/local/bin/promtool` (or apt-get install -y prometheus). ' +
  'These tests do not skip: CI installs promtool.';

/** The promtool binary: $PROMTOOL, else the first promtool on PATH. Throws (the test fails) when missing. */
export function promtoolPath(env: NodeJS.ProcessEnv = process.env): string {
  const candidates = env.PROMTOOL ? [env.PROMTOOL] : (env.PATH ?? '').split(path.delimiter).filter(Boolean).map((d) => path.join(d, 'promtool'));
  for (const c of candidates) {
    try {
      accessSync(c, constants.X_OK);
      return c;
    } catch {
      // next
    }
  }
  throw new Error(env.PROMTOOL ? `PROMTOOL=${env.PROMTOOL} is not an executable file. ${PROMTOOL_MISSING}` : PROMTOOL_MISSING);
}

export interface ToolResult {
  code: number;
  output: string;
}

/** Runs promtool with args in cwd; resolves with its exit code and combined output. Bounded in time. */
export function promtool(args: string[], cwd: string): Promise<ToolResult> {
  const bin = promtoolPath();
  return new Promise((resolve, reject) => {
    execFile(bin, args, { cwd, timeout: 600_000, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      const output = `${stdout}${stderr}`;
      if (err && typeof err.code !== 'number') return reject(new Error(`promtool ${args.join(' ')} did not run: ${err.message}\n${output}`));
      resolve({ code: err ? (err.code as number) : 0, output });
    });
  });
}
