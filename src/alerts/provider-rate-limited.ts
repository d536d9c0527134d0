import { pct, plain } from '../util/numbers.js';
import { KIT, above, below, ramp, runbookUrl } from './kit.js';
import { THRESHOLDS, WINDOWS, logical, sel } from './plan.js';
import type { AlertDef, AlertPlan, AlertRule, InputSeries, TestGroup } from './types.js';

const NAME = 'ReadinessProviderRateLimited';
const r = THRESHOLDS.provider429Ratio;
const minReq = THRESHOLDS.minRequestsInWindow;

/** 429s from named providers only (LiteLLM: model_id not empty), with enough traffic in the window to mean something */
const expr = (plan: AlertPlan) => {
  const P = plan.profile.providerLabel;
  const named = plan.profile.namedProviderMatcher;
  const req = sel(logical(plan, 'providerRequests'), [named]);
  return `sum by (${P}) (rate(${sel(logical(plan, 'providerRateLimited'), [named])}[${WINDOWS.rate}])) / sum by (${P}) (rate(${req}[${WINDOWS.rate}])) > ${plain(r)} and on (${P}) sum by (${P}) (increase(${req}[${WINDOWS.rate}])) >= ${minReq}`;
};

export const providerRateLimited: AlertDef = {
  name: NAME,
  severity: 'critical',
  for: '1m',
  scope: 'provider',
  needs: { litellm: ['providerRequests', 'providerRateLimited'], otel: ['providerRequests', 'providerRateLimited'] },
  summary: `more than ${pct(r)} of a named provider's requests are answered 429, with at least ${minReq} requests in ${WINDOWS.rate}`,
  rules: (plan) => {
    const P = plan.profile.providerLabel;
    return [
      {
        alert: NAME,
        expr: expr(plan),
        for: '1m',
        labels: { severity: 'critical' },
        annotations: {
          summary: `Provider {{ $labels.${P} }} answers {{ $value | humanizePercentage }} of requests with 429`,
          description: `{{ $value | humanizePercentage }} of requests to provider {{ $labels.${P} }} were answered 429 (rate limited) over the last ${WINDOWS.rate} (alert above ${pct(r)}, with at least ${minReq} requests). Check that failover is taking the traffic and raise the provider limit; incident one went eleven minutes unnoticed.`,
          runbook_url: runbookUrl(plan.runbookBase, NAME),
        },
      },
    ];
  },
  // 1000 requests a minute per provider; from minute 10 the fraction of them answered 429. LiteLLM's own
  // rejections (empty model_id) run beside them at 10% and must not count. A quiet deployment: 2 requests
  // in 5 minutes, one of them a 429 (50%), must not page.
  tests(plan: AlertPlan, kit = KIT, [rule]: AlertRule[]) {
    if (!plan.providers.length) return [];
    const P = plan.profile.providerLabel;
    const req = logical(plan, 'providerRequests');
    const lim = logical(plan, 'providerRateLimited');
    const litellm = plan.profile.id === 'litellm';
    const rl: Record<string, string> = litellm ? { exception_status: '429' } : { error_type: '429' };
    // otel: one series family, the 429s are part of the total; litellm: the total counts them too
    const providerSeries = (p: string, perMin: number, frac: number, onsetMin: number): InputSeries[] => {
      const n = 30;
      const limited = onsetMin > 0 ? `0x${onsetMin} 0+${plain(perMin * frac, 10)}x${n - onsetMin}` : ramp(perMin * frac, n);
      const base = { [P]: p, ...(litellm ? { requested_model: plan.requestedModel } : {}) };
      return litellm
        ? [
            { series: kit.series(req, base), values: ramp(perMin, n) },
            { series: kit.series(lim, { ...base, ...rl }), values: limited },
          ]
        : [
            { series: kit.series(req, base), values: ramp(perMin * (1 - frac), n) },
            { series: kit.series(lim, { ...base, ...rl }), values: limited },
          ];
    };
    const routerRejects: InputSeries[] = litellm
      ? [
          { series: kit.series(req, { requested_model: plan.requestedModel, model_id: '' }), values: ramp(1000, 30) },
          { series: kit.series(lim, { requested_model: plan.requestedModel, model_id: '', ...rl }), values: ramp(100, 30) },
        ]
      : [];
    const groups: TestGroup[] = (['above', 'below'] as const).map((side) => {
      const frac = side === 'above' ? above(r) : below(r);
      return {
        scale: 'minutes' as const,
        name: `${NAME} above ${pct(r)} of a provider's requests${litellm ? ", beside LiteLLM's own rejections (empty model_id)" : ''}: ${side === 'above' ? 'fires within 7 minutes of the onset' : 'silent just below'}`,
        interval: '1m',
        input_series: [...plan.providers.flatMap((p) => providerSeries(p, 1000, frac, 10)), ...routerRejects],
        alert_rule_test: [
          { eval_time: '9m', alertname: NAME, exp_alerts: [] },
          { eval_time: '17m', alertname: NAME, exp_alerts: side === 'above' ? plan.providers.map((p) => kit.expAlert(rule, { [P]: p }, frac, {})) : [] },
        ],
      };
    });
    groups.push({
      scale: 'minutes',
      name: `${NAME}: a quiet deployment (2 requests in 5 minutes, one of them 429) stays silent`,
      interval: '1m',
      input_series: plan.providers.flatMap((p) => providerSeries(p, 0.4, 0.5, 0)),
      alert_rule_test: [{ eval_time: '20m', alertname: NAME, exp_alerts: [] }],
    });
    return groups;
  },
  runbook: (plan) => ({
    fires: `more than ${pct(r)} of a provider's requests over the last ${WINDOWS.rate} were answered 429 (rate limited), with at least ${minReq} requests in that window, for 1 minute${plan.profile.namedProviderMatcher ? ` (only named deployments, \`${plan.profile.namedProviderMatcher}\`: LiteLLM's own rejections are ReadinessGatewayRejecting)` : ''}. A sustained rate pages within 7 minutes of its onset.`,
    columns: ['Provider', 'Fires above (share of requests answered 429)'],
    rows: plan.providers.map((p) => [p, pct(r)]),
    rowNoun: 'providers',
  }),
  whatToDo: [
    "The provider's account limit is being hit. Check that failover is taking the traffic (LiteLLM:",
    '`litellm_deployment_successful_fallbacks_total`), then raise the provider limit or spread the load.',
    "Incident one went eleven minutes unnoticed at the operator's peak; this fires within a few minutes.",
  ].join('\n'),
  panel: (plan) => {
    const P = plan.profile.providerLabel;
    const named = plan.profile.namedProviderMatcher;
    return {
      title: '429 rate per provider (alert at 1%)',
      description: "Share of each named provider's requests answered 429 over 5m.",
      unit: 'percentunit',
      targets: [
        {
          expr: `sum by (${P}) (rate(${sel(logical(plan, 'providerRateLimited'), [named])}[${WINDOWS.rate}])) / sum by (${P}) (rate(${sel(logical(plan, 'providerRequests'), [named])}[${WINDOWS.rate}]))`,
          legend: `{{${P}}}`,
        },
        { expr: `vector(${plain(r)})`, legend: 'alert threshold' },
      ],
    };
  },
};
