import type { ChalkInstance } from 'chalk';
import type { FailOn, Report } from '../checks/run.js';
import type { DeploymentModel } from '../manifest/model.js';
import { renderGithub } from './github.js';
import { type HtmlProbe, renderHtml } from './html.js';
import { renderJson } from './json.js';
import { renderJunit } from './junit.js';
import { renderMarkdown } from './markdown.js';
import { renderSarif } from './sarif.js';
import { renderText } from './text.js';

/** What every renderer may use besides the report. Renderers are pure: same inputs, same bytes. */
export interface FormatMeta {
  /** readiness's version */
  version: string;
  failOn: FailOn;
  /** the exit code of this run (after --soft-fail) */
  exitCode: number;
  /** the directory paths in reports are made relative to (SARIF uris, annotation files) */
  cwd: string;
  /** text only: colours (none when absent) */
  chalk?: ChalkInstance;
  /** text only: show passing findings too */
  verbose?: boolean;
  /** the gate is report-only (--soft-fail) */
  softFail?: boolean;
  /** html only: the derived model (capacity and budget charts) */
  model?: DeploymentModel;
  /** html only: the manifest text, to quote each finding's line */
  source?: string;
  /** html only: burst-load probe results, when the probe ran */
  probe?: HtmlProbe;
}

export { gateVerdict, relativePath } from './common.js';

export type Renderer = (report: Report, meta: FormatMeta) => string;

export interface FormatSpec {
  name: string;
  /** one line for --help */
  description: string;
  render: Renderer;
}

const registry = new Map<string, FormatSpec>();

/** Adds a format (or replaces one of the same name). Open for formats defined elsewhere, e.g. html. */
export function registerFormat(spec: FormatSpec): void {
  registry.set(spec.name, spec);
}

export function getFormat(name: string): FormatSpec | undefined {
  return registry.get(name);
}

/** Registered format names, in registration order. */
export function formatNames(): string[] {
  return [...registry.keys()];
}

registerFormat({ name: 'text', description: 'human report (colour on a terminal)', render: (r, m) => renderText(r, { chalk: m.chalk, exitCode: m.exitCode, verbose: m.verbose, failOn: m.failOn, softFail: m.softFail }) });
registerFormat({ name: 'json', description: 'machine-readable report (readiness schema --report)', render: (r, m) => renderJson(r, m) });
registerFormat({ name: 'markdown', description: 'summary for a PR comment or step summary (under 65,000 characters)', render: renderMarkdown });
registerFormat({ name: 'junit', description: 'JUnit XML, one testcase per check (GitLab, Jenkins, Azure DevOps)', render: renderJunit });
registerFormat({ name: 'sarif', description: 'SARIF 2.1.0 for GitHub code scanning', render: renderSarif });
registerFormat({ name: 'github', description: 'GitHub Actions workflow annotations (::error file=...::)', render: renderGithub });
registerFormat({
  name: 'html',
  description: 'self-contained go-live review page with charts (no network fetches)',
  render: (r, m) => {
    if (!m.model) throw new Error('the html format needs the deployment model (FormatMeta.model)');
    return renderHtml(r, m.model, { failOn: m.failOn, exitCode: m.exitCode, toolVersion: m.version, source: m.source, probe: m.probe });
  },
});
