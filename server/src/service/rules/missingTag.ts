import type { Rule } from './rule';
import { endFocus, explicitAlwaysFixes, kustomizedNote, unpinnedKind } from './unpinned';
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
      message: `No tag, so "${judgedImage(fact)}:latest" is pulled; pin a version or a digest${kustomizedNote(fact)}`,
      detail: 'With neither a tag nor a digest, Kubernetes assumes ":latest": whatever that is on the day a node pulls it.',
      focus: endFocus(fact, ctx.file.text),
      fixes: explicitAlwaysFixes(fact, ctx.lines),
    }];
  },
};
