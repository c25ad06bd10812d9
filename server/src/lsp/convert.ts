import {
  CompletionItemKind, DiagnosticSeverity, MarkupKind, TextDocumentEdit,
  type CompletionItem, type Diagnostic, type Hover, type InlayHint, type Range, type TextEdit as LspTextEdit,
  type WorkspaceEdit,
} from 'vscode-languageserver/node';
import { isDeepStrictEqual } from 'node:util';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import {
  DOCS_BASE, RULES_BY_ID, ruleDocUrl,
  type CompletionResult, type Finding, type HoverResult, type InlayHintResult, type OffsetRange, type Severity, type TextEdit,
} from '../service/index';

/**
 * Offsets inside, positions at the edge: every conversion between the service's UTF-16 offsets and LSP
 * line/character positions goes through `TextDocument.positionAt/offsetAt` of the document the analysis was
 * computed on.
 */

export const SOURCE = 'k8s-image-lint';

export function toRange(doc: TextDocument, r: OffsetRange): Range {
  return { start: doc.positionAt(r.start), end: doc.positionAt(r.end) };
}

export function toOffsetRange(doc: TextDocument, r: Range): OffsetRange {
  const a = doc.offsetAt(r.start);
  const b = doc.offsetAt(r.end);
  return a <= b ? { start: a, end: b } : { start: b, end: a };
}

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

/**
 * A finding as the client shows it. Nothing rides along in `data`: the rule is the `code`, and code actions find
 * the fixes again from the analysis (every diagnostic costs bytes on each push of a large file). `compact`: no
 * `source` nor `codeDescription`, and a documented rule's id as its index in the list the client was given, for a
 * client that restores all three (see {@link compactDiagnostics}).
 */
export function toDiagnostic(doc: TextDocument, f: Finding, compact = false): Diagnostic {
  return {
    range: toRange(doc, f.range),
    severity: SEVERITY[f.severity],
    ...(compact ? {} : { source: SOURCE }),
    code: compact ? RULE_INDEX.get(f.ruleId) ?? f.ruleId : f.ruleId,
    // Only registered rules have a documentation page (not, e.g., the file-too-large notice).
    ...(!compact && RULES_BY_ID.has(f.ruleId) ? { codeDescription: { href: ruleDocUrl(f.ruleId) } } : {}),
    message: f.message,
  };
}

/**
 * What a client that asked for compact diagnostics (`initializationOptions.compactDiagnostics: true`) is told in
 * the initialize result (`capabilities.experimental.compactDiagnostics`) to restore them: the source of every
 * diagnostic; the documented rules, each sent as its index in `documented` (a number `code`; any other code is
 * a string, as sent); and each documented rule's page, `docsBase + id + '.md'`. Nearly half of the bytes of a
 * large file's diagnostics is these three fields, the same on every one or repeating a few ids.
 */
export function compactDiagnostics(): { source: string; docsBase: string; documented: string[] } {
  return { source: SOURCE, docsBase: DOCS_BASE, documented: [...RULE_INDEX.keys()] };
}
const RULE_INDEX = new Map([...RULES_BY_ID.keys()].map((id, i) => [id, i]));

/**
 * True when two lists of diagnostics would show the same (position, severity, code, source, message, link, tags
 * and data): what decides an `unchanged` pull report. Stops at the first difference.
 */
export function sameDiagnostics(a: readonly Diagnostic[], b: readonly Diagnostic[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    const y = b[i];
    if (x === y) continue;
    if (x.message !== y.message || x.severity !== y.severity || x.code !== y.code || x.source !== y.source
      || x.range.start.line !== y.range.start.line || x.range.start.character !== y.range.start.character
      || x.range.end.line !== y.range.end.line || x.range.end.character !== y.range.end.character
      || x.codeDescription?.href !== y.codeDescription?.href
      || !isDeepStrictEqual(x.tags, y.tags) || !isDeepStrictEqual(x.data, y.data) || !isDeepStrictEqual(x.relatedInformation, y.relatedInformation)) return false;
  }
  return true;
}

export function toTextEdits(doc: TextDocument, edits: readonly TextEdit[]): LspTextEdit[] {
  return edits.map((e) => ({ range: toRange(doc, e), newText: e.newText }));
}

/**
 * Edits to the given document as a WorkspaceEdit: a versioned TextDocumentEdit when the client supports
 * `documentChanges` (so a stale edit is rejected instead of corrupting newer text), else plain `changes`.
 */
export function toWorkspaceEdit(doc: TextDocument, edits: readonly TextEdit[], documentChanges: boolean): WorkspaceEdit {
  const lspEdits = toTextEdits(doc, edits);
  return documentChanges
    ? { documentChanges: [TextDocumentEdit.create({ uri: doc.uri, version: doc.version }, lspEdits)] }
    : { changes: { [doc.uri]: lspEdits } };
}

export function toHover(doc: TextDocument, h: HoverResult): Hover {
  return { contents: { kind: MarkupKind.Markdown, value: h.markdown }, range: toRange(doc, h.range) };
}

export function toInlayHint(doc: TextDocument, h: InlayHintResult): InlayHint {
  return {
    position: doc.positionAt(h.offset),
    label: h.label,
    paddingLeft: true,
    ...(h.tooltip ? { tooltip: { kind: MarkupKind.Markdown, value: h.tooltip } } : {}),
  };
}

export function toCompletionItem(doc: TextDocument, c: CompletionResult, index: number): CompletionItem {
  return {
    label: c.label,
    kind: CompletionItemKind.Value,
    detail: c.detail,
    ...(c.documentation ? { documentation: { kind: MarkupKind.Markdown, value: c.documentation } } : {}),
    textEdit: { range: toRange(doc, c.range), newText: c.label },
    // Keep the service's order: it ranks by meaning (known secrets first, the likely policy first).
    sortText: String(index).padStart(5, '0'),
    ...(c.preselect ? { preselect: true } : {}),
  };
}
