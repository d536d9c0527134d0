/** Section 1: what is being handed over and to whom. At a terminal: one row. */
import type { Section } from '../kit.js';

export const DEPLOYMENT: Section = {
  key: 'deployment',
  title: 'The deployment',
  intro: 'First, what is being handed over and to whom.',
  questions: [
    { key: 'name', label: 'name', kind: 'text', required: true, message: 'What is the deployment called (a short name, e.g. contract-review-agent)?' },
    { key: 'operator', label: 'operator', kind: 'text', required: true, message: 'Who is the operator: the organisation that will run it?' },
    { key: 'environment', label: 'environment', kind: 'text', required: true, message: 'Which environment is this?', suggest: () => 'production' },
    { key: 'agentVersion', label: 'agent version', kind: 'text', message: 'Which version of the agent are you handing over (blank if none)?' },
  ],
  rows: [{ keys: ['name', 'operator', 'environment', 'agentVersion'], message: 'The deployment: its short name, the operator (the organisation that runs it), the environment and the agent version (blank: none)? e.g. contract-review-agent | acme-bank | production | 3.4.1' }],
};
