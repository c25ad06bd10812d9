import { isAlias, isCollection, isNode, isScalar } from 'yaml';
import type { ImageSite } from './parse/podSpecs';
import { isTemplated } from './parse/manifests';
import { overlapsTemplate } from './parse/templates';
import { parseImageReference, type ReferenceResult } from './image/reference';
import { isSubstituted, placeholderOf } from './image/placeholder';
import { effectivePullPolicy, type EffectivePolicy } from './image/pullPolicy';
import { rangeOf } from './parse/yamlNodes';
import type { OffsetRange } from './types';

/** Everything the engine knows about one image site: the reference as Kubernetes parses it and the policy. */
export interface ImageFact {
  site: ImageSite;
  /** The image string as written (null when absent, null or not a string). */
  image: string | null;
  /** Range of the image value scalar, or of the `image` key when the value is missing; null when no key. */
  readonly range: OffsetRange | null;
  /** True when the value holds a template action (`{{ … }}`): such values are never judged. */
  templated: boolean;
  /**
   * The placeholder the value holds (`PROJECT_ID`, `${IMAGE}`, `ko://…`, Istio's `auto`): replaced before the image
   * reaches a node, so never judged as a reference. Null for anything else.
   */
  placeholder: string | null;
  /** The parse result; null when there is no image string, or it is templated or a placeholder. */
  reference: ReferenceResult | null;
  /**
   * The image as the kustomization listing this file builds it, when that kustomization's own `images:` entry
   * changes it (`controller` → `ghcr.io/acme/manager:v1.2`): kubectl applies the build, not the base. Set by
   * the analysis from the workspace, and kept with the document's cached facts while those entries are the same
   * (`analyze.ts`); null when no entry applies.
   */
  kustomized: KustomizedImage | null;
  /** The explicit policy as written when it is a string scalar, else null. */
  policyValue: string | null;
  readonly policyRange: OffsetRange | null;
  /** True when the policy value holds a template action: it is whatever the chart renders. */
  policyTemplated: boolean;
  policy: EffectivePolicy;
}

/** An image as its own kustomization builds it. */
export interface KustomizedImage {
  image: string;
  reference: ReferenceResult;
  /** The kustomization whose `images:` entry (or its components') made it, as a URI. */
  by: string;
}

/** The reference rules judge: the image as its kustomization builds it, else as written. */
export function judgedReference(fact: ImageFact): ReferenceResult | null {
  return fact.kustomized?.reference ?? fact.reference;
}

/** The image rules judge, as a string (see {@link judgedReference}). */
export function judgedImage(fact: ImageFact): string | null {
  return fact.kustomized?.image ?? fact.image;
}

/** The effective policy rules judge: defaulted from the image as its kustomization builds it, if it does. */
export function judgedPolicy(fact: ImageFact): EffectivePolicy {
  if (!fact.kustomized || fact.policy.source === 'explicit') return fact.policy;
  return effectivePullPolicy(fact.kustomized.image, null, fact.site.defaultPolicy);
}

/**
 * Computes the facts of one image site. Pure; no rule logic. The two ranges are read from the nodes on every
 * access, so a fact kept with its document (the incremental analysis) stays right when the document moves.
 */
export function imageFact(site: ImageSite, templateRanges: readonly OffsetRange[] = []): ImageFact {
  const valueNode = site.imagePair?.value;
  const image = site.image;
  const range = valueOrKeyRange(site.imagePair);
  // Quoted actions stay in the string; an unquoted `{{ … }}` parses as a flow map, so also look at the source range.
  const templated = (image !== null && isTemplated(image)) || (isNode(valueNode) && range !== null && overlapsTemplate(range, templateRanges));
  const placeholder = image !== null && !templated ? placeholderOf(image) : null;
  const unknown = templated || placeholder !== null;
  const policyNode = site.policyPair?.value;
  // Any present, non-null value is explicit (Kubernetes never defaults it); a number or a map is reported as written.
  const policyValue = isScalar(policyNode)
    ? (policyNode.value === null ? null : String(policyNode.value))
    : isAlias(policyNode) ? `*${policyNode.source}`
    : isCollection(policyNode) ? JSON.stringify(policyNode.toJSON()) : null;
  const policyRange = valueOrKeyRange(site.policyPair);
  // A substituted policy (`${PULL_POLICY:-Always}`) is whatever the build writes there, like a template's.
  const policyTemplated = (policyValue !== null && (isTemplated(policyValue) || isSubstituted(policyValue))) || (isNode(policyNode) && policyRange !== null && overlapsTemplate(policyRange, templateRanges));
  return {
    site, image, templated,
    get range() {
      return valueOrKeyRange(site.imagePair);
    },
    placeholder,
    kustomized: null,
    reference: image === null || unknown ? null : parseImageReference(image),
    policyValue,
    get policyRange() {
      return valueOrKeyRange(site.policyPair);
    },
    policyTemplated,
    policy: effectivePullPolicy(unknown ? null : image, policyTemplated ? null : policyValue, site.defaultPolicy),
  };
}

/** A pair's value range, or its key's when the value is missing; null when there is no pair. */
function valueOrKeyRange(pair: ImageSite['imagePair']): OffsetRange | null {
  const value = pair?.value;
  if (isNode(value) && value.range) return rangeOf(value);
  return pair ? rangeOf(pair.key) : null;
}
