/** readiness exporter as a library: LiteLLM's database as the metrics its Prometheus callback would serve (docs/exporter.md). */
export { type Database, type Queryable, type Row, type PostgresOptions, MissingDriverError, connectPostgres } from './db.js';
export { ExporterMetrics, EXPORTER_SELF_METRICS, type SpendRow, type ErrorRow, type TeamRow } from './metrics.js';
export { Poller, type PollOptions, type PollResult } from './poll.js';
export { startExporter, type Exporter, type RunOptions } from './run.js';
export { serveMetrics, parseListen, EXPOSITION_CONTENT_TYPE, type ListenAddress, type MetricsServer } from './server.js';
export { SPEND_LOGS_SQL, ERROR_LOGS_SQL, TEAMS_SQL, NOW_SQL } from './sql.js';
