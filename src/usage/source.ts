import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';
import { InputError } from '../util/errors.js';

/** The longest line (or JSON record) read: a LiteLLM row with messages and response is large, a 100 MB line is not a log. */
export const MAX_RECORD_CHARS = 16 * 1024 * 1024;
const CHUNK = 1024 * 1024;

const fail = (file: string, line: number, message: string): never => {
  throw new InputError([{ file, line, column: 1, message }]);
};

/**
 * Streams a log file's text in chunks: gzip (by its magic bytes, whatever the name) through node:zlib.
 * Refuses a directory, an empty file and a binary one (a NUL byte), with file:line: reason.
 */
export async function* textChunks(file: string, shownAs: string): AsyncGenerator<string> {
  let st;
  try {
    st = await stat(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    fail(shownAs, 1, code === 'ENOENT' ? 'no such file' : `cannot read (${code ?? String(err)})`);
  }
  if (st!.isDirectory()) fail(shownAs, 1, 'is a directory: give the log files themselves (e.g. logs/*.jsonl)');
  if (st!.size === 0) fail(shownAs, 1, 'empty file: no records');
  const head = Buffer.alloc(2);
  const fh = await open(file, 'r');
  try {
    await fh.read(head, 0, 2, 0);
  } finally {
    await fh.close();
  }
  const gz = head[0] === 0x1f && head[1] === 0x8b;
  const raw = createReadStream(file, { highWaterMark: CHUNK });
  const stream = gz ? raw.pipe(createGunzip({ chunkSize: CHUNK })) : raw;
  if (gz) raw.on('error', (e) => stream.destroy(e));
  stream.setEncoding('utf8');
  let line = 1;
  let any = false;
  try {
    for await (const chunk of stream as AsyncIterable<string>) {
      const nul = chunk.indexOf('\0');
      if (nul >= 0) {
        let l = line;
        for (let i = chunk.indexOf('\n'); i >= 0 && i < nul; i = chunk.indexOf('\n', i + 1)) l++;
        fail(shownAs, l, 'binary content (a NUL byte): not a text log; give JSON Lines, CSV or a LiteLLM spend-log export (gzip is read)');
      }
      for (let i = chunk.indexOf('\n'); i >= 0; i = chunk.indexOf('\n', i + 1)) line++;
      if (!any && chunk.trim() !== '') any = true;
      yield chunk;
    }
  } catch (err) {
    if (err instanceof InputError) throw err;
    const e = err as NodeJS.ErrnoException;
    fail(shownAs, line, gz ? `not a valid gzip file (${e.code ?? e.message})` : `cannot read (${e.code ?? e.message})`);
  } finally {
    stream.destroy();
  }
  if (!any) fail(shownAs, 1, 'empty file (only blank lines): no records');
}

/**
 * Splits chunks into lines (\n or \r\n), numbering them from 1, and bounds their length: a line longer than
 * MAX_RECORD_CHARS is an error (file:line), found without holding more than that much of it.
 */
export class LineSplitter {
  private carry = '';
  private lineNo = 0;
  constructor(
    private readonly shownAs: string,
    private readonly onLine: (line: string, lineNo: number) => void,
    private readonly max = MAX_RECORD_CHARS,
  ) {}

  push(chunk: string): void {
    let s = this.carry.length ? this.carry + chunk : chunk;
    let start = 0;
    let nl = s.indexOf('\n');
    while (nl >= 0) {
      const end = nl > start && s.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
      if (end - start > this.max) this.tooLong();
      this.lineNo++;
      this.onLine(s.slice(start, end), this.lineNo);
      start = nl + 1;
      nl = s.indexOf('\n', start);
    }
    this.carry = start === 0 ? s : s.slice(start);
    s = '';
    if (this.carry.length > this.max) this.tooLong();
  }

  end(): void {
    if (this.carry.length) {
      this.lineNo++;
      const c = this.carry.endsWith('\r') ? this.carry.slice(0, -1) : this.carry;
      this.carry = '';
      this.onLine(c, this.lineNo);
    }
  }

  private tooLong(): never {
    return fail(this.shownAs, this.lineNo + 1, `line longer than ${this.max / 1024 / 1024} MiB (the limit for one record): not a log of requests`);
  }
}

/**
 * Splits a JSON array of objects (LiteLLM's GET /spend/logs answer, pretty-printed or not) into its
 * top-level elements' text, with the line each starts on, without parsing the whole document at once.
 */
export class JsonArraySplitter {
  private state: 'before' | 'between' | 'in' | 'done' = 'before';
  private depth = 0;
  private inString = false;
  private escape = false;
  private buf = '';
  private line = 1;
  private startLine = 1;
  constructor(
    private readonly shownAs: string,
    private readonly onElement: (text: string, line: number) => void,
    private readonly max = MAX_RECORD_CHARS,
  ) {}

  push(chunk: string): void {
    let segStart = this.state === 'in' ? 0 : -1;
    for (let i = 0; i < chunk.length; i++) {
      const ch = chunk.charCodeAt(i);
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
            this.buf += chunk.slice(segStart, i + 1);
            segStart = -1;
            const text = this.buf;
            this.buf = '';
            this.state = 'between';
            this.onElement(text, this.startLine);
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
    if (this.state === 'in' && segStart >= 0) this.buf += chunk.slice(segStart);
    if (this.buf.length > this.max) fail(this.shownAs, this.startLine, `record longer than ${this.max / 1024 / 1024} MiB (the limit for one record)`);
  }

  end(): void {
    if (this.state !== 'done') fail(this.shownAs, this.line, this.state === 'before' ? 'no JSON array' : 'the JSON array is not closed (truncated file?)');
  }
}
