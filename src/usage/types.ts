/**
 * Usage logs: the operator's real traffic, read from request logs (a pilot, a previous system, a gateway's
 * spend logs) and measured in the operator's local time. One reader per input format yields normalised
 * records (readers.ts); one streaming builder (profile.ts) turns them into a UsageProfile, the documented
 * `readiness usage --json` contract (schemas/usage.schema.json, docs/usage.md); evidence.ts turns the profile
 * into the EvidenceSet the checks judge. Pure data here.
 */

export type UsageFormat = 'jsonl' | 'csv' | 'litellm-spend-logs';
export const USAGE_FORMATS: readonly UsageFormat[] = ['jsonl', 'csv', 'litellm-spend-logs'];

import type { Weekday } from '../manifest/types.js';
export type { Weekday };
/** Index of each weekday as Date#getUTCDay counts them (0 = Sunday). */
export const WEEKDAY_INDEX: Record<Weekday, number> = { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 };

/** operator.businessHours: days, from `start` inclusive to `end` exclusive, local time. */
export interface BusinessHours {
  days: Weekday[];
  start: string;
  end: string;
}
export const DEFAULT_BUSINESS_HOURS: BusinessHours = { days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '09:00', end: '18:00' };

/** One request, normalised from any input format. */
export interface UsageRecord {
  /** the request's start, epoch milliseconds (UTC) */
  ts: number;
  /** null or '' = untagged */
  tenant: string | null;
  useCase: string | null;
  model: string | null;
  inputTokens: number;
  outputTokens: number;
  status: string | null;
  /** USD from the log; null when the log has none. `zeroMeansUnpriced`: LiteLLM writes 0 for models it cannot price */
  costUsd: number | null;
  zeroMeansUnpriced?: boolean;
}

/** A line that is not a valid record: excluded (fatal under --strict), reported as file:line: reason. */
export interface SkippedLine {
  file: string;
  line: number;
  reason: string;
}

export interface TimedValue {
  value: number;
  /** the clock minute's start, UTC, "YYYY-MM-DDTHH:MM:00Z" (the earliest on a tie) */
  at: string | null;
}

export interface TenantUsage {
  /** the tenant as the log names it (LiteLLM: team_id) */
  id: string;
  /** the manifest tenant it matched (by id or team), null when none did; absent without a manifest */
  declared?: string | null;
  requests: number;
  /** of all requests */
  share: number;
  costUsd: number | null;
  costShare: number | null;
  /** most requests in one clock minute */
  peakRpm: number;
  dailyRequests: number;
  dailySpendUsd: number | null;
  /** dailySpendUsd x 30 */
  monthlyProjectionUsd: number | null;
  /** share of this tenant's requests outside operator.businessHours */
  offHoursShare: number;
  /** requests per local hour of day (0-23) over the span */
  hourly: number[];
  /** a named pattern where one fits: "off-hours batch" */
  pattern: string | null;
}

/** The `readiness usage --json` contract (schemas/usage.schema.json). */
export interface UsageProfile {
  kind: 'readiness-usage';
  version: 1;
  files: Array<{ file: string; format: UsageFormat; container: 'lines' | 'csv' | 'json-array'; records: number; skipped: number }>;
  timezone: string;
  businessHours: BusinessHours;
  requests: number;
  skipped: number;
  untagged: number;
  untaggedShare: number;
  span: { from: string; to: string; firstDay: string; lastDay: string; days: number };
  averageRpm: number;
  peakRpm: TimedValue;
  peakTpm: TimedValue;
  peakToAverage: number;
  peakHourLocal: number;
  peakWindow: string;
  tokensPerRequest: { input: number; output: number };
  costUsd: number | null;
  /** how the cost was found: requests priced from the log, from the manifest's prices, or not at all */
  cost: { fromLog: number; fromManifest: number; unpriced: number; zeroSpendPriced: number };
  /** requests per local hour of day over the span */
  hourly: number[];
  /** the local day holding the peak minute, minute by minute from its local midnight (1380 or 1500 minutes on a DST day) */
  peakDay: { date: string; from: string; minutes: number[] };
  tenants: TenantUsage[];
}

/** Prices by model, from the manifest's providers (matched on provider.model or provider.id). */
export type PriceBook = Map<string, { inputPerMTok: number; outputPerMTok: number }>;
