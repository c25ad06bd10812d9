/**
 * Text for a terminal or a CI log, one line per record: control characters (line breaks, ESC, DEL, C1), bidi
 * overrides and isolates, and the Unicode line separators are written as escapes, so a crafted file name, image,
 * Secret name or registry message can neither forge a `path:line:col` line for a problem matcher nor rewrite what
 * the terminal shows.
 *
 * @example printable('a\nb.yaml:1:1 error x') === 'a\\nb.yaml:1:1 error x'
 */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

export function printable(text: string): string {
  return text.replace(UNSAFE, (c) => NAMED[c] ?? `\\u{${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}}`);
}
