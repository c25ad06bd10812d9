/**
 * Which pull secrets serve a pod, and what each reference amounts to, as the API server and the kubelet decide:
 *
 * - a pod's own `imagePullSecrets`, or — only when it lists none — those of its ServiceAccount
 *   (`plugin/pkg/admission/serviceaccount/admission.go`: `if len(pod.Spec.ImagePullSecrets) == 0` copy the
 *   account's); the account is `serviceAccountName`, else the deprecated `serviceAccount`, else `default`;
 * - each name is looked up in the pod's namespace; a missing one is skipped;
 * - a Secret serves pulls only with a docker type and payload (see pullSecretPayload.ts);
 * - which `auths` key serves an image: keyring.ts.
 *
 * Rules, hovers, completion and fixes all call these functions, so they never disagree.
 */
import { isMap, isScalar, isSeq, type Node, type YAMLMap } from 'yaml';
import type { ImageFact } from '../facts';
import { isTemplated } from '../parse/manifests';
import type { PodSpecSite } from '../parse/podSpecs';
import { pairOf, stringAt } from '../parse/yamlNodes';
import { keyringLookup, type KeyringMatch } from './keyring';
import type { ResolvedSecret, ResolvedServiceAccount } from './types';
import type { WorkspaceView } from './view';

/** What one referenced Secret name amounts to for a pod (or ServiceAccount) in `namespaces`. */
export type SecretVerdict =
  /** Defined nowhere in a complete workspace. */
  | { kind: 'not-found' }
  /** Not in view, and the view is not the whole workspace: nothing can be said. */
  | { kind: 'unknown' }
  /** Defined, but only in other namespaces. */
  | { kind: 'wrong-namespace'; found: ResolvedSecret[] }
  /** Defined in the namespace, but no definition there can serve pulls. */
  | { kind: 'wrong-type'; secret: ResolvedSecret; problem: string }
  /** Defined in the namespace with a docker type; `secrets` are those definitions (payload known or not). */
  | { kind: 'usable'; secrets: ResolvedSecret[] };

/**
 * Judges a reference. `namespaces` null means the referrer's namespace is unknown (a template): every
 * definition is then taken as being in it.
 */
export function judgeSecretRef(view: WorkspaceView, name: string, namespaces: string[] | null): SecretVerdict {
  const found = view.secrets(name);
  if (found.length === 0) return view.complete ? { kind: 'not-found' } : { kind: 'unknown' };
  const here = namespaces === null ? found : found.filter((s) => s.namespaces.some((n) => namespaces.includes(n)));
  if (here.length === 0) return { kind: 'wrong-namespace', found };
  const usable = here.filter((s) => s.payload.status !== 'unusable');
  if (usable.length > 0) return { kind: 'usable', secrets: usable };
  const first = here[0];
  return { kind: 'wrong-type', secret: first, problem: first.payload.status === 'unusable' ? first.payload.problem : '' };
}

/** The namespaces a pod spec's object can land in; null when its `metadata.namespace` is a template. */
export function podNamespaces(view: WorkspaceView, pod: PodSpecSite): string[] | null {
  return objectNamespaces(view, pod.object.namespace);
}

export function objectNamespaces(view: WorkspaceView, written: string | null): string[] | null {
  if (written !== null && isTemplated(written)) return null;
  return view.namespacesOf(written === '' ? null : written);
}

/** A name in a pod's `imagePullSecrets`, with the node it is written in. */
export interface PullSecretRef {
  name: string;
  /** The `name` value scalar. */
  node: Node;
  /** The list entry (`{name: …}` map). */
  entry: Node;
}

/**
 * The `{name: <string>}` entries of an `imagePullSecrets` value (templated names skipped), and whether the list
 * counts as "listing some" for the ServiceAccount admission (any entry at all, even a malformed one).
 */
export function pullSecretRefs(owner: YAMLMap): { refs: PullSecretRef[]; listsAny: boolean } {
  const value = pairOf(owner, 'imagePullSecrets')?.value;
  if (!isSeq(value)) return { refs: [], listsAny: value !== undefined && value !== null && !(isScalar(value) && value.value === null) };
  const refs: PullSecretRef[] = [];
  for (const item of value.items) {
    if (!isMap(item)) continue;
    const v = pairOf(item, 'name')?.value;
    if (isScalar(v) && typeof v.value === 'string' && v.value !== '' && !isTemplated(v.value)) refs.push({ name: v.value, node: v, entry: item });
  }
  return { refs, listsAny: value.items.length > 0 };
}

/** The ServiceAccount a pod runs as: `serviceAccountName`, else the deprecated `serviceAccount`, else `default`. */
export function serviceAccountName(pod: PodSpecSite): string | null {
  for (const key of ['serviceAccountName', 'serviceAccount']) {
    const v = stringAt(pod.podSpec, key);
    if (v !== undefined && v !== '') return isTemplated(v) ? null : v;
  }
  return 'default';
}

/** The pull secrets in force for a pod: its own list, else its ServiceAccount's. */
export interface AppliedPullSecrets {
  source: 'pod' | 'serviceAccount' | 'none';
  /** The names in force (empty when none). */
  names: string[];
  /** The ServiceAccount (null name: a template), and its definitions in the pod's namespaces. */
  account: { name: string | null; definitions: ResolvedServiceAccount[] };
}

export function appliedPullSecrets(view: WorkspaceView, pod: PodSpecSite): AppliedPullSecrets {
  const own = pullSecretRefs(pod.podSpec);
  const name = serviceAccountName(pod);
  const namespaces = podNamespaces(view, pod);
  const definitions = name === null ? [] : view.serviceAccounts(name).filter((a) => namespaces === null || a.namespaces.some((n) => namespaces.includes(n)));
  const account = { name, definitions };
  if (own.listsAny) return { source: 'pod', names: unique(own.refs.map((r) => r.name)), account };
  const inherited = unique(definitions.flatMap((d) => d.pullSecrets));
  return inherited.length > 0 ? { source: 'serviceAccount', names: inherited, account } : { source: 'none', names: [], account };
}

/** How the pull secrets in force fare against one image's registry. */
export interface RegistryVerdict {
  applied: AppliedPullSecrets;
  /** Verdict per name in force. */
  verdicts: { name: string; verdict: SecretVerdict }[];
  /** Definitions whose payload is known and usable (what the keyring is built from). */
  known: ResolvedSecret[];
  /** True when some definition in force has a payload that cannot be read here (it might match). */
  unreadable: boolean;
  /** The keyring lookup over `known` for the image's normalized name; null when the image is not valid. */
  lookup: KeyringMatch<ResolvedSecret> | null;
}

/** Builds the kubelet's keyring from the known usable secrets in force and looks the image up in it. */
export function registryVerdict(view: WorkspaceView, fact: ImageFact): RegistryVerdict {
  const pod = fact.site.pod;
  const applied = appliedPullSecrets(view, pod);
  const namespaces = podNamespaces(view, pod);
  const verdicts = applied.names.map((name) => ({ name, verdict: judgeSecretRef(view, name, namespaces) }));
  const known: ResolvedSecret[] = [];
  let unreadable = false;
  for (const { verdict } of verdicts) {
    if (verdict.kind !== 'usable') continue;
    for (const s of verdict.secrets) {
      if (s.payload.status === 'usable') known.push(s);
      else unreadable = true;
    }
  }
  const ref = fact.reference;
  const entries = known.flatMap((s) => (s.payload.status === 'usable' ? s.payload.registries.map((written) => ({ written, source: s })) : []));
  const lookup = ref?.valid ? keyringLookup(entries, ref.ref.name) : null;
  return { applied, verdicts, known, unreadable, lookup };
}

/** Usable Secrets in the pod's namespaces whose credentials match the image, best first (for fixes). */
export function matchingSecrets(view: WorkspaceView, fact: ImageFact): ResolvedSecret[] {
  const ref = fact.reference;
  if (!ref?.valid) return [];
  const namespaces = podNamespaces(view, fact.site.pod);
  const candidates = view.allSecrets().filter((s) => s.payload.status === 'usable' && (namespaces === null || s.namespaces.some((n) => namespaces.includes(n))));
  const seen = new Set<string>();
  const out: ResolvedSecret[] = [];
  for (const m of keyringLookup(candidates.flatMap((s) => (s.payload.status === 'usable' ? s.payload.registries.map((written) => ({ written, source: s })) : [])), ref.ref.name).matches) {
    if (!seen.has(m.source.name)) {
      seen.add(m.source.name);
      out.push(m.source);
    }
  }
  return out;
}

function unique<T>(xs: T[]): T[] {
  return [...new Set(xs)];
}
