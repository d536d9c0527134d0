import path from 'node:path';
import type { EvidenceSet } from '../evidence/types.js';
import { lintLitellmConfig, lintLitellmKeys, lintLitellmTeams } from '../gateway/litellm/lint.js';
import { lintPortkeyConfig } from '../gateway/portkey/lint.js';
import type { DeploymentModel } from '../manifest/model.js';
import { InputError } from '../util/errors.js';
import { decodeUtf8, readBounded } from '../util/read-bounded.js';
import { secretKind } from '../util/secrets.js';
import { DRIFT_RULES } from './rules.js';
import type { DriftFinding, GatewayFile, GatewayFileKind, LintResult } from './types.js';

const DESCRIPTION: Record<GatewayFileKind, string> = {
  'litellm-config': 'deployed LiteLLM config',
  'litellm-teams': 'deployed LiteLLM teams',
  'litellm-keys': 'deployed LiteLLM keys',
  'portkey-config': 'deployed Portkey config',
};

export function lintFile(f: GatewayFile, model?: DeploymentModel): LintResult {
  switch (f.kind) {
    case 'litellm-config':
      return lintLitellmConfig(f.text, f.file, model);
    case 'litellm-teams':
      return lintLitellmTeams(f.text, f.file, model);
    case 'litellm-keys':
      return lintLitellmKeys(f.text, f.file, model);
    case 'portkey-config':
      return lintPortkeyConfig(f.text, f.file, model);
  }
}

/** Never a secret in a message: a word that looks like a credential is replaced by its kind. */
function scrub(s: string): string {
  if (!secretKind(s)) return s;
  return s
    .split(/(\s+)/)
    .map((w) => {
      const k = secretKind(w);
      return k ? `<redacted ${k}>` : w;
    })
    .join('');
}

const RANK = new Map(DRIFT_RULES.map((r, i) => [r.id, i]));

export interface DriftReport {
  files: Array<{ file: string; kind: GatewayFileKind }>;
  findings: DriftFinding[];
  summary: { fail: number; warn: number };
  evidence: EvidenceSet[];
}

/** Lints every file against the manifest's model: findings in file, line, column order. Pure. */
export function runDrift(files: readonly GatewayFile[], model?: DeploymentModel): DriftReport {
  const findings: DriftFinding[] = [];
  const evidence: EvidenceSet[] = [];
  for (const f of files) {
    const r = lintFile(f, model);
    findings.push(...r.findings.map((x) => ({ ...x, message: scrub(x.message), remediation: scrub(x.remediation) })));
    evidence.push({ origin: { kind: 'deployed-config', file: f.file, description: DESCRIPTION[f.kind] }, observations: r.observations });
  }
  const order = new Map(files.map((f, i) => [f.file, i]));
  findings.sort((a, b) => (order.get(a.file) ?? 0) - (order.get(b.file) ?? 0) || a.line - b.line || a.column - b.column || (RANK.get(a.id) ?? 0) - (RANK.get(b.id) ?? 0));
  const summary = { fail: findings.filter((f) => f.status === 'fail').length, warn: findings.filter((f) => f.status === 'warn').length };
  return { files: files.map((f) => ({ file: f.file, kind: f.kind })), findings, summary, evidence };
}

export function driftExitCode(r: DriftReport, failOn: 'fail' | 'warn'): 0 | 1 {
  return r.summary.fail > 0 || (failOn === 'warn' && r.summary.warn > 0) ? 1 : 0;
}

/** The size limit for one deployed gateway file (config.yaml, a team or key list, a Portkey config): 8 MiB. */
export const GATEWAY_MAX_BYTES = 8 * 1024 * 1024;

/**
 * Reads a deployed gateway file given on the command line through readBounded: stat first, at most
 * GATEWAY_MAX_BYTES + 1 bytes (a device such as /dev/zero is refused, a FIFO without a writer reads as
 * empty, never hangs), then UTF-8 never repaired. Every refusal is an InputError at the file (exit 2).
 */
export async function readGatewayFile(kind: GatewayFileKind, file: string, cwd: string): Promise<GatewayFile> {
  return { kind, file, text: await readGatewayText(file, cwd, `a ${DESCRIPTION[kind]} file`) };
}

/** readGatewayFile's text, for a file whose kind is not known yet (`check --gateway-config`). */
export async function readGatewayText(file: string, cwd: string, what = 'a deployed gateway config file'): Promise<string> {
  const buf = await readBounded(path.resolve(cwd, file), { maxBytes: GATEWAY_MAX_BYTES, what, shownAs: file });
  if (buf.length === 0) throw new InputError([{ file, line: 1, column: 1, message: `file is empty: expected ${what}` }]);
  return decodeUtf8(buf, file, what);
}

/** The kind of a file given to check --gateway-config, from its name and, for JSON, its shape. */
export function detectKind(file: string, text: string): GatewayFileKind {
  if (/\.ya?ml$/i.test(file)) return 'litellm-config';
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    // not JSON: let the YAML reader say where it breaks
    return 'litellm-config';
  }
  const o = v as Record<string, unknown>;
  if (Array.isArray(v)) {
    const first = v.find((x) => x && typeof x === 'object') as Record<string, unknown> | undefined;
    return first && ('token' in first || 'key_alias' in first || 'key_name' in first || 'key' in first) ? 'litellm-keys' : 'litellm-teams';
  }
  if (o && typeof o === 'object') {
    if (Array.isArray(o.teams)) return 'litellm-teams';
    if (Array.isArray(o.keys)) return 'litellm-keys';
    if ('targets' in o || 'strategy' in o || 'provider' in o) return 'portkey-config';
  }
  throw new InputError([{ file, line: 1, column: 1, message: 'not a gateway file readiness knows: expected a LiteLLM config (.yaml), a LiteLLM team or key list (JSON array, {"teams": [...]}, {"keys": [...]}) or a Portkey config (JSON with targets)' }]);
}

/** The drift findings as one more check result for `check --gateway-config` (id deployed-config). */
export function driftCheckResult(r: DriftReport): import('../checks/run.js').CheckResult {
  const findings = r.findings.length
    ? r.findings.map((f) => ({ status: f.status, message: `[${f.id}] ${f.message}`, remediation: f.remediation, path: f.path, line: f.line, column: f.column, file: f.file }))
    : [{ status: 'pass' as const, message: `the deployed gateway config (${r.files.map((f) => f.file).join(', ')}) matches the manifest`, path: '', line: 1, column: 1, file: r.files[0]?.file }];
  const status = findings.some((f) => f.status === 'fail') ? 'fail' : findings.some((f) => f.status === 'warn') ? 'warn' : 'pass';
  const headline = (findings.find((f) => f.status === status) ?? findings[0]).message;
  return { id: 'deployed-config', title: 'The gateway as deployed matches the manifest', status, headline, findings };
}
