import type { Diagnostic } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Finding } from '../service/index';
import { toDiagnostic } from './convert';

/**
 * The diagnostic of each finding, kept while the finding is at the same line and character. The analysis keeps
 * the findings of untouched chunks as the same objects (moved in place), and an edit that keeps its line count
 * leaves every later diagnostic where it was: those are not made again, and an `unchanged` pull compares them
 * by identity. Keyed weakly: a finding no analysis holds any more drops its diagnostic.
 */
export class DiagnosticCache {
  private readonly byFinding = new WeakMap<Finding, Diagnostic>();

  constructor(private readonly compact: () => boolean) {}

  of(doc: TextDocument, f: Finding): Diagnostic {
    const kept = this.byFinding.get(f);
    if (kept) {
      const s = doc.positionAt(f.range.start);
      const e = doc.positionAt(f.range.end);
      const r = kept.range;
      // The message, severity and rule are the finding's own and never change; only its place does.
      if (r.start.line === s.line && r.start.character === s.character && r.end.line === e.line && r.end.character === e.character) return kept;
    }
    const made = toDiagnostic(doc, f, this.compact());
    this.byFinding.set(f, made);
    return made;
  }
}
