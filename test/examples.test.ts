// Each example in templates/examples carries a `# readiness-expect:` line with the verdicts it must
// produce; run every example through the library and through the CLI and compare.
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { describe, test } from 'node:test';
import { gateExitCode, runChecks } from '../src/checks/run.js';
import { loadManifest } from '../src/manifest/load.js';
import { EXAMPLES, example, runInProcess } from './helpers/cli.js';
import { expectedVerdicts } from './helpers/verdicts.js';

const files = readdirSync(EXAMPLES).filter((f) => f.endsWith('.yaml')).sort();

describe('examples produce the verdicts they are annotated with', () => {
  test('there is a compliant example and one per incident', () => {
    assert.ok(files.includes('compliant.yaml'));
    for (const n of [1, 2, 3]) assert.ok(files.some((f) => f.startsWith(`incident-${n}-`)), `incident ${n}`);
  });
  for (const f of files) {
    test(f, async () => {
      const want = expectedVerdicts(example(f));
      const report = runChecks(await loadManifest(example(f)));
      for (const c of report.checks) assert.equal(c.status, want[c.id], `${c.id}: ${c.headline}`);
      assert.equal(String(gateExitCode(report)), want.exit);
      const cli = await runInProcess(['check', example(f)]);
      assert.equal(String(cli.code), want.exit, cli.stdout + cli.stderr);
      for (const c of report.checks.filter((c) => c.status === 'fail')) {
        assert.match(cli.stdout, new RegExp(`FAIL  ${c.id}`), `the text report names failing check ${c.id}`);
      }
    });
  }
  test('incident one names the peak utilization behind the verdict', async () => {
    const r = await runInProcess(['check', example('incident-1-rate-limit-at-peak.yaml')]);
    assert.match(r.stdout, /peak 1000 rpm uses 166\.7% of azure-gpt4o's rpm limit \(600 rpm\): over the primary's limit, and there is no automatic failover on 429/);
    assert.match(r.stdout, /failover mode is none/);
  });
  test('incident two names the untagged dimensions and the unbudgeted batch tenant', async () => {
    const r = await runInProcess(['check', example('incident-2-no-team-ceilings.yaml')]);
    assert.match(r.stdout, /not tagged with team, useCase/);
    assert.match(r.stdout, /tenant batch-jobs has no monthly budget.*projected \$16,065\/month/);
  });
  test('incident three names trace spans and the retention shortfall', async () => {
    const r = await runInProcess(['check', example('incident-3-trace-spans-audit.yaml')]);
    assert.match(r.stdout, /trace spans are not audit logs/);
    assert.match(r.stdout, /retention 30 days is 2162 day\(s\) short of the 2192 days hipaa requires/);
  });
});
