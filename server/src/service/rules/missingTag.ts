import type { Rule } from './rule';
import { explicitAlwaysFixes, kustomizedNote, unpinnedKind } from './unpinned';
import { judgedImage } from '../facts';

/** missing-tag: neither tag nor digest; Kubernetes pulls `:latest`. */
export const missingTag: Rule = {
  id: 'missing-tag',
  defaultSeverity: 'warning',
  description: 'The image has neither a tag nor a digest, so Kubernetes pulls ":latest".',
  checkImage(fact, ctx) {
    if (unpinnedKind(fact, ctx.settings) !== 'untagged' || !fact.range) return [];
    return [{
      range: fact.range,
      message: `Image "${fact.image}"${kustomizedNote(fact)} has no tag or digest, so Kubernetes pulls "${judgedImage(fact)}:latest" — whatever that is on the day a node pulls it. Pin a version tag or a digest.`,
      fixes: explicitAlwaysFixes(fact, ctx.lines),
    }];
  },
};
