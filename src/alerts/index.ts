/**
 * The alert catalogue: one module per alert, in the order the rules file, the runbook and the dashboard
 * list them. Add an alert by writing its module and appending it here.
 */
import type { MetricsProfileId } from '../manifest/types.js';
import { auditRecordMissingTraceId } from './audit-record-missing-trace-id.js';
import { tenantBudgetBurnEarly, tenantBudgetExhausted } from './budget.js';
import { firstRequestSlow } from './first-request-slow.js';
import { gatewayRejecting } from './gateway-rejecting.js';
import { providerRateLimited } from './provider-rate-limited.js';
import { tenantCostPerRequestHigh } from './tenant-cost-per-request-high.js';
import { tenantNearRpmLimit } from './tenant-near-rpm-limit.js';
import type { AlertDef } from './types.js';

export const ALERT_CATALOGUE: readonly AlertDef[] = [
  tenantNearRpmLimit,
  tenantCostPerRequestHigh,
  auditRecordMissingTraceId,
  firstRequestSlow,
  tenantBudgetBurnEarly,
  tenantBudgetExhausted,
  providerRateLimited,
  gatewayRejecting,
];

/** The alerts a metrics profile can evaluate (the others cannot tell their case apart with its metrics). */
export function alertsFor(profile: MetricsProfileId): AlertDef[] {
  return ALERT_CATALOGUE.filter((a) => a.needs[profile] !== undefined);
}

export const ALERT_NAMES = ALERT_CATALOGUE.map((a) => a.name);

export type { AlertDef, AlertPlan, AlertRule, Panel, RecordingRule, TestGroup } from './types.js';
export { MAX_TESTED_TENANTS, SERIES, THRESHOLDS, WINDOWS, planAlerts, sharedRules, testedPlan } from './plan.js';
