// The operator time-zone table the build makes (dist/zones/operator-zones.json) gives the same offset
// expression as computing the zone at run time, and is used only when it was made by this Node's ICU and
// time-zone data.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import { buildZoneTable, builtZoneTable, computeOperatorZone, operatorZone, zoneTableKey, type ZoneTable } from '../src/alerts/zone.js';

/**
 * The algorithm before the table (formatToParts on each day), verbatim from commit 67fed88
 * src/alerts/plan.ts: the reference every path here must equal.
 */
function reference(name: string): { base: number; expr: string } {
  const fmt = new Intl.DateTimeFormat('en-US', { timeZone: name, timeZoneName: 'longOffset' });
  const at = (ms: number) => {
    const n = fmt.formatToParts(new Date(ms)).find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
    const m = /^GMT(?:([+-])(\d{1,2})(?::(\d{2}))?)?$/.exec(n);
    return !m || !m[1] ? 0 : (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 3600 + Number(m[3] ?? 0) * 60);
  };
  const start = Date.UTC(2025, 0, 1);
  const end = Date.UTC(2041, 0, 1);
  const base = at(start);
  const steps: string[] = [];
  let prev = base;
  for (let t = start + 86_400_000; t <= end; t += 86_400_000) {
    const o = at(t);
    if (o === prev) continue;
    let lo = t - 86_400_000;
    let hi = t;
    while (hi - lo > 60_000) {
      const mid = lo + Math.floor((hi - lo) / 120_000) * 60_000;
      if (at(mid) === prev) lo = mid;
      else hi = mid;
    }
    steps.push(`${o - prev} * (time() >= bool ${hi / 1000})`);
    prev = o;
  }
  return { base, expr: steps.length === 0 && base === 0 ? '0' : [String(base), ...steps].join(' + ') };
}

// daylight saving north and south, 30- and 45-minute offsets, a 30-minute DST step (Lord Howe), Ramadan
// suspensions (Casablanca), a 2-hour DST step (Troll), none at all (Kolkata), a zone that stopped (Sao Paulo)
const SAMPLE = ['America/New_York', 'America/Chicago', 'Europe/Berlin', 'Australia/Lord_Howe', 'Africa/Casablanca', 'Pacific/Chatham', 'Asia/Kathmandu', 'Asia/Kolkata', 'America/Sao_Paulo', 'Antarctica/Troll', 'Pacific/Kiritimati', 'America/St_Johns'];

describe('operator time zone', () => {
  test('the build made a table for this Node, holding every zone ICU lists', () => {
    const t = builtZoneTable();
    assert.ok(t, 'dist/zones/operator-zones.json missing or not for this Node: run npm run build');
    assert.deepEqual(Object.keys(t.zones).sort(), [...Intl.supportedValuesOf('timeZone')].sort());
  });

  test('table, run-time computation and the old algorithm agree on zones of every shape', () => {
    const t = builtZoneTable()!;
    for (const name of SAMPLE) {
      const ref = reference(name);
      const computed = computeOperatorZone(name);
      const tabled = operatorZone(name, t);
      assert.equal(computed.offsetExpr, ref.expr, `${name}: computed`);
      assert.equal(computed.baseOffsetSeconds, ref.base, `${name}: computed base`);
      assert.deepEqual(tabled, computed, `${name}: table`);
    }
  });

  test('an alias or another spelling is looked up by the zone ICU resolves it to, and keeps its own name', () => {
    const t = builtZoneTable()!;
    for (const name of ['US/Eastern', 'Asia/Calcutta', 'europe/berlin', 'Europe/Kiev', 'Etc/GMT+5']) {
      const z = operatorZone(name, t);
      assert.equal(z.name, name);
      assert.equal(z.offsetExpr, reference(name).expr, name);
    }
  });

  test('UTC, no zone and an unknown zone', () => {
    assert.deepEqual(operatorZone(undefined), { name: 'UTC', baseOffsetSeconds: 0, offsetExpr: '0' });
    assert.deepEqual(operatorZone('Etc/UTC'), { name: 'Etc/UTC', baseOffsetSeconds: 0, offsetExpr: '0' });
    const bad = operatorZone('Mars/Olympus_Mons');
    assert.equal(bad.offsetExpr, '0');
    assert.match(bad.note ?? '', /not a known IANA time zone/);
  });

  test('a table is used only when made by this ICU and time-zone data, for these years and this format', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'readiness-zones-'));
    try {
      // a table that says something else for Berlin: taken when its key is this Node's, ignored otherwise
      const marked: ZoneTable = { ...buildZoneTable(['Europe/Berlin']), exprs: ['3600 + 1 * (time() >= bool 1)'] };
      const write = (t: unknown) => {
        const f = path.join(dir, `${Math.random()}.json`);
        writeFileSync(f, JSON.stringify(t));
        return f;
      };
      assert.equal(operatorZone('Europe/Berlin', builtZoneTable(write(marked))).offsetExpr, '3600 + 1 * (time() >= bool 1)');
      const key = zoneTableKey();
      for (const other of [{ icu: `${key.icu}.1` }, { tz: '1999a' }, { format: key.format + 1 }, { years: [2025, 2041] }]) {
        const file = write({ ...marked, ...other });
        assert.equal(builtZoneTable(file), undefined, JSON.stringify(other));
        assert.equal(operatorZone('Europe/Berlin', builtZoneTable(file)).offsetExpr, reference('Europe/Berlin').expr);
      }
      assert.equal(builtZoneTable(path.join(dir, 'none.json')), undefined);
      const damaged = path.join(dir, 'damaged.json');
      writeFileSync(damaged, '{"format": 1, "icu"');
      assert.equal(builtZoneTable(damaged), undefined);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
