import { grantedPerMinute } from './provider-headers.js';
import { latencySummary, type RequestRecord } from './measure.js';
import type { GrantedLimits, LatencySummary } from './types.js';

/** The most of a streamed body the probe reads before calling it a failure. */
export const MAX_STREAM_BYTES = 4 << 20;

/**
 * Reads an OpenAI chat-completions event stream (Server-Sent Events, `data: {chunk}` lines, `data: [DONE]` at
 * the end) as it arrives, stamping each content delta on `now()`: the first content token (not the response
 * headers, which a gateway sends at once), the gaps between tokens, and the usage chunk's completion_tokens
 * (stream_options.include_usage). Returns why the stream failed (ended without [DONE], an error event, too
 * long), or undefined when it completed.
 * Format: OpenAI API reference, "Chat completions: streaming" (https://platform.openai.com/docs/api-reference/chat-streaming).
 */
export async function readBody(body: AsyncIterable<Buffer | string>, rec: RequestRecord, now: () => number): Promise<string | undefined> {
  let buf = '';
  let bytes = 0;
  let done = false;
  let failure: string | undefined;
  let contentChunks = 0;
  let last: number | undefined;
  const itl: number[] = [];
  const onLine = (line: string, t: number) => {
    if (line.startsWith('event:')) {
      if (line.slice(6).trim() === 'error') failure = 'error event';
      return;
    }
    if (!line.startsWith('data:')) return;
    const data = line.slice(5).trim();
    if (data === '[DONE]') {
      done = true;
      return;
    }
    if (data === '') return;
    let chunk: { choices?: Array<{ delta?: { content?: unknown } }>; usage?: { completion_tokens?: unknown }; error?: unknown };
    try {
      chunk = JSON.parse(data);
    } catch {
      failure = 'unparsable event';
      return;
    }
    if (chunk.error !== undefined) {
      failure = 'error event';
      return;
    }
    const content = chunk.choices?.[0]?.delta?.content;
    if (typeof content === 'string' && content.length > 0) {
      contentChunks++;
      if (rec.firstToken === undefined) rec.firstToken = t;
      else if (last !== undefined) itl.push(Math.round((t - last) * 100) / 100);
      last = t;
    }
    if (typeof chunk.usage?.completion_tokens === 'number') rec.outputTokens = chunk.usage.completion_tokens;
  };
  try {
    for await (const piece of body) {
      const t = now();
      const text = typeof piece === 'string' ? piece : piece.toString('utf8');
      bytes += text.length;
      if (bytes > MAX_STREAM_BYTES) {
        failure = 'stream too long';
        break;
      }
      buf += text;
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl).replace(/\r$/, '');
        buf = buf.slice(nl + 1);
        onLine(line, t);
      }
    }
  } catch (err) {
    failure = `cut mid-stream (${(err as { code?: string }).code ?? (err as Error).message})`;
  }
  if (buf.trim() !== '') onLine(buf.trim(), now());
  if (rec.firstToken !== undefined) rec.lastToken = last;
  if (itl.length > 0) rec.itl = itl;
  if (rec.outputTokens === undefined && contentChunks > 0) rec.outputTokens = contentChunks;
  if (failure) return failure;
  if (!done) return 'ended without [DONE]';
  return undefined;
}

/** Overall streaming figures over every paced phase (steady and burst): TTFT from the intended start, ITL, decode rate. */
export function streamSummaries(records: readonly RequestRecord[]): { ttftMs: LatencySummary; itlMs: LatencySummary; outputTokensPerSecond: LatencySummary } {
  const ttft: number[] = [];
  const itl: number[] = [];
  const tps: number[] = [];
  for (const r of records) {
    if (r.phase === 'cold' || r.firstToken === undefined) continue;
    ttft.push(r.firstToken - r.intended);
    if (r.itl) for (const g of r.itl) itl.push(g);
    const n = r.outputTokens ?? 0;
    if (n > 1 && r.lastToken !== undefined && r.lastToken > r.firstToken) tps.push(((n - 1) * 1000) / (r.lastToken - r.firstToken));
  }
  return { ttftMs: latencySummary(ttft), itlMs: latencySummary(itl), outputTokensPerSecond: latencySummary(tps) };
}

/** The limits each provider's headers stated, per minute (per vendor: Azure's rpm derived from its TPM quota). */
/** What the probe saw of one provider's rate-limit headers: the last limits stated, the lowest remaining. */
export interface GrantSeen {
  style: 'openai' | 'anthropic';
  responses: number;
  limitRequests?: number;
  limitTokens?: number;
  limitInputTokens?: number;
  limitOutputTokens?: number;
  minRemainingRequests?: number;
  minRemainingTokens?: number;
  minRemainingInputTokens?: number;
  minRemainingOutputTokens?: number;
}

export function grantedLimits(seen: ReadonlyMap<string, GrantSeen>, vendors: Readonly<Record<string, string>>, models: Readonly<Record<string, string>> = {}): GrantedLimits[] {
  const out: GrantedLimits[] = [];
  for (const [provider, g] of [...seen].sort(([a], [b]) => a.localeCompare(b))) {
    const vendor = vendors[provider] ?? 'other';
    const per = grantedPerMinute(vendor, g, models[provider]);
    const e: GrantedLimits = { provider, vendor, style: g.style, responses: g.responses };
    if (per.rpm !== undefined) e.rpm = per.rpm;
    if (per.tpm !== undefined) e.tpm = per.tpm;
    if (g.limitRequests !== undefined) e.limitRequests = g.limitRequests;
    if (g.limitTokens !== undefined) e.limitTokens = g.limitTokens;
    if (g.minRemainingRequests !== undefined) e.minRemainingRequests = g.minRemainingRequests;
    if (g.minRemainingTokens !== undefined) e.minRemainingTokens = g.minRemainingTokens;
    // Anthropic's ITPM / OTPM are per-minute figures as stated
    if (g.limitInputTokens !== undefined) e.itpm = g.limitInputTokens;
    if (g.limitOutputTokens !== undefined) e.otpm = g.limitOutputTokens;
    if (g.minRemainingInputTokens !== undefined) e.minRemainingInputTokens = g.minRemainingInputTokens;
    if (g.minRemainingOutputTokens !== undefined) e.minRemainingOutputTokens = g.minRemainingOutputTokens;
    out.push(e);
  }
  return out;
}
