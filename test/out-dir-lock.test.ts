// The out-dir's lock names its writer by pid and start time: a pid reused by another process (the
// writer died, the pid was handed out again) does not keep the lock, a live writer does.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { LOCK_NAME, parseLock, processStartTime, startTimeFromStat, writeAllAtomic } from '../src/util/atomic.js';

const dirs: string[] = [];
const tmp = () => {
  const d = mkdtempSync(path.join(tmpdir(), 'readiness-lock-'));
  dirs.push(d);
  return d;
};
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const FILES = [{ path: 'a.yml', content: 'a\n' }];
const linux = existsSync('/proc/self/stat');

describe('the out-dir lock', () => {
  test('field 22 of /proc/PID/stat, counted after the last ")" of a name that holds spaces and parentheses', () => {
    const rest = ['S', ...Array.from({ length: 18 }, (_, i) => String(i + 4)), '987654', '23', '24'].join(' ');
    assert.equal(startTimeFromStat(`4242 (node) ${rest}\n`), '987654');
    assert.equal(startTimeFromStat(`4242 (a b) (c) ) ${rest}\n`), '987654');
    assert.equal(startTimeFromStat('4242 (short) S 1 2'), undefined);
    assert.equal(startTimeFromStat('garbage'), undefined);
  });

  test('a lock file names "PID" or "PID START"; anything else names no owner', () => {
    assert.deepEqual(parseLock('123\n'), { pid: 123 });
    assert.deepEqual(parseLock('123 456789\n'), { pid: 123, start: '456789' });
    for (const bad of ['', '0\n', '-1\n', 'abc\n', '12x\n', '1e3\n']) assert.equal(parseLock(bad), undefined, JSON.stringify(bad));
  });

  test('a writer records its pid and start time in the lock while it writes', async (t) => {
    if (!linux) return t.skip('no /proc');
    const dir = tmp();
    let seen = '';
    await writeAllAtomic(dir, FILES, {
      writeStaged: async (file, content) => {
        seen = readFileSync(path.join(dir, LOCK_NAME), 'utf8');
        writeFileSync(file, content);
      },
    });
    assert.equal(seen, `${process.pid} ${await processStartTime(process.pid)}\n`);
    assert.equal(existsSync(path.join(dir, LOCK_NAME)), false);
  });

  test('a lock naming a live pid that started at another time is stale: taken over, the set written', async (t) => {
    if (!linux) return t.skip('no /proc');
    const live = process.ppid;
    const start = await processStartTime(live);
    assert.ok(start, `the start time of the parent ${live}`);
    const dir = tmp();
    writeFileSync(path.join(dir, LOCK_NAME), `${live} ${BigInt(start) + 1n}\n`);
    assert.deepEqual(await writeAllAtomic(dir, FILES), [path.join(dir, 'a.yml')]);
    assert.equal(readFileSync(path.join(dir, 'a.yml'), 'utf8'), 'a\n');
    assert.equal(existsSync(path.join(dir, LOCK_NAME)), false);
  });

  test('a lock naming a live pid with its own start time, or a pid alone, refuses the writer and names the pid', async (t) => {
    const live = process.ppid;
    const start = await processStartTime(live);
    const contents = [`${live}\n`, ...(start ? [`${live} ${start}\n`] : linux ? assert.fail('no start time on Linux') : [])];
    for (const content of contents) {
      const dir = tmp();
      writeFileSync(path.join(dir, LOCK_NAME), content);
      await assert.rejects(writeAllAtomic(dir, FILES), new RegExp(`being written by another readiness run \\(pid ${live};`), content);
      assert.equal(existsSync(path.join(dir, 'a.yml')), false);
      assert.equal(readFileSync(path.join(dir, LOCK_NAME), 'utf8'), content, 'the live writer keeps its lock');
    }
  });
});
