/**
 * The operator questionnaire as data: sections of questions in the operator's terms, each with
 * its validation, its suggested default and the consequences shown once it is answered. The same
 * data drives the interactive session and the validation of an --answers file.
 */
import { parseBusinessHours } from '../usage/business-hours.js';
import { isRegulated, requiredRetention } from '../checks/compliance.js';
import type { Framework, Industry, SinkKind, Vendor } from '../manifest/types.js';
import { quote, secretKind } from '../util/secrets.js';
import { int, plain } from '../util/numbers.js';
import { schemaMaximum } from './schema-bounds.js';
import {
  FRAMEWORK_NAMES,
  alertNotes,
  costPerRequestHint,
  fieldNotes,
  frameworkNotes,
  industryNotes,
  peakNotes,
  pricingNotes,
  providerNotes,
  requiredFieldNames,
  retentionHint,
  retentionNotes,
  checkSoFar,
  sloNotes,
  tenantNotes,
  tokenNotes,
} from './consequences.js';
import type { Answers, Draft } from './types.js';

export type Kind = 'text' | 'number' | 'integer' | 'list' | 'statuses' | 'select' | 'multi' | 'confirm';

export interface Choice {
  value: string;
  name: string;
  description?: string;
  /** why the choice cannot be taken now (shown greyed out; the answer is refused) */
  disabled?: string;
}

/** What a question sees: the answers so far and, inside a repeated section, the item being filled. */
export interface Ctx {
  draft: Draft;
  item: Record<string, unknown>;
  index: number;
}

export interface Question {
  key: string;
  kind: Kind;
  message: string | ((ctx: Ctx) => string);
  /** an answer is needed (blank is refused) */
  required?: boolean;
  /** numbers: zero allowed (otherwise they must be positive) */
  allowZero?: boolean;
  /** numbers: the manifest field the answer lands in ('traffic.averageRpm', 'providers[].limits.rpm'); its schema maximum bounds the answer */
  lands?: string;
  max?: number;
  choices?: readonly Choice[] | ((ctx: Ctx) => Choice[]);
  /** asked only when this holds */
  when?: (ctx: Ctx) => boolean;
  /** the suggestion offered when there is no existing value (never applied without asking) */
  suggest?: (ctx: Ctx) => unknown;
  /** the refusal when the answer looks like a credential (default: a manifest holds no secrets) */
  onSecret?: string;
  /** validation beyond the kind's: returns the problem, or undefined */
  check?: (value: never, ctx: Ctx) => string | undefined;
  /** what the answer means, shown once given */
  consequences?: (ctx: Ctx) => string[];
}

export interface Section {
  key: keyof Answers;
  title: string;
  intro: string;
  questions: Question[];
  /** a list of items (providers, tenants) rather than one group */
  repeat?: { min: number; noun: string; another: (ctx: Ctx) => string };
  /** shown once the section is complete */
  after?: (draft: Draft) => string[];
}

// ---- validation shared by the session and the answers file -------------------------------

export const ID_RE = /^[a-z0-9][a-z0-9._-]*$/;
export const HEADER_RE = /^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/;
export const ENV_RE = /^[A-Z_][A-Z0-9_]*$/;
export const WINDOW_RE = /^([01][0-9]|2[0-3]):[0-5][0-9]-([01][0-9]|2[0-3]):[0-5][0-9]$/;
export const FIELD_RE = /^[a-z][a-z0-9_]*$/;

export function checkUrl(v: string): string | undefined {
  try {
    const u = new URL(v);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') return `use an http:// or https:// URL, not ${u.protocol}`;
    return undefined;
  } catch {
    return 'not a URL: expected something like https://wiki.example.com/runbooks/llm-failover';
  }
}

export function checkTimezone(v: string): string | undefined {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: v });
    return undefined;
  } catch {
    return `unknown time zone ${quote(v)}: use an IANA name such as America/New_York or Europe/London`;
  }
}

const idCheck = (what: string) => (v: string) =>
  ID_RE.test(v) ? undefined : `${what} must be lower-case letters, digits, '.', '_' or '-', starting with a letter or digit (e.g. openai-main)`;

function choicesOf(q: Question, ctx: Ctx): Choice[] {
  return typeof q.choices === 'function' ? q.choices(ctx) : [...(q.choices ?? [])];
}

export function resolveChoices(q: Question, ctx: Ctx): Choice[] {
  return choicesOf(q, ctx);
}

export function messageOf(q: Question, ctx: Ctx): string {
  return typeof q.message === 'function' ? q.message(ctx) : q.message;
}

/** Validates one answer (already parsed): the problem as a sentence, or undefined when fine. */
export function validateAnswer(q: Question, value: unknown, ctx: Ctx): string | undefined {
  if (value === undefined || value === null) return q.required ? 'an answer is needed here' : undefined;
  // A manifest holds no secrets: a credential typed or pasted as any answer is refused here, before any
  // message could echo it and before it could reach the file.
  const texts = typeof value === 'string' ? [value] : Array.isArray(value) ? value.filter((x): x is string => typeof x === 'string') : [];
  const secret = texts.map(secretKind).find((k) => k !== undefined);
  if (secret) return q.onSecret ?? `that looks like a credential (${secret}): a manifest holds no secrets, so it cannot be an answer`;
  const num = (v: unknown) => {
    if (typeof v !== 'number' || !Number.isFinite(v)) return 'expected a number';
    if (q.kind === 'integer' && !Number.isInteger(v)) return 'expected a whole number';
    if (q.allowZero ? v < 0 : v <= 0) return q.allowZero ? 'must be zero or more' : 'must be a positive number';
    const max = q.max ?? (q.lands !== undefined ? schemaMaximum(q.lands) : undefined);
    if (max !== undefined && v > max) return `must be at most ${Number.isInteger(max) ? int(max) : plain(max)}`;
    return undefined;
  };
  let problem: string | undefined;
  switch (q.kind) {
    case 'text':
      if (typeof value !== 'string') problem = typeof value === 'number' ? 'expected text: quote it ("3.4")' : 'expected text';
      else if (value.trim() === '') problem = 'an answer is needed here';
      break;
    case 'number':
    case 'integer':
      problem = num(value);
      break;
    case 'list':
      if (!Array.isArray(value) || value.some((x) => typeof x !== 'string' || x.trim() === '')) problem = 'expected a list of names';
      else if (q.required && value.length === 0) problem = 'name at least one';
      else if (new Set(value).size !== value.length) problem = `${quote(value.find((x, i) => value.indexOf(x) !== i))} is listed twice`;
      break;
    case 'statuses':
      if (!Array.isArray(value) || value.some((x) => !Number.isInteger(x) || x < 400 || x > 599)) problem = 'expected HTTP status codes between 400 and 599, e.g. 429, 500, 502, 503, 504';
      else if (new Set(value).size !== value.length) problem = `${value.find((x, i) => value.indexOf(x) !== i)} is listed twice`;
      break;
    case 'select': {
      const choices = choicesOf(q, ctx);
      const c = choices.find((x) => x.value === value);
      if (typeof value !== 'string' || !c) problem = `expected one of: ${choices.filter((x) => !x.disabled).map((x) => x.value).join(', ')}`;
      else if (c.disabled) problem = `${c.value}: ${c.disabled}`;
      break;
    }
    case 'multi': {
      const choices = choicesOf(q, ctx);
      if (!Array.isArray(value)) problem = `expected a list of: ${choices.map((x) => x.value).join(', ')}`;
      else {
        const bad = value.find((v) => !choices.some((c) => c.value === v && !c.disabled));
        if (bad !== undefined) problem = `${quote(bad)} is not one of: ${choices.filter((x) => !x.disabled).map((x) => x.value).join(', ')}`;
        else if (new Set(value).size !== value.length) problem = `${quote(value.find((x, i) => value.indexOf(x) !== i))} is listed twice`;
        else if (q.required && value.length === 0) problem = 'choose at least one';
      }
      break;
    }
    case 'confirm':
      if (typeof value !== 'boolean') problem = 'expected yes or no (true or false)';
      break;
  }
  return problem ?? q.check?.(value as never, ctx);
}

/** Parses what was typed at an input prompt into the question's kind. */
export function parseTyped(q: Question, raw: string): { value?: unknown; problem?: string } {
  const s = raw.trim();
  if (s === '') return { value: undefined };
  switch (q.kind) {
    case 'number':
    case 'integer': {
      const n = Number(s.replace(/[,_\s]/g, '').replace(/^\$/, ''));
      return Number.isFinite(n) ? { value: n } : { problem: 'expected a number' };
    }
    case 'list':
      return { value: s.split(',').map((x) => x.trim()).filter((x) => x !== '') };
    case 'statuses': {
      const parts = s.split(/[\s,]+/).filter(Boolean).map(Number);
      return { value: parts };
    }
    default:
      return { value: s };
  }
}

/** How an answer is shown back as an input default. */
export function formatTyped(q: Question, value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (Array.isArray(value)) return value.join(', ');
  return String(value);
}

// ---- the questionnaire ------------------------------------------------------------------------

const INDUSTRIES: Array<{ value: Industry; name: string }> = [
  { value: 'financial-services', name: 'Financial services (banking, brokerage, asset management)' },
  { value: 'healthcare', name: 'Healthcare' },
  { value: 'insurance', name: 'Insurance' },
  { value: 'legal', name: 'Legal' },
  { value: 'government', name: 'Government / public sector' },
  { value: 'technology', name: 'Technology' },
  { value: 'retail', name: 'Retail / e-commerce' },
  { value: 'other', name: 'Something else' },
];

const FRAMEWORK_HINTS: Record<Framework, string> = {
  'sec-17a-4': 'broker-dealer records',
  'finra-4511': 'FINRA member firms',
  sox: 'US public companies: financial reporting',
  hipaa: 'US health information',
  'pci-dss': 'payment card data',
  gdpr: 'personal data of people in the EU',
  'eu-ai-act': 'AI systems placed on the EU market',
  soc2: 'service organisation controls',
  'nist-800-53': 'US federal systems (FedRAMP)',
};

const VENDORS: Array<{ value: Vendor; name: string }> = [
  { value: 'openai', name: 'OpenAI' },
  { value: 'azure-openai', name: 'Azure OpenAI' },
  { value: 'anthropic', name: 'Anthropic' },
  { value: 'aws-bedrock', name: 'AWS Bedrock' },
  { value: 'google-vertex', name: 'Google Vertex AI' },
  { value: 'mistral', name: 'Mistral' },
  { value: 'cohere', name: 'Cohere' },
  { value: 'self-hosted', name: 'Self-hosted model' },
  { value: 'other', name: 'Another vendor' },
];

const SINKS: Array<{ value: SinkKind; name: string }> = [
  { value: 's3-object-lock', name: 'AWS S3 with Object Lock (write-once)' },
  { value: 'azure-immutable-blob', name: 'Azure immutable Blob storage (write-once)' },
  { value: 'gcs-bucket-lock', name: 'Google Cloud Storage with Bucket Lock (write-once)' },
  { value: 'worm-storage', name: 'Other WORM storage' },
  { value: 'hash-chained-log', name: 'A hash-chained (tamper-evident) log' },
  { value: 'database', name: 'A database table' },
  { value: 'otel-traces', name: 'Trace spans (OpenTelemetry)' },
  { value: 'aws-qldb', name: 'AWS QLDB' },
  { value: 'none', name: 'No audit log' },
];

const WRITE_ONCE_SINKS: readonly SinkKind[] = ['s3-object-lock', 'azure-immutable-blob', 'gcs-bucket-lock', 'worm-storage'];

const providerIds = (ctx: Ctx) => (ctx.draft.providers ?? []).map((p) => p.id).filter((x): x is string => typeof x === 'string');
const primaryId = (ctx: Ctx) => ctx.draft.routing?.primary ?? providerIds(ctx)[0];
const regulated = (ctx: Ctx) => isRegulated(ctx.draft.operator?.industry, ctx.draft.operator?.frameworks ?? []);

export const QUESTIONNAIRE: readonly Section[] = [
  {
    key: 'deployment',
    title: 'The deployment',
    intro: 'First, what is being handed over and to whom.',
    questions: [
      { key: 'name', kind: 'text', required: true, message: 'What is the deployment called (a short name, e.g. contract-review-agent)?' },
      { key: 'operator', kind: 'text', required: true, message: 'Who is the operator: the organisation that will run it?' },
      { key: 'environment', kind: 'text', required: true, message: 'Which environment is this?', suggest: () => 'production' },
      { key: 'agentVersion', kind: 'text', message: 'Which version of the agent are you handing over (blank if none)?' },
    ],
  },
  {
    key: 'operator',
    title: 'Industry and compliance',
    intro: "The operator's industry and the rules they answer to decide what their audit log must keep, and for how long.",
    questions: [
      { key: 'industry', kind: 'select', required: true, message: 'Which industry is the operator in?', choices: INDUSTRIES, consequences: (ctx) => industryNotes(ctx.draft) },
      {
        key: 'frameworks',
        kind: 'multi',
        message: 'Which compliance frameworks bind them? (space to select, enter when done; none is an answer too)',
        choices: (Object.keys(FRAMEWORK_NAMES) as Framework[]).map((f) => ({ value: f, name: `${FRAMEWORK_NAMES[f]} (${FRAMEWORK_HINTS[f]})` })),
        suggest: () => [],
        consequences: (ctx) => frameworkNotes(ctx.draft.operator?.frameworks ?? []),
      },
      { key: 'timezone', kind: 'text', message: 'Their time zone (IANA name, e.g. America/New_York; blank if unsure)?', check: (v: string) => checkTimezone(v) },
      {
        key: 'businessHours',
        kind: 'text',
        message: 'Their business hours, local time (days and hours, e.g. mon-fri 09:00-18:00; blank for that default)? Traffic outside them is off-hours.',
        check: (v: string) => {
          const b = parseBusinessHours(v);
          return typeof b === 'string' ? b : undefined;
        },
      },
    ],
  },
  {
    key: 'usage',
    title: 'How they use the agent',
    intro: "Providers must be sized for the operator's busiest minutes, not for an average day.",
    questions: [
      { key: 'averageRpm', kind: 'number', required: true, lands: 'traffic.averageRpm', message: 'On an ordinary working day, how many requests per minute do they send on average?' },
      {
        key: 'peakRpm',
        kind: 'number',
        required: true,
        lands: 'traffic.peakRpm',
        message: (ctx) => {
          const avg = ctx.draft.usage?.averageRpm;
          return avg !== undefined
            ? `At their busiest, how many requests per minute? (4x the average, ${4 * avg}, is offered as a starting guess: confirm it with the operator)`
            : 'At their busiest, how many requests per minute?';
        },
        suggest: (ctx) => (ctx.draft.usage?.averageRpm !== undefined ? 4 * ctx.draft.usage.averageRpm : undefined),
        check: (v: number, ctx) => {
          const avg = ctx.draft.usage?.averageRpm;
          return avg !== undefined && v < avg ? `the peak cannot be lower than the average (${avg} rpm)` : undefined;
        },
        consequences: (ctx) => peakNotes(ctx.draft),
      },
      {
        key: 'peakWindow',
        kind: 'text',
        message: 'When does the peak happen, in their local time (HH:MM-HH:MM, e.g. 17:00-19:00)?',
        check: (v: string) => (WINDOW_RE.test(v) ? undefined : 'expected HH:MM-HH:MM on a 24-hour clock, e.g. 17:00-19:00'),
      },
      { key: 'inputTokens', kind: 'integer', required: true, allowZero: true, lands: 'traffic.tokensPerRequest.input', message: 'How many tokens does a typical request send (prompt and context)?' },
      { key: 'outputTokens', kind: 'integer', required: true, allowZero: true, lands: 'traffic.tokensPerRequest.output', message: 'How many tokens does a typical answer have?', consequences: (ctx) => tokenNotes(ctx.draft) },
      {
        key: 'steadyP99Ms',
        kind: 'number',
        lands: 'slo.steadyP99Ms',
        message: 'Which p99 latency must an ordinary request meet, in milliseconds (their latency objective; blank if none)?',
        consequences: (ctx) => sloNotes(ctx.draft),
      },
    ],
  },
  {
    key: 'providers',
    title: 'Model providers',
    intro: 'Each provider the agent can call, with the rate limits and prices of the account it uses.',
    repeat: { min: 1, noun: 'provider', another: () => 'Add another provider? (a provider of another vendor is what failover needs)' },
    questions: [
      {
        key: 'id',
        kind: 'text',
        required: true,
        message: 'A short id for this provider (e.g. openai-main)?',
        check: (v: string, ctx) =>
          idCheck('the id')(v) ??
          ((ctx.draft.providers ?? []).slice(0, ctx.index).some((p) => p.id === v) ? `another provider already has the id ${quote(v)}` : undefined),
      },
      { key: 'vendor', kind: 'select', required: true, message: 'Which vendor?', choices: VENDORS },
      { key: 'model', kind: 'text', required: true, message: 'Which model (e.g. gpt-4o-2024-08-06)?' },
      {
        key: 'baseUrl',
        kind: 'text',
        message: 'Its API base URL?',
        when: (ctx) => ['azure-openai', 'self-hosted', 'other'].includes(String(ctx.item.vendor)),
        check: (v: string) => checkUrl(v),
      },
      { key: 'rpm', kind: 'number', lands: 'providers[].limits.rpm', message: 'Requests per minute this account may send it (blank if unknown)?', consequences: (ctx) => providerNotes(ctx.draft, ctx.index) },
      { key: 'tpm', kind: 'number', lands: 'providers[].limits.tpm', message: 'Tokens per minute this account may send it (blank if unknown)?', consequences: (ctx) => providerNotes(ctx.draft, ctx.index) },
      { key: 'inputPerMTok', kind: 'number', allowZero: true, lands: 'providers[].pricing.inputPerMTok', message: 'Price in USD per million input tokens (blank if unknown)?' },
      {
        key: 'outputPerMTok',
        kind: 'number',
        allowZero: true,
        lands: 'providers[].pricing.outputPerMTok',
        message: 'Price in USD per million output tokens?',
        when: (ctx) => ctx.item.inputPerMTok !== undefined,
        required: true,
        consequences: (ctx) => pricingNotes(ctx.draft, ctx.index),
      },
      {
        key: 'apiKeyEnv',
        kind: 'text',
        message: 'Name of the environment variable that holds its API key (the name, never the key)?',
        onSecret: 'that looks like a key itself: give the name of the environment variable that holds it (e.g. OPENAI_API_KEY)',
        check: (v: string) => (ENV_RE.test(v) ? undefined : 'expected an environment variable name in capitals, e.g. OPENAI_API_KEY'),
      },
    ],
  },
  {
    key: 'routing',
    title: 'When a provider rate-limits or fails',
    intro: 'What happens to requests when the primary answers 429 or is down.',
    questions: [
      {
        key: 'primary',
        kind: 'select',
        required: true,
        message: 'Which provider takes traffic first?',
        when: (ctx) => providerIds(ctx).length > 1,
        choices: (ctx) => providerIds(ctx).map((id) => ({ value: id, name: id })),
        suggest: (ctx) => providerIds(ctx)[0],
        consequences: (ctx) => providerNotes(ctx.draft, Math.max(0, providerIds(ctx).indexOf(String(ctx.draft.routing?.primary)))),
      },
      {
        key: 'failover',
        kind: 'select',
        required: true,
        message: 'When the primary rate-limits or fails, where do requests go?',
        choices: (ctx) => [
          {
            value: 'automatic',
            name: 'Automatically to another provider',
            disabled: providerIds(ctx).length < 2 ? 'needs a second provider (add one under providers)' : undefined,
          },
          { value: 'manual', name: 'A person switches provider, following a runbook' },
          { value: 'none', name: 'Nowhere: requests fail until the primary recovers' },
        ],
      },
      {
        key: 'targets',
        kind: 'multi',
        required: true,
        message: 'Fail over to which providers, in order?',
        when: (ctx) => ctx.draft.routing?.failover === 'automatic',
        choices: (ctx) => providerIds(ctx).filter((id) => id !== primaryId(ctx)).map((id) => ({ value: id, name: id })),
        suggest: (ctx) => providerIds(ctx).filter((id) => id !== primaryId(ctx)).slice(0, 1),
      },
      {
        key: 'onStatus',
        kind: 'statuses',
        required: true,
        message: 'On which HTTP status codes (comma-separated)?',
        when: (ctx) => ctx.draft.routing?.failover === 'automatic',
        suggest: () => [429, 500, 502, 503, 504],
      },
      { key: 'runbook', kind: 'text', required: true, message: 'URL of the runbook the on-call person follows?', when: (ctx) => ctx.draft.routing?.failover === 'manual', check: (v: string) => checkUrl(v) },
      { key: 'slaMinutes', kind: 'number', required: true, lands: 'routing.failover.manual.slaMinutes', message: 'Within how many minutes do they switch provider?', when: (ctx) => ctx.draft.routing?.failover === 'manual' },
      {
        key: 'burst',
        kind: 'select',
        required: true,
        message: 'During a burst above the limit, what happens to the extra requests?',
        choices: [
          { value: 'queue', name: 'They wait in a queue at the gateway' },
          { value: 'retry-backoff', name: 'Clients retry with backoff' },
          { value: 'none', name: 'Nothing: they fail' },
        ],
      },
      { key: 'maxWaitSeconds', kind: 'number', lands: 'routing.burst.maxWaitSeconds', message: 'How many seconds may a request wait at most (blank if unbounded)?', when: (ctx) => ctx.draft.routing?.burst !== undefined && ctx.draft.routing.burst !== 'none' },
    ],
    after: (draft) => [...checkSoFar(draft, 'rate-limit-sizing', ['traffic', 'providers', 'routing']), ...checkSoFar(draft, 'failover', [])],
  },
  {
    key: 'gateway',
    title: 'Gateway and cost attribution',
    intro: 'Cost can only be broken down, and capped, per team if every request says whose it is.',
    questions: [
      {
        key: 'kind',
        kind: 'select',
        required: true,
        message: 'Which gateway sits in front of the providers?',
        choices: [
          { value: 'litellm', name: 'LiteLLM proxy' },
          { value: 'portkey', name: 'Portkey' },
          { value: 'other', name: 'Another gateway' },
        ],
      },
      {
        key: 'edition',
        kind: 'select',
        when: (ctx) => ctx.draft.gateway?.kind === 'litellm',
        message: 'Which LiteLLM edition runs? (its Prometheus metrics, which the alerts read, need Enterprise)',
        choices: [
          { value: 'enterprise', name: 'Enterprise (LITELLM_LICENSE set)' },
          { value: 'oss', name: 'Open source' },
        ],
      },
      {
        key: 'metricsSource',
        kind: 'select',
        when: (ctx) => ctx.draft.gateway?.kind === 'litellm' && ctx.draft.gateway?.edition === 'oss',
        message: "Open-source LiteLLM has no Prometheus metrics. Will readiness exporter serve them from LiteLLM's database?",
        choices: [
          { value: 'readiness-exporter', name: 'Yes: readiness exporter reads LiteLLM\'s database (docs/exporter.md)' },
          { value: 'litellm-prometheus', name: "No: the alerts read LiteLLM's callback (they stay silent on open source)" },
        ],
      },
      { key: 'endpoint', kind: 'text', message: "The gateway's chat-completions URL (blank if not known yet)?", check: (v: string) => checkUrl(v) },
      { key: 'operatorHeader', kind: 'text', message: 'Header that names the operator on every request (blank: none)?', suggest: () => 'x-operator-id', check: (v: string) => (HEADER_RE.test(v) ? undefined : 'not a valid HTTP header name') },
      { key: 'teamHeader', kind: 'text', message: 'Header that names the team (blank: none)?', suggest: () => 'x-team-id', check: (v: string) => (HEADER_RE.test(v) ? undefined : 'not a valid HTTP header name') },
      { key: 'useCaseHeader', kind: 'text', message: 'Header that names the use case (blank: none)?', suggest: () => 'x-use-case-id', check: (v: string) => (HEADER_RE.test(v) ? undefined : 'not a valid HTTP header name') },
      {
        key: 'onMissing',
        kind: 'select',
        required: true,
        message: 'What does the gateway do with a request that lacks these headers?',
        choices: [
          { value: 'reject', name: 'Rejects it' },
          { value: 'label-unattributed', name: 'Lets it through, counted as unattributed' },
          { value: 'allow', name: 'Lets it through uncounted' },
        ],
      },
      {
        key: 'enforcedBy',
        kind: 'select',
        when: (ctx) => ctx.draft.gateway?.kind === 'litellm' && ctx.draft.gateway?.onMissing === 'reject',
        message: 'LiteLLM cannot refuse a request for a missing header. How is it refused?',
        choices: [
          { value: 'virtual-keys', name: 'By virtual keys: one per team and use case (readiness writes them)' },
          { value: 'headers', name: 'By the headers alone (LiteLLM will not refuse them)' },
        ],
      },
      {
        key: 'aggregation',
        kind: 'select',
        required: true,
        message: 'How often is spend rolled up per team?',
        choices: [
          { value: 'daily', name: 'Daily' },
          { value: 'hourly', name: 'Hourly' },
          { value: 'none', name: 'Never (only the monthly bill)' },
        ],
      },
    ],
  },
  {
    key: 'tenants',
    title: 'Teams (tenants)',
    intro: 'Every team or use case that calls the agent, with its volume, its rate limit and its monthly budget.',
    repeat: { min: 0, noun: 'tenant', another: (ctx) => (ctx.index === 0 ? 'Declare a team now? (every team that calls the agent should be one)' : 'Add another team?') },
    questions: [
      {
        key: 'id',
        kind: 'text',
        required: true,
        message: 'A short id for this team (e.g. research)?',
        check: (v: string, ctx) =>
          idCheck('the id')(v) ?? ((ctx.draft.tenants ?? []).slice(0, ctx.index).some((t) => t.id === v) ? `another team already has the id ${quote(v)}` : undefined),
      },
      { key: 'team', kind: 'text', required: true, message: 'The team id its requests carry?', suggest: (ctx) => ctx.item.id },
      { key: 'useCases', kind: 'list', required: true, message: 'Its use cases (comma-separated ids, e.g. batch-analysis, qa)?' },
      { key: 'dailyRequests', kind: 'number', allowZero: true, lands: 'tenants[].dailyRequests', message: 'How many requests does it send on an ordinary day?' },
      { key: 'costPerRequestUsd', kind: 'number', allowZero: true, lands: 'tenants[].costPerRequestUsd', message: (ctx) => `Its cost per request in USD, if different (${costPerRequestHint(ctx.draft)})?` },
      { key: 'rpm', kind: 'number', lands: 'tenants[].limits.rpm', message: 'Its rate limit in requests per minute (blank: none)?' },
      { key: 'tpm', kind: 'number', lands: 'tenants[].limits.tpm', message: 'Its limit in tokens per minute, for the gateway to enforce (blank: none)?' },
      { key: 'monthlyBudgetUsd', kind: 'number', lands: 'tenants[].budget.monthlyUsd', message: 'Its monthly budget in USD (blank: none)?', consequences: (ctx) => tenantNotes(ctx.draft, ctx.index) },
    ],
    after: (draft) => checkSoFar(draft, 'cost-attribution', []),
  },
  {
    key: 'budgets',
    title: 'Spending limits',
    intro: 'How budgets are enforced and when someone hears about spending.',
    questions: [
      { key: 'accountMonthlyUsd', kind: 'number', lands: 'budgets.accountMonthlyUsd', message: 'Monthly ceiling for the whole account in USD (blank: none)?' },
      { key: 'alertAtFraction', kind: 'number', required: true, lands: 'budgets.alertAtFraction', message: "At what fraction of a team's budget should someone be alerted (0-1)?", suggest: () => 0.7, consequences: (ctx) => alertNotes(ctx.draft) },
      { key: 'alertByDay', kind: 'integer', required: true, lands: 'budgets.alertByDay', message: 'Page someone if that fraction is reached by which day of the month?', suggest: () => 15 },
      {
        key: 'onExceeded',
        kind: 'select',
        required: true,
        message: 'What happens when a team exceeds its budget?',
        choices: [
          { value: 'block', name: 'Its requests are refused' },
          { value: 'throttle', name: 'Its requests are slowed down' },
          { value: 'alert-only', name: 'Someone is alerted; it keeps spending' },
        ],
      },
    ],
    after: (draft) => checkSoFar(draft, 'budget-ceilings', []),
  },
  {
    key: 'audit',
    title: 'Audit log',
    intro: 'Where a record of every decision is kept, so that one decision can be reconstructed later.',
    questions: [
      { key: 'sink', kind: 'select', required: true, message: 'Where is a record of each request kept?', choices: SINKS, suggest: (ctx) => (regulated(ctx) ? 's3-object-lock' : undefined) },
      {
        key: 'mode',
        kind: 'select',
        required: true,
        message: 'Which Object Lock mode?',
        when: (ctx) => ctx.draft.audit?.sink === 's3-object-lock',
        choices: [
          { value: 'compliance', name: 'Compliance: nobody, root included, can delete or shorten' },
          { value: 'governance', name: 'Governance: users with a special permission can bypass it' },
        ],
      },
      {
        key: 'writeOnce',
        kind: 'confirm',
        required: true,
        message: 'Can records, once written, no longer be changed or deleted by anyone?',
        when: (ctx) => ctx.draft.audit?.sink !== undefined && ctx.draft.audit.sink !== 'none',
        suggest: (ctx) => WRITE_ONCE_SINKS.includes(ctx.draft.audit?.sink as SinkKind),
      },
      {
        key: 'retentionDays',
        kind: 'integer',
        allowZero: true,
        lands: 'audit.sink.retentionDays',
        message: (ctx) => `How many days are records kept (${retentionHint(ctx.draft)})?`,
        when: (ctx) => ctx.draft.audit?.sink !== undefined && ctx.draft.audit.sink !== 'none',
        suggest: (ctx) => {
          const need = requiredRetention(ctx.draft.operator?.frameworks ?? []);
          return need.days > 0 ? need.days : undefined;
        },
        consequences: (ctx) => retentionNotes(ctx.draft),
      },
      {
        key: 'businessObject',
        kind: 'text',
        message: 'What is each decision about (document, claim, ticket...)?',
        when: (ctx) => ctx.draft.audit?.sink !== undefined && ctx.draft.audit.sink !== 'none',
      },
      {
        key: 'fields',
        kind: 'list',
        message: 'Fields in each record (comma-separated; pre-filled with what the frameworks require)?',
        when: (ctx) => ctx.draft.audit?.sink !== undefined && ctx.draft.audit.sink !== 'none',
        suggest: (ctx) => requiredFieldNames(ctx.draft),
        check: (v: string[]) => {
          const bad = v.find((f) => !FIELD_RE.test(f));
          return bad !== undefined ? `${quote(bad)}: field names are lower_snake_case` : undefined;
        },
        consequences: (ctx) => fieldNotes(ctx.draft),
      },
    ],
    after: (draft) => checkSoFar(draft, 'audit-log', []),
  },
];
