/**
 * A string with its control characters (C0 but newline and tab, DEL, C1) shown as \u escapes: safe to
 * print on a terminal, in a CI log or in a one-line header, where a raw ESC, CR or newline from a
 * manifest value could recolour, hide or break what surrounds it.
 */
export function controlsEscaped(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** controlsEscaped, and newlines, tabs and Unicode line separators too: for text that must stay on one line. */
export function oneLine(text: string): string {
  return controlsEscaped(text).replace(/[\n\t\u2028\u2029]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
