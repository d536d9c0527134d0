// The packages the CLI bundle leaves outside (scripts/bundle-cli.mjs), each required at run time only
// inside the lazily started module that uses it. One list for the build and for the test that holds
// the bundle to it (test/cli-bundle.test.ts). fastest-levenshtein is required through createRequire
// (src/util/suggest.ts), so esbuild would leave it outside anyway. The yaml package is inside: loading
// its 72 CommonJS files cost more than half a bare node start, paid by every `generate` (the YAML
// writers) and every exact-path parse; in the bundle it starts from the code cache, initialised only
// when first required (esbuild's __commonJS wrapper).
export const EXTERNAL = ['ajv', 'ajv-formats', 'undici', 'autocannon', '@inquirer/prompts', 'fastest-levenshtein', 'playwright-core', '@portkey-ai/gateway', 'pg'];
