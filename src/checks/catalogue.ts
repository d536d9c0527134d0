import { auditLog } from './audit-log.js';
import { budgetCeilings } from './budget-ceilings.js';
import { costAttribution } from './cost-attribution.js';
import { failover } from './failover.js';
import { noLiteralSecrets } from './no-literal-secrets.js';
import { rateLimitSizing } from './rate-limit-sizing.js';
import type { Check, CheckMeta } from './types.js';

/** The check catalogue, in report order: the single source for docs, SARIF rules, `explain` and help. */
export const CHECKS: readonly Check[] = [rateLimitSizing, costAttribution, auditLog, failover, budgetCeilings, noLiteralSecrets];

export const CHECK_IDS: readonly string[] = CHECKS.map((c) => c.id);

export function findCheck(id: string): Check | undefined {
  return CHECKS.find((c) => c.id === id);
}

export function checkMeta(c: Check): CheckMeta {
  return { id: c.id, title: c.title, rationale: c.rationale, remediation: c.remediation, sources: c.sources };
}
