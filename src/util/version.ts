import { readFileSync } from 'node:fs';
import { fromRoot } from './paths.js';

let version: string | undefined;
export function toolVersion(): string {
  version ??= (JSON.parse(readFileSync(fromRoot('package.json'), 'utf8')) as { version: string }).version;
  return version;
}
