import { isAlias, isMap, isScalar, type Document, type Pair, type Scalar, type YAMLMap } from 'yaml';
import type { K8sObject } from './manifests';
import { aliasTarget, mapAt, mapPath, pairOf, seqAt } from './yamlNodes';
import { customResourceSpec, mapsAt, pathProblem, type ContainerField, type PolicyDefault } from './customResources';

export type { ContainerField } from './customResources';

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
  /**
   * A built-in Kubernetes kind: only these get the misplaced-field rules (a CR's own fields are its own) and
   * missing-image (an operator may fill a custom resource's containers in).
   */
  builtin: boolean;
  /**
   * Where the images are when they are not the standard fields of `podSpec` (custom resources such as an Argo
   * Workflow's templates or a Prometheus's `spec.image`); null for a pod spec. `podSpec` is then the map holding
   * the pods' `imagePullSecrets` and `serviceAccountName`.
   */
  slots: ImageSlot[] | null;
  /** False when the pull secrets that apply are set in another object or at run time: absence says nothing. */
  secretsKnown: boolean;
  /**
   * The object is a fragment (a kustomize patch, a test assertion): what it leaves out comes from elsewhere, so
   * no rule reports an absence (a missing image, policy or pull secret).
   */
  partial: boolean;
}

/** An image site of a custom resource: the map, its image and policy keys, and who defaults a missing policy. */
export interface ImageSlot {
  field: ContainerField;
  node: YAMLMap;
  imageKey: string;
  policyKey: string;
  defaultPolicy?: PolicyDefault;
}

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
  /** The policy key (`imagePullPolicy`, `pullPolicy`, Crossplane's `packagePullPolicy`). */
  policyKey: string;
  /** Who decides a missing policy when not the API server's defaulting (a CRD's schema default). */
  defaultPolicy?: PolicyDefault;
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

/** A `podSpecPaths` entry: `a.b[].c` (any kind) or `Kind:a.b.c`. */
export interface ExtraPath {
  kind: string | null;
  path: string;
}

/**
 * Parses `podSpecPaths` entries: `a.b.c` (any kind) or `Kind:a.b.c`, with `[]` to step into each item of a list
 * and `*` for any key. A path that can never match is left out here and named by {@link podSpecPathProblems}.
 */
export function parsePodSpecPaths(entries: readonly string[]): ExtraPath[] {
  return entries.flatMap((e) => {
    const { kind, path } = splitEntry(e);
    return pathProblem(path) === null ? [{ kind, path: path.split('.').map((s) => s.trim()).join('.') }] : [];
  });
}

/** One sentence for each `podSpecPaths` entry that can never match. */
export function podSpecPathProblems(entries: readonly string[]): string[] {
  return entries.flatMap((e) => {
    const problem = pathProblem(splitEntry(e).path);
    return problem === null ? [] : [`podSpecPaths entry ${JSON.stringify(e)} can never match: ${problem}.`];
  });
}

function splitEntry(e: string): { kind: string | null; path: string } {
  const i = e.indexOf(':');
  return { kind: i >= 0 ? e.slice(0, i).trim() : null, path: i >= 0 ? e.slice(i + 1) : e };
}

/** True for a built-in kind whose apiVersion is the real Kubernetes group (so `kind: Job` of a CRD is not). */
export function isBuiltinWorkload(obj: K8sObject): boolean {
  const fixed = FIXED_PATHS[obj.kind];
  return !!fixed && fixed.group.test(obj.apiVersion);
}

/**
 * Finds the pod specs of an object, per SPEC §2: the built-in kinds' fixed paths, the custom resources of
 * `customResources.ts`, any other kind with `spec.template.spec.containers`, and the user's extra `podSpecPaths`
 * (a map with `containers` or `initContainers` is a pod spec, any other map a single container).
 */
export function findPodSpecs(obj: K8sObject, extraPaths: readonly ExtraPath[], partial = false): PodSpecSite[] {
  const sites: PodSpecSite[] = [];
  const seen = new Set<YAMLMap>();
  const add = (podSpec: YAMLMap, path: string[], builtin: boolean) => {
    if (seen.has(podSpec)) return;
    seen.add(podSpec);
    const templateMetadata = path.length === 1 ? mapAt(obj.node, 'metadata') : mapPath(obj.node, [...path.slice(0, -1), 'metadata']);
    const workloadSpec = path.length > 1 && path[0] === 'spec' ? mapAt(obj.node, 'spec') ?? null : null;
    sites.push({ object: obj, podSpec, path, workloadSpec, templateMetadata: templateMetadata ?? null, builtin, slots: null, secretsKnown: !partial, partial });
  };
  const addPath = (path: string[], builtin: boolean) => {
    const podSpec = mapPath(obj.node, path);
    if (podSpec) add(podSpec, path, builtin);
  };
  const builtin = isBuiltinWorkload(obj);
  const custom = builtin ? undefined : customResourceSpec(obj.apiVersion, obj.kind);
  const slots: ImageSlot[] = [];
  if (builtin) addPath(FIXED_PATHS[obj.kind].path, true);
  else if (custom) {
    for (const p of custom.pods ?? []) for (const podSpec of mapsAt(obj.node, p)) add(podSpec, p.split('.'), false);
    for (const c of custom.containers ?? []) {
      for (const node of mapsAt(obj.node, c.path)) slots.push({ field: c.field ?? 'containers', node, imageKey: 'image', policyKey: 'imagePullPolicy' });
    }
    for (const i of custom.images ?? []) {
      for (const node of mapsAt(obj.node, i.path)) if (pairOf(node, i.imageKey)) slots.push({ field: 'containers', node, imageKey: i.imageKey, policyKey: i.policyKey, defaultPolicy: i.defaultPolicy });
    }
  } else {
    const candidate = mapPath(obj.node, TEMPLATE_SPEC);
    if (candidate && seqAt(candidate, 'containers')) addPath(TEMPLATE_SPEC, false);
  }
  for (const extra of extraPaths) {
    if (extra.kind !== null && extra.kind !== obj.kind) continue;
    for (const node of mapsAt(obj.node, extra.path)) {
      if (pairOf(node, 'containers') || pairOf(node, 'initContainers')) add(node, extra.path.split('.'), false);
      else slots.push({ field: 'containers', node, imageKey: 'image', policyKey: 'imagePullPolicy' });
    }
  }
  if (slots.length > 0) {
    // In document order, as a pod spec's images are.
    const at = (s: ImageSlot) => (pairOf(s.node, s.imageKey)?.key as Scalar | undefined)?.range?.[0] ?? s.node.range?.[0] ?? 0;
    slots.sort((a, b) => at(a) - at(b));
    const holder = custom?.secretsAt ? mapsAt(obj.node, custom.secretsAt)[0] : undefined;
    const podSpec = holder ?? mapAt(obj.node, 'spec') ?? obj.node;
    sites.push({
      object: obj, podSpec, path: custom?.secretsAt?.split('.') ?? ['spec'], workloadSpec: null,
      templateMetadata: mapAt(obj.node, 'metadata') ?? null, builtin: false, slots, secretsKnown: holder !== undefined && !partial, partial,
    });
  }
  return sites;
}

/** Every image site of a pod spec, in document order per field. */
export function findImageSites(pod: PodSpecSite): ImageSite[] {
  if (pod.slots) return pod.slots.map((s) => site(pod, s.field, s.node, s.imageKey, s.policyKey, nameOf(s.node), s.defaultPolicy));
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

function site(pod: PodSpecSite, field: ImageSite['field'], node: YAMLMap, imageKey: string, policyKey: string, name: string | null, defaultPolicy?: PolicyDefault): ImageSite {
  const imagePair = pairOf(node, imageKey);
  let v = imagePair?.value;
  // `image: *web` names an anchored scalar elsewhere in the document: judge the value it stands for.
  if (isAlias(v)) v = aliasTarget(pod.object.doc, v);
  const image = isScalar(v) && typeof v.value === 'string' ? v.value : null;
  return { pod, field, node, name, imagePair, image, policyPair: pairOf(node, policyKey), policyKey, defaultPolicy };
}

function nameOf(map: YAMLMap): string | null {
  const v = pairOf(map, 'name')?.value;
  return isScalar(v) && typeof v.value === 'string' ? v.value : null;
}
