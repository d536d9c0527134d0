import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import writeFileAtomic from 'write-file-atomic';

/**
 * Writes a file atomically (temp file in the same folder, fsync, rename): a reader sees the old
 * file or the new one, never half of either, and a failure mid-write leaves the old file intact.
 */
export async function writeAtomic(file: string, content: string | Buffer): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  await writeFileAtomic(file, content, { encoding: 'utf8' });
}

/** Writes several files, each atomically, in order. Returns the paths written. */
export async function writeAllAtomic(dir: string, files: ReadonlyArray<{ path: string; content: string }>): Promise<string[]> {
  const written: string[] = [];
  for (const f of files) {
    const target = path.join(dir, f.path);
    await writeAtomic(target, f.content);
    written.push(target);
  }
  return written;
}
