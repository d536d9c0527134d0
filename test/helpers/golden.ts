import { readFileSync, readdirSync } from 'node:fs';
import assert from 'node:assert/strict';
import path from 'node:path';
import { buildModel } from '../../src/manifest/model.js';
import { parseManifest } from '../../src/manifest/load.js';
import type { GenerateContext, GeneratedFile, Generator } from '../../src/generate/types.js';
import { writeAtomic } from '../../src/util/atomic.js';
import { toolVersion } from '../../src/util/version.js';
import { EXAMPLES, ROOT } from './cli.js';

export const GOLDEN_DIR = path.join(ROOT, 'test', 'golden');
export const UPDATE_GOLDEN = process.env.UPDATE_GOLDEN === '1';

/** Every example manifest's name, without .yaml. */
export function exampleNames(): string[] {
  return readdirSync(EXAMPLES)
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => f.slice(0, -'.yaml'.length))
    .sort();
}

/** The generate context for an example, with the manifest named as a user in the package root would. */
export function exampleContext(name: string): GenerateContext {
  const rel = `templates/examples/${name}.yaml`;
  const loaded = parseManifest(readFileSync(path.join(ROOT, rel)), rel);
  return { model: buildModel(loaded.manifest), manifestFile: rel, manifestSha256: loaded.sha256, toolVersion: toolVersion() };
}

/**
 * Compares each generated file with test/golden/<example>/<path>; with UPDATE_GOLDEN=1 rewrites the
 * golden file instead (then review the diff and commit it).
 */
export async function assertGolden(example: string, files: GeneratedFile[]): Promise<void> {
  for (const f of files) {
    const golden = path.join(GOLDEN_DIR, example, f.path);
    if (UPDATE_GOLDEN) {
      await writeAtomic(golden, f.content);
      continue;
    }
    let expected: string;
    try {
      expected = readFileSync(golden, 'utf8');
    } catch {
      assert.fail(`no golden file ${path.relative(ROOT, golden)}: run UPDATE_GOLDEN=1 npm test and review it`);
    }
    assert.equal(f.content, expected, `${f.path} for ${example} differs from ${path.relative(ROOT, golden)} (UPDATE_GOLDEN=1 rewrites it)`);
  }
}

/** Runs a generator twice on fresh contexts and asserts byte-identical output. */
export function assertDeterministic(gen: Generator, example: string): GeneratedFile[] {
  const a = gen(exampleContext(example));
  const b = gen(exampleContext(example));
  assert.deepEqual(
    a.map((f) => [f.path, Buffer.from(f.content).toString('hex')]),
    b.map((f) => [f.path, Buffer.from(f.content).toString('hex')]),
  );
  return a;
}
