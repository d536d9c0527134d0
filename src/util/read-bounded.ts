import { closeSync, constants, createReadStream, openSync, readSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { InputError } from './errors.js';

// node:net (for a FIFO's non-blocking handle) is loaded only when a FIFO is read: every run reads a
// manifest through this module, and loading net costs about 2 ms of start-up that a file never needs
type NetSocket = import('node:net').Socket;
async function pipeSocket(fd: number): Promise<NetSocket> {
  const { Socket } = await import('node:net');
  return new Socket({ fd, readable: true, writable: false });
}

/**
 * Bounded readers for every file readiness reads (manifests, waivers and answers files, audit logs,
 * usage logs, deployed gateway configs, k6 summaries). What they promise:
 *
 * - the file is stat-ed first: a folder or a device (/dev/zero, a terminal) is refused at once, a
 *   regular file over the size limit is refused before a byte is read;
 * - at most `maxBytes + 1` bytes are ever read (a file that grows, or a pipe, stops at the limit);
 * - a FIFO or pipe is opened without blocking: one with no writer reads as empty, it never hangs;
 * - line readers (readRecords) never hold more than `maxRecordBytes` of one line: a longer record is
 *   reported by its line number and skipped as it streams past; invalid UTF-8 is reported, never
 *   silently replaced.
 *
 * Every refusal is an InputError located at the file (exit 2), never a crash.
 */

/** Default cap for one record (one line) of a line-oriented log: 1 MiB. */
export const DEFAULT_MAX_RECORD_BYTES = 1024 * 1024;

export interface BoundedReadOptions {
  /** refuse the file when it holds more than this many bytes */
  maxBytes: number;
  /** what the file is, for messages: 'a manifest', 'a waivers file' */
  what: string;
  /** the name shown in messages (default: the path) */
  shownAs?: string;
}

type Kind = 'file' | 'pipe';

const WHY: Record<string, string> = { ENOENT: 'no such file', EACCES: 'permission denied', EPERM: 'permission denied', ENOTDIR: 'a part of its path is not a folder', ELOOP: 'too many symbolic links' };

function refuse(file: string, message: string): InputError {
  return new InputError([{ file, line: 1, column: 1, message }]);
}

/** Stats `file` and says how it can be read; refuses folders, devices and sockets. */
export async function inputKind(file: string, what: string, shownAs: string = file): Promise<{ kind: Kind; size: number }> {
  const noun = what.replace(/^an? /, '');
  let st;
  try {
    st = await stat(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? '';
    throw refuse(shownAs, `cannot read ${noun}: ${WHY[code] ?? (code || String(err))}`);
  }
  if (st.isDirectory()) throw refuse(shownAs, `cannot read ${noun}: is a directory, not a ${noun} file`.replace(/ file file$/, ' file'));
  if (st.isFile()) return { kind: 'file', size: st.size };
  if (st.isFIFO()) return { kind: 'pipe', size: 0 };
  if (st.isCharacterDevice() || st.isBlockDevice()) throw refuse(shownAs, `cannot read ${noun}: it is a device, not a file (refused: a device such as /dev/zero never ends)`);
  throw refuse(shownAs, `cannot read ${noun}: it is not a regular file or a pipe`);
}

/** How long a FIFO with no writer is given for one to appear before it reads as empty. */
export const FIFO_WRITER_WAIT_MS = 2000;

/**
 * A stream of the file's bytes: a regular file as usual; a FIFO or pipe opened non-blocking, read
 * once a writer is there (waiting at most FIFO_WRITER_WAIT_MS for one: without a writer it ends as
 * empty instead of hanging, as a blocking open would, for ever). Refuses what inputKind refuses.
 */
export async function openBounded(file: string, what: string, shownAs: string = file, opts: { highWaterMark?: number } = {}): Promise<Readable> {
  const { kind } = await inputKind(file, what, shownAs);
  if (kind === 'file') return createReadStream(file, { highWaterMark: opts.highWaterMark });
  const fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
  // Linux reports no hang-up on a FIFO that never had a writer, so a pipe handle would wait for
  // ever: a non-blocking read tells "no writer" (0) from "a writer, no data yet" (EAGAIN)
  const first = Buffer.alloc(64 * 1024);
  const deadline = Date.now() + FIFO_WRITER_WAIT_MS;
  for (;;) {
    let n: number;
    try {
      n = readSync(fd, first, 0, first.length, null);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EAGAIN') {
        closeSync(fd);
        throw err;
      }
      break; // a writer holds the other end: stream the rest
    }
    if (n > 0) {
      const sock = await pipeSocket(fd);
      const head = Buffer.from(first.subarray(0, n));
      const out = Readable.from(
        (async function* () {
          yield head;
          yield* sock as AsyncIterable<Buffer>;
        })(),
      );
      out.once('close', () => sock.destroy());
      return out;
    }
    if (Date.now() >= deadline) {
      closeSync(fd);
      return Readable.from([]);
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  return pipeSocket(fd);
}

/** Reads a whole (small) file, never more than maxBytes + 1 bytes of it. */
export async function readBounded(file: string, opts: BoundedReadOptions): Promise<Buffer> {
  const shown = opts.shownAs ?? file;
  const { kind, size } = await inputKind(file, opts.what, shown);
  const over = (n: string) => refuse(shown, `file is ${n} bytes, over the ${opts.maxBytes}-byte limit for ${opts.what}`);
  if (kind === 'file' && size > opts.maxBytes) throw over(String(size));
  const stream = await openBounded(file, opts.what, shown);
  const chunks: Buffer[] = [];
  let total = 0;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      total += chunk.length;
      if (total > opts.maxBytes) throw over(`more than ${opts.maxBytes}`);
      chunks.push(chunk);
    }
  } catch (err) {
    if (err instanceof InputError) throw err;
    const code = (err as NodeJS.ErrnoException).code ?? '';
    throw refuse(shown, `cannot read ${opts.what.replace(/^an? /, '')}: ${WHY[code] ?? (code || String(err))}`);
  } finally {
    stream.destroy();
  }
  return Buffer.concat(chunks, total);
}

/**
 * Decodes a whole file read by readBounded as UTF-8, never repairing it: invalid UTF-8 is an
 * InputError at the line and column (in characters) of the first bad byte. A leading BOM is dropped.
 */
export function decodeUtf8(bytes: Uint8Array, file: string, what: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    // the text before the first bad byte (a character it cuts short is not counted)
    const good = new TextDecoder('utf-8').decode(bytes.subarray(0, firstInvalidByte(bytes)), { stream: true });
    const line = good.split('\n').length;
    const column = good.length - good.lastIndexOf('\n');
    throw new InputError([{ file, line, column, message: `file is not valid UTF-8: save ${what.replace(/^an? /, 'the ')} as UTF-8 text` }]);
  }
}

/** One line of a line-oriented file, as readRecords yields it. */
export type LineRecord =
  | { line: number; kind: 'text'; text: string }
  /** longer than maxRecordBytes: skipped without being held; `bytes` is its full length */
  | { line: number; kind: 'oversize'; bytes: number }
  /** not valid UTF-8: `column` is the 1-based byte offset of the first bad byte */
  | { line: number; kind: 'invalid-utf8'; column: number };

const fatal = new TextDecoder('utf-8', { fatal: true });

/**
 * Splits a byte stream into lines (LF; a CR before it is dropped) holding at most maxRecordBytes of
 * any one line: a longer line is yielded as 'oversize' once it ends, its bytes never buffered.
 * Memory is bounded by maxRecordBytes plus one chunk, whatever the input.
 */
export async function* readRecords(input: AsyncIterable<Buffer | string>, maxRecordBytes: number = DEFAULT_MAX_RECORD_BYTES): AsyncGenerator<LineRecord> {
  let line = 0;
  let parts: Buffer[] = [];
  let held = 0;
  let skipped = 0; // > 0: the current line is oversize and this many bytes of it went past
  const finish = (): LineRecord => {
    line++;
    if (skipped > 0) {
      const bytes = skipped;
      skipped = 0;
      parts = [];
      held = 0;
      return { line, kind: 'oversize', bytes };
    }
    let buf = parts.length === 1 ? parts[0] : Buffer.concat(parts, held);
    parts = [];
    held = 0;
    if (buf.length && buf[buf.length - 1] === 0x0d) buf = buf.subarray(0, buf.length - 1);
    try {
      return { line, kind: 'text', text: fatal.decode(buf) };
    } catch {
      return { line, kind: 'invalid-utf8', column: firstInvalidByte(buf) + 1 };
    }
  };
  const take = (piece: Buffer) => {
    if (skipped > 0) {
      skipped += piece.length;
      return;
    }
    if (held + piece.length > maxRecordBytes) {
      skipped = held + piece.length;
      parts = [];
      held = 0;
      return;
    }
    if (piece.length) {
      parts.push(piece);
      held += piece.length;
    }
  };
  for await (const raw of input) {
    let chunk = typeof raw === 'string' ? Buffer.from(raw, 'utf8') : raw;
    for (let nl = chunk.indexOf(0x0a); nl >= 0; nl = chunk.indexOf(0x0a)) {
      take(Buffer.from(chunk.subarray(0, nl)));
      yield finish();
      chunk = chunk.subarray(nl + 1);
    }
    // copied: the stream may reuse its chunk's memory
    if (chunk.length) take(Buffer.from(chunk));
  }
  if (held > 0 || skipped > 0) yield finish();
}

/** The offset of the first byte that makes `buf` invalid UTF-8. */
export function firstInvalidByte(buf: Uint8Array): number {
  let lo = 0;
  let hi = buf.length;
  // the longest valid prefix, by bisection on whole-prefix validity (a prefix cut mid-character is invalid)
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    let ok = true;
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(buf.subarray(0, mid), { stream: true });
    } catch {
      ok = false;
    }
    if (ok) lo = mid;
    else hi = mid - 1;
  }
  // that prefix may end in a character cut short (valid so far, as a stream): its lead byte is the bad one
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(buf.subarray(0, lo));
  } catch {
    while (lo > 0 && (buf[lo - 1] & 0xc0) === 0x80) lo--;
    lo--;
  }
  return lo;
}
