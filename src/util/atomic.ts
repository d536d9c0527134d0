import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { UsageError } from './errors.js';

/**
 * Writes a file atomically (temp file in the same folder, fsync, rename): a reader sees the old
 * file or the new one, never half of either, and a failure mid-write leaves the old file intact.
 */
export async function writeAtomic(file: string, content: string | Buffer, shownAs: string = file): Promise<void> {
  try {
    // parent folders are created, as ESLint's --output-file does: CI jobs write into reports/ folders
    await mkdir(path.dirname(file), { recursive: true });
    await writeFileAtomic(file, content, { encoding: 'utf8' });
  } catch (err) {
    throw writeError(shownAs, err);
  }
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
};

/** A failed write the user can fix (a missing folder, no permission, a full disk): exit 2 with the reason, never a stack trace. */
export function writeError(file: string, err: unknown): unknown {
  const code = (err as NodeJS.ErrnoException)?.code;
  return code && WHY[code] ? new UsageError(`cannot write ${file}: ${WHY[code]} (${code}); nothing was written`) : err;
}

export interface WriteAllOptions {
  /** writes one staged file durably; injectable so tests can make it fail (ENOSPC, EACCES) mid-way */
  writeStaged?: (file: string, content: string) => Promise<void>;
}

async function writeDurably(file: string, content: string): Promise<void> {
  const fh = await open(file, 'wx', 0o644);
  try {
    await fh.writeFile(content, 'utf8');
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/**
 * Writes a set of files that belong together (the rules and their tests, a config and its teams) so
 * that a failure leaves the previous set intact: every file is first written in full to a temporary
 * name beside its target and fsynced; only when all are written are they renamed into place. A
 * failure while staging (disk full, permission denied, a folder that is a file) removes the staged
 * files and changes nothing. Returns the paths written.
 */
export async function writeAllAtomic(dir: string, files: ReadonlyArray<{ path: string; content: string }>, opts: WriteAllOptions = {}): Promise<string[]> {
  const writeStaged = opts.writeStaged ?? writeDurably;
  const suffix = `.readiness-${process.pid}-${randomBytes(4).toString('hex')}.tmp`;
  const staged: Array<{ temp: string; target: string }> = [];
  try {
    for (const f of files) {
      const target = path.join(dir, f.path);
      await mkdir(path.dirname(target), { recursive: true });
      const temp = `${target}${suffix}`;
      staged.push({ temp, target });
      await writeStaged(temp, f.content);
    }
  } catch (err) {
    await Promise.all(staged.map((s) => rm(s.temp, { force: true })));
    throw err;
  }
  const written: string[] = [];
  try {
    for (const s of staged) {
      await rename(s.temp, s.target);
      written.push(s.target);
    }
  } catch (err) {
    await Promise.all(staged.map((s) => rm(s.temp, { force: true })));
    throw err;
  }
  return written;
}
