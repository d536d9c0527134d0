/** Section 3: how the operator uses the agent: the traffic providers are sized for. */
import { peakNotes, sloNotes, tokenNotes } from '../consequences.js';
import { type Section, WINDOW_RE } from '../kit.js';

export const USAGE: Section = {
  key: 'usage',
  title: 'How they use the agent',
  intro: "Providers must be sized for the operator's busiest minutes, not for an average day.",
  questions: [
    { key: 'averageRpm', label: 'average rpm', kind: 'number', required: true, lands: 'traffic.averageRpm', message: 'On an ordinary working day, how many requests per minute do they send on average?' },
    {
      key: 'peakRpm',
      label: 'peak rpm',
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
      label: 'peak window',
      kind: 'text',
      message: 'When does the peak happen, in their local time (HH:MM-HH:MM, e.g. 17:00-19:00)?',
      check: (v: string) => (WINDOW_RE.test(v) ? undefined : 'expected HH:MM-HH:MM on a 24-hour clock, e.g. 17:00-19:00'),
    },
    { key: 'inputTokens', label: 'input tokens', kind: 'integer', required: true, allowZero: true, lands: 'traffic.tokensPerRequest.input', message: 'How many tokens does a typical request send (prompt and context)?' },
    { key: 'outputTokens', label: 'output tokens', kind: 'integer', required: true, allowZero: true, lands: 'traffic.tokensPerRequest.output', message: 'How many tokens does a typical answer have?', consequences: (ctx) => tokenNotes(ctx.draft) },
    {
      key: 'steadyP99Ms',
      label: 'p99 objective ms',
      kind: 'number',
      lands: 'slo.steadyP99Ms',
      message: 'Which p99 latency must an ordinary request meet, in milliseconds (their latency objective; blank if none)?',
      consequences: (ctx) => sloNotes(ctx.draft),
    },
  ],
  rows: [{ keys: ['inputTokens', 'outputTokens'], message: 'How many tokens does a typical request send (prompt and context), and how many does its answer have?' }],
};
