/**
 * Kustomize patches as far as images go, without running kustomize: what strategic-merge and JSON 6902 patches
 * (`patches`, `patchesStrategicMerge`, `patchesJson6902`; inline or from files) do to the containers of the
 * objects they target — a new `image` or `imagePullPolicy`, a container or a whole object removed with
 * `$patch: delete` (or a JSON 6902 `remove`). Containers merge by `name`, as the strategic merge does for pod
 * specs; JSON 6902 paths name them by index. kustomize's `api/filters/patchstrategicmerge`,
 * `api/filters/patchjson6902` and `api/types/patch.go`.
 */
import { isMap, isScalar, isSeq, type YAMLMap } from 'yaml';
import { parseManifests, type K8sObject } from '../parse/manifests';
import { findImageSites, findPodSpecs, type ContainerField } from '../parse/podSpecs';
import { mapAt, pairOf, stringAt } from '../parse/yamlNodes';

/** Which objects a patch applies to (kustomize's `target`); absent fields match anything. */
export interface PatchTarget {
  kind?: string;
  name?: string;
  namespace?: string;
}

/** One patch of a kustomization: its text (a file's, or inline) and its `target`, if any. */
export interface PatchSource {
  text: string;
  target: PatchTarget | null;
  /** Where it came from, for messages: the patch file's URI, or the kustomization's for an inline patch. */
  uri: string;
}

/** What the patches do to one container (found by name, or by index for JSON 6902). */
export interface ContainerChange {
  deleted?: boolean;
  image?: string;
  policy?: string;
  /** The URI of the last patch that changed it. */
  by: string;
}

/** What the patches do to one object. */
export interface ObjectChange {
  deleted: boolean;
  byName: Map<string, ContainerChange>;
  /** JSON 6902 changes by field and index (`/spec/template/spec/containers/0/image`). */
  byIndex: Map<string, ContainerChange>;
}

/** The `patches`, `patchesStrategicMerge` and `patchesJson6902` entries of a kustomization, as written. */
export interface PatchEntry {
  path: string | null;
  inline: string | null;
  target: PatchTarget | null;
}

/** A kustomization's patch entries. */
export function patchEntries(root: YAMLMap): PatchEntry[] {
  const out: PatchEntry[] = [];
  for (const key of ['patches', 'patchesJson6902']) {
    const seq = pairOf(root, key)?.value;
    if (!isSeq(seq)) continue;
    for (const item of seq.items) {
      if (!isMap(item)) continue;
      const t = mapAt(item, 'target');
      const target = t ? { kind: stringAt(t, 'kind'), name: stringAt(t, 'name'), namespace: stringAt(t, 'namespace') } : null;
      out.push({ path: stringAt(item, 'path') ?? null, inline: stringAt(item, 'patch') ?? null, target });
    }
  }
  const smp = pairOf(root, 'patchesStrategicMerge')?.value;
  if (isSeq(smp)) {
    for (const item of smp.items) {
      if (!isScalar(item) || typeof item.value !== 'string') continue;
      const inline = item.value.includes('\n') || /^\s*(?:apiVersion|kind)\s*:/m.test(item.value);
      out.push({ path: inline ? null : item.value, inline: inline ? item.value : null, target: null });
    }
  }
  return out;
}

const key = (kind: string, name: string | null) => `${kind}/${name ?? ''}`;

/**
 * What `patches` (innermost kustomization first, each in its order) do to the objects they target. Objects
 * are keyed `Kind/name`; a target selector's `name` is a regular expression in kustomize and matched so here.
 */
export class ObjectPatches {
  private readonly changes = new Map<string, ObjectChange>();
  private readonly selectors: { target: PatchTarget; change: (c: ObjectChange) => void }[] = [];

  constructor(patches: readonly PatchSource[]) {
    for (const p of patches) this.add(p);
  }

  /** The changes to `object`, or null when no patch targets it. */
  of(object: Pick<K8sObject, 'kind' | 'name' | 'namespace'>): ObjectChange | null {
    let change = this.changes.get(key(object.kind, object.name)) ?? null;
    for (const s of this.selectors) {
      if (!matches(s.target, object)) continue;
      change ??= emptyChange();
      s.change(change);
    }
    return change;
  }

  private add(p: PatchSource): void {
    const file = parseManifests(p.text);
    const root = file.docs[0]?.contents;
    if (isSeq(root)) return this.addJson6902(p, root.toJSON() as unknown[]);
    for (const object of file.objects) {
      const apply = (change: ObjectChange) => applyStrategicMerge(object, change, p.uri);
      if (p.target) this.selectors.push({ target: p.target, change: apply });
      else apply(this.changeOf(object.kind, object.name));
    }
  }

  private addJson6902(p: PatchSource, ops: unknown[]): void {
    if (!p.target) return;
    const apply = (change: ObjectChange) => applyJson6902(ops, change, p.uri);
    if (p.target.kind && p.target.name && !/[\\^$.*+?()[\]{}|]/.test(p.target.name)) apply(this.changeOf(p.target.kind, p.target.name));
    else this.selectors.push({ target: p.target, change: apply });
  }

  private changeOf(kind: string, name: string | null): ObjectChange {
    let c = this.changes.get(key(kind, name));
    if (!c) this.changes.set(key(kind, name), (c = emptyChange()));
    return c;
  }
}

function emptyChange(): ObjectChange {
  return { deleted: false, byName: new Map(), byIndex: new Map() };
}

function matches(target: PatchTarget, object: Pick<K8sObject, 'kind' | 'name' | 'namespace'>): boolean {
  if (target.kind !== undefined && target.kind !== object.kind) return false;
  if (target.namespace !== undefined && target.namespace !== (object.namespace ?? 'default')) return false;
  if (target.name !== undefined) {
    try {
      if (!new RegExp(`^(?:${target.name.length > 256 ? escape(target.name) : target.name})$`).test(object.name ?? '')) return false;
    } catch {
      if (target.name !== object.name) return false;
    }
  }
  return true;
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A strategic-merge patch object: `$patch: delete` on it or on a container; new images and policies. */
function applyStrategicMerge(patch: K8sObject, change: ObjectChange, uri: string): void {
  if (stringAt(patch.node, '$patch') === 'delete') {
    change.deleted = true;
    return;
  }
  for (const pod of findPodSpecs(patch, [], true)) {
    for (const site of findImageSites(pod)) {
      if (site.name === null || site.field === 'volumes') continue;
      const c = containerChange(change.byName, `${site.field}/${site.name}`, uri);
      if (stringAt(site.node, '$patch') === 'delete') c.deleted = true;
      if (site.image !== null) c.image = site.image;
      const policy = site.policyPair?.value;
      if (isScalar(policy) && typeof policy.value === 'string') c.policy = policy.value;
    }
  }
}

const CONTAINER_PATH = /^\/spec\/(?:template\/spec|jobTemplate\/spec\/template\/spec)\/(containers|initContainers)\/(\d+|-)(?:\/(image|imagePullPolicy))?$/;
const POD_PATH = /^\/spec\/(containers|initContainers)\/(\d+|-)(?:\/(image|imagePullPolicy))?$/;

/** JSON 6902 operations on containers: `replace`/`add` of an image or policy, `remove` of a container. */
function applyJson6902(ops: unknown[], change: ObjectChange, uri: string): void {
  for (const op of ops) {
    if (typeof op !== 'object' || op === null) continue;
    const { op: kind, path, value } = op as { op?: unknown; path?: unknown; value?: unknown };
    if (typeof path !== 'string') continue;
    const m = CONTAINER_PATH.exec(path) ?? POD_PATH.exec(path);
    if (!m || m[2] === '-') continue;
    const c = containerChange(change.byIndex, `${m[1] as ContainerField}/${m[2]}`, uri);
    if (kind === 'remove' && m[3] === undefined) c.deleted = true;
    else if ((kind === 'replace' || kind === 'add') && typeof value === 'string') {
      if (m[3] === 'image') c.image = value;
      else if (m[3] === 'imagePullPolicy') c.policy = value;
    }
  }
}

function containerChange(map: Map<string, ContainerChange>, id: string, by: string): ContainerChange {
  let c = map.get(id);
  if (!c) map.set(id, (c = { by }));
  c.by = by;
  return c;
}
