/**
 * The hover of an image value: the reference as Kubernetes parses it, the pull policy that applies and why,
 * and what the kubelet will do with it.
 */
import type { ImageFact } from '../facts';
import type { ImageReference } from '../image/reference';
import type { Settings } from '../settings';
import type { WorkspaceView } from '../workspace/view';
import { blocks, bullets, code } from './markdown';
import { kustomizeSection, pullSecretsSection } from './workspaceText';
import { DEFAULTED_ONCE, explainPolicy, kubeletBehaviour, policyKey, siteLabel } from './policyText';

/**
 * Markdown for the hover of `fact`'s image value (the caller checked that the value is a string). The workspace
 * view supplies the pull secrets in force and the kustomize overlays that rewrite the image.
 */
export function imageHover(fact: ImageFact, view: WorkspaceView, settings: Settings, registryNote: string | null = null): string {
  const image = fact.image ?? '';
  const heading = `### ${code(image)}`;
  const where = whereLine(fact);
  if (fact.templated) {
    return blocks([
      heading, where,
      'This value is a template (`{{ … }}`): it is rendered before Kubernetes sees it, so the reference and its default pull policy can\'t be judged here.',
      policySection(fact, false),
      pullSecretsSection(fact, view, settings),
    ]);
  }
  if (fact.placeholder !== null) {
    return blocks([
      heading, where,
      `${code(fact.placeholder)} is a placeholder: a build tool, a templating step or an admission webhook replaces it before a node pulls anything, so the reference and its default pull policy can't be judged here.`,
      policySection(fact, false),
      pullSecretsSection(fact, view, settings),
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
    registryNote,
    policySection(fact, true),
    ...notes(image, ref),
    pullSecretsSection(fact, view, settings),
    kustomizeSection(fact, view),
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
