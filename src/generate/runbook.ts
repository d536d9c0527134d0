/**
 * alerts/RUNBOOK.md: one section per alert, for THIS manifest (its thresholds, expressions and
 * tenants), and what to do when it fires. The "what to do" prose lives here and nowhere else:
 * docs/alerts.md describes the alerts and points at the generated runbook.
 *
 * Each alert's runbook_url annotation is `RUNBOOK.md#<alert name in lower case>` (relative to the
 * rules file, committed next to it) or `<gateway.metrics.runbookBaseUrl>#<alert name in lower case>`;
 * the sections carry exactly those anchors. Pure: same input, same bytes.
 */
import type { ALERTS } from './prometheus.js';
import { type GenerateContext, headerLines } from './types.js';

export const RUNBOOK_PATH = 'alerts/RUNBOOK.md';

/** Rows listed per table; beyond it the section says how many more (the rules file has them all). */
export const MAX_RUNBOOK_ROWS = 25;

export type AlertName = (typeof ALERTS)[keyof typeof ALERTS];

/** The anchor of an alert's section, and the fragment of its runbook_url. */
export const runbookAnchor = (alert: string): string => alert.toLowerCase();

const link = (alert: AlertName) => `[${alert}](#${runbookAnchor(alert)})`;

/** What the on-call person does when the alert fires. Markdown; the single source of this text. */
export const WHAT_TO_DO: Record<AlertName, string> = {
  ReadinessTenantNearRpmLimit: [
    'The tenant is about to hit its ceiling and get 429s. Raise its limit (LiteLLM: `/team/update`',
    '`rpm_limit`) if the traffic is legitimate, or find the caller that grew (a new batch job, a retry',
    "loop) and slow it down. Check the provider's own limit too: a tenant near its limit at the",
    "operator's peak often means the account is too.",
  ].join('\n'),
  ReadinessTenantCostPerRequestHigh: [
    'A batch job with long prompts, a runaway agent loop, or a switch to a pricier model (a failover to',
    'a more expensive provider counts too). Break the spend down by use case or key in the gateway, stop',
    "what should not run, and fix the manifest's expected cost if the change is intended. This is how",
    "incident two's batch jobs would have been caught in days, not at month end.",
  ].join('\n'),
  ReadinessAuditRecordMissingTraceId: [
    'Those decisions cannot be reconstructed from the audit log. Find the code path that writes records',
    'without the trace id (a new endpoint, a background job, a retry that drops context), fix it, and run',
    '`readiness audit verify` on a sample of the log to list the affected records.',
  ].join('\n'),
  ReadinessFirstRequestSlow: [
    'A cold-start regression (connection setup, cache or index loading, model warm-up). Instances started',
    "by autoscaling at the operator's peak will serve their first requests slowly: warm them before they",
    'take traffic (a readiness probe that sends one request) or keep a minimum of instances warm before',
    'the peak window.',
  ].join('\n'),
  ReadinessTenantBudgetBurnEarly: [
    'At this pace the tenant runs out of budget before the month ends, and then (with',
    '`onExceeded: block`) its requests are refused. Find what drives the spend (see',
    `${link('ReadinessTenantCostPerRequestHigh')}), agree with the tenant whether to raise the budget,`,
    'and do it on purpose. `day_of_month()` is in UTC: for an operator far from UTC the boundary moves by',
    'their offset (at most a day).',
  ].join('\n'),
  ReadinessProviderRateLimited: [
    "The provider's account limit is being hit. Check that failover is taking the traffic (LiteLLM:",
    '`litellm_deployment_successful_fallbacks_total`), then raise the provider limit or spread the load.',
    "Incident one went eleven minutes unnoticed at the operator's peak; this fires within a few minutes.",
  ].join('\n'),
};

/** One alert's section, with this manifest's figures. */
export interface RunbookSection {
  alert: AlertName;
  severity: string;
  /** the rule's `for`; undefined: fires on the first evaluation that sees the condition */
  for?: string;
  /** when it fires, one sentence with the thresholds and window */
  fires: string;
  /** the expression exactly as in the rules file */
  expr: string;
  /** who it covers: a table header and one row per tenant or provider */
  columns: string[];
  rows: string[][];
  /** what the rows are, plural ("tenants", "providers") */
  rowNoun: string;
  /** tenants of the manifest the alert cannot fire for, and why */
  notCovered?: { reason: string; ids: string[] };
}

export interface RunbookInput {
  sections: RunbookSection[];
  /** gateway.metrics.runbookBaseUrl, when set */
  runbookBaseUrl?: string;
  metricsProfile: string;
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

export function renderRunbook(ctx: GenerateContext, input: RunbookInput): string {
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
    '| Alert | Severity | For |',
    '|---|---|---|',
    ...input.sections.map((s) => `| ${link(s.alert)} | ${s.severity} | ${s.for ?? 'none'} |`),
  ];
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
      'Expression, as generated:',
      '',
      '```promql',
      s.expr,
      '```',
      '',
      `Covers (${s.rows.length} ${s.rows.length === 1 ? s.rowNoun.replace(/s$/, '') : s.rowNoun}):`,
      '',
      ...table(s.columns, s.rows, s.rowNoun),
    );
    if (s.notCovered && s.notCovered.ids.length) {
      lines.push('', `Not covered: ${s.notCovered.ids.length} ${s.notCovered.ids.length === 1 ? 'tenant' : 'tenants'} ${s.notCovered.reason}: ${list(s.notCovered.ids)}.`);
    }
    lines.push('', '**What to do.**', WHAT_TO_DO[s.alert]);
  }
  return `${lines.join('\n')}\n`;
}
