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
    const fixed = suggestReferenceFix(fact.image);
    return [{
      range: fact.range,
      message: `Invalid image name: ${referenceProblem(error, hint)}${fixed !== null ? `; use "${fixed}"` : ''}`,
      detail: `The kubelet cannot parse it (couldn't parse image name: ${error}), and the container fails with InvalidImageName. `
        + 'An image is `[registry[:port]/]repository[:tag][@digest]`, with a lowercase repository.',
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
    message: `The image must be a string, not ${what}; quote it or write a reference`,
    detail: 'kubectl cannot decode an object whose image is not a string.',
  }];
}

/**
 * What is wrong, short: our hint when the Go text is only "invalid reference format", else the Go text without
 * the prefix and the parenthesised copy of the user's value (`repository name (Acme/x) must be lowercase`).
 */
export function referenceProblem(error: string, hint: string | undefined): string {
  return hint ?? error.replace(/^invalid reference format: /, '').replace(/ \([^)]*\)/, '');
}

/** Replaces only the scalar's content, so quotes and trailing comments stay as written. */
function fixTo(fact: ImageFact, fixed: string, ctx: RuleContext): Fix[] {
  const node = fact.site.imagePair?.value;
  const edit = isScalar(node) ? replaceScalarContent(ctx.file.text, node, fixed) : null;
  return edit ? [{ title: `Change to '${fixed}'`, edits: [edit], isPreferred: true, fixAll: true }] : [];
}
