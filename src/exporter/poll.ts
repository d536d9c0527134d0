/**
 * Incremental reading of LiteLLM's logs. Each table is read in pages after a cursor
 * (startTime, request_id), oldest first, at most `batchSize` rows a page and `maxPagesPerPoll`
 * pages a poll, so one poll's work is bounded however far behind it is (the next poll goes on
 * from where it stopped).
 *
 * LiteLLM writes its spend logs in batches, so a row can appear after rows with a later startTime
 * have been read. Each poll therefore starts `lateWindowMs` before the newest startTime seen, and
 * skips the request_ids it already counted (kept only for that window). A row that appears more
 * than lateWindowMs after its startTime is not counted (docs/exporter.md, limits).
 */
import type { Queryable, Row } from './db.js';
import { type ErrorRow, ExporterMetrics, type SpendRow, type TeamRow, asRow } from './metrics.js';
import { ERROR_LOGS_SQL, NOW_SQL, SPEND_LOGS_SQL, TEAMS_COUNT_SQL, TEAMS_SQL } from './sql.js';

export interface PollOptions {
  /** rows per page (default 5000) */
  batchSize?: number;
  /** pages per table per poll (default 20) */
  maxPagesPerPoll?: number;
  /** how late a row may appear after its startTime and still be counted (default 120 s) */
  lateWindowMs?: number;
  /** the most teams with a budget served (default 10000); beyond it the last by team_id are dropped, logged and counted in readiness_exporter_teams_truncated */
  maxTeams?: number;
}

export interface PollResult {
  spendRows: number;
  errorRows: number;
  teams: number;
  /** teams with a budget beyond maxTeams (the last by team_id), not served this poll; 0 when none */
  teamsDropped: number;
  /** true when a table had more rows than one poll may read: the figures lag until it catches up */
  behind: boolean;
}

/** 'YYYY-MM-DDTHH:MM:SS.ffffff' (UTC, as sql.ts TIME_FORMAT) minus ms, in the same form. */
export function timeMinus(t: string, ms: number): string {
  const d = new Date(`${t.slice(0, 23)}Z`);
  if (Number.isNaN(d.getTime())) throw new Error(`not a time: ${JSON.stringify(t)}`);
  return `${new Date(d.getTime() - ms).toISOString().slice(0, 23)}000`;
}

/** The read position in one table. */
class TableCursor {
  /** newest startTime seen */
  watermark: string;
  /** request_id -> startTime of the rows counted within the late window */
  private readonly seen = new Map<string, string>();
  /** where a poll that ran out of pages stopped: the next one goes on from there, not from the late window */
  private resume?: [string, string];
  constructor(start: string) {
    this.watermark = start;
  }

  async read(db: Queryable, sql: string, o: Required<PollOptions>, count: (row: Row) => void): Promise<{ rows: number; behind: boolean }> {
    let cursor: [string, string] = this.resume ?? [timeMinus(this.watermark, o.lateWindowMs), ''];
    let counted = 0;
    for (let page = 0; page < o.maxPagesPerPoll; page++) {
      const rows = await db.query(sql, [cursor[0], cursor[1], o.batchSize]);
      for (const row of rows) {
        const id = String(row.request_id);
        const start = String(row.start_time);
        if (!this.seen.has(id)) {
          this.seen.set(id, start);
          count(row);
          counted++;
        }
        if (start > this.watermark) this.watermark = start;
        cursor = [start, id];
      }
      if (rows.length < o.batchSize) {
        this.resume = undefined;
        this.prune(o.lateWindowMs);
        return { rows: counted, behind: false };
      }
    }
    this.resume = cursor;
    this.prune(o.lateWindowMs);
    return { rows: counted, behind: true };
  }

  private prune(lateWindowMs: number): void {
    const oldest = timeMinus(this.watermark, lateWindowMs);
    for (const [id, start] of this.seen) if (start < oldest) this.seen.delete(id);
  }

  get remembered(): number {
    return this.seen.size;
  }
}

/**
 * Reads LiteLLM's database into ExporterMetrics. The first poll counts the rows of the last
 * lateWindowMs before the database's clock; counters start from there, as LiteLLM's own do when
 * a proxy starts.
 */
export class Poller {
  readonly metrics: ExporterMetrics;
  private readonly o: Required<PollOptions>;
  private spend?: TableCursor;
  private errors?: TableCursor;

  constructor(
    private readonly db: Queryable,
    opts: PollOptions = {},
    metrics = new ExporterMetrics(),
  ) {
    this.metrics = metrics;
    this.o = {
      batchSize: opts.batchSize ?? 5000,
      maxPagesPerPoll: opts.maxPagesPerPoll ?? 20,
      lateWindowMs: opts.lateWindowMs ?? 120_000,
      maxTeams: opts.maxTeams ?? 10_000,
    };
    if (!(this.o.batchSize >= 1 && this.o.maxPagesPerPoll >= 1 && this.o.lateWindowMs >= 0 && this.o.maxTeams >= 1)) throw new Error('poll options out of range');
  }

  /** One poll of the three tables. Throws on a database error (the counters keep what was counted). */
  async poll(): Promise<PollResult> {
    if (!this.spend || !this.errors) {
      const [row] = await this.db.query(NOW_SQL, []);
      const now = String(row?.now ?? '');
      timeMinus(now, 0); // a clock the cursor can use, or a clear error
      this.spend ??= new TableCursor(now);
      this.errors ??= new TableCursor(now);
    }
    const spend = await this.spend.read(this.db, SPEND_LOGS_SQL, this.o, (r) => this.metrics.addSpendRow(asRow<SpendRow>(r)));
    const errors = await this.errors.read(this.db, ERROR_LOGS_SQL, this.o, (r) => this.metrics.addErrorRow(asRow<ErrorRow>(r)));
    // one row past the cap says whether there are more; only then are they counted
    const teams = (await this.db.query(TEAMS_SQL, [this.o.maxTeams + 1])).map((r) => asRow<TeamRow>(r));
    let teamsDropped = 0;
    if (teams.length > this.o.maxTeams) {
      teams.length = this.o.maxTeams;
      const [row] = await this.db.query(TEAMS_COUNT_SQL, []);
      teamsDropped = Math.max(1, Number(row?.teams ?? 0) - this.o.maxTeams);
    }
    this.metrics.setTeams(teams, teamsDropped);
    return { spendRows: spend.rows, errorRows: errors.rows, teams: teams.length, teamsDropped, behind: spend.behind || errors.behind };
  }

  /** request_ids held to skip re-reads (bounded by the late window). */
  get remembered(): number {
    return (this.spend?.remembered ?? 0) + (this.errors?.remembered ?? 0);
  }
}
