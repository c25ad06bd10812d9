import { isAlias, isCollection, isNode, isScalar, type Scalar } from 'yaml';
import type { ImageSite } from './parse/podSpecs';
import { isTemplated } from './parse/manifests';
import { overlapsTemplate } from './parse/templates';
import { parseImageReference, type ReferenceResult } from './image/reference';
import { effectivePullPolicy, type EffectivePolicy } from './image/pullPolicy';
import { rangeOf } from './parse/yamlNodes';
import type { OffsetRange } from './types';

/** Everything the engine knows about one image site: the reference as Kubernetes parses it and the policy. */
export interface ImageFact {
  site: ImageSite;
  /** The image string as written (null when absent, null or not a string). */
  image: string | null;
  /** Range of the image value scalar, or of the `image` key when the value is missing; null when no key. */
  range: OffsetRange | null;
  /** True when the value holds a template action (`{{ … }}`): such values are never judged. */
  templated: boolean;
  /** The parse result; null when there is no image string or it is templated. */
  reference: ReferenceResult | null;
  /** The explicit policy as written when it is a string scalar, else null. */
  policyValue: string | null;
  policyRange: OffsetRange | null;
  /** True when the policy value holds a template action: it is whatever the chart renders. */
  policyTemplated: boolean;
  policy: EffectivePolicy;
}

/** Computes the facts of one image site. Pure; no rule logic. */
export function imageFact(site: ImageSite, templateRanges: readonly OffsetRange[] = []): ImageFact {
  const valueNode = site.imagePair?.value as Scalar | null | undefined;
  const image = site.image;
  const range = isNode(valueNode) && valueNode.range ? rangeOf(valueNode)
    : site.imagePair ? rangeOf(site.imagePair.key) : null;
  // Quoted actions stay in the string; an unquoted `{{ … }}` parses as a flow map, so also look at the source range.
  const templated = (image !== null && isTemplated(image)) || (isNode(valueNode) && range !== null && overlapsTemplate(range, templateRanges));
  const policyNode = site.policyPair?.value;
  // Any present, non-null value is explicit (Kubernetes never defaults it); a number or a map is reported as written.
  const policyValue = isScalar(policyNode)
    ? (policyNode.value === null ? null : String(policyNode.value))
    : isAlias(policyNode) ? `*${policyNode.source}`
    : isCollection(policyNode) ? JSON.stringify(policyNode.toJSON()) : null;
  const policyRange = isNode(policyNode) && policyNode.range ? rangeOf(policyNode)
    : site.policyPair ? rangeOf(site.policyPair.key) : null;
  const policyTemplated = (policyValue !== null && isTemplated(policyValue)) || (isNode(policyNode) && policyRange !== null && overlapsTemplate(policyRange, templateRanges));
  return {
    site, image, range, templated,
    reference: image === null || templated ? null : parseImageReference(image),
    policyValue, policyRange, policyTemplated,
    policy: effectivePullPolicy(templated ? null : image, policyTemplated ? null : policyValue),
  };
}

