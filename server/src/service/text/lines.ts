/** Line bookkeeping over a text, in UTF-16 offsets (JavaScript string indices). */
export class Lines {
  private readonly starts: number[] = [0];

  constructor(readonly text: string) {
    if (!text.includes('\r')) {
      // The common case, and a fast one: indexOf scans natively.
      for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) this.starts.push(i + 1);
      return;
    }
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10) this.starts.push(i + 1);
      else if (c === 13) {
        if (text.charCodeAt(i + 1) === 10) i++;
        this.starts.push(i + 1);
      }
    }
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
