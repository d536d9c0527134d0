import path from 'node:path';
import type { LocatedWaiver } from '../checks/waiver-types.js';
import { isValidDate } from '../util/dates.js';
import { type Diagnostic, InputError } from '../util/errors.js';
import { readBounded } from '../util/read-bounded.js';
import { DEFAULT_MAX_BYTES, type LoadedManifest, decodeInput, parseYamlLocated } from './load.js';
import { describeSchemaError } from './messages.js';
import { waiversFileValidator } from './schema.js';
import type { Waiver } from './types.js';

/** The manifest's own `waivers:`, each located at its list item. */
export function manifestWaivers(loaded: Pick<LoadedManifest, 'file' | 'manifest' | 'locate'>): LocatedWaiver[] {
  return (loaded.manifest.waivers ?? []).map((w, i) => ({ ...w, file: loaded.file, index: i, ...loaded.locate(['waivers', i]) }));
}

/**
 * Parses a waivers file (YAML: `waivers:` and the same list the manifest takes) and validates it.
 * A waiver without check, reason, owner or a real expiry date is invalid input: InputError with file:line:col.
 */
export function parseWaivers(input: string | Uint8Array, file: string): LocatedWaiver[] {
  // the same limits as a manifest: size, UTF-8, YAML errors, duplicate keys, alias bombs
  const { source } = decodeInput(input, file, DEFAULT_MAX_BYTES, 'a waivers file');
  const { data, locate } = parseYamlLocated(source, file, 'file is empty: expected `waivers:` and a list of waivers');
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
  return (data as { waivers: Waiver[] }).waivers.map((w, i) => ({ ...w, file, index: i, ...locate(['waivers', i]) }));
}

export async function loadWaiversFile(file: string, cwd?: string): Promise<LocatedWaiver[]> {
  const source = await readBounded(cwd ? path.resolve(cwd, file) : file, { maxBytes: DEFAULT_MAX_BYTES, what: 'a waivers file', shownAs: file });
  return parseWaivers(new Uint8Array(source), file);
}
