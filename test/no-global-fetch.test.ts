/**
 * No global fetch() in the library: Node's fetch keeps a connection pool per origin in undici's global
 * Agent for the life of the process, and every rehearsal's gateway and mocks listen on new ports, so a
 * long-lived process rehearsing in a loop kept one pool (and its closed clients) per rehearsal: 63 KB of
 * heap per rehearsal in bench/soak.mjs before the rehearsal used a connection of its own
 * (src/rehearse/request-once.ts), flat after. A request goes through undici with a dispatcher that is
 * closed when the work ends.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { fromRoot } from '../src/util/paths.js';

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const full = path.join(dir, f);
    return statSync(full).isDirectory() ? sources(full) : f.endsWith('.ts') ? [full] : [];
  });
}

test('src/ calls no global fetch() (a pool per origin for the life of the process)', () => {
  const offenders: string[] = [];
  for (const file of sources(fromRoot('src'))) {
    readFileSync(file, 'utf8').split('\n').forEach((line, i) => {
      if (/^\s*(\*|\/\*)/.test(line)) return; // a block comment's line
      const code = line.replace(/\/\/.*$/, '').replace(/'[^']*'|"[^"]*"|`[^`]*`/g, "''");
      if (/(^|[^.\w])fetch\s*\(/.test(code) || /globalThis\.fetch\b/.test(code)) offenders.push(`${path.relative(fromRoot(), file)}:${i + 1}: ${line.trim()}`);
    });
  }
  assert.deepEqual(offenders, []);
});
