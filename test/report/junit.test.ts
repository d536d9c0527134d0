import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { describe, it } from 'node:test';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { CHECKS } from '../../src/checks/catalogue.js';
import { gateExitCode } from '../../src/checks/run.js';
import { renderJunit, xmlAttr, xmlText } from '../../src/report/junit.js';
import { EXAMPLES, example } from '../helpers/cli.js';
import { meta, reportOf } from '../helpers/report.js';

interface Case {
  '@_classname': string;
  '@_name': string;
  '@_time': string;
  '@_file': string;
  failure?: { '@_message': string; '@_type': string; '#text': string };
  skipped?: { '@_message': string };
  'system-out'?: string;
}

/** Parses JUnit XML back the way a CI server would; testcases always as a list. */
export function parseJunit(xml: string) {
  assert.equal(XMLValidator.validate(xml), true, 'well-formed XML');
  const parser = new XMLParser({ ignoreAttributes: false, isArray: (name) => name === 'testcase' || name === 'testsuite' || name === 'property' });
  const doc = parser.parse(xml);
  const suite = doc.testsuites.testsuite[0];
  return { root: doc.testsuites, suite, cases: suite.testcase as Case[] };
}

describe('junit', () => {
  for (const name of readdirSync(EXAMPLES).filter((f) => f.endsWith('.yaml'))) {
    it(`${name}: parses, one testcase per check, failures match the report`, async () => {
      const report = await reportOf(example(name));
      const { root, suite, cases } = parseJunit(renderJunit(report, meta({ exitCode: gateExitCode(report) })));
      assert.equal(cases.length, CHECKS.length);
      assert.deepEqual(
        cases.map((c) => c['@_classname']),
        CHECKS.map((c) => `readiness.${c.id}`),
      );
      assert.equal(new Set(cases.map((c) => c['@_name'])).size, cases.length, 'unique names: GitLab drops duplicates');
      const failed = report.checks.filter((c) => c.status === 'fail').map((c) => `readiness.${c.id}`);
      assert.deepEqual(
        cases.filter((c) => c.failure).map((c) => c['@_classname']),
        failed,
      );
      assert.equal(Number(suite['@_tests']), CHECKS.length);
      assert.equal(Number(suite['@_failures']), failed.length);
      assert.equal(Number(root['@_failures']), failed.length);
      for (const c of cases) {
        assert.match(c['@_time'], /^\d+(\.\d+)?$/, 'time in seconds');
        assert.equal(c['@_file'], `templates/examples/${name}`);
      }
      for (const c of cases.filter((x) => x.failure)) {
        const check = report.checks.find((r) => `readiness.${r.id}` === c['@_classname']);
        const f = check?.findings.find((x) => x.status === 'fail');
        assert.ok(c.failure?.['@_message'].includes(check?.headline ?? '?'), 'failure message is the headline');
        assert.ok(c.failure?.['#text'].includes(`Fix: ${f?.remediation}`), 'failure body carries the remediation');
      }
    });
  }

  it('warnings fail their testcase only with --fail-on warn', async () => {
    const report = await reportOf(example('incident-2-no-team-ceilings.yaml'));
    assert.ok(report.checks.some((c) => c.status === 'warn') || report.checks.some((c) => c.findings.some((f) => f.status === 'warn')));
    const warnChecks = report.checks.filter((c) => c.status === 'warn').length;
    const failChecks = report.checks.filter((c) => c.status === 'fail').length;
    const asFail = parseJunit(renderJunit(report, meta({ failOn: 'fail' })));
    const asWarn = parseJunit(renderJunit(report, meta({ failOn: 'warn' })));
    assert.equal(asFail.cases.filter((c) => c.failure).length, failChecks);
    assert.equal(asWarn.cases.filter((c) => c.failure).length, failChecks + warnChecks);
  });

  it('escapes markup and quotes, and drops characters XML 1.0 cannot carry', () => {
    assert.equal(xmlText('a < b && c > d'), 'a &lt; b &amp;&amp; c &gt; d');
    assert.equal(xmlAttr('say "hi"\nnext\u0007'), 'say &quot;hi&quot;&#10;next');
  });
});
