/** The go-live page's audit-log section: the sink, the required fields and retention against each framework's minimum. */
import { RETENTION_DAYS, RETENTION_SOURCES, REGULATED_INDUSTRIES, isRegulated, requiredAuditFields, requiredRetention } from '../checks/compliance.js';
import type { DeploymentModel } from '../manifest/model.js';
import { int, maxOf } from '../util/numbers.js';
import { badge, figure, legendItem, table } from './html-parts.js';
import { type HBarRow, type Ids, esc, hbarChart, swatch } from './html-svg.js';

export function auditSection(model: DeploymentModel, ids: Ids): string {
  const m = model.manifest;
  const frameworks = model.frameworks;
  const industry = m.operator?.industry;
  const regulated = isRegulated(industry, frameworks);
  const audit = m.audit;
  const head = '<section id="audit" aria-labelledby="audit-h">\n<h2 id="audit-h">Audit log</h2>';
  const why = [industry && REGULATED_INDUSTRIES.includes(industry) ? industry : '', ...frameworks].filter(Boolean).join(', ');
  const yn = (v: boolean | undefined) => (v === undefined ? 'not stated' : v ? 'yes' : 'no');
  const facts = [
    ['Regulated', regulated ? `yes (${why})` : `no (industry ${industry ?? 'not stated'}, no frameworks)`],
    ['Sink', audit?.sink?.kind ? `${audit.sink.kind}${audit.sink.mode ? ` (${audit.sink.mode} mode)` : ''}` : 'not stated'],
    ['Write-once', yn(audit?.writeOnce)],
    ['Business object', audit?.businessObject ?? 'not stated'],
    ['Retention', audit?.sink?.retentionDays !== undefined ? `${int(audit.sink.retentionDays)} days` : 'not stated'],
  ];
  const dl = `<dl class="facts">${facts.map(([k, v]) => `<dt>${esc(k)}</dt><dd>${esc(v)}</dd>`).join('')}</dl>`;
  if (!audit && !regulated) return `${head}\n${dl}\n<p>No audit log is required for an unregulated operator; a per-request audit log is still recommended.</p>\n</section>`;
  const fields = new Set(audit?.fields ?? []);
  const required = requiredAuditFields(frameworks);
  const present = required.filter((r) => r.anyOf.some((f) => fields.has(f)));
  const fieldRows = required.map((r) => {
    const hit = r.anyOf.find((f) => fields.has(f));
    return [
      `<code>${esc(r.name)}</code>`,
      hit ? badge('pass', 'present') : badge('fail', 'MISSING'),
      hit ? `<code>${esc(hit)}</code>` : esc(r.anyOf.join(' or ')),
      esc(r.why),
    ];
  });
  const extra = [...fields].filter((f) => !required.some((r) => r.anyOf.includes(f))).sort();
  const fieldsTable = table(
    `Required audit fields: ${present.length} of ${required.length} present`,
    ['Field', 'Status', 'Recorded as', 'Why it is required'],
    fieldRows,
    'data fields',
  );
  const days = audit?.sink?.retentionDays;
  let retention: string;
  if (frameworks.length === 0) {
    retention = '<p>No compliance frameworks are declared, so no retention minimum applies.</p>';
  } else {
    const need = requiredRetention(frameworks);
    const rows: HBarRow[] = frameworks.map((f) => {
      const min = RETENTION_DAYS[f];
      if (min === 0) return { label: f, sub: RETENTION_SOURCES[f], text: 'no minimum', note: days === undefined ? 'retention not stated' : 'met', cls: 'bar none' };
      const ok = days !== undefined && days >= min;
      return {
        label: f,
        sub: RETENTION_SOURCES[f],
        value: min,
        text: `${int(min)} days minimum`,
        note: days === undefined ? 'retention NOT stated' : ok ? `met: ${int(days)} ≥ ${int(min)} days` : `SHORT by ${int(min - days)} days`,
        cls: ok ? 'bar ok' : 'bar over',
      };
    });
    const max = maxOf(frameworks.map((f) => RETENTION_DAYS[f]), days ?? 0) * 1.05;
    const lines = days !== undefined ? [{ at: days, label: `retention ${int(days)} d`, cls: 'ref-retention' }] : [];
    const desc = `Each framework's minimum retention in days against the configured ${days !== undefined ? `${int(days)} days` : 'retention (not stated)'}. ${rows
      .map((r) => `${r.label}: ${r.text}, ${r.note}`)
      .join('. ')}.`;
    retention = figure(
      hbarChart(ids, { title: "Audit retention against each framework's minimum", desc, rows, max: Math.max(max, 1), tickLabel: (v) => `${int(v)} d`, lines }),
      `Each framework's minimum retention; the vertical line is the configured retention${need.framework ? `; the longest minimum is ${esc(int(need.days))} days (${esc(need.framework)})` : ''}.`,
      legendItem(swatch('box', 'bar ok'), 'minimum met') + legendItem(swatch('box', 'bar over', 'url(#hatch-over)'), 'minimum NOT met (hatched)') + legendItem(swatch('line', 'ref-retention'), 'configured retention'),
    );
    retention += table(
      'Retention minimum per framework (data behind the chart)',
      ['Framework', 'Minimum', 'Source', 'Configured', 'Status'],
      frameworks.map((f) => {
        const min = RETENTION_DAYS[f];
        const ok = days !== undefined && days >= min;
        return [esc(f), min ? `${esc(int(min))} days` : 'none', esc(RETENTION_SOURCES[f]), days !== undefined ? `${esc(int(days))} days` : 'not stated', ok ? badge('pass', 'met') : badge('fail', 'short')];
      }),
    );
  }
  return `${head}\n${dl}\n<h3>Required fields</h3>\n${fieldsTable}\n${extra.length ? `<p>Also recorded: ${extra.map((f) => `<code>${esc(f)}</code>`).join(', ')}.</p>\n` : ''}<h3>Retention</h3>\n${retention}\n</section>`;
}
