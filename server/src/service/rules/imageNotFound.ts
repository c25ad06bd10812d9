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
  usesRegistry: true,
  description: 'The registry says the image (its tag, digest or repository) does not exist.',
  checkImage(fact, ctx) {
    if (ctx.settings.registry.lookups !== 'auto' || !ctx.registry) return [];
    if (fact.templated || !fact.range || !fact.reference?.valid) return [];
    const known = ctx.registry.cachedDigest(pulledManifest(fact.reference.ref));
    if (!known || known.ok) return [];
    if (known.error.kind !== 'not-found' && known.error.kind !== 'not-found-or-unauthorized') return [];
    return [{
      range: fact.range,
      message: missing(known.error.kind, known.error.message),
      detail: `${known.error.message} The kubelet would fail with ErrImagePull.`,
    }];
  },
};

/** What the registry lacks, short: the tag, the digest or the whole repository (the detail has its words). */
function missing(kind: string, message: string): string {
  if (kind !== 'not-found') return 'No such image that your credentials may pull; pulls fail with ErrImagePull';
  const lacks = /has no (tag|digest) (\S+)\.$/.exec(message);
  if (lacks?.[1] === 'tag') return `The registry has no tag ${JSON.stringify(lacks[2])}; pulls fail with ErrImagePull`;
  if (lacks?.[1] === 'digest') return 'The registry has no such digest; pulls fail with ErrImagePull';
  return 'The repository does not exist in the registry; pulls fail with ErrImagePull';
}
