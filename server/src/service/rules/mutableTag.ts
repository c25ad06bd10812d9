import type { Rule } from './rule';
import { explicitAlwaysFixes, kustomizedNote, tagFocus, unpinnedKind } from './unpinned';
import { judgedPolicy, judgedReference } from '../facts';

/** mutable-tag: a tag from the `mutableTags` setting (stable, nightly, main, …) without a digest. */
export const mutableTag: Rule = {
  id: 'mutable-tag',
  defaultSeverity: 'info',
  description: 'The image uses a tag that is routinely moved (see mutableTags) without a digest.',
  checkImage(fact, ctx) {
    const reference = judgedReference(fact);
    if (unpinnedKind(fact, ctx.settings) !== 'mutable' || !fact.range || !reference?.valid) return [];
    const tag = reference.ref.tag;
    const policy = judgedPolicy(fact);
    const effect = policy.effective === 'Always'
      ? 'Every container start pulls whatever it points at then, so pods started at different times run different builds.'
      : `With ${policy.source === 'default' ? 'the default ' : ''}${policy.effective}, each node keeps the build it pulled first, so nodes drift apart.`;
    return [{
      range: fact.range,
      message: `Tag "${tag}" moves to new builds (mutableTags); pin a version or a digest${kustomizedNote(fact)}`,
      detail: effect,
      focus: tagFocus(fact, ctx.file.text),
      fixes: explicitAlwaysFixes(fact, ctx.lines),
    }];
  },
};
