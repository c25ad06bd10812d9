import { analyze, type Analysis } from '../server/src/service/analyze';
import { defaultSettings, fromRaw, type Settings } from '../server/src/service/settings';
export { applyEdits } from '../server/src/service/edit/applyEdits';

/** Settings with overrides in the same shape as `.k8s-image-lint.yaml`. */
export function settingsWith(raw: Record<string, unknown> = {}): Settings {
  return fromRaw(raw, defaultSettings());
}

export function analyzeText(text: string, raw: Record<string, unknown> = {}): Analysis {
  return analyze(text, settingsWith(raw));
}

/**
 * Strips cursor markers from fixture text. `|` marks a cursor offset; `[[`…`]]` marks an expected range.
 * Use only in fixtures that contain no literal `|` (block scalars) or `[[`.
 *
 * @example markers('image: [[nginx]]') -> { text: 'image: nginx', ranges: [{start: 7, end: 12}], cursors: [] }
 */
export function markers(src: string): { text: string; cursors: number[]; ranges: { start: number; end: number }[] } {
  let text = '';
  const cursors: number[] = [];
  const ranges: { start: number; end: number }[] = [];
  const open: number[] = [];
  for (let i = 0; i < src.length; i++) {
    if (src.startsWith('[[', i)) { open.push(text.length); i++; continue; }
    if (src.startsWith(']]', i)) { ranges.push({ start: open.pop()!, end: text.length }); i++; continue; }
    if (src[i] === '|') { cursors.push(text.length); continue; }
    text += src[i];
  }
  return { text, cursors, ranges };
}

/** Joins lines with `\n` and a trailing newline: `yaml('a: 1', 'b: 2')`. */
export function yaml(...lines: string[]): string {
  return lines.join('\n') + '\n';
}
