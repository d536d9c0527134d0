import { type Command, InvalidArgumentError, Option } from 'commander';
import { UsageError } from '../../util/errors.js';
import type { CliIO } from '../io.js';

interface ExporterCommandOptions {
  databaseUrlEnv: string;
  listen: string;
  interval: number;
  allowRemote?: boolean;
  batchSize: number;
  lateWindow: number;
  maxTeams: number;
  duration?: number;
}

/** "15s", "2m", "500ms" or plain seconds, within [min, max] seconds; in milliseconds. */
export function parseDurationMs(flag: string, min: number, max: number) {
  return (v: string): number => {
    const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(v.trim());
    const unit = m ? ({ ms: 0.001, s: 1, m: 60, h: 3600 } as const)[(m[2] ?? 's') as 'ms' | 's' | 'm' | 'h'] : NaN;
    const seconds = m ? Number(m[1]) * unit : NaN;
    if (!(seconds >= min && seconds <= max)) throw new InvalidArgumentError(`${flag} must be a duration from ${min}s to ${max}s, e.g. 15s, 2m or 500ms`);
    return Math.round(seconds * 1000);
  };
}

const int = (flag: string, min: number, max: number) => (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < min || n > max) throw new InvalidArgumentError(`${flag} must be a whole number from ${min} to ${max}`);
  return n;
};

/** A driver's message with the URL, and any credential in it, taken out. */
function scrub(message: string, url: string): string {
  let m = message.split(url).join('<the database URL>');
  try {
    const u = new URL(url);
    if (u.password) m = m.split(decodeURIComponent(u.password)).join('***').split(u.password).join('***');
  } catch {
    // not a URL: nothing more to take out
  }
  return m;
}

export function registerExporter(program: Command, io: CliIO): void {
  program
    .command('exporter')
    .description("serve LiteLLM's Prometheus metrics from LiteLLM's own database (open-source LiteLLM has no Prometheus callback), until Ctrl-C")
    .requiredOption('--database-url-env <name>', "environment variable holding LiteLLM's PostgreSQL URL (read from there, never printed)")
    .option('--listen <host:port>', 'address for /metrics (loopback unless --allow-remote)', '127.0.0.1:9464')
    .addOption(new Option('--interval <duration>', 'time between polls of the database').argParser(parseDurationMs('--interval', 1, 3600)).default(15_000, '15s'))
    .option('--allow-remote', 'allow --listen on an address that is not loopback (the metrics name teams and their spend)')
    .addOption(new Option('--batch-size <rows>', 'rows read per query').argParser(int('--batch-size', 1, 100_000)).default(5000))
    .addOption(
      new Option('--late-window <duration>', 'how long after its startTime a log row may still appear and be counted (LiteLLM writes logs in batches)')
        .argParser(parseDurationMs('--late-window', 0, 86_400))
        .default(120_000, '2m'),
    )
    .addOption(new Option('--max-teams <n>', 'the most teams with a budget served (beyond it the last by team_id are dropped, logged and counted)').argParser(int('--max-teams', 1, 1_000_000)).default(10_000))
    .addOption(new Option('--duration <duration>', 'stop after this long').argParser(parseDurationMs('--duration', 0.001, 31_536_000)))
    .addHelpText(
      'after',
      `
Examples:
  DATABASE_URL=postgresql://litellm:...@db:5432/litellm readiness exporter --database-url-env DATABASE_URL
  readiness exporter --database-url-env LITELLM_DATABASE_URL --listen 0.0.0.0:9464 --allow-remote --interval 30s

The metrics, the tables they come from and the limits: docs/exporter.md.`,
    )
    .action(async (opts: ExporterCommandOptions) => {
      const { parseListen } = await import('../../exporter/server.js');
      const { isLoopbackHost } = await import('../../util/net.js');
      const listen = parseListen(opts.listen);
      if (!listen) throw new UsageError(`--listen ${JSON.stringify(opts.listen)} is not host:port (e.g. 127.0.0.1:9464 or [::1]:9464)`);
      if (!opts.allowRemote && !isLoopbackHost(listen.host)) {
        throw new UsageError(`--listen ${listen.host} is not a loopback address, and the metrics name teams, key aliases and spend: pass --allow-remote to serve them there`);
      }
      const name = opts.databaseUrlEnv;
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new UsageError(`--database-url-env takes the name of an environment variable (e.g. DATABASE_URL), not ${name.includes('://') ? 'a URL' : JSON.stringify(name)}`);
      const url = io.env[name];
      if (!url) throw new UsageError(`the environment variable ${name} is not set: set it to LiteLLM's database URL (postgresql://...), the one LiteLLM reads as DATABASE_URL`);
      let scheme = '';
      try {
        scheme = new URL(url).protocol;
      } catch {
        // reported below without the value
      }
      if (scheme !== 'postgresql:' && scheme !== 'postgres:') throw new UsageError(`${name} is not a postgresql:// URL (LiteLLM's database is PostgreSQL); its value is not shown`);

      const { connectPostgres, MissingDriverError } = await import('../../exporter/db.js');
      const { startExporter } = await import('../../exporter/run.js');
      let db: import('../../exporter/db.js').Database;
      try {
        db = connectPostgres(url, {}, (err) => io.stderr(`exporter: database connection error: ${scrub(err.message, url)}\n`));
      } catch (e) {
        if (e instanceof MissingDriverError) throw new UsageError(e.message);
        throw e;
      }
      const stop = new AbortController();
      const onSignal = () => stop.abort();
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
      const timer = opts.duration ? setTimeout(onSignal, opts.duration) : undefined;
      try {
        let exporter: import('../../exporter/run.js').Exporter;
        try {
          exporter = await startExporter(db, {
            listen,
            allowRemote: opts.allowRemote,
            intervalMs: opts.interval,
            batchSize: opts.batchSize,
            lateWindowMs: opts.lateWindow,
            maxTeams: opts.maxTeams,
            signal: stop.signal,
            log: (line) => io.stderr(`${scrub(line, url)}\n`),
          });
        } catch (e) {
          const msg = scrub((e as Error).message, url);
          const hint = /relation .* does not exist/.test(msg) ? " (is it LiteLLM's database, with LiteLLM's tables created?)" : '';
          throw new UsageError(`cannot serve LiteLLM's metrics from the database in ${name}: ${msg}${hint}`);
        }
        io.stdout(`${exporter.url}/metrics\n`);
        io.stderr(`exporter: LiteLLM metrics from the database in ${name} on ${exporter.url}/metrics, every ${opts.interval / 1000}s; Ctrl-C to stop\n`);
        await exporter.done;
        io.stderr('exporter: stopped\n');
      } finally {
        clearTimeout(timer);
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
        await db.close().catch(() => {});
      }
    });
}
