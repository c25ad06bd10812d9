import { readdirSync, readFileSync, statSync, type Dirent } from 'node:fs';
import { join, resolve } from 'node:path';

/** Directories never descended into, at any depth. */
const ALWAYS_SKIPPED = new Set(['node_modules', '.git']);
const YAML_FILE = /\.(?:ya?ml|json)$/i;

/** One plain `.gitignore` entry: `name`, `name/` (directories only), `/name` (top level only). */
interface IgnoreEntry {
  name: string;
  dirOnly: boolean;
  topOnly: boolean;
}

/**
 * The plain entries of a `.gitignore` text. Deliberately a small subset of gitignore: blank lines, comments,
 * negations (`!x`), wildcards and paths with an inner `/` are ignored rather than half-implemented.
 *
 * @example parseGitignore('dist/\n/build\n*.log\n') ->
 *   [{ name: 'dist', dirOnly: true, topOnly: false }, { name: 'build', dirOnly: false, topOnly: true }]
 */
export function parseGitignore(text: string): IgnoreEntry[] {
  const entries: IgnoreEntry[] = [];
  for (const raw of text.split(/\r?\n/)) {
    let line = raw.trim();
    if (!line || line.startsWith('#') || line.startsWith('!') || /[*?[\\]/.test(line)) continue;
    const topOnly = line.startsWith('/');
    const dirOnly = line.endsWith('/');
    line = line.replace(/^\/+/, '').replace(/\/+$/, '');
    if (!line || line.includes('/') || line === '.' || line === '..') continue;
    entries.push({ name: line, dirOnly, topOnly });
  }
  return entries;
}

function readGitignore(dir: string): IgnoreEntry[] {
  try {
    return parseGitignore(readFileSync(join(dir, '.gitignore'), 'utf8'));
  } catch {
    return [];
  }
}

export interface CollectedFiles {
  /** Absolute paths, in argument order, directory contents sorted by name, each file once. */
  files: string[];
  /** One sentence per PATH that could not be read. */
  errors: string[];
}

/**
 * Expands the command line's PATHs into the files to lint. A named file is taken as is (any extension);
 * a directory is walked for `*.yaml`/`*.yml`/`*.json` (JSON only when it holds Kubernetes objects: see `loadFiles`), skipping node_modules, .git and its own `.gitignore`'s entries.
 */
export function collectFiles(paths: readonly string[], cwd: string): CollectedFiles {
  const files: string[] = [];
  const errors: string[] = [];
  const seen = new Set<string>();
  const add = (file: string) => {
    if (!seen.has(file)) {
      seen.add(file);
      files.push(file);
    }
  };
  for (const given of paths) {
    const abs = resolve(cwd, given);
    let isDir: boolean;
    try {
      isDir = statSync(abs).isDirectory();
    } catch (e) {
      errors.push(describeFsError(given, e));
      continue;
    }
    if (!isDir) {
      add(abs);
      continue;
    }
    const ignore = readGitignore(abs);
    const walk = (dir: string, top: boolean) => {
      let entries: Dirent[];
      try {
        entries = readdirSync(dir, { withFileTypes: true });
      } catch (e) {
        errors.push(describeFsError(dir, e));
        return;
      }
      entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      for (const entry of entries) {
        const full = join(dir, entry.name);
        // Symbolic links to files are followed; to directories not (no cycles, no escaping the tree).
        const isFile = entry.isFile() || (entry.isSymbolicLink() && isRegularFile(full));
        const isDirectory = entry.isDirectory();
        if (!isFile && !isDirectory) continue;
        if (ignore.some((i) => i.name === entry.name && (!i.dirOnly || isDirectory) && (!i.topOnly || top))) continue;
        if (isDirectory) {
          if (!ALWAYS_SKIPPED.has(entry.name)) walk(full, false);
        } else if (YAML_FILE.test(entry.name)) {
          add(full);
        }
      }
    };
    walk(abs, true);
  }
  return { files, errors };
}

function isRegularFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** A sentence for a failed fs call on a path the user gave us. */
export function describeFsError(path: string, e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return `${path} does not exist: check the path.`;
  if (code === 'EACCES' || code === 'EPERM') return `${path} cannot be read (permission denied): check its permissions.`;
  return `${path} cannot be read: ${(e as Error).message}`;
}
