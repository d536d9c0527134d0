import type { Framework, Industry } from '../manifest/types.js';

/** Industries whose operators must be able to reconstruct a decision. */
export const REGULATED_INDUSTRIES: readonly Industry[] = ['financial-services', 'healthcare', 'insurance', 'legal', 'government'];

/**
 * Minimum retention in days per framework (6 years = 2192, 7 = 2557, 12 months = 365, 6 months = 183;
 * 365.25-day years rounded up). gdpr and nist-800-53 set no minimum.
 */
export const RETENTION_DAYS: Record<Framework, number> = {
  'sec-17a-4': 2192,
  'finra-4511': 2192,
  sox: 2557,
  hipaa: 2192,
  'pci-dss': 365,
  soc2: 365,
  'eu-ai-act': 183,
  gdpr: 0,
  'nist-800-53': 0,
};

export const RETENTION_SOURCES: Record<Framework, string> = {
  'sec-17a-4': 'SEC Rule 17a-4: 6 years',
  'finra-4511': 'FINRA Rule 4511(b): 6 years',
  sox: 'SEC Release 33-8180 (Reg S-X 2-06): 7 years',
  hipaa: '45 CFR 164.316(b)(2)(i): 6 years',
  'pci-dss': 'PCI DSS v4.0.1 10.5.1: 12 months',
  soc2: 'SOC 2 common policy: 1 year',
  'eu-ai-act': 'EU AI Act Art. 19(1), 26(6): 6 months',
  gdpr: 'GDPR: no minimum',
  'nist-800-53': 'NIST 800-53 AU-11: organisation-defined',
};

/** One required audit field; `anyOf` lists alternatives that each satisfy it. */
export interface RequiredField {
  name: string;
  anyOf: string[];
  why: string;
}

export const BASE_AUDIT_FIELDS: readonly RequiredField[] = [
  { name: 'timestamp', anyOf: ['timestamp'], why: 'when the decision was made (UTC)' },
  { name: 'trace_id', anyOf: ['trace_id'], why: 'joins the record to traces and gateway logs' },
  { name: 'operator_id', anyOf: ['operator_id'], why: 'whose deployment' },
  { name: 'team_id', anyOf: ['team_id'], why: 'which team asked' },
  { name: 'use_case_id', anyOf: ['use_case_id'], why: 'for what purpose' },
  { name: 'business_object_id', anyOf: ['business_object_id'], why: 'the document, claim or ticket decided on' },
  { name: 'agent_version', anyOf: ['agent_version'], why: 'which agent code decided' },
  { name: 'model_version', anyOf: ['model_version'], why: 'which model answered' },
  { name: 'prompt_version', anyOf: ['prompt_version'], why: 'which prompt was used' },
  { name: 'output', anyOf: ['output', 'output_sha256'], why: 'what was decided (or its hash, content kept erasable)' },
  { name: 'confidence', anyOf: ['confidence'], why: 'how sure the agent was' },
];

/** PCI DSS 10.2.2: user id, event type, success/failure, origination. */
export const PCI_AUDIT_FIELDS: readonly RequiredField[] = [
  { name: 'actor_id', anyOf: ['actor_id'], why: 'PCI DSS 10.2.2: user identification' },
  { name: 'event_type', anyOf: ['event_type'], why: 'PCI DSS 10.2.2: type of event' },
  { name: 'outcome', anyOf: ['outcome'], why: 'PCI DSS 10.2.2: success or failure' },
  { name: 'origin', anyOf: ['origin'], why: 'PCI DSS 10.2.2: origination of the event' },
];

export function requiredAuditFields(frameworks: readonly Framework[]): RequiredField[] {
  return [...BASE_AUDIT_FIELDS, ...(frameworks.includes('pci-dss') ? PCI_AUDIT_FIELDS : [])];
}

/** The longest minimum retention among the frameworks, and which framework sets it. */
export function requiredRetention(frameworks: readonly Framework[]): { days: number; framework?: Framework } {
  let best: { days: number; framework?: Framework } = { days: 0 };
  for (const f of frameworks) if (RETENTION_DAYS[f] > best.days) best = { days: RETENTION_DAYS[f], framework: f };
  return best;
}

export function isRegulated(industry: Industry | undefined, frameworks: readonly Framework[]): boolean {
  return (industry !== undefined && REGULATED_INDUSTRIES.includes(industry)) || frameworks.length > 0;
}
