import { isScalar } from 'yaml';
import { splitReference } from '../image/reference';
import { offered, platformText, podPlatforms, servedOf, several } from '../registry/platforms';
import { pulledManifest, taggedManifest } from '../registry/refs';
import type { Fix } from '../types';
import { replaceScalarContent } from './scalarEdit';
import type { Rule } from './rule';

/**
 * image-platform-mismatch (registry lookups): the image offers none of the platforms the pod may run on
 * (registry/platforms.ts), or it is pinned to one platform's image of a multi-platform tag while the pod may run
 * on several. Like image-not-found, it reads only what the registry client already knows.
 */
export const imagePlatformMismatch: Rule = {
  id: 'image-platform-mismatch',
  defaultSeverity: 'warning',
  crossDocument: true,
  usesRegistry: true,
  description: 'With registry lookups: the image offers none of the platforms the pod may run on, or a pinned digest names one platform\'s image while the pod may run on several.',
  checkImage(fact, ctx) {
    if (!ctx.registry || fact.templated || !fact.range || fact.image === null || !fact.reference?.valid) return [];
    const ref = fact.reference.ref;
    const described = ctx.registry.cachedDescription(pulledManifest(ref));
    if (!described?.ok) return [];
    const need = podPlatforms(fact.site.pod, ctx.settings);
    if (!need) return [];
    const has = offered(described.value);
    if (has.length === 0) return [];
    const wanted = need.platforms.map(platformText).join(', ');
    const served = servedOf(need, has);
    if (served.length === 0) {
      return [{
        range: fact.range,
        message: `No image for ${wanted} (${need.source}); it has ${has.map(platformText).join(', ')}`,
        detail: `The kubelet pulls the image for the node's platform: on these nodes the pull fails ("no matching manifest") or the container fails with "exec format error". Use an image built for ${wanted}, or run the pod where the image runs.`,
      }];
    }
    // One platform's image of a multi-platform tag, where the pod may land on another platform.
    if (described.value.multiArch || ref.digest === null || ref.tag === null || !several(need)) return [];
    const tag = ctx.registry.cachedDescription(taggedManifest(ref));
    if (!tag?.ok || !tag.value.multiArch || !tag.value.children.some((c) => c.digest === ref.digest)) return [];
    const fixes: Fix[] = [];
    const node = fact.site.imagePair?.value;
    const parts = splitReference(fact.image);
    if (isScalar(node) && parts.digest && !fact.kustomized) {
      const edit = replaceScalarContent(ctx.file.text, node, `${fact.image.slice(parts.name[0], parts.digest[0])}${tag.value.digest}`);
      if (edit) fixes.push({ title: `Pin the index of "${ref.tag}" (every platform)`, edits: [edit], isPreferred: true });
    }
    return [{
      range: fact.range,
      message: `The digest is the ${has.map(platformText).join(', ')} image only; pin the index for ${wanted}`,
      detail: `"${ref.tag}" is a multi-platform index, and this digest is one of its images: a node of another platform pulls it and fails ("exec format error"). The index digest lets each node take its own.`,
      fixes,
    }];
  },
};
