/**
 * Tag completion after `image: name:` — the tags come from the registry, so this module only finds the place
 * (from the cursor's line: the text is mid-edit and often not valid YAML yet) and turns a tag list into
 * completion items; the server fetches the tags in between.
 */
import type { Analysis } from '../analyze';
import type { CompletionResult } from '../completion';
import { isTag, parseImageReference } from '../image/reference';
import { code } from '../hover/markdown';
import type { OffsetRange } from '../types';
import { compareTags, parseTag, pinCandidates } from './tagOrder';
import type { RepositoryRef } from './types';

export interface TagCompletionPlace {
  repository: RepositoryRef;
  /** The image name as typed, without the tag. */
  name: string;
  /** The tag typed so far (maybe ''). */
  typed: string;
  /** What a chosen tag replaces: the typed tag and the rest of its word after the cursor. */
  range: OffsetRange;
}

// `image:` (container) or `reference:` (image volume) key, optionally after `- ` or in a flow map, then the value so far.
const IMAGE_VALUE = /(?:^|[\s{,])(["']?)(?:image|reference)\1[ \t]*:[ \t]+(["']?)([^\s"'{}[\],#]*)$/;
const TAG_CHARS = /^[\w.-]*$/;

/**
 * The place when `offset` sits in the tag part of an image value inside a Kubernetes object's document
 * (`image: nginx:1.2|`, `image: "ghcr.io/a/b:|"`); else null.
 */
export function tagCompletionPlace(analysis: Analysis, offset: number): TagCompletionPlace | null {
  const inObject = analysis.file.objects.some((o) => o.doc.range[0] <= offset && offset <= o.doc.range[2]);
  if (!inObject) return null;
  const { lines } = analysis;
  const line = lines.lineOf(offset);
  const start = lines.start(line);
  const text = lines.lineText(line);
  const m = IMAGE_VALUE.exec(text.slice(0, offset - start));
  // Not in a comment (`# image: nginx:`).
  if (!m || /(^|\s)#/.test(text.slice(0, m.index + 1))) return null;
  const value = m[3];
  const colon = value.indexOf(':', value.lastIndexOf('/') + 1);
  if (colon <= 0 || value.includes('@')) return null;
  const name = value.slice(0, colon);
  const typed = value.slice(colon + 1);
  if (!TAG_CHARS.test(typed)) return null;
  // `localhost:` or `registry.example.com:` is a registry host whose port is being typed, though the grammar
  // would read a Docker Hub image with a tag.
  if (!name.includes('/') && (name === 'localhost' || name.includes('.'))) return null;
  const parsed = parseImageReference(name);
  if (!parsed.valid || parsed.ref.tag !== null) return null;
  let end = offset - start;
  while (end < text.length && /[\w.-]/.test(text[end])) end++;
  return { repository: { domain: parsed.ref.domain, path: parsed.ref.path }, name, typed, range: { start: offset - typed.length, end: start + end } };
}

/**
 * Completion items for `tags` at `place`: versioned tags newest first, then the others; the newest tag worth
 * pinning (same variant as what is typed) preselected.
 */
export function tagCompletionItems(place: TagCompletionPlace, all: readonly string[]): CompletionResult[] {
  // Only strings of the tag grammar are ever offered: a completion is inserted into the user's YAML verbatim.
  const tags = all.filter(isTag);
  const sorted = tags.map(parseTag).sort(compareTags).map((t) => t.tag);
  const best = pinCandidates(tags, place.typed === '' ? null : place.typed)[0] ?? pinCandidates(tags, null)[0];
  return sorted.map((tag) => {
    const item: CompletionResult = {
      label: tag,
      detail: `tag of ${place.name}`,
      documentation: `${code(`${place.name}:${tag}`)} — a tag listed by the registry now. Tags can move; pin a digest too for an image that never changes.`,
      range: place.range,
    };
    if (tag === best) item.preselect = true;
    return item;
  });
}
