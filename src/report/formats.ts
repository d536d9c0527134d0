export type { FormatMeta, FormatSpec, Renderer } from './meta.js';
import type { FormatSpec, Renderer } from './meta.js';

export { gateVerdict, relativePath } from './common.js';

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
