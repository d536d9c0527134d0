/**
 * A throwaway PostgreSQL server for tests that prove SQL against the real thing: initdb in a temp
 * dir, pg_ctl start on 127.0.0.1 (a free port, its socket in the same dir), stopped and removed by
 * stop(). Found like the tools of ./tools.ts: $PG_BIN (a folder holding initdb and pg_ctl), else
 * initdb on PATH, else Debian's /usr/lib/postgresql/<version>/bin. Without it a test declares
 * `{ skip: needsPostgres() }` and is skipped with the one line saying how to get it. As root
 * (PostgreSQL refuses to run as root) the server runs as the `postgres` user through runuser.
 *
 * Statements go through psql, not a Node driver (the project has none installed): each query is
 * wrapped as `SELECT coalesce(json_agg(q), '[]') FROM (<sql>) q` and its one JSON value parsed, so
 * rows come back typed (numbers, null) as a driver would give them; $n placeholders are bound as
 * psql variables (:'pn'), quoted literals that PostgreSQL casts like parameters.
 */
import { execFile, execFileSync } from 'node:child_process';
import { accessSync, chownSync, constants, readdirSync, realpathSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Queryable, Row } from '../../src/exporter/db.js';
import { findPostgresBin } from './postgres-bin.js';
import { needs } from './tools.js';


export { findPostgresBin };

const asRoot = typeof process.getuid === 'function' && process.getuid() === 0;

function postgresUserExists(): boolean {
  try {
    execFileSync('id', ['postgres'], { stdio: 'ignore', timeout: 5_000 });
    return true;
  } catch {
    return false;
  }
}

let reason: string | false | undefined;
/** For node:test's `skip`: false when a server can be started here, else why not and how to get one. */
export function needsPostgres(): string | false {
  if (reason !== undefined) return reason;
  // missing: the preflight's own line (scripts/run-tests.mjs says it once at the start)
  const missing = needs('postgres');
  if (missing) reason = missing;
  else if (asRoot && !postgresUserExists()) reason = 'postgres cannot run as root and there is no postgres user to run it as (the postgresql package creates one)';
  else reason = false;
  return reason;
}

function run(file: string, args: string[], opts: { input?: string; timeoutMs?: number; env?: NodeJS.ProcessEnv } = {}): Promise<string> {
  const [cmd, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', file, ...args]] : [file, args];
  return new Promise((resolve, reject) => {
    const child = execFile(cmd, argv, { timeout: opts.timeoutMs ?? 60_000, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, ...opts.env } }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${path.basename(file)} ${args.join(' ')}: ${err.message}\n${stderr}`));
      else resolve(stdout);
    });
    child.stdin?.end(opts.input ?? '');
  });
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

export interface TestPostgres {
  port: number;
  /** runs a script (psql -f -), stopping at the first error */
  exec(sql: string): Promise<void>;
  /** the server as the exporter's Queryable, through psql */
  queryable(): Queryable;
  stop(): Promise<void>;
}

/**
 * Starts a server with one database, `litellm`. Always stop() it (in finally). With `password`,
 * TCP logins need it (scram-sha-256 in pg_hba.conf); the helper's own psql sends it.
 */
export async function startPostgres(opts: { password?: string } = {}): Promise<TestPostgres> {
  const bin = findPostgresBin();
  if (!bin) throw new Error(String(needsPostgres()));
  const dir = await mkdtemp(path.join(os.tmpdir(), 'readiness-pg-'));
  if (asRoot) {
    const pgUid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
    chownSync(dir, pgUid, -1);
  }
  const data = path.join(dir, 'data');
  const port = await freePort();
  let started = false;
  const stop = async () => {
    if (started) await run(path.join(bin, 'pg_ctl'), ['-D', data, '-m', 'immediate', '-w', 'stop'], { timeoutMs: 30_000 }).catch(() => {});
    started = false;
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await run(path.join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync'], { timeoutMs: 120_000 });
    await run(path.join(bin, 'pg_ctl'), ['-D', data, '-l', path.join(dir, 'server.log'), '-o', `-c listen_addresses=127.0.0.1 -p ${port} -k ${dir} -c fsync=off`, '-w', '-t', '60', 'start'], { timeoutMs: 90_000 });
    started = true;
    const pgEnv = opts.password ? { PGPASSWORD: opts.password } : {};
    const psql = (args: string[], input: string) =>
      run(path.join(bin, 'psql'), ['-X', '-q', '-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', '-v', 'ON_ERROR_STOP=1', ...args], { input, timeoutMs: 60_000, env: pgEnv });
    await psql(['-d', 'postgres'], 'CREATE DATABASE litellm;');
    if (opts.password) {
      await psql(['-d', 'postgres'], `ALTER USER postgres PASSWORD '${opts.password.replace(/'/g, "''")}';`);
      // TCP logins by password from now on; the socket (the dir above) stays trust for pg_ctl
      await writeFile(path.join(data, 'pg_hba.conf'), 'local all all trust\nhost all all 127.0.0.1/32 scram-sha-256\n');
      await run(path.join(bin, 'pg_ctl'), ['-D', data, 'reload'], { timeoutMs: 30_000 });
      // the reload is asynchronous: wait until a wrong password is refused
      const wrong = () => run(path.join(bin, 'psql'), ['-X', '-q', '-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', '-d', 'postgres', '-c', 'SELECT 1'], { env: { PGPASSWORD: `not-${opts.password}` }, timeoutMs: 10_000 });
      let refused = false;
      for (let i = 0; i < 50 && !refused; i++) {
        refused = await wrong().then(
          () => false,
          () => true,
        );
        if (!refused) await new Promise((r) => setTimeout(r, 100));
      }
      if (!refused) throw new Error('postgres still accepts any password after the pg_hba.conf reload');
    }
    return {
      port,
      exec: async (sql) => {
        await psql(['-d', 'litellm', '-f', '-'], sql);
      },
      queryable: () => ({
        query: async (sql: string, params: readonly unknown[]): Promise<Row[]> => {
          const vars = params.flatMap((p, i) => ['-v', `p${i + 1}=${String(p)}`]);
          const bound = sql.replace(/\$(\d+)/g, (_, n: string) => `:'p${n}'`);
          const out = await psql(['-d', 'litellm', '-A', '-t', ...vars, '-f', '-'], `SELECT coalesce(json_agg(q), '[]') FROM (${bound}) q;\n`);
          return JSON.parse(out) as Row[];
        },
      }),
      stop,
    };
  } catch (e) {
    await stop();
    throw e;
  }
}
