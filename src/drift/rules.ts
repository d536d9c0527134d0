import type { Source } from '../checks/types.js';
import {
  LITELLM_ENV_SOURCE,
  LITELLM_KEY_GROUPS,
  LITELLM_PROM_SOURCE,
  LITELLM_REDIS_SOURCE,
  LITELLM_RELIABILITY_SOURCE,
  LITELLM_SETTINGS_SOURCE,
  LITELLM_TAGS_SOURCE,
  LITELLM_TEAM_SOURCES,
  LITELLM_VIRTUAL_KEYS_SOURCE,
} from '../gateway/litellm/config-keys.js';
import { LITELLM_LOG_SWITCHES } from '../gateway/litellm/metrics-sources.js';
import { PORTKEY_FALLBACK_SOURCE, PORTKEY_GUARDRAIL_SOURCE, PORTKEY_SOURCES, PORTKEY_TIMEOUT_SOURCE } from '../gateway/portkey/config-keys.js';
import type { DriftStatus } from './types.js';

/** A drift rule: what it finds in a deployed gateway file, why it matters, and how to fix it. */
export interface DriftRule {
  id: string;
  title: string;
  /** the status its findings carry */
  status: DriftStatus;
  gateway: 'litellm' | 'portkey' | 'any';
  rationale: string;
  remediation: string;
  sources: Source[];
}

const PYYAML: Source = { title: 'PyYAML resolver.py (YAML 1.1 implicit types: bool yes/no/on/off, int, float)', url: 'https://github.com/yaml/pyyaml/blob/main/lib/yaml/resolver.py' };
const YAML11: Source = { title: 'YAML 1.1: Boolean Language-Independent Type', url: 'https://yaml.org/type/bool.html' };
const LITELLM_KEYS = [...new Map(LITELLM_KEY_GROUPS.flatMap((g) => g.sources).map((s) => [s.url, s])).values()];

/** The catalogue: docs/drift.md, SARIF rules and help come from here. Ids are stable. */
export const DRIFT_RULES: readonly DriftRule[] = [
  {
    id: 'unknown-key',
    title: 'A key the gateway does not read',
    status: 'fail',
    gateway: 'any',
    rationale:
      "LiteLLM drops a misspelled root or router_settings key without a word, and Portkey's validator strips keys it does not know: the setting the review approved is simply not in force. Keys are checked against the gateway's documented keys (src/gateway/<kind>/config-keys.ts).",
    remediation: 'Rename the key to the one the gateway reads (the finding suggests the nearest), or remove it.',
    sources: [...LITELLM_KEYS, ...PORTKEY_SOURCES],
  },
  {
    id: 'duplicate-key',
    title: 'A key given twice in one mapping',
    status: 'fail',
    gateway: 'any',
    rationale:
      'PyYAML (and JSON parsers) keep the last of two equal keys and drop the first silently: a second litellm_settings block replaces the first, and a Prometheus callback or a budget set there is gone.',
    remediation: 'Merge the two into one key; keep every setting of both.',
    sources: [PYYAML, { title: 'YAML 1.1: mapping keys are unique (PyYAML does not enforce it and keeps the last)', url: 'https://yaml.org/spec/1.1/#id932806' }],
  },
  {
    id: 'yaml-1.1-surprise',
    title: 'A plain value that YAML 1.1 reads as something else (yes/no/on/off, 0755, 1:30, a date)',
    status: 'warn',
    gateway: 'litellm',
    rationale: 'LiteLLM reads its config with PyYAML (YAML 1.1): an unquoted on, off, yes or no is True or False, 0755 is the octal 493, 1:30 is the base-60 90, and 2024-05-01 is a date, not the text; a model name, tag, key or api_version written that way changes meaning.',
    remediation: 'Quote the value ("on", "2024-05-01"), or write true/false when a boolean is meant.',
    sources: [PYYAML, YAML11],
  },
  {
    id: 'env-reference-mismatch',
    title: "A provider key read from another variable than the manifest's apiKeyEnv",
    status: 'fail',
    gateway: 'any',
    rationale: 'The deployment provisions the variable the manifest names (providers[].apiKeyEnv); a config that reads another one starts with no key, or with the key of another environment.',
    remediation: "Reference the manifest's variable (os.environ/NAME for LiteLLM, ${NAME} for Portkey), or correct apiKeyEnv.",
    sources: [LITELLM_ENV_SOURCE],
  },
  {
    id: 'literal-secret',
    title: 'A credential written into the config',
    status: 'fail',
    gateway: 'any',
    rationale: 'A key in a committed config file leaks with every copy of the repository and cannot be rotated without a deploy. The finding names the key, never the value.',
    remediation: 'Move the value to the environment and reference it (os.environ/NAME for LiteLLM, ${NAME} for Portkey); rotate the leaked key.',
    sources: [LITELLM_ENV_SOURCE, ...PORTKEY_SOURCES.slice(0, 1)],
  },
  {
    id: 'model-missing',
    title: 'A declared provider the gateway does not route to',
    status: 'fail',
    gateway: 'any',
    rationale: 'A provider of the manifest that is not in model_list (LiteLLM) or the targets (Portkey) cannot serve requests or take a failover.',
    remediation: 'Add a deployment for the provider (model_name and model_info.id = the provider id), or remove it from the manifest.',
    sources: [LITELLM_SETTINGS_SOURCE],
  },
  {
    id: 'model-not-declared',
    title: 'A deployment the manifest does not declare',
    status: 'warn',
    gateway: 'any',
    rationale: 'Traffic can go to a deployment that the review never saw: its limits, price and data terms were not judged.',
    remediation: 'Declare it as a provider in the manifest, or remove it from the gateway config.',
    sources: [LITELLM_SETTINGS_SOURCE],
  },
  {
    id: 'model-mismatch',
    title: 'A deployment calls another model than declared',
    status: 'warn',
    gateway: 'any',
    rationale: 'Prices, limits and behaviour were reviewed for the declared model; a different model string means a different bill and different rate limits.',
    remediation: "Set the deployment's model to the declared vendor/model, or update the manifest.",
    sources: [LITELLM_SETTINGS_SOURCE],
  },
  {
    id: 'limit-drift',
    title: 'Deployed rpm/tpm differ from the declared provider limits',
    status: 'fail',
    gateway: 'litellm',
    rationale:
      "Incident one: the gateway must keep each deployment under what the provider grants. A deployed limit above the declared one sends more than the provider allows (429s at peak); one below it caps capacity under what was sized (check --gateway-config sizes with it); none at all means LiteLLM does not hold the deployment under any limit.",
    remediation: "Set litellm_params.rpm and .tpm to the provider limits declared in the manifest (providers[].limits).",
    sources: [LITELLM_SETTINGS_SOURCE, LITELLM_RELIABILITY_SOURCE],
  },
  {
    id: 'price-drift',
    title: 'Deployed prices differ from the declared pricing',
    status: 'warn',
    gateway: 'litellm',
    rationale: 'LiteLLM computes spend, and enforces budgets, from input_cost_per_token/output_cost_per_token when they are set: a different price makes every budget wrong by the same factor.',
    remediation: 'Set input_cost_per_token and output_cost_per_token to the manifest pricing divided by 1,000,000, or correct the manifest.',
    sources: [{ title: 'LiteLLM docs: Custom pricing', url: 'https://docs.litellm.ai/docs/proxy/custom_pricing' }],
  },
  {
    id: 'fallbacks-missing',
    title: 'Automatic failover declared, no fallbacks deployed',
    status: 'fail',
    gateway: 'any',
    rationale: 'The manifest says the primary fails over automatically; without router_settings.fallbacks (LiteLLM) or a fallback strategy (Portkey) the gateway returns the 429 to the client, as in incident one.',
    remediation: 'Add router_settings.fallbacks: [{<primary>: [<targets in routing order>]}] (LiteLLM) or strategy.mode: fallback with the targets in order (Portkey).',
    sources: [LITELLM_RELIABILITY_SOURCE, PORTKEY_FALLBACK_SOURCE],
  },
  {
    id: 'fallbacks-order',
    title: 'Fallback targets differ from routing.failover.targets',
    status: 'fail',
    gateway: 'any',
    rationale: 'The gateway tries fallbacks in the order given; another order or another set sends failover traffic where the review did not size it.',
    remediation: 'List the fallbacks exactly as routing.failover.targets, in that order.',
    sources: [LITELLM_RELIABILITY_SOURCE, PORTKEY_FALLBACK_SOURCE],
  },
  {
    id: 'fallback-status',
    title: 'The fallback does not trigger on 429 or a declared status',
    status: 'fail',
    gateway: 'portkey',
    rationale: 'Portkey falls back only on the on_status_codes listed: without 429 a rate-limited primary is not left, which is incident one.',
    remediation: 'Set strategy.on_status_codes to include 429 and every status in routing.failover.onStatus.',
    sources: [PORTKEY_FALLBACK_SOURCE, ...PORTKEY_SOURCES.slice(0, 1)],
  },
  {
    id: 'retry-policy-429',
    title: 'No retry policy for rate-limit errors',
    status: 'warn',
    gateway: 'litellm',
    rationale: 'Without retry_policy.RateLimitErrorRetries, num_retries also applies to 429s: a rate-limited primary is retried (with backoff) before LiteLLM falls back, which adds latency exactly when the peak is on.',
    remediation: 'Set router_settings.retry_policy.RateLimitErrorRetries (1 with a fallback, so the fallback is tried at once).',
    sources: [LITELLM_RELIABILITY_SOURCE],
  },
  {
    id: 'timeout-missing',
    title: 'No request timeout',
    status: 'warn',
    gateway: 'any',
    rationale: "A provider that hangs holds the request (LiteLLM's default request_timeout is 6000 s); failover on timeout never happens and clients time out first.",
    remediation: 'Set router_settings.timeout or litellm_settings.request_timeout (LiteLLM), or request_timeout in ms (Portkey).',
    sources: [LITELLM_SETTINGS_SOURCE, PORTKEY_TIMEOUT_SOURCE],
  },
  {
    id: 'prometheus-callback-missing',
    title: 'LiteLLM does not export Prometheus metrics',
    status: 'fail',
    gateway: 'litellm',
    rationale: 'The generated alerts query litellm_* metrics; without "prometheus" in litellm_settings.callbacks (or success_callback) /metrics has none of them and no alert can fire. Not asked with gateway.metrics.source: readiness-exporter, where readiness exporter serves them from the database.',
    remediation: 'Add "prometheus" to litellm_settings.callbacks.',
    sources: [LITELLM_PROM_SOURCE],
  },
  {
    id: 'exporter-logs-disabled',
    title: 'LiteLLM does not write the rows readiness exporter reads',
    status: 'fail',
    gateway: 'litellm',
    rationale:
      "With gateway.metrics.source: readiness-exporter the alerts read LiteLLM's database. general_settings.disable_error_logs: true stops the error-log rows and the spend-log rows of failed requests (every 429 count: the provider-429 and gateway-rejection alerts are silent), disable_spend_logs (any value but false) stops every spend-log row, and disable_spend_updates: true stops the spend logs and the teams' spend (the budget alerts never fire).",
    remediation: 'Remove the key from general_settings (or set it to false).',
    sources: LITELLM_LOG_SWITCHES.flatMap((s) => s.sources).filter((s, i, all) => all.findIndex((x) => x.url === s.url) === i),
  },
  {
    id: 'spend-tag-headers-missing',
    title: 'Attribution headers are not recorded as spend tags',
    status: 'fail',
    gateway: 'litellm',
    rationale: 'Incident two: cost by team needs the attribution headers in litellm_settings.extra_spend_tag_headers, or spend is recorded without them.',
    remediation: 'List every gateway.attribution.headers value in litellm_settings.extra_spend_tag_headers.',
    sources: [LITELLM_TAGS_SOURCE],
  },
  {
    id: 'attribution-not-required',
    title: 'Untagged requests are not refused',
    status: 'fail',
    gateway: 'portkey',
    rationale: "The manifest says untagged requests are rejected (onMissing: reject); Portkey refuses them only with the default plugin's requiredMetadataKeys input guardrail and deny: true.",
    remediation: 'Add input_guardrails: [{"default.requiredMetadataKeys": {"metadataKeys": [...], "operator": "all"}, "deny": true}] with every attribution key.',
    sources: [PORTKEY_GUARDRAIL_SOURCE],
  },
  {
    id: 'master-key-missing',
    title: 'Teams or budgets without a master key',
    status: 'fail',
    gateway: 'litellm',
    rationale: 'LiteLLM enforces teams, keys and budgets only with general_settings.master_key set; without it every request is unauthenticated and no budget applies.',
    remediation: 'Set general_settings.master_key: os.environ/LITELLM_MASTER_KEY.',
    sources: [LITELLM_VIRTUAL_KEYS_SOURCE],
  },
  {
    id: 'database-missing',
    title: 'Teams or budgets without a database',
    status: 'fail',
    gateway: 'litellm',
    rationale: 'Teams, keys and spend live in the proxy database; without general_settings.database_url (or DATABASE_URL) /team/new fails and no spend is kept.',
    remediation: 'Set general_settings.database_url: os.environ/DATABASE_URL.',
    sources: [LITELLM_VIRTUAL_KEYS_SOURCE],
  },
  {
    id: 'redis-missing',
    title: 'Several replicas without shared rate-limit state',
    status: 'fail',
    gateway: 'litellm',
    rationale: 'Each LiteLLM replica counts rpm/tpm on its own unless router_settings names a Redis: the effective limit becomes limit x replicas, above what the provider grants.',
    remediation: 'Set router_settings.redis_host, redis_port and redis_password (os.environ/ references).',
    sources: [LITELLM_REDIS_SOURCE],
  },
  {
    id: 'team-missing',
    title: 'A declared tenant has no team',
    status: 'fail',
    gateway: 'litellm',
    rationale: 'Budgets and limits per tenant live on the LiteLLM team; a tenant without one runs with no ceiling (incident two).',
    remediation: 'Create the team with POST /team/new (team_id = tenant id), with the budget and limits of the manifest.',
    sources: LITELLM_TEAM_SOURCES,
  },
  {
    id: 'team-budget-drift',
    title: "A team's budget differs from the tenant's",
    status: 'fail',
    gateway: 'litellm',
    rationale: 'The ceiling in force is the team max_budget; another figure, another budget_duration, or none at all is not the ceiling the review approved.',
    remediation: "Update the team (POST /team/update) with max_budget = tenants[].budget.monthlyUsd and budget_duration 30d.",
    sources: LITELLM_TEAM_SOURCES,
  },
  {
    id: 'team-limit-drift',
    title: "A team's rpm/tpm limit differs from the tenant's",
    status: 'fail',
    gateway: 'litellm',
    rationale: "One tenant's burst must not take the whole provider limit; the team rpm_limit/tpm_limit is what holds it.",
    remediation: 'Update the team with rpm_limit/tpm_limit = tenants[].limits.',
    sources: LITELLM_TEAM_SOURCES,
  },
  {
    id: 'no-budget',
    title: 'A team or key with no budget',
    status: 'warn',
    gateway: 'litellm',
    rationale: 'A team or key without max_budget can spend without a ceiling; a key outside any team escapes the team budget too.',
    remediation: 'Give the team or key a max_budget, or put the key in a team that has one.',
    sources: LITELLM_TEAM_SOURCES,
  },
  {
    id: 'team-not-declared',
    title: 'A team the manifest does not declare',
    status: 'warn',
    gateway: 'litellm',
    rationale: 'Spend by a team the review never saw is outside every declared budget.',
    remediation: 'Declare it as a tenant with a budget, or delete the team.',
    sources: LITELLM_TEAM_SOURCES,
  },
];

export const DRIFT_RULE_IDS = DRIFT_RULES.map((r) => r.id);

export function driftRule(id: string): DriftRule {
  const r = DRIFT_RULES.find((x) => x.id === id);
  if (!r) throw new Error(`unknown drift rule ${id}`);
  return r;
}
