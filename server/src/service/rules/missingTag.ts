import type { Rule } from './rule';
import { explicitAlwaysFixes, unpinnedKind } from './unpinned';

/** missing-tag: neither tag nor digest; Kubernetes pulls `:latest`. */
export const missingTag: Rule = {
  id: 'missing-tag',
  defaultSeverity: 'warning',
  description: 'The image has neither a tag nor a digest, so Kubernetes pulls ":latest".',
  checkImage(fact, ctx) {
    if (unpinnedKind(fact, ctx.settings) !== 'untagged' || !fact.range) return [];
    return [{
      range: fact.range,
      message: `Image "${fact.image}" has no tag or digest, so Kubernetes pulls "${fact.image}:latest" — whatever that is on the day a node pulls it. Pin a version tag or a digest.`,
      fixes: explicitAlwaysFixes(fact, ctx.lines),
    }];
  },
};
