/**
 * Checks of a kustomization's `images:` entries, used by invalid-image-reference and latest-tag. Kustomize
 * builds the new image as `newName` (or the old name) + `:newTag` + `@digest`, or + `:` old tag + `tagSuffix`
 * (api/filters/imagetag/updater.go)
 * without checking anything, so a bad value surfaces only as InvalidImageName on the node.
 *
 * Values that are plainly placeholders for a pipeline to substitute are not judged: `$VAR`, `${VAR}`, or a path
 * component in UPPER_SNAKE_CASE such as `CONTAINER_IMAGES_REGISTRY/app` (never a valid host or repository).
 */
import { parseImageReference, validateDigest } from '../image/reference';
import { placeholderOf } from '../image/placeholder';
import type { KustomizeImageField, KustomizeImageSite } from '../workspace/kustomize';
import type { Report } from './rule';
import { referenceProblem } from './invalidImageReference';

const TAG = /^[\w][\w.-]{0,127}$/;

const judged = (f: KustomizeImageField | null): f is KustomizeImageField => f !== null && !f.templated && placeholderOf(f.value) === null;

/** invalid-image-reference findings of one entry: a `newName` that is no repository name, a bad `newTag` or `digest`. */
export function invalidKustomizeImage(site: KustomizeImageSite): Report[] {
  const out: Report[] = [];
  const { newName, newTag, digest, tagSuffix } = site;
  if (judged(newName)) {
    const parsed = parseImageReference(newName.value);
    if (!parsed.valid) {
      out.push({
        range: newName.range,
        message: `newName is not a valid image name: ${referenceProblem(parsed.error, parsed.hint)}`,
        detail: 'Kustomize writes it into every matching image, and the kubelet fails those containers with InvalidImageName.',
      });
    } else if (parsed.ref.tag !== null || parsed.ref.digest !== null) {
      const extra = parsed.ref.digest !== null ? 'the digest' : `the tag "${parsed.ref.tag}"`;
      out.push({
        range: newName.range,
        message: `Move ${extra} of newName to ${parsed.ref.digest !== null ? 'digest' : 'newTag'}: kustomize appends its own`,
        detail: `Kustomize appends the image's tag and digest to newName, which gives an invalid reference such as "${newName.value}:1.0".`,
      });
    }
  }
  if (judged(newTag) && !TAG.test(newTag.value)) {
    out.push({
      range: newTag.range,
      message: 'newTag is not a valid tag: up to 128 letters, digits, "_", "." and "-", not first "." or "-"',
      detail: 'Kustomize appends it after ":", and the kubelet fails the container with InvalidImageName.',
    });
  }
  // Used only when there is neither newTag nor digest; appended to the image's own tag, so it may start with "." or "-".
  if (judged(tagSuffix) && !newTag?.value && !digest?.value && !/^[\w.-]{0,127}$/.test(tagSuffix.value)) {
    out.push({
      range: tagSuffix.range,
      message: 'tagSuffix cannot be part of a tag: tags hold letters, digits, "_", "." and "-"',
      detail: 'Kustomize appends it to the image\'s tag (at most 128 characters in all), and the kubelet fails the container with InvalidImageName.',
    });
  }
  if (judged(digest)) {
    const err = validateDigest(digest.value);
    if (err !== null) {
      const missing = /^[a-f0-9]{64}$/.test(digest.value);
      out.push({
        range: digest.range,
        message: missing ? 'Add the "sha256:" prefix to this digest' : `Invalid digest (${err}): write "sha256:" and 64 lowercase hex digits`,
        detail: 'Kustomize appends the digest after "@", and the kubelet fails the container with InvalidImageName.',
      });
    }
  }
  return out;
}

/** latest-tag finding of one entry: `newTag: latest` (byte-exact) without a digest. */
export function latestKustomizeImage(site: KustomizeImageSite): Report[] {
  const { newTag, digest, name } = site;
  if (!newTag || newTag.templated || newTag.value !== 'latest' || (digest && digest.value !== '')) return [];
  const target = name ? `every "${name.value}" image` : 'the matching images';
  return [{
    range: newTag.range,
    message: '":latest" moves with every push; pin a version or a digest',
    detail: `This entry sets ${target} to the "latest" tag: nodes that pulled on different days run different images.`,
  }];
}
