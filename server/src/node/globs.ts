/**
 * VS Code-style glob patterns, as used by the `files.exclude` setting: `**` crosses `/`, `*` and `?` stay within
 * a path segment, `{a,b}` alternatives, `[abc]` classes. Patterns are matched against `/`-separated paths
 * relative to the workspace folder; a pattern that matches a directory excludes everything below it.
 */

/** Compiles a glob to an anchored regular expression, or null when it cannot be read. */
export function globToRegExp(glob: string): RegExp | null {
  let out = '';
  let i = 0;
  let braces = 0;
  const g = glob.replace(/\\/g, '/').replace(/^\.\//, '');
  while (i < g.length) {
    const c = g[i];
    if (c === '*') {
      if (g[i + 1] === '*') {
        const slashAfter = g[i + 2] === '/';
        out += slashAfter ? '(?:.*/)?' : '.*';
        i += slashAfter ? 3 : 2;
        continue;
      }
      out += '[^/]*';
    } else if (c === '?') out += '[^/]';
    else if (c === '{') {
      braces++;
      out += '(?:';
    } else if (c === '}' && braces > 0) {
      braces--;
      out += ')';
    } else if (c === ',' && braces > 0) out += '|';
    else if (c === '[') {
      const close = g.indexOf(']', i + 1);
      if (close < 0) return null;
      const body = g.slice(i + 1, close).replace(/^!/, '^').replace(/\\/g, '\\\\');
      out += `[${body}]`;
      i = close;
    } else out += c.replace(/[.+^$()|\\]/g, '\\$&');
    i++;
  }
  if (braces !== 0) return null;
  try {
    return new RegExp(`^${out}$`);
  } catch {
    return null;
  }
}

/** A matcher for the enabled patterns of a `files.exclude`-shaped object (`{ "**\/dist": true }`). */
export function excludeMatcher(patterns: unknown): (relativePath: string) => boolean {
  const res: RegExp[] = [];
  if (typeof patterns === 'object' && patterns !== null && !Array.isArray(patterns)) {
    for (const [glob, on] of Object.entries(patterns)) {
      // `{ "when": "$(basename).ts" }` conditions depend on sibling files; only plain `true` is honoured.
      if (on !== true) continue;
      const re = globToRegExp(glob);
      if (re) res.push(re);
    }
  }
  return (path) => res.some((re) => re.test(path));
}
