import path from 'node:path';
/**
 * The generator registry: every file `readiness generate` writes comes from a generator listed here.
 * Add a generator by appending it to GENERATORS; generateAll sorts the union by path.
 */
import { alertmanagerGenerator } from './alertmanager.js';
import { auditSchemaGenerator } from './audit-schema.js';
import { grafanaGenerator } from './grafana.js';
import { litellmGenerator } from './litellm.js';
import { portkeyGenerator } from './portkey.js';
import { prometheusRules } from './prometheus.js';
import type { GenerateContext, GeneratedFile, Generator } from './types.js';
import { oneLine } from '../util/text.js';

export interface RegisteredGenerator {
  id: string;
  description: string;
  generate: Generator;
}

export const GENERATORS: readonly RegisteredGenerator[] = [
  {
    id: 'prometheus',
    description: 'Prometheus alerting rules, their promtool unit tests and their runbook (alerts/)',
    generate: prometheusRules,
  },
  {
    id: 'alertmanager',
    description: "Alertmanager routes, grouping and inhibition for the alerts, to the manifest's alerting.receivers (alerts/alertmanager.yml)",
    generate: alertmanagerGenerator,
  },
  {
    id: 'grafana',
    description: 'Grafana dashboard over the same metrics and recording rules, one panel per alert (dashboards/readiness.json)',
    generate: grafanaGenerator,
  },
  {
    id: 'litellm',
    description: 'LiteLLM proxy config, one /team/new body per tenant and one /key/generate body per tenant and use case (gateway/litellm.*)',
    generate: litellmGenerator,
  },
  {
    id: 'portkey',
    description: 'Portkey gateway config: fallback on routing.failover.onStatus (gateway/portkey.config.json)',
    generate: portkeyGenerator,
  },
  {
    id: 'audit-schema',
    description: "JSON Schema of an audit record, with the fields the manifest's frameworks require (audit/)",
    generate: auditSchemaGenerator,
  },
];

/** Runs every generator; the files sorted by path. Pure. Throws if two generators claim one path. */
export function generateAll(ctx: GenerateContext, generators: readonly RegisteredGenerator[] = GENERATORS): GeneratedFile[] {
  const files = generators.flatMap((g) => g.generate(ctx));
  const seen = new Set<string>();
  for (const f of files) {
    if (seen.has(f.path)) throw new Error(`two generators write ${f.path}`);
    seen.add(f.path);
  }
  return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

export type { GenerateContext, GeneratedFile, Generator } from './types.js';

/** The context for a loaded manifest: the model, and the file name and hash for the header. */
/**
 * The manifest's name as generated headers show it: relative to the working directory and with
 * forward slashes, so `./m.yaml`, `m.yaml` and `$PWD/m.yaml` give the same bytes and no local
 * absolute path ends up in a committed file (outside the working directory: the file name alone).
 */
export function headerPath(file: string, cwd: string = process.cwd()): string {
  const rel = path.relative(cwd, path.resolve(cwd, file));
  const shown = rel.startsWith('..') || path.isAbsolute(rel) ? path.basename(file) : rel;
  // one line in every header, and inside RUNBOOK.md's comment: no newline, no control character, no '-->'
  return oneLine(shown.split(path.sep).join('/')).replace(/-->/g, '--\\u003e');
}

export async function contextFor(loaded: import('../manifest/load.js').LoadedManifest, toolVersion: string, cwd?: string): Promise<GenerateContext> {
  const { buildModel } = await import('../manifest/model.js');
  return { model: buildModel(loaded.manifest), manifestFile: headerPath(loaded.file, cwd), manifestSha256: loaded.sha256, toolVersion };
}

/** Generates every file for a loaded manifest and writes each atomically under outDir. Returns the paths written, relative to outDir. */
export async function writeGenerated(loaded: import('../manifest/load.js').LoadedManifest, outDir: string, toolVersion: string, cwd: string = process.cwd()): Promise<string[]> {
  const [{ writeAllAtomic }, { UsageError }, path] = await Promise.all([import('../util/atomic.js'), import('../util/errors.js'), import('node:path')]);
  const files = generateAll(await contextFor(loaded, toolVersion));
  try {
    // the manifest itself is never replaced by a generated file (a manifest kept inside the out-dir)
    await writeAllAtomic(outDir, files, { inputs: [path.resolve(cwd, loaded.file)] });
  } catch (err) {
    // a folder that is a file, no permission, a full disk: the user's to fix, not a crash
    const e = err as NodeJS.ErrnoException;
    if (typeof e?.code === 'string') throw new UsageError(`cannot write the generated files under ${outDir}: ${e.code} (${e.message})`);
    throw err;
  }
  return files.map((f) => f.path);
}
