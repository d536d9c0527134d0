/** The questionnaire's rules at their boundaries, and its consequence messages. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Provider } from '../../src/manifest/types.js';
import { frameworkNotes, providerPeakNote, requiredFieldNames, tenantNotes } from '../../src/init/consequences.js';
import { type Ctx, type Question, QUESTIONNAIRE, checkTimezone, checkUrl, parseTyped, suggestChoice, validateAnswer, without429Warning } from '../../src/init/questions.js';
import { shown, withoutCredentials } from '../../src/init/inquirer.js';
import { looksLikeCredential } from '../../src/util/secrets.js';
import type { Draft } from '../../src/init/types.js';
import { schemaNode } from '../../src/init/schema-bounds.js';

const q = (section: string, key: string): Question => {
  const found = QUESTIONNAIRE.find((s) => s.key === section)?.questions.find((x) => x.key === key);
  assert.ok(found, `${section}.${key}`);
  return found;
};
const ctx = (draft: Draft = {}, item: Record<string, unknown> = {}, index = 0): Ctx => ({ draft, item, index });
const v = (question: Question, value: unknown, c: Ctx = ctx()) => validateAnswer(question, value, c);

test('numbers: positive where a rate or price is asked, zero where a count may be zero, bounded where a fraction is', () => {
  const avg = q('usage', 'averageRpm');
  assert.equal(v(avg, 0), 'must be a positive number');
  assert.equal(v(avg, 0.001), undefined);
  assert.equal(v(avg, Number.NaN), 'expected a number');
  assert.equal(v(avg, '5'), 'expected a number');
  assert.equal(v(avg, undefined), 'an answer is needed here');
  const tokens = q('usage', 'inputTokens');
  assert.equal(v(tokens, 0), undefined);
  assert.equal(v(tokens, -1), 'must be zero or more');
  assert.equal(v(tokens, 1.5), 'expected a whole number');
  const frac = q('budgets', 'alertAtFraction');
  assert.equal(v(frac, 1), undefined);
  assert.equal(v(frac, 1.0001), 'must be at most 1');
  const day = q('budgets', 'alertByDay');
  assert.equal(v(day, 31), undefined);
  assert.equal(v(day, 32), 'must be at most 31');
  assert.equal(v(q('providers', 'rpm'), undefined), undefined, 'an unknown limit may be left blank');
});

test('the peak may equal the average but not be below it', () => {
  const peak = q('usage', 'peakRpm');
  const c = ctx({ usage: { averageRpm: 250 } });
  assert.equal(v(peak, 250, c), undefined);
  assert.equal(v(peak, 249.9, c), 'the peak cannot be lower than the average (250 rpm)');
  assert.equal(peak.suggest?.(c), 1000, '4x the average is offered');
  assert.match(String(typeof peak.message === 'function' ? peak.message(c) : peak.message), /4x the average, 1000, is offered as a starting guess/);
});

test('ids, headers, environment variables, time windows, time zones, URLs and status codes', () => {
  const id = q('providers', 'id');
  assert.equal(v(id, 'openai-main'), undefined);
  assert.match(v(id, 'OpenAI') ?? '', /lower-case/);
  assert.match(v(id, '-x') ?? '', /lower-case/);
  assert.equal(v(id, 'b', ctx({ providers: [{ id: 'a' }, { id: 'b' }] }, {}, 1)), undefined);
  assert.equal(v(id, 'a', ctx({ providers: [{ id: 'a' }, { id: 'a' }] }, {}, 1)), 'another provider already has the id "a"');
  assert.equal(v(q('gateway', 'teamHeader'), 'x-team-id'), undefined);
  assert.equal(v(q('gateway', 'teamHeader'), 'x team'), 'not a valid HTTP header name');
  const env = q('providers', 'apiKeyEnv');
  assert.equal(v(env, 'OPENAI_API_KEY'), undefined);
  assert.match(v(env, 'openai_key') ?? '', /capitals/);
  assert.match(v(env, 'sk-ant-api03-abcdefghijklmnopqrstuvwxyz') ?? '', /looks like a key itself/);
  const win = q('usage', 'peakWindow');
  assert.equal(v(win, '23:59-00:00'), undefined);
  assert.match(v(win, '24:00-01:00') ?? '', /HH:MM-HH:MM/);
  assert.equal(v(q('operator', 'timezone'), 'Europe/London'), undefined);
  assert.match(v(q('operator', 'timezone'), 'Europe/Atlantis') ?? '', /unknown time zone/);
  assert.equal(checkUrl('https://wiki.example.com/runbook'), undefined);
  assert.match(checkUrl('ftp://example.com') ?? '', /http:\/\/ or https:\/\//);
  assert.match(checkUrl('runbook') ?? '', /not a URL/);
  const codes = q('routing', 'onStatus');
  assert.equal(v(codes, [400, 599]), undefined);
  assert.match(v(codes, [399]) ?? '', /between 400 and 599/);
  assert.match(v(codes, [600]) ?? '', /between 400 and 599/);
  assert.equal(v(codes, [429, 429]), '429 is listed twice');
});

test('choices: unknown values are refused, and automatic failover needs a second provider', () => {
  const failover = q('routing', 'failover');
  assert.match(v(failover, 'automatic', ctx({ providers: [{ id: 'a' }] })) ?? '', /automatic: needs a second provider/);
  assert.equal(v(failover, 'automatic', ctx({ providers: [{ id: 'a' }, { id: 'b' }] })), undefined);
  assert.equal(v(failover, 'sometimes'), 'expected one of: manual, none');
  const frameworks = q('operator', 'frameworks');
  assert.equal(v(frameworks, []), undefined, 'no framework is an answer');
  assert.match(v(frameworks, ['hipa']) ?? '', /"hipa" is not one of/);
  const targets = q('routing', 'targets');
  const two = ctx({ providers: [{ id: 'a' }, { id: 'b' }], routing: { primary: 'a', failover: 'automatic' } });
  assert.equal(v(targets, [], two), 'choose at least one');
  assert.match(v(targets, ['a'], two) ?? '', /"a" is not one of: b/, 'the primary is not a failover target');
});

test('typed answers are parsed the way operators type them', () => {
  const num = q('usage', 'averageRpm');
  assert.deepEqual(parseTyped(num, '1,200'), { value: 1200 });
  assert.deepEqual(parseTyped(num, '$5'), { value: 5 });
  assert.deepEqual(parseTyped(num, '  '), { value: undefined });
  assert.deepEqual(parseTyped(num, 'lots'), { problem: 'expected a number' });
  assert.deepEqual(parseTyped(q('tenants', 'useCases'), 'qa, triage,,'), { value: ['qa', 'triage'] });
  assert.deepEqual(parseTyped(q('routing', 'onStatus'), '429 500,502'), { value: [429, 500, 502] });
});

const provider = (limits: Provider['limits']): Provider => ({ id: 'openai-main', vendor: 'openai', model: 'gpt-4o', limits });

test('peak against a provider limit: 60% is headroom, above needs burst handling or a second provider, above 100% more', () => {
  assert.equal(providerPeakNote(720, provider({ rpm: 1200 }), undefined), "peak is 60% of openai-main's rpm limit (1,200 rpm): within the 60% headroom");
  assert.equal(
    providerPeakNote(1000, provider({ rpm: 1200 }), undefined),
    "peak is 83.3% of openai-main's rpm limit (1,200 rpm): above 60% you need burst handling or a second provider",
  );
  assert.match(providerPeakNote(1200, provider({ rpm: 1200 }), undefined) ?? '', /100% .*above 60% you need burst handling/);
  assert.match(providerPeakNote(1201, provider({ rpm: 1200 }), undefined) ?? '', /over the limit, so it cannot hold the peak alone/);
  assert.equal(
    providerPeakNote(1000, provider({ rpm: 10000, tpm: 2_000_000 }), 2200),
    "peak is 110% of openai-main's tpm limit (2,000,000 tpm): over the limit, so it cannot hold the peak alone; raise the limit, or fail over automatically on 429 to providers whose limits together cover the peak",
  );
  assert.match(providerPeakNote(1000, provider(undefined), 2200) ?? '', /no rate limit stated/);
  assert.equal(providerPeakNote(undefined, provider({ rpm: 1 }), 1), undefined);
});

test('frameworks: the retention each requires, and PCI DSS fields', () => {
  assert.deepEqual(frameworkNotes(['hipaa']), ['HIPAA: keep audit records 6 years (2192 days; 45 CFR 164.316(b)(2)(i))']);
  assert.deepEqual(frameworkNotes(['gdpr', 'nist-800-53']), ['GDPR: no minimum retention', 'NIST SP 800-53: retention is organisation-defined (NIST 800-53 AU-11)']);
  const pci = frameworkNotes(['pci-dss', 'sox']);
  assert.equal(pci[0], 'PCI DSS: keep audit records 12 months (365 days; PCI DSS v4.0.1 10.5.1)');
  assert.match(pci[2], /^every audit record also needs actor_id .*event_type .*outcome .*origin/);
  assert.equal(pci[3], 'the longest is SOX: 2557 days is where the retention question will start');
  assert.deepEqual(requiredFieldNames({ operator: { frameworks: ['pci-dss'] } }).slice(-4), ['actor_id', 'event_type', 'outcome', 'origin']);
  assert.equal(requiredFieldNames({}).length, 11);
});

test('a tenant projection: budget alert day and running out', () => {
  const draft: Draft = {
    usage: { averageRpm: 1, peakRpm: 1, inputTokens: 1000, outputTokens: 0 },
    providers: [{ id: 'p', vendor: 'openai', model: 'm', inputPerMTok: 10, outputPerMTok: 0 }],
    tenants: [{ id: 't', team: 't', useCases: ['u'], dailyRequests: 1000, monthlyBudgetUsd: 300 }],
  };
  // $0.01 a request x 1000 a day = $10/day = $300/month: 100% of the budget, runs out on day 30
  assert.deepEqual(tenantNotes(draft, 0), ['t is projected at $300 a month, 100% of its $300 budget: the 70% alert fires on day 21 of an ordinary month']);
  draft.tenants![0].monthlyBudgetUsd = 299;
  assert.match(tenantNotes(draft, 0)[0], /100\.3% of its \$299 budget: it runs out on day 30/);
  draft.tenants![0].monthlyBudgetUsd = undefined;
  assert.deepEqual(tenantNotes(draft, 0), ['t has no monthly budget: nothing stops it spending the whole account']);
});

test('every number the questionnaire asks names the manifest field it lands in, and agrees with the schema on its bounds', () => {
  const numeric = QUESTIONNAIRE.flatMap((s) => s.questions.filter((x) => x.kind === 'number' || x.kind === 'integer').map((x) => ({ s: s.key, x })));
  assert.ok(numeric.length >= 19);
  for (const { s, x } of numeric) {
    const where = `${s}.${x.key}`;
    assert.ok(x.lands, `${where} names no manifest field`);
    const node = schemaNode(x.lands) as { type?: string; maximum?: number; minimum?: number; exclusiveMinimum?: number } | undefined;
    assert.ok(node, `${where}: ${x.lands} is not in the manifest schema`);
    assert.equal(node.type, x.kind, `${where}: the schema's type`);
    assert.equal(typeof node.maximum, 'number', `${where}: the schema bounds ${x.lands}`);
    // zero: allowed by the question exactly when the schema allows it
    assert.equal(Boolean(x.allowZero), node.minimum === 0, `${where}: zero allowed in the questionnaire and the schema alike`);
    // the bound itself passes, one step above it is refused with the schema's figure
    const max = node.maximum as number;
    assert.equal(v(x, max, ctx({ usage: { averageRpm: 1 } })), undefined, `${where} at its maximum`);
    assert.match(v(x, max + (x.kind === 'integer' ? 1 : max * 1e-6), ctx()) ?? '', /^must be at most [\d,.]+$/, `${where} above its maximum`);
  }
});

test('an answer above the schema\'s bound is refused where it is given, with the bound grouped', () => {
  assert.equal(v(q('usage', 'steadyP99Ms'), 3_600_001), 'must be at most 3,600,000');
  assert.equal(v(q('usage', 'steadyP99Ms'), 3_600_000), undefined);
  assert.equal(v(q('budgets', 'alertAtFraction'), 1.01), 'must be at most 1');
  assert.equal(v(q('providers', 'rpm'), 1e12 + 1), 'must be at most 1,000,000,000,000');
});

test('a list typed over an offered one: +x and -x change it, a plain list replaces it, a mix is refused', () => {
  const codes = q('routing', 'onStatus');
  const offered = [429, 500, 502, 503, 504];
  assert.deepEqual(parseTyped(codes, '500, 502', offered), { value: [500, 502] }, 'a plain list replaces');
  assert.deepEqual(parseTyped(codes, '+408', offered), { value: [429, 500, 502, 503, 504, 408] });
  assert.deepEqual(parseTyped(codes, '-504, +408', offered), { value: [429, 500, 502, 503, 408] });
  assert.deepEqual(parseTyped(codes, '-429', offered), { value: [500, 502, 503, 504] });
  assert.deepEqual(offered, [429, 500, 502, 503, 504], 'the offer itself is not changed');
  assert.match(parseTyped(codes, '+408, 500', offered).problem ?? '', /either change the offered list with \+x and -x only, or type a plain list to replace it/);
  assert.match(parseTyped(codes, '-418', offered).problem ?? '', /418 is not in the list \(429, 500, 502, 503, 504\), so it cannot be removed/);
  assert.match(parseTyped(codes, '+429', offered).problem ?? '', /429 is already in the list/);
  assert.match(parseTyped(codes, '+', offered).problem ?? '', /expected \+ or - and a status code/);
  assert.deepEqual(parseTyped(codes, '+408'), { value: [408] }, 'with nothing offered, +x starts from an empty list');
  const uses = q('tenants', 'useCases');
  assert.deepEqual(parseTyped(uses, '+triage, -qa', ['qa', 'batch']), { value: ['batch', 'triage'] });
  assert.deepEqual(parseTyped(uses, 'x-ray, re-run', ['qa']), { value: ['x-ray', 're-run'] }, 'a - inside a name is no removal');
});

test('failover statuses without 429 carry a warning; with it, none', () => {
  const codes = q('routing', 'onStatus');
  assert.match(codes.warn?.([500, 502] as never, ctx()) ?? '', /without 429 a rate-limited primary is never failed over: .*\(onStatus: 500, 502\)/);
  assert.equal(codes.warn?.([429] as never, ctx()), undefined);
  assert.match(without429Warning([]) ?? '', /onStatus: none/);
});

test('an unknown time zone gets the nearest IANA name: by the whole name, or by the city alone', () => {
  assert.equal(checkTimezone('Europe/London'), undefined);
  assert.equal(checkTimezone('UTC'), undefined);
  assert.match(checkTimezone('Europe/Londn') ?? '', /^unknown time zone "Europe\/Londn": did you mean "Europe\/London"\?/);
  assert.match(checkTimezone('America/NewYork') ?? '', /did you mean "America\/New_York"\?/);
  assert.match(checkTimezone('Berlin') ?? '', /did you mean "Europe\/Berlin"\?/);
  assert.match(checkTimezone('new york') ?? '', /did you mean "America\/New_York"\?/);
  assert.match(checkTimezone('Asia/Tokio') ?? '', /did you mean "Asia\/Tokyo"\?/);
  assert.equal(checkTimezone('Mars/Olympus'), 'unknown time zone "Mars/Olympus": use an IANA name such as America/New_York or Europe/London', 'nothing near: no guess');
});

test('an unknown vendor (or any choice) gets the nearest value, or the one choice it begins', () => {
  const vendor = q('providers', 'vendor');
  assert.equal(v(vendor, 'openai'), undefined);
  assert.match(v(vendor, 'opena') ?? '', /^did you mean "openai"\? expected one of: openai, azure-openai, anthropic/);
  assert.match(v(vendor, 'antropic') ?? '', /^did you mean "anthropic"\?/);
  assert.match(v(vendor, 'azure') ?? '', /^did you mean "azure-openai"\?/, 'the one value it begins');
  assert.match(v(vendor, 'google') ?? '', /^did you mean "google-vertex"\?/, 'or the one name it begins (Google Vertex AI)');
  assert.match(v(vendor, 'llama') ?? '', /^expected one of:/, 'nothing near: no guess');
  const choices = [{ value: 'aws-bedrock', name: 'AWS Bedrock' }, { value: 'aws-other', name: 'AWS other' }];
  assert.equal(suggestChoice('aws', choices), undefined, 'two choices begin with it: no guess');
  assert.equal(suggestChoice('a', [{ value: 'anthropic', name: 'Anthropic' }]), undefined, 'one letter is no guess');
});

test('what a prompt shows of what is typed: a credential, even a beginning of one, is hidden, column by column', () => {
  assert.equal(shown('OPENAI_API_KEY'), 'OPENAI_API_KEY');
  assert.equal(shown('Asia/Tokyo'), 'Asia/Tokyo', 'a time zone is no AWS key id');
  assert.equal(shown('desk-agent'), 'desk-agent');
  assert.equal(shown('sk-'), '[hidden: looks like a credential]', 'hidden from the prefix on, before a key is long enough to match');
  assert.equal(shown('openai | gpt-4o | sk-proj-abc'), 'openai | gpt-4o | [hidden: looks like a credential]');
  assert.equal(shown('Bearer abcd'), '[hidden: looks like a credential]');
  assert.equal(looksLikeCredential('AKIA'), false, 'four capitals are not yet a key');
  assert.equal(looksLikeCredential('AKIAI'), true);
  assert.equal(withoutCredentials('openai | gpt-4o | 1 | 2 | 3 | 4 | sk-proj-abcdefghijklmnopqrstuvwx'), 'openai | gpt-4o | 1 | 2 | 3 | 4 | ');
});
