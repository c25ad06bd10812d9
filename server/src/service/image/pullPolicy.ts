/**
 * The effective imagePullPolicy of a container (or image volume), as Kubernetes computes it.
 *
 * Port of SetDefaults_Container / SetDefaults_Volume in kubernetes `pkg/apis/core/v1/defaults.go`:
 *
 *     if obj.ImagePullPolicy == "" {
 *         _, tag, _, _ := parsers.ParseImageName(obj.Image)   // error ignored
 *         if tag == "latest" { Always } else { IfNotPresent }
 *     }
 *
 * and `pkg/util/parsers/parsers.go` ParseImageName: ParseNormalizedNamed; on error every result is "" (so the
 * policy is IfNotPresent); with neither tag nor digest the tag becomes "latest". A digest does NOT clear the
 * tag, so "nginx:latest@sha256:…" defaults to Always. The comparison is byte-exact: ":Latest" is IfNotPresent.
 * Defaulting runs once, when the object is created; it never re-runs when the image changes later.
 */
import type { PullPolicy } from '../types';
import { parseImageReference } from './reference';

export interface EffectivePolicy {
  /** The policy the object ends up with; an explicit value is reported as written, even if invalid. */
  effective: PullPolicy | string;
  /** The explicit value as written, null when absent/empty/null. */
  explicit: string | null;
  source: 'explicit' | 'default';
  /** One sentence saying why. */
  reason: string;
}

const SUPPORTED: readonly string[] = ['Always', 'IfNotPresent', 'Never'];

/**
 * The default Kubernetes applies when imagePullPolicy is absent, with the reason.
 * `image` null/undefined is treated like "" (which never parses, hence IfNotPresent, as the API server does).
 */
export function defaultPullPolicy(image: string | null | undefined): { policy: PullPolicy; reason: string } {
  if (image === null || image === undefined || image === '') {
    return { policy: 'IfNotPresent', reason: 'Defaulted to IfNotPresent because there is no image to parse.' };
  }
  const parsed = parseImageReference(image);
  if (!parsed.valid) {
    return {
      policy: 'IfNotPresent',
      reason: `Defaulted to IfNotPresent because the image reference cannot be parsed (${parsed.error}); the kubelet will fail the container with InvalidImageName.`,
    };
  }
  const { tag, digest } = parsed.ref;
  if (tag === null && digest === null) {
    return { policy: 'Always', reason: 'Defaulted to Always because the image has no tag, so Kubernetes assumes :latest.' };
  }
  if (tag === 'latest') {
    return digest === null
      ? { policy: 'Always', reason: 'Defaulted to Always because the tag is "latest".' }
      : {
          policy: 'Always',
          reason: 'Defaulted to Always because the tag is "latest" (the digest does not change this default; the runtime still pulls by digest).',
        };
  }
  if (tag === null) {
    return { policy: 'IfNotPresent', reason: 'Defaulted to IfNotPresent because the image is pinned by digest and has no tag.' };
  }
  const caseNote = tag.toLowerCase() === 'latest' ? ' (the comparison is case-sensitive)' : '';
  return { policy: 'IfNotPresent', reason: `Defaulted to IfNotPresent because the tag is "${tag}", not "latest"${caseNote}.` };
}

/**
 * explicitPolicy: the value of imagePullPolicy as written; undefined/null/'' mean absent. `decidedBy`: who fills a
 * missing value when not the API server's container defaulting (a custom resource's CRD schema default).
 */
export function effectivePullPolicy(image: string | null, explicitPolicy: string | null | undefined, decidedBy?: { policy: PullPolicy; by: string }): EffectivePolicy {
  if (explicitPolicy !== undefined && explicitPolicy !== null && explicitPolicy !== '') {
    // Defaulting only fills an empty field; any other value is kept, and validation (exact match) judges it.
    const reason = SUPPORTED.includes(explicitPolicy)
      ? 'Set explicitly.'
      : `Set explicitly, but "${explicitPolicy}" is not a supported value ("Always", "IfNotPresent" or "Never"), so the API server rejects it.`;
    return { effective: explicitPolicy, explicit: explicitPolicy, source: 'explicit', reason };
  }
  if (decidedBy) return { effective: decidedBy.policy, explicit: null, source: 'default', reason: `Defaulted to ${decidedBy.policy} by ${decidedBy.by}.` };
  const { policy, reason } = defaultPullPolicy(image);
  return { effective: policy, explicit: null, source: 'default', reason };
}
