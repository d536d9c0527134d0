/** Section 8: how budgets are enforced and when someone hears about spending. */
import { alertNotes, checkSoFar } from '../consequences.js';
import type { Section } from '../kit.js';

export const BUDGETS: Section = {
  key: 'budgets',
  title: 'Spending limits',
  intro: 'How budgets are enforced and when someone hears about spending.',
  questions: [
    { key: 'accountMonthlyUsd', label: 'account ceiling USD', kind: 'number', lands: 'budgets.accountMonthlyUsd', message: 'Monthly ceiling for the whole account in USD (blank: none)?' },
    { key: 'alertAtFraction', label: 'alert at fraction', kind: 'number', required: true, lands: 'budgets.alertAtFraction', message: "At what fraction of a team's budget should someone be alerted (0-1)?", suggest: () => 0.7, consequences: (ctx) => alertNotes(ctx.draft) },
    { key: 'alertByDay', label: 'by day of month', kind: 'integer', required: true, lands: 'budgets.alertByDay', message: 'Page someone if that fraction is reached by which day of the month?', suggest: () => 15 },
    {
      key: 'onExceeded',
      label: 'over budget',
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
  rows: [{ keys: ['alertAtFraction', 'alertByDay'], message: "At what fraction of a team's budget is someone alerted (0-1), and by which day of the month does reaching it page someone?" }],
  after: (draft) => checkSoFar(draft, 'budget-ceilings', []),
};
