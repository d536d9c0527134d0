import { pathToFileURL } from 'node:url';
import { CHECKS } from '../checks/catalogue.js';
import type { LocatedFinding, Report } from '../checks/run.js';
import type { Check } from '../checks/types.js';
import type { FormatMeta } from './meta.js';
import { relativePath } from './common.js';

export const SARIF_SCHEMA_URI = 'https://json.schemastore.org/sarif-2.1.0.json';

type Level = 'error' | 'warning' | 'note' | 'none';

export interface SarifResult {
  ruleId: string;
  ruleIndex: number;
  level: Level;
  message: { text: string };
  locations: Array<{
    physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number; startColumn: number } };
    logicalLocations?: Array<{ fullyQualifiedName: string; kind: string }>;
  }>;
  properties: Record<string, unknown>;
  suppressions?: Array<{ kind: 'inSource' | 'external'; status: 'accepted'; justification: string }>;
}

/** The help a code-scanning alert shows: the remediation first, then why, then the sources. */
export function ruleHelpText(c: Check): string {
  return `${c.remediation}\n\nWhy: ${c.rationale}\n\nSources:\n${c.sources.map((s) => `- ${s.title}: ${s.url}`).join('\n')}`;
}

function ruleHelpMarkdown(c: Check): string {
  return `${c.remediation}\n\n**Why:** ${c.rationale}\n\n**Sources:**\n${c.sources.map((s) => `- [${s.title}](${s.url})`).join('\n')}`;
}

/** One SARIF rule per check, from the catalogue: the same source as docs/checks.md and `readiness explain`. */
export function sarifRules(checks: readonly Check[] = CHECKS) {
  return checks.map((c) => ({
    id: c.id,
    name: c.id
      .split('-')
      .map((w) => w[0].toUpperCase() + w.slice(1))
      .join(''),
    shortDescription: { text: c.title },
    fullDescription: { text: c.rationale },
    help: { text: ruleHelpText(c), markdown: ruleHelpMarkdown(c) },
    ...(c.sources[0] ? { helpUri: c.sources[0].url } : {}),
    defaultConfiguration: { level: 'error' as Level },
    properties: { tags: ['readiness', 'operations'] },
  }));
}

/** SARIF uris are URI references: each path segment percent-encoded, forward slashes. */
export function toUri(relPath: string): string {
  if (relPath.startsWith('/')) return pathToFileURL(relPath).href;
  return relPath
    .split('/')
    .map((s) => (s === '..' || s === '.' ? s : encodeURIComponent(s)))
    .join('/');
}

function level(f: LocatedFinding, meta: FormatMeta): Level {
  if (f.waived) return 'note';
  if (f.status === 'fail') return 'error';
  return meta.failOn === 'warn' ? 'error' : 'warning';
}

/**
 * SARIF 2.1.0 for GitHub code scanning and other SARIF viewers. One result per warn or fail finding,
 * located at the manifest (region.startLine always present), uri relative to meta.cwd. Waived findings
 * are results at level note with an accepted suppression carrying the reason and owner.
 */
export function toSarif(report: Report, meta: FormatMeta) {
  const ruleIndex = new Map(CHECKS.map((c, i) => [c.id, i]));
  const results = report.checks.flatMap((c) =>
    c.findings
      .filter((f) => f.status !== 'pass')
      .map((f): SarifResult => {
        const file = f.file ?? report.manifest;
        const text = `${f.message}${f.remediation ? `\nFix: ${f.remediation}` : ''}${
          f.waived ? `\nWaived by ${f.waived.owner} until ${f.waived.expires}: ${f.waived.reason}` : ''
        }`;
        const result: SarifResult = {
          ruleId: c.id,
          ruleIndex: ruleIndex.get(c.id) ?? -1,
          level: level(f, meta),
          message: { text },
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: toUri(relativePath(file, meta.cwd, meta.root)) },
                region: { startLine: Math.max(1, f.line), startColumn: Math.max(1, f.column) },
              },
              ...(f.path ? { logicalLocations: [{ fullyQualifiedName: f.path, kind: 'member' }] } : {}),
            },
          ],
          properties: { status: f.status, ...(f.path ? { manifestPath: f.path } : {}), ...(f.evidence ? { evidence: f.evidence } : {}) },
        };
        if (f.waived) {
          result.suppressions = [
            {
              kind: f.waived.source.startsWith(`${report.manifest}:`) ? 'inSource' : 'external',
              status: 'accepted',
              justification: `${f.waived.reason} (owner ${f.waived.owner}, expires ${f.waived.expires}, waiver at ${f.waived.source})`,
            },
          ];
        }
        return result;
      }),
  );
  return {
    $schema: SARIF_SCHEMA_URI,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'readiness',
            version: meta.version,
            semanticVersion: meta.version,
            rules: sarifRules(),
          },
        },
        invocations: [{ executionSuccessful: true, exitCode: meta.exitCode }],
        // columns come from the yaml parser's offsets into a JavaScript string
        columnKind: 'utf16CodeUnits',
        results,
        properties: {
          manifestSha256: report.manifestSha256,
          summary: report.summary,
          failOn: meta.failOn,
        },
      },
    ],
  };
}

export function renderSarif(report: Report, meta: FormatMeta): string {
  return `${JSON.stringify(toSarif(report, meta), null, 2)}\n`;
}
