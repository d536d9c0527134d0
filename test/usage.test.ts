import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { createRequire } from 'node:module';
import { readUsage } from '../src/usage/read.js';
import type { UsageProfile } from '../src/usage/types.js';
import { ROOT, runInProcess } from './helpers/cli.js';
import { INCIDENT, INCIDENT_MANIFEST, incidentRecords, toCsv, toJsonl, toLiteLLMCsv, toLiteLLMJson } from './helpers/usage-log.js';

const require = createRequire(import.meta.url);
const Ajv2020 = require('ajv/dist/2020.js').default;
const addFormats = require('ajv-formats').default ?? require('ajv-formats');
const ajv = new Ajv2020({ strict: true, allErrors: true });
addFormats(ajv);
const validate = ajv.compile(JSON.parse(readFileSync(path.join(ROOT, 'schemas', 'usage.schema.json'), 'utf8')));
const validateReport = new Ajv2020({ strict: false }).compile(JSON.parse(readFileSync(path.join(ROOT, 'schemas', 'report.schema.json'), 'utf8')));

let dir: string;
before(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'readiness-usage-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

const write = (name: string, content: string | Buffer) => {
  const f = path.join(dir, name);
  writeFileSync(f, content);
  return f;
};
const line = (o: Record<string, unknown>) => JSON.stringify({ tenant: 't', use_case: 'u', model: 'gpt-4o', input_tokens: 10, output_tokens: 5, status: 200, ...o });
const profileOf = async (name: string, content: string, tz = 'UTC', extra: Partial<Parameters<typeof readUsage>[1]> = {}) => {
  const f = write(name, content);
  const skipped: string[] = [];
  const r = await readUsage([f], { cwd: dir, timezone: tz, onSkip: (s) => skipped.push(`${s.line}: ${s.reason}`), ...extra });
  assert.ok(validate(r.profile), JSON.stringify(validate.errors));
  return { p: r.profile, skipped };
};

describe('usage: hand-computed fixtures', () => {
  test('a tie between two minutes: the earliest minute wins, whatever the file order', async () => {
    const { p } = await profileOf(
      'tie.jsonl',
      [
        line({ timestamp: '2026-11-02T10:00:01Z' }),
        line({ timestamp: '2026-11-02T10:00:59Z' }),
        line({ timestamp: '2026-11-02T09:30:00Z' }),
        line({ timestamp: '2026-11-02T09:30:30Z' }),
        line({ timestamp: '2026-11-02T12:00:00Z' }),
      ].join('\n'),
    );
    assert.deepEqual(p.peakRpm, { value: 2, at: '2026-11-02T09:30:00Z' });
    assert.deepEqual(p.peakTpm, { value: 30, at: '2026-11-02T09:30:00Z' });
    assert.equal(p.requests, 5);
    assert.equal(p.span.days, 1);
    assert.equal(p.averageRpm, Number((5 / 1440).toFixed(6)));
    assert.equal(p.peakToAverage, Number((2 / (5 / 1440)).toFixed(6)));
    // hours 9 and 10 carry 2 each, hour 12 one (= half of the peak hour, but not next to it)
    assert.equal(p.peakHourLocal, 9);
    assert.equal(p.peakWindow, '09:00-11:00');
    assert.equal(p.tenants[0].peakRpm, 2);
  });

  test('DST in the operator time zone: spring forward makes a 23-hour day, fall back a 25-hour one', async () => {
    // Europe/Berlin: 2026-03-29 01:00Z local 02:00 CET -> 03:00 CEST
    const spring = await profileOf('spring.jsonl', [line({ timestamp: '2026-03-29T00:30:00Z' }), line({ timestamp: '2026-03-29T01:30:00Z' })].join('\n'), 'Europe/Berlin');
    assert.equal(spring.p.hourly[1], 1); // 01:30 CET
    assert.equal(spring.p.hourly[2], 0); // 02:xx does not exist that day
    assert.equal(spring.p.hourly[3], 1); // 03:30 CEST
    assert.equal(spring.p.peakDay.date, '2026-03-29');
    assert.equal(spring.p.peakDay.from, '2026-03-28T23:00:00.000Z');
    assert.equal(spring.p.peakDay.minutes.length, 23 * 60);
    assert.equal(spring.p.peakDay.minutes[90], 1); // 00:30Z is 90 minutes after local midnight (23:00Z)
    assert.equal(spring.p.peakDay.minutes[150], 1);
    // 2026-10-25 01:00Z: 03:00 CEST -> 02:00 CET; 00:30Z and 01:30Z are both 02:30 local
    const fall = await profileOf('fall.jsonl', [line({ timestamp: '2026-10-25T00:30:00Z' }), line({ timestamp: '2026-10-25T01:30:00Z' })].join('\n'), 'Europe/Berlin');
    assert.equal(fall.p.hourly[2], 2);
    assert.equal(fall.p.peakDay.minutes.length, 25 * 60);
    assert.equal(fall.p.peakDay.from, '2026-10-24T22:00:00.000Z');
    assert.equal(fall.p.span.days, 1);
  });

  test('records either side of local midnight fall on two local days (one UTC day)', async () => {
    const content = [line({ timestamp: '2026-11-03T04:59:00Z' }), line({ timestamp: '2026-11-03T05:00:00Z' })].join('\n');
    const ny = await profileOf('midnight.jsonl', content, 'America/New_York');
    assert.deepEqual([ny.p.span.firstDay, ny.p.span.lastDay, ny.p.span.days], ['2026-11-02', '2026-11-03', 2]);
    assert.equal(ny.p.averageRpm, Number((2 / (2 * 1440)).toFixed(6)));
    assert.equal(ny.p.hourly[23], 1);
    assert.equal(ny.p.hourly[0], 1);
    assert.equal(ny.p.tenants[0].dailyRequests, 1);
    const utc = await profileOf('midnight-utc.jsonl', content, 'UTC');
    assert.equal(utc.p.span.days, 1);
    assert.equal(utc.p.tenants[0].dailyRequests, 2);
  });

  test('untagged: an empty, a null and a missing tenant', async () => {
    const { p } = await profileOf(
      'untagged.jsonl',
      [line({ timestamp: 1793613600000 }), line({ timestamp: 1793613600000, tenant: '' }), line({ timestamp: 1793613600000, tenant: null }), JSON.stringify({ timestamp: '1793613600000', input_tokens: 1, output_tokens: 1 })].join('\n'),
    );
    assert.equal(p.requests, 4);
    assert.equal(p.untagged, 3);
    assert.equal(p.untaggedShare, 0.75);
    assert.deepEqual(p.tenants.map((t) => [t.id, t.requests, t.share]), [['t', 1, 0.25]]);
  });

  test('each kind of malformed line is skipped with its reason and line number; --strict makes it fatal', async () => {
    const lines = [
      line({ timestamp: '2026-11-02T10:00:00Z' }),
      '{not json',
      '[1,2]',
      line({}),
      line({ timestamp: 'yesterday' }),
      line({ timestamp: '2026-11-02T10:00:00' }),
      line({ timestamp: '2026-11-02T10:00:00Z', input_tokens: -3 }),
      line({ timestamp: '2026-11-02T10:00:00Z', output_tokens: 1.5 }),
      line({ timestamp: '2026-11-02T10:00:00Z', input_tokens: 'ten' }),
      '',
      line({ timestamp: '2026-11-02T10:00:00Z', cost_usd: -1 }),
    ];
    const { p, skipped } = await profileOf('bad-lines.jsonl', lines.join('\n'));
    assert.equal(p.requests, 1);
    assert.equal(p.skipped, 9);
    assert.deepEqual(skipped, [
      '2: not valid JSON',
      '3: not a JSON object',
      '4: no timestamp',
      '5: timestamp "yesterday" is not RFC 3339 with an offset (or epoch milliseconds)',
      '6: timestamp "2026-11-02T10:00:00" is not RFC 3339 with an offset (or epoch milliseconds)',
      '7: input_tokens -3 is negative',
      '8: output_tokens 1.5 is not an integer',
      '9: input_tokens "ten" is not an integer',
      '11: cost_usd -1 is not a non-negative number',
    ]);
    const r = await runInProcess(['usage', path.join(dir, 'bad-lines.jsonl'), '--strict']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /bad-lines\.jsonl:2:1: not valid JSON \(--strict/);
    assert.doesNotMatch(r.stderr, /at .*\.js:\d+/);
  });

  test('more than 20 skipped lines: the first 20 named, then a count', async () => {
    const f = write('many-bad.jsonl', [line({ timestamp: '2026-11-02T10:00:00Z' }), ...Array.from({ length: 25 }, () => 'x')].join('\n'));
    const r = await runInProcess(['usage', f]);
    assert.equal(r.code, 0);
    assert.equal(r.stderr.split('\n').filter((l) => /:\d+: skipped: not valid JSON$/.test(l)).length, 20);
    assert.match(r.stderr, /5 more line\(s\) skipped \(25 in all/);
  });

  test('a LiteLLM export with $0 spend is priced from the manifest, and says so', async () => {
    const csv = [
      'request_id,call_type,api_key,spend,total_tokens,prompt_tokens,completion_tokens,startTime,endTime,model,model_group,metadata,request_tags,team_id',
      'r1,acompletion,k,0.0,3000,2000,1000,2026-11-02 10:00:00.123,2026-11-02 10:00:01.000,gpt-4o-2024-08-06,gpt-4o,"{""user_api_key_team_id"": ""t1""}","[""a""]",t1',
      'r2,acompletion,k,0.5,30,20,10,2026-11-02 10:01:00.000,2026-11-02 10:01:01.000,gpt-4o-2024-08-06,gpt-4o,{},[],t1',
      'r3,acompletion,k,0,100,100,0,2026-11-02 10:02:00.000,2026-11-02 10:02:01.000,mystery,mystery,{},[],',
    ].join('\n');
    const { p } = await profileOf('spend.csv', csv, 'UTC', { prices: new Map([['gpt-4o', { inputPerMTok: 2.5, outputPerMTok: 10 }]]) });
    assert.equal(p.files[0].format, 'litellm-spend-logs');
    // r1: 2000 x 2.5/M + 1000 x 10/M = 0.005 + 0.01; r2 from the log; r3 has no price: unpriced
    assert.deepEqual(p.cost, { fromLog: 1, fromManifest: 1, unpriced: 1, zeroSpendPriced: 1 });
    assert.equal(p.costUsd, 0.515);
    assert.equal(p.untagged, 1);
    assert.equal(p.tenants[0].costUsd, 0.515);
    assert.equal(p.tenants[0].costShare, 1);
    assert.equal(p.peakRpm.at, '2026-11-02T10:00:00Z');
    const m = write('priced.yaml', INCIDENT_MANIFEST);
    const r = await runInProcess(['usage', path.join(dir, 'spend.csv'), '--manifest', m]);
    assert.equal(r.code, 0, r.stderr);
    // with the manifest, a model it does not list is priced at the primary's prices
    assert.match(r.stdout, /2 requests priced from the manifest, 2 of them logged at \$0/);
  });

  test('gzip is read by its magic bytes; --input-format forces a reader', async () => {
    const content = [line({ timestamp: '2026-11-02T10:00:00Z' }), line({ timestamp: '2026-11-02T10:00:30Z' })].join('\n');
    const f = write('log.data', gzipSync(content));
    const r = await readUsage([f], { cwd: dir, timezone: 'UTC' });
    assert.equal(r.profile.requests, 2);
    await assert.rejects(readUsage([f], { cwd: dir, timezone: 'UTC', format: 'csv' }), /CSV header lacks the columns timestamp/);
  });
});

describe('usage: bad input is a clear error, exit 2, no stack trace', () => {
  const cases: Array<[string, () => string, RegExp]> = [
    ['an empty file', () => write('empty.jsonl', ''), /empty\.jsonl:1:1: empty file: no records/],
    ['only blank lines', () => write('blank.jsonl', '\n\n  \n'), /blank\.jsonl:1:1: empty file \(only blank lines\)/],
    ['a binary file', () => write('bin.jsonl', Buffer.from([0x7b, 0x0a, 0x00, 0x01, 0x02])), /bin\.jsonl:2:1: binary content/],
    // read as CSV (it starts with neither { nor [): its header line is over the 16 MiB cap (a long JSON line is a skipped line: usage-bounds.test.ts)
    ['a 100 MB line', () => write('huge.jsonl', Buffer.alloc(100 * 1024 * 1024, 0x61)), /huge\.jsonl:1:1: the CSV header is a line of 104857600 bytes, over the 16777216-byte limit for one record/],
    ['a CSV with missing columns', () => write('cols.csv', 'timestamp,tenant,model\n2026-11-02T10:00:00Z,a,b\n'), /cols\.csv:1:1: CSV header lacks the columns use_case, input_tokens, output_tokens, status/],
    ['a directory', () => {
      const d = path.join(dir, 'logs');
      mkdirSync(d, { recursive: true });
      return d;
    }, /logs:1:1: is a directory/],
    ['a missing file', () => path.join(dir, 'nope.jsonl'), /nope\.jsonl:1:1: no such file/],
    ['no valid record', () => write('none.jsonl', '{x\n{y\n'), /no valid records \(2 lines skipped/],
    ['a truncated JSON array', () => write('trunc.json', '[{"startTime": "2026-11-02T10:00:00", "spend": 0'), /trunc\.json:1:1: the JSON array is not closed/],
  ];
  for (const [name, make, expected] of cases) {
    test(name, async () => {
      const r = await runInProcess(['usage', make()]);
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, expected);
      assert.doesNotMatch(r.stderr, /internal error|\n\s+at /);
      assert.equal(r.stdout, '');
    });
  }
  test('an unknown time zone', async () => {
    const r = await runInProcess(['usage', write('ok.jsonl', line({ timestamp: 1 })), '--tz', 'Mars/Olympus']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /unknown time zone "Mars\/Olympus"/);
  });
});

describe('usage: a two-week log reproducing the incidents, in every format', () => {
  const records = incidentRecords();
  const files: Record<string, string> = {};
  let manifest: string;
  before(() => {
    files.jsonl = write('incident.jsonl', toJsonl(records));
    files.csv = write('incident.csv', toCsv(records));
    files.litellmCsv = write('incident-spendlogs.csv', toLiteLLMCsv(records));
    files.litellmJson = write('incident-spendlogs.json', toLiteLLMJson(records));
    manifest = write('incident.yaml', INCIDENT_MANIFEST);
  });

  test('identical measured figures from JSONL, CSV, LiteLLM psql CSV and LiteLLM /spend/logs JSON', async () => {
    const profiles: UsageProfile[] = [];
    for (const [kind, f] of Object.entries(files)) {
      const r = await runInProcess(['usage', f, '--manifest', manifest, '--json']);
      assert.equal(r.code, 0, `${kind}: ${r.stderr}`);
      assert.equal(r.stderr, '');
      const p = JSON.parse(r.stdout) as UsageProfile;
      assert.ok(validate(p), JSON.stringify(validate.errors));
      profiles.push(p);
    }
    assert.deepEqual(profiles.map((p) => p.files[0].format), ['jsonl', 'csv', 'litellm-spend-logs', 'litellm-spend-logs']);
    const strip = ({ files: _f, ...rest }: UsageProfile) => rest;
    for (const p of profiles.slice(1)) assert.deepEqual(strip(p), strip(profiles[0]));
    const p = profiles[0];
    // by hand: 14 days x (22 h x 60 x 2 + 2 h x 60 x 8) interactive; 14 x 60 x 4 nightly + 2 Saturdays x 6 h x 60 x 4 batch
    assert.equal(INCIDENT.interactiveRequests, 14 * (22 * 60 * 2 + 2 * 60 * 8));
    assert.equal(INCIDENT.batchRequests, 14 * 60 * 4 + 2 * 6 * 60 * 4);
    assert.equal(p.requests, INCIDENT.interactiveRequests + INCIDENT.batchRequests);
    assert.equal(p.untagged, INCIDENT.interactiveRequests / 100);
    assert.equal(p.timezone, 'America/New_York');
    assert.deepEqual([p.span.firstDay, p.span.lastDay, p.span.days], ['2026-11-02', '2026-11-15', 14]);
    assert.equal(p.averageRpm, Number((56640 / (14 * 1440)).toFixed(6)));
    // 8 a minute from 17:00 local (22:00Z) on the first day; 2 x 700 + 4 x 12,000 tokens at 23:00 local (04:00Z)
    assert.deepEqual(p.peakRpm, { value: 8, at: '2026-11-02T22:00:00Z' });
    assert.deepEqual(p.peakTpm, { value: 49_400, at: '2026-11-03T04:00:00Z' });
    assert.equal(p.peakHourLocal, 17);
    assert.equal(p.peakWindow, '17:00-19:00');
    assert.deepEqual(p.tokensPerRequest, {
      input: Number(((50400 * 500 + 6240 * 9000) / 56640).toFixed(6)),
      output: Number(((50400 * 200 + 6240 * 3000) / 56640).toFixed(6)),
    });
    assert.equal(p.costUsd, Number((50400 * 0.00325 + 6240 * 0.0525).toFixed(6)));
    const batch = p.tenants.find((t) => t.id === 'batch');
    assert.ok(batch);
    assert.equal(batch.costShare, Number((327.6 / 491.4).toFixed(6)));
    assert.equal(batch.offHoursShare, 1);
    assert.equal(batch.pattern, 'off-hours batch');
    assert.equal(batch.dailySpendUsd, 23.4);
    assert.equal(batch.monthlyProjectionUsd, 702);
    assert.equal(batch.peakRpm, 4);
    assert.deepEqual(p.tenants.map((t) => [t.id, t.requests, t.declared]), [['support', 25200, 'support'], ['sales', 24696, 'sales'], ['batch', 6240, 'batch']]);
    assert.equal(p.tenants.find((t) => t.id === 'support')?.pattern, null);
  });

  test('check --usage turns the declared passes into fails, in every format, naming the evidence', async () => {
    const declared = await runInProcess(['check', manifest, '--format', 'json']);
    const status = (json: string) => Object.fromEntries((JSON.parse(json).checks as Array<{ id: string; status: string }>).map((c) => [c.id, c.status]));
    const before = status(declared.stdout);
    assert.deepEqual([before['rate-limit-sizing'], before['cost-attribution'], before['budget-ceilings']], ['pass', 'pass', 'pass']);
    for (const [kind, f] of Object.entries(files)) {
      const r = await runInProcess(['check', manifest, '--format', 'json', '--usage', f]);
      assert.equal(r.code, 1, `${kind}: ${r.stderr}`);
      const report = JSON.parse(r.stdout) as { checks: Array<{ id: string; status: string; findings: Array<{ status: string; message: string; decidedBy?: { kind: string; file?: string; span?: { days?: number } } }> }> };
      assert.ok(validateReport(report), JSON.stringify(validateReport.errors));
      const after = status(r.stdout);
      assert.deepEqual([after['rate-limit-sizing'], after['cost-attribution'], after['budget-ceilings']], ['fail', 'fail', 'fail'], kind);
      const msgs = (id: string) => report.checks.find((c) => c.id === id)?.findings.filter((x) => x.status !== 'pass') ?? [];
      const rl = msgs('rate-limit-sizing');
      assert.ok(rl.some((x) => /peak 8 rpm uses 80% of openai-main's rpm limit .*peak 8 rpm measured \(declared 4 rpm\)/.test(x.message)), rl.map((x) => x.message).join('\n'));
      assert.ok(rl.some((x) => /measured peak 8 rpm, busiest minute 2026-11-02T22:00:00Z is 100% above the declared 4 rpm/.test(x.message)));
      assert.ok(rl.every((x) => x.decidedBy?.kind === 'usage' && x.decidedBy.file === f && x.decidedBy.span?.days === 14));
      const ca = msgs('cost-attribution');
      assert.match(ca[0].message, /^504 requests \(0\.9%\) in the log carry no tenant, though onMissing is reject/);
      const bc = msgs('budget-ceilings');
      assert.ok(bc.some((x) => x.status === 'fail' && /tenant batch is projected over budget from its measured spend: measured \$23\.40\/day x 30 = \$702\/month, 234% of its \$300 budget/.test(x.message)));
      assert.ok(bc.some((x) => x.status === 'warn' && /tenant batch is an off-hours batch: 100% of its requests fall outside business hours .* and it carries 66\.7% of the cost/.test(x.message)));
    }
  });

  test('the text report shows the measured profile; the HTML report its section', async () => {
    const r = await runInProcess(['check', manifest, '--usage', files.jsonl]);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /Measured usage: .*incident\.jsonl \(jsonl: 56,640 records\)/);
    assert.match(r.stdout, /peak {12}8 rpm at 2026-11-02T22:00:00Z .*; declared 4 rpm; primary limit 10 rpm/);
    assert.match(r.stdout, /Peak day 2026-11-02/);
    assert.match(r.stdout, /batch .* off-hours 100%, peak 4 rpm, off-hours batch/);
    // the same profile when the text report goes to a file
    const txt = path.join(dir, 'review.txt');
    const tf = await runInProcess(['check', manifest, '--format', `text=${txt}`, '--usage', files.jsonl]);
    assert.equal(tf.code, 1);
    assert.match(readFileSync(txt, 'utf8'), /Measured usage: .*incident\.jsonl[\s\S]*Peak day 2026-11-02/);
    const html = path.join(dir, 'review.html');
    const h = await runInProcess(['check', manifest, '--usage', files.jsonl, '--format', `html=${html}`]);
    assert.equal(h.code, 1);
    const page = readFileSync(html, 'utf8');
    assert.match(page, /<section id="usage"/);
    assert.match(page, /Peak day 2026-11-02: requests per minute/);
    assert.match(page, /limit 10 rpm/);
  });

  test('a tenant in the log but not in the manifest is a finding', async () => {
    const f = write('stranger.jsonl', [line({ timestamp: '2026-11-02T10:00:00Z', tenant: 'support' }), line({ timestamp: '2026-11-02T10:00:00Z', tenant: 'ghost', cost_usd: 1 })].join('\n'));
    const r = await runInProcess(['check', manifest, '--format', 'json', '--usage', f]);
    const bc = (JSON.parse(r.stdout).checks as Array<{ id: string; findings: Array<{ status: string; message: string }> }>).find((c) => c.id === 'budget-ceilings');
    assert.ok(bc?.findings.some((x) => x.status === 'fail' && /^tenant ghost is in the usage log \(1 requests\/day, \$1\.00\/day, .*\) but not in the manifest/.test(x.message)));
  });
});
