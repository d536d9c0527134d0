// Invalid input: every problem reported as file:line:col with a message a user can act on.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import { parseManifest } from '../src/manifest/load.js';
import { InputError, formatDiagnostic } from '../src/util/errors.js';
import { example, runBin, runInProcess } from './helpers/cli.js';

const MIN = `apiVersion: readiness/v1
kind: AgentDeployment
metadata:
  name: x
providers:
  - id: a
    vendor: openai
    model: m
`;

function errorsOf(src: string | Uint8Array, opts = {}): string[] {
  try {
    parseManifest(src, 'm.yaml', opts);
  } catch (e) {
    assert.ok(e instanceof InputError, String(e));
    return e.diagnostics.map(formatDiagnostic);
  }
  assert.fail('expected the manifest to be rejected');
}

describe('manifest validation errors', () => {
  test('the minimal manifest is valid', () => {
    assert.equal(parseManifest(MIN, 'm.yaml').manifest.metadata.name, 'x');
  });
  test('a misspelled key is an error at the key, with a suggestion', () => {
    const e = errorsOf(`${MIN}traffic:\n  averageRpm: 10\n  peakRPM: 40\n`);
    assert.deepEqual(e, ['m.yaml:11:3: unknown key "peakRPM" in traffic; did you mean "peakRpm"?']);
  });
  test('an unknown top-level key lists the allowed keys when nothing is close', () => {
    const [e] = errorsOf(`${MIN}zzzzzzzzzzzz: 1\n`);
    assert.match(e, /^m\.yaml:9:1: unknown key "zzzzzzzzzzzz" in manifest; allowed keys: .*apiVersion.*probe/);
  });
  test('an enum names the allowed values and the closest', () => {
    const [e] = errorsOf(`${MIN}operator:\n  industry: finance-services\n`);
    assert.match(e, /^m\.yaml:10:13: operator\.industry: "finance-services" is not one of: financial-services, healthcare, .*; did you mean "financial-services"\?$/);
  });
  test('a wrong type says what was expected and what was found', () => {
    assert.deepEqual(errorsOf(`${MIN}traffic:\n  peakRpm: lots\n`), ['m.yaml:10:12: traffic.peakRpm: expected a number, got string "lots"']);
  });
  test('a non-positive rate is refused with its bound', () => {
    assert.deepEqual(errorsOf(`${MIN}traffic:\n  peakRpm: -5\n`), ['m.yaml:10:12: traffic.peakRpm must be > 0 (got -5)']);
  });
  test('an integer field refuses a fraction', () => {
    const [e] = errorsOf(`${MIN}traffic:\n  tokensPerRequest: {input: 10.5, output: 1}\n`);
    assert.match(e, /^m\.yaml:10:29: traffic\.tokensPerRequest\.input: expected a whole number, got number 10\.5$/);
  });
  test('a missing required key points at its parent', () => {
    assert.deepEqual(errorsOf(MIN.replace('  name: x\n', '  operator: y\n')), ['m.yaml:3:1: metadata: missing required key "name"']);
  });
  test('wrong apiVersion', () => {
    assert.deepEqual(errorsOf(MIN.replace('readiness/v1', 'readiness/v2')), ['m.yaml:1:13: apiVersion must be "readiness/v1" (got "readiness/v2")']);
  });
  test('a YAML syntax error is located', () => {
    const [e] = errorsOf(`${MIN}traffic:\n  peakRpm: [1, 2\n`);
    assert.match(e, /^m\.yaml:1[01]:\d+: YAML: /);
  });
  test('a duplicate key is an error, not a silent override', () => {
    const [e] = errorsOf(`${MIN}traffic:\n  peakRpm: 10\n  peakRpm: 20\n`);
    assert.match(e, /^m\.yaml:11:3: YAML: Map keys must be unique/);
  });
  test('every problem is reported, in file order', () => {
    const e = errorsOf(`${MIN}traffic:\n  peakRPM: 4\n  averageRpm: -1\noperator:\n  industry: banking\n`);
    assert.equal(e.length, 3);
    assert.deepEqual(e.map((l) => Number(l.split(':')[1])), [10, 11, 13]);
  });
  test('routing.primary must name a provider, with a suggestion', () => {
    assert.deepEqual(errorsOf(`${MIN}routing:\n  primary: b\n`), ['m.yaml:10:12: routing.primary: no provider has id "b"; did you mean "a"? (providers: a)']);
  });
  test('a failover target must name a provider other than the primary', () => {
    const two = `${MIN}  - id: second\n    vendor: anthropic\n    model: c\n`;
    assert.deepEqual(errorsOf(`${two}routing:\n  failover:\n    targets: [secnod, a]\n`), [
      'm.yaml:14:15: routing.failover.targets[0]: no provider has id "secnod"; did you mean "second"? (providers: a, second)',
      'm.yaml:14:23: routing.failover.targets[1]: "a" is the primary; a failover target must be another provider',
    ]);
  });
  test('duplicate provider and tenant ids', () => {
    const e = errorsOf(`${MIN}  - id: a\n    vendor: anthropic\n    model: c\ntenants:\n  - id: t\n  - id: t\n`);
    assert.deepEqual(e, ['m.yaml:9:9: providers[1].id: duplicate id "a" (first used by providers[0])', 'm.yaml:14:9: tenants[1].id: duplicate id "t" (first used by tenants[0])']);
  });
  test('peakRpm and peakMultiplier together are ambiguous', () => {
    const [e] = errorsOf(`${MIN}traffic:\n  averageRpm: 10\n  peakRpm: 40\n  peakMultiplier: 4\n`);
    assert.equal(e, 'm.yaml:12:19: traffic: give peakRpm or peakMultiplier, not both');
  });
  test('a peak below the average is refused', () => {
    const [e] = errorsOf(`${MIN}traffic:\n  averageRpm: 100\n  peakRpm: 40\n`);
    assert.match(e, /peakRpm \(40\) is below traffic\.averageRpm \(100\)/);
  });
  test('a literal API key in apiKeyEnv is flagged and never echoed', () => {
    const key = 'sk-proj-' + 'A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6';
    const e = errorsOf(MIN.replace('    model: m\n', `    model: m\n    apiKeyEnv: ${key}\n`));
    assert.equal(e.length, 1);
    assert.match(e[0], /^m\.yaml:9:16: providers\[0\]\.apiKeyEnv holds what looks like a literal OpenAI-style API key/);
    assert.ok(!e[0].includes(key) && !e[0].includes('A1b2C3'));
  });
  test('an empty file', () => {
    assert.deepEqual(errorsOf(''), ['m.yaml:1:1: file is empty: expected a readiness/v1 manifest']);
  });
  test('a top-level list is not a manifest', () => {
    assert.deepEqual(errorsOf('- a\n- b\n'), ['m.yaml:1:1: manifest: expected a mapping, got a list']);
  });
  test('non-UTF-8 bytes are refused with their line', () => {
    const [head, tail] = MIN.split('name: x');
    const bytes = Buffer.concat([Buffer.from(`${head}name: caf`), Buffer.from([0xe9]), Buffer.from(tail)]);
    const [e] = errorsOf(new Uint8Array(bytes));
    assert.equal(e, 'm.yaml:4:12: file is not valid UTF-8: save the manifest as UTF-8 text');
  });
  test('a file over the size limit is refused before parsing', () => {
    const [e] = errorsOf(`${MIN}# ${'x'.repeat(2000)}\n`, { maxBytes: 1000 });
    assert.match(e, /^m\.yaml:1:1: file is \d+ bytes, over the 1000-byte limit/);
  });
  test('a YAML alias bomb is refused', () => {
    const bomb = [
      'a: &a ["x","x","x","x","x","x","x","x","x"]',
      'b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]',
      'c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]',
      'd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]',
      'e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]',
      'f: [*e,*e,*e,*e,*e,*e,*e,*e,*e]',
    ].join('\n');
    const [e] = errorsOf(bomb);
    assert.match(e, /alias/);
  });
  test('a tag YAML cannot resolve is refused where it stands, not dropped; a standard tag is fine', () => {
    const src = readFileSync(example('compliant.yaml'), 'utf8');
    const tagged = src.replace('{name: contract-review-agent,', '{name: !sk-proj-Zq9XvB7nM3kL5pR8tY2wE4uI6oA1sD0f contract-review-agent,');
    const line = tagged.split('\n').findIndex((l) => l.includes('!sk-proj')) + 1;
    assert.deepEqual(errorsOf(tagged), [`m.yaml:${line}:18: YAML: unknown tag <redacted OpenAI-style API key>: write the plain value, without a tag`]);
    assert.equal(parseManifest(src.replace('{name: contract-review-agent,', '{name: !!str contract-review-agent,'), 'm.yaml').manifest.metadata.name, 'contract-review-agent');
  });
  test('URLs with braces, quotes or backticks (template text) and attribution headers that differ only in case are refused, located', () => {
    const src = readFileSync(example('compliant.yaml'), 'utf8');
    assert.ok(src.includes('headers: {operator: x-operator-id, team: x-team-id'));
    const url = errorsOf(src.replace('endpoint: http://127.0.0.1:4000/v1/chat/completions', 'endpoint: "http://127.0.0.1:4000/{{x}}"')).join('\n');
    assert.match(url, /gateway\.endpoint: "http:\/\/127\.0\.0\.1:4000\/\{\{x\}\}" is not valid \(an http:\/\/ or https:\/\/ URL, without spaces, braces/);
    const errs = errorsOf(src.replace('headers: {operator: x-operator-id, team: x-team-id', 'headers: {operator: x-operator-id, team: X-Operator-ID')).join('\n');
    assert.match(errs, /gateway\.attribution\.headers\.team: "X-Operator-ID" is the same header as headers\.operator \("x-operator-id"\): header names ignore case/);
  });
  test('a metric override PromQL reads as a keyword (nan, Inf, bool, sum) is refused, located', () => {
    const src = readFileSync(example('compliant.yaml'), 'utf8');
    for (const name of ['nan', 'Inf', 'bool', 'sum', 'group_left']) {
      const errs = errorsOf(src.replace(/^gateway:/m, `gateway:\n  metrics: {overrides: {requests: ${name}}}`));
      assert.deepEqual(errs, [`m.yaml:44:35: gateway.metrics.overrides.requests: "${name}" is a PromQL keyword, so the generated rules could not name it; use the metric's full name (e.g. ${name}_total)`]);
    }
  });
  test('a runbook base with its own #fragment, and two metrics overridden to one name, are refused, located', () => {
    const src = readFileSync(example('compliant.yaml'), 'utf8');
    const frag = errorsOf(src.replace(/^gateway:/m, 'gateway:\n  metrics: {runbookBaseUrl: "https://wiki.example.com/runbook#top"}'));
    assert.deepEqual(frag, ['m.yaml:44:29: gateway.metrics.runbookBaseUrl: give the page without a #fragment: readiness appends one #anchor per alert']);
    const same = errorsOf(src.replace(/^gateway:/m, 'gateway:\n  metrics: {overrides: {requests: same_total, spend: same_total}}'));
    assert.deepEqual(same, ['m.yaml:44:54: gateway.metrics.overrides.spend: "same_total" is already overrides.requests: each metric needs its own name']);
  });
  test('gateway.metrics.source: readiness-exporter only with LiteLLM and its metric names: another gateway, or the otel profile, is refused, located', () => {
    const src = readFileSync(example('compliant.yaml'), 'utf8');
    const accepted = (s: string) => parseManifest(s, 'm.yaml').manifest.gateway?.metrics;
    assert.deepEqual(accepted(src.replace(/^gateway:/m, 'gateway:\n  metrics: {source: readiness-exporter}')), { source: 'readiness-exporter' }, 'litellm, profile unset: accepted');
    assert.ok(accepted(src.replace(/^gateway:/m, 'gateway:\n  metrics: {source: readiness-exporter, profile: litellm}')));
    assert.ok(accepted(src.replace(/^gateway:/m, 'gateway:\n  metrics: {source: litellm-prometheus, profile: otel}')), 'the callback source with otel: nothing to refuse');
    const portkey = errorsOf(src.replace(/^gateway:/m, 'gateway:\n  metrics: {source: readiness-exporter}').replace('kind: litellm', 'kind: portkey'));
    assert.deepEqual(portkey, ["m.yaml:44:21: gateway.metrics.source: readiness-exporter reads LiteLLM's database, so it needs gateway.kind: litellm (the gateway is portkey)"]);
    const otel = errorsOf(src.replace(/^gateway:/m, 'gateway:\n  metrics: {source: readiness-exporter, profile: otel}'));
    assert.deepEqual(otel, ["m.yaml:44:50: gateway.metrics.profile: otel queries other names than readiness exporter serves (the litellm profile's): set profile: litellm, or leave it unset, with source: readiness-exporter"]);
    assert.match(errorsOf(src.replace(/^gateway:/m, 'gateway:\n  metrics: {source: exporter}')).join('\n'), /gateway\.metrics\.source/);
  });
  test('an alias that names no anchor is located at the alias, not reported as an alias bomb', () => {
    const src = readFileSync(example('compliant.yaml'), 'utf8').replace('{name: contract-review-agent,', '{name: *foo,');
    const line = src.split('\n').findIndex((l) => l.includes('*foo')) + 1;
    assert.deepEqual(errorsOf(src), [`m.yaml:${line}:18: YAML: alias *foo names no anchor (&) defined before it`]);
  });
  test('__proto__ and constructor keys are unknown keys, and pollute nothing', () => {
    const e = errorsOf(`${MIN}__proto__: {polluted: true}\nconstructor: 1\n`);
    assert.equal(e.length, 2);
    assert.ok(e.every((l) => l.includes('unknown key')));
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });
});

describe('invalid input through the CLI', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'readiness-errors-'));
  const bad = path.join(dir, 'bad.yaml');
  writeFileSync(bad, `${MIN}traffic:\n  peakRPM: 40\n`);
  test('exit 2, located message on stderr, nothing on stdout, no stack trace', async () => {
    const r = await runInProcess(['check', bad]);
    assert.equal(r.code, 2);
    assert.equal(r.stdout, '');
    assert.equal(r.stderr, `${bad}:10:3: unknown key "peakRPM" in traffic; did you mean "peakRpm"?\n`);
  });
  test('a missing file is invalid input, exit 2', async () => {
    const r = await runInProcess(['check', path.join(dir, 'nope.yaml')]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /nope\.yaml:1:1: cannot read manifest: no such file/);
  });
  test('a directory is invalid input, exit 2', async () => {
    const r = await runInProcess(['check', dir]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /is a directory/);
  });
  test('an unknown option is a usage error, exit 2', async () => {
    const r = await runInProcess(['check', '--frmat', 'json']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /unknown option '--frmat'/);
  });
  test('an unknown format value is a usage error naming the choices', async () => {
    const r = await runInProcess(['check', bad, '--format', 'yaml']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /unknown format "yaml": choose from text, json/);
  });
  test('the built CLI prints no stack trace for a user mistake', async () => {
    const r = await runBin(['check', bad]);
    assert.equal(r.code, 2);
    assert.doesNotMatch(r.stderr, /\n\s+at /);
    assert.match(r.stderr, /bad\.yaml:10:3:/);
  });
});

describe('a --waivers file gets the manifest loader hardening', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'readiness-waivers-'));
  test('an alias bomb is a located refusal (exit 2), not an internal error', async () => {
    const bomb = path.join(dir, 'bomb.yaml');
    writeFileSync(
      bomb,
      ['a: &a ["x","x","x","x","x","x","x","x","x","x"]', 'b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]', 'c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]', 'd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]', 'waivers: [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]', ''].join('\n'),
    );
    const r = await runInProcess(['check', 'templates/examples/compliant.yaml', '--waivers', bomb]);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /bomb\.yaml:1:1: too many YAML alias expansions/);
  });
  test('non-UTF-8 bytes are refused with their line', async () => {
    const bin = path.join(dir, 'bin.yaml');
    writeFileSync(bin, Buffer.concat([Buffer.from('waivers:\n  - check: failover\n    reason: caf'), Buffer.from([0xff]), Buffer.from('\n')]));
    const r = await runInProcess(['check', 'templates/examples/compliant.yaml', '--waivers', bin]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /bin\.yaml:3:16: file is not valid UTF-8/);
  });
});
