import { appliedPullSecrets, matchingSecrets } from '../workspace/pullSecrets';
import { addPullSecretFixes, createSecretFix, dockerServerFor, PLACEHOLDER_SECRET } from './pullSecretFixes';
import { hasNodeCredentials, isPublicRegistry } from './publicRegistries';
import type { Rule } from './rule';

/**
 * private-image-without-pull-secret: an image from a registry outside `publicRegistries` and `nodeCredentials`, and no pull secrets
 * in force: the pod lists none, and its ServiceAccount lists none either (when the account is in the
 * workspace; an account that is not is taken to have none, and the message says so).
 */
export const privateImageWithoutPullSecret: Rule = {
  id: 'private-image-without-pull-secret',
  defaultSeverity: 'info',
  crossDocument: true,
  description: 'An image from a registry outside `publicRegistries`, with no `imagePullSecrets` on the pod or on its ServiceAccount.',
  checkImage(fact, ctx) {
    const ref = fact.reference;
    if (fact.templated || !fact.range || !ref?.valid || !fact.site.pod.secretsKnown) return [];
    // Public, or served to the nodes by their own credential provider (nodeCredentials).
    if (isPublicRegistry(ctx.settings, ref.ref.domain, ref.ref.path) || hasNodeCredentials(ctx.settings, ref.ref.domain, ref.ref.path)) return [];
    const applied = appliedPullSecrets(ctx.workspace, fact.site.pod);
    if (applied.source !== 'none') return [];
    const account = applied.account;
    const accountText = account.name === null
      ? 'its ServiceAccount is a template'
      : account.definitions.length > 0
        ? `nor does ServiceAccount "${account.name}"`
        : `ServiceAccount "${account.name}" is not in ${ctx.workspace.complete ? 'the workspace' : 'this file'}, so none are assumed from it`;
    const pod = fact.site.pod;
    const matching = matchingSecrets(ctx.workspace, fact).map((s) => s.name);
    const fixes = matching.length > 0
      ? addPullSecretFixes(ctx.lines, pod, matching, false)
      : [
        ...addPullSecretFixes(ctx.lines, pod, [PLACEHOLDER_SECRET], true),
        createSecretFix(ctx.lines, PLACEHOLDER_SECRET, pod.object.namespace, dockerServerFor(fact)),
      ];
    return [{
      range: fact.range,
      message: `No imagePullSecrets for "${ref.ref.domain}"; add one, or list it in publicRegistries`,
      detail: `The pod lists no imagePullSecrets (${accountText}). If the registry needs credentials, pulls fail with `
        + 'ErrImagePull unless the nodes have their own (a kubelet credential provider).',
      structural: true,
      fixes,
    }];
  },
};
