/**
 * The external tools some tests run (the real consumers of what readiness generates), found once.
 * A test that needs one declares it: `test(name, { skip: needs('promtool') }, fn)`. Without the tool
 * the test is skipped with a reason; scripts/run-tests.mjs (npm test) looks for every tool before the
 * run, prints one line per missing tool with how to get it, says at the end how many tests were
 * skipped, and under CI=true fails at once instead (CI installs them: .ci/run).
 */
import path from 'node:path';
import { findPostgresBin, isExe } from './postgres-bin.js';

export type ToolId = 'promtool' | 'amtool' | 'chromium' | 'postgres';

export interface ToolInfo {
  /** the environment variable that names the binary instead of PATH */
  env: string;
  /** names looked for on PATH, in order */
  names: string[];
  /** what needs it */
  usedFor: string;
  /** how to get it: Debian/Ubuntu, macOS, anywhere */
  install: string;
  /** a finder of its own, where PATH is not where the tool lives (PostgreSQL's server binaries) */
  find?: (env: NodeJS.ProcessEnv) => string | undefined;
  /** what to set, when `env` names something else than the binary */
  envHint?: string;
}

export const TOOLS: Record<ToolId, ToolInfo> = {
  promtool: {
    env: 'PROMTOOL',
    names: ['promtool'],
    usedFor: 'proving the generated Prometheus rules and their unit tests',
    install: 'Debian/Ubuntu: apt-get install prometheus; macOS: brew install prometheus; or https://prometheus.io/download/',
  },
  amtool: {
    env: 'AMTOOL',
    names: ['amtool'],
    usedFor: 'proving the generated Alertmanager config',
    install: 'Debian/Ubuntu: apt-get install prometheus-alertmanager; macOS: brew install alertmanager; or https://prometheus.io/download/#alertmanager',
  },
  chromium: {
    env: 'CHROMIUM',
    names: ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'],
    usedFor: 'rendering the HTML report in a real browser',
    install: 'Debian/Ubuntu: apt-get install chromium; macOS: brew install --cask chromium; or https://www.chromium.org/getting-involved/download-chromium/',
  },
  postgres: {
    env: 'PG_BIN',
    names: ['initdb'],
    usedFor: "proving the exporter's SQL against LiteLLM's tables on a throwaway server",
    install: 'Debian/Ubuntu: apt-get install postgresql; macOS: brew install postgresql; or https://www.postgresql.org/download/',
    find: findPostgresBin,
    envHint: 'PG_BIN=/path/to/a/folder/with/initdb,pg_ctl,psql',
  },
};

/** The tool's binary: $ENV when set (and executable), else the first of its names on PATH. */
export function findTool(id: ToolId, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const info = TOOLS[id];
  if (info.find) return info.find(env);
  const named = env[info.env];
  if (named) return isExe(named) ? named : undefined;
  for (const dir of (env.PATH ?? '').split(path.delimiter).filter(Boolean)) {
    for (const name of info.names) {
      const f = path.join(dir, name);
      if (isExe(f)) return f;
    }
  }
  return undefined;
}

/** The one line said about a missing tool, by the preflight and as each skipped test's reason. */
export function missingMessage(id: ToolId, env: NodeJS.ProcessEnv = process.env): string {
  const info = TOOLS[id];
  const where = env[info.env]
    ? `${info.env}=${env[info.env]} is not ${info.envHint ? 'usable' : 'an executable file'}`
    : `not on PATH (or set ${info.envHint ?? `${info.env}=/path/to/${info.names[0]}`})`;
  return `${id} not found (${where}), needed for ${info.usedFor}. Get it: ${info.install}`;
}

const found = new Map<ToolId, string | undefined>();

/** For node:test's `skip` option: false when the tool is there, else the reason the test is skipped. */
export function needs(id: ToolId): string | false {
  if (!found.has(id)) found.set(id, findTool(id));
  return found.get(id) ? false : missingMessage(id);
}

/** The tool's path for a test that declared `needs(id)`; throws if called without it. */
export function toolPath(id: ToolId): string {
  if (!found.has(id)) found.set(id, findTool(id));
  const p = found.get(id);
  if (!p) throw new Error(missingMessage(id));
  return p;
}
