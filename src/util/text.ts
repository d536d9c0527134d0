/**
 * A string with its control characters (C0 but newline and tab, DEL, C1) and bidirectional
 * embeddings and overrides (U+202A-U+202E, which reverse the text that follows: "Trojan Source")
 * shown as \u escapes: safe to print on a terminal, in a CI log, a report or a one-line header, where
 * a raw ESC, CR or override from a manifest value could recolour, hide, reorder or break what
 * surrounds it. Bidi isolates (U+2066-U+2069), which right-to-left text uses, are kept.
 */
export function controlsEscaped(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** controlsEscaped, and newlines, tabs and Unicode line separators too: for text that must stay on one line. */
export function oneLine(text: string): string {
  return controlsEscaped(text).replace(/[\n\t\u2028\u2029]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
