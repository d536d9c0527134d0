import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { XMLParser } from 'fast-xml-parser';
import { parse, stringify } from 'yaml';
import { CHECKS } from '../src/checks/catalogue.js';
import { COMMAND_EXITS } from '../src/cli/main.js';
import { EXIT } from '../src/util/errors.js';
import { startMockProvider } from '../src/mock/provider.js';
import { ROOT, example, runBin, startBin } from './helpers/cli.js';
import { base, setPath } from './helpers/manifest.js';
import { sarifValidator } from './helpers/report.js';

const dirs: string[] = [];
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const load = (f: string) => parse(readFileSync(path.join(ROOT, 'docs', 'ci', f), 'utf8'));

interface ShellCommand {
  args: string[];
  stdoutTo?: string;
}

/**
 * Splits one shell command line the way bash would for the simple commands the CI files use:
 * words, "double quotes", $VAR and ${VAR} expansion from `env`, and one `> file` redirection.
 * Anything else (pipes, ;, &&, ||, backticks, $( ) fails the test: the documented commands must stay simple.
 */
export function shellWords(line: string, env: Record<string, string>): ShellCommand {
  assert.doesNotMatch(line, /[|;&`]|\$\(/, `keep CI commands simple: ${line}`);
  const expand = (s: string) =>
    s.replace(/\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?/g, (_, name: string) => {
      assert.ok(name in env, `${name} is not set by the CI file or the test: ${line}`);
      return env[name];
    });
  const words: string[] = [];
  const re = /"((?:[^"\\]|\\.)*)"|'([^']*)'|(>)|([^\s"'>]+)/g;
  let cur: string | undefined;
  let last = 0;
  for (let m = re.exec(line); m; m = re.exec(line)) {
    const glued = m.index === last && cur !== undefined;
    const piece = m[1] !== undefined ? expand(m[1]) : m[2] !== undefined ? m[2] : m[3] !== undefined ? '>' : expand(m[4]);
    if (m[3] !== undefined) {
      if (cur !== undefined) words.push(cur);
      words.push('>');
      cur = undefined;
    } else if (glued) cur += piece;
    else {
      if (cur !== undefined) words.push(cur);
      cur = piece;
    }
    last = m.index + m[0].length;
  }
  if (cur !== undefined) words.push(cur);
  const i = words.indexOf('>');
  return i < 0 ? { args: words } : { args: words.slice(0, i), stdoutTo: words[i + 1] };
}

/** The `npx readiness ...` lines of a script, as argument lists for the CLI. */
function readinessCommands(lines: string[], env: Record<string, string>): ShellCommand[] {
  return lines
    .flatMap((l) => l.split('\n'))
    .map((l) => l.trim())
    .filter((l) => l.startsWith('npx readiness '))
    .map((l) => {
      const c = shellWords(l, env);
      return { ...c, args: c.args.slice(2) };
    });
}

/** A git repository with the compliant manifest committed on main (also as origin/main), a waivers file, and `head` as the working copy. */
function repo(head: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'readiness-ci-'));
  dirs.push(dir);
  const git = (...a: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...a], { cwd: dir, stdio: 'pipe' });
  git('init', '-q', '-b', 'main');
  writeFileSync(path.join(dir, 'readiness.yaml'), readFileSync(example('compliant.yaml'), 'utf8'));
  writeFileSync(path.join(dir, 'readiness-waivers.yaml'), 'waivers: []\n');
  // the gateway config as deployed, for the drift step: hand-written for the compliant manifest
  mkdirSync(path.join(dir, 'deploy'));
  writeFileSync(path.join(dir, 'deploy', 'litellm.config.yaml'), readFileSync(path.join(ROOT, 'test', 'fixtures', 'drift', 'litellm', 'success-hand-written.yaml'), 'utf8'));
  git('add', '.');
  git('commit', '-qm', 'base');
  git('update-ref', 'refs/remotes/origin/main', 'HEAD');
  writeFileSync(path.join(dir, 'readiness.yaml'), readFileSync(example(head), 'utf8'));
  return dir;
}

async function run(dir: string, cmds: ShellCommand[], env: Record<string, string>): Promise<number[]> {
  const codes: number[] = [];
  for (const c of cmds) {
    const r = await runBin(c.args, { cwd: dir, env: { ...env, READINESS_TODAY: '2026-11-27' } });
    assert.doesNotMatch(r.stderr, /internal error|\n\s+at /, r.stderr);
    if (c.stdoutTo) writeFileSync(path.join(dir, c.stdoutTo), r.stdout);
    codes.push(r.code);
  }
  return codes;
}

describe('docs/ci: the GitHub Actions workflow', () => {
  const wf = load('github-actions.yml');
  const steps = wf.jobs.readiness.steps as Array<Record<string, any>>;
  const env = { ...wf.env, BASE_REF: 'origin/main', GITHUB_STEP_SUMMARY: '' } as Record<string, string>;
  const cmds = readinessCommands(
    steps.filter((s) => s.run).map((s) => s.run as string),
    env,
  );

  it('runs on manifest changes, may upload SARIF and comment, and uploads the SARIF the check writes', () => {
    assert.ok(wf.on.pull_request.paths.includes('readiness.yaml'));
    assert.ok(wf.on.push.paths.includes('readiness.yaml'));
    assert.equal(wf.permissions['security-events'], 'write');
    assert.equal(wf.permissions['pull-requests'], 'write');
    const upload = steps.find((s) => String(s.uses).startsWith('github/codeql-action/upload-sarif@'));
    assert.ok(upload, 'an upload-sarif step');
    assert.match(upload.if, /always\(\)/, 'uploads even when the gate failed');
    const check = cmds.find((c) => c.args[0] === 'check');
    assert.ok(check?.args.includes(`sarif=${upload.with.sarif_file}`), 'the SARIF uploaded is the one readiness writes');
    assert.ok(check?.args.includes('github'), 'annotations and step summary');
    const comment = steps.find((s) => String(s.uses).startsWith('marocchino/sticky-pull-request-comment@'));
    assert.ok(comment && /always\(\)/.test(comment.if));
    const assemble = steps.find((s) => String(s.run ?? '').includes(comment.with.path));
    assert.ok(assemble && assemble.run.includes('readiness.md') && assemble.run.includes('readiness-diff.md'), 'the comment holds the summary and the diff');
    assert.equal(steps.find((s) => s.uses?.startsWith('actions/checkout@'))?.with?.['fetch-depth'], 0, 'diff --base needs history');
  });

  it('runs readiness drift beside check, even when the check failed', () => {
    const drift = steps.find((s) => String(s.run ?? '').includes('npx readiness drift'));
    assert.ok(drift && /always\(\)/.test(drift.if));
    assert.ok(wf.on.pull_request.paths.includes(env.READINESS_LITELLM_CONFIG));
  });

  it('its readiness commands run: a failing manifest fails the gate, the drift and the diff, and still writes every report', async () => {
    assert.deepEqual(
      cmds.map((c) => c.args[0]),
      ['check', 'drift', 'diff'],
    );
    const dir = repo('incident-1-rate-limit-at-peak.yaml');
    const summary = path.join(dir, 'step-summary.md');
    writeFileSync(summary, '');
    const codes = await run(dir, cmds, { ...env, GITHUB_STEP_SUMMARY: summary });
    assert.deepEqual(codes, [1, 1, 1]);
    const sarif = JSON.parse(readFileSync(path.join(dir, 'readiness.sarif'), 'utf8'));
    assert.equal(sarifValidator()(sarif), true);
    assert.equal(sarif.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri, 'readiness.yaml');
    assert.match(readFileSync(path.join(dir, 'readiness.md'), 'utf8'), /gate FAILED/);
    assert.match(readFileSync(path.join(dir, 'readiness-diff.md'), 'utf8'), /readiness diff: 2 check\(s\) became fail/);
    assert.match(readFileSync(summary, 'utf8'), /gate FAILED/);
  });

  it('its readiness commands run: the compliant manifest passes both', async () => {
    const dir = repo('compliant.yaml');
    assert.deepEqual(await run(dir, cmds, env), [0, 0, 0]);
    assert.deepEqual(JSON.parse(readFileSync(path.join(dir, 'readiness.sarif'), 'utf8')).runs[0].results, []);
  });
});

describe('docs/ci: the GitLab CI jobs', () => {
  const ci = load('gitlab-ci.yml');
  const env = { ...ci.variables, CI_MERGE_REQUEST_TARGET_BRANCH_NAME: 'main' } as Record<string, string>;
  const cmds = readinessCommands([...ci.readiness.script, ...ci['readiness-drift'].script, ...ci['readiness-diff'].script], env);

  it('runs on manifest changes and reports the JUnit file the check writes', () => {
    assert.ok(ci.readiness.rules[0].changes.includes('readiness.yaml'));
    assert.ok(ci['readiness-diff'].rules[0].changes.includes('readiness.yaml'));
    assert.ok(ci['readiness-drift'].rules[0].changes.includes(env.READINESS_LITELLM_CONFIG), 'drift runs when the deployed config changes');
    assert.equal(ci.readiness.artifacts.when, 'always', 'the report is kept when the gate fails');
    const junit = ci.readiness.artifacts.reports.junit;
    assert.ok(cmds[0].args.includes(`junit=${junit}`));
  });

  it('its readiness commands run and the JUnit report has one testcase per check', async () => {
    assert.deepEqual(
      cmds.map((c) => c.args[0]),
      ['check', 'drift', 'diff'],
    );
    const dir = repo('incident-2-no-team-ceilings.yaml');
    assert.deepEqual(await run(dir, cmds, env), [1, 1, 1]);
    const xml = new XMLParser({ ignoreAttributes: false, isArray: (n) => n === 'testcase' }).parse(readFileSync(path.join(dir, ci.readiness.artifacts.reports.junit), 'utf8'));
    assert.equal(xml.testsuites.testsuite.testcase.length, CHECKS.length);
    assert.ok(existsSync(path.join(dir, 'readiness.md')));
    assert.match(readFileSync(path.join(dir, 'readiness-diff.md'), 'utf8'), /got worse/);
  });
});

describe('shellWords', () => {
  it('expands variables, keeps quoted words whole, and finds the redirection', () => {
    assert.deepEqual(shellWords('npx readiness diff --base "origin/$B" "$M" --format markdown > d.md', { B: 'main', M: 'a b.yaml' }), {
      args: ['npx', 'readiness', 'diff', '--base', 'origin/main', 'a b.yaml', '--format', 'markdown'],
      stdoutTo: 'd.md',
    });
    assert.throws(() => shellWords('npx readiness check x || true', {}));
    assert.throws(() => shellWords('npx readiness check "$UNSET"', {}));
  });
});

/** The exit-code table of docs/ci.md: each code, its meaning and the commands that return it. */
function exitTable(): Array<{ code: number; meaning: string; commands: string[] }> {
  const md = readFileSync(path.join(ROOT, 'docs', 'ci.md'), 'utf8');
  const start = md.indexOf('| Code | Meaning | Commands |');
  assert.ok(start >= 0, 'docs/ci.md has the exit-code table with a Commands column');
  const rows = md.slice(start).split('\n').slice(2);
  const out = [];
  for (const row of rows) {
    if (!row.startsWith('|')) break;
    const [code, meaning, commands] = row.split('|').slice(1, -1).map((c) => c.trim());
    const names = commands === 'every command' ? Object.keys(COMMAND_EXITS) : [...commands.matchAll(/`([^`]+)`/g)].map((m) => m[1]).filter((w) => !w.startsWith('-'));
    out.push({ code: Number(code), meaning, commands: names });
  }
  return out;
}

describe('docs/ci.md: the exit codes', () => {
  it('the table has one row per code a command returns, each naming exactly the commands that return it', () => {
    const table = exitTable();
    const codes = [...new Set(Object.values(COMMAND_EXITS).flatMap((c) => c.codes))].sort((a, b) => a - b);
    assert.deepEqual(table.map((r) => r.code), codes);
    for (const row of table) {
      for (const name of row.commands) assert.ok(name in COMMAND_EXITS, `${row.code}: \`${name}\` is not a command`);
      const want = Object.keys(COMMAND_EXITS).filter((c) => COMMAND_EXITS[c].codes.includes(row.code));
      assert.deepEqual([...row.commands].sort(), want.sort(), `the commands that can exit ${row.code}`);
    }
    const interrupted = table.find((r) => r.code === EXIT.interrupted);
    assert.match(interrupted?.meaning ?? '', /SIGINT \(Ctrl-C\) or SIGTERM/);
  });

  it("every exit code a command's source sets is in that command's list", () => {
    const dir = path.join(ROOT, 'src', 'cli', 'commands');
    const file: Record<string, string> = { 'audit.ts': 'audit verify', 'explain.ts': 'explain', 'probe-options.ts': '' };
    const named = Object.fromEntries(Object.entries(EXIT)) as Record<string, number>;
    const sources = readdirSync(dir).filter((f) => f.endsWith('.ts')).map((f) => ({ f, cmd: file[f] ?? f.replace(/\.ts$/, ''), text: readFileSync(path.join(dir, f), 'utf8') }));
    sources.push({ f: '../../init/run.ts', cmd: 'init', text: readFileSync(path.join(ROOT, 'src', 'init', 'run.ts'), 'utf8') });
    let seen = 0;
    for (const { f, cmd, text } of sources) {
      if (!cmd) continue;
      assert.ok(cmd in COMMAND_EXITS, `${f}: its command ${cmd} has its exit codes listed in COMMAND_EXITS`);
      for (const m of text.matchAll(/(?:setExit\(|return )\s*(\d+|EXIT\.(\w+))\s*[);]/g)) {
        const code = m[2] ? named[m[2]] : Number(m[1]);
        assert.ok(COMMAND_EXITS[cmd].codes.includes(code), `${f} sets exit ${code}, not in ${cmd}'s list`);
        seen++;
      }
    }
    assert.ok(seen >= 5, `found the exit codes set in the sources (${seen})`);
  });

  it('real runs: SIGTERM or SIGINT during a probe is 130 (probe, check --probe); SIGTERM stops mock-provider with 0', async (t) => {
    const mock = await startMockProvider({ latencyMs: 5 });
    t.after(() => mock.close());
    const dir = mkdtempSync(path.join(tmpdir(), 'readiness-ci-'));
    dirs.push(dir);
    const m = base('compliant');
    setPath(m, 'traffic.peakRpm', 1200);
    setPath(m, 'probe.target', mock.url);
    writeFileSync(path.join(dir, 'readiness.yaml'), stringify(m));
    const runs: Array<[string[], NodeJS.Signals]> = [
      [['probe', 'readiness.yaml'], 'SIGTERM'],
      [['check', 'readiness.yaml', '--probe'], 'SIGTERM'],
      [['check', 'readiness.yaml', '--probe'], 'SIGINT'],
    ];
    for (const [args, sig] of runs) {
      mock.resetStats();
      const cli = startBin(t, [...args, '--cold-connections', '0', '--duration', '600'], { cwd: dir });
      // once traffic flows (the mock counts it), the probe is under way
      while (mock.stats().total < 10) await new Promise((r) => setTimeout(r, 20));
      cli.signal(sig);
      assert.equal(await cli.closed, EXIT.interrupted, `${args.join(' ')} on ${sig}: ${cli.stderr()}`);
    }
    const served = startBin(t, ['mock-provider', '--port', '0'], { cwd: dir });
    while (!served.stdout().includes('http://')) await new Promise((r) => setTimeout(r, 20));
    served.signal('SIGTERM');
    assert.equal(await served.closed, 0, served.stderr());
    assert.match(served.stderr(), /mock provider stopped/);
  });
});
