import { isScalar, isSeq } from 'yaml';
import { pairOf, rangeOf } from '../parse/yamlNodes';
import type { Rule } from './rule';

/**
 * `ephemeralContainers` in a manifest. The API server refuses them on create ("cannot be set on create" for a
 * Pod, "ephemeral containers not allowed in pod template" for workloads): they can only be added to a running
 * Pod through the `ephemeralcontainers` subresource, which is what `kubectl debug` does. An empty list or null
 * is accepted, so only a non-empty value is reported.
 */
export const ephemeralContainersInManifest: Rule = {
  id: 'ephemeral-containers-in-manifest',
  defaultSeverity: 'error',
  description: '`ephemeralContainers` in a Pod or pod template, which the API server rejects on create.',
  checkPodSpec(pod) {
    if (!pod.builtin) return [];
    const pair = pairOf(pod.podSpec, 'ephemeralContainers');
    const v = pair?.value;
    if (!pair || !v || (isScalar(v) && v.value === null) || (isSeq(v) && v.items.length === 0)) return [];
    const isPod = pod.object.kind === 'Pod';
    const message = isPod
      ? 'Remove ephemeralContainers: a Pod cannot be created with them'
      : 'Remove ephemeralContainers: the API server rejects them in a pod template';
    const detail = `The API server says ${isPod ? '"cannot be set on create"' : '"ephemeral containers not allowed in pod template"'}: `
      + 'ephemeral containers are added to a running Pod only, which is what kubectl debug does.';
    return [{ range: rangeOf(pair.key), message, detail }];
  },
};
