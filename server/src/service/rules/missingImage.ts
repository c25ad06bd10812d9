import { isScalar, type Node, type YAMLMap } from 'yaml';
import type { ContainerField } from '../parse/podSpecs';
import { pairOf, rangeOf } from '../parse/yamlNodes';
import type { OffsetRange } from '../types';
import type { Rule } from './rule';

const LABEL: Record<ContainerField, string> = {
  containers: 'Container',
  initContainers: 'Init container',
  ephemeralContainers: 'Ephemeral container',
  volumes: 'Image volume',
};

/**
 * Containers Istio's sidecar injector merges into by name (its "customizing injection"): a pod may declare
 * `istio-proxy` (or the init containers) with only the fields it overrides, and the injector supplies the image.
 */
const ISTIO_INJECTED = new Set(['istio-proxy', 'istio-init', 'istio-validation']);

/**
 * missing-image: a container without `image`, or with an empty or null one. The API server requires a
 * non-empty image for every container, in Pods and in workload templates alike (built-in kinds). Image volumes are left out:
 * their `reference` is optional in the API so that controllers can fill it in.
 */
export const missingImage: Rule = {
  id: 'missing-image',
  defaultSeverity: 'error',
  description: 'A container has no image, or an empty one; the API server rejects it.',
  checkImage(fact) {
    const { site } = fact;
    // Built-in kinds only: an operator fills in a custom resource's containers (a CNPG Pooler's template, a
    // Prometheus's `spec.containers` that patch its own), so an absent image there is no mistake.
    // Nor in a patch, which sets only what it changes, nor in the containers Istio's injector fills in by name.
    if (site.field === 'volumes' || !site.pod.builtin || site.pod.partial || (site.name !== null && ISTIO_INJECTED.has(site.name))) return [];
    const v = site.imagePair?.value;
    const missing = !site.imagePair || v === null || v === undefined || (isScalar(v) && (v.value === null || v.value === ''));
    if (!missing) return [];
    const who = site.name !== null ? `${LABEL[site.field]} "${site.name}"` : `This ${LABEL[site.field].toLowerCase()}`;
    const what = site.imagePair ? 'has an empty image' : 'has no image';
    return [{
      range: missingImageRange(site.node),
      message: `${who} ${what}; the API server rejects it (image: Required value)`,
      detail: 'Every container of a built-in kind needs an image to run, such as nginx:1.27.',
    }];
  },
};

/** The container's name value, else the `image` key, else the first key, else the whole (empty) map. */
function missingImageRange(container: YAMLMap): OffsetRange {
  const name = pairOf(container, 'name')?.value;
  if (isScalar(name) && name.range && name.range[1] > name.range[0]) return rangeOf(name);
  const image = pairOf(container, 'image');
  if (image) return rangeOf(image.key);
  const first = container.items[0]?.key as Node | undefined;
  if (first?.range) return rangeOf(first);
  return rangeOf(container);
}
