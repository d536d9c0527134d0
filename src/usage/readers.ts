/**
 * One reader per input format: each turns one log line (or one row / one array element) into a
 * normalised UsageRecord, or says why it is not one. Containers (lines, CSV, a JSON array) are split in
 * source.ts; here only the fields.
 *
 * LiteLLM's spend logs: the columns of the `LiteLLM_SpendLogs` model in LiteLLM's schema.prisma
 * (BerriAI/litellm, schema.prisma, https://github.com/BerriAI/litellm/blob/main/schema.prisma):
 * request_id, call_type, api_key, spend, total_tokens, prompt_tokens, completion_tokens, startTime, endTime,
 * model, model_id, model_group, api_base, user, metadata (Json), request_tags (Json), team_id, end_user,
 * status, ... `startTime` is a Prisma DateTime, stored by Postgres without a zone and written in UTC, so
 * psql prints it without an offset ("2026-11-02 17:00:03.123"). GET /spend/logs answers
 * `List[LiteLLM_SpendLogs]` (litellm/proxy/spend_tracking/spend_management_endpoints.py, view_spend_logs),
 * the same rows as JSON. Models LiteLLM has no price for are logged with spend 0 (LiteLLM issue 35691).
 */
import { InputError } from '../util/errors.js';
import type { UsageFormat, UsageRecord } from './types.js';

export type Parsed = UsageRecord | string;

const RFC3339 = /^(\d{4}-\d{2}-\d{2})[Tt ](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)([Zz]|[+-]\d{2}:?\d{2})$/;
const NAIVE = /^(\d{4}-\d{2}-\d{2})[Tt ](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)([Zz]|[+-]\d{2}(?::?\d{2})?)?$/;
const DIGITS = /^\d{1,16}$/;

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Two (or four) ASCII digits at i as a number, or -1. */
function digits(s: string, i: number, n: number): number {
  let v = 0;
  for (let k = i; k < i + n; k++) {
    const c = s.charCodeAt(k) - 48;
    if (!(c >= 0 && c <= 9)) return -1;
    v = v * 10 + c;
  }
  return v;
}

/**
 * RFC 3339 read by hand: "YYYY-MM-DD(T| )HH:MM[:SS[.fff...]](Z|+HH:MM|-HH:MM|+HHMM)", without regex or
 * Date.parse (the reader's hot path). `naive`: no zone means UTC (LiteLLM); otherwise a zone is required.
 * Returns epoch ms, or undefined when the text is not of that form (the caller then explains why).
 */
export function fastIso(s: string, naive: boolean): number | undefined {
  const len = s.length;
  if (len < 16 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45 || s.charCodeAt(13) !== 58) return undefined;
  const sep = s.charCodeAt(10);
  if (sep !== 84 && sep !== 116 && sep !== 32) return undefined;
  const y = digits(s, 0, 4);
  const mo = digits(s, 5, 2);
  const d = digits(s, 8, 2);
  const h = digits(s, 11, 2);
  const mi = digits(s, 14, 2);
  if (y < 0 || mo < 1 || mo > 12 || d < 1 || h < 0 || h > 23 || mi < 0 || mi > 59) return undefined;
  if (d > DAYS_IN_MONTH[mo - 1] || (mo === 2 && d === 29 && !(y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0)))) return undefined;
  let i = 16;
  let sec = 0;
  let ms = 0;
  if (s.charCodeAt(i) === 58) {
    sec = digits(s, i + 1, 2);
    if (sec < 0 || sec > 59) return undefined;
    i += 3;
    if (s.charCodeAt(i) === 46) {
      i++;
      let k = 0;
      let frac = 0;
      while (i < len) {
        const c = s.charCodeAt(i) - 48;
        if (!(c >= 0 && c <= 9)) break;
        if (k < 3) frac = frac * 10 + c;
        k++;
        i++;
      }
      if (k === 0) return undefined;
      ms = k === 1 ? frac * 100 : k === 2 ? frac * 10 : frac;
    }
  }
  let offset = 0;
  if (i === len) {
    if (!naive) return undefined;
  } else {
    const z = s.charCodeAt(i);
    if (z === 90 || z === 122) {
      if (i + 1 !== len) return undefined;
    } else if (z === 43 || z === 45) {
      const oh = digits(s, i + 1, 2);
      let j = i + 3;
      if (s.charCodeAt(j) === 58) j++;
      const om = j === len && naive ? 0 : digits(s, j, 2);
      if (oh < 0 || oh > 23 || om < 0 || om > 59 || (j + 2 !== len && !(naive && j === len))) return undefined;
      offset = (z === 45 ? -1 : 1) * (oh * 60 + om) * 60_000;
    } else return undefined;
  }
  return Date.UTC(y, mo - 1, d, h, mi, sec, ms) - offset;
}

/** Generic logs: RFC 3339 with an offset, or epoch milliseconds (a number or a string of digits). */
export function parseTimestamp(v: unknown): number | string {
  if (typeof v === 'string') {
    const fast = fastIso(v, false);
    if (fast !== undefined) return fast;
  }
  if (v === undefined || v === null || v === '') return 'no timestamp';
  if (typeof v === 'number') return Number.isFinite(v) && Number.isInteger(v) && v >= 0 ? v : `timestamp ${v} is not epoch milliseconds`;
  if (typeof v !== 'string') return 'timestamp is not a string or a number';
  if (DIGITS.test(v)) return Number(v);
  const m = RFC3339.exec(v);
  if (!m) return `timestamp "${v.slice(0, 40)}" is not RFC 3339 with an offset (or epoch milliseconds)`;
  // the form is right but fastIso refused it: a day or hour that does not exist (2026-02-30, 25:00)
  return `timestamp "${v.slice(0, 40)}" is not a valid date`;
}

/** LiteLLM's startTime: UTC, with or without an offset. */
export function parseLiteLLMTime(v: unknown): number | string {
  if (typeof v === 'string') {
    const fast = fastIso(v, true);
    if (fast !== undefined) return fast;
  }
  if (v === undefined || v === null || v === '') return 'no startTime';
  if (typeof v !== 'string') return 'startTime is not a string';
  const m = NAIVE.exec(v);
  if (!m) return `startTime "${v.slice(0, 40)}" is not a timestamp`;
  return `startTime "${v.slice(0, 40)}" is not a valid date`;
}

function tokens(v: unknown, name: string): number | string {
  if (typeof v === 'number') return Number.isInteger(v) && v >= 0 ? v : `${name} ${v} is ${v < 0 ? 'negative' : 'not an integer'}`;
  if (typeof v === 'string' && DIGITS.test(v)) return Number(v);
  if (v === undefined || v === null || v === '') return `no ${name}`;
  return `${name} ${JSON.stringify(v).slice(0, 30)} is ${typeof v === 'string' && /^-\d/.test(v) ? 'negative' : 'not an integer'}`;
}

function money(v: unknown, name: string): number | null | string {
  if (v === undefined || v === null || v === '') return null;
  const n = typeof v === 'number' ? v : typeof v === 'string' ? Number(v) : Number.NaN;
  if (!Number.isFinite(n) || n < 0) return `${name} ${JSON.stringify(v).slice(0, 30)} is not a non-negative number`;
  return n;
}

const text = (v: unknown): string | null => (v === undefined || v === null || v === '' ? null : typeof v === 'string' ? v : String(v));

/** A generic record (JSON Lines object or CSV row as a lookup): timestamp, tenant, use_case, model, input_tokens, output_tokens, status, cost_usd. */
export function genericRecord(get: (name: string) => unknown): Parsed {
  const ts = parseTimestamp(get('timestamp'));
  if (typeof ts === 'string') return ts;
  const inputTokens = tokens(get('input_tokens'), 'input_tokens');
  if (typeof inputTokens === 'string') return inputTokens;
  const outputTokens = tokens(get('output_tokens'), 'output_tokens');
  if (typeof outputTokens === 'string') return outputTokens;
  const costUsd = money(get('cost_usd'), 'cost_usd');
  if (typeof costUsd === 'string') return costUsd;
  return { ts, tenant: text(get('tenant')), useCase: text(get('use_case')), model: text(get('model')), inputTokens, outputTokens, status: text(get('status')), costUsd };
}

/** genericRecord for a parsed JSON object, read field by field (the JSON Lines hot path); the same rules. */
function genericObject(o: Record<string, unknown>): Parsed {
  const ts = parseTimestamp(o.timestamp);
  if (typeof ts === 'string') return ts;
  const a = o.input_tokens;
  const inputTokens = typeof a === 'number' && Number.isInteger(a) && a >= 0 ? a : tokens(a, 'input_tokens');
  if (typeof inputTokens === 'string') return inputTokens;
  const b = o.output_tokens;
  const outputTokens = typeof b === 'number' && Number.isInteger(b) && b >= 0 ? b : tokens(b, 'output_tokens');
  if (typeof outputTokens === 'string') return outputTokens;
  const c = o.cost_usd;
  const costUsd = typeof c === 'number' && c >= 0 && Number.isFinite(c) ? c : money(c, 'cost_usd');
  if (typeof costUsd === 'string') return costUsd;
  const t = o.tenant;
  const u = o.use_case;
  const m = o.model;
  const st = o.status;
  return {
    ts,
    tenant: typeof t === 'string' && t !== '' ? t : text(t),
    useCase: typeof u === 'string' && u !== '' ? u : text(u),
    model: typeof m === 'string' && m !== '' ? m : text(m),
    inputTokens,
    outputTokens,
    status: typeof st === 'string' ? st : text(st),
    costUsd,
  };
}

/** A LiteLLM_SpendLogs row (JSON object or CSV row as a lookup). Tenant = team_id; model = model_group, else model. */
export function litellmRecord(get: (name: string) => unknown): Parsed {
  const ts = parseLiteLLMTime(get('startTime'));
  if (typeof ts === 'string') return ts;
  const inputTokens = tokens(get('prompt_tokens') ?? 0, 'prompt_tokens');
  if (typeof inputTokens === 'string') return inputTokens;
  const outputTokens = tokens(get('completion_tokens') ?? 0, 'completion_tokens');
  if (typeof outputTokens === 'string') return outputTokens;
  const costUsd = money(get('spend'), 'spend');
  if (typeof costUsd === 'string') return costUsd;
  return {
    ts,
    tenant: text(get('team_id')),
    useCase: null,
    model: text(get('model_group')) ?? text(get('model')),
    inputTokens,
    outputTokens,
    status: text(get('status')),
    costUsd,
    zeroMeansUnpriced: true,
  };
}

/** One JSON object's text (a JSON Lines line, an array element) as a record of `format`. */
export function jsonRecord(line: string, format: UsageFormat): Parsed | null {
  let o: unknown;
  try {
    o = JSON.parse(line);
  } catch {
    return 'not valid JSON';
  }
  if (o === null || typeof o !== 'object' || Array.isArray(o)) return 'not a JSON object';
  const obj = o as Record<string, unknown>;
  if (format === 'litellm-spend-logs') return litellmRecord((k: string) => obj[k]);
  return genericObject(obj);
}

export const GENERIC_CSV_COLUMNS = ['timestamp', 'tenant', 'use_case', 'model', 'input_tokens', 'output_tokens', 'status'];
export const LITELLM_CSV_COLUMNS = ['startTime', 'team_id', 'prompt_tokens', 'completion_tokens', 'spend'];

/**
 * Splits one CSV record (RFC 4180: quoted fields, "" for a quote) into fields; null when a quoted field is
 * still open at the end (the record continues on the next line).
 */
export function splitCsv(line: string): string[] | null {
  if (line.indexOf('"') < 0) return line.split(',');
  const out: string[] = [];
  let i = 0;
  const n = line.length;
  for (;;) {
    if (line.charCodeAt(i) === 34) {
      let v = '';
      let j = i + 1;
      for (;;) {
        const q = line.indexOf('"', j);
        if (q < 0) return null;
        v += line.slice(j, q);
        if (line.charCodeAt(q + 1) === 34) {
          v += '"';
          j = q + 2;
          continue;
        }
        i = q + 1;
        break;
      }
      // anything between the closing quote and the comma is kept, as lenient readers do
      const c = line.indexOf(',', i);
      if (c < 0) {
        out.push(v + line.slice(i));
        return out;
      }
      out.push(v + line.slice(i, c));
      i = c + 1;
    } else {
      const c = line.indexOf(',', i);
      if (c < 0) {
        out.push(line.slice(i));
        return out;
      }
      out.push(line.slice(i, c));
      i = c + 1;
    }
    if (i > n) return out;
  }
}

/** A CSV log: its header decides the columns; a generic CSV and a psql export of LiteLLM_SpendLogs differ by them. */
export class CsvReader {
  private index = new Map<string, number>();
  private fields: string[] = [];
  readonly get = (name: string): unknown => {
    const i = this.index.get(name);
    return i === undefined ? undefined : this.fields[i];
  };
  constructor(
    readonly format: UsageFormat,
    header: string[],
    file: string,
  ) {
    header.forEach((h, i) => this.index.set(h.trim().replace(/^\uFEFF/, ''), i));
    const need = format === 'litellm-spend-logs' ? LITELLM_CSV_COLUMNS : GENERIC_CSV_COLUMNS;
    const missing = need.filter((c) => !this.index.has(c));
    if (format === 'litellm-spend-logs' && !this.index.has('model') && !this.index.has('model_group')) missing.push('model (or model_group)');
    if (missing.length) {
      throw new InputError([
        {
          file,
          line: 1,
          column: 1,
          message: `CSV header lacks the column${missing.length > 1 ? 's' : ''} ${missing.join(', ')} (a ${format === 'litellm-spend-logs' ? 'LiteLLM_SpendLogs export' : 'generic usage CSV'} needs ${need.join(', ')}${format === 'csv' ? ', optional cost_usd' : ''}); found: ${[...this.index.keys()].join(', ').slice(0, 300)}`,
        },
      ]);
    }
  }

  row(fields: string[]): Parsed {
    if (fields.length < this.index.size) return `${fields.length} fields where the header has ${this.index.size}`;
    this.fields = fields;
    return this.format === 'litellm-spend-logs' ? litellmRecord(this.get) : genericRecord(this.get);
  }
}

/** What the content says it is: the first non-blank character and the first line's fields. */
export function detect(head: string): { container: 'lines' | 'csv' | 'json-array'; format: UsageFormat } {
  const t = head.replace(/^\uFEFF/, '').trimStart();
  const first = t[0];
  const firstLine = t.slice(0, Math.max(0, t.indexOf('\n')) || t.length);
  if (first === '[') return { container: 'json-array', format: 'litellm-spend-logs' };
  if (first === '{') {
    const lite = /"startTime"\s*:/.test(firstLine) && /"(spend|prompt_tokens)"\s*:/.test(firstLine);
    return { container: 'lines', format: lite ? 'litellm-spend-logs' : 'jsonl' };
  }
  const cols = (splitCsv(firstLine) ?? []).map((c) => c.trim());
  const lite = cols.includes('startTime') && cols.includes('spend');
  return { container: 'csv', format: lite ? 'litellm-spend-logs' : 'csv' };
}
