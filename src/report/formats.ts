import type { ChalkInstance } from 'chalk';
import type { FailOn, Report } from '../checks/run.js';
import type { DeploymentModel } from '../manifest/model.js';
import type { HtmlProbe } from './html.js';

/** What every renderer may use besides the report. Renderers are pure: same inputs, same bytes. */
export interface FormatMeta {
  /** readiness's version */
  version: string;
  failOn: FailOn;
  /** the exit code of this run (after --soft-fail) */
  exitCode: number;
  /** the directory file names were given relative to */
  cwd: string;
  /** the repository root paths in reports are made relative to (SARIF uris, annotation files); default cwd */
  root?: string;
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
  /** text and html: the measured usage profile (check --usage) */
  usage?: import('../usage/types.js').UsageProfile;
}

export { gateVerdict, relativePath } from './common.js';

export type Renderer = (report: Report, meta: FormatMeta) => string;

export interface FormatSpec {
  name: string;
  /** one line for --help */
  description: string;
  /** the renderer, loaded on first use: a run pays only for the formats it writes */
  load: () => Promise<Renderer>;
}

const registry = new Map<string, FormatSpec>();

/** Adds a format (or replaces one of the same name); `render` for a renderer already at hand. */
export function registerFormat(spec: { name: string; description: string; load?: () => Promise<Renderer>; render?: Renderer }): void {
  const { name, description, render } = spec;
  const load = spec.load ?? (async () => render as Renderer);
  if (!spec.load && !render) throw new Error(`format ${name}: give load or render`);
  registry.set(name, { name, description, load });
}

export function getFormat(name: string): FormatSpec | undefined {
  return registry.get(name);
}

/** The renderer of a registered format; undefined for an unknown name. */
export async function loadRenderer(name: string): Promise<Renderer | undefined> {
  return registry.get(name)?.load();
}

/** Registered format names, in registration order. */
export function formatNames(): string[] {
  return [...registry.keys()];
}

registerFormat({
  name: 'text',
  description: 'human report (colour on a terminal)',
  load: async () => {
    const { renderText } = await import('./text.js');
    return (r, m) => renderText(r, { chalk: m.chalk, exitCode: m.exitCode, verbose: m.verbose, failOn: m.failOn, softFail: m.softFail });
  },
});
registerFormat({ name: 'json', description: 'machine-readable report (readiness schema --report)', load: async () => (await import('./json.js')).renderJson });
registerFormat({ name: 'markdown', description: 'summary for a PR comment or step summary (under 65,000 characters)', load: async () => (await import('./markdown.js')).renderMarkdown });
registerFormat({ name: 'junit', description: 'JUnit XML, one testcase per check (GitLab, Jenkins, Azure DevOps)', load: async () => (await import('./junit.js')).renderJunit });
registerFormat({ name: 'sarif', description: 'SARIF 2.1.0 for GitHub code scanning', load: async () => (await import('./sarif.js')).renderSarif });
registerFormat({ name: 'github', description: 'GitHub Actions workflow annotations (::error file=...::)', load: async () => (await import('./github.js')).renderGithub });
registerFormat({
  name: 'html',
  description: 'self-contained go-live review page with charts (no network fetches)',
  load: async () => {
    const { renderHtml } = await import('./html.js');
    return (r, m) => {
      if (!m.model) throw new Error('the html format needs the deployment model (FormatMeta.model)');
      return renderHtml(r, m.model, { failOn: m.failOn, exitCode: m.exitCode, toolVersion: m.version, source: m.source, probe: m.probe, softFail: m.softFail, usage: m.usage });
    };
  },
});
