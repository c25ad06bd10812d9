import type { Position, Range, TextDocument, TextDocumentContentChangeEvent } from 'vscode-languageserver-textdocument';
import { Lines } from '../service/text/lines';

/**
 * The open documents' text, as `vscode-languageserver-textdocument` keeps it, with line starts in a {@link Lines}
 * (a typed array updated natively) instead of a second plain array: that library's update re-adds the change in
 * length to every later line start, ~3 ms per keystroke in a 200,000-line file. Positions convert exactly as the
 * library's (a property test compares the two): offsets are clamped, and a position inside a line break goes to
 * the line's end.
 */
export class LinesDocument implements TextDocument {
  private text: string;
  private current: Lines;

  constructor(readonly uri: string, readonly languageId: string, public version: number, text: string) {
    this.text = text;
    this.current = new Lines(text);
  }

  static create(uri: string, languageId: string, version: number, content: string): LinesDocument {
    return new LinesDocument(uri, languageId, version, content);
  }

  /** Applies the changes in order, as `TextDocument.update` does; the document itself is updated. */
  static update(doc: LinesDocument, changes: TextDocumentContentChangeEvent[], version: number): LinesDocument {
    for (const change of changes) {
      if ('range' in change && change.range) {
        const { start, end } = wellFormed(change.range);
        const from = doc.offsetAt(start);
        const to = doc.offsetAt(end);
        const text = doc.text.substring(0, from) + change.text + doc.text.substring(to);
        doc.current = Lines.update(doc.current, text, { prefix: from, suffix: doc.text.length - to });
        doc.text = text;
      } else {
        doc.text = change.text;
        doc.current = new Lines(change.text);
      }
    }
    doc.version = version;
    return doc;
  }

  /** The line starts of the current text (the analysis reads them too: one table per open document). */
  get lines(): Lines {
    return this.current;
  }

  get lineCount(): number {
    return this.current.count;
  }

  getText(range?: Range): string {
    if (!range) return this.text;
    return this.text.substring(this.offsetAt(range.start), this.offsetAt(range.end));
  }

  positionAt(offset: number): Position {
    const at = Math.max(Math.min(offset, this.text.length), 0);
    const line = this.current.lineOf(at);
    const start = this.current.start(line);
    return { line, character: this.beforeEol(at, start) - start };
  }

  offsetAt(position: Position): number {
    const count = this.current.count;
    if (position.line >= count) return this.text.length;
    if (position.line < 0) return 0;
    const start = this.current.start(position.line);
    if (position.character <= 0) return start;
    const next = position.line + 1 < count ? this.current.start(position.line + 1) : this.text.length;
    return this.beforeEol(Math.min(start + position.character, next), start);
  }

  /** The line's range, its line break left out (as the library's). */
  getLineRange(line: number): Range {
    const count = this.current.count;
    if (line >= count) {
      const last = count - 1;
      return { start: { line: last, character: 0 }, end: { line: last, character: this.text.length - this.current.start(last) } };
    }
    if (line < 0) return { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
    const start = this.current.start(line);
    const next = line + 1 < count ? this.current.start(line + 1) : this.text.length;
    return { start: { line, character: 0 }, end: { line, character: this.beforeEol(next, start) - start } };
  }

  /** The line break ending `line` ('' for the last line). */
  getEOLCharacters(line: number): string {
    const count = this.current.count;
    if (line >= count || line < 0) return '';
    const start = this.current.start(line);
    const next = line + 1 < count ? this.current.start(line + 1) : this.text.length;
    return this.text.substring(this.beforeEol(next, start), next);
  }

  private beforeEol(offset: number, lineStart: number): number {
    let at = offset;
    while (at > lineStart && isEol(this.text.charCodeAt(at - 1))) at--;
    return at;
  }
}

function isEol(c: number): boolean {
  return c === 13 || c === 10;
}

function wellFormed(range: Range): Range {
  const { start, end } = range;
  return start.line > end.line || (start.line === end.line && start.character > end.character) ? { start: end, end: start } : range;
}
