import type { Settings } from '../settings';
import type { Rule } from './rule';

/**
 * registry-not-allowed: the image's normalized name matches a `deniedRegistries` glob, or `allowedRegistries` is
 * set and it matches none of those. Templated and invalid images are not judged (there is no reliable name to match).
 */
export const registryNotAllowed: Rule = {
  id: 'registry-not-allowed',
  defaultSeverity: 'error',
  description: 'The image comes from a registry or repository in deniedRegistries, or outside the allowedRegistries setting.',
  checkImage(fact, ctx) {
    if (fact.templated || !fact.range || !fact.reference?.valid) return [];
    const { domain, path } = fact.reference.ref;
    const verdict = registryPolicy(ctx.settings, domain, path);
    if (!verdict) return [];
    if ('denied' in verdict) {
      return [{
        range: fact.range,
        message: `Registry denied: "${domain}/${path}" matches deniedRegistries pattern "${verdict.denied}"`,
        detail: 'The deniedRegistries setting lists registries and repositories no image may come from. Use an image from another one.',
      }];
    }
    return [{
      range: fact.range,
      message: `Registry not allowed: "${domain}/${path}" matches no allowedRegistries pattern`,
      detail: `The allowed registries are ${verdict.allowed.map((g) => JSON.stringify(g)).join(', ')}. Use an image from one of them, or add a pattern to the allowedRegistries setting.`,
    }];
  },
};

/**
 * What `deniedRegistries` and `allowedRegistries` say of a normalized name: the denying glob, or the allowed ones
 * it matches none of; null when the image may come from there.
 */
export function registryPolicy(settings: Settings, domain: string, path: string): { denied: string } | { allowed: string[] } | null {
  const denied = settings.deniedRegistries.find((g) => g.trim() !== '' && registryGlobMatches(g, domain, path));
  if (denied !== undefined) return { denied };
  const allowed = settings.allowedRegistries.filter((g) => g.trim() !== '');
  return allowed.length === 0 || allowed.some((g) => registryGlobMatches(g, domain, path)) ? null : { allowed };
}

/**
 * Matches one `allowedRegistries` glob against a normalized image name (`docker.io/library/nginx` is domain
 * `docker.io`, path `library/nginx`; `nginx` is written that way after normalization, so write globs for it
 * as `docker.io` or `docker.io/library/*`).
 *
 * - `*` matches any run of characters within one segment (no `/`, but dots are fine: `*.gcr.io` matches
 *   `a.b.gcr.io`); `**` matches across segments.
 * - A glob without `/` names registries only: it must match the whole domain (`ghcr.io`, `*.gcr.io`,
 *   `localhost:*`), whatever the repository.
 * - A glob with `/` matches `domain/path` segment-prefix-wise: it must match the whole name or a leading run
 *   of its `/`-separated segments. `ghcr.io/myorg` therefore allows `ghcr.io/myorg/app` and
 *   `ghcr.io/myorg/team/app` but not `ghcr.io/myorg2/app`; `docker.io/library/*` allows every official image.
 * - A leading `=` matches the whole name only: `=docker.io/library/nginx` is that repository, not the ones under
 *   it (`=ghcr.io/acme/*` is every repository directly under `ghcr.io/acme`).
 * - Matching ignores case (host names are case-insensitive; paths are lowercase anyway), a trailing `/` in the
 *   glob is ignored, and `index.docker.io` in a glob means `docker.io`, as in image names.
 *
 * @example registryGlobMatches('*.gcr.io', 'eu.gcr.io', 'proj/app') === true
 * @example registryGlobMatches('ghcr.io/myorg/**', 'ghcr.io', 'myorg/a/b') === true
 */
export function registryGlobMatches(glob: string, domain: string, path: string): boolean {
  let g = glob.trim().toLowerCase().replace(/\/+$/, '');
  const exact = g.startsWith('=');
  if (exact) g = g.slice(1).trim();
  if (g === 'index.docker.io' || g.startsWith('index.docker.io/')) g = g.slice('index.'.length);
  const name = `${domain}/${path}`.toLowerCase();
  if (exact) return globRegExp(g).test(name);
  if (!g.includes('/')) return globRegExp(g).test(domain.toLowerCase());
  const re = globRegExp(g);
  const segments = name.split('/');
  for (let n = segments.length; n >= 1; n--) {
    if (re.test(segments.slice(0, n).join('/'))) return true;
  }
  return false;
}

/** Compiled globs: the same few settings entries are matched against every image on every keystroke. */
const compiled = new Map<string, RegExp>();

function globRegExp(glob: string): RegExp {
  let re = compiled.get(glob);
  if (!re) {
    if (compiled.size > 1000) compiled.clear();
    compiled.set(glob, (re = compileGlob(glob)));
  }
  return re;
}

function compileGlob(glob: string): RegExp {
  // A run of stars means what `**` means; as written it would backtrack exponentially (`*****…c`).
  const body = glob
    .replace(/\*{3,}/g, '**')
    .split('**')
    .map((part) => part.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('[^/]*'))
    .join('.*');
  return new RegExp(`^${body}$`);
}
