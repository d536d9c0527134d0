/**
 * Regenerates the example go-live pages under docs/examples/ from templates/examples/ (the compliant
 * manifest and each incident), through the library API. `npm run docs:html`; a test fails when a
 * committed page differs from what this produces.
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runChecks } from '../src/checks/run.js';
import { parseManifest } from '../src/manifest/load.js';
import { buildModel } from '../src/manifest/model.js';
import { renderHtml } from '../src/report/html.js';
import { writeAtomic } from '../src/util/atomic.js';
import { fromRoot } from '../src/util/paths.js';
import { toolVersion } from '../src/util/version.js';

export const EXAMPLES_DIR = 'templates/examples';
export const PAGES_DIR = 'docs/examples';

/** The manifests that get a page: compliant.yaml and every incident-*.yaml, in name order. */
export function exampleNames(): string[] {
  return readdirSync(fromRoot(EXAMPLES_DIR))
    .filter((f) => f === 'compliant.yaml' || /^incident-.*\.yaml$/.test(f))
    .sort()
    .map((f) => f.replace(/\.yaml$/, ''));
}

/** The page for one example, rendered exactly as the committed file must be. */
export function examplePage(name: string): { path: string; content: string } {
  const rel = `${EXAMPLES_DIR}/${name}.yaml`;
  const source = readFileSync(fromRoot(rel), 'utf8');
  const loaded = parseManifest(source, rel);
  const model = buildModel(loaded.manifest);
  const report = runChecks(loaded, undefined, model);
  return { path: `${PAGES_DIR}/${name}.html`, content: renderHtml(report, model, { toolVersion: toolVersion(), source }) };
}

export function examplePages(): Array<{ path: string; content: string }> {
  return exampleNames().map(examplePage);
}

async function main(): Promise<void> {
  for (const page of examplePages()) {
    await writeAtomic(fromRoot(page.path), page.content);
    process.stderr.write(`wrote ${page.path}\n`);
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  });
}
