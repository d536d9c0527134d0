import { execFile } from 'node:child_process';
import { findTool, missingMessage } from './tools.js';

/** The promtool binary: $PROMTOOL, else the first promtool on PATH (test/helpers/tools.ts). Throws when missing: declare `{ skip: needs('promtool') }`. */
export function promtoolPath(env: NodeJS.ProcessEnv = process.env): string {
  const found = findTool('promtool', env);
  if (!found) throw new Error(missingMessage('promtool', env));
  return found;
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
