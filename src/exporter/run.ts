/**
 * The exporter as a whole: poll LiteLLM's database every interval, serve /metrics, stop when the
 * signal is aborted (closing the server; the database is the caller's to close). One poll at a
 * time: the next starts an interval after the previous one ended, so a slow database is never
 * queried twice at once.
 */
import { type PollOptions, type PollResult, Poller } from './poll.js';
import type { Queryable } from './db.js';
import { type ListenAddress, type MetricsServer, serveMetrics } from './server.js';

export interface RunOptions extends PollOptions {
  listen: ListenAddress;
  allowRemote?: boolean;
  intervalMs: number;
  signal: AbortSignal;
  /** progress and errors, one line each (the command writes them to stderr) */
  log?: (line: string) => void;
  /** the clock for the last-success gauge (tests) */
  now?: () => number;
}

export interface Exporter {
  url: string;
  poller: Poller;
  /** resolves once the signal is aborted and the server is closed */
  done: Promise<void>;
}

/**
 * Runs a first poll before listening, so a wrong URL, a missing table or a refused login fails
 * at once (rejects) instead of serving nothing; later poll errors are logged and counted
 * (readiness_exporter_poll_errors_total) and the server keeps the figures it has.
 */
export async function startExporter(db: Queryable, o: RunOptions): Promise<Exporter> {
  const poller = new Poller(db, o);
  const now = o.now ?? Date.now;
  const log = o.log ?? (() => {});
  const report = (r: PollResult) => {
    poller.metrics.pollSucceeded(Math.floor(now() / 1000));
    if (r.teamsDropped > 0) {
      log(`exporter: ${r.teamsDropped} team${r.teamsDropped === 1 ? '' : 's'} with a budget beyond the first ${r.teams} (by team_id) not served this poll: their budget alerts are silent; raise --max-teams (readiness_exporter_teams_truncated)`);
    }
    if (r.behind) log(`exporter: more rows than one poll reads (${r.spendRows} spend, ${r.errorRows} error rows this poll); catching up`);
  };
  report(await poller.poll());
  const server: MetricsServer = await serveMetrics(() => poller.metrics.render(), o.listen, { allowRemote: o.allowRemote });
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  let inflight: Promise<void> = Promise.resolve();
  const tick = () => {
    inflight = poller.poll().then(report, (e: Error) => {
      poller.metrics.pollFailed();
      log(`exporter: poll failed: ${e.message}`);
    });
    void inflight.then(() => {
      if (!stopped) timer = setTimeout(tick, o.intervalMs);
    });
  };
  timer = setTimeout(tick, o.intervalMs);
  const done = new Promise<void>((resolve) => {
    const stop = () => {
      stopped = true;
      clearTimeout(timer);
      // a poll under way finishes first, so the caller may close the database after `done`
      void inflight.then(() => server.close()).then(resolve);
    };
    if (o.signal.aborted) stop();
    else o.signal.addEventListener('abort', stop, { once: true });
  });
  return { url: server.url, poller, done };
}
