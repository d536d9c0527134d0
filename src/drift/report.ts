import { formatAnnotation } from '../report/github.js';
import { mdInline } from '../report/markdown.js';
import { relativePath, terminalSafe } from '../report/common.js';
import { SARIF_SCHEMA_URI, toUri } from '../report/sarif.js';
import { DRIFT_RULES, driftRule } from './rules.js';
import type { DriftReport } from './run.js';

export const DRIFT_FORMATS = ['text', 'json', 'sarif', 'markdown', 'github'] as const;
export type DriftFormat = (typeof DRIFT_FORMATS)[number];

export interface DriftMeta {
  cwd: string;
  /** repository root, for SARIF and GitHub paths */
  root?: string;
  version: string;
  failOn: 'fail' | 'warn';
  exitCode: number;
  manifest?: string;
}

function verdict(r: DriftReport, meta: DriftMeta): string {
  if (meta.exitCode !== 0) return 'DRIFT';
  return r.findings.length ? 'NO FAILING DRIFT' : 'NO DRIFT';
}

function text(r: DriftReport, meta: DriftMeta): string {
  const lines: string[] = [];
  lines.push(`readiness drift: ${r.files.map((f) => f.file).join(', ')}${meta.manifest ? ` against ${meta.manifest}` : ''}`);
  for (const f of r.findings) {
    lines.push(`${f.file}:${f.line}:${f.column}: ${f.status} ${f.id}: ${f.message}`);
    lines.push(`    fix: ${f.remediation}`);
  }
  lines.push(`${verdict(r, meta)}: ${r.summary.fail} fail, ${r.summary.warn} warn${meta.failOn === 'warn' ? ' (--fail-on warn)' : ''}`);
  return `${terminalSafe(lines.join('\n'))}\n`;
}

function json(r: DriftReport, meta: DriftMeta): string {
  return `${JSON.stringify(
    {
      tool: 'readiness',
      version: meta.version,
      manifest: meta.manifest ?? null,
      files: r.files,
      findings: r.findings.map((f) => ({ id: f.id, status: f.status, file: f.file, line: f.line, column: f.column, message: f.message, remediation: f.remediation, path: f.path })),
      summary: r.summary,
      exitCode: meta.exitCode,
    },
    null,
    2,
  )}\n`;
}

function sarif(r: DriftReport, meta: DriftMeta): string {
  const index = new Map(DRIFT_RULES.map((x, i) => [x.id, i]));
  const rules = DRIFT_RULES.map((x) => ({
    id: x.id,
    name: x.id.split(/[-.]/).map((w) => (w[0] ?? '').toUpperCase() + w.slice(1)).join(''),
    shortDescription: { text: x.title },
    fullDescription: { text: x.rationale },
    help: { text: `${x.remediation}\n\nWhy: ${x.rationale}\n\nSources:\n${x.sources.map((s) => `- ${s.title}: ${s.url}`).join('\n')}` },
    ...(x.sources[0] ? { helpUri: x.sources[0].url } : {}),
    defaultConfiguration: { level: x.status === 'fail' ? 'error' : 'warning' },
    properties: { tags: ['readiness', 'drift'] },
  }));
  const results = r.findings.map((f) => ({
    ruleId: f.id,
    ruleIndex: index.get(f.id) ?? 0,
    level: f.status === 'fail' || meta.failOn === 'warn' ? 'error' : 'warning',
    message: { text: `${f.message}\nFix: ${f.remediation}` },
    locations: [
      {
        physicalLocation: { artifactLocation: { uri: toUri(relativePath(f.file, meta.cwd, meta.root ?? meta.cwd)) }, region: { startLine: f.line, startColumn: f.column } },
        ...(f.path ? { logicalLocations: [{ fullyQualifiedName: f.path, kind: 'member' }] } : {}),
      },
    ],
    properties: { status: f.status },
  }));
  const log = {
    $schema: SARIF_SCHEMA_URI,
    version: '2.1.0',
    runs: [{ tool: { driver: { name: 'readiness', version: meta.version, informationUri: 'https://github.com/', rules } }, results }],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}

function markdown(r: DriftReport, meta: DriftMeta): string {
  const out = [`## readiness drift: ${verdict(r, meta)}`, '', `${r.summary.fail} fail, ${r.summary.warn} warn in ${r.files.map((f) => mdInline(f.file)).join(', ')}`, ''];
  if (r.findings.length) {
    out.push('| status | rule | where | finding | fix |', '| --- | --- | --- | --- | --- |');
    for (const f of r.findings) {
      out.push(`| ${f.status} | ${mdInline(f.id)} | ${mdInline(`${f.file}:${f.line}:${f.column}`)} | ${mdInline(f.message)} | ${mdInline(f.remediation)} |`);
    }
  }
  return `${out.join('\n')}\n`;
}

function github(r: DriftReport, meta: DriftMeta): string {
  const lines = r.findings.map((f) =>
    formatAnnotation({
      level: f.status === 'fail' || meta.failOn === 'warn' ? 'error' : 'warning',
      file: relativePath(f.file, meta.cwd, meta.root ?? meta.cwd),
      line: f.line,
      col: f.column,
      title: `readiness drift ${f.id}: ${driftRule(f.id).title}`,
      message: `${f.message}\nFix: ${f.remediation}`,
    }),
  );
  lines.push(`${verdict(r, meta)}: ${r.summary.fail} fail, ${r.summary.warn} warn`);
  return `${lines.join('\n')}\n`;
}

export function renderDrift(format: DriftFormat, r: DriftReport, meta: DriftMeta): string {
  switch (format) {
    case 'text':
      return text(r, meta);
    case 'json':
      return json(r, meta);
    case 'sarif':
      return sarif(r, meta);
    case 'markdown':
      return markdown(r, meta);
    case 'github':
      return github(r, meta);
  }
}
