import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { dayReaching } from '../src/checks/budget-ceilings.js';
import { capacityRpm, utilization } from '../src/checks/capacity.js';
import { CHECKS } from '../src/checks/catalogue.js';
import { quote, secretKind } from '../src/util/secrets.js';
import { didYouMean } from '../src/util/suggest.js';
import { ge, gt, le, pct, plain } from '../src/util/numbers.js';

describe('numbers', () => {
  test('plain never prints float noise', () => {
    assert.equal(plain(0.1 + 0.2), '0.3');
    assert.equal(plain(0.7 * 3), '2.1');
    assert.equal(plain(-0), '0');
    assert.equal(plain(1e-7), '0');
    assert.equal(plain(2557), '2557');
  });
  test('pct rounds to one decimal and drops .0', () => {
    assert.equal(pct(0.55), '55%');
    assert.equal(pct(1000 / 600), '166.7%');
    assert.equal(pct(1201 / 2000), '60.1%');
    assert.equal(pct(5100 / 8000), '63.8%');
    assert.equal(pct(3825 / 6000), '63.8%', 'the same share reads the same whichever figures it came from');
  });
  test('comparisons tolerate float noise at a boundary but not a real difference', () => {
    assert.ok(le((400 * 6000) / 4_000_000, 0.6));
    assert.ok(ge(0.02 * 14000 * 30, 0.7 * 12000));
    assert.ok(gt(1201 / 2000, 0.6));
    assert.ok(!le(0.6000001, 0.6));
  });
});

describe('capacity', () => {
  const p = { id: 'p', vendor: 'openai' as const, model: 'm', limits: { rpm: 2000, tpm: 4_000_000 } };
  test('capacity is the tighter of rpm and tpm at the request size', () => {
    assert.equal(capacityRpm(p, 1000), 2000);
    assert.equal(capacityRpm(p, 4000), 1000);
    assert.equal(capacityRpm(p, undefined), 2000);
    assert.equal(capacityRpm({ ...p, limits: {} }, 1000), undefined);
  });
  test('utilization reports both terms and which binds', () => {
    assert.deepEqual(utilization(1000, p, 2200), { rpm: 0.5, tpm: 0.55, value: 0.55, boundBy: 'tpm' });
    assert.deepEqual(utilization(1000, p, 100), { rpm: 0.5, tpm: 0.025, value: 0.5, boundBy: 'rpm' });
  });
});

describe('budget days', () => {
  test('the day a cumulative spend reaches an amount', () => {
    assert.equal(dayReaching(5100, 170), 30);
    assert.equal(dayReaching(5099, 170), 30);
    assert.equal(dayReaching(3570, 170), 21);
    assert.equal(dayReaching(0.7 * 12000, 0.02 * 14000), 30);
    assert.equal(dayReaching(1, 1000), 1);
    assert.equal(dayReaching(100, 0), Infinity);
  });
});

describe('secrets and suggestions', () => {
  test('known key shapes are recognised and never quoted', () => {
    const samples = ['sk-proj-abcdefghijklmnopqrstuvwxyz123456', 'AKIAIOSFODNN7EXAMPLE', 'Bearer abcdefghijklmnop.qrstu', '-----BEGIN RSA PRIVATE KEY-----'];
    for (const s of samples) {
      assert.ok(secretKind(s), s);
      assert.ok(!quote(s).includes(s.slice(8, 20)));
    }
    assert.equal(secretKind('OPENAI_API_KEY'), undefined);
    assert.equal(quote('gpt-4o'), '"gpt-4o"');
  });
  test('did you mean', () => {
    assert.equal(didYouMean('peakRPM', ['peakRpm', 'averageRpm']), 'peakRpm');
    assert.equal(didYouMean('zzzz', ['peakRpm']), undefined);
  });
});

describe('the check catalogue', () => {
  test('ids are the five fixed readiness checks plus secret hygiene, each self-describing', () => {
    assert.deepEqual(CHECKS.map((c) => c.id), ['rate-limit-sizing', 'cost-attribution', 'audit-log', 'failover', 'budget-ceilings', 'no-literal-secrets']);
    for (const c of CHECKS) {
      assert.ok(c.title && c.rationale.length > 40 && c.remediation.length > 40, c.id);
      assert.ok(c.sources.length > 0 && c.sources.every((s) => /^https:\/\//.test(s.url)), c.id);
    }
  });
});

describe('the precompiled manifest validator', () => {
  test('gives exactly the errors of the validator compiled at run time', async () => {
    const { compileManifestValidator, manifestValidator } = await import('../src/manifest/schema.js');
    const runtime = compileManifestValidator();
    const pre = manifestValidator();
    assert.notEqual(pre, runtime);
    const bad = { apiVersion: 'readiness/v2', kind: 'AgentDeployment', metadata: {}, providers: [{ id: 'A', vendor: 'x' }], traffic: { peakRPM: 1 }, gateway: { endpoint: 'not a url' } };
    assert.equal(pre(bad), false);
    assert.equal(runtime(bad), false);
    const strip = (es: typeof pre.errors) => (es ?? []).map((e) => ({ ...e, schema: undefined, parentSchema: undefined }));
    assert.deepEqual(strip(pre.errors), strip(runtime.errors));
    assert.ok((pre.errors ?? []).length >= 5);
  });
});

describe('money and counts', () => {
  test('usd and int group thousands like en-US Intl', async () => {
    const { usd, int } = await import('../src/util/numbers.js');
    const big = new Intl.NumberFormat('en-US', { minimumFractionDigits: 0, maximumFractionDigits: 2 });
    const small = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
    const whole = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
    for (const n of [0, 0.5, 1.005, 12.3, 99.999, 100, 127.5, 1687.5, 16065, 1234567.891, 5100.1, 72321.428571, 1e9]) {
      assert.equal(usd(n), `$${(n >= 100 ? big : small).format(n)}`, String(n));
      assert.equal(int(n), whole.format(Math.round(n)), String(n));
    }
    assert.equal(int(-1234.4), '-1,234');
  });

  test('figures a manifest can reach within its bounds print in full, never in exponent form, and never throw', async () => {
    const { usd, int } = await import('../src/util/numbers.js');
    // 1e8 tokens x $1e6 per million tokens x 1e12 requests a day: within every schema bound
    assert.equal(usd(1e21), '$1,000,000,000,000,000,000,000');
    assert.equal(int(1e21), '1,000,000,000,000,000,000,000');
    assert.equal(usd(-1e22), '-$10,000,000,000,000,000,000,000');
    assert.equal(usd(1e15 + 0.4), '$1,000,000,000,000,000', 'whole dollars from 1e15, where cents are below a double\'s precision');
    assert.equal(usd(999_999_999_999.995), '$1,000,000,000,000');
    assert.match(usd(Number.MAX_VALUE), /^\$179,769,313,486,231,5\d\d(,\d{3})+$/);
    assert.equal(usd(Infinity), 'an unbounded amount', 'a projection divided by a tiny alert fraction');
    assert.equal(int(Infinity), 'Infinity');
  });
});

describe('generated headers name the manifest the same way however it was given', () => {
  test('relative to the working directory, forward slashes, never an absolute path', async () => {
    const { headerPath } = await import('../src/generate/index.js');
    assert.equal(headerPath('./templates/examples/compliant.yaml', '/work/repo'), 'templates/examples/compliant.yaml');
    assert.equal(headerPath('/work/repo/templates/examples/compliant.yaml', '/work/repo'), 'templates/examples/compliant.yaml');
    assert.equal(headerPath('/elsewhere/readiness.yaml', '/work/repo'), 'readiness.yaml');
    assert.equal(headerPath('../other/readiness.yaml', '/work/repo'), 'readiness.yaml');
  });
  test('a file name with a newline, a control character or "-->" stays one line, inside the runbook\'s comment', async () => {
    const { headerPath } = await import('../src/generate/index.js');
    assert.equal(headerPath('nl\ngroups: [] #.yaml', '/w'), 'nl\\u000agroups: [] #.yaml');
    assert.equal(headerPath('a-->b\u001b.yaml', '/w'), 'a--\\u003eb\\u001b.yaml');
  });
});

describe('clipping for the HTML page', () => {
  test('cuts by code point, never between the halves of an emoji', async () => {
    const { clip } = await import('../src/report/html-svg.js');
    assert.equal(clip('team 🚀🚀🚀 alpha', 7), 'team 🚀…');
    assert.equal(clip('short', 7), 'short');
    assert.doesNotMatch(clip(`${'a'.repeat(25)}🚀🚀`, 27), /[\ud800-\udfff](?![\udc00-\udfff])/u);
  });
});

describe('colour decisions', () => {
  test('no chalk and no escape codes without a terminal or with NO_COLOR; FORCE_COLOR wins', async () => {
    const { painterFor, plainPainter } = await import('../src/util/paint.js');
    assert.equal(await painterFor('stdout', {}, false), plainPainter);
    assert.equal(await painterFor('stdout', { NO_COLOR: '1' }, true), plainPainter);
    assert.notEqual(await painterFor('stdout', { FORCE_COLOR: '1', NO_COLOR: '1' }, false), plainPainter);
    assert.equal(plainPainter.red.bold('x'), 'x');
  });
});
