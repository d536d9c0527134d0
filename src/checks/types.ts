import type { DeploymentModel } from '../manifest/model.js';
import type { ManifestPath } from '../manifest/types.js';
import type { DecidedBy, EvidenceSet } from '../evidence/types.js';
import type { ProbeEvidence } from '../probe/types.js';

export type Status = 'pass' | 'warn' | 'fail';

export const STATUS_RANK: Record<Status, number> = { pass: 0, warn: 1, fail: 2 };

export function worst(statuses: Iterable<Status>): Status {
  let w: Status = 'pass';
  for (const s of statuses) if (STATUS_RANK[s] > STATUS_RANK[w]) w = s;
  return w;
}

export type EvidenceValue = number | string | boolean | null | number[] | string[];

/** One judgement a check makes, about one place in the manifest. */
export interface Finding {
  status: Status;
  /** what was found, with the numbers behind it */
  message: string;
  /** what to do about it (warn and fail) */
  remediation?: string;
  /** where in the manifest this concerns */
  path: ManifestPath;
  /** the figures the verdict rests on, machine-readable */
  evidence?: Record<string, EvidenceValue>;
  /** the evidence (probe, usage log, deployed config) whose figure decided this finding; absent = the manifest's */
  decidedBy?: DecidedBy;
}

export interface Source {
  title: string;
  url: string;
}

/** What a check is, independent of any manifest: the catalogue's single source for docs, SARIF rules and help. */
export interface CheckMeta {
  id: string;
  title: string;
  /** why the check exists: the incident or rule behind it */
  rationale: string;
  /** the general fix; findings carry specific ones */
  remediation: string;
  sources: Source[];
}

export interface CheckContext {
  model: DeploymentModel;
  /** what a probe measured at the stated peak (readiness check --probe); checks judge it when present */
  probe?: ProbeEvidence;
  /** every set of evidence given (probe, usage logs, deployed gateway config), judged through evidence/decide.ts */
  evidence: readonly EvidenceSet[];
}

export interface Check extends CheckMeta {
  /** Pure: the same context always gives the same findings. Never empty. */
  run(ctx: CheckContext): Finding[];
}
