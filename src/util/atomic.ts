import { randomBytes } from 'node:crypto';
import { closeSync, fsync, linkSync, lstatSync, openSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import path from 'node:path';
import { UsageError } from './errors.js';
import { ensureDir, outputError, refuseInputs, writeOutput } from './output.js';

/**
 * Writes a file atomically (temp file in the same folder, fsync, rename): a reader sees the old
 * file or the new one, never half of either. A link at the target is replaced, never followed; a
 * device, FIFO or folder is refused (see ./output.ts, the one output-writing helper).
 */
export async function writeAtomic(file: string, content: string | Buffer, shownAs: string = file, inputs?: ReadonlyArray<string>): Promise<void> {
  await writeOutput(file, content, { shownAs, inputs });
}

/** A failed write the user can fix (a missing folder, no permission, a full disk): exit 2 with the reason, never a stack trace. */
export function writeError(file: string, err: unknown): unknown {
  return outputError(file, err);
}

export interface WriteAllOptions {
  /** writes one staged file durably; injectable so tests can make it fail (ENOSPC, EACCES) mid-way */
  writeStaged?: (file: string, content: string) => Promise<void>;
  /** files the run reads (the manifest, waivers files): a generated file over one of them is refused before anything is written */
  inputs?: ReadonlyArray<string>;
}

/**
 * Writes one staged file and fsyncs it. Only the fsync goes through libuv's thread pool: open and write of
 * a small new file return at once, and each trip through the pool costs a wake-up (on a busy 2-core machine
 * the trips of eleven files, one after the other, were most of a `generate` start's idle time, --cpu-prof).
 */
async function writeDurably(file: string, content: string): Promise<void> {
  const fd = openSync(file, 'wx', 0o644);
  try {
    writeFileSync(fd, content, 'utf8');
    await new Promise<void>((resolve, reject) => fsync(fd, (err) => (err ? reject(err) : resolve())));
  } finally {
    closeSync(fd);
  }
}

/**
 * Writes a set of files that belong together (the rules and their tests, a config and its teams) so
 * that a failure leaves the previous set intact: every file is first written in full to a temporary
 * name beside its target and fsynced (all at once); every target is checked to be replaceable (not a folder); only
 * then are they renamed into place, one quick rename each. A failure while staging (disk full,
 * permission denied, a folder that is a file) removes the staged files and changes nothing. Ctrl-C or
 * SIGTERM while staging removes the staged files before the process ends by that signal; during the
 * renames it waits for the last one. Returns the paths written.
 */
export async function writeAllAtomic(dir: string, files: ReadonlyArray<{ path: string; content: string }>, opts: WriteAllOptions = {}): Promise<string[]> {
  const writeStaged = opts.writeStaged ?? writeDurably;
  const suffix = `.readiness-${process.pid}-${randomBytes(4).toString('hex')}.tmp`;
  const staged: Array<{ temp: string; target: string }> = [];
  let renaming = false;
  let deferred: NodeJS.Signals | undefined;
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM'];
  const detach = () => {
    for (const sig of signals) process.off(sig, onSignal);
  };
  let lock: string | undefined;
  const removeStagedSync = () => {
    for (const s of staged) rmSync(s.temp, { force: true });
    if (lock) rmSync(lock, { force: true });
  };
  function onSignal(sig: NodeJS.Signals): void {
    if (renaming) {
      deferred = sig;
      return;
    }
    removeStagedSync();
    detach();
    // end as the signal would have ended the process (exit status 128 + n)
    process.kill(process.pid, sig);
  }
  for (const sig of signals) process.on(sig, onSignal);
  try {
    // one writer at a time per out-dir, so the set on disk is one manifest's, whole
    await ensureDir(dir);
    lock = acquireLock(dir);
    try {
      // the checks below are synchronous system calls: microseconds each, where an await is a trip through
      // the thread pool (the staged writes' fsyncs stay asynchronous, side by side)
      for (const f of files) {
        const target = path.join(dir, f.path);
        await refuseLinkedFolders(dir, f.path);
        await refuseInputs(target, target, opts.inputs ?? []);
        staged.push({ temp: `${target}${suffix}`, target });
      }
      await Promise.all([...new Set(staged.map((x) => path.dirname(x.target)))].map((d) => ensureDir(d)));
      // staged side by side: each file's fsync overlaps the others' (eight fsyncs one after the other
      // were a large part of a `generate` start); all settle before any error is thrown, so no write
      // is still under way when the staged files are removed
      const results = await Promise.allSettled(staged.map((x, i) => writeStaged(x.temp, files[i].content)));
      const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed) throw failed.reason;
      // a target that is a folder would fail its rename after others were renamed: refuse before any
      for (const s of staged) {
        const st = lstatSync(s.target, { throwIfNoEntry: false });
        if (st?.isDirectory()) throw Object.assign(new Error(`${s.target} is a folder`), { code: 'EISDIR', path: s.target });
        if (st && !st.isFile() && !st.isSymbolicLink()) throw new UsageError(`cannot write ${s.target}: it is not a regular file (a device, FIFO or socket); readiness replaces only regular files and links`);
      }
    } catch (err) {
      for (const s of staged) rmSync(s.temp, { force: true });
      throw err;
    }
    // a test hook: hold this writer between staging and renaming (tests of concurrent writers)
    const hold = Number(process.env.READINESS_TEST_HOLD_BEFORE_RENAME_MS);
    if (hold > 0) await sleep(Math.min(hold, 60_000));
    renaming = true;
    const written: string[] = [];
    try {
      for (const s of staged) {
        renameSync(s.temp, s.target);
        written.push(s.target);
      }
    } catch (err) {
      for (const s of staged) rmSync(s.temp, { force: true });
      throw err;
    }
    return written;
  } finally {
    if (lock) rmSync(lock, { force: true });
    detach();
    if (deferred) process.kill(process.pid, deferred);
  }
}

/** The lock file a writer holds in the out-dir while it writes a set: its pid and, on Linux, its start time. */
export const LOCK_NAME = '.readiness.lock';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * When the process `pid` started, in clock ticks since boot: field 22 (starttime) of /proc/PID/stat
 * (proc_pid_stat(5), https://man7.org/linux/man-pages/man5/proc_pid_stat.5.html). The second field,
 * the command name in parentheses, may itself hold spaces and parentheses, so the fields are counted
 * from the last ")". Undefined where there is no /proc (macOS, Windows) or the process is gone.
 */
export function processStartTime(pid: number): string | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  return startTimeFromStat(stat);
}

/** Field 22 (starttime) of a /proc/PID/stat line, counted from the last ")" (see processStartTime). */
export function startTimeFromStat(stat: string): string | undefined {
  const close = stat.lastIndexOf(')');
  if (close < 0) return undefined;
  // after the name: field 3 (state) is the first, so field 22 is the twentieth
  const start = stat.slice(close + 1).trim().split(/\s+/)[19];
  return start && /^\d+$/.test(start) ? start : undefined;
}

/** The owner a lock file names: its pid and, when recorded, its start time ("PID" or "PID START"). */
export function parseLock(text: string): { pid: number; start?: string } | undefined {
  const m = /^(\d+)(?:[ \t]+(\d+))?[ \t]*(?:\r?\n|$)/.exec(text);
  if (!m) return undefined;
  const pid = Number(m[1]);
  if (!Number.isSafeInteger(pid) || pid <= 0) return undefined;
  return m[2] ? { pid, start: m[2] } : { pid };
}

/**
 * True while the writer a lock names is still running. A pid can be reused after its writer died:
 * where the lock records the start time and the live process with that pid started at another time,
 * it is another process and the lock is stale. Without a recorded start time (a lock written where
 * there is no /proc) the pid alone decides.
 */
export function lockOwnerAlive(owner: { pid: number; start?: string }): boolean {
  if (!alive(owner.pid)) return false;
  if (owner.start === undefined) return true;
  const now = processStartTime(owner.pid);
  return now === undefined || now === owner.start;
}

/**
 * Takes the out-dir's lock (created exclusively, holding this pid and its start time). A lock whose
 * process is alive refuses this writer, naming that process; a lock left by a process that is gone
 * (killed with SIGKILL mid-write), or whose pid now belongs to a process that started at another
 * time, is taken over, so it never blocks the next writer.
 */
function acquireLock(dir: string): string {
  const lock = path.join(dir, LOCK_NAME);
  // the owner is written first and the lock made by link(), which fails if it exists: a reader never
  // sees a lock without its owner
  const mine = `${lock}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`;
  const start = processStartTime(process.pid);
  writeFileSync(mine, `${process.pid}${start ? ` ${start}` : ''}\n`, { mode: 0o644 });
  try {
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        linkSync(mine, lock);
        return lock;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
        let text = '';
        try {
          text = readFileSync(lock, 'utf8');
        } catch {
          // gone meanwhile: its owner finished
        }
        const owner = parseLock(text);
        if (owner && lockOwnerAlive(owner)) {
          throw new UsageError(`${dir} is being written by another readiness run (pid ${owner.pid}; lock ${lock}): run again when it has finished`);
        }
        // its owner is gone (a writer killed mid-write, its pid perhaps reused since): take it over
        rmSync(lock, { force: true });
      }
    }
  } finally {
    rmSync(mine, { force: true });
  }
  throw new UsageError(`cannot take the lock ${lock}: another writer keeps taking it; run again`);
}

/**
 * A folder inside the out-dir that is a symbolic link would carry generated files outside it:
 * refused, naming the link (a link at a file's own name is replaced instead, as any output).
 */
function refuseLinkedFolders(dir: string, rel: string): void {
  const parts = path.normalize(rel).split(path.sep).slice(0, -1);
  let at = dir;
  for (const p of parts) {
    at = path.join(at, p);
    const st = lstatSync(at, { throwIfNoEntry: false });
    if (!st) return;
    if (st.isSymbolicLink()) throw new UsageError(`cannot write into ${at}: it is a symbolic link to a folder; readiness writes generated files only inside the out-dir (remove the link)`);
  }
}
