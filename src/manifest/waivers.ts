import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { yamlLib } from './yaml-lib.js';
import { isValidDate, type LocatedWaiver } from '../checks/waivers.js';
import { type Diagnostic, InputError } from '../util/errors.js';
import type { LoadedManifest } from './load.js';
import { makeLocator } from './locate.js';
import { describeSchemaError } from './messages.js';
import { waiversFileValidator } from './schema.js';
import type { Waiver } from './types.js';

/** The manifest's own `waivers:`, each located at its list item. */
export function manifestWaivers(loaded: Pick<LoadedManifest, 'file' | 'manifest' | 'locate'>): LocatedWaiver[] {
  return (loaded.manifest.waivers ?? []).map((w, i) => ({ ...w, file: loaded.file, ...loaded.locate(['waivers', i]) }));
}

/**
 * Parses a waivers file (YAML: `waivers:` and the same list the manifest takes) and validates it.
 * A waiver without check, reason, owner or a real expiry date is invalid input: InputError with file:line:col.
 */
export function parseWaivers(source: string, file: string): LocatedWaiver[] {
  const { LineCounter, parseDocument } = yamlLib();
  const lineCounter = new LineCounter();
  const doc = parseDocument(source, { lineCounter, prettyErrors: true, uniqueKeys: true, strict: true, version: '1.2' });
  if (doc.errors.length > 0) {
    throw new InputError(
      doc.errors.map((e) => {
        const p = lineCounter.linePos(e.pos[0]);
        return { file, line: p.line, column: p.col, message: `YAML: ${e.message.split('\n')[0]}` };
      }),
    );
  }
  if (doc.contents === null) throw new InputError([{ file, line: 1, column: 1, message: 'file is empty: expected `waivers:` and a list of waivers' }]);
  const data = doc.toJS({ maxAliasCount: 100 }) as unknown;
  const locate = makeLocator(doc, lineCounter);
  const validate = waiversFileValidator();
  const diagnostics: Diagnostic[] = [];
  if (!validate(data)) {
    for (const e of validate.errors ?? []) {
      const m = describeSchemaError(e);
      // describeSchemaError names the document root "manifest": here it is the waivers file
      const message = e.instancePath === '' ? m.message.replace(/\bmanifest\b/, 'waivers file') : m.message;
      diagnostics.push({ file, ...locate(m.path, { key: m.key }), message });
    }
  } else {
    (data as { waivers: Waiver[] }).waivers.forEach((w, i) => {
      if (!isValidDate(w.expires)) {
        diagnostics.push({ file, ...locate(['waivers', i, 'expires']), message: `waivers[${i}].expires: "${w.expires}" is not a calendar date (YYYY-MM-DD)` });
      }
    });
  }
  if (diagnostics.length > 0) throw new InputError(diagnostics.sort((a, b) => a.line - b.line || a.column - b.column));
  return (data as { waivers: Waiver[] }).waivers.map((w, i) => ({ ...w, file, ...locate(['waivers', i]) }));
}

export async function loadWaiversFile(file: string, cwd?: string): Promise<LocatedWaiver[]> {
  let source: string;
  try {
    source = await readFile(cwd ? path.resolve(cwd, file) : file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new InputError([{ file, line: 1, column: 1, message: `cannot read waivers file: ${code === 'ENOENT' ? 'no such file' : String(code ?? err)}` }]);
  }
  return parseWaivers(source, file);
}
