import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

let lib: typeof import('yaml') | undefined;
/**
 * The yaml package, loaded on first use. A valid manifest takes the fast path (js-yaml) and never
 * needs it, and loading it costs 25-35 ms of every start (measured with performance.now around the
 * import), so only the exact path, waiver files and errors pay for it.
 */
export function yamlLib(): typeof import('yaml') {
  lib ??= require('yaml') as typeof import('yaml');
  return lib;
}
