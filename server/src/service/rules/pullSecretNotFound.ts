import { createSecretFix, secretServerFor } from './pullSecretFixes';
import type { Report, Rule, RuleContext } from './rule';
import { accountReferences, podReferences, withVerdict, type JudgedReference } from './secretReferences';

/**
 * pull-secret-not-found: an `imagePullSecrets` name (of a pod spec or a ServiceAccount) that no Secret in the
 * workspace has, in any namespace. Only with a whole workspace: analysing a lone file proves no absence. A hint,
 * since Secrets are often created outside the repository (`kubectl create secret`, sealed or external secrets).
 */
export const pullSecretNotFound: Rule = {
  id: 'pull-secret-not-found',
  defaultSeverity: 'hint',
  crossDocument: true,
  description: 'An `imagePullSecrets` entry names a Secret that is defined nowhere in the workspace.',
  checkPodSpec(pod, ctx) {
    const refs = podReferences(pod, ctx).filter(reported);
    // Looked up only when there is something to report: it scans the file's images.
    if (refs.length === 0) return [];
    const server = secretServerFor(pod, ctx);
    return refs.map((r) => report(r, ctx, server));
  },
  checkObject(object, ctx) {
    return accountReferences(object, ctx).filter(reported).map((r) => report(r, ctx, 'REGISTRY'));
  },
};

const reported = withVerdict('not-found');

function report(r: JudgedReference, ctx: RuleContext, server: string): Report {
  const who = r.owner === 'pod'
    ? 'The kubelet skips a missing pull secret (with a warning event) and pulls without its credentials'
    : 'Pods of this ServiceAccount get the name copied into their imagePullSecrets, and the kubelet skips it (with a warning event) when it does not exist';
  return {
    range: r.range,
    message: `No Secret "${r.name}" in this workspace; fine if it is created another way`,
    detail: `${who}. Created another way (kubectl create secret, a sealed or external secret), it is fine.`,
    fixes: [createSecretFix(ctx.lines, r.name, r.object.namespace, server)],
  };
}
