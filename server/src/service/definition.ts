/**
 * Go to definition: from an `imagePullSecrets` name (of a pod spec or a ServiceAccount) to the Secret's
 * `metadata.name` (or its kustomize `secretGenerator` entry), and from `serviceAccountName` to the
 * ServiceAccount. Definitions in the referrer's namespaces come first; when none is there, every definition
 * is offered (the namespace rule says why that is a problem).
 */
import { isMap, isScalar, type Node } from 'yaml';
import type { Analysis } from './analyze';
import { isTemplated } from './parse/manifests';
import { pairOf, rangeOf } from './parse/yamlNodes';
import type { OffsetRange } from './types';
import { objectNamespaces, podNamespaces, pullSecretRefs } from './workspace/pullSecrets';
import type { ResolvedSecret, ResolvedServiceAccount, SourceLocation } from './workspace/types';

export interface DefinitionResult {
  /** The name under the cursor. */
  origin: OffsetRange;
  targets: SourceLocation[];
}

/** Definitions of the name at `offset`, or null when there is no reference there. */
export function definition(analysis: Analysis, offset: number): DefinitionResult | null {
  const view = analysis.workspace;
  const within = (r: OffsetRange) => r.start <= offset && offset <= r.end;
  for (const pod of analysis.pods) {
    for (const ref of pullSecretRefs(pod.podSpec).refs) {
      const origin = rangeOf(ref.node);
      if (within(origin)) return { origin, targets: preferred(view.secrets(ref.name), podNamespaces(view, pod)) };
    }
    for (const key of ['serviceAccountName', 'serviceAccount']) {
      const v = pairOf(pod.podSpec, key)?.value;
      if (!isScalar(v) || typeof v.value !== 'string' || v.value === '' || isTemplated(v.value)) continue;
      const origin = rangeOf(v as Node);
      if (within(origin)) return { origin, targets: preferred(view.serviceAccounts(v.value), podNamespaces(view, pod)) };
    }
  }
  for (const object of analysis.file.objects) {
    if (object.kind !== 'ServiceAccount' || object.apiVersion !== 'v1') continue;
    for (const ref of pullSecretRefs(object.node).refs) {
      const origin = rangeOf(ref.node);
      if (within(origin) && isMap(ref.entry)) return { origin, targets: preferred(view.secrets(ref.name), objectNamespaces(view, object.namespace)) };
    }
  }
  return null;
}

function preferred(found: (ResolvedSecret | ResolvedServiceAccount)[], namespaces: string[] | null): SourceLocation[] {
  const here = namespaces === null ? found : found.filter((d) => d.namespaces.some((n) => namespaces.includes(n)));
  return (here.length > 0 ? here : found).map((d) => d.location);
}
