/**
 * Reading a workspace folder for the index: the YAML files (and `Kustomization` files) under it, skipping
 * `node_modules`, `.git` and the user's `files.exclude`, without blocking the event loop for long. Node-only;
 * the index itself stays pure and receives texts.
 */
import { readFile, readdir, stat } from 'node:fs/promises';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { decodeText, JSON_FILE, mayHoldKubernetesJson } from './textFile';
import { join, relative, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ALWAYS_SKIPPED = new Set(['node_modules', '.git']);
const INDEXED_FILE = /\.(?:ya?ml|json)$/i;
/** The default upper bound (the `maxWorkspaceFiles` setting), so a huge monorepo opened by mistake cannot swamp the server. */
export const MAX_FILES = 20_000;

/** True for files the workspace index reads: `*.yaml`, `*.yml`, `*.json` and kustomize's `Kustomization`. */
export function isIndexedName(name: string): boolean {
  return INDEXED_FILE.test(name) || name === 'Kustomization';
}

export interface ScanOptions {
  /** Relative `/`-separated paths (files or directories) to leave out, from `files.exclude`. */
  excluded: (relativePath: string) => boolean;
  /** Files larger than this are not read. */
  maxBytes: number;
  /** Stop early (the server is shutting down, the folder was removed). */
  cancelled?: () => boolean;
  /** The most files listed (default MAX_FILES). */
  maxFiles?: number;
}

/** The files of a folder, and whether there were more than `maxFiles`. */
export interface FolderFiles {
  files: string[];
  capped: boolean;
}

/**
 * Every indexable file under `root` (a directory path), depth-first, sorted by name, at most `maxFiles` (and
 * whether more were left out); symbolic links to directories are not followed. Yields to the event loop between
 * directories.
 */
export async function listIndexedFiles(root: string, options: ScanOptions): Promise<FolderFiles> {
  const out: string[] = [];
  const max = options.maxFiles ?? MAX_FILES;
  let capped = false;
  const walk = async (dir: string): Promise<void> => {
    if (capped || options.cancelled?.()) return;
    let entries: import('node:fs').Dirent[];
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      const full = join(dir, e.name);
      const rel = relative(root, full).split(sep).join('/');
      if (options.excluded(rel)) continue;
      if (e.isDirectory()) {
        if (!ALWAYS_SKIPPED.has(e.name)) await walk(full);
      } else if ((e.isFile() || e.isSymbolicLink()) && isIndexedName(e.name)) {
        if (out.length >= max) {
          capped = true;
          return;
        }
        out.push(full);
      }
      if (capped) return;
    }
  };
  await walk(root);
  return { files: out, capped };
}

/** Reads a file for the index, or null when it is missing, unreadable, not a file or too large. */
export async function readIndexedFile(path: string, maxBytes: number): Promise<string | null> {
  try {
    const s = await stat(path);
    if (!s.isFile() || s.size > maxBytes) return null;
    return manifestText(path, await readFile(path));
  } catch {
    return null;
  }
}

/** The same, synchronously, for one file named by a `file:` URI (after a document is closed). */
export function readIndexedUri(uri: string, maxBytes: number): string | null {
  const path = uriToPath(uri);
  if (path === null || !existsSync(path)) return null;
  try {
    const s = statSync(path);
    if (!s.isFile() || s.size > maxBytes) return null;
    return manifestText(path, readFileSync(path));
  } catch {
    return null;
  }
}

export function uriToPath(uri: string): string | null {
  if (!uri.startsWith('file:')) return null;
  try {
    return fileURLToPath(uri);
  } catch {
    return null;
  }
}

export function pathToUri(path: string): string {
  return pathToFileURL(path).href;
}

/** A file's text (UTF-8 or UTF-16 by its BOM); null for JSON that holds no Kubernetes object (package.json…). */
function manifestText(path: string, bytes: Buffer): string | null {
  const { text } = decodeText(bytes);
  return JSON_FILE.test(path) && !mayHoldKubernetesJson(text) ? null : text;
}
