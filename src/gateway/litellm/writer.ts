import { toYaml } from '../../util/yaml-emit.js';
import { type GenerateContext, type GeneratedFile, type Generator, hashHeader, headerLines } from '../../generate/types.js';
import { DECIMAL, LITELLM_CONFIG_PATH, LITELLM_KEYS_PATH, LITELLM_TEAMS_PATH, configNotes, litellmConfig, litellmKeys, litellmTeams } from './config.js';

/** The LiteLLM files `readiness generate` writes; what goes in them, and every key's source, is in ./config.ts. */
export * from './config.js';

export const litellmWriter: Generator = (ctx: GenerateContext): GeneratedFile[] => {
  // LiteLLM reads its config with PyYAML, which follows YAML 1.1: written as 1.1, a provider id such as
  // yes, off, 1_000 or 0b101 is quoted and stays a string there (as 1.2 plain scalars they became
  // True, False, 1000 and 5)
  const yaml = toYaml(litellmConfig(ctx.model), { version: '1.1' }).replace(
    new RegExp(`${DECIMAL}(-?[0-9]+\\.[0-9]+)`, 'g'),
    '$1',
  );
  const config = `${hashHeader(ctx)}\n${configNotes(ctx.model).map((l) => `# ${l}`).join('\n')}\n${yaml}`;
  const teams = {
    '//': [...headerLines(ctx), 'Each entry of "teams" is the JSON body of one POST /team/new call to the LiteLLM proxy admin API.'],
    endpoint: '/team/new',
    teams: litellmTeams(ctx.model),
  };
  const keys = {
    '//': [
      ...headerLines(ctx),
      'Each entry of "keys" is the JSON body of one POST /key/generate call (after the teams exist): one virtual key per tenant and use case.',
      'Hand each key to the client of that tenant and use case only; its spend, budget and limits are then the team\'s.',
    ],
    endpoint: '/key/generate',
    keys: litellmKeys(ctx.model),
  };
  return [
    { path: LITELLM_CONFIG_PATH, content: config },
    { path: LITELLM_KEYS_PATH, content: `${JSON.stringify(keys, null, 2)}\n` },
    { path: LITELLM_TEAMS_PATH, content: `${JSON.stringify(teams, null, 2)}\n` },
  ];
};
