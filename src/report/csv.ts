/**
 * CSV as RFC 4180 writes it (https://www.rfc-editor.org/rfc/rfc4180#section-2): a header row, CRLF
 * after every record (the last too), a field quoted when it holds a comma, a double quote, CR or LF,
 * and a double quote inside a quoted field doubled.
 *
 * Formula-injection safe, as OWASP advises (https://owasp.org/www-community/attacks/CSV_Injection,
 * source github:OWASP/www-community pages/attacks/CSV_Injection.md): a spreadsheet runs a cell that
 * begins with = + - @ tab CR or LF as a formula, so such a cell is prefixed with a single quote and
 * read as text. A tenant id of `=HYPERLINK(...)` stays a name. Pure.
 */

/** Whether a spreadsheet would read a cell starting with this character as a formula (OWASP's list: = + - @ tab CR LF). */
function startsFormula(s: string): boolean {
  const c = s.charCodeAt(0);
  return c === 0x3d || c === 0x2b || c === 0x2d || c === 0x40 || c === 0x09 || c === 0x0d || c === 0x0a;
}

const NEEDS_QUOTES = /[",\r\n]/;

/** One field: prefixed when it would start a formula, quoted when RFC 4180 needs it. */
export function csvField(value: string | number | undefined): string {
  if (value === undefined) return '';
  let s = typeof value === 'number' ? String(value) : value;
  if (s === '') return s;
  if (startsFormula(s)) s = `'${s}`;
  return NEEDS_QUOTES.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** One record, CRLF-terminated. */
export function csvRecord(fields: ReadonlyArray<string | number | undefined>): string {
  return `${fields.map(csvField).join(',')}\r\n`;
}

/** A whole file: the header row, then one record per row. */
export function csv(header: readonly string[], rows: Iterable<ReadonlyArray<string | number | undefined>>): string {
  const out = [csvRecord(header)];
  for (const r of rows) out.push(csvRecord(r));
  return out.join('');
}
