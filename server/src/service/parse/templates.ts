import type { OffsetRange } from '../types';

/**
 * Ranges of every template action in `text`: `{{ … }}` (and `{{- … -}}`) on one line, the first `}}` closing it.
 * Empty and fast when there is no `{{`. Linear: a line of `{{` with no `}}` is passed over once (a regular
 * expression retried from every `{{` of a 100 KB line took tens of seconds).
 */
export function templateActions(text: string): OffsetRange[] {
  let open = text.indexOf('{{');
  if (open < 0) return [];
  const out: OffsetRange[] = [];
  while (open >= 0) {
    const lineEnd = lineEndOf(text, open);
    const close = text.indexOf('}}', open + 2);
    if (close < 0) break;
    if (close + 2 > lineEnd) {
      // No action that opens on this line closes on it.
      open = text.indexOf('{{', lineEnd);
      continue;
    }
    out.push({ start: open, end: close + 2 });
    open = text.indexOf('{{', close + 2);
  }
  return out;
}

/**
 * The text with every action that stands alone on its line (`{{- if .Values.x }}`, `{{ include … | nindent 4 }}`)
 * replaced by spaces, so the YAML around it parses as the manifest it will render to. Offsets do not move, and
 * actions inside values are kept: they mark those values as templated.
 */
export function blankLineOnlyActions(text: string, actions: readonly OffsetRange[]): string {
  if (actions.length === 0) return text;
  let out = '';
  let pos = 0;
  let i = 0;
  while (i < actions.length) {
    const lineStart = lineStartOf(text, actions[i].start);
    let j = i;
    // Collect the actions of this line and check that only whitespace lies around and between them.
    let cursor = lineStart;
    let alone = true;
    while (j < actions.length && lineStartOf(text, actions[j].start) === lineStart) {
      if (text.slice(cursor, actions[j].start).trim() !== '') alone = false;
      cursor = actions[j].end;
      j++;
    }
    const lineEnd = lineEndOf(text, cursor);
    if (text.slice(cursor, lineEnd).trim() !== '') alone = false;
    if (alone) {
      out += text.slice(pos, lineStart) + text.slice(lineStart, lineEnd).replace(/[^\s]/g, ' ');
      pos = lineEnd;
    }
    i = j;
  }
  return out + text.slice(pos);
}

/** True when `range` touches any of the (sorted) template action ranges. */
export function overlapsTemplate(range: OffsetRange, actions: readonly OffsetRange[]): boolean {
  let lo = 0;
  let hi = actions.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const a = actions[mid];
    if (a.end <= range.start) lo = mid + 1;
    else if (a.start >= Math.max(range.end, range.start + 1)) hi = mid - 1;
    else return true;
  }
  return false;
}

/** The start of the line holding `offset`, scanning back over that line only. */
function lineStartOf(text: string, offset: number): number {
  let i = offset - 1;
  while (i >= 0) {
    const c = text.charCodeAt(i);
    if (c === 10 || c === 13) break;
    i--;
  }
  return i + 1;
}

/** The end of the line holding `offset` (before its line break), scanning forward over that line only. */
function lineEndOf(text: string, offset: number): number {
  let i = offset;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 10 || c === 13) break;
    i++;
  }
  return i;
}
