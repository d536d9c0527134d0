/** Manifests with many tenants for the scale tests of the go-live page (test/html-scale.test.ts, test/html-browser.test.ts). */
import { readFileSync } from 'node:fs';
import { stringify } from 'yaml';
import { runChecks } from '../../src/checks/run.js';
import { type LoadedManifest, parseManifest } from '../../src/manifest/load.js';
import { buildModel } from '../../src/manifest/model.js';
import { renderHtml } from '../../src/report/html.js';
import { example } from './cli.js';
import { base } from './manifest.js';

/**
 * The compliant example with n tenants of mixed standing: every 7th has no budget (fails), every
 * 11th is far over its budget, every 13th has no rpm limit; the rest are within budget.
 */
export function scaledManifest(n: number): Record<string, unknown> {
  const m = base('compliant') as { tenants: Array<Record<string, unknown>>; budgets: Record<string, unknown> };
  m.tenants = Array.from({ length: n }, (_, i) => {
    const t: Record<string, unknown> = { id: `tenant-${i}`, team: `team-${i % 97}`, useCases: ['batch-analysis'], dailyRequests: 100 + (i % 50) * 10, costPerRequestUsd: 0.0085, limits: { rpm: 5 + (i % 40) }, budget: { monthlyUsd: 1000 } };
    if (i % 7 === 3) delete t.budget;
    if (i % 11 === 5) t.budget = { monthlyUsd: 1 };
    if (i % 13 === 6) delete t.limits;
    return t;
  });
  m.budgets.accountMonthlyUsd = n * 1000;
  return m;
}
export const scaledSource = (n: number): string => stringify(scaledManifest(n));
export const scaled = (n: number): LoadedManifest => parseManifest(scaledSource(n), `scaled-${n}.yaml`, { maxBytes: 64 * 2 ** 20 });
/**
 * The same manifest without YAML in between, for 50,000 tenants: writing and reading them back
 * takes seconds and is not what is tested here (the loader has its own scale tests). Every finding
 * is placed at line 1; the renderer under test is the same.
 */
export function scaledUnparsed(n: number): LoadedManifest {
  const shell = parseManifest(readFileSync(example('compliant.yaml')), 'compliant.yaml');
  return { ...shell, file: `scaled-${n}.yaml`, manifest: scaledManifest(n) as unknown as LoadedManifest['manifest'], locate: () => ({ line: 1, column: 1 }) };
}

/** The go-live page of a loaded manifest, the manifest's lines quoted. */
export function pageOf(loaded: LoadedManifest): string {
  const model = buildModel(loaded.manifest);
  return renderHtml(runChecks(loaded, undefined, model), model, { source: loaded.source });
}
