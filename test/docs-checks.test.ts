import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { CHECKS } from '../src/checks/catalogue.js';
import { renderChecksDoc } from '../src/report/checks-doc.js';
import { ROOT, runInProcess } from './helpers/cli.js';

describe('check catalogue: docs/checks.md, readiness explain, readiness checks', () => {
  it('docs/checks.md is what `npm run docs` generates from the catalogue (run it when this fails)', () => {
    const committed = readFileSync(path.join(ROOT, 'docs', 'checks.md'), 'utf8');
    assert.equal(committed, renderChecksDoc(), 'docs/checks.md is stale: run `npm run docs` and commit it');
  });

  it('the generated doc changes when the catalogue does (the staleness test can fail)', () => {
    const changed = CHECKS.map((c, i) => (i === 0 ? { ...c, rationale: `${c.rationale} Changed.` } : c));
    assert.notEqual(renderChecksDoc(changed), renderChecksDoc());
  });

  it('docs/checks.md has every check with title, rationale, remediation and sources', () => {
    const doc = renderChecksDoc();
    for (const c of CHECKS) {
      for (const s of [c.id, c.title, c.rationale, c.remediation, ...c.sources.map((x) => x.url)]) assert.ok(doc.includes(s), `${c.id}: ${s.slice(0, 40)}`);
    }
  });

  it('readiness explain <id> prints the catalogue text, in text, markdown and json', async () => {
    for (const c of CHECKS) {
      const t = await runInProcess(['explain', c.id]);
      assert.equal(t.code, 0);
      assert.ok(t.stdout.startsWith(`${c.id}: ${c.title}\n`));
      for (const s of [c.rationale, c.remediation, ...c.sources.map((x) => x.url)]) assert.ok(t.stdout.includes(s));
      const md = await runInProcess(['explain', c.id, '--format', 'markdown']);
      assert.ok(md.stdout.startsWith(`# \`${c.id}\`: ${c.title}`));
      const j = JSON.parse((await runInProcess(['explain', c.id, '-f', 'json'])).stdout);
      assert.deepEqual(j, { id: c.id, title: c.title, rationale: c.rationale, remediation: c.remediation, sources: c.sources });
    }
  });

  it('readiness explain with an unknown id: exit 2 and a suggestion', async () => {
    const r = await runInProcess(['explain', 'budget-ceiling']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /unknown check "budget-ceiling"; did you mean "budget-ceilings"\?/);
  });

  it('readiness checks lists every check in catalogue order', async () => {
    const r = await runInProcess(['checks']);
    assert.equal(r.code, 0);
    const ids = r.stdout.split('\n').filter((l) => /^[a-z]/.test(l) && !l.startsWith('More')).map((l) => l.split(/\s+/)[0]);
    assert.deepEqual(ids, CHECKS.map((c) => c.id));
    const md = await runInProcess(['checks', '--format', 'markdown']);
    assert.equal(md.stdout, renderChecksDoc());
  });
});
