import { pulledManifest } from '../registry/refs';
import type { Rule } from './rule';

/**
 * image-not-found: the registry says the image does not exist. Only with `registry.lookups: auto`; the rule
 * itself never waits for the network: it reads what the registry client already knows (the server checks
 * the file's images in the background and analyses again when answers arrive; the CLI's `--resolve` asks
 * first). Nothing is reported when the registry could not be asked or refused to say.
 */
export const imageNotFound: Rule = {
  id: 'image-not-found',
  defaultSeverity: 'warning',
  crossDocument: true,
  description: 'The registry says the image (its tag, digest or repository) does not exist.',
  checkImage(fact, ctx) {
    if (ctx.settings.registry.lookups !== 'auto' || !ctx.registry) return [];
    if (fact.templated || !fact.range || !fact.reference?.valid) return [];
    const known = ctx.registry.cachedDigest(pulledManifest(fact.reference.ref));
    if (!known || known.ok) return [];
    if (known.error.kind !== 'not-found' && known.error.kind !== 'not-found-or-unauthorized') return [];
    return [{
      range: fact.range,
      message: known.error.kind === 'not-found'
        ? 'The registry does not have this image; pulls fail with ErrImagePull'
        : 'The registry has no such image that these credentials may pull',
      detail: `${known.error.message} The kubelet would fail with ErrImagePull.`,
    }];
  },
};
