/**
 * VS Code-style glob patterns, as used by the `files.exclude` and `exclude` settings: `**` crosses `/`, `*` and `?` stay within
 * a path segment, `{a,b}` alternatives, `[abc]` classes. Patterns are matched against `/`-separated paths
 * relative to the workspace folder; a pattern that matches a directory excludes everything below it.
 */

/** Compiles a glob to an anchored regular expression, or null when it cannot be read. */
export function globToRegExp(glob: string): RegExp | null {
  let out = '';
  let i = 0;
  let braces = 0;
  // Runs of `*` mean what one `**` (or `*`) means; kept as written they would make a pattern that backtracks
  // exponentially on a long path (`******c`).
  const g = glob.replace(/\\/g, '/').replace(/^\.\//, '').replace(/\*{3,}/g, '**');
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

