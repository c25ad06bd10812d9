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

const TAG = /^[\w][\w.-]{0,127}$/;

const judged = (f: KustomizeImageField | null): f is KustomizeImageField => f !== null && !f.templated && placeholderOf(f.value) === null;

/** invalid-image-reference findings of one entry: a `newName` that is no repository name, a bad `newTag` or `digest`. */
export function invalidKustomizeImage(site: KustomizeImageSite): Report[] {
  const out: Report[] = [];
  const { newName, newTag, digest, tagSuffix } = site;
  if (judged(newName)) {
    const parsed = parseImageReference(newName.value);
    if (!parsed.valid) {
      const why = parsed.error.replace(/^invalid reference format: /, '') + (parsed.hint ? ` (${parsed.hint})` : '');
      out.push({ range: newName.range, message: `newName ${JSON.stringify(newName.value)} is not a valid image name: ${why}. Kustomize writes it into every matching image, and the kubelet fails those containers with InvalidImageName.` });
    } else if (parsed.ref.tag !== null || parsed.ref.digest !== null) {
      const extra = parsed.ref.digest !== null ? 'a digest' : `the tag "${parsed.ref.tag}"`;
      out.push({ range: newName.range, message: `newName ${JSON.stringify(newName.value)} includes ${extra}, but kustomize appends the image's tag and digest to newName, which gives an invalid reference such as "${newName.value}:1.0". Put the tag in newTag and the digest in digest.` });
    }
  }
  if (judged(newTag) && !TAG.test(newTag.value)) {
    out.push({ range: newTag.range, message: `newTag ${JSON.stringify(newTag.value)} is not a valid tag: at most 128 letters, digits, "_", "." and "-", not starting with "." or "-". Kustomize appends it after ":", and the kubelet fails the container with InvalidImageName.` });
  }
  // Used only when there is neither newTag nor digest; appended to the image's own tag, so it may start with "." or "-".
  if (judged(tagSuffix) && !newTag?.value && !digest?.value && !/^[\w.-]{0,127}$/.test(tagSuffix.value)) {
    out.push({ range: tagSuffix.range, message: `tagSuffix ${JSON.stringify(tagSuffix.value)} cannot be part of a tag: tags hold only letters, digits, "_", "." and "-" (at most 128). Kustomize appends it to the image's tag, and the kubelet fails the container with InvalidImageName.` });
  }
  if (judged(digest)) {
    const err = validateDigest(digest.value);
    if (err !== null) {
      const hint = /^[a-f0-9]{64}$/.test(digest.value) ? ' (the "sha256:" prefix is missing)' : '';
      out.push({ range: digest.range, message: `digest ${JSON.stringify(digest.value)} is not a valid digest: ${err}${hint}. Write it as "sha256:" and 64 lowercase hex digits; kustomize appends it after "@".` });
    }
  }
  return out;
}

/** latest-tag finding of one entry: `newTag: latest` (byte-exact) without a digest. */
export function latestKustomizeImage(site: KustomizeImageSite): Report[] {
  const { newTag, digest, name } = site;
  if (!newTag || newTag.templated || newTag.value !== 'latest' || (digest && digest.value !== '')) return [];
  const target = name ? ` every "${name.value}" image` : ' the matching images';
  return [{ range: newTag.range, message: `newTag: latest sets${target} to the "latest" tag, which moves with every push: nodes that pulled on different days run different images. Pin a version tag or a digest.` }];
}
