/**
 * The hover of an image value: the reference as Kubernetes parses it, the pull policy that applies and why,
 * and what the kubelet will do with it.
 */
import { isMap } from 'yaml';
import type { ImageFact } from '../facts';
import type { ImageReference } from '../image/reference';
import { seqAt, stringAt } from '../parse/yamlNodes';
import { blocks, bullets, code } from './markdown';
import { DEFAULTED_ONCE, explainPolicy, kubeletBehaviour, policyKey, siteLabel } from './policyText';

/** Markdown for the hover of `fact`'s image value (the caller checked that the value is a string). */
export function imageHover(fact: ImageFact): string {
  const image = fact.image ?? '';
  const heading = `### ${code(image)}`;
  const where = whereLine(fact);
  if (fact.templated) {
    return blocks([
      heading, where,
      'This value is a template (`{{ … }}`): it is rendered before Kubernetes sees it, so the reference and its default pull policy can\'t be judged here.',
      policySection(fact, false),
      secretsLine(fact),
    ]);
  }
  const reference = fact.reference;
  if (reference === null) return blocks([heading, where]);
  if (!reference.valid) {
    const hint = reference.hint ? ` (${reference.hint})` : '';
    return blocks([
      heading, where,
      `**Invalid reference:** ${code(reference.error)}${hint}. The kubelet cannot parse it and fails with \`InvalidImageName\`, whatever the pull policy.`,
      policySection(fact, false),
    ]);
  }
  const ref = reference.ref;
  return blocks([
    heading, where,
    referenceList(ref),
    policySection(fact, true),
    ...notes(image, ref),
    secretsLine(fact),
  ]);
}

/** "Container `web` in Deployment `web`". */
function whereLine(fact: ImageFact): string {
  const label = siteLabel(fact);
  const object = fact.site.pod.object;
  const owner = object.name === null ? code(object.kind) : `${object.kind} ${code(object.name)}`;
  return `${label[0].toUpperCase()}${label.slice(1)} in ${owner}`;
}

function referenceList(ref: ImageReference): string {
  const tag = ref.tag !== null ? code(ref.tag) : ref.digest === null ? 'none (Kubernetes assumes `latest`)' : 'none';
  return bullets([
    `**Registry:** ${code(ref.domain || '(none)')}`,
    `**Repository:** ${code(ref.path)}`,
    `**Tag:** ${tag}`,
    `**Digest:** ${ref.digest !== null ? code(ref.digest) : 'none'}`,
    `**Normalized name:** ${code(ref.name)}`,
  ]);
}

/**
 * "**Pull policy: `Always`** (default): <why>", then what the kubelet does with it. `withBehaviour` is false when
 * the behaviour cannot matter (a template, or an image the kubelet cannot parse).
 */
function policySection(fact: ImageFact, withBehaviour: boolean): string | null {
  const explained = explainPolicy(fact);
  const key = policyKey(fact);
  if (explained.source === 'template') return fact.templated && fact.site.policyPair === undefined ? null : `**Pull policy:** ${explained.why}`;
  if (explained.policy === null) return `**Pull policy:** invalid ${code(key)}. ${explained.why}`;
  const head = `**Pull policy: \`${explained.policy}\`** (${explained.source}): ${explained.why}`;
  if (!withBehaviour) return head;
  const kubelet = kubeletBehaviour(explained.policy);
  return blocks([
    head,
    bullets([`Node has the image: ${kubelet.has}`, `Node lacks it: ${kubelet.lacks}`, kubelet.note]),
    explained.source === 'default' ? DEFAULTED_ONCE : null,
  ]);
}

/** Notes on names that do not mean what they seem to. */
function notes(image: string, ref: ImageReference): string[] {
  const out: string[] = [];
  const trimmed = image.trim();
  const nameEnd = Math.min(...[trimmed.indexOf(':'), trimmed.indexOf('@'), trimmed.length].filter((i) => i >= 0));
  const firstName = trimmed.slice(0, nameEnd);
  // Without any "/", a host-looking name is still a Docker Hub repository (design doc §2: `test.com:5000`).
  if (!trimmed.includes('/') && (firstName.includes('.') || firstName === 'localhost')) {
    const tag = ref.tag !== null ? ` with tag ${code(ref.tag)}` : '';
    out.push(`**Note:** there is no \`/\`, so ${code(firstName)} is not a registry here: this is the Docker Hub repository ${code(ref.path)}${tag}. To use a registry, put the repository after it: ${code(`${trimmed}/REPOSITORY`)}.`);
  }
  if (ref.domain === 'docker.io' && !/^(index\.)?docker\.io\//.test(trimmed)) {
    const full = ref.name + (ref.tag !== null ? `:${ref.tag}` : '') + (ref.digest !== null ? `@${ref.digest}` : '');
    out.push(`CRI-O may resolve this short name through the node's \`registries.conf\` instead of Docker Hub; ${code(full)} is unambiguous.`);
  }
  return out;
}

/** Which of the pod's pull secrets apply: its own list, else its ServiceAccount's. */
function secretsLine(fact: ImageFact): string {
  const podSpec = fact.site.pod.podSpec;
  const listed = seqAt(podSpec, 'imagePullSecrets');
  const names = (listed?.items ?? []).flatMap((item) => {
    const name = isMap(item) ? stringAt(item, 'name') : undefined;
    return name ? [code(name)] : [];
  });
  if (listed && listed.items.length > 0) {
    return names.length > 0
      ? `**Pull secrets:** ${names.join(', ')}, from the pod's \`imagePullSecrets\`.`
      : '**Pull secrets:** the pod\'s `imagePullSecrets` has no usable `name` entries.';
  }
  const account = stringAt(podSpec, 'serviceAccountName') ?? stringAt(podSpec, 'serviceAccount') ?? 'default';
  return `**Pull secrets:** none listed on the pod, so the \`imagePullSecrets\` of ServiceAccount ${code(account)}, if it has any, are used.`;
}
