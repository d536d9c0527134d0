/**
 * Literal credentials that must never be written into a manifest, and never echoed back.
 * Patterns follow the prefixes the vendors document for their keys.
 */
const PATTERNS: Array<{ kind: string; re: RegExp }> = [
  { kind: 'OpenAI-style API key', re: /\bsk-(?:proj-|ant-|live-|svcacct-)?[A-Za-z0-9_-]{16,}/ },
  { kind: 'AWS access key id', re: /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/ },
  { kind: 'bearer token', re: /\bbearer\s+[A-Za-z0-9._~+/=-]{12,}/i },
  { kind: 'private key', re: /-----BEGIN [A-Z ]*PRIVATE KEY-----/ },
  { kind: 'Google API key', re: /\bAIza[0-9A-Za-z_-]{35}\b/ },
  { kind: 'GitHub token', re: /\bgh[pousr]_[A-Za-z0-9]{36,}\b/ },
  { kind: 'Slack token', re: /\bxox[abposr]-[A-Za-z0-9-]{10,}/ },
  { kind: 'Portkey/LiteLLM key', re: /\b(?:pk|sk)-[a-z]*-?[A-Za-z0-9]{32,}\b/ },
];

export function secretKind(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  for (const p of PATTERNS) if (p.re.test(value)) return p.kind;
  return undefined;
}

/** A value safe to quote in a message: a secret-looking string is replaced by a description. */
export function quote(value: unknown): string {
  const kind = secretKind(value);
  if (kind) return `<redacted ${kind}>`;
  // JSON would print NaN and Infinity as null: say what they are
  if (typeof value === 'number' && !Number.isFinite(value)) return Number.isNaN(value) ? '.nan (not a number)' : `${value > 0 ? '' : '-'}.inf (not a finite number)`;
  const s = JSON.stringify(value);
  if (s === undefined) return String(value);
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
}

/** What a literal secret is replaced with once the manifest is loaded: names the kind, never the value. */
export const REDACTED_PREFIX = '[REDACTED literal ';
export function redactedPlaceholder(kind: string): string {
  return `${REDACTED_PREFIX}${kind}]`;
}

export function redactedKind(value: unknown): string | undefined {
  return typeof value === 'string' && value.startsWith(REDACTED_PREFIX) && value.endsWith(']') ? value.slice(REDACTED_PREFIX.length, -1) : undefined;
}

/**
 * Replaces every string value (and key) that looks like a credential with a placeholder, in place
 * of a copy. Done right after loading, so no check, report, log line or generated file can echo a
 * secret that was pasted into the manifest; the no-literal-secrets check reports where they were.
 */
export function redactSecrets<T>(value: T): { value: T; count: number } {
  let count = 0;
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') {
      const kind = secretKind(v);
      if (kind) {
        count++;
        return redactedPlaceholder(kind);
      }
      return v;
    }
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) {
        const kind = secretKind(k);
        if (kind) count++;
        Object.defineProperty(out, kind ? redactedPlaceholder(kind) : k, { value: walk(x), enumerable: true, writable: true, configurable: true });
      }
      return out;
    }
    return v;
  };
  const out = walk(value) as T;
  return { value: count > 0 ? out : value, count };
}
