#!/usr/bin/env node
// Precompiles the manifest JSON Schema into a standalone ajv validator (dist/validators/manifest.cjs),
// so `readiness check` does not pay ajv's schema compilation (~100 ms) on every start. The module
// records the sha256 of the schema it was built from; src/manifest/schema.ts falls back to compiling
// at run time when the schema has changed since the build.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import _Ajv2020 from 'ajv/dist/2020.js';
import _standalone from 'ajv/dist/standalone/index.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const Ajv2020 = _Ajv2020.default ?? _Ajv2020;
const standaloneCode = _standalone.default ?? _standalone;

// keep these options identical to src/manifest/schema.ts AJV_OPTIONS
const AJV_OPTIONS = { allErrors: true, verbose: true, strict: true, allowUnionTypes: true };

const text = readFileSync(path.join(root, 'schemas', 'manifest.schema.json'), 'utf8');
const ajv = new Ajv2020({ ...AJV_OPTIONS, code: { source: true } });
const validate = ajv.compile(JSON.parse(text));
const sha = createHash('sha256').update(text).digest('hex');
const code = `${standaloneCode(ajv, validate)}\nmodule.exports.schemaSha256 = ${JSON.stringify(sha)};\n`;
const out = path.join(root, 'dist', 'validators', 'manifest.cjs');
mkdirSync(path.dirname(out), { recursive: true });
writeFileSync(`${out}.tmp`, code);
renameSync(`${out}.tmp`, out);
