import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { stringify } from 'yaml';
import { runChecks } from '../../src/checks/run.js';
import { parseManifest } from '../../src/manifest/load.js';
import type { Manifest } from '../../src/manifest/types.js';
import { terminalSafe } from '../../src/report/common.js';
import { renderText } from '../../src/report/text.js';
import { makeChalk } from '../../src/util/color.js';
import { runInProcess } from '../helpers/cli.js';
import { base } from '../helpers/manifest.js';

// a hyperlink that shows one thing and opens another (OSC 8), a colour, a carriage return that hides
// what came before on the line, a bell and a C1 control
const HOSTILE = 'ok\u001b]8;;https://evil.example/\u0007click\u001b]8;;\u0007 \u001b[31mred\u001b[0m\rcovered\u0007\u009b2J';

describe('the text report on a terminal', () => {
  it('shows control characters in manifest values as escapes, never sends them', () => {
    const m = base('compliant') as unknown as Manifest;
    m.metadata.operator = HOSTILE;
    m.tenants = [...(m.tenants ?? []), { id: 'ops', team: HOSTILE, dailyRequests: 10 }];
    const report = runChecks(parseManifest(stringify(m), 'hostile.yaml'));
    for (const chalk of [undefined, makeChalk('stdout', { FORCE_COLOR: '1' })]) {
      const text = renderText(report, { exitCode: 0, chalk, verbose: true });
      // the only escapes are the painter's own colour codes (ESC [ ... m) around our labels
      const withoutPaint = text.replace(/\u001b\[[0-9;]*m/g, '');
      assert.doesNotMatch(withoutPaint, /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
      assert.match(text, /ok\\u001b\]8;;https:\/\/evil\.example\/\\u0007click/);
      assert.match(text, /\\u000dcovered/);
    }
  });

  it('terminalSafe keeps newlines, tabs and every printable character, unicode included; bidi overrides are shown', () => {
    assert.equal(terminalSafe('a\tb\nc — 🚀 ü \u2067rtl\u2069'), 'a\tb\nc — 🚀 ü \u2067rtl\u2069', 'isolates, which RTL text uses, are kept');
    assert.equal(terminalSafe('acme\u202egnp.exe'), 'acme\\u202egnp.exe', 'an override would reverse what follows (Trojan Source)');
    assert.equal(terminalSafe('\u001b\u0000\u007f\u0085'), '\\u001b\\u0000\\u007f\\u0085');
  });

  it('readiness check prints it so through the CLI, and diff too', async () => {
    const { mkdtempSync, writeFileSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const path = await import('node:path');
    const dir = mkdtempSync(path.join(tmpdir(), 'readiness-text-'));
    try {
      const m = base('compliant') as unknown as Manifest;
      m.metadata.name = 'agent';
      m.metadata.operator = HOSTILE;
      writeFileSync(path.join(dir, 'a.yaml'), stringify(m));
      const r = await runInProcess(['check', 'a.yaml'], {}, dir);
      assert.equal(r.code, 0, r.stderr);
      assert.doesNotMatch(r.stdout, /\u001b|\r|\u0007/);
      const d = await runInProcess(['diff', 'a.yaml', 'a.yaml'], {}, dir);
      assert.doesNotMatch(d.stdout, /\u001b|\r|\u0007/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
