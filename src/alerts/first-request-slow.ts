import { plain } from '../util/numbers.js';
import { FIRST_REQUEST_TIMESTAMP, TENANT_LABEL as T } from '../generate/metrics.js';
import { KIT, above, below, bornAt, ramp, runbookUrl } from './kit.js';
import { SERIES, THRESHOLDS, WINDOWS, logical, sel } from './plan.js';
import type { AlertDef, AlertPlan, AlertRule } from './types.js';

const NAME = 'ReadinessFirstRequestSlow';
const k = THRESHOLDS.firstRequestMultiple;
const recent = THRESHOLDS.firstRequestRecentSeconds;

/**
 * The slowest first request among the agent instances that started (served their first request) within
 * the last hour. Both series are gauges set once, so a series is read from its very first sample: an
 * instance scraped for the first time already holding its only observation fires at once.
 */
const recentFirst = (plan: AlertPlan) =>
  `max by (${T}) (${sel(logical(plan, 'firstRequestLatency'))} and (time() - ${FIRST_REQUEST_TIMESTAMP.name} < ${recent}))`;

export const firstRequestSlow: AlertDef = {
  name: NAME,
  severity: 'warning',
  scope: 'tenant',
  needs: { litellm: ['firstRequestLatency', 'requestLatency'], otel: ['firstRequestLatency', 'requestLatency'] },
  summary: `an agent instance that started within the hour took more than ${plain(k)}x the steady p99 for its first request`,
  rules: (plan) => {
    const steadySource =
      plan.steadyP99Seconds !== undefined ? 'slo.steadyP99Ms in the manifest' : `measured: p99 of ${logical(plan, 'requestLatency').name} over ${WINDOWS.latency}`;
    return [
      {
        alert: NAME,
        expr: `${recentFirst(plan)} > on () group_left () (${plain(k)} * ${SERIES.steadyP99})`,
        labels: { severity: 'warning' },
        annotations: {
          summary: `First request for tenant {{ $labels.${T} }} took {{ $value | humanizeDuration }}, over ${plain(k)}x the steady p99`,
          description: `An agent instance that started within the last ${WINDOWS.latency} took {{ $value | humanizeDuration }} for its first request for tenant {{ $labels.${T} }}, more than ${plain(k)}x the steady-state p99 of {{ with query "${SERIES.steadyP99}" }}{{ . | first | value | humanizeDuration }}{{ end }} (${steadySource}). A cold-start regression: warm instances up before the operator's peak.`,
          runbook_url: runbookUrl(plan.runbookBase, NAME),
        },
      },
    ];
  },
  // Each instance reports its first request exactly once: its series appear for the first time at 10m,
  // already carrying the observation (no sample at 0 before it). A fast instance beside a slow one; an
  // hour after the start the alert is quiet again.
  tests(plan: AlertPlan, kit = KIT, [rule]: AlertRule[]) {
    if (!plan.teams.length) return [];
    const measured = plan.steadyP99Seconds === undefined;
    const steady = plan.steadyP99Seconds ?? 2;
    const thr = k * steady;
    const lat = logical(plan, 'requestLatency');
    const dur = logical(plan, 'firstRequestLatency');
    const steadyHisto = measured
      ? [
          { series: kit.series(lat, { le: plain(steady, 10) }, '_bucket'), values: ramp(99, 100) },
          { series: kit.series(lat, { le: plain(steady * 2, 10) }, '_bucket'), values: ramp(100, 100) },
          { series: kit.series(lat, { le: '+Inf' }, '_bucket'), values: ramp(100, 100) },
        ]
      : [];
    return (['above', 'below'] as const).map((side) => {
      let first = side === 'above' ? above(thr) : below(thr);
      // humanizeDuration truncates to whole seconds from a minute up: keep clear of an integer
      if (first >= 60 && Number.isInteger(first)) first += side === 'above' ? 0.5 : -0.5;
      return {
        scale: 'minutes' as const,
        name: `${NAME} at ${plain(k)}x the steady p99 of ${plain(steady)}s${measured ? ' (measured)' : ''}, series born at their first observation: ${side === 'above' ? 'fires at once, quiet an hour later' : 'silent just below'}`,
        interval: '1m',
        input_series: [
          ...steadyHisto,
          ...plan.teams.flatMap((team) => [
            { series: kit.series(dur, { [T]: team, instance: 'agent-0:9464' }), values: bornAt(10, `${plain(steady / 2, 10)}x90`) },
            { series: kit.series(FIRST_REQUEST_TIMESTAMP, { [T]: team, instance: 'agent-0:9464' }), values: bornAt(10, '600x90') },
            { series: kit.series(dur, { [T]: team, instance: 'agent-1:9464' }), values: bornAt(10, `${plain(first, 10)}x90`) },
            { series: kit.series(FIRST_REQUEST_TIMESTAMP, { [T]: team, instance: 'agent-1:9464' }), values: bornAt(10, '600x90') },
          ]),
        ],
        alert_rule_test: [
          {
            eval_time: '11m',
            alertname: NAME,
            exp_alerts: side === 'above' ? plan.teams.map((team) => kit.expAlert(rule, { [T]: team }, first, { [SERIES.steadyP99]: steady })) : [],
          },
          { eval_time: '75m', alertname: NAME, exp_alerts: [] },
        ],
      };
    });
  },
  runbook: (plan) => {
    const steady =
      plan.steadyP99Seconds !== undefined
        ? `${plain(plan.steadyP99Seconds)}s (\`slo.steadyP99Ms\` in the manifest)`
        : `measured: the p99 of \`${logical(plan, 'requestLatency').name}\` over the last ${WINDOWS.latency}`;
    const firesAbove = plan.steadyP99Seconds !== undefined ? `${plain(k * plan.steadyP99Seconds)}s` : `${plain(k)}x the measured steady p99`;
    return {
      fires: `an agent instance that served its first request for a tenant within the last ${WINDOWS.latency} took longer for it than ${plain(k)}x the steady-state p99 of ${steady} (\`${logical(plan, 'firstRequestLatency').name}\`, a gauge each instance sets once).`,
      columns: ['Tenant', 'Fires above (first request)'],
      rows: plan.teams.map((t) => [t, firesAbove]),
      rowNoun: 'tenants',
    };
  },
  whatToDo: [
    'A cold-start regression (connection setup, cache or index loading, model warm-up). Instances started',
    "by autoscaling at the operator's peak will serve their first requests slowly: warm them before they",
    'take traffic (a readiness probe that sends one request) or keep a minimum of instances warm before',
    'the peak window.',
  ].join('\n'),
  panel: (plan) => ({
    title: 'First request of recently started instances vs steady p99 (alert at 2x)',
    description: 'The slowest first request of the agent instances started within the hour, per tenant, against the steady-state p99 and twice it.',
    unit: 's',
    targets: [
      { expr: recentFirst(plan), legend: `first request {{${T}}}` },
      { expr: SERIES.steadyP99, legend: 'steady p99' },
      { expr: `${plain(k)} * ${SERIES.steadyP99}`, legend: 'alert threshold' },
    ],
  }),
};
