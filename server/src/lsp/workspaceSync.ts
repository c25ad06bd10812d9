/**
 * Keeps the workspace index current for the language server: fills it from the workspace folders at start
 * (and when folders are added), follows `workspace/didChangeWatchedFiles` for files that are not open, and
 * returns, for every update, the dependency keys that changed so the server can re-diagnose the documents that
 * looked them up. Open documents are indexed by the analysis cache from their editor text, which wins over
 * the disk until they are closed.
 */
import { docKey, isExcluded, WorkspaceIndex } from '../service/index';
import { excludeMatcher } from '../node/globs';
import { isIndexedName, listIndexedFiles, MAX_FILES, pathToUri, readIndexedFile, readIndexedUri, uriToPath } from '../node/workspaceFiles';

/**
 * Files read at once while scanning (their reads overlap; the index takes them in order), between two turns of the
 * event loop.
 */
const BATCH = 64;
const DEFAULT_MAX_BYTES = 5120 * 1024;

export interface WorkspaceSyncSources {
  /** `files.exclude` for a folder (an object of glob → boolean), or undefined. */
  excludes(folderUri: string): Promise<unknown>;
  /** The linter's own `exclude` globs for a folder (settings and `.k8s-image-lint.yaml`). */
  lintExcludes?(folderUri: string): Promise<readonly string[]>;
  /** True when the document is open (its editor text is the truth, not the disk); URIs may differ in encoding. */
  isOpen(uri: string): boolean;
  log(message: string): void;
  /** The `maxWorkspaceFiles` setting for a folder (default MAX_FILES). */
  maxFiles?(folderUri: string): Promise<number>;
  /** A folder's scan started (`total` files to read): for a progress report; returns what hears of each batch. */
  progress?(folderUri: string, total: number): ScanProgress | undefined;
  /** A folder had more files than `maxFiles`: the rest is not indexed (said once per folder). */
  capped?(folderUri: string, maxFiles: number): void;
}

export interface ScanProgress {
  report(done: number, total: number): void;
  done(): void;
}

export class WorkspaceSync {
  readonly index = new WorkspaceIndex();
  private readonly folders = new Set<string>();
  private scanning = 0;
  private disposed = false;
  private readonly maxBytes = DEFAULT_MAX_BYTES;

  constructor(private readonly sources: WorkspaceSyncSources) {}

  /** True while any folder is still being read. */
  get busy(): boolean {
    return this.scanning > 0;
  }

  /**
   * Adds folders (by URI) and reads their files into the index. Resolves with the changed dependency keys once
   * every file is read; files read meanwhile are already visible to analyses.
   */
  async addFolders(uris: readonly string[]): Promise<string[]> {
    const changed: string[] = [];
    for (const uri of uris) {
      const key = docKey(uri).replace(/\/+$/, '');
      if (this.folders.has(key)) continue;
      this.folders.add(key);
      changed.push(...await this.scan(uri, key));
    }
    return [...new Set(changed)];
  }

  /** Forgets folders and every file indexed under them (open documents are left to the cache). */
  removeFolders(uris: readonly string[]): string[] {
    const changed: string[] = [];
    for (const uri of uris) {
      const key = docKey(uri).replace(/\/+$/, '');
      this.folders.delete(key);
      for (const file of [...this.index.keys()]) {
        if (file.startsWith(`${key}/`) && !this.sources.isOpen(this.index.entry(file)?.uri ?? file)) changed.push(...this.index.remove(file));
      }
    }
    return [...new Set(changed)];
  }

  private async scan(uri: string, key: string): Promise<string[]> {
    const root = uriToPath(uri);
    if (root === null) return [];
    this.scanning++;
    const changed: string[] = [];
    try {
      const filesExclude = excludeMatcher(await this.sources.excludes(uri).catch(() => undefined));
      const lintExclude = (await this.sources.lintExcludes?.(uri).catch(() => undefined)) ?? [];
      const excluded = (rel: string) => filesExclude(rel) || isExcluded(lintExclude, `${root}/${rel}`);
      const cancelled = () => this.disposed || !this.folders.has(key);
      const maxFiles = (await this.sources.maxFiles?.(uri).catch(() => undefined)) ?? MAX_FILES;
      const { files, capped } = await listIndexedFiles(root, { excluded, maxBytes: this.maxBytes, cancelled, maxFiles });
      if (capped) this.sources.capped?.(uri, maxFiles);
      const progress = this.sources.progress?.(uri, files.length);
      try {
        for (let i = 0; i < files.length && !cancelled(); i += BATCH) {
          const batch = files.slice(i, i + BATCH).map((path) => ({ path, uri: pathToUri(path) })).filter((f) => !this.sources.isOpen(f.uri));
          const texts = await Promise.all(batch.map((f) => readIndexedFile(f.path, this.maxBytes)));
          batch.forEach((f, j) => {
            // Opened while it was being read: the editor's text (indexed by its analysis) wins over the disk.
            const text = texts[j];
            if (text !== null && !this.sources.isOpen(f.uri)) changed.push(...this.index.update(f.uri, text));
          });
          progress?.report(Math.min(i + BATCH, files.length), files.length);
          await new Promise((r) => setImmediate(r));
        }
      } finally {
        progress?.done();
      }
    } catch (e) {
      this.sources.log(`k8s-image-lint: reading workspace folder ${uri} failed: ${String(e)}`);
    } finally {
      this.scanning--;
    }
    return changed;
  }

  /** Whether a file event concerns the index: a YAML or Kustomization file inside a workspace folder. */
  concerns(uri: string): boolean {
    const key = docKey(uri);
    const name = key.slice(key.lastIndexOf('/') + 1);
    if (!isIndexedName(name) || /\/(?:node_modules|\.git)\//.test(key)) return false;
    return [...this.folders].some((f) => key.startsWith(`${f}/`));
  }

  /** A file changed or appeared on disk (not open): re-reads it. */
  fileChanged(uri: string): string[] {
    if (this.sources.isOpen(uri) || !this.concerns(uri)) return [];
    const text = readIndexedUri(uri, this.maxBytes);
    return text === null ? this.index.remove(uri) : this.index.update(uri, text);
  }

  /** A file was deleted on disk. */
  fileDeleted(uri: string): string[] {
    if (this.sources.isOpen(uri)) return [];
    return this.index.remove(uri);
  }

  /** A document was closed: its entry goes back to what the disk says (or away, for an unsaved one). */
  documentClosed(uri: string): string[] {
    const text = this.concerns(uri) ? readIndexedUri(uri, this.maxBytes) : null;
    return text === null ? this.index.remove(uri) : this.index.update(uri, text);
  }

  dispose(): void {
    this.disposed = true;
  }
}
