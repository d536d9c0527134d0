/**
 * Literal credentials that must never be written into a manifest, and never echoed back.
 * Patterns follow the prefixes the vendors document for their keys, and the rule set secretlint
 * maintains for them (secretlint/secretlint, packages/@secretlint/secretlint-rule-*:
 * https://github.com/secretlint/secretlint, e.g. secretlint-rule-anthropic for `sk-ant-api03-`).
 * secretlint itself is not a dependency: its API lints whole files asynchronously, while readiness
 * redacts every value synchronously as the manifest is loaded (src/manifest/load.ts) and in every
 * message; the patterns below are kept in step with its rules by hand.
 * Sources: Anthropic API keys https://docs.anthropic.com/en/api/getting-started (x-api-key, sk-ant-);
 * Stripe keys https://docs.stripe.com/keys (sk_live_, rk_live_); Hugging Face user access tokens
 * https://huggingface.co/docs/hub/security-tokens (hf_); JWT https://www.rfc-editor.org/rfc/rfc7519
 * (three base64url parts, the first two JSON objects, so "eyJ"); HTTP Basic
 * https://www.rfc-editor.org/rfc/rfc7617 (base64 of user:password); URL userinfo
 * https://www.rfc-editor.org/rfc/rfc3986#section-3.2.1 ("user:password" is deprecated: any userinfo is treated as a secret).
 */
const PATTERNS: Array<{ kind: string; re: RegExp; valid?: (match: string) => boolean }> = [
  { kind: 'Anthropic API key', re: /\bsk-ant-[a-z]+\d*-[A-Za-z0-9_-]{16,}/ },
  { kind: 'Stripe secret key', re: /\b[rs]k_(?:live|test)_[A-Za-z0-9]{16,}/ },
  { kind: 'OpenAI-style API key', re: /\bsk-(?:proj-|live-|svcacct-)?[A-Za-z0-9_-]{16,}/ },
  { kind: 'AWS access key id', re: /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/ },
  { kind: 'AWS secret access key', re: /aws.{0,20}secret.{0,20}[=:]\s*["']?[A-Za-z0-9/+=]{40}(?![A-Za-z0-9/+=])/i },
  { kind: 'bearer token', re: /\bbearer\s+[A-Za-z0-9._~+/=-]{12,}/i },
  { kind: 'Basic credentials', re: /\bbasic\s+([A-Za-z0-9+/]{4,}={0,2})/i, valid: (m) => /^[^:\s]*:[^\s]*$/.test(Buffer.from(m.split(/\s+/)[1] ?? '', 'base64').toString('latin1')) },
  { kind: 'private key', re: /-----BEGIN [A-Z ]*PRIVATE KEY-----/ },
  { kind: 'Google API key', re: /\bAIza[0-9A-Za-z_-]{35}\b/ },
  { kind: 'GitHub token', re: /\bgh[pousr]_[A-Za-z0-9]{36,}\b/ },
  { kind: 'Slack token', re: /\bxox[abposr]-[A-Za-z0-9-]{10,}/ },
  { kind: 'Hugging Face token', re: /\bhf_[A-Za-z0-9]{30,}\b/ },
  { kind: 'JSON Web Token', re: /\beyJ[A-Za-z0-9_-]{5,}\.eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}/ },
  { kind: 'Portkey/LiteLLM key', re: /\b(?:pk|sk)-[a-z]*-?[A-Za-z0-9]{32,}\b/ },
  { kind: 'credentials in a URL', re: /\b[a-z][a-z0-9+.-]*:\/\/[^/\s?#@]+@/i },
];

/** Keys whose value is a secret by its name, whatever it looks like (an AWS secret is 40 plain base64 characters). */
const SECRET_KEY = /^(?:aws_?)?secret_?access_?key$/i;

/**
 * A literal every pattern above needs (case-folded, so a superset): a string without any cannot match
 * one, and is passed over with one search instead of fifteen (most values are ids like `tenant-42`;
 * 10,000 tenants made this a tenth of loading a manifest). test/secrets-gate.test.ts holds the two equal.
 */
const MAY_HOLD = /sk|k_|akia|asia|aws|bearer|basic|-----begin|aiza|gh[pousr]_|xox|hf_|eyj|pk-|:\/\//i;

export function secretKind(value: unknown): string | undefined {
  if (typeof value !== 'string' || !MAY_HOLD.test(value)) return undefined;
  return secretKindUngated(value);
}

/** secretKind without the gate: every pattern tried (for the test that holds the gate to the patterns). */
export function secretKindUngated(value: string): string | undefined {
  for (const p of PATTERNS) {
    const m = p.re.exec(value);
    if (m && (!p.valid || p.valid(m[0]))) return p.kind;
  }
  return undefined;
}

/** secretKind of a value, also judging it by the key it is under (an AWS secret access key). */
export function secretKindUnder(key: string, value: unknown): string | undefined {
  const kind = secretKind(value);
  if (kind) return kind;
  if (typeof value === 'string' && SECRET_KEY.test(key.replace(/-/g, '_')) && /^[A-Za-z0-9/+=]{40}$/.test(value.trim())) return 'AWS secret access key';
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
  const walk = (v: unknown, under = ''): unknown => {
    if (typeof v === 'string') {
      const kind = secretKindUnder(under, v);
      if (kind) {
        count++;
        return redactedPlaceholder(kind);
      }
      return v;
    }
    if (Array.isArray(v)) return v.map((x) => walk(x));
    if (v && typeof v === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) {
        const kind = secretKind(k);
        if (kind) count++;
        Object.defineProperty(out, kind ? redactedPlaceholder(kind) : k, { value: walk(x, k), enumerable: true, writable: true, configurable: true });
      }
      return out;
    }
    return v;
  };
  const out = walk(value) as T;
  return { value: count > 0 ? out : value, count };
}

/**
 * Whether text being typed may be the start of a credential: a whole one (secretKind), or a word
 * beginning with a prefix the patterns above start with. A prompt hides such text as it is typed, so
 * that a pasted key is never drawn on the screen, not even in part before it is long enough to match.
 */
const CREDENTIAL_START = /(?:^|[\s"'=:|,])(?:sk-|sk_|rk_|pk-|AKIA[0-9A-Z]|ASIA[0-9A-Z]|AIza|gh[pousr]_|xox[abposr]-|hf_|eyJ|-----BEGIN)/;
const SCHEME_START = /(?:^|[\s"'=:|,])bearer\s+\S{4}/i;
export function looksLikeCredential(text: string): boolean {
  return secretKind(text) !== undefined || CREDENTIAL_START.test(text) || SCHEME_START.test(text);
}
