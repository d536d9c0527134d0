/** Section 5: where requests go when the primary rate-limits or fails. */
import { checkSoFar, providerNotes } from '../consequences.js';
import { type Ctx, type Section, checkUrl } from '../kit.js';

const providerIds = (ctx: Ctx) => (ctx.draft.providers ?? []).map((p) => p.id).filter((x): x is string => typeof x === 'string');
const primaryId = (ctx: Ctx) => ctx.draft.routing?.primary ?? providerIds(ctx)[0];

/** The warning on failover statuses without 429: what the failover check will say of them. */
export function without429Warning(statuses: readonly number[]): string | undefined {
  if (statuses.includes(429)) return undefined;
  return `without 429 a rate-limited primary is never failed over: at the peak its requests fail, and the failover check fails (onStatus: ${statuses.join(', ') || 'none'})`;
}

export const ROUTING: Section = {
  key: 'routing',
  title: 'When a provider rate-limits or fails',
  intro: 'What happens to requests when the primary answers 429 or is down.',
  questions: [
    {
      key: 'primary',
      label: 'primary',
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
      label: 'failover',
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
      label: 'failover targets',
      kind: 'multi',
      required: true,
      message: 'Fail over to which providers, in order?',
      when: (ctx) => ctx.draft.routing?.failover === 'automatic',
      choices: (ctx) => providerIds(ctx).filter((id) => id !== primaryId(ctx)).map((id) => ({ value: id, name: id })),
      suggest: (ctx) => providerIds(ctx).filter((id) => id !== primaryId(ctx)).slice(0, 1),
    },
    {
      key: 'onStatus',
      label: 'failover on status',
      kind: 'statuses',
      required: true,
      message: 'On which HTTP status codes (comma-separated)?',
      when: (ctx) => ctx.draft.routing?.failover === 'automatic',
      suggest: () => [429, 500, 502, 503, 504],
      warn: (v: number[]) => without429Warning(v),
    },
    { key: 'runbook', label: 'runbook', kind: 'text', required: true, message: 'URL of the runbook the on-call person follows?', when: (ctx) => ctx.draft.routing?.failover === 'manual', check: (v: string) => checkUrl(v) },
    { key: 'slaMinutes', label: 'minutes to switch', kind: 'number', required: true, lands: 'routing.failover.manual.slaMinutes', message: 'Within how many minutes do they switch provider?', when: (ctx) => ctx.draft.routing?.failover === 'manual' },
    {
      key: 'burst',
      label: 'burst',
      kind: 'select',
      required: true,
      message: 'During a burst above the limit, what happens to the extra requests?',
      choices: [
        { value: 'queue', name: 'They wait in a queue at the gateway' },
        { value: 'retry-backoff', name: 'Clients retry with backoff' },
        { value: 'none', name: 'Nothing: they fail' },
      ],
    },
    { key: 'maxWaitSeconds', label: 'max wait seconds', kind: 'number', lands: 'routing.burst.maxWaitSeconds', message: 'How many seconds may a request wait at most (blank if unbounded)?', when: (ctx) => ctx.draft.routing?.burst !== undefined && ctx.draft.routing.burst !== 'none' },
  ],
  after: (draft) => [...checkSoFar(draft, 'rate-limit-sizing', ['traffic', 'providers', 'routing']), ...checkSoFar(draft, 'failover', [])],
};
