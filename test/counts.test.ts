/**
 * Counts of report formats and alert kinds written in README.md and docs/ come from the catalogues
 * (src/report/counts.ts): a new format or alert that the docs do not follow fails here.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { catalogueCounts, countWord, parseCountWord } from '../src/report/counts.js';
import { fromRoot } from '../src/util/paths.js';

function docs(): Array<{ file: string; text: string }> {
  const out = [{ file: 'README.md', text: readFileSync(fromRoot('README.md'), 'utf8') }];
  const walk = (dir: string) => {
    for (const e of readdirSync(fromRoot(dir), { withFileTypes: true })) {
      const rel = path.posix.join(dir, e.name);
      if (e.isDirectory()) walk(rel);
      else if (e.name.endsWith('.md')) out.push({ file: rel, text: readFileSync(fromRoot(rel), 'utf8') });
    }
  };
  walk('docs');
  return out;
}

/** Every "<count> <noun>" in the docs whose count is a number word or digits (not part of 3,000). */
function stated(re: RegExp): Array<{ where: string; n: number }> {
  const found: Array<{ where: string; n: number }> = [];
  for (const { file, text } of docs()) {
    for (const m of text.matchAll(re)) {
      const n = parseCountWord(m[1]);
      if (n === undefined) continue;
      found.push({ where: `${file}:${text.slice(0, m.index).split('\n').length}: "${m[0]}"`, n });
    }
  }
  return found;
}

test('every count of report formats in the docs is the catalogue\'s', () => {
  const { formats } = catalogueCounts();
  for (const s of stated(/(?<![\d,.])\b(\w+) (?:report |output )?formats\b/gi)) assert.equal(s.n, formats, s.where);
});

test('every count of alert rules or alert kinds in the docs is the catalogue\'s', () => {
  const { alerts } = catalogueCounts();
  const found = stated(/(?<![\d,.])\b(\w+) alert (?:rules|kinds)\b(?! per tenant)/gi);
  assert.ok(found.length > 0, 'docs/alerts.md states the number of alert rules');
  for (const s of found) assert.equal(s.n, alerts, s.where);
});

test('count words', () => {
  assert.equal(countWord(6), 'six');
  assert.equal(countWord(13), '13');
  assert.equal(parseCountWord('Six'), 6);
  assert.equal(parseCountWord('40'), 40);
  assert.equal(parseCountWord('many'), undefined);
});
