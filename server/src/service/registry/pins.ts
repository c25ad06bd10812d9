/**
 * Pinning an image value: to the digest its tag resolves to now (`app:1.2.3` → `app:1.2.3@sha256:…`, the tag kept
 * for readers; for a multi-arch tag that is the index's digest, so every platform still gets its own image), or
 * to another tag (`app:latest` → `app:1.10.0`). Edits are computed on the source text (`replaceScalarContent`),
 * so quoting and comments stay as they are. The registry is the one the caller hands in.
 */
import { isScalar } from 'yaml';
import type { Analysis } from '../analyze';
import type { ImageFact } from '../facts';
import { isTag, splitReference, validateDigest, type ImageReference } from '../image/reference';
import { replaceScalarContent } from '../rules/scalarEdit';
import type { OffsetRange, TextEdit } from '../types';
import { pulledManifest, repositoryOf, taggedManifest } from './refs';
import { pinCandidates } from './tagOrder';
import type { RegistryClient, RegistryError, RegistryResult, ResolvedManifest } from './types';

/** An image value a pin can rewrite: valid, not a template, a string scalar. */
export interface PinSite {
  fact: ImageFact;
  /** The image as written. */
  image: string;
  reference: ImageReference;
  /** The image value's range. */
  range: OffsetRange;
}

/** Every image value of the analysis that a pin can rewrite, in document order. */
export function pinSites(analysis: Analysis): PinSite[] {
  const out: PinSite[] = [];
  for (const fact of analysis.images) {
    const node = fact.site.imagePair?.value;
    if (fact.templated || fact.image === null || !fact.range || !isScalar(node) || !fact.reference?.valid) continue;
    out.push({ fact, image: fact.image, reference: fact.reference.ref, range: fact.range });
  }
  return out;
}

/** The site whose value touches `range` (a cursor at either end counts), or null. */
export function pinSiteAt(analysis: Analysis, range: OffsetRange): PinSite | null {
  return pinSites(analysis).find((s) => s.range.start <= range.end && range.start <= s.range.end) ?? null;
}

/** The site whose value starts at `offset` (how a deferred action finds its image again), or null. */
export function pinSiteStartingAt(analysis: Analysis, offset: number): PinSite | null {
  return pinSites(analysis).find((s) => s.range.start === offset) ?? null;
}

/** True when the image has no digest yet (a digest already pins it). */
export function canPinDigest(site: PinSite): boolean {
  return site.reference.digest === null;
}

/** The edit that adds `digest` to the image as written, keeping its tag: `nginx:1.27` → `nginx:1.27@sha256:…`. */
export function digestPinEdit(analysis: Analysis, site: PinSite, digest: string): TextEdit | null {
  // A value from a registry reaches the user's YAML only when it is what it claims to be.
  if (!canPinDigest(site) || validateDigest(digest) !== null) return null;
  const node = site.fact.site.imagePair?.value;
  return isScalar(node) ? replaceScalarContent(analysis.file.text, node, `${site.image.trim()}@${digest}`) : null;
}

/** The edit that makes the image's tag `tag` (the name as written, any digest dropped: it pinned the old tag). */
export function tagPinEdit(analysis: Analysis, site: PinSite, tag: string): TextEdit | null {
  const node = site.fact.site.imagePair?.value;
  if (!isScalar(node) || !isTag(tag)) return null;
  const parts = splitReference(site.image);
  return replaceScalarContent(analysis.file.text, node, `${site.image.slice(parts.name[0], parts.name[1])}:${tag}`);
}

/** Resolves the site's tag and returns the pin edit, or why it cannot. */
export async function resolveDigestPin(analysis: Analysis, site: PinSite, registry: RegistryClient): Promise<{ edit: TextEdit; resolved: ResolvedManifest } | { error: RegistryError }> {
  const r = await registry.resolveDigest(taggedManifest(site.reference));
  if (!r.ok) return { error: r.error };
  const edit = digestPinEdit(analysis, site, r.value.digest);
  return edit ? { edit, resolved: r.value } : { error: { kind: 'server', message: `${site.image} cannot be rewritten here.` } };
}

/** The tags worth pinning the site to, newest first, keeping its variant (see `pinCandidates`). */
export async function tagChoices(site: PinSite, registry: RegistryClient): Promise<RegistryResult<string[]>> {
  const r = await registry.listTags(repositoryOf(site.reference));
  if (!r.ok) return r;
  return { ok: true, value: pinCandidates(r.value.filter(isTag), site.reference.tag), fetchedAt: r.fetchedAt };
}

/** The outcome of pinning a whole file. */
export interface PinAllResult {
  edits: TextEdit[];
  /** Images pinned (one per edit). */
  pinned: number;
  /** Images already pinned by a digest. */
  alreadyPinned: number;
  failures: { image: string; message: string }[];
}

/**
 * Pins every unpinned image of the file to the digest its tag resolves to now. Distinct references are
 * resolved concurrently (the client caps its connections), each once; `progress` hears of each one done.
 */
export async function pinAllDigests(analysis: Analysis, registry: RegistryClient, progress?: (done: number, total: number) => void): Promise<PinAllResult> {
  const sites = pinSites(analysis);
  const todo = sites.filter(canPinDigest);
  const unique = new Map<string, Promise<RegistryResult<ResolvedManifest>>>();
  let done = 0;
  for (const site of todo) {
    const ref = taggedManifest(site.reference);
    const key = JSON.stringify(ref);
    if (!unique.has(key)) {
      unique.set(key, registry.resolveDigest(ref).then((r) => {
        progress?.(++done, unique.size);
        return r;
      }));
    }
  }
  const result: PinAllResult = { edits: [], pinned: 0, alreadyPinned: sites.length - todo.length, failures: [] };
  for (const site of todo) {
    const r = await unique.get(JSON.stringify(taggedManifest(site.reference)))!;
    if (!r.ok) {
      result.failures.push({ image: site.image, message: r.error.message });
      continue;
    }
    const edit = digestPinEdit(analysis, site, r.value.digest);
    if (edit) {
      result.edits.push(edit);
      result.pinned++;
    }
  }
  return result;
}

