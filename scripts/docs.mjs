#!/usr/bin/env node
// Regenerates docs/checks.md from the check catalogue (run by `npm run docs`, after the build).
// test/docs.test.ts fails when the committed file differs from what this writes.
import { renderChecksDoc } from '../dist/src/report/checks-doc.js';
import { writeAtomic } from '../dist/src/util/atomic.js';
import { fromRoot } from '../dist/src/util/paths.js';

const target = fromRoot('docs', 'checks.md');
await writeAtomic(target, renderChecksDoc());
process.stderr.write(`wrote ${target}\n`);
