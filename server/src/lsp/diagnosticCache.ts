import type { Diagnostic } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Finding, Lines } from '../service/index';
import { toDiagnostic } from './convert';

/** A finding's diagnostic, and where the finding was when it was made (offsets in the version `serial`). */
interface Kept {
  diagnostic: Diagnostic;
  serial: number;
  start: number;
  end: number;
}

/**
 * The diagnostic of each finding, kept while the finding stays where the edits since put it. The analysis keeps
 * the findings of untouched chunks as the same objects (moved in place); the document's {@link Lines} say how
 * each edit moved the text (`Lines.moved`), so a kept finding's new position is known without a search: when
 * its line and character are the same, the diagnostic itself is reused (and an `unchanged` pull compares it by
 * identity); when only its line moved, a copy at the new line is made. Keyed weakly: a finding no analysis
 * holds any more drops its diagnostic.
 */
export class DiagnosticCache {
  private readonly byFinding = new WeakMap<Finding, Kept>();

  constructor(private readonly compact: () => boolean) {}

  /** The diagnostic of `f`, a finding of the analysis of `doc`, whose line starts are `lines`. */
  of(doc: TextDocument, lines: Lines, f: Finding): Diagnostic {
    const kept = this.byFinding.get(f);
    if (kept) {
      const d = kept.diagnostic;
      const at = lines.moved(kept.serial, kept.start, kept.end, d.range.start.line, d.range.start.character);
      if (at && at.start === f.range.start && at.end === f.range.end) {
        const lineDelta = at.line - d.range.start.line;
        const diagnostic = lineDelta === 0 ? d : {
          ...d,
          range: {
            start: { line: at.line, character: d.range.start.character },
            end: { line: d.range.end.line + lineDelta, character: d.range.end.character },
          },
        };
        kept.diagnostic = diagnostic;
        kept.serial = lines.serial;
        kept.start = at.start;
        kept.end = at.end;
        return diagnostic;
      }
    }
    const diagnostic = toDiagnostic(doc, f, this.compact());
    this.byFinding.set(f, { diagnostic, serial: lines.serial, start: f.range.start, end: f.range.end });
    return diagnostic;
  }
}
