/**
 * Where PostgreSQL's server binaries are: $PG_BIN (a folder holding initdb, pg_ctl and psql), else
 * initdb on PATH, else Debian's /usr/lib/postgresql/<version>/bin (the package puts them there, off
 * PATH). Used by the preflight (./tools.ts) and the throwaway server (./postgres.ts).
 */
import { accessSync, constants, readdirSync, realpathSync } from 'node:fs';
import path from 'node:path';

/** Whether f is a file this process may execute. */
export const isExe = (f: string) => {
  try {
    accessSync(f, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

/** The folder holding initdb, pg_ctl and psql, or undefined. */
export function findPostgresBin(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const has = (dir: string) => ['initdb', 'pg_ctl', 'psql'].every((n) => isExe(path.join(dir, n)));
  if (env.PG_BIN) return has(env.PG_BIN) ? env.PG_BIN : undefined;
  for (const dir of (env.PATH ?? '').split(path.delimiter).filter(Boolean)) {
    const f = path.join(dir, 'initdb');
    if (isExe(f)) {
      const real = path.dirname(realpathSync(f));
      if (has(real)) return real;
    }
  }
  try {
    const versions = readdirSync('/usr/lib/postgresql').sort((a, b) => Number(b) - Number(a));
    for (const v of versions) if (has(`/usr/lib/postgresql/${v}/bin`)) return `/usr/lib/postgresql/${v}/bin`;
  } catch {
    // no Debian layout
  }
  return undefined;
}

