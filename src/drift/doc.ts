import { LITELLM_KEY_GROUPS } from '../gateway/litellm/config-keys.js';
import { PORTKEY_RETRY_KEYS, PORTKEY_SOURCES, PORTKEY_STRATEGY_KEYS, PORTKEY_TARGET_KEYS, READINESS_PORTKEY_KEYS } from '../gateway/portkey/config-keys.js';
import { DRIFT_RULES } from './rules.js';

export const DRIFT_DOC_BEGIN = '<!-- BEGIN generated from src/drift/rules.ts and src/gateway/*/config-keys.ts: npm run docs -->';
export const DRIFT_DOC_END = '<!-- END generated -->';

/** The rules and key lists section of docs/drift.md, from the catalogues (test/drift.test.ts compares). */
export function renderDriftRulesDoc(): string {
  const out: string[] = [DRIFT_DOC_BEGIN, '', `## Rules (${DRIFT_RULES.length})`, ''];
  out.push('| id | status | gateway | what it finds |', '| --- | --- | --- | --- |');
  for (const r of DRIFT_RULES) out.push(`| \`${r.id}\` | ${r.status} | ${r.gateway} | ${r.title} |`);
  out.push('');
  for (const r of DRIFT_RULES) {
    out.push(`### \`${r.id}\`: ${r.title}`, '', `Status: ${r.status}. Gateway: ${r.gateway}.`, '', r.rationale, '', `Fix: ${r.remediation}`, '', 'Sources:');
    for (const s of r.sources) out.push(`- [${s.title}](${s.url})`);
    out.push('');
  }
  out.push('## LiteLLM keys the linter knows', '');
  out.push(
    '`strict`: a key outside the list is ignored by LiteLLM and reported (with a did-you-mean when one is close). `near-miss`: LiteLLM passes other keys on (litellm_settings become module attributes, litellm_params go to the provider), so only a key within two edits of a listed one is reported. `free`: any key.',
    '',
  );
  for (const g of LITELLM_KEY_GROUPS) {
    out.push(`### ${g.section === '' ? 'root' : `\`${g.section}\``} (${g.mode}, ${g.keys.length} keys)`, '');
    if (g.keys.length) out.push(g.keys.map((k) => `\`${k}\``).join(', '), '');
    out.push('Sources:');
    for (const s of g.sources) out.push(`- [${s.title}](${s.url})`);
    out.push('');
  }
  out.push('## Portkey keys the linter knows', '', `Config and target keys (${PORTKEY_TARGET_KEYS.length}): ${PORTKEY_TARGET_KEYS.map((k) => `\`${k}\``).join(', ')}.`, '');
  out.push(`strategy: ${PORTKEY_STRATEGY_KEYS.map((k) => `\`${k}\``).join(', ')}. retry: ${PORTKEY_RETRY_KEYS.map((k) => `\`${k}\``).join(', ')}. readiness's own (ignored by Portkey): ${READINESS_PORTKEY_KEYS.map((k) => `\`${k}\``).join(', ')}.`, '', 'Sources:');
  for (const s of PORTKEY_SOURCES) out.push(`- [${s.title}](${s.url})`);
  out.push('', DRIFT_DOC_END);
  return `${out.join('\n')}\n`;
}
