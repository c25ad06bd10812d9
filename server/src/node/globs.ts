/**
 * VS Code's `files.exclude` setting as a matcher (the glob syntax is `service/text/glob.ts`'s). Patterns are matched
 * against `/`-separated paths relative to the workspace folder; a pattern that matches a directory excludes
 * everything below it.
 */
import { globToRegExp } from '../service/text/glob';


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
