/** Section 6: the gateway, and the headers cost is attributed by. */
import { HEADER_RE, type Section, checkUrl } from '../kit.js';

export const GATEWAY: Section = {
  key: 'gateway',
  title: 'Gateway and cost attribution',
  intro: 'Cost can only be broken down, and capped, per team if every request says whose it is.',
  questions: [
    {
      key: 'kind',
      label: 'gateway',
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
      label: 'edition',
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
      label: 'metrics source',
      kind: 'select',
      when: (ctx) => ctx.draft.gateway?.kind === 'litellm' && ctx.draft.gateway?.edition === 'oss',
      message: "Open-source LiteLLM has no Prometheus metrics. Will readiness exporter serve them from LiteLLM's database?",
      choices: [
        { value: 'readiness-exporter', name: "Yes: readiness exporter reads LiteLLM's database (docs/exporter.md)" },
        { value: 'litellm-prometheus', name: "No: the alerts read LiteLLM's callback (they stay silent on open source)" },
      ],
    },
    { key: 'endpoint', label: 'endpoint', kind: 'text', message: "The gateway's chat-completions URL (blank if not known yet)?", check: (v: string) => checkUrl(v) },
    { key: 'operatorHeader', label: 'operator header', kind: 'text', message: 'Header that names the operator on every request (blank: none)?', suggest: () => 'x-operator-id', check: (v: string) => (HEADER_RE.test(v) ? undefined : 'not a valid HTTP header name') },
    { key: 'teamHeader', label: 'team header', kind: 'text', message: 'Header that names the team (blank: none)?', suggest: () => 'x-team-id', check: (v: string) => (HEADER_RE.test(v) ? undefined : 'not a valid HTTP header name') },
    { key: 'useCaseHeader', label: 'use-case header', kind: 'text', message: 'Header that names the use case (blank: none)?', suggest: () => 'x-use-case-id', check: (v: string) => (HEADER_RE.test(v) ? undefined : 'not a valid HTTP header name') },
    {
      key: 'onMissing',
      label: 'without headers',
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
      label: 'enforced by',
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
      label: 'spend rolled up',
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
  rows: [{ keys: ['operatorHeader', 'teamHeader', 'useCaseHeader'], message: 'The headers that name the operator, the team and the use case on every request (blank: none)?' }],
};
