import type { TextEdit } from '../types';

/**
 * Applies edits given in offsets of `text`. Edits must not overlap; inserts at the same offset keep their
 * given order.
 */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const sorted = edits.map((e, i) => ({ e, i })).sort((a, b) => a.e.start - b.e.start || a.e.end - b.e.end || a.i - b.i);
  let out = '';
  let pos = 0;
  for (const { e } of sorted) {
    out += text.slice(pos, e.start) + e.newText;
    pos = Math.max(pos, e.end);
  }
  return out + text.slice(pos);
}

/** True when two edits touch overlapping text (two inserts at one point count as overlapping). */
export function overlaps(a: TextEdit, b: TextEdit): boolean {
  if (a.start === a.end && b.start === b.end) return a.start === b.start;
  return a.start < b.end && b.start < a.end || (a.start === a.end && a.start > b.start && a.start < b.end) || (b.start === b.end && b.start > a.start && b.start < a.end);
}
