/**
 * Document identities for the workspace index, without fs or `node:path`: the server hands in `file:` URIs from
 * the client, the CLI `file:` URIs of the paths it reads, tests any string. Kustomizations name their resources
 * by relative path, so the index resolves those against the kustomization's own URI with the string operations
 * below. Keys are normalized so that one file reached two ways (`file:///c%3A/x` from VS Code,
 * `file:///C:/x` from the CLI) is one entry.
 */

/**
 * The index key of a document URI: percent-escapes decoded (so `my%20app` and a kustomization's `my app` agree)
 * and a Windows drive letter lowercased. Other schemes (`untitled:`) are kept as they are.
 *
 * @example docKey('file:///c%3A/w/deploy.yaml') === 'file:///c:/w/deploy.yaml'
 */
export function docKey(uri: string): string {
  if (!uri.startsWith('file://')) return uri;
  let path = uri.slice('file://'.length);
  try {
    path = decodeURIComponent(path);
  } catch {
    // A stray `%` is kept literally: the key only has to be stable.
  }
  path = path.replace(/^\/([A-Za-z]):/, (_, drive: string) => `/${drive.toLowerCase()}:`);
  return `file://${path}`;
}

/** The directory part of a key: everything before its last `/` (the key itself when there is none). */
export function dirOf(key: string): string {
  const i = key.lastIndexOf('/');
  return i < 0 ? key : key.slice(0, i);
}

/** The last path segment of a key, e.g. `kustomization.yaml`. */
export function baseName(key: string): string {
  return key.slice(key.lastIndexOf('/') + 1);
}

/**
 * Resolves a relative path (`../base`, `./deploy.yaml`, `sub/dir/`) against a directory key, collapsing `.`
 * and `..` segments; never climbs above the key's root (`file://` plus the first `/`).
 *
 * @example resolvePath('file:///w/overlays/prod', '../../base') === 'file:///w/base'
 */
export function resolvePath(dirKey: string, relative: string): string {
  const rel = relative.replace(/\\/g, '/');
  const schemeEnd = dirKey.startsWith('file://') ? 'file://'.length : dirKey.indexOf(':') + 1;
  const prefix = dirKey.slice(0, schemeEnd);
  const base = rel.startsWith('/') ? [] : dirKey.slice(schemeEnd).split('/');
  const out: string[] = [];
  for (const seg of [...base, ...rel.split('/')]) {
    if (seg === '.' || (seg === '' && out.length > 0)) continue;
    if (seg === '..') {
      if (out.length > 1) out.pop();
      continue;
    }
    out.push(seg);
  }
  // Keep the leading empty segment of an absolute path (`/w/base` splits into '', 'w', 'base').
  const joined = out.join('/');
  return prefix + (rel.startsWith('/') && !joined.startsWith('/') ? `/${joined}` : joined);
}

/** File names kustomize reads as a kustomization, in the order it tries them. */
export const KUSTOMIZATION_NAMES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'] as const;

export function isKustomizationName(name: string): boolean {
  return (KUSTOMIZATION_NAMES as readonly string[]).includes(name);
}

/** A path relative to the directory of `fromKey`, for messages: `../base/secret.yaml`. Falls back to the key. */
export function relativeTo(fromKey: string, toKey: string): string {
  const from = dirOf(fromKey).split('/');
  const to = toKey.split('/');
  if (from[0] !== to[0]) return toKey;
  let common = 0;
  while (common < from.length && common < to.length - 1 && from[common] === to[common]) common++;
  if (common < 3) return displayPath(toKey);
  const ups = from.length - common;
  return [...Array<string>(ups).fill('..'), ...to.slice(common)].join('/');
}

/** A key shown to people: the path of a `file:` key, else the key. */
export function displayPath(key: string): string {
  return key.startsWith('file://') ? key.slice('file://'.length) : key;
}
