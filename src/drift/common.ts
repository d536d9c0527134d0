import { createRequire } from 'node:module';
import type { Observation } from '../evidence/types.js';
import { secretKind } from '../util/secrets.js';
import { driftRule } from './rules.js';
import type { DriftFinding, DriftStatus, LintResult } from './types.js';
import type { CNode, Pos, ReadResult } from './yaml.js';
import { joinPath } from './yaml.js';

let lev: ((a: string, b: string) => number) | undefined;
export function distance(a: string, b: string): number {
  lev ??= (createRequire(import.meta.url)('fastest-levenshtein') as { distance: (a: string, b: string) => number }).distance;
  return lev(a, b);
}

/** The nearest known key within `max` edits (case-insensitive), if any. */
export function nearest(key: string, known: readonly string[], max: number): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  const k = key.toLowerCase();
  for (const c of known) {
    const d = distance(k, c.toLowerCase());
    if (d < bestD) {
      bestD = d;
      best = c;
    }
  }
  return best !== undefined && bestD <= max ? best : undefined;
}

/** Collects findings and observations for one file. */
export class Collector implements LintResult {
  findings: DriftFinding[] = [];
  observations: Observation[] = [];
  constructor(readonly file: string) {}

  add(id: string, at: Pos, path: string, message: string, opts: { status?: DriftStatus; remediation?: string } = {}): void {
    const rule = driftRule(id);
    this.findings.push({ id, status: opts.status ?? rule.status, file: this.file, line: at.line, column: at.column, message, remediation: opts.remediation ?? rule.remediation, path });
  }

  observe(o: Observation): void {
    this.observations.push(o);
  }
}

/** duplicate-key and YAML 1.1 surprises, the same for every file. */
export function readerFindings(c: Collector, read: ReadResult, gateway: string): void {
  for (const d of read.duplicates) {
    const where = d.parent ? `${d.parent}${d.parent.endsWith(']') || /^[A-Za-z_]/.test(d.key) ? '.' : ''}${d.key}` : d.key;
    const same = d.first.line === d.second.line;
    const a = same ? `line ${d.first.line} column ${d.first.column}` : `line ${d.first.line}`;
    const b = same ? `column ${d.second.column}` : `line ${d.second.line}`;
    c.add(
      'duplicate-key',
      d.second,
      where,
      `${where} is given twice (${a} and ${b}): ${gateway} keeps the one at ${b} and drops the one at ${a}, which held ${d.lost}`,
      { remediation: `Merge the two ${d.key} entries (${a} and ${b}) into one, keeping every setting of both.` },
    );
  }
  for (const s of read.surprises) {
    c.add(
      'yaml-1.1-surprise',
      s.pos,
      s.path,
      s.inKey
        ? `the key ${s.source} at ${s.path} is read by PyYAML (YAML 1.1) as ${s.readAs}, not the text "${s.source}"`
        : `${s.path}: ${s.source} is read by PyYAML (YAML 1.1) as ${s.readAs}, not the text "${s.source}"`,
      { remediation: `Quote it ("${s.source}") if the text is meant${s.readAs.includes('boolean') ? `, or write ${s.readAs.endsWith('True') ? 'true' : 'false'} if a boolean is` : ''}.` },
    );
  }
}

const SECRETISH_NAME = /(?:^|_)(?:key|secret|password|token|credentials?)$/i;

/**
 * literal-secret: a credential key whose value is not a reference, or any value that looks like a
 * vendor key. The message names the place and the kind, never the value.
 */
export function secretFindings(c: Collector, root: CNode, secretKeys: ReadonlySet<string>, isReference: (v: string) => boolean, opts: { envSection?: string } = {}): void {
  const walk = (n: CNode, path: string, key: string | undefined, inEnv: boolean) => {
    if (n.kind === 'map') {
      for (const e of n.entries) {
        const envHere = path === '' && e.key === opts.envSection;
        walk(e.value, joinPath(path, e.key), e.key, inEnv || envHere);
      }
      return;
    }
    if (n.kind === 'seq') {
      n.items.forEach((it, i) => walk(it, joinPath(path, i), key, inEnv));
      return;
    }
    if (typeof n.value !== 'string' || n.value === '' || isReference(n.value)) return;
    const kind = secretKind(n.value);
    const named = key !== undefined && (secretKeys.has(key) || (inEnv && SECRETISH_NAME.test(key)));
    if (kind || named) {
      c.add('literal-secret', n.pos, path, `${path} holds a literal ${kind ?? 'credential'} (value not shown): it is in the file and in every copy of it`);
    }
  };
  walk(root, '', undefined, false);
}
