import type { ManifestPath } from '../manifest/types.js';
import type { EvidenceValue, Finding } from './types.js';

type Evidence = Record<string, EvidenceValue>;

export const pass = (path: ManifestPath, message: string, evidence?: Evidence): Finding => ({ status: 'pass', message, path, evidence });
export const warn = (path: ManifestPath, message: string, remediation: string, evidence?: Evidence): Finding => ({
  status: 'warn',
  message,
  remediation,
  path,
  evidence,
});
export const fail = (path: ManifestPath, message: string, remediation: string, evidence?: Evidence): Finding => ({
  status: 'fail',
  message,
  remediation,
  path,
  evidence,
});
