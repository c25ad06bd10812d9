import { registryVerdict } from '../workspace/pullSecrets';
import { isPublicRegistry } from './publicRegistries';
import type { Rule } from './rule';

/**
 * pull-secret-registry-mismatch: the pod's pull secrets in force (its own, else its ServiceAccount's) include
 * at least one usable Secret known in the workspace, and none of the known ones has an `auths` key that serves
 * the image under the kubelet's matching (keyring.go). Registries in `publicRegistries` need no credentials and
 * are not judged; a Secret whose payload cannot be read here (a generator file) might match, so it silences the
 * rule. Secrets that are missing, in another namespace or of the wrong type are left to their own rules.
 */
export const pullSecretRegistryMismatch: Rule = {
  id: 'pull-secret-registry-mismatch',
  defaultSeverity: 'warning',
  crossDocument: true,
  description: 'None of the pod\'s pull secrets known in the workspace has credentials that match the image\'s registry under the kubelet\'s matching rules.',
  checkImage(fact, ctx) {
    const ref = fact.reference;
    if (fact.templated || !fact.range || !ref?.valid || !fact.site.pod.secretsKnown || isPublicRegistry(ctx.settings, ref.ref.domain, ref.ref.path)) return [];
    const v = registryVerdict(ctx.workspace, fact);
    if (v.known.length === 0 || v.unreadable || !v.lookup || v.lookup.matches.length > 0) return [];
    const held = v.known.map((s) => `"${s.name}" (${s.payload.status === 'usable' && s.payload.registries.length > 0 ? s.payload.registries.join(', ') : 'no registries'})`);
    const from = v.applied.source === 'serviceAccount' ? ` of ServiceAccount "${v.applied.account.name}"` : '';
    return [{
      range: fact.range,
      message: `No pull secret${from} has credentials for "${ref.ref.domain}"; add an auths entry`,
      detail: `The pull secrets hold ${held.join('; ')}. The kubelet matches an auths key by host (same port; each label or its glob, such as *.example.com) and path prefix, `
        + `so this pull of ${ref.ref.name} goes without credentials and fails with ErrImagePull if the registry needs them.`,
    }];
  },
};
