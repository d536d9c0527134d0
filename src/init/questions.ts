/**
 * The operator questionnaire as data: sections of questions in the operator's terms, each with
 * its validation, its suggested default and the consequences shown once it is answered. The same
 * data drives the interactive session and the validation of an --answers file. What a question is
 * and the rules answers are held to: src/init/kit.ts; each section: src/init/sections/.
 */
import type { Section } from './kit.js';
import { AUDIT } from './sections/audit.js';
import { BUDGETS } from './sections/budgets.js';
import { DEPLOYMENT } from './sections/deployment.js';
import { GATEWAY } from './sections/gateway.js';
import { OPERATOR } from './sections/operator.js';
import { PROVIDERS } from './sections/providers.js';
import { ROUTING } from './sections/routing.js';
import { TENANTS } from './sections/tenants.js';
import { USAGE } from './sections/usage.js';

export * from './kit.js';
export { VENDORS } from './sections/providers.js';
export { without429Warning } from './sections/routing.js';

export const QUESTIONNAIRE: readonly Section[] = [DEPLOYMENT, OPERATOR, USAGE, PROVIDERS, ROUTING, GATEWAY, TENANTS, BUDGETS, AUDIT];
