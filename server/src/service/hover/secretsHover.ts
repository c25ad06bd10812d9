/** The hover of a pod spec's `imagePullSecrets` key and of its entries (design doc §3). */
import { isMap, isScalar, type YAMLSeq } from 'yaml';
import type { K8sObject } from '../parse/manifests';
import type { PodSpecSite } from '../parse/podSpecs';
import { stringAt } from '../parse/yamlNodes';
import { blocks, bullets, code } from './markdown';

/**
 * Markdown for `imagePullSecrets` of `pod`. `entry` is the hovered list item, or null for the key.
 * `list` is the key's value when it is a sequence.
 */
export function secretsHover(pod: PodSpecSite, list: YAMLSeq | null, entry: unknown | null, detail: string | null): string {
  const namespace = pod.object.namespace;
  const where = namespace !== null
    ? `the pod's namespace (${code(namespace)})`
    : 'the pod\'s namespace (`metadata.namespace` is not set here, so the one it is applied to)';
  return blocks([
    entry === null ? '### `imagePullSecrets`' : entryHeading(entry),
    detail,
    'Pod-level: these Secrets serve the pulls of every container, init container and image volume of the pod (there is no per-container `imagePullSecrets`).',
    bullets([
      `Each Secret is looked up in ${where}. A missing one is skipped with a warning event, not an error; the pull goes on with the others.`,
      'Usable types: `kubernetes.io/dockerconfigjson` with key `.dockerconfigjson` (JSON `{"auths": {…}}`) and `kubernetes.io/dockercfg` with key `.dockercfg`. An `Opaque` Secret with `username`/`password` is never used for pulls.',
      serviceAccountLine(pod, list),
    ]),
  ]);
}

/** The hover of a ServiceAccount's `imagePullSecrets` entry. */
export function accountSecretsHover(account: K8sObject, name: string, detail: string): string {
  const who = account.name !== null ? `ServiceAccount ${code(account.name)}` : 'this ServiceAccount';
  return blocks([
    `### Pull secret ${code(name)}`,
    detail,
    `Pods that run as ${who} and list no \`imagePullSecrets\` of their own get this name copied into their spec when they are created (the ServiceAccount admission plugin); pods that list any keep only their own.`,
  ]);
}

function entryHeading(entry: unknown): string {
  const name = isMap(entry) ? stringAt(entry, 'name') : undefined;
  if (name !== undefined) return `### Pull secret ${code(name)}`;
  // `- regcred` is the common slip; the API wants an object.
  const shown = isScalar(entry) && typeof entry.value === 'string' ? code(entry.value) : 'this entry';
  return `### Pull secret entry\n\n${shown} is not a valid entry: each one must be \`- name: <secret>\`.`;
}

function serviceAccountLine(pod: PodSpecSite, list: YAMLSeq | null): string {
  const account = stringAt(pod.podSpec, 'serviceAccountName') ?? stringAt(pod.podSpec, 'serviceAccount') ?? 'default';
  const count = list?.items.length ?? 0;
  const here = count > 0
    ? `this pod lists ${count}, so those of ServiceAccount ${code(account)} are not added.`
    : `this pod lists none, so those of ServiceAccount ${code(account)}, if any, are added when it is created.`;
  return `A ServiceAccount's \`imagePullSecrets\` are added to a pod only when the pod lists none: ${here}`;
}
