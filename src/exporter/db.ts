/**
 * What the exporter needs from a database: one call, query(sql, params) -> rows. The core
 * (./poll.ts) is written against this, so it runs on an in-memory fake in tests and on PostgreSQL
 * through the `pg` package (node-postgres) in the command.
 */
import { createRequire } from 'node:module';

export type Row = Record<string, unknown>;

export interface Queryable {
  /** runs one statement with $1.. placeholders; resolves to its rows */
  query(sql: string, params: readonly unknown[]): Promise<Row[]>;
}

export interface Database extends Queryable {
  close(): Promise<void>;
}

export interface PostgresOptions {
  /** server-side limit per statement (ms) */
  statementTimeoutMs?: number;
  /** how long to wait for a connection (ms) */
  connectTimeoutMs?: number;
}

/** The part of pg's API used here (pg 8: Pool, pool.query, pool.end, the pool's 'error' event). */
interface PgPool {
  query(text: string, values: unknown[]): Promise<{ rows: Row[] }>;
  end(): Promise<void>;
  on(event: 'error', listener: (err: Error) => void): unknown;
}
interface PgModule {
  Pool: new (config: Record<string, unknown>) => PgPool;
}

/** Thrown when the `pg` package is not installed beside readiness. */
export class MissingDriverError extends Error {
  constructor() {
    super("the PostgreSQL driver is not installed: readiness exporter needs the 'pg' package (npm install pg)");
    this.name = 'MissingDriverError';
  }
}

function loadPg(): PgModule {
  try {
    // required when the command runs, never at start (scripts/bundle-external.mjs lists it)
    return createRequire(import.meta.url)('pg') as PgModule;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND') throw new MissingDriverError();
    throw e;
  }
}

/**
 * A PostgreSQL database through node-postgres: one connection (max 1: the polls are sequential),
 * named readiness-exporter in pg_stat_activity. Options as pg 8.23 reads them
 * (lib/connection-parameters.js: application_name, statement_timeout; lib/client.js:
 * connectionTimeoutMillis); an idle connection's error is reported, not thrown (pg-pool emits it
 * as 'error' on the pool). The URL is passed to pg only, never printed.
 */
export function connectPostgres(url: string, opts: PostgresOptions = {}, onIdleError?: (err: Error) => void): Database {
  const pg = loadPg();
  const pool = new pg.Pool({
    connectionString: url,
    max: 1,
    application_name: 'readiness-exporter',
    statement_timeout: opts.statementTimeoutMs ?? 10_000,
    connectionTimeoutMillis: opts.connectTimeoutMs ?? 10_000,
  });
  pool.on('error', (err) => onIdleError?.(err));
  return {
    query: async (sql, params) => (await pool.query(sql, [...params])).rows,
    close: () => pool.end(),
  };
}
