/**
 * Diagnostics arrive without what repeats on each of them: the source and the link to the rule's page, and with
 * a documented rule's id as its index in the list the server gave (nearly half of the bytes of a large file's
 * diagnostics). The client asks for this in its initializationOptions (`compactDiagnostics: true`); the server
 * answers with what to restore (`capabilities.experimental.compactDiagnostics`), and this puts all three back
 * before VS Code sees a diagnostic.
 */
import * as vscode from 'vscode';
import type { LanguageClient, Middleware } from 'vscode-languageclient/node';

interface Restore {
  source: string;
  docsBase: string;
  documented: string[];
}

export function compactDiagnosticsMiddleware(client: () => LanguageClient | undefined): Pick<Middleware, 'handleDiagnostics' | 'provideDiagnostics'> {
  let cached: { from: unknown; documented: Set<string>; restore: Restore } | undefined;
  const info = () => {
    const from = (client()?.initializeResult?.capabilities.experimental as { compactDiagnostics?: Restore } | undefined)?.compactDiagnostics;
    if (!from || typeof from.source !== 'string' || typeof from.docsBase !== 'string' || !Array.isArray(from.documented)) return undefined;
    if (cached?.from !== from) cached = { from, documented: new Set(from.documented), restore: from };
    return cached;
  };
  const restore = (diagnostics: vscode.Diagnostic[]): vscode.Diagnostic[] => {
    const r = info();
    if (!r) return diagnostics;
    for (const d of diagnostics) {
      d.source ??= r.restore.source;
      const id = typeof d.code === 'number' ? r.restore.documented[d.code] : d.code;
      if (typeof id === 'string' && r.documented.has(id)) d.code = { value: id, target: vscode.Uri.parse(`${r.restore.docsBase}${id}.md`) };
    }
    return diagnostics;
  };
  return {
    handleDiagnostics: (uri, diagnostics, next) => next(uri, restore(diagnostics)),
    provideDiagnostics: async (document, previousResultId, token, next) => {
      const report = await next(document, previousResultId, token);
      if (report && report.kind === 'full') restore(report.items);
      return report;
    },
  };
}
