#!/usr/bin/env node
// Regenerates the rules section of docs/drift.md from the drift catalogue (after the build).
// test/drift.test.ts fails when the committed section differs from what this writes.
import { readFileSync } from 'node:fs';
import { DRIFT_DOC_BEGIN, DRIFT_DOC_END, renderDriftRulesDoc } from '../dist/src/drift/doc.js';
import { writeAtomic } from '../dist/src/util/atomic.js';
import { fromRoot } from '../dist/src/util/paths.js';

const target = fromRoot('docs', 'drift.md');
const text = readFileSync(target, 'utf8');
const a = text.indexOf(DRIFT_DOC_BEGIN);
const b = text.indexOf(DRIFT_DOC_END);
if (a < 0 || b < 0) throw new Error(`${target}: generated-section markers not found`);
await writeAtomic(target, text.slice(0, a) + renderDriftRulesDoc() + text.slice(b + DRIFT_DOC_END.length + 1));
process.stderr.write(`wrote ${target}\n`);
