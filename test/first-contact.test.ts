// A new user's first minutes: no manifest yet, a tab in the YAML, and counts of checks that stay true.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { CHECKS } from '../src/checks/catalogue.js';
import { buildProgram } from '../src/cli/main.js';
import { ROOT, example, runInProcess } from './helpers/cli.js';

const dirs: string[] = [];
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
function tmp(): string {
  const d = mkdtempSync(path.join(tmpdir(), 'readiness-first-'));
  dirs.push(d);
  return d;
}

describe('first contact: no manifest yet', () => {
  it('readiness check with no readiness.yaml says to run readiness init, and exits 2', async () => {
    const r = await runInProcess(['check'], {}, tmp());
    assert.equal(r.code, 2);
    assert.equal(r.stderr, 'readiness.yaml:1:1: cannot read manifest: no such file\n  hint: to create one, run `readiness init` (it asks about the deployment and writes the manifest)\n');
  });
  it('a named manifest that does not exist: the init command that writes it', async () => {
    const r = await runInProcess(['check', 'deploy/prod.yaml'], {}, tmp());
    assert.equal(r.code, 2);
    assert.match(r.stderr, /hint: to create one, run `readiness init --out deploy\/prod\.yaml`/);
  });
});

describe('first contact: a YAML syntax error is reported once', () => {
  const source = readFileSync(example('compliant.yaml'), 'utf8');
  const lines = source.split('\n');
  const at = lines.findIndex((l) => l.startsWith('    model: gpt-4o'));
  it('a tab-indented line in the middle of a mapping: one error at its line, with one hint line', async () => {
    const dir = tmp();
    const broken = [...lines];
    broken[at] = `\t${broken[at].slice(2)}`;
    writeFileSync(path.join(dir, 'tab.yaml'), broken.join('\n'));
    const r = await runInProcess(['check', 'tab.yaml'], {}, dir);
    assert.equal(r.code, 2);
    const out = r.stderr.trimEnd().split('\n');
    assert.equal(out.length, 2, r.stderr);
    assert.equal(out[0], `tab.yaml:${at + 1}:1: YAML: Tabs are not allowed as indentation`);
    assert.match(out[1], /^  hint: YAML indents with spaces only/);
    assert.doesNotMatch(r.stderr, /All mapping items must start at the same column/);
  });
  it('an unclosed flow mapping: one located line', async () => {
    const dir = tmp();
    writeFileSync(path.join(dir, 'm.yaml'), source.replace('limits: {rpm: 2000, tpm: 4000000}', 'limits: {rpm: 2000, tpm: 4000000'));
    const r = await runInProcess(['check', 'm.yaml'], {}, dir);
    assert.equal(r.code, 2);
    assert.ok(r.stderr.trimEnd().split('\n').length <= 2, r.stderr);
    assert.match(r.stderr, /^m\.yaml:\d+:\d+: YAML: /);
  });
});

/** Counts of checks written as words or digits: "five checks", "6 checks", "all six checks". */
const COUNT = /(?<!Node )\b(one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|\d+) (?:readiness )?checks\b/gi;
const WORDS = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'eleven', 'twelve'];
const value = (w: string) => (/^\d+$/.test(w) ? Number(w) : WORDS.indexOf(w.toLowerCase()));

function stale(text: string): string[] {
  return [...text.matchAll(COUNT)].filter((m) => value(m[1]) !== CHECKS.length).map((m) => m[0]);
}

function markdownFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = path.join(dir, f);
    return statSync(p).isDirectory() ? markdownFiles(p) : /\.(md|ya?ml)$/.test(f) ? [p] : [];
  });
}

describe('counts of checks come from the catalogue', () => {
  it('the detector finds a stale count (so this test can fail)', () => {
    assert.deepEqual(stale('runs the five checks; all 6 checks'), CHECKS.length === 6 ? ['five checks'] : ['five checks', '6 checks']);
  });
  it('docs/ and README.md state no count of checks other than the catalogue\'s', () => {
    for (const file of [path.join(ROOT, 'README.md'), ...markdownFiles(path.join(ROOT, 'docs'))]) {
      assert.deepEqual(stale(readFileSync(file, 'utf8')), [], path.relative(ROOT, file));
    }
  });
  it('no --help states a count of checks other than the catalogue\'s', async () => {
    const program = buildProgram({} as never, () => {});
    const commands = [[], ...program.commands.flatMap((c) => [[c.name()], ...c.commands.map((s) => [c.name(), s.name()])])];
    assert.ok(commands.length > 5);
    for (const args of commands) {
      const r = await runInProcess([...args, '--help']);
      assert.equal(r.code, 0, args.join(' '));
      assert.deepEqual(stale(r.stdout), [], `readiness ${args.join(' ')} --help`);
    }
  });
});
