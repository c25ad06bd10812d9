import type { TextDocument } from 'vscode-languageserver-textdocument';
import { analyze, type Analysis, type Settings } from '../service/index';

interface Entry {
  version: number;
  settings: Settings;
  analysis: Analysis;
}

/**
 * One analysis per document version and settings object, shared by diagnostics, hover, code actions, inlay
 * hints and completion: a keystroke is analysed once however many requests follow it. The settings object
 * is part of the key because the settings store hands out a new object whenever settings change.
 */
export class AnalysisCache {
  private readonly entries = new Map<string, Entry>();

  get(doc: TextDocument, settings: Settings): Analysis {
    const hit = this.entries.get(doc.uri);
    if (hit && hit.version === doc.version && hit.settings === settings) return hit.analysis;
    const analysis = analyze(doc.getText(), settings);
    this.entries.set(doc.uri, { version: doc.version, settings, analysis });
    return analysis;
  }

  delete(uri: string): void {
    this.entries.delete(uri);
  }
}
