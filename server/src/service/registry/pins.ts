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
  /** The edits that pin the image to `digest`, best first (a chart's values may offer two ways); [] when it cannot. */
  digestEdits(digest: string): TextEdit[];
  /** The edit that makes the image's tag `tag`, or null. */
  tagEdit(tag: string): TextEdit | null;
  /** The edit that writes another image in its place (a moved registry's name), or null. */
  rewrite(image: string): TextEdit | null;
  /**
   * Set when the site is a chart value: where the image it feeds is rendered (template URI and the image's
   * offset there), so an edit can be checked by rendering the chart again before it is applied.
   */
  renders?: { template: string; offset: number };
}

/** Every image value of the analysis that a pin can rewrite, in document order. */
export function pinSites(analysis: Analysis): PinSite[] {
  const out: PinSite[] = [];
  for (const fact of analysis.images) {
    const node = fact.site.imagePair?.value;
    if (fact.templated || fact.image === null || !fact.range || !isScalar(node) || !fact.reference?.valid) continue;
    const text = analysis.file.text;
    const image = fact.image;
    out.push({
      fact, image, reference: fact.reference.ref, range: fact.range,
      digestEdits: (digest) => {
        const edit = replaceScalarContent(text, node, `${image.trim()}@${digest}`);
        return edit ? [edit] : [];
      },
      tagEdit: (tag) => {
        const parts = splitReference(image);
        return replaceScalarContent(text, node, `${image.slice(parts.name[0], parts.name[1])}:${tag}`);
      },
      rewrite: (other) => (fact.kustomized ? null : replaceScalarContent(text, node, other)),
    });
  }
  return out;
}

/** The site whose value touches `range` (a cursor at either end counts), or null. */
export function pinSiteAt(sites: readonly PinSite[], range: OffsetRange): PinSite | null {
  return sites.find((s) => s.range.start <= range.end && range.start <= s.range.end) ?? null;
}

/** The site whose value starts at `offset` (how a deferred action finds its image again), or null. */
export function pinSiteStartingAt(sites: readonly PinSite[], offset: number): PinSite | null {
  return sites.find((s) => s.range.start === offset) ?? null;
}

/** True when the image has no digest yet (a digest already pins it). */
export function canPinDigest(site: PinSite): boolean {
  return site.reference.digest === null;
}

/**
 * The edits that add `digest` to the image as written, keeping its tag (`nginx:1.27` → `nginx:1.27@sha256:…`),
 * best first; [] when the image has a digest already or `digest` is not one.
 */
export function digestPinEdits(site: PinSite, digest: string): TextEdit[] {
  // A value from a registry reaches the user's YAML only when it is what it claims to be.
  if (!canPinDigest(site) || validateDigest(digest) !== null) return [];
  return site.digestEdits(digest);
}

/** The first of `digestPinEdits`, or null. */
export function digestPinEdit(site: PinSite, digest: string): TextEdit | null {
  return digestPinEdits(site, digest)[0] ?? null;
}

/** The edit that makes the image's tag `tag` (the name as written, any digest dropped: it pinned the old tag). */
export function tagPinEdit(site: PinSite, tag: string): TextEdit | null {
  return isTag(tag) ? site.tagEdit(tag) : null;
}

/** Resolves the site's tag and returns the pin edits (best first), or why it cannot. */
export async function resolveDigestPin(site: PinSite, registry: RegistryClient): Promise<{ edits: TextEdit[]; resolved: ResolvedManifest } | { error: RegistryError }> {
  const r = await registry.resolveDigest(taggedManifest(site.reference));
  if (!r.ok) return { error: r.error };
  const edits = digestPinEdits(site, r.value.digest);
  return edits.length ? { edits, resolved: r.value } : { error: { kind: 'server', message: `${site.image} cannot be rewritten here.` } };
}

/** The tags worth pinning the site to, newest first, keeping its variant (see `pinCandidates`). */
export async function tagChoices(site: PinSite, registry: RegistryClient): Promise<RegistryResult<string[]>> {
  const r = await registry.listTags(repositoryOf(site.reference));
  if (!r.ok) return r;
  return { ok: true, value: pinCandidates(r.value.filter(isTag), site.reference.tag), fetchedAt: r.fetchedAt };
}

/** A site, the edits that would pin it to `digest` (best first): what a caller chooses from. */
export interface PinChoice {
  site: PinSite;
  edits: TextEdit[];
  digest: string;
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
export async function pinAllDigests(
  sites: readonly PinSite[], registry: RegistryClient, progress?: (done: number, total: number) => void,
  choose: (picks: readonly PinChoice[]) => (TextEdit | null)[] = (picks) => picks.map((p) => p.edits[0] ?? null),
): Promise<PinAllResult> {
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
  const picks: PinChoice[] = [];
  for (const site of todo) {
    const r = await unique.get(JSON.stringify(taggedManifest(site.reference)))!;
    if (!r.ok) result.failures.push({ image: site.image, message: r.error.message });
    else picks.push({ site, edits: digestPinEdits(site, r.value.digest), digest: r.value.digest });
  }
  const usable = picks.filter((p) => p.edits.length > 0);
  const chosen = choose(usable);
  usable.forEach((p, i) => {
    const edit = chosen[i];
    if (!edit) {
      result.failures.push({ image: p.site.image, message: 'the chart renders no digest written here' });
      return;
    }
    result.edits.push(edit);
    result.pinned++;
  });
  return result;
}

