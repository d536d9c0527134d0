import type { Report } from '../checks/run.js';
import type { FormatMeta } from './meta.js';
import { gateVerdict, relativePath } from './common.js';
import { controlsEscaped } from '../util/text.js';

/** Escapes a workflow-command message (the part after `::`): %, CR and LF. */
export function escapeData(s: string): string {
  // other control characters (ESC colours a CI log) are shown as \u escapes, then the workflow escapes
  return controlsEscaped(s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A'));
}

/** Escapes a workflow-command property value: as a message, plus `:` and `,` which delimit properties. */
export function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/** The inverse of escapeData / escapeProperty (what the runner does when it reads the command). */
export function unescapeWorkflow(s: string): string {
  return s.replace(/%(25|0D|0A|3A|2C)/g, (_, code: string) => ({ '25': '%', '0D': '\r', '0A': '\n', '3A': ':', '2C': ',' })[code] as string);
}

export type AnnotationLevel = 'error' | 'warning' | 'notice';

export interface Annotation {
  level: AnnotationLevel;
  file: string;
  line: number;
  col: number;
  title: string;
  message: string;
}

export function formatAnnotation(a: Annotation): string {
  const props = [`file=${escapeProperty(a.file)}`, `line=${a.line}`, `col=${a.col}`, `title=${escapeProperty(a.title)}`].join(',');
  return `::${a.level} ${props}::${escapeData(a.message)}`;
}

/** Parses one annotation line back (for tests and for tools that read the log). */
export function parseAnnotation(line: string): Annotation | undefined {
  const m = /^::(error|warning|notice) ([^:]*)::(.*)$/s.exec(line);
  if (!m) return undefined;
  const props = Object.fromEntries(
    m[2].split(',').map((kv) => {
      const i = kv.indexOf('=');
      return [kv.slice(0, i), unescapeWorkflow(kv.slice(i + 1))];
    }),
  );
  return { level: m[1] as AnnotationLevel, file: props.file, line: Number(props.line), col: Number(props.col), title: props.title, message: unescapeWorkflow(m[3]) };
}

/** The annotations for a report: error for failing findings, warning for warnings, notice for waived ones. */
export function annotations(report: Report, meta: FormatMeta): Annotation[] {
  return report.checks.flatMap((c) =>
    c.findings
      .filter((f) => f.status !== 'pass')
      .map((f): Annotation => {
        const level: AnnotationLevel = f.waived ? 'notice' : f.status === 'fail' || meta.failOn === 'warn' ? 'error' : 'warning';
        const message = `${f.message}${f.remediation ? `\nFix: ${f.remediation}` : ''}${f.waived ? `\nWaived by ${f.waived.owner} until ${f.waived.expires}: ${f.waived.reason}` : ''}`;
        return {
          level,
          file: relativePath(f.file ?? report.manifest, meta.cwd, meta.root),
          line: Math.max(1, f.line),
          col: Math.max(1, f.column),
          title: `readiness ${c.id}${f.waived ? ' (waived)' : ''}${f.path ? `: ${f.path}` : ''}`,
          message,
        };
      }),
  );
}

/** GitHub Actions workflow commands, one annotation per warn or fail finding, then a plain summary line. */
export function renderGithub(report: Report, meta: FormatMeta): string {
  const s = report.summary;
  const extra = [s.waived ? `${s.waived} waived` : '', s.expiredWaivers ? `${s.expiredWaivers} expired waiver(s)` : ''].filter(Boolean).join(', ');
  const gate = gateVerdict(report, meta);
  const lines = annotations(report, meta).map(formatAnnotation);
  lines.push(`readiness: ${report.checks.length} checks: ${s.pass} pass, ${s.warn} warn, ${s.fail} fail${extra ? `, ${extra}` : ''}. Gate ${gate} (exit ${meta.exitCode}).`);
  return `${lines.join('\n')}\n`;
}
