import type { Node, Pair, YAMLMap } from 'yaml';
import type { Lines } from '../text/lines';
import type { TextEdit } from '../types';
import {
  attachedCommentsStart, blockSource, columnOf, eolAfter, flowSource, lastLineOf, nodeStart, pairContentEnd, rebase, startsLine,
} from './nodeText';
import { removePair } from './pairEdits';

/**
 * Edits for moving a `key: value` pair from one map to another as source text. Insertions are whole new lines
 * placed at the start of the line after their anchor, so that they never overlap a removal of the lines that
 * follow the anchor (a pair moved out of the last container of a pod spec to the end of that pod spec).
 */

/** A pair's source, in the two shapes a destination map may need. */
export interface PairText {
  /**
   * Block form re-based on the key's column, lines joined with `\n`: the full-line comments directly above the
   * key, the pair as written, and its trailing comment.
   */
  block: string;
  /** One-line form for a flow map (`key: [{name: a}]`), or null when the pair cannot be written so as it is. */
  flow: string | null;
}

/** Reads a pair of `map` as {@link PairText}. */
export function pairSource(lines: Lines, map: YAMLMap, pair: Pair): PairText {
  const text = lines.text;
  const key = pair.key as Node;
  const keyStart = key.range![0];
  const end = pairContentEnd(text, pair);
  const value = flowSource(text, pair.value);
  const flow = end > key.range![1] && value !== null ? `${text.slice(keyStart, key.range![1])}: ${value}` : null;
  const col = columnOf(lines, keyStart);
  if (map.flow) {
    const rows = text.slice(keyStart, end).split(/\r?\n|\r/).map((r, i) => (i === 0 ? r : rebase(r, col)));
    return { block: flow ?? rows.join('\n'), flow };
  }
  const line = lines.lineOf(keyStart);
  const first = startsLine(lines, keyStart) ? attachedCommentsStart(lines, line, col) : line;
  const rows: string[] = [];
  for (let l = first; l < line; l++) rows.push(rebase(lines.lineText(l), col));
  rows.push(blockSource(lines, keyStart, end, col));
  return { block: rows.join('\n'), flow };
}

/**
 * Inserts block text as new lines after `line`, each non-empty line prefixed with `indent`, using the line break
 * that ends `line`. At the end of a file without a final line break the text goes after a new break instead.
 */
export function insertLinesAfter(lines: Lines, line: number, indent: string, block: string): TextEdit {
  const eol = eolAfter(lines, line);
  const body = block.split('\n').map((r) => (r.length ? indent + r : r)).join(eol);
  if (line + 1 < lines.count) {
    const at = lines.start(line + 1);
    return { start: at, end: at, newText: body + eol };
  }
  const at = lines.end(line);
  return { start: at, end: at, newText: eol + body };
}

/**
 * Inserts `moved` as a new pair of `map` right after its pair `after`: block maps get new lines at the key
 * column of `after`, flow maps `, key: value`. Null when a flow map would need a multi-line pair.
 */
export function insertPairLines(lines: Lines, map: YAMLMap, after: Pair, moved: PairText): TextEdit | null {
  const start = nodeStart(after)!;
  const end = pairContentEnd(lines.text, after);
  if (map.flow) {
    if (moved.flow === null) return null;
    // An empty value (`{image: }`, `{image: &a }`) ends at its key: go to where the empty value sits, past the
    // colon and any anchor, or the new pair would land between the key and its colon.
    const value = after.value as Node | null;
    const at = end === (after.key as Node).range![1] && value?.range ? Math.max(end, value.range[1]) : end;
    return { start: at, end: at, newText: `, ${moved.flow}` };
  }
  const indent = ' '.repeat(columnOf(lines, start));
  return insertLinesAfter(lines, lastLineOf(lines, start, end), indent, moved.block);
}

/**
 * Removes a pair together with the comment lines directly above it (those {@link pairSource} carries along).
 * Falls back to {@link removePair} for flow maps and for a key that follows a `- ` on its line.
 */
export function removePairWithComments(lines: Lines, map: YAMLMap, pair: Pair): TextEdit {
  const keyStart = nodeStart(pair)!;
  if (map.flow || !startsLine(lines, keyStart)) return removePair(lines, map, pair);
  const first = attachedCommentsStart(lines, lines.lineOf(keyStart), columnOf(lines, keyStart));
  const last = lastLineOf(lines, keyStart, pairContentEnd(lines.text, pair));
  return removeLines(lines, first, last);
}

/** Removes lines `first..last` with one adjoining line break, so no blank line is left behind. */
export function removeLines(lines: Lines, first: number, last: number): TextEdit {
  if (last + 1 < lines.count) return { start: lines.start(first), end: lines.start(last + 1), newText: '' };
  return { start: first > 0 ? lines.end(first - 1) : 0, end: lines.end(last), newText: '' };
}

/**
 * Combines the insertions of a move with the removal of its source. They never overlap, except when the source
 * is the last line of a file without a final line break and the insertion goes right where it starts: that
 * removal has to take the line break before it, so the two become one replacement that keeps the file's
 * missing final line break missing.
 */
export function withRemoval(lines: Lines, inserts: readonly TextEdit[], removal: TextEdit): TextEdit[] {
  const text = lines.text;
  const out: TextEdit[] = [];
  let merged = removal;
  for (const ins of inserts) {
    if (ins.start > removal.start && ins.start < removal.end && removal.end === text.length) {
      const newText = (text.slice(removal.start, ins.start) + ins.newText).replace(/(\r\n|\n|\r)$/, '');
      merged = { start: removal.start, end: removal.end, newText };
    } else out.push(ins);
  }
  out.push(merged);
  return out;
}
