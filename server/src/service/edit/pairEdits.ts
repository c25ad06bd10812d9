import type { Node, Pair, YAMLMap } from 'yaml';
import type { Lines } from '../text/lines';
import type { TextEdit } from '../types';
import { pairContentEnd } from './nodeText';

/**
 * Edits that add or remove one `key: value` pair of a map while leaving every other byte alone: the new
 * pair copies the indentation of its siblings and the file's line break; flow maps (`{a: 1}`) get `, k: v`.
 */

function isFlow(map: YAMLMap): boolean {
  return !!map.flow;
}

/** Offset of the last character of a pair's value (or key, when it has no value). */
function pairValueEnd(pair: Pair): number {
  const v = pair.value as Node | null;
  return v && v.range ? v.range[1] : (pair.key as Node).range![1];
}

/** The column at which a map's keys start, as spaces (a `- ` before the first key becomes spaces too). */
export function keyIndent(lines: Lines, pair: Pair): string {
  const keyStart = (pair.key as Node).range![0];
  const line = lines.lineOf(keyStart);
  return ' '.repeat(keyStart - lines.start(line));
}

/**
 * Inserts `text` (e.g. `imagePullPolicy: Always`, possibly several lines already indented relative to the
 * key column) as a new pair right after `after`, a pair of `map`.
 */
export function insertPairAfter(lines: Lines, map: YAMLMap, after: Pair, text: string): TextEdit {
  const end = pairValueEnd(after);
  if (isFlow(map)) return { start: end, end, newText: `, ${text}` };
  const indent = keyIndent(lines, after);
  // Not the value's range: an empty last value (`- name:`) ends where the next token starts, lines further on.
  const endLine = lines.lineOf(Math.max(pairContentEnd(lines.text, after) - 1, (after.key as Node).range![0]));
  const at = lines.end(endLine);
  const body = text.split('\n').map((l, i) => (i === 0 ? indent + l : l.length ? indent + l : l)).join(lines.eol);
  return { start: at, end: at, newText: lines.eol + body };
}

/** Inserts a pair after the last pair of a non-empty map. */
export function appendPair(lines: Lines, map: YAMLMap, text: string): TextEdit | null {
  const last = map.items[map.items.length - 1];
  return last ? insertPairAfter(lines, map, last as Pair, text) : null;
}

/**
 * Removes a pair. In a block map the pair's whole lines go; when the pair shares its first line with a
 * sequence dash (`- imagePullPolicy: x`), the next pair is pulled up onto the dash line instead.
 * In a flow map the pair and one adjacent comma go.
 */
export function removePair(lines: Lines, map: YAMLMap, pair: Pair): TextEdit {
  const keyStart = (pair.key as Node).range![0];
  const index = map.items.indexOf(pair as never);
  if (isFlow(map)) {
    const next = map.items[index + 1] as Pair | undefined;
    if (next) return { start: keyStart, end: (next.key as Node).range![0], newText: '' };
    const prev = map.items[index - 1] as Pair | undefined;
    const start = prev ? pairValueEnd(prev) : keyStart;
    return { start, end: pairValueEnd(pair), newText: '' };
  }
  const firstLine = lines.lineOf(keyStart);
  // Up to the value's content, not its range: that of a list ending in an empty value (`- name:`) runs on to the
  // next key's line, which must stay.
  const lastLine = lines.lineOf(Math.max(pairContentEnd(lines.text, pair) - 1, keyStart));
  const prefix = lines.text.slice(lines.start(firstLine), keyStart);
  if (prefix.trim() === '') {
    const endOffset = lastLine + 1 < lines.count ? lines.start(lastLine + 1) : lines.end(lastLine);
    const startOffset = lastLine + 1 < lines.count ? lines.start(firstLine) : Math.max(0, lines.start(firstLine) - lines.eol.length);
    return { start: startOffset, end: endOffset, newText: '' };
  }
  // The key follows `- ` (or another prefix) on its line: replace the pair by the next pair's text.
  const next = map.items[index + 1] as Pair | undefined;
  if (next) {
    // Comment lines between the two belong to the next pair (a disable directive above it, say): they move up
    // onto the dash line instead (`- # why`), and the next pair stays on its own line below them.
    const nextKey = (next.key as Node).range![0];
    for (let l = lastLine + 1; l < lines.lineOf(nextKey); l++) {
      const row = lines.lineText(l);
      const hash = row.search(/\S/);
      if (hash >= 0 && row[hash] === '#') return { start: keyStart, end: lines.start(l) + hash, newText: '' };
    }
    return { start: keyStart, end: nextKey, newText: '' };
  }
  return { start: keyStart, end: lines.end(lastLine), newText: '{}' };
}

/**
 * Removes a pair but keeps its trailing comment (`key: value  # why`) as a comment line in its place, for a
 * pair that is deleted rather than carried somewhere with its comments.
 */
export function removePairKeepingComment(lines: Lines, map: YAMLMap, pair: Pair): TextEdit {
  const removal = removePair(lines, map, pair);
  const end = pairValueEnd(pair);
  const line = lines.lineOf(Math.max(end - 1, (pair.key as Node).range![0]));
  const comment = /^[ \t]*(#.*)$/.exec(lines.text.slice(end, lines.end(line)));
  if (!comment || removal.newText !== '' || removal.start !== lines.start(lines.lineOf(removal.start))) return removal;
  return { ...removal, newText: `${keyIndent(lines, pair)}${comment[1]}${lines.eol}` };
}
