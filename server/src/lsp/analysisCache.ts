import type { TextDocument } from 'vscode-languageserver-textdocument';
import { analyze, DocumentCache, type Analysis, type RegistryClient, type Settings, type WorkspaceIndex } from '../service/index';
import { manifestSource } from '../service/parse/manifests';
import { LinesDocument } from './textDocument';

interface Entry {
  version: number;
  settings: Settings;
  analysis: Analysis;
  /** The index generation right after this analysis was indexed. */
  generation: number;
}

/** An analysis, and the dependency keys its indexing changed (other documents may depend on them). */
export interface Analysed {
  analysis: Analysis;
  changed: string[];
}

/**
 * One analysis per document version and settings object, shared by diagnostics, hover, code actions, inlay
 * hints and completion: a keystroke is analysed once however many requests follow it. The settings object
 * is part of the key because the settings store hands out a new object whenever settings change.
 *
 * With a workspace index, each analysis also replaces the document's entry in the index (reusing its parse),
 * and a cached analysis is recomputed when a Secret, ServiceAccount or kustomization it looked up has changed
 * since — so an edit of a Secret in one file re-diagnoses exactly the documents that refer to it.
 */
export class AnalysisCache {
  private readonly entries = new Map<string, Entry>();
  /** Per open document: its YAML documents' parses, so a keystroke re-parses only the document it touched. */
  private readonly parses = new Map<string, DocumentCache>();

  /**
   * `registryFor` gives the registry client a document's settings allow (none: lookups off or untrusted); the
   * analysis reads what it already knows (`image-not-found`, hovers) and pins use it.
   */
  constructor(private readonly index?: WorkspaceIndex, private readonly registryFor?: (settings: Settings) => RegistryClient | undefined) {}

  /**
   * Parses ahead what a large new text of `doc` needs, yielding to the event loop between slices, so that the
   * analysis that follows is quick and other documents are served meanwhile (opening a 5 MB manifest, a paste).
   */
  async prepare(doc: TextDocument, settings: Settings): Promise<void> {
    const text = doc.getText();
    if (!settings.enable || text.length > settings.maxFileSizeKb * 1024) return;
    const hit = this.entries.get(doc.uri);
    if (hit && hit.version === doc.version) return;
    let documents = this.parses.get(doc.uri);
    if (!documents) this.parses.set(doc.uri, (documents = new DocumentCache()));
    await documents.warm(text, manifestSource(text));
  }

  get(doc: TextDocument, settings: Settings): Analysis {
    return this.analyse(doc, settings).analysis;
  }

  analyse(doc: TextDocument, settings: Settings): Analysed {
    const hit = this.entries.get(doc.uri);
    if (hit && hit.version === doc.version && hit.settings === settings && !this.stale(hit)) return { analysis: hit.analysis, changed: [] };
    let documents = this.parses.get(doc.uri);
    if (!documents) this.parses.set(doc.uri, (documents = new DocumentCache()));
    // An open document's own line starts serve the analysis too.
    const analysis = analyze(doc.getText(), settings, {
      uri: doc.uri, workspace: this.index, documents, registry: this.registryFor?.(settings), ...(doc instanceof LinesDocument ? { lines: doc.lines } : {}),
    });
    const changed = this.index ? this.index.set(analysis.entry) : [];
    this.entries.set(doc.uri, { version: doc.version, settings, analysis, generation: this.index?.generation ?? 0 });
    return { analysis, changed };
  }

  /** True when the cached analysis of `uri` looked up any of `deps` (or there is none cached). */
  dependsOn(uri: string, deps: readonly string[]): boolean {
    const hit = this.entries.get(uri);
    if (!hit) return true;
    return deps.some((d) => hit.analysis.workspace.deps.has(d));
  }

  /** Drops the analysis of `uri` (not its parses): the next request analyses again, e.g. after registry answers. */
  invalidate(uri: string): void {
    this.entries.delete(uri);
  }

  delete(uri: string): void {
    this.entries.delete(uri);
    this.parses.delete(uri);
  }

  private stale(hit: Entry): boolean {
    return !!this.index && this.index.changedSince(hit.analysis.workspace.deps, hit.generation);
  }
}
