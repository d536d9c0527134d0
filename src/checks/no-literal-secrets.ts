import { redactedKind } from '../util/secrets.js';
import { fail, pass } from './finding.js';
import type { Check, Finding } from './types.js';

/** Every place in the manifest (keys and values) where the loader replaced a literal secret. */
function secretPaths(v: unknown, path: Array<string | number> = [], out: Array<{ path: Array<string | number>; kind: string }> = []) {
  const kind = redactedKind(v);
  if (kind) out.push({ path, kind });
  else if (Array.isArray(v)) v.forEach((x, i) => secretPaths(x, [...path, i], out));
  else if (v && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) {
      const keyKind = redactedKind(k);
      if (keyKind) out.push({ path, kind: keyKind });
      else secretPaths(x, [...path, k], out);
    }
  }
  return out;
}

export const noLiteralSecrets: Check = {
  id: 'no-literal-secrets',
  title: 'No literal credentials in the manifest',
  rationale:
    'A manifest is reviewed, committed and attached to tickets; a provider key pasted into it is leaked to everyone who reads it, and is often the same key that pays for production traffic. Secrets belong in the environment or a secret store, referenced by name.',
  remediation:
    'Remove the value, rotate the key (treat it as leaked), store it in an environment variable or secret manager and reference it by name (providers[].apiKeyEnv).',
  sources: [
    { title: 'OWASP Secrets Management Cheat Sheet', url: 'https://cheatsheetseries.owasp.org/cheatsheets/Secrets_Management_Cheat_Sheet.html' },
    { title: 'The Twelve-Factor App: config in the environment', url: 'https://12factor.net/config' },
  ],
  run({ model }) {
    const hits = secretPaths(model.manifest);
    if (hits.length === 0) return [pass([], 'no literal credentials found: secrets are referenced by environment variable name')];
    return hits.map(
      (h): Finding =>
        fail(
          h.path,
          `a literal ${h.kind} is written in the manifest (value not shown)`,
          'Remove it from the manifest and rotate it: it has been exposed to everyone with the file. Put it in an environment variable and reference the variable by name (apiKeyEnv).',
          { kind: h.kind },
        ),
    );
  },
};
