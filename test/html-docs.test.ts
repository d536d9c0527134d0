import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { test } from 'node:test';
import { PAGES_DIR, exampleNames, examplePages } from '../scripts/docs-html.js';
import { fromRoot } from '../src/util/paths.js';

test('committed example pages under docs/examples are up to date (else run npm run docs:html)', () => {
  const pages = examplePages();
  const names = exampleNames();
  assert.ok(names.includes('compliant'), 'a page for the compliant example');
  assert.ok(names.filter((n) => n.startsWith('incident-')).length >= 3, 'a page for each incident example');
  assert.equal(pages.length, names.length);
  for (const page of pages) {
    let committed: string;
    try {
      committed = readFileSync(fromRoot(page.path), 'utf8');
    } catch {
      assert.fail(`${page.path} is missing: run npm run docs:html and commit it`);
    }
    assert.ok(committed === page.content, `${page.path} is stale: run npm run docs:html and commit it`);
  }
  const onDisk = readdirSync(fromRoot(PAGES_DIR)).filter((f) => f.endsWith('.html')).sort();
  assert.deepEqual(onDisk, pages.map((p) => p.path.slice(PAGES_DIR.length + 1)).sort(), `${PAGES_DIR} holds a page no example produces: delete it`);
});
