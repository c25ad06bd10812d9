import { isSeq, type Node, type YAMLMap, type YAMLSeq } from 'yaml';
import type { Lines } from '../text/lines';
import type { TextEdit } from '../types';
import { blockSource, columnOf, contentEnd, flowSource, lastLineOf, nodeStart, startsLine } from './nodeText';
import { insertLinesAfter, removeLines } from './movePair';

/** Edits on sequence items made from source text: appending copied items, removing one, wrapping a map. */

/** A sequence item's source, in the two shapes a destination sequence may need. */
export interface ItemText {
  /** Block form without its `- `, re-based on the item's column, lines joined with `\n`. */
  block: string;
  /** One-line form for a flow sequence, or null. */
  flow: string | null;
}

/**
 * Reads a node as a sequence item ({@link ItemText}); `inFlow` when it sits inside a flow collection, whose
 * closing bracket shares its line. Null when it has no source (an empty `-`).
 */
export function itemSource(lines: Lines, item: unknown, inFlow: boolean): ItemText | null {
  const start = nodeStart(item);
  const end = contentEnd(lines.text, item);
  if (start === null || end === null || end <= start) return null;
  const flow = flowSource(lines.text, item);
  if (inFlow) return flow === null ? null : { block: flow, flow };
  return { block: blockSource(lines, start, end, columnOf(lines, start)), flow };
}

/** Offset of the `-` that introduces a block sequence item starting at `itemStart` on the same line, or null. */
export function dashBefore(text: string, itemStart: number): number | null {
  let i = itemStart - 1;
  while (i >= 0 && text[i] === ' ') i--;
  return i >= 0 && text[i] === '-' ? i : null;
}

/**
 * Appends items to a non-empty sequence (or fills an empty flow `[]`), copying the dash column and the spacing
 * after the dash of its last item. Null when the sequence's shape gives no safe place or a flow sequence would
 * need a multi-line item.
 */
export function appendSeqItems(lines: Lines, seq: YAMLSeq, items: readonly ItemText[]): TextEdit | null {
  const text = lines.text;
  if (seq.flow) {
    const flows = items.map((i) => i.flow);
    if (!flows.every((f): f is string => f !== null)) return null;
    const last = seq.items[seq.items.length - 1];
    if (last === undefined) {
      const [start] = seq.range!;
      return { start, end: contentEnd(text, seq)!, newText: `[${flows.join(', ')}]` };
    }
    const end = contentEnd(text, last);
    return end === null ? null : { start: end, end, newText: `, ${flows.join(', ')}` };
  }
  const last = seq.items[seq.items.length - 1];
  const start = nodeStart(last);
  const end = contentEnd(text, last);
  const dash = start === null ? null : dashBefore(text, start);
  if (start === null || end === null || dash === null) return null;
  const gap = Math.max(2, start - dash);
  const rows: string[] = [];
  for (const item of items) {
    item.block.split('\n').forEach((r, i) => rows.push(i === 0 ? `-${' '.repeat(gap - 1)}${r}` : r.length ? ' '.repeat(gap) + r : r));
  }
  return insertLinesAfter(lines, lastLineOf(lines, start, end), ' '.repeat(columnOf(lines, dash)), rows.join('\n'));
}

/**
 * Removes one item: in a block sequence its whole lines (only when its dash starts the line), in a flow sequence
 * the item and one adjacent comma. Null when there is no safe edit.
 */
export function removeSeqItem(lines: Lines, seq: YAMLSeq, item: unknown): TextEdit | null {
  const text = lines.text;
  const index = seq.items.indexOf(item);
  const start = nodeStart(item);
  const end = contentEnd(text, item);
  if (index < 0 || start === null || end === null) return null;
  if (seq.flow) {
    const next = seq.items[index + 1];
    if (next !== undefined) return { start, end: nodeStart(next) ?? end, newText: '' };
    const prevEnd = index > 0 ? contentEnd(text, seq.items[index - 1]) : null;
    return { start: prevEnd ?? start, end, newText: '' };
  }
  const dash = dashBefore(text, start);
  if (dash === null || !startsLine(lines, dash)) return null;
  return removeLines(lines, lines.lineOf(dash), lastLineOf(lines, start, end));
}

/**
 * Turns a map written where a list belongs into a one-item list, in place: a flow map `{name: a}` becomes
 * `[{name: a}]`; a block map gets `- ` before its first key and two more spaces on each following line, so
 * `name: a` / `  x: 1` under `imagePullSecrets:` becomes `- name: a` / `    x: 1`.
 */
export function wrapMapInList(lines: Lines, map: YAMLMap): TextEdit[] | null {
  const text = lines.text;
  const start = nodeStart(map);
  const end = contentEnd(text, map);
  if (start === null || end === null) return null;
  if (map.flow) {
    return text[start] === '{' ? [{ start, end: start, newText: '[' }, { start: end, end, newText: ']' }] : null;
  }
  if (!startsLine(lines, start)) return null;
  const edits: TextEdit[] = [{ start, end: start, newText: '- ' }];
  for (let l = lines.lineOf(start) + 1; l <= lastLineOf(lines, start, end); l++) {
    if (lines.lineText(l).trim() !== '') edits.push({ start: lines.start(l), end: lines.start(l), newText: '  ' });
  }
  return edits;
}

/**
 * How far a map's block lists put their dash right of their key, so that a new list matches the file's style:
 * 0 for `containers:` / `- name: a`, 2 for `containers:` / `  - name: a`. 0 when the map has no block list.
 */
export function blockListOffset(lines: Lines, map: YAMLMap): number {
  for (const p of map.items) {
    const v = p.value;
    const first = isSeq(v) && !v.flow ? nodeStart(v.items[0]) : null;
    const dash = first === null ? null : dashBefore(lines.text, first);
    const key = (p.key as Node | null)?.range;
    if (dash !== null && key) return Math.max(0, columnOf(lines, dash) - columnOf(lines, key[0]));
  }
  return 0;
}
