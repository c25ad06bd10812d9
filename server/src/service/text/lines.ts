import type { Affixes } from './affixes';

/**
 * How a {@link Lines} was made from an earlier one by one edit: what a reader holding positions of the earlier text
 * needs to move them without searching (see {@link Lines.moved}). Only for texts without `\r`.
 */
export interface LinesEdit {
  /** The earlier lines' {@link Lines.serial}. */
  from: number;
  /** Offsets below this are unchanged, and so are their positions. */
  prefix: number;
  /** Where the unchanged end started in the earlier text; offsets there moved by `delta`. */
  oldSuffixStart: number;
  delta: number;
  /** Lines added (or, negative, removed) before the unchanged end. */
  lineDelta: number;
}

/** How many of the latest edits a {@link Lines} remembers: a burst of keystrokes between two readers. */
const EDITS_KEPT = 8;
let serials = 0;

/** Line bookkeeping over a text, in UTF-16 offsets (JavaScript string indices). */
export class Lines {
  /** Offsets at which lines start, ascending (the first is 0). A typed array: an update copies it natively. */
  private readonly starts: Uint32Array;
  /** Whether the text holds a `\r` (lines then end in three ways, and an update scans the whole text). */
  readonly hasCr: boolean;
  /** Identifies this version among every Lines made in the process. */
  readonly serial = ++serials;
  /** The edits that led here from earlier versions (oldest first, at most {@link EDITS_KEPT}; none when a text has `\r`). */
  readonly edits: readonly LinesEdit[];

  constructor(readonly text: string, starts?: Uint32Array, hasCr?: boolean, edits: readonly LinesEdit[] = []) {
    this.edits = edits;
    if (starts) {
      this.starts = starts;
      this.hasCr = hasCr ?? text.includes('\r');
      return;
    }
    const found = [0];
    this.hasCr = text.includes('\r');
    if (!this.hasCr) {
      // The common case, and a fast one: indexOf scans natively.
      for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) found.push(i + 1);
    } else {
      for (let i = 0; i < text.length; i++) {
        const c = text.charCodeAt(i);
        if (c === 10) found.push(i + 1);
        else if (c === 13) {
          if (text.charCodeAt(i + 1) === 10) i++;
          found.push(i + 1);
        }
      }
    }
    this.starts = Uint32Array.from(found);
  }

  /**
   * The lines of `text`, a new version of `prev.text` that shares `prefix` leading and `suffix` trailing
   * characters with it: the line starts of the unchanged ends are reused (those after the change moved), only
   * the changed middle is scanned. Texts with `\r` are scanned whole.
   */
  static update(prev: Lines, text: string, { prefix, suffix }: Affixes): Lines {
    const middleEnd = text.length - suffix;
    if (prev.hasCr || text.slice(prefix, middleEnd).includes('\r')) return new Lines(text);
    const delta = text.length - prev.text.length;
    const old = prev.starts;
    // A line starts after a line break: starts up to `prefix` follow a break inside the shared prefix.
    const keep = prev.lineOf(prefix) + 1;
    const middle: number[] = [];
    for (let i = text.indexOf('\n', prefix); i >= 0 && i < middleEnd; i = text.indexOf('\n', i + 1)) middle.push(i + 1);
    // Starts after a break inside the shared suffix (the first is found by binary search), moved by the change in length.
    const oldSuffixStart = prev.text.length - suffix;
    let lo = keep;
    let hi = old.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (old[mid] - 1 >= oldSuffixStart) hi = mid;
      else lo = mid + 1;
    }
    const starts = new Uint32Array(keep + middle.length + old.length - lo);
    starts.set(old.subarray(0, keep));
    starts.set(middle, keep);
    const after = keep + middle.length;
    if (delta === 0) starts.set(old.subarray(lo), after);
    else for (let j = lo; j < old.length; j++) starts[after + j - lo] = old[j] + delta;
    const edit: LinesEdit = { from: prev.serial, prefix, oldSuffixStart, delta, lineDelta: starts.length - old.length };
    const edits = prev.edits.length < EDITS_KEPT ? [...prev.edits, edit] : [...prev.edits.slice(1), edit];
    return new Lines(text, starts, false, edits);
  }

  /**
   * Where a range, at `start`-`end` with the given start position in the version `serial`, is in this one: its
   * offsets and start line when the edits since then left the range and the start of its line unchanged or only
   * moved (every later line moves by the same number of lines, every character stays), else null (search again).
   */
  moved(serial: number, start: number, end: number, line: number, character: number): { start: number; end: number; line: number } | null {
    if (serial === this.serial) return { start, end, line };
    let i = this.edits.length - 1;
    while (i >= 0 && this.edits[i].from !== serial) i--;
    if (i < 0) return null;
    for (; i < this.edits.length; i++) {
      const e = this.edits[i];
      if (end <= e.prefix) continue;
      // The line break before the range's line must lie in the unchanged end too: then so does the whole line up to it.
      if (start - character - 1 < e.oldSuffixStart) return null;
      start += e.delta;
      end += e.delta;
      line += e.lineDelta;
    }
    return { start, end, line };
  }

  get count(): number {
    return this.starts.length;
  }

  /** 0-based line of an offset. */
  lineOf(offset: number): number {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  start(line: number): number {
    return this.starts[Math.max(0, Math.min(line, this.starts.length - 1))];
  }

  /** Offset of the end of a line's content, before its line break. */
  end(line: number): number {
    if (line + 1 >= this.starts.length) return this.text.length;
    let e = this.starts[line + 1] - 1;
    if (e > 0 && this.text.charCodeAt(e) === 10 && this.text.charCodeAt(e - 1) === 13) e--;
    return e;
  }

  lineText(line: number): string {
    return this.text.slice(this.start(line), this.end(line));
  }

  /** The leading whitespace of a line. */
  indent(line: number): string {
    return /^[ \t]*/.exec(this.lineText(line))![0];
  }

  /** The line break the file uses (its first one), `\n` by default. */
  get eol(): string {
    const i = this.text.indexOf('\n');
    return i > 0 && this.text[i - 1] === '\r' ? '\r\n' : '\n';
  }

  position(offset: number): { line: number; character: number } {
    const line = this.lineOf(offset);
    return { line, character: offset - this.starts[line] };
  }
}
