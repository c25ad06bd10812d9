/** The hover's line about what the registry says now: the digest a tag resolves to (from the client's cache). */
import type { ImageFact } from '../facts';
import { describeAge, taggedManifest } from '../registry/refs';
import type { RegistryClient } from '../registry/types';
import { code } from './markdown';
import { platformText } from '../registry/platforms';

/**
 * "**Resolves now to:** `sha256:…` (multi-arch index, looked up 3 min ago)", with a warning when a written digest
 * differs; the registry's "not found" when that is what it said; null when nothing is known (lookups off, or not
 * asked yet: in `manual` mode only a pin, a tag completion or a command asks).
 */
export function registryNote(fact: ImageFact, registry: RegistryClient | null, now: number): string | null {
  if (!registry || !fact.reference?.valid) return null;
  const ref = fact.reference.ref;
  // A digest alone names fixed content: there is nothing that "resolves now".
  if (ref.digest !== null && ref.tag === null) return null;
  const known = registry.cachedDigest(taggedManifest(ref));
  if (!known) return null;
  const tag = ref.tag ?? 'latest';
  if (!known.ok) {
    return known.error.kind === 'not-found' || known.error.kind === 'not-found-or-unauthorized' ? `**Registry:** ${known.error.message}` : null;
  }
  const kind = known.value.multiArch ? 'multi-arch index' : 'single-platform manifest';
  const line = `**${code(tag)} resolves to:** ${code(known.value.digest)} (${kind}, looked up ${describeAge(now - known.fetchedAt)})`;
  if (ref.digest !== null && ref.digest !== known.value.digest) {
    const index = registry.cachedDescription(taggedManifest(ref));
    const child = index?.ok ? index.value.children.find((c) => c.digest === ref.digest) : undefined;
    if (child) return `${line}\n\nThe pinned digest is the ${code(platformText(child.platform))} image of this index: ${code(tag)} still points to it.`;
    return `${line}\n\nThe pinned digest is not what ${code(tag)} points to now: the tag has moved since it was pinned.`;
  }
  if (ref.digest !== null) return `${line}\n\n${code(tag)} still points to the pinned digest.`;
  return line;
}
