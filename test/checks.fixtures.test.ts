// Every check at its boundaries, as data: test/fixtures/checks/<check-id>/<status>-<what>.yaml.
// A fixture patches an example manifest (set/unset dotted paths); its file name says the status the
// check must give, and expect.messageIncludes pins the numbers behind the verdict.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { parse } from 'yaml';
import { CHECKS, findCheck } from '../src/checks/catalogue.js';
import { runChecks } from '../src/checks/run.js';
import { ROOT } from './helpers/cli.js';
import { type Patch, patched } from './helpers/manifest.js';

const FIXTURES = path.join(ROOT, 'test', 'fixtures', 'checks');

interface Fixture extends Patch {
  expect: { status: 'pass' | 'warn' | 'fail'; messageIncludes?: string[] };
}

describe('check fixtures', () => {
  const dirs = readdirSync(FIXTURES).sort();
  test('every check in the catalogue has fixtures for each status it can give', () => {
    assert.deepEqual(dirs, CHECKS.map((c) => c.id).sort());
    for (const id of dirs) {
      const statuses = new Set(readdirSync(path.join(FIXTURES, id)).map((f) => f.split('-')[0]));
      assert.ok(statuses.has('pass') && statuses.has('fail'), `${id} needs pass and fail fixtures`);
    }
  });
  for (const id of dirs) {
    describe(id, () => {
      for (const file of readdirSync(path.join(FIXTURES, id)).sort()) {
        test(file, () => {
          const fx = parse(readFileSync(path.join(FIXTURES, id, file), 'utf8')) as Fixture;
          assert.equal(file.split('-')[0], fx.expect.status, 'the file name must say the expected status');
          const loaded = patched(fx, file);
          const check = findCheck(id);
          assert.ok(check);
          const result = runChecks(loaded, [check]).checks[0];
          const messages = result.findings.map((f) => `${f.status}: ${f.message}`).join('\n');
          assert.equal(result.status, fx.expect.status, `findings:\n${messages}`);
          const worst = result.findings.filter((f) => f.status === result.status).map((f) => f.message).join('\n');
          for (const s of fx.expect.messageIncludes ?? []) assert.ok(worst.includes(s), `expected "${s}" in:\n${worst}`);
          for (const f of result.findings) {
            assert.ok(f.line >= 1 && f.column >= 1);
            if (f.status !== 'pass') assert.ok(f.remediation && f.remediation.length > 10, 'warn and fail findings carry a remediation');
          }
        });
      }
    });
  }
});
