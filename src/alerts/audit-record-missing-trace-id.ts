import { TENANT_LABEL as T } from '../generate/metrics.js';
import { KIT, bornAt, ramp, runbookUrl } from './kit.js';
import { WINDOWS, logical, sel } from './plan.js';
import type { AlertDef, AlertPlan, AlertRule } from './types.js';

const NAME = 'ReadinessAuditRecordMissingTraceId';

/**
 * An increase within the window, or a series that appeared in the window already above 0 (an agent
 * that did not create the counter at 0: its first missing trace id is its first sample, which increase()
 * cannot see).
 */
const expr = (plan: AlertPlan) => {
  const m = sel(logical(plan, 'auditRecordsMissingTraceId'));
  return `sum by (${T}) (increase(${m}[${WINDOWS.audit}])) > 0 or sum by (${T}) (${m} > 0 unless ${m} offset ${WINDOWS.audit}) > 0`;
};

export const auditRecordMissingTraceId: AlertDef = {
  name: NAME,
  severity: 'critical',
  scope: 'tenant',
  needs: { litellm: ['auditRecordsMissingTraceId', 'auditRecordsWritten'], otel: ['auditRecordsMissingTraceId', 'auditRecordsWritten'] },
  summary: 'an audit record was written without a trace id',
  rules: (plan) => {
    const written = logical(plan, 'auditRecordsWritten').name;
    return [
      {
        alert: NAME,
        expr: expr(plan),
        labels: { severity: 'critical' },
        annotations: {
          summary: `Audit records without a trace id for tenant {{ $labels.${T} }}`,
          description: `{{ $value | humanize }} of the {{ with printf "sum(increase(${written}{${T}=%q}[${WINDOWS.audit}]))" $labels.${T} | query }}{{ . | first | value | humanize }}{{ end }} audit records written for tenant {{ $labels.${T} }} in the last ${WINDOWS.audit} have no trace id (alert above 0): those agent decisions cannot be reconstructed. Fix the agent's audit writer; run readiness audit verify on the log.`,
          runbook_url: runbookUrl(plan.runbookBase, NAME),
        },
      },
    ];
  },
  // Two agent instances per tenant. The counter steps from 0 to 1 on one of them; or it is born at 1 on a
  // third instance that never created it at 0; or it stays at 0.
  tests(plan: AlertPlan, kit = KIT, [rule]: AlertRule[]) {
    if (!plan.teams.length) return [];
    const written = logical(plan, 'auditRecordsWritten');
    const missing = logical(plan, 'auditRecordsMissingTraceId');
    const cases = [
      { key: 'step', name: 'fires on the first missing trace id (0 -> 1 on one of two instances)', values: '0x11 1x19', fires: true },
      { key: 'born', name: 'fires on a counter born at its first observation (1), never seen at 0', values: bornAt(10, '1x20'), fires: true },
      { key: 'none', name: 'silent while no record lacks a trace id', values: '0x30', fires: false },
    ];
    return cases.map((c) => ({
      scale: 'minutes' as const,
      name: `${NAME}: ${c.name}`,
      interval: '1m',
      input_series: plan.teams.flatMap((team) => [
        { series: kit.series(written, { [T]: team, instance: 'agent-0:9464' }), values: ramp(20, 30) },
        { series: kit.series(written, { [T]: team, instance: 'agent-1:9464' }), values: ramp(20, 30) },
        { series: kit.series(missing, { [T]: team, instance: 'agent-0:9464' }), values: '0x30' },
        { series: kit.series(missing, { [T]: team, instance: 'agent-1:9464' }), values: c.values },
      ]),
      alert_rule_test: [
        {
          eval_time: c.key === 'born' ? '12m' : '14m',
          alertname: NAME,
          exp_alerts: c.fires ? plan.teams.map((team) => kit.expAlert(rule, { [T]: team }, 1, { [written.name]: 200 })) : [],
        },
      ],
    }));
  },
  runbook: (plan) => ({
    fires: `any audit record written for a tenant in the last ${WINDOWS.audit} has no trace id (\`${logical(plan, 'auditRecordsMissingTraceId').name}\` increased, or appeared above 0).`,
    columns: ['Tenant', `Fires above (records without a trace id in ${WINDOWS.audit})`],
    rows: plan.teams.map((t) => [t, '0']),
    rowNoun: 'tenants',
  }),
  whatToDo: [
    'Those decisions cannot be reconstructed from the audit log. Find the code path that writes records',
    'without the trace id (a new endpoint, a background job, a retry that drops context), fix it, and run',
    '`readiness audit verify` on a sample of the log to list the affected records.',
  ].join('\n'),
  panel: (plan) => ({
    title: 'Audit records without a trace id per tenant (alert above 0)',
    description: 'Audit records written without a trace id in the last 5m, per tenant.',
    unit: 'short',
    targets: [{ expr: `sum by (${T}) (increase(${sel(logical(plan, 'auditRecordsMissingTraceId'))}[${WINDOWS.audit}]))`, legend: `{{${T}}}` }],
  }),
};
