import { registryGlobMatches } from './registryNotAllowed';
import type { Rule } from './rule';
import { endFocus } from './unpinned';

/**
 * missing-digest (off by default, for teams that require digests): an image without a digest, unless its
 * repository matches a `digestExemptions` glob. The pin itself is a registry action ("Pin to digest").
 */
export const missingDigest: Rule = {
  id: 'missing-digest',
  defaultSeverity: 'off',
  description: 'The image has no digest (for teams that require every image pinned; digestExemptions lists exceptions).',
  checkImage(fact, ctx) {
    if (fact.templated || !fact.range || !fact.reference?.valid || fact.reference.ref.digest !== null) return [];
    const { domain, path } = fact.reference.ref;
    if (ctx.settings.digestExemptions.some((g) => g.trim() !== '' && registryGlobMatches(g, domain, path))) return [];
    return [{
      range: fact.range,
      message: 'No digest: pin the image to one (required here)',
      detail: `Without \`@sha256:…\`, what runs is whatever the tag points to when each node pulls. Pin to the digest the tag names now, or add the repository to \`digestExemptions\` (${JSON.stringify(`${domain}/${path}`)}).`,
      focus: endFocus(fact, ctx.file.text),
    }];
  },
};
