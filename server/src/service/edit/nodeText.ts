import { isAlias, isMap, isPair, isScalar, isSeq, type Node, type Pair } from 'yaml';
import type { Lines } from '../text/lines';

/**
 * Reading nodes back as source text, so that edits can move or copy YAML without re-serializing it: quoting,
 * comments and spacing of the moved text survive as written.
 */

/**
 * Offset just past a node's own content, excluding any trailing comment and line break. `yaml` gives block
 * collections a `valueEnd` that already covers the comment and newline after their last item, and block scalars
 * one that covers their final line break, so both are narrowed here. Null for nodes without a range.
 */
export function contentEnd(text: string, node: unknown): number | null {
  if (isPair(node)) return pairContentEnd(text, node);
  if (!node || typeof node !== 'object') return null;
  const range = (node as Node).range;
  if (!range) return null;
  if ((isMap(node) || isSeq(node)) && !node.flow) {
    const last = node.items[node.items.length - 1];
    return (last !== undefined ? contentEnd(text, last) : null) ?? range[1];
  }
  let end = range[1];
  if (isScalar(node) && (node.type === 'BLOCK_LITERAL' || node.type === 'BLOCK_FOLDED')) {
    while (end > range[0] && (text[end - 1] === '\n' || text[end - 1] === '\r')) end--;
  }
  return end;
}

/** Offset just past a pair's value, or past its key when the value is empty (`key:`). */
export function pairContentEnd(text: string, pair: Pair): number {
  const keyEnd = (pair.key as Node).range![1];
  const v = pair.value as Node | null;
  const empty = !v || !v.range || (isScalar(v) && v.value === null && v.range[0] === v.range[1]);
  return empty ? keyEnd : contentEnd(text, v) ?? keyEnd;
}

/** Offset where a node starts, or null. */
export function nodeStart(node: unknown): number | null {
  if (isPair(node)) return (node.key as Node).range?.[0] ?? null;
  return (node as Node | null)?.range?.[0] ?? null;
}

/** Column of an offset on its line. */
export function columnOf(lines: Lines, offset: number): number {
  return offset - lines.start(lines.lineOf(offset));
}

/** The last line holding content of the span `[start, end)` (the line of `end - 1`, never before `start`'s). */
export function lastLineOf(lines: Lines, start: number, end: number): number {
  return lines.lineOf(Math.max(end - 1, start));
}

/** True when only spaces precede `offset` on its line (it does not follow a `- ` or a key). */
export function startsLine(lines: Lines, offset: number): boolean {
  return lines.text.slice(lines.start(lines.lineOf(offset)), offset).trim() === '';
}

/** Removes up to `col` leading spaces: re-bases a continuation line on the column its block started at. */
export function rebase(line: string, col: number): string {
  const spaces = /^ */.exec(line)![0].length;
  return line.slice(Math.min(spaces, col));
}

/**
 * The source of `[start, end)` as block text re-based on column `col` (lines joined with `\n`, whatever the
 * file uses), running to the end of the last line so a trailing comment comes along.
 *
 * @example source `    - name: a  # ci\n      x: 1` from the `-`, col 4 → `- name: a  # ci\n  x: 1`
 */
export function blockSource(lines: Lines, start: number, end: number, col: number): string {
  const first = lines.lineOf(start);
  const last = lastLineOf(lines, start, end);
  const rows = [lines.text.slice(start, lines.end(first))];
  for (let l = first + 1; l <= last; l++) rows.push(rebase(lines.lineText(l), col));
  return rows.join('\n');
}

/**
 * First line of the full-line comments directly above `line` at exactly column `col` (no blank line between):
 * the comments that describe the key on `line` and should move or go with it. `line` itself when none.
 */
export function attachedCommentsStart(lines: Lines, line: number, col: number): number {
  let first = line;
  while (first > 0) {
    const prev = lines.lineText(first - 1);
    const m = /^( *)#/.exec(prev);
    if (!m || m[1].length !== col) break;
    first--;
  }
  return first;
}

/**
 * A node written so that it can sit inside a flow collection (`[…]`, `{…}`): its own text when it is a scalar or
 * a one-line flow collection; a block map of one-line scalar pairs becomes `{k: v, …}`, a block list `[…]`.
 * Null when that cannot be done without re-serializing or losing something (comments, nested blocks,
 * multi-line values).
 */
export function flowSource(text: string, node: unknown): string | null {
  const start = nodeStart(node);
  const end = contentEnd(text, node);
  if (start === null || end === null) return null;
  const oneLine = (s: string) => (/[\r\n#]/.test(s) ? null : s);
  if (isScalar(node)) {
    if (node.type === 'BLOCK_LITERAL' || node.type === 'BLOCK_FOLDED') return null;
    const source = text.slice(start, end);
    // Flow indicators end a plain scalar inside `[…]`, so such a scalar cannot be carried over as written.
    return node.type === 'PLAIN' && /[,[\]{}]/.test(source) ? null : oneLine(source);
  }
  if ((isMap(node) || isSeq(node)) && node.flow) return oneLine(text.slice(start, end));
  // A block collection loses its comments in flow form: refuse rather than drop them silently.
  const lineEnd = /[\r\n]|$/.exec(text.slice(end))!.index + end;
  if (text.slice(start, lineEnd).includes('#')) return null;
  if (isMap(node)) {
    const parts: string[] = [];
    for (const pair of node.items) {
      const v = pair.value;
      if (!isScalar(pair.key) || !isScalar(v) || v.type === 'BLOCK_LITERAL' || v.type === 'BLOCK_FOLDED') return null;
      const part = oneLine(text.slice(nodeStart(pair)!, pairContentEnd(text, pair as Pair)));
      if (part === null) return null;
      parts.push(part);
    }
    return `{${parts.join(', ')}}`;
  }
  if (isSeq(node)) {
    const parts = node.items.map((i) => flowSource(text, i));
    return parts.every((p): p is string => p !== null) ? `[${parts.join(', ')}]` : null;
  }
  return null;
}

/** The line break that ends `line`, or the file's usual one for the last line. */
export function eolAfter(lines: Lines, line: number): string {
  if (line + 1 >= lines.count) return lines.eol;
  return lines.text.slice(lines.end(line), lines.start(line + 1)) || lines.eol;
}

/**
 * True when a node or anything in it is an alias (`*a`) or carries an anchor (`&a`). Moving such text could put
 * an alias before its anchor or define an anchor twice, so moves refuse it.
 */
export function usesAnchors(node: unknown): boolean {
  if (isAlias(node)) return true;
  if (isPair(node)) return usesAnchors(node.key) || usesAnchors(node.value);
  if (!node || typeof node !== 'object') return false;
  if ((node as { anchor?: string }).anchor) return true;
  return (isMap(node) || isSeq(node)) && (node.items as unknown[]).some(usesAnchors);
}
