import type { Observation } from '../evidence/types.js';

export type DriftStatus = 'warn' | 'fail';

/** One problem in a deployed gateway file, located at the key or value it concerns. */
export interface DriftFinding {
  /** the rule's stable id (src/drift/rules.ts) */
  id: string;
  status: DriftStatus;
  /** the file as given on the command line */
  file: string;
  line: number;
  column: number;
  message: string;
  remediation: string;
  /** where in the file, as a dotted path (model_list[0].litellm_params.rpm); '' for the whole file */
  path: string;
}

/** What one deployed file gave: findings, and the figures it deploys (for check --gateway-config). */
export interface LintResult {
  findings: DriftFinding[];
  observations: Observation[];
}

export type GatewayFileKind = 'litellm-config' | 'litellm-teams' | 'litellm-keys' | 'portkey-config';

export interface GatewayFile {
  kind: GatewayFileKind;
  /** as given on the command line (shown in findings) */
  file: string;
  text: string;
}
