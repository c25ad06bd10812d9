/** Helpers for the suite that runs inside VS Code: polling (never sleeping), documents and diagnostics. */
import * as vscode from 'vscode';

export const EXTENSION_ID = 'k8s-image-lint.k8s-image-lint';
export const SOURCE = 'k8s-image-lint';

/** Polls `fn` every 50 ms until it returns a truthy value; fails after `timeoutMs` with what it last saw. */
export async function until<T>(what: string, fn: () => T | undefined | null | false | Promise<T | undefined | null | false>, timeoutMs = 30_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
      last = v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what} (last: ${last instanceof Error ? last.message : JSON.stringify(last)})`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export function workspaceUri(relative: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('the end-to-end tests need a workspace folder');
  return vscode.Uri.joinPath(folder.uri, relative);
}

export async function open(relative: string): Promise<vscode.TextEditor> {
  const doc = await vscode.workspace.openTextDocument(workspaceUri(relative));
  return vscode.window.showTextDocument(doc, { preview: false });
}

export function codeOf(d: vscode.Diagnostic): string {
  return typeof d.code === 'object' && d.code !== null ? String(d.code.value) : String(d.code);
}

const SEVERITY = ['error', 'warning', 'info', 'hint'];

/** `rule-id severity L:C-L:C` (0-based), sorted: compact and exact. */
export function describeDiagnostics(uri: vscode.Uri): string[] {
  return vscode.languages.getDiagnostics(uri)
    .filter((d) => d.source === SOURCE)
    .map((d) => `${codeOf(d)} ${SEVERITY[d.severity]} ${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character}`)
    .sort();
}

/** Waits until the diagnostics of `uri` are exactly `expected` (as describeDiagnostics writes them). */
export async function diagnosticsBecome(uri: vscode.Uri, expected: string[], timeoutMs = 30_000): Promise<void> {
  const want = JSON.stringify([...expected].sort());
  let seen = '';
  try {
    await until('diagnostics', () => (seen = JSON.stringify(describeDiagnostics(uri))) === want, timeoutMs);
  } catch {
    throw new Error(`diagnostics of ${uri.path.split('/').pop()}: expected ${want}, still ${seen} after ${timeoutMs} ms`);
  }
}

/** Resolves on the first diagnostics change event naming `uri` (also when its new set is empty). */
export function nextDiagnosticsChange(uri: vscode.Uri, timeoutMs = 30_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      sub.dispose();
      reject(new Error(`no diagnostics were published for ${uri.path} within ${timeoutMs} ms`));
    }, timeoutMs);
    const sub = vscode.languages.onDidChangeDiagnostics((e) => {
      if (e.uris.some((u) => u.toString() === uri.toString())) {
        clearTimeout(timer);
        sub.dispose();
        resolve();
      }
    });
  });
}

export function hoverText(hovers: vscode.Hover[]): string {
  return hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : ''))).join('\n');
}

export function positionOf(doc: vscode.TextDocument, text: string, delta = 0): vscode.Position {
  const i = doc.getText().indexOf(text);
  if (i < 0) throw new Error(`"${text}" is not in ${doc.uri.path}`);
  return doc.positionAt(i + delta);
}
