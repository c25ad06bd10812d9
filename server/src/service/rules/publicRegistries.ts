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
