/**
 * Evidence: what the real system showed, as opposed to what the manifest declares.
 *
 * Every source of evidence (the probe, the operator's usage logs, the deployed gateway config) produces the
 * same type, an EvidenceSet: where it came from, and a list of observations, one figure each. Checks take
 * every set the same way, through `decide()` (evidence/decide.ts): the figure a verdict rests on is the
 * declared one or an observed one, whichever the rule for that figure picks (the larger peak, the smaller
 * limit), and the finding names the evidence that decided it (`Finding.decidedBy`).
 *
 * Pure data, JSON-serialisable. No imports of checks, reports or generators (no import loops).
 */

export type EvidenceKind = 'probe' | 'usage' | 'deployed-config';

/** Where one set of evidence came from, said in the report beside every figure it decided. */
export interface EvidenceOrigin {
  kind: EvidenceKind;
  /** the file it was read from (usage log, gateway config, probe --out), as given on the command line */
  file?: string;
  /** a short human description: "usage log pilot.jsonl, 14 days (2026-11-01 to 2026-11-14, Europe/Berlin)" */
  description: string;
  /** for measured figures: the span they were measured over (ISO 8601 instants) */
  span?: { from: string; to: string; days?: number };
}

/** A value an observation carries: plain JSON. */
export type ObservedValue = number | string | boolean | null | number[] | string[];

/**
 * Figure ids are dotted names, stable, documented in docs/evidence.md. Per-entity figures carry the entity in
 * `subject` (a provider id or a tenant id), not in the name. Known figures (extend here, keep the list sorted):
 */
export type FigureId =
  | 'attribution.refusesUntagged' // boolean: the gateway refused a request without attribution (probe) / is configured to (deployed)
  | 'attribution.untaggedRequests' // number of requests without a tenant (usage)
  | 'attribution.untaggedShare' // fraction 0..1 of requests without a tenant (usage)
  | 'budget.accountMonthlyUsd' // deployed account ceiling
  | 'failover.mode' // 'automatic' | 'manual' | 'none' as deployed
  | 'failover.onStatus' // number[]: statuses the deployed gateway falls back on
  | 'failover.servedBySecondary' // boolean: a non-primary served requests while the primary answered 429 (probe)
  | 'failover.targets' // string[]: provider ids in deployed fallback order
  | 'gateway.logsDisabled' // subject: a LiteLLM general_settings key (disable_error_logs, disable_spend_logs, disable_spend_updates); true = it stops rows readiness exporter reads (deployed)
  | 'provider.pricing.inputPerMTok' // subject: provider id
  | 'provider.pricing.outputPerMTok' // subject: provider id
  | 'provider.rpm' // subject: provider id; a limit as deployed (deployed-config) or as granted (probe headers)
  | 'provider.tpm' // subject: provider id
  | 'tenant.budget.monthlyUsd' // subject: tenant id; null = no budget deployed
  | 'tenant.costShare' // subject: tenant id; fraction of measured cost
  | 'tenant.dailyRequests' // subject: tenant id
  | 'tenant.dailySpendUsd' // subject: tenant id
  | 'tenant.exists' // subject: tenant id; false = declared but not deployed / true = seen but not declared
  | 'tenant.offHoursShare' // subject: tenant id
  | 'tenant.peakRpm' // subject: tenant id
  | 'tenant.rpm' // subject: tenant id; limit as deployed
  | 'tenant.tpm' // subject: tenant id; limit as deployed
  | 'traffic.averageRpm'
  | 'traffic.peakRpm'
  | 'traffic.peakTpm'
  | 'traffic.peakWindow' // "17:00-19:00", operator's local time
  | 'traffic.tokensPerRequest.input'
  | 'traffic.tokensPerRequest.output';

export interface Observation {
  figure: FigureId;
  /** provider or tenant id, for per-entity figures */
  subject?: string;
  value: ObservedValue;
  /** where in the evidence file this was read, when it has lines (a gateway config key) */
  line?: number;
  column?: number;
  /** one line saying what was seen: "model_list[0] gpt-4o rpm: 500" */
  note?: string;
}

/** One source's evidence: what the probe measured, what a usage log showed, what a deployed config says. */
export interface EvidenceSet {
  origin: EvidenceOrigin;
  observations: Observation[];
}

/** The same origin without what is not needed to say which evidence decided. */
export type DecidedBy = EvidenceOrigin & { line?: number; column?: number; note?: string };
