import type { Rule } from './rule';
import { explicitAlwaysFixes, kustomizedNote, tagFocus, unpinnedKind } from './unpinned';
import { latestKustomizeImage } from './kustomizeImages';

/** latest-tag: an explicit `:latest` (byte-exact, as Kubernetes compares it) without a digest. */
export const latestTag: Rule = {
  id: 'latest-tag',
  defaultSeverity: 'warning',
  description: 'The image uses the "latest" tag without a digest, so what runs depends on when each node pulled it.',
  checkImage(fact, ctx) {
    if (unpinnedKind(fact, ctx.settings) !== 'latest' || !fact.range) return [];
    return [{
      range: fact.range,
      message: `":latest" moves with every push; pin a version or a digest${kustomizedNote(fact)}`,
      detail: 'Nodes that pulled on different days run different images; a rollback cannot restore the old one.',
      focus: tagFocus(fact, ctx.file.text),
      fixes: explicitAlwaysFixes(fact, ctx.lines),
    }];
  },
  checkKustomizeImage: latestKustomizeImage,
};
