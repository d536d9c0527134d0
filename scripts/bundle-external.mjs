// The packages the CLI bundle leaves outside (scripts/bundle-cli.mjs), each required at run time only
// inside the lazily started module that uses it. One list for the build and for the test that holds
// the bundle to it (test/cli-bundle.test.ts). fastest-levenshtein is required through createRequire
// (src/util/suggest.ts), so esbuild would leave it outside anyway.
export const EXTERNAL = ['yaml', 'ajv', 'ajv-formats', 'undici', 'autocannon', '@inquirer/prompts', 'fastest-levenshtein', 'playwright-core', '@portkey-ai/gateway'];
