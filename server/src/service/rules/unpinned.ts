import { judgedReference, type ImageFact } from '../facts';
import { baseName } from '../workspace/uris';
import type { Settings } from '../settings';
import type { Lines } from '../text/lines';
import type { Fix, OffsetRange } from '../types';
import { hasNoPolicy, policyKey, setPolicyEdit } from './scalarEdit';

/**
 * How an image fails to pin what runs: `latest` (explicit `:latest`, byte-exact, as Kubernetes compares it),
 * `untagged` (neither tag nor digest: Kubernetes assumes `:latest`), `mutable` (a tag from `mutableTags`,
 * compared case-insensitively because `Nightly` moves as much as `nightly`). A digest pins the image whatever
 * the tag says, so anything with a digest is pinned; invalid and templated images are not judged here.
 */
export type Unpinned = 'latest' | 'untagged' | 'mutable';

/** Shared by latest-tag, missing-tag, mutable-tag and stale-image-risk so that they always agree. */
export function unpinnedKind(fact: ImageFact, settings: Settings): Unpinned | null {
  const reference = judgedReference(fact);
  if (fact.templated || !reference?.valid) return null;
  const { tag, digest } = reference.ref;
  if (digest !== null) return null;
  if (tag === null) return 'untagged';
  if (tag === 'latest') return 'latest';
  const lower = tag.toLowerCase();
  return settings.mutableTags.some((t) => t.toLowerCase() === lower) ? 'mutable' : null;
}

/** ` (kustomization.yaml makes it "x:latest")` when the file's kustomization rewrites the image, else ''. */
export function kustomizedNote(fact: ImageFact): string {
  const k = fact.kustomized;
  return k ? ` (${baseName(k.by)} makes it ${JSON.stringify(k.image)})` : '';
}

/**
 * "Set imagePullPolicy: Always explicitly", offered only when no policy is stated: with a moving tag, an
 * explicit `Always` keeps every node on the current image and survives later tag edits (the default would be
 * frozen at creation). Not a fix-all fix: pinning a tag or digest is the better answer, and that is a choice.
 */
export function explicitAlwaysFixes(fact: ImageFact, lines: Lines): Fix[] {
  if (!hasNoPolicy(fact.site)) return [];
  const edit = setPolicyEdit(fact, 'Always', lines);
  return edit ? [{ title: `Set ${policyKey(fact.site)}: Always explicitly`, edits: [edit] }] : [];
}

/**
 * The tag as written inside the image scalar (`latest` of `"nginx:latest"`), for Report.focus; undefined when
 * the text does not hold it (a kustomization sets it) or it cannot be found.
 */
export function tagFocus(fact: ImageFact, text: string): OffsetRange | undefined {
  const ref = fact.reference;
  if (fact.kustomized || fact.image === null || !ref?.valid || ref.ref.tag === null) return undefined;
  const image = fact.image;
  const at = image.indexOf('@');
  const end = at >= 0 ? at : image.length;
  const tag = ref.ref.tag;
  if (image.slice(end - tag.length - 1, end) !== `:${tag}`) return undefined;
  return imagePartRange(fact, text, [end - tag.length, end]);
}

/**
 * Where `fact.image.slice(a, b)` is written in the document (for Report.focus), when the scalar's text holds the
 * image as written (no escapes in between); undefined otherwise.
 */
export function imagePartRange(fact: ImageFact, text: string, [a, b]: readonly [number, number]): OffsetRange | undefined {
  if (!fact.range || fact.image === null) return undefined;
  const open = text[fact.range.start];
  const content = fact.range.start + (open === '"' || open === "'" ? 1 : 0);
  return text.slice(content + a, content + b) === fact.image.slice(a, b) ? { start: content + a, end: content + b } : undefined;
}

/** The end of the image scalar's content (where a tag would go), for missing-tag's focus. */
export function endFocus(fact: ImageFact, text: string): OffsetRange | undefined {
  if (fact.kustomized || !fact.range || fact.image === null) return undefined;
  const close = text[fact.range.end - 1];
  const end = fact.range.end - (close === '"' || close === "'" ? 1 : 0);
  return end > fact.range.start ? { start: end - 1, end } : undefined;
}
