import type { OffsetRange } from '../types';

/** A Go/Helm template action on one line: `{{ … }}`, `{{- … -}}`. */
const ACTION = /\{\{(?:[^}\n\r]|\}(?!\}))*\}\}/g;

/** Ranges of every template action in `text` (empty and fast when there is no `{{`). */
export function templateActions(text: string): OffsetRange[] {
  if (!text.includes('{{')) return [];
  const out: OffsetRange[] = [];
  for (const m of text.matchAll(ACTION)) out.push({ start: m.index!, end: m.index! + m[0].length });
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

function lineStartOf(text: string, offset: number): number {
  const n = text.lastIndexOf('\n', offset - 1);
  const r = text.lastIndexOf('\r', offset - 1);
  return Math.max(n, r) + 1;
}

function lineEndOf(text: string, offset: number): number {
  const m = /[\r\n]/.exec(text.slice(offset));
  return m ? offset + m.index : text.length;
}
