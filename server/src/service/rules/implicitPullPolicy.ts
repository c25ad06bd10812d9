import { judgedPolicy, judgedReference, type ImageFact } from '../facts';
import { baseName } from '../workspace/uris';
import type { Rule } from './rule';
import { hasNoPolicy, policyKey, setPolicyEdit } from './scalarEdit';

/**
 * implicit-pull-policy: no policy is written, so Kubernetes computes one from the tag, once, at creation.
 * Invalid images are skipped: their IfNotPresent default is an accident of the parse failure, and writing it
 * down would freeze it after the reference is fixed.
 */
export const implicitPullPolicy: Rule = {
  id: 'implicit-pull-policy',
  defaultSeverity: 'hint',
  description: 'No imagePullPolicy: the default is computed once at creation and kept when the tag later changes.',
  checkImage(fact, ctx) {
    // A patch's container keeps the policy of the container it patches.
    if (fact.templated || !fact.range || !fact.reference?.valid || !hasNoPolicy(fact.site) || fact.site.pod.partial) return [];
    const key = policyKey(fact.site);
    const effective = String(judgedPolicy(fact).effective);
    const edit = setPolicyEdit(fact, effective, ctx.lines);
    const decided = fact.site.defaultPolicy;
    if (decided) {
      return [{
        range: fact.range,
        message: `${decided.by} sets ${key}: ${effective} here; write it explicitly`,
        detail: `Without ${key}, ${decided.by} sets ${effective} whatever the tag.`,
        structural: true,
      fixes: edit ? [{ title: `Add ${key}: ${effective}`, edits: [edit] }] : [],
      }];
    }
    return [{
      range: fact.range,
      message: `Kubernetes sets ${key}: ${effective} (${because(fact)}); write it explicitly`,
      detail: 'Defaulted once, at creation; kept when the tag changes (kubernetes/kubernetes#98108).',
      structural: true,
      fixes: edit ? [{ title: `Add ${key}: ${effective}`, edits: [edit] }] : [],
    }];
  },
};

function because(fact: ImageFact): string {
  const reference = judgedReference(fact);
  if (!reference?.valid) return 'the image does not parse';
  const { tag, digest } = reference.ref;
  // The image the kustomization makes shows its tag, which is the reason.
  if (fact.kustomized) return `${baseName(fact.kustomized.by)} makes it ${JSON.stringify(fact.kustomized.image)}`;
  return reasonOf(tag, digest);
}

function reasonOf(tag: string | null, digest: string | null): string {
  if (tag === null && digest === null) return 'no tag, so latest';
  if (tag === 'latest') return digest === null ? 'tag is latest' : 'latest tag, even with digest';
  if (tag === null) return 'pinned by digest';
  return 'tag is not latest';
}
