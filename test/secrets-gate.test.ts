// secretKind passes over a string without any literal the patterns need (a one-search gate); the gate must
// never hide a credential the patterns find. Held equal on strings built from the patterns' own pieces.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { secretKind, secretKindUngated } from '../src/util/secrets.js';

// the pieces the patterns are made of, in both cases, and filler that makes up the rest of a key
const PIECES = [
  'sk-ant-api03-', 'sk_live_', 'rk_test_', 'sk-', 'sk-proj-', 'sk-svcacct-', 'AKIA', 'ASIA', 'aws', 'AWS_', 'secret', 'SECRET', '=', ': ', '"',
  'bearer ', 'Bearer ', 'BASIC ', 'basic ', 'dXNlcjpwYXNz', '-----BEGIN RSA PRIVATE KEY-----', 'AIza', 'ghp_', 'gho_', 'ghs_', 'xoxb-', 'xoxp-', 'hf_',
  'eyJ', '.eyJ', '.', 'pk-', 'pk-lf-', 'sk-lf-', 'https://', 'postgres://', 'user:pw@', '@', 'tenant-', '/',
];
const FILLER = fc.stringMatching(/^[A-Za-z0-9_+/=-]{0,44}$/);

test('the gate never hides a credential the patterns find (random strings of the patterns\' pieces and filler)', () => {
  const piece = fc.oneof(fc.constantFrom(...PIECES), FILLER, fc.constantFrom(...PIECES).map((p) => p.toUpperCase()), fc.constantFrom(...PIECES).map((p) => p.toLowerCase()));
  fc.assert(
    fc.property(fc.array(piece, { minLength: 1, maxLength: 6 }), (parts) => {
      const s = parts.join('');
      assert.equal(secretKind(s), secretKindUngated(s), s);
    }),
    { numRuns: 20_000, seed: 20261203 },
  );
});

test('the gate: each kind is still found through it; plain ids pass over', () => {
  const samples: Record<string, string> = {
    'Anthropic API key': 'sk-ant-api03-abcdefghijklmnopqrstuvwxyz',
    'Stripe secret key': 'rk_live_abcdefghijklmnop1234',
    'OpenAI-style API key': 'sk-proj-abcdefghijklmnopqrstuvwxyz012345',
    'AWS access key id': 'AKIAABCDEFGHIJKLMNOP',
    'AWS secret access key': 'aws_secret_access_key = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJ0123"',
    'bearer token': 'Authorization: Bearer abcdefghijklmnop',
    'Basic credentials': 'Authorization: Basic dXNlcjpwYXNzd29yZA==',
    'private key': '-----BEGIN OPENSSH PRIVATE KEY-----',
    'Google API key': `AIza${'a'.repeat(35)}`,
    'GitHub token': `ghp_${'a'.repeat(36)}`,
    'Slack token': 'xoxb-1234567890-abcdef',
    'Hugging Face token': `hf_${'a'.repeat(30)}`,
    'JSON Web Token': 'eyJhbGciOi.eyJzdWIiOi.abcdefgh',
    'Portkey/LiteLLM key': `pk-lf-${'a'.repeat(32)}`,
    'credentials in a URL': 'postgres://admin:hunter2@db.internal:5432/litellm',
  };
  for (const [kind, value] of Object.entries(samples)) {
    assert.equal(secretKindUngated(value), kind, value);
    assert.equal(secretKind(value), kind, value);
  }
  for (const id of ['tenant-42', 'use-case-3', 'team-9999', 'openai-main', 'gpt-4o-mini', 'https://api.openai.com/v1', '']) assert.equal(secretKind(id), undefined, id);
});
