/**
 * alerts/RUNBOOK.md: one section per alert, for THIS manifest (its thresholds, expressions and
 * tenants), and what to do when it fires. The "what to do" prose lives here and nowhere else:
 * docs/alerts.md describes the alerts and points at the generated runbook.
 *
 * Each alert's runbook_url annotation is `RUNBOOK.md#<alert name in lower case>` (relative to the
 * rules file, committed next to it) or `<gateway.metrics.runbookBaseUrl>#<alert name in lower case>`;
 * the sections carry exactly those anchors. Pure: same input, same bytes.
 */
import { ALERT_CATALOGUE } from '../alerts/index.js';
import { exporterFeeds } from '../alerts/feeds.js';
import type { AlertDef, AlertPlan, AlertRule, RunbookFacts } from '../alerts/types.js';
import { type GenerateContext, headerLines } from './types.js';

export const RUNBOOK_PATH = 'alerts/RUNBOOK.md';

/** Rows listed per table; beyond it the section says how many more (the rules file has them all). */
export const MAX_RUNBOOK_ROWS = 25;

export type AlertName = string;

/** The anchor of an alert's section, and the fragment of its runbook_url. */
export const runbookAnchor = (alert: string): string => alert.toLowerCase();

const link = (alert: AlertName) => `[${alert}](#${runbookAnchor(alert)})`;

/** What the on-call person does when the alert fires, by alert: from the catalogue (each alert's module holds it). */
export const WHAT_TO_DO: Record<AlertName, string> = Object.fromEntries(ALERT_CATALOGUE.map((a) => [a.name, a.whatToDo]));

/** One alert's section, with this manifest's figures. */
export interface RunbookSection extends RunbookFacts {
  alert: AlertName;
  severity: string;
  /** the rule's `for`; undefined: fires on the first evaluation that sees the condition */
  for?: string;
  /** the expression(s) exactly as in the rules file */
  exprs: string[];
  whatToDo: string;
}

export function runbookSections(plan: AlertPlan, alerts: Array<{ def: AlertDef; rules: AlertRule[] }>): RunbookSection[] {
  return alerts.map(({ def, rules }) => ({
    alert: def.name,
    severity: def.severity,
    for: def.for,
    exprs: rules.map((r) => r.expr),
    whatToDo: def.whatToDo,
    ...def.runbook(plan),
  }));
}

/** A table cell: no line breaks, and a `|` that does not end the cell. */
const cell = (s: string) => s.replace(/\r?\n/g, ' ').replace(/\|/g, '\\|');
const code = (s: string) => `\`${s}\``;

function table(columns: string[], rows: string[][], noun: string): string[] {
  if (rows.length === 0) return [`No ${noun} with a threshold for this alert in the manifest: it cannot fire.`];
  const shown = rows.slice(0, MAX_RUNBOOK_ROWS);
  const out = [`| ${columns.map(cell).join(' | ')} |`, `|${columns.map(() => '---').join('|')}|`, ...shown.map((r) => `| ${r.map(cell).join(' | ')} |`)];
  if (rows.length > shown.length) {
    out.push('', `The first ${shown.length} of ${rows.length} ${noun}, in manifest order; ${rows.length - shown.length} more are in readiness.rules.yml.`);
  }
  return out;
}

function list(ids: string[]): string {
  const shown = ids.slice(0, MAX_RUNBOOK_ROWS).map(code).join(', ');
  return ids.length > MAX_RUNBOOK_ROWS ? `${shown} and ${ids.length - MAX_RUNBOOK_ROWS} more` : shown;
}

/** With gateway.metrics.source: readiness-exporter: where the gateway metrics come from, and the alerts it cannot feed. */
function exporterLines(ctx: GenerateContext): string[] {
  const m = ctx.model.manifest;
  if (m.gateway?.metrics?.source !== 'readiness-exporter') return [];
  const unfed = exporterFeeds(m).filter((f) => f.state !== 'fed');
  return [
    "Metrics source: `readiness exporter` (`gateway.metrics.source`): the gateway metrics come from LiteLLM's database, served by `readiness exporter --database-url-env DATABASE_URL`, which Prometheus scrapes instead of the proxy (readiness' docs/exporter.md). An alert that is silent when it should fire: check `readiness_exporter_last_poll_success_timestamp_seconds` and `readiness_exporter_teams_truncated` first, and that the LiteLLM config sets none of `general_settings.disable_error_logs`, `disable_spend_logs`, `disable_spend_updates`.",
    '',
    ...(unfed.length ? [`With the exporter, ${unfed.map((f) => `${link(f.alert)} ${f.state === 'silent' ? 'stays silent' : 'reads incomplete series'} (${f.reasons.join('; ')})`).join('; ')}.`, ''] : []),
  ];
}

export function renderRunbook(ctx: GenerateContext, plan: AlertPlan, alerts: Array<{ def: AlertDef; rules: AlertRule[] }>): string {
  const input = { sections: runbookSections(plan, alerts), runbookBaseUrl: ctx.model.manifest.gateway?.metrics?.runbookBaseUrl, metricsProfile: plan.profile.id };
  const where = input.runbookBaseUrl
    ? `Each alert's \`runbook_url\` annotation is \`${input.runbookBaseUrl}#<alert name in lower case>\` (\`gateway.metrics.runbookBaseUrl\`): serve this file there.`
    : "Each alert's `runbook_url` annotation is `RUNBOOK.md#<alert name in lower case>`, relative to readiness.rules.yml: commit the two together. Set `gateway.metrics.runbookBaseUrl` to where this file is served to get clickable links in Alertmanager and chat notifications.";
  const lines: string[] = [
    '<!--',
    ...headerLines(ctx),
    '-->',
    '# Runbook: readiness alerts',
    '',
    `What each alert in readiness.rules.yml checks for this deployment, and what to do when it fires. ${where}`,
    '',
    `Metrics profile: ${code(input.metricsProfile)}. The metric names and the technique are described in readiness' docs/alerts.md.`,
    '',
    ...exporterLines(ctx),
    '| Alert | Severity | For |',
    '|---|---|---|',
    ...input.sections.map((s) => `| ${link(s.alert)} | ${s.severity} | ${s.for ?? 'none'} |`),
  ];
  if (plan.sampledFrom !== undefined || plan.teams.length > MAX_RUNBOOK_ROWS) {
    // nothing: the tables say how many rows they leave out
  }
  for (const s of input.sections) {
    lines.push(
      '',
      `<a id="${runbookAnchor(s.alert)}"></a>`,
      '',
      `## ${s.alert}`,
      '',
      `**Fires when** ${s.fires}`,
      '',
      `- Severity: ${code(s.severity)}`,
      `- For: ${s.for ? `${code(s.for)} (the condition must hold that long before the alert fires)` : 'none (fires on the first evaluation that sees the condition)'}`,
      '',
      s.exprs.length === 1 ? 'Expression, as generated:' : 'Expressions, as generated (one rule each):',
      '',
      '```promql',
      ...s.exprs,
      '```',
      '',
      `Covers (${s.rows.length} ${s.rows.length === 1 ? s.rowNoun.replace(/s$/, '') : s.rowNoun}):`,
      '',
      ...table(s.columns, s.rows, s.rowNoun),
    );
    if (s.notCovered && s.notCovered.ids.length) {
      lines.push('', `Not covered: ${s.notCovered.ids.length} ${s.notCovered.ids.length === 1 ? 'tenant' : 'tenants'} ${s.notCovered.reason}: ${list(s.notCovered.ids)}.`);
    }
    lines.push('', '**What to do.**', s.whatToDo);
  }
  return `${lines.join('\n')}\n`;
}
