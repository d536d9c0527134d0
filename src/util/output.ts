import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { lstat, mkdir, open, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { UsageError } from './errors.js';

/**
 * The one way readiness writes a file a user named (a report, the probe JSON, init's manifest,
 * report.html) and the folders of generated files. What it promises (SECURITY.md):
 *
 * - the file is written whole or not at all: a temporary file beside it (created exclusively, so it
 *   cannot be a planted link), fsynced, then renamed over the target;
 * - a symbolic link at the target is replaced by the file, never followed (a committed
 *   `readiness.sarif -> ~/.bashrc` is not written through);
 * - anything that is not a regular file or a link (a device such as /dev/null, a FIFO, a socket, a
 *   folder) is refused, so running as root never turns a device node into a file;
 * - a target that is one of the run's inputs (the manifest, a waivers file) is refused;
 * - missing folders are created one level at a time (Node's recursive mkdir loops forever under
 *   /proc), and `""` is not a folder.
 */
export interface OutputOptions {
  /** the name shown in messages (the path as the user typed it) */
  shownAs?: string;
  /** files this run reads: writing over one of them is refused */
  inputs?: ReadonlyArray<string>;
}

export interface OutputFile {
  file: string;
  content: string | Buffer;
  shownAs?: string;
}

const WHY: Record<string, string> = {
  ENOENT: 'its folder does not exist',
  ENOTDIR: 'a part of its path is a file, not a folder',
  EEXIST: 'a part of its path is a file, not a folder',
  EISDIR: 'it is a folder',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  ENAMETOOLONG: 'its name is too long',
};

/** A failed write the user can fix: exit 2 with the reason, never a stack trace. */
export function outputError(file: string, err: unknown): unknown {
  if (err instanceof UsageError) return err;
  const code = (err as NodeJS.ErrnoException)?.code;
  return code && WHY[code] ? new UsageError(`cannot write ${file}: ${WHY[code]} (${code}); nothing was written`) : err;
}

/** Paths that mean "standard output" to users of Unix tools: written to stdout, never replaced. */
export function isStdoutPath(file: string): boolean {
  return ['/dev/stdout', '/dev/fd/1', '/proc/self/fd/1'].includes(path.normalize(file));
}

function kindOf(st: import('node:fs').Stats): string | undefined {
  if (st.isFile() || st.isSymbolicLink()) return undefined;
  if (st.isDirectory()) return 'a folder';
  if (st.isCharacterDevice() || st.isBlockDevice()) return 'a device';
  if (st.isFIFO()) return 'a FIFO (named pipe)';
  if (st.isSocket()) return 'a socket';
  return 'not a regular file';
}

/**
 * Creates `dir` and its missing parents one level at a time; refuses "" and a part that is not a
 * folder. Unlike `mkdir(dir, { recursive: true })` it ends on /proc/x (ENOENT) instead of looping.
 */
export async function ensureDir(dir: string, shownAs: string = dir): Promise<void> {
  if (dir === '') throw new UsageError('an output folder of "" is not a folder: give a path (use . for the current folder)');
  const abs = path.resolve(dir);
  const missing: string[] = [];
  let at = abs;
  for (;;) {
    const st = await stat(at).catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return undefined;
      throw outputError(shownAs, err);
    });
    if (st) {
      if (!st.isDirectory()) throw Object.assign(new UsageError(`cannot write ${shownAs}: a part of its path is a file, not a folder (ENOTDIR); nothing was written`), { code: 'ENOTDIR' });
      break;
    }
    missing.unshift(at);
    const up = path.dirname(at);
    if (up === at) break;
    at = up;
  }
  for (const d of missing) {
    try {
      await mkdir(d);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EEXIST' && (await stat(d).catch(() => undefined))?.isDirectory()) continue;
      throw new UsageError(`cannot create the folder ${d} for ${shownAs}: ${code && WHY[code] ? `${WHY[code]} (${code})` : String(err)}; nothing was written`);
    }
  }
}

/** Refuses a target that is one of the run's inputs: the same path, or the same file (dev and inode) by another name or link. */
export async function refuseInputs(file: string, shown: string, inputs: ReadonlyArray<string>): Promise<void> {
  if (inputs.length === 0) return;
  const target = await stat(file).catch(() => undefined);
  for (const input of inputs) {
    const same = path.resolve(input) === path.resolve(file) || (target && (await stat(input).then((s) => s.dev === target.dev && s.ino === target.ino, () => false)));
    if (same) throw new UsageError(`cannot write ${shown}: it is ${input}, an input of this run; choose another file (nothing was written)`);
  }
}

/** Refuses a target that cannot be replaced by a regular file, or that is one of the run's inputs. */
export async function checkReplaceable(file: string, opts: OutputOptions = {}): Promise<void> {
  const shown = opts.shownAs ?? file;
  if (path.basename(file) === '' || file.endsWith(path.sep)) throw new UsageError(`cannot write ${shown}: it names a folder, not a file`);
  const l = await lstat(file).catch(() => undefined);
  if (l) {
    const kind = kindOf(l);
    if (kind) throw new UsageError(`cannot write ${shown}: it is ${kind}, not a regular file; readiness replaces only regular files and links (nothing was written)`);
  }
  await refuseInputs(file, shown, opts.inputs ?? []);
}

async function stage(file: string, content: string | Buffer): Promise<string> {
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.readiness-${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
  const existing = await lstat(file).catch(() => undefined);
  // 'wx' is O_CREAT|O_EXCL: a link planted at the temporary name makes it fail rather than be followed
  const fh = await open(temp, 'wx', existing?.isFile() ? existing.mode & 0o777 : 0o644);
  try {
    await fh.writeFile(content);
    await fh.sync();
  } catch (err) {
    await fh.close().catch(() => undefined);
    await rm(temp, { force: true });
    throw err;
  }
  await fh.close();
  return temp;
}

/**
 * Writes several named outputs as a unit: each is checked and staged in full first; a failure while
 * checking or staging removes what was staged and writes none of them; only then is each renamed
 * into place. Ctrl-C or SIGTERM while staging removes the staged files.
 */
export async function writeOutputs(files: ReadonlyArray<OutputFile>, opts: Omit<OutputOptions, 'shownAs'> = {}): Promise<void> {
  const staged: Array<{ temp: string; target: string; shown: string }> = [];
  const onSignal = (sig: NodeJS.Signals) => {
    for (const s of staged) rmSync(s.temp, { force: true });
    detach();
    process.kill(process.pid, sig);
  };
  const detach = () => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  let current = '';
  try {
    try {
      for (const f of files) {
        current = f.shownAs ?? f.file;
        await checkReplaceable(f.file, { shownAs: current, inputs: opts.inputs });
        await ensureDir(path.dirname(path.resolve(f.file)), current);
        staged.push({ temp: await stage(f.file, f.content), target: f.file, shown: current });
      }
      for (const s of staged) await checkReplaceable(s.target, { shownAs: s.shown, inputs: opts.inputs });
    } catch (err) {
      await Promise.all(staged.map((s) => rm(s.temp, { force: true })));
      throw outputError(current, err);
    }
    detach();
    for (const s of staged) {
      try {
        await rename(s.temp, s.target);
      } catch (err) {
        await Promise.all(staged.map((x) => rm(x.temp, { force: true })));
        throw outputError(s.shown, err);
      }
    }
  } finally {
    detach();
  }
}

/** Writes one named output (see writeOutputs). */
export async function writeOutput(file: string, content: string | Buffer, opts: OutputOptions = {}): Promise<void> {
  await writeOutputs([{ file, content, shownAs: opts.shownAs }], { inputs: opts.inputs });
}
