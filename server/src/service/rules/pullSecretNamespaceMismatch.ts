import { relativeTo } from '../workspace/uris';
import type { Report, Rule, RuleContext } from './rule';
import { accountReferences, namespaceList, objectLabel, podReferences, withVerdict, type JudgedReference } from './secretReferences';

/**
 * pull-secret-namespace-mismatch: the referenced Secret exists in the workspace, but only in namespaces the
 * referrer does not land in. Pull secrets are looked up in the pod's own namespace (namespaces come from
 * `metadata.namespace`, a kustomization's `namespace:`, else `default`).
 */
export const pullSecretNamespaceMismatch: Rule = {
  id: 'pull-secret-namespace-mismatch',
  defaultSeverity: 'error',
  crossDocument: true,
  description: 'The referenced Secret exists only in another namespace than the workload\'s; pull secrets are looked up in the pod\'s own namespace.',
  checkPodSpec(pod, ctx) {
    return podReferences(pod, ctx).filter(reported).map((r) => report(r, ctx));
  },
  checkObject(object, ctx) {
    return accountReferences(object, ctx).filter(reported).map((r) => report(r, ctx));
  },
};

const reported = withVerdict('wrong-namespace');

function report(r: JudgedReference & { verdict: Extract<JudgedReference['verdict'], { kind: 'wrong-namespace' }> }, ctx: RuleContext): Report {
  const defs = r.verdict.found;
  const theirs = [...new Set(defs.flatMap((s) => s.namespaces))];
  const files = [...new Set(defs.map((s) => (s.key === ctx.workspace.key ? 'this file' : relativeTo(ctx.workspace.key, s.key))))];
  const ours = r.namespaces ?? [];
  const implicit = r.object.namespace === null && ours.length === 1 && ours[0] === 'default'
    ? ' (it sets no metadata.namespace, so it goes to "default" or the namespace kubectl is given)'
    : '';
  const who = r.owner === 'pod' ? `${objectLabel(r.object)} is in ${namespaceList(ours)}${implicit}` : `ServiceAccount "${r.object.name ?? ''}" is in ${namespaceList(ours)}${implicit}`;
  return {
    range: r.range,
    message: `Secret "${r.name}" is only in ${namespaceList(theirs)}; create it in ${namespaceList(ours)} too`,
    detail: `It is defined in ${files.join(', ')}, but ${who}. The kubelet looks pull secrets up in the pod's own namespace, so it will not find this one.`,
  };
}
