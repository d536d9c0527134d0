import { pathToFileURL } from 'node:url';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { CHECKS } from '../../src/checks/catalogue.js';
import { gateExitCode } from '../../src/checks/run.js';
import { renderSarif, toSarif, toUri } from '../../src/report/sarif.js';
import { EXAMPLES, ROOT, example } from '../helpers/cli.js';
import { SARIF_SCHEMA, meta, reportOf, sarifValidator } from '../helpers/report.js';

const examples = readdirSync(EXAMPLES).filter((f) => f.endsWith('.yaml'));

describe('sarif', () => {
  it('the committed schema copy is the OASIS SARIF 2.1.0 schema', () => {
    const v = sarifValidator();
    assert.equal(v({ version: '2.1.0', runs: [] }), true);
    assert.equal(v({ version: '2.0.0', runs: [] }), false, 'a wrong version must fail validation, or the validator proves nothing');
    assert.equal(v({ version: '2.1.0', runs: [{ tool: { driver: {} } }] }), false, 'a driver without name must fail');
  });

  it('the committed schema is byte-identical to ../shared/data/sarif-schema-2.1.0.json (when that folder is present)', (t) => {
    const shared = path.join(ROOT, '..', 'shared', 'data', 'sarif-schema-2.1.0.json');
    if (!existsSync(shared)) {
      t.skip(`${shared} is not here (CI without the shared folder): the committed copy is used`);
      return;
    }
    assert.equal(readFileSync(SARIF_SCHEMA, 'utf8'), readFileSync(shared, 'utf8'));
  });

  for (const name of examples) {
    it(`${name}: validates against the SARIF 2.1.0 schema`, async () => {
      const report = await reportOf(example(name));
      const exitCode = gateExitCode(report);
      const sarif = JSON.parse(renderSarif(report, meta({ exitCode })));
      const v = sarifValidator();
      assert.equal(v(sarif), true, JSON.stringify(v.errors, null, 2));
      const run = sarif.runs[0];
      assert.equal(run.invocations[0].exitCode, exitCode);
      assert.ok(Array.isArray(run.results), 'results is always present');
      const failing = report.checks.flatMap((c) => c.findings.filter((f) => f.status !== 'pass'));
      assert.equal(run.results.length, failing.length, 'one result per warn or fail finding');
      for (const r of run.results) {
        const loc = r.locations[0].physicalLocation;
        assert.equal(loc.artifactLocation.uri, `templates/examples/${name}`, 'relative to cwd, forward slashes');
        assert.ok(Number.isInteger(loc.region.startLine) && loc.region.startLine >= 1);
        assert.ok(Number.isInteger(loc.region.startColumn) && loc.region.startColumn >= 1);
        assert.equal(run.tool.driver.rules[r.ruleIndex].id, r.ruleId);
        assert.ok(['error', 'warning', 'note'].includes(r.level));
      }
    });
  }

  it('a clean manifest gives results: [] (not absent) and exitCode 0', async () => {
    const sarif = toSarif(await reportOf(example('compliant.yaml')), meta());
    assert.deepEqual(sarif.runs[0].results, []);
    assert.equal(sarif.runs[0].invocations[0].exitCode, 0);
  });

  it('has one rule per catalogue check with the catalogue text', async () => {
    const rules = toSarif(await reportOf(example('compliant.yaml')), meta()).runs[0].tool.driver.rules;
    assert.deepEqual(
      rules.map((r) => r.id),
      CHECKS.map((c) => c.id),
    );
    for (const [i, c] of CHECKS.entries()) {
      const r = rules[i];
      assert.equal(r.shortDescription.text, c.title);
      assert.equal(r.fullDescription.text, c.rationale);
      assert.ok(r.help.text.startsWith(c.remediation));
      assert.equal(r.helpUri, c.sources[0]?.url, "helpUri is the check's first source");
      assert.equal(r.defaultConfiguration.level, 'error');
      assert.ok(r.name.length > 0);
    }
  });

  it('is byte-identical across runs, whatever the absolute path to the manifest', async () => {
    const rel = await reportOf(path.relative(process.cwd(), example('incident-1-rate-limit-at-peak.yaml')));
    const abs = await reportOf(example('incident-1-rate-limit-at-peak.yaml'));
    const m = meta({ cwd: process.cwd(), exitCode: 1 });
    assert.equal(renderSarif(rel, m), renderSarif(abs, m));
    assert.equal(renderSarif(abs, m), renderSarif(abs, m));
  });

  it('levels: fail is error, warn is warning (error with --fail-on warn)', async () => {
    const report = await reportOf(example('incident-2-no-team-ceilings.yaml'));
    const levels = (failOn: 'fail' | 'warn') => toSarif(report, meta({ failOn })).runs[0].results.map((r) => `${String(r.properties.status)}:${r.level}`);
    assert.ok(levels('fail').includes('warn:warning'));
    assert.ok(levels('fail').includes('fail:error'));
    assert.ok(!levels('warn').includes('warn:warning'));
    assert.ok(levels('warn').includes('warn:error'));
  });

  it('uris are percent-encoded per segment, keeping slashes and ..', () => {
    assert.equal(toUri('deploy/my manifest#1.yaml'), 'deploy/my%20manifest%231.yaml');
    assert.equal(toUri('../x/readiness.yaml'), '../x/readiness.yaml');
  });

  it('paths are relative to the repository root, whichever folder the gate ran from', async () => {
    const report = await reportOf(example('incident-1-rate-limit-at-peak.yaml'));
    const fromSubfolder = toSarif(report, meta({ cwd: path.join(ROOT, 'test'), root: ROOT }));
    assert.equal(fromSubfolder.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri, 'templates/examples/incident-1-rate-limit-at-peak.yaml');
  });
  it('a manifest outside the repository root gets an absolute file URI, never ../', async () => {
    const report = await reportOf(example('incident-1-rate-limit-at-peak.yaml'));
    const sarif = toSarif(report, meta({ cwd: path.join(ROOT, 'test') }));
    const uri = sarif.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri;
    assert.equal(uri, pathToFileURL(example('incident-1-rate-limit-at-peak.yaml')).href);
  });
});
