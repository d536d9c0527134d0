/**
 * Which alerts of the litellm profile `readiness exporter` feeds (gateway.metrics.source:
 * readiness-exporter), for this manifest and, where known, the deployed LiteLLM config.
 *
 * An alert reads the logical metrics it `needs` (the steady p99's requestLatency only when the manifest
 * has no slo.steadyP99Ms: the recording rule then measures it). For each gateway metric, the name the
 * rules query (a gateway.metrics.overrides name included) must be one the exporter serves
 * (src/gateway/litellm/metrics-sources.ts EXPORTER_FEEDS), and the rows that feed it must be written:
 * a row kind LiteLLM was told not to write (general_settings.disable_error_logs, ...) leaves the metric
 * incomplete, or flat when it was the metric's only feed. The agent's own metrics come from the agent
 * whatever the gateway. Pure.
 */
import type { LogicalMetric, Manifest } from '../manifest/types.js';
import { resolveMetrics } from '../generate/metrics.js';
import { EXPORTER_FEEDS, LITELLM_FAILURE_ROWS, LITELLM_ROWS_TEXT, type LitellmRows, exporterServes } from '../gateway/litellm/metrics-sources.js';
import { alertsFor } from './index.js';
import type { Severity } from './types.js';

export type FeedState = 'fed' | 'incomplete' | 'silent';

export interface AlertFeed {
  alert: string;
  severity: Severity;
  state: FeedState;
  /** the gateway metrics it reads (names as queried) */
  gatewayMetrics: string[];
  /** true when every metric it reads is the agent's own */
  agentOnly: boolean;
  /** why it is incomplete or silent, one phrase per metric */
  reasons: string[];
}

/** The logical metrics an alert's rules read for this manifest. */
function reads(needs: readonly LogicalMetric[], m: Manifest): LogicalMetric[] {
  // requestLatency is read only by the steady p99's recording rule, which measures it when no SLO is given
  return m.slo?.steadyP99Ms !== undefined ? needs.filter((k) => k !== 'requestLatency') : [...needs];
}

const rowsText = (rows: readonly LitellmRows[]) => rows.map((r) => LITELLM_ROWS_TEXT[r]).join(' and ');

/**
 * Each alert of the litellm profile with what the exporter gives it; `stopped` are the row kinds the
 * deployed LiteLLM does not write (from its general_settings, see LITELLM_LOG_SWITCHES).
 */
export function exporterFeeds(m: Manifest, stopped: ReadonlySet<LitellmRows> = new Set()): AlertFeed[] {
  const resolved = resolveMetrics({ ...m, gateway: { ...m.gateway, metrics: { ...m.gateway?.metrics, profile: 'litellm' } } });
  return alertsFor('litellm').map((def) => {
    const reasons: string[] = [];
    let silent = false;
    const gatewayMetrics: string[] = [];
    for (const k of reads(def.needs.litellm ?? [], m)) {
      const ref = resolved.metrics[k];
      if (ref.source === 'agent') continue;
      gatewayMetrics.push(ref.name);
      const key = exporterServes(ref.name);
      if (!key) {
        silent = true;
        reasons.push(`it reads ${ref.name}${resolved.overridden.includes(k) ? ` (gateway.metrics.overrides.${k})` : ''}, which the exporter does not serve`);
        continue;
      }
      // a read of the successes alone needs no failure rows
      const feeds = (EXPORTER_FEEDS[key] ?? []).filter((r) => !(def.successesOnly?.includes(k) && LITELLM_FAILURE_ROWS.has(r)));
      const cut = feeds.filter((r) => stopped.has(r));
      if (cut.length === 0) continue;
      if (cut.length === feeds.length) {
        silent = true;
        reasons.push(`${ref.name} gets nothing: LiteLLM does not write ${rowsText(cut)}`);
      } else {
        reasons.push(`${ref.name} lacks ${rowsText(cut)}, which LiteLLM does not write`);
      }
    }
    const state: FeedState = silent ? 'silent' : reasons.length ? 'incomplete' : 'fed';
    return { alert: def.name, severity: def.severity, state, gatewayMetrics, agentOnly: gatewayMetrics.length === 0, reasons };
  });
}
