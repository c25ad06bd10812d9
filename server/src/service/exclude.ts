/**
 * The `exclude` setting: globs of files that are not linted (nor indexed by the workspace scan). Each glob is
 * matched against the end of the file's path, so `test/e2e/**` leaves out every file under any `test/e2e`
 * directory and `*.golden.yaml` every file of that name; `**` crosses directories, `*` and `?` do not.
 */
import { globToRegExp } from './text/glob';

const compiled = new Map<string, RegExp | null>();

function matcherOf(glob: string): RegExp | null {
  let re = compiled.get(glob);
  if (re === undefined) {
    const body = glob.trim().replace(/^\/+/, '').replace(/\/+$/, '/**');
    re = body === '' ? null : globToRegExp(body.startsWith('**/') ? body : `**/${body}`);
    if (compiled.size > 1000) compiled.clear();
    compiled.set(glob, re);
  }
  return re;
}

/** True when `path` (a `/`-separated file path, or a `file:` URI) matches one of `globs`. */
export function isExcluded(globs: readonly string[], path: string): boolean {
  if (globs.length === 0) return false;
  const p = toPath(path);
  return globs.some((g) => matcherOf(g)?.test(p) ?? false);
}

/** Globs of `exclude` that cannot be read (an unclosed `[` or `{`), each a sentence. */
export function excludeProblems(globs: readonly string[]): string[] {
  return globs.filter((g) => g.trim() !== '' && matcherOf(g) === null).map((g) => `exclude entry ${JSON.stringify(g)} is not a glob that can be read.`);
}

function toPath(path: string): string {
  if (!path.startsWith('file:')) return path.replace(/\\/g, '/');
  try {
    return decodeURIComponent(new URL(path).pathname);
  } catch {
    return path;
  }
}
