import { stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { InputError } from '../util/errors.js';
import { firstInvalidByte, openBounded } from '../util/read-bounded.js';

/**
 * The default cap on one record (a line, or one JSON array element) of a usage log, in bytes: 16 MiB.
 * Larger than an audit record's 1 MiB: a LiteLLM spend-log row may carry the request's messages and
 * the response. A longer record is skipped at its line without being held (`--max-record-bytes`).
 */
export const DEFAULT_USAGE_MAX_RECORD_BYTES = 16 * 1024 * 1024;
const CHUNK = 1024 * 1024;

const fail = (file: string, line: number, message: string): never => {
  throw new InputError([{ file, line, column: 1, message }]);
};

/** A record that is not read: longer than the cap, or not UTF-8. `column`: the 1-based byte of the first bad byte on its line. */
export interface BadRecord {
  reason: string;
  column: number;
  /** invalid UTF-8 only: the line decoded with U+FFFD for the bad bytes, for a CSV reader to find where a quoted field ends; never a record */
  lossy?: string;
}

export const oversizeReason = (bytes: number, max: number, what = 'line'): string => `${what} of ${bytes} bytes, over the ${max}-byte limit for one record (raise it with --max-record-bytes)`;
export const invalidUtf8Reason = (column: number): string => `not valid UTF-8 (byte ${column} of the line): save the log as UTF-8`;

/**
 * Streams a log file's bytes in chunks, bounded like every reader (src/util/read-bounded.ts): stat
 * first; a directory, a device (/dev/zero) and an empty file are refused; a FIFO without a writer ends
 * instead of hanging. Gzip (by its magic bytes, whatever the name) is read through node:zlib. A binary
 * file (a NUL byte) is refused at its line. Errors are file:line: reason (exit 2).
 */
export async function* logChunks(file: string, shownAs: string): AsyncGenerator<Buffer> {
  let st;
  try {
    st = await stat(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    fail(shownAs, 1, code === 'ENOENT' ? 'no such file' : `cannot read (${code ?? String(err)})`);
  }
  if (st!.isDirectory()) fail(shownAs, 1, 'is a directory: give the log files themselves (e.g. logs/*.jsonl)');
  if (st!.isFile() && st!.size === 0) fail(shownAs, 1, 'empty file: no records');
  // refuses devices; a FIFO is read without blocking
  const raw = await openBounded(file, 'a usage log', shownAs, { highWaterMark: CHUNK });
  let src: Readable | undefined;
  let gun: import('node:zlib').Gunzip | undefined;
  let line = 1;
  let bytes = 0;
  let any = false;
  let gz = false;
  try {
    const it = (raw as AsyncIterable<Buffer>)[Symbol.asyncIterator]();
    let head: Buffer = Buffer.alloc(0);
    let done = false;
    while (head.length < 2) {
      const r = await it.next();
      if (r.done) {
        done = true;
        break;
      }
      head = head.length ? Buffer.concat([head, r.value]) : r.value;
    }
    gz = head[0] === 0x1f && head[1] === 0x8b;
    const all = async function* (): AsyncGenerator<Buffer> {
      if (head.length) yield head;
      while (!done) {
        const r = await it.next();
        if (r.done) break;
        yield r.value;
      }
    };
    let chunks: AsyncIterable<Buffer> = all();
    if (gz) {
      src = Readable.from(all());
      const g = createGunzip({ chunkSize: CHUNK });
      gun = g;
      src.on('error', (e) => g.destroy(e));
      src.pipe(g);
      chunks = g as AsyncIterable<Buffer>;
    }
    for await (const chunk of chunks) {
      bytes += chunk.length;
      const nul = chunk.indexOf(0);
      if (nul >= 0) {
        let l = line;
        for (let i = chunk.indexOf(0x0a); i >= 0 && i < nul; i = chunk.indexOf(0x0a, i + 1)) l++;
        fail(shownAs, l, 'binary content (a NUL byte): not a text log; give JSON Lines, CSV or a LiteLLM spend-log export (gzip is read)');
      }
      for (let i = chunk.indexOf(0x0a); i >= 0; i = chunk.indexOf(0x0a, i + 1)) line++;
      if (!any) any = chunk.some((b) => b !== 0x20 && b !== 0x0a && b !== 0x0d && b !== 0x09);
      yield chunk;
    }
  } catch (err) {
    if (err instanceof InputError) throw err;
    const e = err as NodeJS.ErrnoException;
    fail(shownAs, line, gz ? `not a valid gzip file (${e.code ?? e.message})` : `cannot read (${e.code ?? e.message})`);
  } finally {
    src?.destroy();
    gun?.destroy();
    raw.destroy();
  }
  if (bytes === 0) fail(shownAs, 1, 'empty file: no records');
  if (!any) fail(shownAs, 1, 'empty file (only blank lines): no records');
}

const fatalUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const lossyUtf8 = new TextDecoder('utf-8', { ignoreBOM: true });

/** The start of a log, decoded loosely: enough to tell its format (never a record). */
export const headText = (chunk: Buffer): string => new TextDecoder('utf-8', { ignoreBOM: true }).decode(chunk.subarray(0, 64 * 1024), { stream: true });

/** A line's bytes as text, or why not: invalid UTF-8 is reported, never replaced. */
function decodeLine(buf: Buffer): string | BadRecord {
  try {
    return fatalUtf8.decode(buf);
  } catch {
    const column = firstInvalidByte(buf) + 1;
    return { reason: invalidUtf8Reason(column), column, lossy: lossyUtf8.decode(buf) };
  }
}

/**
 * Splits a log's bytes into lines (\n or \r\n), numbering them from 1, and bounds them: a line longer
 * than `max` bytes is reported to onBad at its number once it ends, its bytes dropped as they stream
 * past (memory: `max` plus one chunk); a line that is not valid UTF-8 is reported to onBad, never
 * repaired. Chunks of whole lines are decoded at once (the fast path); a chunk with a bad byte is
 * decoded line by line to find it.
 */
export class LineSplitter {
  private carry: Buffer[] = [];
  private carried = 0;
  /** > 0: the current line is over the cap, and this many of its bytes went past */
  private skipping = 0;
  private skipEndsCR = false;
  private lineNo = 0;
  constructor(
    private readonly onLine: (line: string, lineNo: number) => void,
    private readonly onBad: (lineNo: number, bad: BadRecord) => void,
    private readonly max = DEFAULT_USAGE_MAX_RECORD_BYTES,
  ) {}

  push(chunk: Buffer): void {
    const last = chunk.lastIndexOf(0x0a);
    if (last < 0) {
      this.hold(chunk);
      return;
    }
    let start = 0;
    if (this.carried > 0 || this.skipping > 0) {
      const first = chunk.indexOf(0x0a);
      this.hold(chunk.subarray(0, first));
      this.finishCarried();
      start = first + 1;
    }
    if (start <= last) this.lines(chunk.subarray(start, last + 1));
    this.hold(chunk.subarray(last + 1));
  }

  end(): void {
    if (this.carried > 0 || this.skipping > 0) this.finishCarried();
  }

  private hold(piece: Buffer): void {
    if (piece.length) this.skipEndsCR = piece[piece.length - 1] === 0x0d;
    if (this.skipping > 0) {
      this.skipping += piece.length;
      return;
    }
    if (this.carried + piece.length > this.max + 1) {
      // over the cap (a byte of slack: a CR before the newline is not the record's)
      this.skipping = this.carried + piece.length;
      this.carry = [];
      this.carried = 0;
      return;
    }
    if (piece.length) {
      // copied: a stream may reuse its chunk's memory
      this.carry.push(Buffer.from(piece));
      this.carried += piece.length;
    }
  }

  private finishCarried(): void {
    this.lineNo++;
    if (this.skipping > 0) {
      this.onBad(this.lineNo, { reason: oversizeReason(this.skipping - (this.skipEndsCR ? 1 : 0), this.max), column: 1 });
      this.skipping = 0;
      return;
    }
    let buf = this.carry.length === 1 ? this.carry[0] : Buffer.concat(this.carry, this.carried);
    this.carry = [];
    this.carried = 0;
    if (buf.length && buf[buf.length - 1] === 0x0d) buf = buf.subarray(0, buf.length - 1);
    this.one(buf);
  }

  private one(buf: Buffer): void {
    if (buf.length > this.max) {
      this.onBad(this.lineNo, { reason: oversizeReason(buf.length, this.max), column: 1 });
      return;
    }
    const t = decodeLine(buf);
    if (typeof t === 'string') this.onLine(t, this.lineNo);
    else this.onBad(this.lineNo, t);
  }

  /** Whole lines, the last ending in \n. */
  private lines(region: Buffer): void {
    let text: string;
    try {
      text = fatalUtf8.decode(region);
    } catch {
      // a bad byte somewhere: line by line, to say where
      let s = 0;
      for (let nl = region.indexOf(0x0a); nl >= 0; nl = region.indexOf(0x0a, s)) {
        this.lineNo++;
        this.one(region.subarray(s, nl > s && region[nl - 1] === 0x0d ? nl - 1 : nl));
        s = nl + 1;
      }
      return;
    }
    // a line of n characters is n to 3n bytes: only a long one needs its bytes counted
    const check = region.length > this.max;
    const long = this.max / 3;
    let s = 0;
    for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', s)) {
      const e = nl > s && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
      const line = text.slice(s, e);
      this.lineNo++;
      s = nl + 1;
      if (check && line.length > long) {
        const n = Buffer.byteLength(line);
        if (n > this.max) {
          this.onBad(this.lineNo, { reason: oversizeReason(n, this.max), column: 1 });
          continue;
        }
      }
      this.onLine(line, this.lineNo);
    }
  }
}

/**
 * Splits a JSON array of objects (LiteLLM's GET /spend/logs answer, pretty-printed or not) into its
 * top-level elements' text, with the line each starts on, without parsing the whole document at once.
 * It scans bytes: the characters it looks at ([ ] { } " \\ , and white space) are ASCII, never part
 * of a multi-byte UTF-8 character. An element longer than `max` bytes is reported to onBad at its first
 * line and its bytes dropped as they stream past; one that is not valid UTF-8 is reported at the line
 * and byte of its first bad byte. The array's own shape (not an array, not closed) is an error.
 */
export class JsonArraySplitter {
  private state: 'before' | 'between' | 'in' | 'done' = 'before';
  private depth = 0;
  private inString = false;
  private escape = false;
  private parts: Buffer[] = [];
  private held = 0;
  /** > 0: the current element is over the cap and this many of its bytes went past */
  private skipping = 0;
  private line = 1;
  private startLine = 1;
  constructor(
    private readonly shownAs: string,
    private readonly onElement: (text: string, line: number) => void,
    private readonly onBad: (line: number, bad: BadRecord) => void,
    private readonly max = DEFAULT_USAGE_MAX_RECORD_BYTES,
  ) {}

  push(chunk: Buffer): void {
    let segStart = this.state === 'in' ? 0 : -1;
    for (let i = 0; i < chunk.length; i++) {
      const ch = chunk[i];
      if (ch === 10) this.line++;
      if (this.state === 'in') {
        if (this.inString) {
          if (this.escape) this.escape = false;
          else if (ch === 92) this.escape = true;
          else if (ch === 34) this.inString = false;
          continue;
        }
        if (ch === 34) this.inString = true;
        else if (ch === 123 || ch === 91) this.depth++;
        else if (ch === 125 || ch === 93) {
          this.depth--;
          if (this.depth === 0) {
            this.take(chunk.subarray(segStart, i + 1));
            segStart = -1;
            this.state = 'between';
            this.finish();
          }
        }
        continue;
      }
      if (ch === 32 || ch === 10 || ch === 13 || ch === 9) continue;
      if (this.state === 'before') {
        if (ch !== 91) fail(this.shownAs, this.line, 'expected a JSON array of spend-log rows ([...])');
        this.state = 'between';
        continue;
      }
      if (this.state === 'between') {
        if (ch === 44) continue;
        if (ch === 93) {
          this.state = 'done';
          continue;
        }
        if (ch !== 123) fail(this.shownAs, this.line, 'expected an object ({...}) in the spend-log array');
        this.state = 'in';
        this.depth = 1;
        this.startLine = this.line;
        segStart = i;
        continue;
      }
      fail(this.shownAs, this.line, 'content after the end of the JSON array');
    }
    if (this.state === 'in' && segStart >= 0) this.take(chunk.subarray(segStart));
  }

  end(): void {
    if (this.state !== 'done') fail(this.shownAs, this.line, this.state === 'before' ? 'no JSON array' : 'the JSON array is not closed (truncated file?)');
  }

  private take(piece: Buffer): void {
    if (this.skipping > 0) {
      this.skipping += piece.length;
      return;
    }
    if (this.held + piece.length > this.max) {
      this.skipping = this.held + piece.length;
      this.parts = [];
      this.held = 0;
      return;
    }
    // copied: a stream may reuse its chunk's memory
    this.parts.push(Buffer.from(piece));
    this.held += piece.length;
  }

  private finish(): void {
    if (this.skipping > 0) {
      this.onBad(this.startLine, { reason: oversizeReason(this.skipping, this.max, 'record'), column: 1 });
      this.skipping = 0;
      return;
    }
    const buf = this.parts.length === 1 ? this.parts[0] : Buffer.concat(this.parts, this.held);
    this.parts = [];
    this.held = 0;
    let text: string;
    try {
      text = fatalUtf8.decode(buf);
    } catch {
      // located: the line of the first bad byte
      const bad = firstInvalidByte(buf);
      let line = this.startLine;
      for (let nl = buf.indexOf(0x0a); nl >= 0 && nl < bad; nl = buf.indexOf(0x0a, nl + 1)) line++;
      this.onBad(line, { reason: `not valid UTF-8${line === this.startLine ? '' : ` (in the record from line ${this.startLine})`}: save the log as UTF-8`, column: 1 });
      return;
    }
    this.onElement(text, this.startLine);
  }
}
