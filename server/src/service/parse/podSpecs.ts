import { isAlias, isMap, isScalar, type Document, type Pair, type Scalar, type YAMLMap } from 'yaml';
import type { K8sObject } from './manifests';
import { mapAt, mapPath, pairOf, seqAt } from './yamlNodes';

/** Where a pod spec lives in an object. */
export interface PodSpecSite {
  object: K8sObject;
  podSpec: YAMLMap;
  /** Key path from the object root to the pod spec, e.g. `['spec', 'template', 'spec']`. */
  path: string[];
  /** The workload's own `spec` when the pod spec is nested below it (Deployment, Job, CronJob…), else null. */
  workloadSpec: YAMLMap | null;
  /** `metadata` of the pod template (or of the Pod itself). */
  templateMetadata: YAMLMap | null;
  /** A built-in Kubernetes kind: only these get the misplaced-field rules (a CR's own fields are its own). */
  builtin: boolean;
}

export type ContainerField = 'containers' | 'initContainers' | 'ephemeralContainers' | 'volumes';

/** One place an image is (or should be) named: a container, init/ephemeral container, or an image volume. */
export interface ImageSite {
  pod: PodSpecSite;
  field: ContainerField;
  /** The container map, or the volume's `image` map. */
  node: YAMLMap;
  /** Container name (volume name for image volumes). */
  name: string | null;
  /** The `image` (containers) or `reference` (volumes) pair; undefined when absent. */
  imagePair: Pair<Scalar, unknown> | undefined;
  /** The image as a string when the value is a string scalar, else null. */
  image: string | null;
  /** The `imagePullPolicy` (containers) or `pullPolicy` (volumes) pair; undefined when absent. */
  policyPair: Pair<Scalar, unknown> | undefined;
}

const TEMPLATE_SPEC = ['spec', 'template', 'spec'];
const FIXED_PATHS: Record<string, { group: RegExp; path: string[] }> = {
  Pod: { group: /^v1$/, path: ['spec'] },
  PodTemplate: { group: /^v1$/, path: ['template', 'spec'] },
  ReplicationController: { group: /^v1$/, path: TEMPLATE_SPEC },
  Deployment: { group: /^(apps|extensions)\//, path: TEMPLATE_SPEC },
  ReplicaSet: { group: /^(apps|extensions)\//, path: TEMPLATE_SPEC },
  StatefulSet: { group: /^apps\//, path: TEMPLATE_SPEC },
  DaemonSet: { group: /^(apps|extensions)\//, path: TEMPLATE_SPEC },
  Job: { group: /^batch\//, path: TEMPLATE_SPEC },
  CronJob: { group: /^batch\//, path: ['spec', 'jobTemplate', 'spec', 'template', 'spec'] },
};

/** Parses `podSpecPaths` entries: `a.b.c` (any kind) or `Kind:a.b.c`. */
export function parsePodSpecPaths(entries: readonly string[]): { kind: string | null; path: string[] }[] {
  return entries
    .map((e) => {
      const i = e.indexOf(':');
      const kind = i >= 0 ? e.slice(0, i).trim() : null;
      const path = (i >= 0 ? e.slice(i + 1) : e).split('.').map((s) => s.trim()).filter(Boolean);
      return { kind, path };
    })
    .filter((e) => e.path.length > 0);
}

/** True for a built-in kind whose apiVersion is the real Kubernetes group (so `kind: Job` of a CRD is not). */
export function isBuiltinWorkload(obj: K8sObject): boolean {
  const fixed = FIXED_PATHS[obj.kind];
  return !!fixed && fixed.group.test(obj.apiVersion);
}

/**
 * Finds the pod specs of an object, per SPEC §2: the built-in kinds' fixed paths, any kind with
 * `spec.template.spec.containers`, and the user's extra `podSpecPaths`.
 */
export function findPodSpecs(obj: K8sObject, extraPaths: { kind: string | null; path: string[] }[]): PodSpecSite[] {
  const sites: PodSpecSite[] = [];
  const seen = new Set<YAMLMap>();
  const add = (path: string[], builtin: boolean) => {
    const podSpec = mapPath(obj.node, path);
    if (!podSpec || seen.has(podSpec)) return;
    seen.add(podSpec);
    const templateMetadata = path.length === 1 ? mapAt(obj.node, 'metadata') : mapPath(obj.node, [...path.slice(0, -1), 'metadata']);
    const workloadSpec = path.length > 1 && path[0] === 'spec' ? mapAt(obj.node, 'spec') ?? null : null;
    sites.push({ object: obj, podSpec, path, workloadSpec, templateMetadata: templateMetadata ?? null, builtin });
  };
  const builtin = isBuiltinWorkload(obj);
  if (builtin) add(FIXED_PATHS[obj.kind].path, true);
  else {
    const candidate = mapPath(obj.node, TEMPLATE_SPEC);
    if (candidate && seqAt(candidate, 'containers')) add(TEMPLATE_SPEC, false);
  }
  for (const extra of extraPaths) {
    if (extra.kind === null || extra.kind === obj.kind) add(extra.path, false);
  }
  return sites;
}

/** Every image site of a pod spec, in document order per field. */
export function findImageSites(pod: PodSpecSite): ImageSite[] {
  const out: ImageSite[] = [];
  for (const field of ['initContainers', 'containers', 'ephemeralContainers'] as const) {
    const seq = seqAt(pod.podSpec, field);
    if (!seq) continue;
    for (const item of seq.items) {
      if (!isMap(item)) continue;
      out.push(site(pod, field, item, 'image', 'imagePullPolicy', nameOf(item)));
    }
  }
  const volumes = seqAt(pod.podSpec, 'volumes');
  for (const item of volumes?.items ?? []) {
    if (!isMap(item)) continue;
    const image = mapAt(item, 'image');
    if (image) out.push(site(pod, 'volumes', image, 'reference', 'pullPolicy', nameOf(item)));
  }
  return out;
}

function site(pod: PodSpecSite, field: ImageSite['field'], node: YAMLMap, imageKey: string, policyKey: string, name: string | null): ImageSite {
  const imagePair = pairOf(node, imageKey);
  let v = imagePair?.value;
  // `image: *web` names an anchored scalar elsewhere in the document: judge the value it stands for.
  if (isAlias(v)) v = v.resolve(pod.object.doc as Document);
  const image = isScalar(v) && typeof v.value === 'string' ? v.value : null;
  return { pod, field, node, name, imagePair, image, policyPair: pairOf(node, policyKey) };
}

function nameOf(map: YAMLMap): string | null {
  const v = pairOf(map, 'name')?.value;
  return isScalar(v) && typeof v.value === 'string' ? v.value : null;
}
