/**
 * Runs inside VS Code's extension host as the "tests" of a bench window (bench/editor.mjs): opens a manifest while
 * no YAML file has been opened yet, so the extension activates cold, and measures from the open call to the
 * extension being active and to its first diagnostics (polling every 5 ms). Writes { activationMs, firstDiagnosticsMs }.
 */
import { writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import * as vscode from 'vscode';

const EXTENSION_ID = 'k8s-image-lint.k8s-image-lint';

async function poll(what: string, fn: () => boolean, timeoutMs = 60_000): Promise<number> {
  const end = performance.now() + timeoutMs;
  while (!fn()) {
    if (performance.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
  return performance.now();
}

export async function run(): Promise<void> {
  const out = process.env.K8S_IMAGE_LINT_BENCH_OUT;
  const file = process.env.K8S_IMAGE_LINT_BENCH_FILE ?? 'deployment-latest.yaml';
  if (!out) throw new Error('K8S_IMAGE_LINT_BENCH_OUT is not set');
  try {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    if (!ext) throw new Error(`${EXTENSION_ID} is not loaded`);
    if (ext.isActive) throw new Error('the extension is already active: the measure would not be a cold activation');
    const folder = vscode.workspace.workspaceFolders?.[0];
    if (!folder) throw new Error('no workspace folder');
    const uri = vscode.Uri.joinPath(folder.uri, file);
    const start = performance.now();
    const doc = await vscode.workspace.openTextDocument(uri);
    void vscode.window.showTextDocument(doc);
    const ours = (): boolean => vscode.languages.getDiagnostics(uri).some((d) => d.source === 'k8s-image-lint');
    const [active, diagnosed] = await Promise.all([poll('activation', () => ext.isActive), poll('diagnostics', ours)]);
    writeFileSync(out, JSON.stringify({ activationMs: active - start, firstDiagnosticsMs: diagnosed - start }));
  } catch (e) {
    writeFileSync(out, JSON.stringify({ error: e instanceof Error ? e.message : String(e) }));
  }
}
