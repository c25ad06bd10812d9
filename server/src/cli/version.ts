import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The version from the package's own package.json, found by walking up from this file (the bundle lives in
 * `server/out/`, the unbundled test build in `out/server/src/cli/`).
 */
export function packageVersion(): string {
  let dir = __dirname;
  for (;;) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'k8s-image-lint' && typeof pkg.version === 'string') return pkg.version;
    } catch {
      // No (readable) package.json here: keep walking up.
    }
    const up = dirname(dir);
    if (up === dir) return '0.0.0-unknown';
    dir = up;
  }
}
