import type { Rule } from './rule';
import { hasNoPolicy } from './scalarEdit';

/** tag-and-digest: `name:tag@digest`. Legal, but the tag is decoration, except for the policy default. */
export const tagAndDigest: Rule = {
  id: 'tag-and-digest',
  defaultSeverity: 'hint',
  description: 'The image has both a tag and a digest: the runtime pulls by digest and ignores the tag.',
  checkImage(fact) {
    if (fact.templated || !fact.range || !fact.reference?.valid) return [];
    const { tag, digest } = fact.reference.ref;
    if (tag === null || digest === null) return [];
    // Defaulting looks only at the tag, so ":latest@sha256:…" still gets Always (a registry round-trip on
    // every container start, and a failed start when the registry is down).
    const latest = tag === 'latest' && hasNoPolicy(fact.site)
      ? ' Because the tag is "latest", the default imagePullPolicy is still Always even though the digest pins the image.'
      : '';
    return [{
      range: fact.range,
      message: `The digest decides what is pulled; tag "${tag}" is ignored`,
      detail: `The runtime pulls by digest and ignores the tag, so make sure the tag still names that digest.${latest}`,
    }];
  },
};
