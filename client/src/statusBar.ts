/**
 * The status-bar item shown while a Kubernetes manifest is the active editor: how many images it names and how
 * many of them are not pinned by digest. The counts come from the server's `k8sImageLint/imageSummary`
 * request (the same analysis as the diagnostics); a click opens the Problems view.
 */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { IMAGE_SUMMARY_METHOD, type ImageSummary } from '../../server/src/lsp/imageSummary';

/** The item's text for a summary, neutral (it states, it does not nag): `$(package) 3 images · 1 by digest`. */
export function summaryText(s: { images: number; pinned: number }): string {
  return `$(package) ${s.images} ${s.images === 1 ? 'image' : 'images'} · ${s.pinned} by digest`;
}

export class ImageStatusBar implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  private readonly disposables: vscode.Disposable[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** Bumped on every refresh, so a late answer for a previous editor is dropped. */
  private generation = 0;

  constructor(
    private readonly client: () => LanguageClient | undefined,
    showProblemsCommand: string,
  ) {
    this.item = vscode.window.createStatusBarItem('k8sImageLint.images', vscode.StatusBarAlignment.Right, 100);
    this.item.name = 'Kubernetes Image Lint: images';
    this.item.command = showProblemsCommand;
    this.disposables.push(
      this.item,
      vscode.window.onDidChangeActiveTextEditor(() => this.schedule(0)),
      // Diagnostics change right after the server analysed the document: the counts are current then.
      vscode.languages.onDidChangeDiagnostics((e) => {
        const uri = vscode.window.activeTextEditor?.document.uri.toString();
        if (uri && e.uris.some((u) => u.toString() === uri)) this.schedule(100);
      }),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.document === vscode.window.activeTextEditor?.document) this.schedule(300);
      }),
    );
    this.schedule(0);
  }

  /** Recomputes the item after `delayMs`, coalescing bursts of events. */
  schedule(delayMs: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.refresh(), delayMs);
  }

  private async refresh(): Promise<void> {
    const generation = ++this.generation;
    const doc = vscode.window.activeTextEditor?.document;
    const client = this.client();
    if (!doc || doc.languageId !== 'yaml' || !client?.isRunning()) {
      this.item.hide();
      return;
    }
    let summary: ImageSummary | null = null;
    try {
      summary = await client.sendRequest<ImageSummary | null>(IMAGE_SUMMARY_METHOD, { uri: client.code2ProtocolConverter.asUri(doc.uri) });
    } catch {
      summary = null; // The server is restarting or stopped; the next event refreshes the item.
    }
    if (generation !== this.generation) return;
    if (!summary?.kubernetes) {
      this.item.hide();
      return;
    }
    // A workspace index that left files out is said here too (and once in the Output channel).
    this.item.text = summary.indexNote ? `$(warning) ${summaryText(summary)}` : summaryText(summary);
    const tooltip = new vscode.MarkdownString(
      `**Kubernetes Image Lint**\n\n${summary.images} image ${summary.images === 1 ? 'reference' : 'references'} in this file, ` +
      `${summary.pinned} pinned by digest (an image by digest is the same on every node).\n\nClick to show the problems.`,
    );
    if (summary.indexNote) tooltip.appendText(`\n\n${summary.indexNote}`);
    this.item.tooltip = tooltip;
    this.item.show();
  }

  dispose(): void {
    clearTimeout(this.timer);
    for (const d of this.disposables) d.dispose();
  }
}
