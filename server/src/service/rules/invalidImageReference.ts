import { isMap, isScalar, isSeq } from 'yaml';
import type { ImageFact } from '../facts';
import { suggestReferenceFix } from '../image/reference';
import type { Fix } from '../types';
import type { Report, Rule, RuleContext } from './rule';
import { replaceScalarContent } from './scalarEdit';
import { invalidKustomizeImage } from './kustomizeImages';

/**
 * invalid-image-reference: the image does not parse the way the kubelet parses it (the pod would fail with
 * InvalidImageName), or it is not a string at all (kubectl cannot even decode the object). Empty images are
 * missing-image's; templated ones are never judged.
 */
export const invalidImageReference: Rule = {
  id: 'invalid-image-reference',
  defaultSeverity: 'error',
  description: 'The image reference does not parse as Kubernetes parses it; the kubelet reports InvalidImageName.',
  checkImage(fact, ctx) {
    if (fact.templated || !fact.range) return [];
    if (fact.image === null) return notAString(fact);
    if (fact.image === '' || fact.reference?.valid !== false) return [];
    const { error, hint } = fact.reference;
    // The kubelet prints `couldn't parse image name "X": invalid reference format: <why>`; keep only the why.
    const why = error.replace(/^invalid reference format: /, '') + (hint ? ` (${hint})` : '');
    const fixed = suggestReferenceFix(fact.image);
    const next = fixed !== null ? `Change it to "${fixed}".`
      : 'Write it as [registry[:port]/]repository[:tag][@digest], with a lowercase repository.';
    return [{
      range: fact.range,
      message: `Invalid image name ${JSON.stringify(fact.image)}: ${why}. The kubelet cannot pull it and the container fails with InvalidImageName. ${next}`,
      fixes: fixed !== null ? fixTo(fact, fixed, ctx) : [],
    }];
  },
  checkKustomizeImage: invalidKustomizeImage,
};

function notAString(fact: ImageFact): Report[] {
  const v = fact.site.imagePair?.value;
  let what: string;
  if (isScalar(v) && v.value !== null) what = `the ${typeof v.value} ${String(v.value)}`;
  else if (isMap(v)) what = 'a map';
  else if (isSeq(v)) what = 'a list';
  else return []; // absent or null: missing-image
  return [{
    range: fact.range!,
    message: `The image must be a string, but here it is ${what}, so kubectl cannot decode the object. Quote it if it is meant as an image name, or write the image reference as a string.`,
  }];
}

/** Replaces only the scalar's content, so quotes and trailing comments stay as written. */
function fixTo(fact: ImageFact, fixed: string, ctx: RuleContext): Fix[] {
  const node = fact.site.imagePair?.value;
  const edit = isScalar(node) ? replaceScalarContent(ctx.file.text, node, fixed) : null;
  return edit ? [{ title: `Change to '${fixed}'`, edits: [edit], isPreferred: true, fixAll: true }] : [];
}
