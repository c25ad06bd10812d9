import type { Settings } from '../settings';
import { registryGlobMatches } from './registryNotAllowed';

/**
 * True when an image's registry is in `publicRegistries`: entries are matched like `allowedRegistries` globs
 * (`docker.io`, `*.example.com`, or `registry/path` prefixes), so `nginx` (`docker.io/library/nginx`) is public
 * by default.
 */
export function isPublicRegistry(settings: Settings, domain: string, path: string): boolean {
  return settings.publicRegistries.some((g) => g.trim() !== '' && registryGlobMatches(g, domain, path));
}

/**
 * True when the nodes are expected to pull the image with credentials of their own: its registry matches a
 * `nodeCredentials` glob (by default the cloud registries whose nodes' kubelet credential providers serve them).
 */
export function hasNodeCredentials(settings: Settings, domain: string, path: string): boolean {
  return settings.nodeCredentials.some((g) => g.trim() !== '' && registryGlobMatches(g, domain, path));
}
