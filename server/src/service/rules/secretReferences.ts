/**
 * The pull-secret references of a file and their verdicts, shared by pull-secret-not-found,
 * pull-secret-wrong-type and pull-secret-namespace-mismatch so that each reference is judged once and reported
 * by exactly one of them. References are a pod spec's own `imagePullSecrets` entries and a ServiceAccount's
 * (a pod that inherits an account's secrets is not reported again: the account's entry is).
 */
import type { YAMLMap } from 'yaml';
import type { K8sObject } from '../parse/manifests';
import type { PodSpecSite } from '../parse/podSpecs';
import { rangeOf } from '../parse/yamlNodes';
import type { OffsetRange } from '../types';
import { judgeSecretRef, objectNamespaces, pullSecretRefs, type SecretVerdict } from '../workspace/pullSecrets';
import type { WorkspaceView } from '../workspace/view';
import type { RuleContext } from './rule';

export interface JudgedReference {
  name: string;
  /** The `name` value. */
  range: OffsetRange;
  verdict: SecretVerdict;
  /** Who refers: a pod spec of `object`, or the ServiceAccount `object` itself. */
  owner: 'pod' | 'serviceAccount';
  object: K8sObject;
  /** The referrer's namespaces; null when its `metadata.namespace` is a template. */
  namespaces: string[] | null;
}

/** One analysis runs three rules over the same references: judge each list once per view (= per analysis). */
const cache = new WeakMap<WorkspaceView, Map<object, JudgedReference[]>>();

/** The judged entries of a pod spec's `imagePullSecrets`. */
export function podReferences(pod: PodSpecSite, ctx: RuleContext): JudgedReference[] {
  return memo(pod.podSpec, ctx, () => judge(pod.podSpec, pod.object, 'pod', ctx));
}

/** The judged entries of a ServiceAccount's `imagePullSecrets` (empty for any other object). */
export function accountReferences(object: K8sObject, ctx: RuleContext): JudgedReference[] {
  if (object.kind !== 'ServiceAccount' || object.apiVersion !== 'v1') return [];
  return memo(object.node, ctx, () => judge(object.node, object, 'serviceAccount', ctx));
}

function memo(key: object, ctx: RuleContext, compute: () => JudgedReference[]): JudgedReference[] {
  let perView = cache.get(ctx.workspace);
  if (!perView) cache.set(ctx.workspace, (perView = new Map()));
  let hit = perView.get(key);
  if (!hit) perView.set(key, (hit = compute()));
  return hit;
}

/** Narrows judged references to one verdict kind. */
export function withVerdict<K extends SecretVerdict['kind']>(kind: K) {
  return (r: JudgedReference): r is JudgedReference & { verdict: Extract<SecretVerdict, { kind: K }> } => r.verdict.kind === kind;
}

function judge(owner: YAMLMap, object: K8sObject, kind: JudgedReference['owner'], ctx: RuleContext): JudgedReference[] {
  const namespaces = objectNamespaces(ctx.workspace, object.namespace);
  return pullSecretRefs(owner).refs.map((ref) => ({
    name: ref.name,
    range: rangeOf(ref.node),
    verdict: judgeSecretRef(ctx.workspace, ref.name, namespaces),
    owner: kind,
    object,
    namespaces,
  }));
}

/** "Deployment `web`", "ServiceAccount `builder`", "this Pod". */
export function objectLabel(object: K8sObject): string {
  return object.name ? `${object.kind} "${object.name}"` : `this ${object.kind}`;
}

/** `"prod"`, `"a" or "b"`. */
export function namespaceList(namespaces: readonly string[]): string {
  const quoted = namespaces.map((n) => `"${n}"`);
  return quoted.length <= 1 ? quoted.join('') : `${quoted.slice(0, -1).join(', ')} or ${quoted[quoted.length - 1]}`;
}
