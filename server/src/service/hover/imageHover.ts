/**
 * The hover of an image value: the reference as Kubernetes parses it, the pull policy that applies and why,
 * and what the kubelet will do with it.
 */
import type { ImageFact } from '../facts';
import type { ImageReference } from '../image/reference';
import type { Settings } from '../settings';
import type { WorkspaceView } from '../workspace/view';
import { blocks, code } from './markdown';
import { pullChecklist } from './pullChecklist';
import type { RegistryClient } from '../registry/types';
import { kustomizeSection, pullSecretsSection } from './workspaceText';
import { explainPolicy, kubeletSummary, POLICY_EFFECT, policyKey, policySource, siteLabel } from './policyText';

/**
 * Markdown for the hover of `fact`'s image value (the caller checked that the value is a string). The workspace
 * view supplies the pull secrets in force and the kustomize overlays that rewrite the image.
 *
 * The first line is the answer (the effective pull policy, why, and what it does); then the overlays that
 * rebuild the image, the parts of the reference, what the kubelet does, and notes. The why of findings on the
 * image is added by the caller (`findingDetails`), once; nothing here repeats a diagnostic's message.
 */
export function imageHover(fact: ImageFact, view: WorkspaceView, settings: Settings, registryNote: string | null = null, registry?: RegistryClient, now: number = Date.now()): string {
  if (fact.templated) {
    return blocks([
      '**Templated:** rendered before Kubernetes sees it, so it is not judged here.',
      policySection(fact),
      pullSecretsSection(fact, view, settings),
    ]);
  }
  if (fact.placeholder !== null) {
    return blocks([
      `**Placeholder** ${code(fact.placeholder)}: replaced before a node pulls (by a build, a template or a webhook); not judged here.`,
      policySection(fact),
      pullSecretsSection(fact, view, settings),
    ]);
  }
  const reference = fact.reference;
  if (reference === null) return '';
  if (!reference.valid) return blocks(['**Invalid reference:** the kubelet cannot pull it, whatever the pull policy.', where(fact)]);
  const ref = reference.ref;
  const image = fact.image ?? '';
  return blocks([
    answerLine(fact),
    kustomizeSection(fact, view),
    // What is pulled, and whether it will be: one line, so the hover stays within VS Code's default height.
    [`${partsLine(ref)} — ${pullChecklist(fact, ref, view, settings, registry, now)}`, ...notes(image, ref)].join(' '),
    registryNote,
    kubeletLine(fact),
    pullSecretsSection(fact, view, settings),
  ]);
}

/** "**`Always`** (default: tag is `latest`) · pulls on every start". */
function answerLine(fact: ImageFact): string {
  const explained = explainPolicy(fact);
  if (explained.policy === null) return `**Pull policy:** ${explained.why}`;
  return `**${code(explained.policy)}** (${policySource(fact, explained)}) · ${POLICY_EFFECT[explained.policy]}`;
}

/** The policy when the answer is not the first line (templates, placeholders): only when it says something. */
function policySection(fact: ImageFact): string | null {
  const explained = explainPolicy(fact);
  if (explained.source === 'template') return fact.site.policyPair === undefined ? null : `**Pull policy:** ${explained.why}`;
  if (explained.policy === null) return `**Pull policy:** invalid ${code(policyKey(fact))}. ${explained.why}`;
  return `**Pull policy:** ${code(explained.policy)} (${policySource(fact, explained)}) · ${POLICY_EFFECT[explained.policy]}`;
}

/**
 * "**Pulls** `docker.io/library/nginx:1.27`" (the name as the runtime normalizes it; `(no tag, so latest)` when
 * untagged). The registry is the name's first part; the checklist follows on the same line.
 */
function partsLine(ref: ImageReference): string {
  const tag = ref.tag !== null ? '' : ref.digest === null ? ' (no tag, so `latest`)' : '';
  const full = ref.name + (ref.tag !== null ? `:${ref.tag}` : ref.digest === null ? ':latest' : '') + (ref.digest !== null ? `@${ref.digest}` : '');
  return `**Pulls** ${code(full)}${tag}`;
}

/** What the kubelet does with this policy, one sentence. */
function kubeletLine(fact: ImageFact): string | null {
  const explained = explainPolicy(fact);
  return explained.policy === null ? null : `**Kubelet:** ${kubeletSummary(explained.policy)}`;
}

/** For an image that cannot be judged: where it is. */
function where(fact: ImageFact): string {
  const label = siteLabel(fact);
  const object = fact.site.pod.object;
  const owner = object.name === null ? code(object.kind) : `${object.kind} ${code(object.name)}`;
  return `${label[0].toUpperCase()}${label.slice(1)} in ${owner}.`;
}

/** Notes on names that do not mean what they seem to. */
function notes(image: string, ref: ImageReference): string[] {
  const out: string[] = [];
  const trimmed = image.trim();
  const nameEnd = Math.min(...[trimmed.indexOf(':'), trimmed.indexOf('@'), trimmed.length].filter((i) => i >= 0));
  const firstName = trimmed.slice(0, nameEnd);
  // Without any "/", a host-looking name is still a Docker Hub repository (design doc §2: `test.com:5000`).
  if (!trimmed.includes('/') && (firstName.includes('.') || firstName === 'localhost')) {
    out.push(`**Note:** without a \`/\`, ${code(firstName)} is not a registry but a Docker Hub repository; to use a registry, write ${code(`${trimmed}/REPOSITORY`)}.`);
  }
  return out;
}
