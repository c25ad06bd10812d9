/** Diagnostics in an open `.k8s-image-lint.yaml`: what its schema check finds (service/settingsCheck.ts). */
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { configProblems } from '../service/settingsCheck';
import { SOURCE } from './convert';

export const CONFIG_CODE = 'config-file';

export function configDiagnostics(doc: TextDocument): Diagnostic[] {
  return configProblems(doc.getText()).map((p) => ({
    range: { start: doc.positionAt(p.range.start), end: doc.positionAt(p.range.end) },
    severity: p.severity === 'error' ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning,
    source: SOURCE,
    code: CONFIG_CODE,
    message: p.message,
  }));
}
