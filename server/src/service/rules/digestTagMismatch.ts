import { isScalar } from 'yaml';
import { splitReference } from '../image/reference';
import { offered, platformText } from '../registry/platforms';
import { pulledManifest, shortDigest, taggedManifest } from '../registry/refs';
import type { Fix } from '../types';
import { replaceScalarContent } from './scalarEdit';
import type { Rule } from './rule';

/**
 * digest-tag-mismatch (registry lookups): in `name:tag@digest` the tag now resolves to another digest, and the
 * pinned one is not an image of the tag's index. The runtime pulls the digest: the tag misleads readers (and
 * tools that bump tags). Said only when the registry's answers are known; a child of the tag's index is fine.
 */
export const digestTagMismatch: Rule = {
  id: 'digest-tag-mismatch',
  defaultSeverity: 'warning',
  crossDocument: true,
  usesRegistry: true,
  description: 'With registry lookups: in name:tag@digest, the tag now names another image than the pinned digest.',
  checkImage(fact, ctx) {
    if (!ctx.registry || fact.templated || !fact.range || fact.image === null || !fact.reference?.valid) return [];
    const ref = fact.reference.ref;
    if (ref.tag === null || ref.digest === null) return [];
    const described = ctx.registry.cachedDescription(taggedManifest(ref));
    const resolved = described ?? ctx.registry.cachedDigest(taggedManifest(ref));
    if (!resolved?.ok || resolved.value.digest === ref.digest) return [];
    // An index whose images are not known: the pinned digest may be one of them.
    if (resolved.value.multiArch && (!described?.ok || described.value.children.some((c) => c.digest === ref.digest))) return [];
    const now = resolved.value.digest;
    const pinned = ctx.registry.cachedDescription(pulledManifest(ref));
    const change = pinned?.ok && described?.ok ? changeText(offered(pinned.value).map(platformText), offered(described.value).map(platformText)) : '';
    const fixes: Fix[] = [];
    const node = fact.site.imagePair?.value;
    const parts = splitReference(fact.image);
    if (isScalar(node) && parts.digest && !fact.kustomized) {
      const update = replaceScalarContent(ctx.file.text, node, `${fact.image.slice(parts.name[0], parts.digest[0])}${now}`);
      if (update) fixes.push({ title: `Update the digest to the tag's (${shortDigest(now)})`, edits: [update] });
      const drop = replaceScalarContent(ctx.file.text, node, `${fact.image.slice(parts.name[0], parts.name[1])}@${ref.digest}`);
      if (drop) fixes.push({ title: 'Drop the tag (keep what runs)', edits: [drop] });
    }
    return [{
      range: fact.range,
      message: `Tag "${ref.tag}" now names another image; the pinned digest is what runs`,
      detail: `The registry resolves "${ref.tag}" to \`${shortDigest(now)}\`, not to the pinned \`${shortDigest(ref.digest)}\` (nor is that one of its images)${change}. The runtime pulls the digest and ignores the tag, so the tag no longer says what runs.`,
      fixes,
    }];
  },
};

/** ": platforms added: linux/arm64" / "removed: …" / ": the same platforms, a new build". */
function changeText(before: string[], after: string[]): string {
  const added = after.filter((p) => !before.includes(p));
  const removed = before.filter((p) => !after.includes(p));
  if (added.length === 0 && removed.length === 0) return '; the same platforms: a new build';
  return `; ${[added.length ? `platforms added: ${added.join(', ')}` : '', removed.length ? `removed: ${removed.join(', ')}` : ''].filter(Boolean).join('; ')}`;
}
