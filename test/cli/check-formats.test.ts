import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { XMLParser } from 'fast-xml-parser';
import { example, runBin, runInProcess } from '../helpers/cli.js';
import { sarifValidator } from '../helpers/report.js';

const dirs: string[] = [];
function tmp(): string {
  const d = mkdtempSync(path.join(tmpdir(), 'readiness-formats-'));
  dirs.push(d);
  return d;
}
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** A temp dir holding the example as readiness.yaml, as in a repository. */
function repoWith(name: string): string {
  const d = tmp();
  copyFileSync(example(name), path.join(d, 'readiness.yaml'));
  return d;
}

describe('readiness check --format', () => {
  it('writes several formats in one run, each to its file, and text to stdout', async () => {
    const d = repoWith('incident-1-rate-limit-at-peak.yaml');
    const r = await runInProcess(['check', 'readiness.yaml', '--format', 'sarif=out/readiness.sarif', '--format', 'junit=junit.xml', '-f', 'markdown=summary.md', '-f', 'json=report.json', '-f', 'text'], {}, d);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stdout, /Gate FAILED \(exit 1\)/);
    const sarif = JSON.parse(readFileSync(path.join(d, 'out', 'readiness.sarif'), 'utf8'));
    assert.equal(sarifValidator()(sarif), true);
    assert.equal(sarif.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri, 'readiness.yaml');
    assert.equal(sarif.runs[0].invocations[0].exitCode, 1);
    const junit = new XMLParser({ ignoreAttributes: false }).parse(readFileSync(path.join(d, 'junit.xml'), 'utf8'));
    assert.equal(junit.testsuites['@_failures'], '2');
    assert.match(readFileSync(path.join(d, 'summary.md'), 'utf8'), /gate FAILED/);
    assert.equal(JSON.parse(readFileSync(path.join(d, 'report.json'), 'utf8')).exitCode, 1);
    assert.match(r.stderr, /wrote sarif report to out\/readiness.sarif/);
    assert.deepEqual(
      readdirSync(d).filter((f) => f.includes('.tmp')),
      [],
      'no temp files left behind',
    );
  });

  it('without --format: text on stdout', async () => {
    const r = await runInProcess(['check', example('compliant.yaml')]);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /Gate PASSED/);
  });

  it('each format alone on stdout', async () => {
    for (const f of ['json', 'sarif', 'junit', 'markdown', 'github']) {
      const r = await runInProcess(['check', example('compliant.yaml'), '--format', f]);
      assert.equal(r.code, 0, `${f}: ${r.stderr}`);
      assert.ok(r.stdout.length > 0, f);
    }
  });

  it('refuses two formats on stdout, an unknown format, an empty file and one file twice (exit 2)', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['-f', 'json', '-f', 'sarif'], /only one format can go to stdout \(got json, sarif\)/],
      [['-f', 'xml'], /unknown format "xml": choose from text, json, markdown, junit, sarif, github/],
      [['-f', 'sarif='], /give a file after "="/],
      [['-f', 'sarif=x.out', '-f', 'junit=x.out'], /x.out is already the target of --format sarif/],
    ];
    for (const [args, msg] of cases) {
      const r = await runInProcess(['check', example('compliant.yaml'), ...args], {}, tmp());
      assert.equal(r.code, 2, args.join(' '));
      assert.match(r.stderr, msg);
    }
  });

  it('--soft-fail reports the failure but exits 0; invalid input still exits 2', async () => {
    const d = repoWith('incident-1-rate-limit-at-peak.yaml');
    const r = await runInProcess(['check', 'readiness.yaml', '--soft-fail', '-f', 'sarif=r.sarif'], {}, d);
    assert.equal(r.code, 0);
    assert.equal(JSON.parse(readFileSync(path.join(d, 'r.sarif'), 'utf8')).runs[0].invocations[0].exitCode, 0);
    const text = await runInProcess(['check', 'readiness.yaml', '--soft-fail'], {}, d);
    assert.match(text.stdout, /Gate FAILED \(soft-fail: reported, not enforced\) \(exit 0\)/);
    writeFileSync(path.join(d, 'bad.yaml'), 'apiVersion: readiness/v1\nkind: AgentDeployment\n');
    const bad = await runInProcess(['check', 'bad.yaml', '--soft-fail'], {}, d);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /^bad.yaml:\d+:\d+: /m);
  });

  it('--fail-on warn fails on a warning; --fail-on fail does not', async () => {
    const d = tmp();
    const src = readFileSync(example('compliant.yaml'), 'utf8').replace('onExceeded: block', 'onExceeded: alert-only');
    writeFileSync(path.join(d, 'readiness.yaml'), src);
    assert.equal((await runInProcess(['check', 'readiness.yaml'], {}, d)).code, 0);
    assert.equal((await runInProcess(['check', 'readiness.yaml', '--fail-on', 'warn'], {}, d)).code, 1);
    assert.equal((await runInProcess(['check', 'readiness.yaml', '--fail-on', 'warn', '--soft-fail'], {}, d)).code, 0);
  });

  it('--format github appends the Markdown summary to GITHUB_STEP_SUMMARY', async () => {
    const d = repoWith('incident-1-rate-limit-at-peak.yaml');
    const summary = path.join(d, 'step-summary.md');
    writeFileSync(summary, '# earlier step output\n');
    const r = await runInProcess(['check', 'readiness.yaml', '--format', 'github'], { GITHUB_STEP_SUMMARY: summary }, d);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /^::error file=readiness.yaml,line=\d+,col=\d+,title=/m);
    const text = readFileSync(summary, 'utf8');
    assert.ok(text.startsWith('# earlier step output\n'), 'appended, not overwritten');
    assert.match(text, /readiness: claims-triage-agent.*gate FAILED/);
    const without = await runInProcess(['check', 'readiness.yaml', '--format', 'sarif=x.sarif'], { GITHUB_STEP_SUMMARY: summary }, d);
    assert.equal(without.code, 1);
    assert.equal(readFileSync(summary, 'utf8'), text, 'only --format github writes the step summary');
  });

  it('--help lists the exit codes and the formats', async () => {
    const r = await runInProcess(['check', '--help']);
    assert.equal(r.code, 0);
    for (const s of ['0  every check passed', '1  the gate failed', '2  invalid input or usage', '3  (--probe) probe inconclusive', '--soft-fail', '--fail-on', 'sarif', 'junit', 'github']) {
      assert.ok(r.stdout.includes(s), s);
    }
  });

  it('each command\'s --help lists only the exit codes it returns, in its words', async () => {
    const codes = (text: string) => [...text.slice(text.indexOf('Exit codes:')).matchAll(/^\s*(\d+)  /gm)].map((m) => Number(m[1]));
    const help = async (...args: string[]) => (await runInProcess([...args, '--help'])).stdout;
    const diff = await help('diff');
    assert.deepEqual(codes(diff), [0, 1, 2, 70]);
    assert.match(diff, /1  a check got worse/);
    assert.doesNotMatch(diff, /soft-fail|probe inconclusive|waiver expired/);
    assert.deepEqual(codes(await help('probe')), [0, 2, 3, 70, 130]);
    assert.deepEqual(codes(await help('check')), [0, 1, 2, 3, 70, 130]);
    assert.doesNotMatch(await help('check'), /\(readiness diff\)|audit verify/);
    assert.deepEqual(codes(await help()), [0, 1, 2, 3, 70, 130], 'readiness --help has them all');
    assert.deepEqual(codes(await help('generate')), [0, 2, 70]);
    assert.deepEqual(codes(await help('init')), [0, 1, 2, 70, 130]);
    assert.deepEqual(codes(await help('audit', 'verify')), [0, 1, 2, 70]);
    for (const c of ['mock-provider', 'explain', 'checks', 'schema']) assert.deepEqual(codes(await help(c)), [0, 2, 70], c);
    assert.doesNotMatch(await help('schema'), /every check passed/);
    assert.match(await help('check'), /with --soft-fail, also when\s+the gate failed \(invalid input is still 2\)/);
  });

  it('the built CLI writes the same SARIF as the in-process run', async () => {
    const d = repoWith('incident-2-no-team-ceilings.yaml');
    const bin = await runBin(['check', 'readiness.yaml', '-f', 'sarif=bin.sarif', '-f', 'github'], { cwd: d, env: { GITHUB_STEP_SUMMARY: '' } });
    assert.equal(bin.code, 1, bin.stderr);
    const inproc = await runInProcess(['check', 'readiness.yaml', '-f', 'sarif=inproc.sarif'], {}, d);
    assert.equal(inproc.code, 1);
    assert.equal(readFileSync(path.join(d, 'bin.sarif'), 'utf8'), readFileSync(path.join(d, 'inproc.sarif'), 'utf8'));
  });
});
