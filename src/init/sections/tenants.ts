/** Section 7: the teams (tenants). At a terminal: their ids at once, then one row per team whose
 * figures default to the first team's. */
import { checkSoFar, costPerRequestHint, tenantNotes } from '../consequences.js';
import { quote } from '../../util/secrets.js';
import { type Section, idCheck } from '../kit.js';

export const TENANTS: Section = {
  key: 'tenants',
  title: 'Teams (tenants)',
  intro: 'Every team or use case that calls the agent, with its volume, its rate limit and its monthly budget.',
  repeat: { min: 0, noun: 'tenant', ids: 'Short ids for the teams that call the agent (comma-separated, e.g. research, operations; every team should be one; blank: none yet)?' },
  questions: [
    {
      key: 'id',
      kind: 'text',
      required: true,
      message: 'A short id for this team (e.g. research)?',
      check: (v: string, ctx) =>
        idCheck('the id')(v) ?? ((ctx.draft.tenants ?? []).slice(0, ctx.index).some((t) => t.id === v) ? `another team already has the id ${quote(v)}` : undefined),
    },
    { key: 'team', label: 'team id on requests', kind: 'text', required: true, message: 'The team id its requests carry?', suggest: (ctx) => ctx.item.id },
    { key: 'useCases', label: 'use cases', kind: 'list', required: true, fromFirst: true, message: 'Its use cases (comma-separated ids, e.g. batch-analysis, qa)?' },
    { key: 'dailyRequests', label: 'requests a day', kind: 'number', fromFirst: true, allowZero: true, lands: 'tenants[].dailyRequests', message: 'How many requests does it send on an ordinary day?' },
    { key: 'costPerRequestUsd', label: 'USD per request', kind: 'number', fromFirst: true, allowZero: true, lands: 'tenants[].costPerRequestUsd', message: (ctx) => `Its cost per request in USD, if different (${costPerRequestHint(ctx.draft)})?` },
    { key: 'rpm', label: 'rpm limit', kind: 'number', fromFirst: true, lands: 'tenants[].limits.rpm', message: 'Its rate limit in requests per minute (blank: none)?' },
    { key: 'tpm', label: 'tpm limit', kind: 'number', fromFirst: true, lands: 'tenants[].limits.tpm', message: 'Its limit in tokens per minute, for the gateway to enforce (blank: none)?' },
    { key: 'monthlyBudgetUsd', label: 'monthly budget USD', kind: 'number', fromFirst: true, lands: 'tenants[].budget.monthlyUsd', message: 'Its monthly budget in USD (blank: none)?', consequences: (ctx) => tenantNotes(ctx.draft, ctx.index) },
  ],
  rows: [
    {
      keys: ['team', 'useCases', 'dailyRequests', 'costPerRequestUsd', 'rpm', 'tpm', 'monthlyBudgetUsd'],
      message: (ctx) =>
        `${String(ctx.item.id)}: the team id its requests carry, its use cases (comma-separated), requests on an ordinary day, cost per request in USD if different (${costPerRequestHint(ctx.draft)}), rate limits and monthly budget (blank: none)?`,
    },
  ],
  after: (draft) => checkSoFar(draft, 'cost-attribution', []),
};
