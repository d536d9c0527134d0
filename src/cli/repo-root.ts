import path from 'node:path';
import type { CliIO } from './io.js';

/**
 * The folder CI formats make paths relative to: GITHUB_WORKSPACE on GitHub Actions (what code scanning
 * maps SARIF results against), else the git work tree's top level, else the working directory. So
 * a gate run from a subfolder or a monorepo package still reports `deploy/readiness.yaml`.
 */
export async function repositoryRoot(io: Pick<CliIO, 'cwd' | 'env'>): Promise<string> {
  const ws = io.env.GITHUB_WORKSPACE;
  if (ws && path.isAbsolute(ws)) return ws;
  const [{ execFile }, { promisify }] = await Promise.all([import('node:child_process'), import('node:util')]);
  try {
    const { stdout } = await promisify(execFile)('git', ['rev-parse', '--show-toplevel'], { cwd: io.cwd, timeout: 5000 });
    const top = stdout.trim();
    return top || io.cwd;
  } catch {
    return io.cwd;
  }
}
