/** Section 2: the industry and the rules the operator answers to. */
import { FRAMEWORK_NAMES, frameworkNotes, industryNotes } from '../consequences.js';
import type { Framework, Industry } from '../../manifest/types.js';
import { parseBusinessHours } from '../../usage/business-hours.js';
import { type Section, checkTimezone } from '../kit.js';

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

export const OPERATOR: Section = {
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
    { key: 'timezone', label: 'time zone', kind: 'text', message: 'Their time zone (IANA name, e.g. America/New_York; blank if unsure)?', check: (v: string) => checkTimezone(v) },
    {
      key: 'businessHours',
      label: 'business hours',
      kind: 'text',
      message: 'Their business hours, local time (days and hours, e.g. mon-fri 09:00-18:00; blank for that default)? Traffic outside them is off-hours.',
      check: (v: string) => {
        const b = parseBusinessHours(v);
        return typeof b === 'string' ? b : undefined;
      },
    },
  ],
  rows: [{ keys: ['timezone', 'businessHours'], message: 'Their time zone (IANA name, e.g. America/New_York) and business hours in local time (e.g. mon-fri 09:00-18:00; blank: that default)? Traffic outside them is off-hours' }],
};
