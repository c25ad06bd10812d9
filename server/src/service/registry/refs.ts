/** From a parsed image reference to what the registry is asked about, and how old an answer is, in words. */
import type { ImageReference } from '../image/reference';
import type { ManifestRef, RepositoryRef } from './types';

/** The repository of an image (`docker.io` + `library/nginx` for `nginx`, as the parser normalizes it). */
export function repositoryOf(ref: ImageReference): RepositoryRef {
  return { domain: ref.domain, path: ref.path };
}

/**
 * What the kubelet pulls: the digest when there is one (a tag beside it is ignored), else the tag, else `latest`.
 *
 * @example pulledManifest(parse('nginx')) // → { domain: 'docker.io', path: 'library/nginx', reference: 'latest' }
 */
export function pulledManifest(ref: ImageReference): ManifestRef {
  return { domain: ref.domain, path: ref.path, reference: ref.digest ?? ref.tag ?? 'latest' };
}

/** What the tag names now (`latest` when untagged), whatever digest is written beside it. */
export function taggedManifest(ref: ImageReference): ManifestRef {
  return { domain: ref.domain, path: ref.path, reference: ref.tag ?? 'latest' };
}

/** "just now", "40 s ago", "3 min ago", "2 h ago". */
export function describeAge(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 5) return 'just now';
  if (s < 60) return `${s} s ago`;
  const m = Math.round(s / 60);
  if (m < 60) return `${m} min ago`;
  return `${Math.round(m / 60)} h ago`;
}

/** `sha256:0123456789ab…` — enough to recognize a digest in a menu or a hover. */
export function shortDigest(digest: string): string {
  const i = digest.indexOf(':');
  return i < 0 ? digest : `${digest.slice(0, i + 13)}…`;
}
