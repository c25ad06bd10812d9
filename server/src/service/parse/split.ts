/**
 * Where a multi-document text is cut into chunks (see `documentCache.ts`): at column-0 `---` markers, where YAML
 * always starts a new document, even inside a block scalar. After an edit, only the span around it is searched
 * again ({@link splitEdited}); the result is always what {@link splitDocuments} gives for the whole text.
 */

export type Bounds = Array<[number, number]>;

const MARKER = /^---(?=[ \t\r\n]|$)/gm;

/**
 * Chunk boundaries `[start, end)`: the text before the first marker, then one chunk per marker. A `%` directive
 * belongs to the document after it, so a file with directives is kept whole. A text that starts with `{` is JSON
 * to kubectl (`yaml.NewYAMLOrJSONDecoder`), which reads a stream of objects: one chunk per object.
 */
export function splitDocuments(text: string): Bounds {
  const json = splitJsonStream(text);
  if (json) return json;
  if (/^%/m.test(text)) return [[0, text.length]];
  return byMarkers(text, 0, text.length, false);
}

/**
 * The chunks between `from` (0 or a marker) and `to` (the text's end or a marker), consecutive empty documents
 * forming one chunk, so a stream of `---` lines costs one chunk, not one each. `blankBefore`: the chunk ending at
 * `from` is blank (a blank first chunk would join it: see {@link splitEdited}).
 */
function byMarkers(text: string, from: number, to: number, blankBefore: boolean): Bounds {
  const starts = [from];
  const span = from === 0 && to === text.length ? text : text.slice(from, to);
  for (const m of span.matchAll(MARKER)) if (m.index! > 0) starts.push(from + m.index!);
  const out: Bounds = [];
  let blankRun = blankBefore;
  starts.forEach((s, i) => {
    const end = i + 1 < starts.length ? starts[i + 1] : to;
    const blank = isBlank(text, s, end);
    if (blank && blankRun && out.length > 0) out[out.length - 1][1] = end;
    else out.push([s, end]);
    blankRun = blank;
  });
  return out;
}

/** What an edit changed: the lengths of the text shared before and after it by the old and the new version. */
export interface EditSpan {
  prefix: number;
  suffix: number;
}

/**
 * `splitDocuments(text)`, for `text` made from `oldText` (split into `old`) by an edit: chunks before and after
 * the edit are taken from `old` (those after moved), and only the chunks around the edit are searched for markers.
 * Falls back to the whole split whenever the edit could change how the text is split (JSON, a directive) or
 * where empty chunks would join kept ones.
 */
export function splitEdited(text: string, oldText: string, old: Bounds, { prefix, suffix }: EditSpan): Bounds {
  const oldSuffixStart = oldText.length - suffix;
  const first = firstContent(oldText);
  // JSON streams and directives are decided on the whole text: keep to plain marker splits decided before the edit.
  if (old.length === 0 || first >= prefix || oldText.charCodeAt(first) === 123 || (old.length === 1 && /^%/m.test(oldText))) return splitDocuments(text);
  const delta = text.length - oldText.length;
  const middleEnd = text.length - suffix;
  // A directive written by the edit: a `%` at a line start inside the changed span (or just after it).
  const lineStart = Math.max(text.lastIndexOf('\n', prefix - 1), text.lastIndexOf('\r', prefix - 1)) + 1;
  if (/^%/m.test(text.slice(lineStart, Math.min(text.length, middleEnd + 1)))) return splitDocuments(text);
  // Kept before: chunks starting at a marker wholly inside the shared prefix (its next character too).
  let i = 0;
  while (i + 1 < old.length && old[i + 1][0] + 4 <= prefix) i++;
  // Kept after: chunks starting past the first character of the shared suffix (the one before the marker is shared).
  let j = i + 1;
  while (j < old.length && old[j][0] < oldSuffixStart + 1) j++;
  const from = old[i][0];
  const to = j < old.length ? old[j][0] + delta : text.length;
  const blankBefore = i > 0 && isBlank(oldText, old[i - 1][0], old[i - 1][1]);
  const middle = byMarkers(text, from, to, blankBefore);
  // A blank chunk would have joined the one before the span (byMarkers merged it into nothing) or the one after it.
  if (blankBefore && isBlank(text, middle[0][0], middle[0][1])) return splitDocuments(text);
  if (j < old.length && isBlank(text, middle[middle.length - 1][0], to) && isBlank(oldText, old[j][0], old[j][1])) return splitDocuments(text);
  const out: Bounds = old.slice(0, i);
  for (const b of middle) out.push(b);
  for (let k = j; k < old.length; k++) out.push([old[k][0] + delta, old[k][1] + delta]);
  return out;
}

function firstContent(text: string): number {
  const m = /\S/.exec(text);
  return m ? m.index : text.length;
}

/**
 * True when `text[start, end)` holds no YAML content: only document markers (`---`, `...`), blank lines and
 * comments. Linear in the span.
 */
export function isBlank(text: string, start: number, end: number): boolean {
  let i = start;
  while (i < end) {
    // One line: skip indentation, then a marker, then spaces; anything but a comment or the line end is content.
    while (i < end && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9)) i++;
    if (text.startsWith('---', i) || text.startsWith('...', i)) {
      const after = text.charCodeAt(i + 3);
      if (i + 3 >= end || after === 32 || after === 9 || after === 10 || after === 13) i += 3;
      else return false;
      while (i < end && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9)) i++;
    }
    const c = text.charCodeAt(i);
    if (i < end && c === 35) {
      while (i < end && text.charCodeAt(i) !== 10 && text.charCodeAt(i) !== 13) i++;
    } else if (i < end && c !== 10 && c !== 13) return false;
    while (i < end && (text.charCodeAt(i) === 10 || text.charCodeAt(i) === 13)) i++;
  }
  return true;
}

/**
 * Boundaries of each top-level value of a JSON stream (`{…}\n{…}`), or null when the text does not start with
 * `{` or holds one value only. Strings (with escapes) are skipped; an unbalanced text ends its last chunk.
 */
function splitJsonStream(text: string): Bounds | null {
  // JSON objects open with `{"` (or are `{}`); `{{ … }}` is a template action, `{a: b}` a YAML flow map.
  const first = text.search(/\S/);
  if (first < 0 || !/^\{\s*["}]/.test(text.slice(first, first + 64)) || /^---(?=[ \t\r\n]|$)/m.test(text)) return null;
  const starts = [0];
  let depth = 0;
  for (let i = first; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === '\\') i++;
    } else if (c === '{' || c === '[') {
      if (depth === 0 && i > first) starts.push(i);
      depth++;
    } else if ((c === '}' || c === ']') && depth > 0) depth--;
  }
  if (starts.length === 1) return null;
  return starts.map((s, i) => [s, i + 1 < starts.length ? starts[i + 1] : text.length]);
}
