/**
 * dashboards/readiness.json: a Grafana dashboard over the same metrics and recording rules as the alerts,
 * one panel per alert of the catalogue (each alert module states its panel: the PromQL and the line it is
 * read against). Typed against @grafana/schema's Dashboard, so `tsc` checks the shape; readiness' tests
 * prove every panel query valid PromQL with `promtool check rules`. Pure: same context, same bytes.
 */
import type { Dashboard, Panel } from '@grafana/schema';
import { alertRules, planAlerts } from './prometheus.js';
import { type GenerateContext, type GeneratedFile, headerLines } from './types.js';

export const DASHBOARD_PATH = 'dashboards/readiness.json';
const DS = { type: 'prometheus', uid: '${datasource}' };

export function buildDashboard(ctx: GenerateContext): Dashboard {
  const plan = planAlerts(ctx.model);
  const panels: Panel[] = alertRules(plan).map(({ def }, i) => {
    const p = def.panel(plan);
    return {
      id: i + 1,
      type: 'timeseries',
      title: p.title,
      description: `${p.description} Alert: ${def.name} (${def.severity}).`,
      datasource: DS,
      gridPos: { h: 8, w: 12, x: (i % 2) * 12, y: Math.floor(i / 2) * 8 },
      fieldConfig: { defaults: { unit: p.unit }, overrides: [] },
      options: { legend: { displayMode: 'list', placement: 'bottom', showLegend: true }, tooltip: { mode: 'multi', sort: 'desc' } },
      targets: p.targets.map((t, k) => ({ refId: String.fromCharCode(65 + k), datasource: DS, expr: t.expr, legendFormat: t.legend, range: true })),
      transparent: false,
      repeatDirection: 'h',
    };
  });
  const dashboard: Dashboard = {
    title: `readiness: ${ctx.model.manifest.metadata.name}`,
    uid: `readiness-${ctx.manifestSha256.slice(0, 12)}`,
    description: headerLines(ctx).join(' '),
    tags: ['readiness', plan.profile.id],
    editable: true,
    graphTooltip: 1,
    schemaVersion: 39,
    time: { from: 'now-24h', to: 'now' },
    timezone: ctx.model.manifest.operator?.timezone ?? 'utc',
    refresh: '1m',
    templating: {
      list: [{ name: 'datasource', label: 'Prometheus', type: 'datasource', query: 'prometheus', hide: 0 }],
    },
    annotations: { list: [] },
    links: [],
    panels,
  };
  return dashboard;
}

export function grafanaGenerator(ctx: GenerateContext): GeneratedFile[] {
  return [{ path: DASHBOARD_PATH, content: `${JSON.stringify(buildDashboard(ctx), null, 2)}\n` }];
}
