import { fileURLToPath } from 'node:url';
import path from 'node:path';

/** The package root: dist/src/util -> ../../.. (compiled), where schemas/ and templates/ live. */
export const packageRoot: string = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

export function fromRoot(...parts: string[]): string {
  return path.join(packageRoot, ...parts);
}

/** 'providers.0.limits.rpm' style, as shown to users and in JSON reports. */
export function formatPath(p: ReadonlyArray<string | number>): string {
  return p.map((s, i) => (typeof s === 'number' ? `[${s}]` : i === 0 ? s : `.${s}`)).join('');
}
