/**
 * The words the editor features use to explain pull policies: what each value makes the kubelet do, and which
 * defaulting rule produced an implicit one. Shared by hovers, inlay-hint tooltips and completion items so the
 * three never disagree. Every sentence here follows design/kubernetes-semantics.md §1.
 */
import { isScalar } from 'yaml';
import { baseName } from '../workspace/uris';
import type { ImageFact } from '../facts';
import type { ReferenceResult } from '../image/reference';
import { defaultPullPolicy } from '../image/pullPolicy';
import type { PullPolicy } from '../types';
import { code } from './markdown';

export const PULL_POLICIES: readonly PullPolicy[] = ['Always', 'IfNotPresent', 'Never'];

export function isPullPolicy(value: unknown): value is PullPolicy {
  return typeof value === 'string' && (PULL_POLICIES as readonly string[]).includes(value);
}

/** One line per value, for lists and completion details. */
export const POLICY_SUMMARY: Record<PullPolicy, string> = {
  Always: 'contact the registry on every container start; download only what the node lacks',
  IfNotPresent: 'use the copy on the node; pull only when the node lacks the image',
  Never: 'never pull; the image must already be on the node',
};

/** What the kubelet does for a policy on a node that has the image and on one that lacks it, plus a KEP-2535 note. */
export function kubeletBehaviour(policy: PullPolicy): { has: string; lacks: string; note: string | null } {
  switch (policy) {
    case 'Always':
      return {
        has: 'the registry is still contacted on every container start; if the digest it resolves is the one on the node, the cached layers are used and nothing is downloaded. If the registry cannot be reached, the start fails with `ErrImagePull`.',
        lacks: 'pulls it.',
        note: null,
      };
    case 'IfNotPresent':
      return {
        has: 'uses the cached image without contacting the registry, so a tag moved since then is not picked up on this node.',
        lacks: 'pulls it.',
        note: 'KEP-2535 (`KubeletEnsureSecretPulledImages`, on by default in 1.35): an image first pulled with other credentials is re-verified against the registry.',
      };
    case 'Never':
      return {
        has: 'uses the cached image.',
        lacks: 'does not pull; the start fails with `ErrImageNeverPull`.',
        note: 'KEP-2535 (`KubeletEnsureSecretPulledImages`, on by default in 1.35): if the cached image was first pulled with other credentials, the pod fails.',
      };
  }
}

/** What each value does, as the end of a hover's first line. */
export const POLICY_EFFECT: Record<PullPolicy, string> = {
  Always: 'pulls on every start',
  IfNotPresent: 'pulls only where the node lacks it',
  Never: 'never pulls',
};

/** What the kubelet does with a policy, one sentence for the image hover (the policy hover has the long form). */
export function kubeletSummary(policy: PullPolicy): string {
  switch (policy) {
    case 'Always':
      return 'asks the registry at every start, downloads only new layers; registry down: `ErrImagePull`.';
    case 'IfNotPresent':
      return 'uses the node\'s copy without asking the registry (a moved tag is not picked up); pulls where it is missing.';
    case 'Never':
      return 'uses the node\'s copy; on a node without it, the start fails (`ErrImageNeverPull`).';
  }
}

/** Where the policy comes from, in a few words: "set here", "default: tag is `latest`", "default of Crossplane's CRD". */
export function policySource(fact: ImageFact, explained: PolicyExplanation): string {
  if (explained.source === 'explicit') return 'set here';
  if (explained.source !== 'default') return explained.source;
  const decided = fact.site.defaultPolicy;
  if (decided) return `default of ${decided.by}`;
  const reference = fact.kustomized?.reference ?? fact.reference;
  const reason = reference?.valid ? shortReason(reference.ref.tag, reference.ref.digest) : 'invalid image';
  return fact.kustomized ? `default: ${reason}, as ${code(baseName(fact.kustomized.by))} builds it` : `default: ${reason}`;
}

function shortReason(tag: string | null, digest: string | null): string {
  if (tag === null) return digest === null ? 'no tag, so `latest`' : 'digest, no tag';
  if (tag === 'latest') return digest === null ? 'tag is `latest`' : 'tag is `latest`, even with a digest';
  return tag.toLowerCase() === 'latest' ? `${code(tag)} is not \`latest\` (case-sensitive)` : 'tag is not `latest`';
}

/** Defaulting is a one-time write, which is why an implicit policy can surprise later (kubernetes/kubernetes#98108). */
export const DEFAULTED_ONCE =
  'Defaulting happens once, when the object is created: later edits of the image do not re-default it (a Deployment created with `:latest` keeps `Always` after the tag is pinned). Set the policy explicitly to make it visible.';

/**
 * Why Kubernetes defaults this reference to its policy, as a sentence, e.g. for `nginx`:
 * "no tag and no digest, so Kubernetes assumes `:latest`, which defaults to `Always`."
 */
export function defaultReason(reference: ReferenceResult): string {
  if (!reference.valid) {
    return 'Kubernetes cannot parse the image, and an unparsable image defaults to `IfNotPresent`.';
  }
  const { tag, digest } = reference.ref;
  if (tag === null && digest === null) return 'no tag and no digest, so Kubernetes assumes `:latest`, which defaults to `Always`.';
  if (tag === 'latest') {
    return digest === null
      ? 'the tag is `latest`, which defaults to `Always`.'
      : 'the tag is `latest`, which defaults to `Always` even with a digest (the runtime then pulls by the digest and ignores the tag).';
  }
  if (tag === null) return 'a digest and no tag defaults to `IfNotPresent` (`:latest` is assumed only when there is neither).';
  if (tag.toLowerCase() === 'latest') {
    return `the tag ${code(tag)} is not \`latest\`: the comparison is case-sensitive, so it defaults to \`IfNotPresent\`.`;
  }
  return `the tag ${code(tag)} is not \`latest\`, so it defaults to \`IfNotPresent\`.`;
}

/** The key that holds the policy at this site: `pullPolicy` in image volumes, `imagePullPolicy` elsewhere. */
export function policyKey(fact: ImageFact): string {
  return fact.site.policyKey;
}

/** "container `web`", "init container `migrate`", "image volume `models`". */
export function siteLabel(fact: ImageFact): string {
  const noun = {
    containers: 'container',
    initContainers: 'init container',
    ephemeralContainers: 'ephemeral container',
    volumes: 'image volume',
  }[fact.site.field];
  return fact.site.name === null ? `this ${noun}` : `${noun} ${code(fact.site.name)}`;
}

/** The policy that applies to an image site and a sentence saying why. `policy` is null when none can be named. */
export interface PolicyExplanation {
  policy: PullPolicy | null;
  /** explicit: written and valid; default: computed by Kubernetes; invalid: rejected by the API; template: unknown. */
  source: 'explicit' | 'default' | 'invalid' | 'template';
  why: string;
}

/**
 * Which policy applies to an image site and why: a valid written value as is; absent, null or "" defaulted from
 * the image; anything else is rejected by the API server; templates are not judged.
 */
export function explainPolicy(fact: ImageFact): PolicyExplanation {
  const key = policyKey(fact);
  const node = fact.site.policyPair?.value;
  // Absent, null and "" all mean "not set": the API server defaults them alike.
  const written = node !== undefined && node !== null && !(isScalar(node) && (node.value === null || node.value === ''));
  if (written) {
    const value = fact.policyValue;
    if (fact.policyTemplated) {
      return { policy: null, source: 'template', why: `The ${code(key)} value is a template; it can't be judged here.` };
    }
    if (isPullPolicy(value)) {
      return { policy: value, source: 'explicit', why: `set explicitly on ${siteLabel(fact)}; Kubernetes never changes an explicit value.` };
    }
    const shown = value === null ? 'this value' : code(value);
    const api = value === null ? '' : ` (\`Unsupported value: ${JSON.stringify(value)}: supported values: "Always", "IfNotPresent", "Never"\`)`;
    return {
      policy: null, source: 'invalid',
      why: `${shown} is not a pull policy: the API server rejects the object${api}. The values are exact and case-sensitive.`,
    };
  }
  if (fact.templated || fact.reference === null) {
    return { policy: null, source: 'template', why: 'The default depends on the rendered image, so it can\'t be judged here.' };
  }
  const decided = fact.site.defaultPolicy;
  if (decided) return { policy: decided.policy, source: 'default', why: `defaulted by ${decided.by}, whatever the tag.` };
  // The policy comes from pullPolicy.ts (the one port of the defaulting code); only the wording is ours.
  if (fact.kustomized) {
    const { image, reference, by } = fact.kustomized;
    return { policy: defaultPullPolicy(image).policy, source: 'default', why: `${defaultReason(reference)} (${code(baseName(by))} makes the image ${code(image)})` };
  }
  return { policy: defaultPullPolicy(fact.image).policy, source: 'default', why: defaultReason(fact.reference) };
}
