import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { annotations, escapeData, escapeProperty, formatAnnotation, parseAnnotation, renderGithub, unescapeWorkflow } from '../../src/report/github.js';
import { example } from '../helpers/cli.js';
import { meta, reportOf } from '../helpers/report.js';

describe('github annotations', () => {
  const tricky = '100% of rpm: used, at peak\nnext line\r\nand %0A literally';

  it('a message with %, :, , and a newline round-trips through the escapes', () => {
    assert.equal(unescapeWorkflow(escapeData(tricky)), tricky);
    assert.equal(unescapeWorkflow(escapeProperty(tricky)), tricky);
    assert.doesNotMatch(escapeData(tricky), /[\r\n]/);
    assert.doesNotMatch(escapeProperty(tricky), /[\r\n:,]/);
    assert.match(escapeData(tricky), /: used, at peak/, 'messages keep : and , (only properties escape them)');
    assert.equal(escapeData('%0A'), '%250A', 'a literal %0A is not mistaken for a newline');
    assert.equal(escapeData('a\u001b[31mb\u0007'), 'a\\u001b[31mb\\u0007', 'other control characters are shown, not sent to the CI log');
  });

  it('an annotation with tricky title, file and message parses back to the same fields', () => {
    const a = { level: 'error' as const, file: 'deploy/a,b:c.yaml', line: 3, col: 7, title: 'readiness x: tenants[0], y', message: tricky };
    const line = formatAnnotation(a);
    assert.equal(line.split('\n').length, 1, 'one line per annotation');
    assert.deepEqual(parseAnnotation(line), a);
  });

  it('renders error for fail, warning for warn, located at the manifest, one line each', async () => {
    const report = await reportOf(example('incident-2-no-team-ceilings.yaml'));
    const out = renderGithub(report, meta({ exitCode: 1 }));
    const lines = out.trimEnd().split('\n');
    const parsed = lines.slice(0, -1).map((l) => parseAnnotation(l));
    assert.ok(parsed.every((p) => p !== undefined));
    const expected = annotations(report, meta({ exitCode: 1 }));
    assert.deepEqual(parsed, expected);
    assert.ok(parsed.some((p) => p?.level === 'warning'));
    assert.ok(parsed.some((p) => p?.level === 'error'));
    for (const p of parsed) {
      assert.equal(p?.file, 'templates/examples/incident-2-no-team-ceilings.yaml');
      assert.ok((p?.line ?? 0) >= 1);
    }
    assert.match(lines.at(-1) ?? '', /Gate FAILED \(exit 1\)/);
  });

  it('a clean manifest gives no annotations, only the summary line', async () => {
    const out = renderGithub(await reportOf(example('compliant.yaml')), meta());
    assert.doesNotMatch(out, /^::/m);
    assert.match(out, /Gate PASSED/);
  });
});
