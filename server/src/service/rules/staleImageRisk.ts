import { isScalar } from 'yaml';
import type { Rule } from './rule';
import { policyKey, replaceScalarContent } from './scalarEdit';
import { kustomizedNote, unpinnedKind } from './unpinned';

const WHAT = { latest: '":latest"', untagged: 'untagged ":latest"', mutable: 'build of a moving tag' };

/**
 * stale-image-risk: an explicit IfNotPresent or Never with an image that is not pinned. Nodes keep whatever
 * they cached, so a new push never reaches nodes that already have the tag, and nodes drift apart.
 */
export const staleImageRisk: Rule = {
  id: 'stale-image-risk',
  defaultSeverity: 'warning',
  description: 'IfNotPresent or Never with a :latest, untagged or mutable image: nodes keep whatever they cached.',
  checkImage(fact, ctx) {
    const policy = fact.policyValue;
    if ((policy !== 'IfNotPresent' && policy !== 'Never') || !fact.policyRange) return [];
    const kind = unpinnedKind(fact, ctx.settings);
    if (!kind) return [];
    const key = policyKey(fact.site);
    const never = policy === 'Never'
      ? ' With Never, a node that does not have the image fails the pod with ErrImageNeverPull.'
      : '';
    const node = fact.site.policyPair?.value;
    const edit = isScalar(node) ? replaceScalarContent(ctx.file.text, node, 'Always') : null;
    return [{
      range: fact.policyRange,
      message: `${policy} keeps each node on the ${WHAT[kind]} it cached; set Always or pin the image${kustomizedNote(fact)}`,
      detail: `Each node keeps running whatever it cached, so new pushes never reach nodes that already have it, and nodes drift apart.${never}`,
      // Not fix-all: pinning the image is the other good answer, and that is the user's choice.
      fixes: edit ? [{ title: `Set ${key}: Always`, edits: [edit] }] : [],
    }];
  },
};
