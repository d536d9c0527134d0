import { readFileSync } from 'node:fs';
import { parse, stringify } from 'yaml';
import { parseManifest, type LoadedManifest } from '../../src/manifest/load.js';
import { example } from './cli.js';

/** A deep copy of an example manifest as plain data, e.g. base('compliant'). */
export function base(name = 'compliant'): Record<string, unknown> {
  return parse(readFileSync(example(`${name}.yaml`), 'utf8')) as Record<string, unknown>;
}

function splitPath(p: string): Array<string | number> {
  return p.split('.').flatMap((seg) => {
    const m = /^([^[]*)((?:\[\d+\])*)$/.exec(seg);
    if (!m) return [seg];
    const out: Array<string | number> = m[1] ? [m[1]] : [];
    for (const i of m[2].matchAll(/\[(\d+)\]/g)) out.push(Number(i[1]));
    return out;
  });
}

/** Sets a dotted path ('providers[0].limits.rpm'), creating objects on the way. */
export function setPath(obj: Record<string, unknown>, p: string, value: unknown): void {
  const segs = splitPath(p);
  let cur: any = obj;
  for (let i = 0; i < segs.length - 1; i++) {
    if (cur[segs[i]] === undefined || cur[segs[i]] === null) cur[segs[i]] = typeof segs[i + 1] === 'number' ? [] : {};
    cur = cur[segs[i]];
  }
  cur[segs[segs.length - 1]] = value;
}

export function unsetPath(obj: Record<string, unknown>, p: string): void {
  const segs = splitPath(p);
  let cur: any = obj;
  for (let i = 0; i < segs.length - 1; i++) {
    cur = cur?.[segs[i]];
    if (cur === undefined) return;
  }
  if (Array.isArray(cur) && typeof segs[segs.length - 1] === 'number') cur.splice(segs[segs.length - 1] as number, 1);
  else if (cur) delete cur[segs[segs.length - 1]];
}

export interface Patch {
  base?: string;
  set?: Record<string, unknown>;
  unset?: string[];
}

/** Applies a patch to an example and loads the result through the real parser and schema. */
export function patched(patch: Patch, file = 'patched.yaml'): LoadedManifest {
  const m = base(patch.base ?? 'compliant');
  for (const p of patch.unset ?? []) unsetPath(m, p);
  for (const [p, v] of Object.entries(patch.set ?? {})) setPath(m, p, v);
  return parseManifest(stringify(m), file);
}
