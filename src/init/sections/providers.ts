/** Section 4: the model providers, with the rate limits and prices of the accounts used. At a terminal:
 * their ids at once, then one row per provider. */
import { pricingNotes, providerNotes } from '../consequences.js';
import type { Vendor } from '../../manifest/types.js';
import { quote } from '../../util/secrets.js';
import { ENV_RE, type Section, checkUrl, idCheck } from '../kit.js';

export const VENDORS: Array<{ value: Vendor; name: string }> = [
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

export const PROVIDERS: Section = {
  key: 'providers',
  title: 'Model providers',
  intro: 'Each provider the agent can call, with the rate limits and prices of the account it uses.',
  repeat: {
    min: 1,
    noun: 'provider',
    ids: 'Short ids for the providers the agent can call, the primary first (comma-separated, e.g. openai-main, anthropic-backup; a provider of another vendor is what failover needs)?',
  },
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
    { key: 'vendor', label: 'vendor', kind: 'select', required: true, message: 'Which vendor?', choices: VENDORS },
    { key: 'model', label: 'model', kind: 'text', required: true, message: 'Which model (e.g. gpt-4o-2024-08-06)?' },
    {
      key: 'baseUrl',
      label: 'base URL',
      kind: 'text',
      message: 'Its API base URL?',
      when: (ctx) => ['azure-openai', 'self-hosted', 'other'].includes(String(ctx.item.vendor)),
      check: (v: string) => checkUrl(v),
    },
    { key: 'rpm', label: 'rpm limit', kind: 'number', lands: 'providers[].limits.rpm', message: 'Requests per minute this account may send it (blank if unknown)?', consequences: (ctx) => providerNotes(ctx.draft, ctx.index) },
    { key: 'tpm', label: 'tpm limit', kind: 'number', lands: 'providers[].limits.tpm', message: 'Tokens per minute this account may send it (blank if unknown)?', consequences: (ctx) => providerNotes(ctx.draft, ctx.index) },
    { key: 'inputPerMTok', label: 'USD/M input', kind: 'number', allowZero: true, lands: 'providers[].pricing.inputPerMTok', message: 'Price in USD per million input tokens (blank if unknown)?' },
    {
      key: 'outputPerMTok',
      label: 'USD/M output',
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
      label: 'API key env var',
      kind: 'text',
      message: 'Name of the environment variable that holds its API key (the name, never the key)?',
      onSecret: 'that looks like a key itself: give the name of the environment variable that holds it (e.g. OPENAI_API_KEY)',
      check: (v: string) => (ENV_RE.test(v) ? undefined : 'expected an environment variable name in capitals, e.g. OPENAI_API_KEY'),
    },
  ],
  rows: [
    {
      keys: ['vendor', 'model', 'rpm', 'tpm', 'inputPerMTok', 'outputPerMTok', 'apiKeyEnv'],
      message: (ctx) =>
        `${String(ctx.item.id)}: its vendor (${VENDORS.map((v) => v.value).join(', ')}), model, the account's limits, prices in USD per million tokens and the name of the environment variable that holds its key (never the key; blank: unknown)?`,
    },
  ],
};
