/**
 * Quick fixes of the pull-secret rules: add an `imagePullSecrets` entry to a pod spec, and append a
 * `kubernetes.io/dockerconfigjson` Secret skeleton (placeholders only, never credentials) as a new document.
 * Edits are computed on the source text and touch only their target.
 */
import { isScalar, isSeq, type Node, type YAMLMap } from 'yaml';
import { appendPair } from '../edit/pairEdits';
import { columnOf, eolAfter } from '../edit/nodeText';
import { appendSeqItems, blockListOffset } from '../edit/seqEdits';
import type { ImageFact } from '../facts';
import { isTemplated } from '../parse/manifests';
import type { PodSpecSite } from '../parse/podSpecs';
import { pairOf } from '../parse/yamlNodes';
import type { Lines } from '../text/lines';
import type { Fix, TextEdit } from '../types';
import { isPublicRegistry } from './publicRegistries';
import type { RuleContext } from './rule';

/** The placeholder name offered when no known Secret fits. */
export const PLACEHOLDER_SECRET = 'regcred';
const DOCKER_HUB_SERVER = 'https://index.docker.io/v1/';

/**
 * The edits that make `name` a pull secret of the pod: a new `imagePullSecrets:` list after the pod spec's
 * last field (in the style of its other lists), or the entry filled into an `imagePullSecrets:` that has no
 * value or an empty `[]`. Null when there is no safe place.
 *
 * @example `spec:\n  containers:\n  - name: a` → appends `  imagePullSecrets:\n  - name: regcred`
 */
export function addPullSecretEdits(lines: Lines, podSpec: YAMLMap, name: string): TextEdit[] | null {
  const pair = pairOf(podSpec, 'imagePullSecrets');
  if (pair) {
    const v = pair.value;
    if (isSeq(v) && v.flow && v.items.length === 0) {
      const edit = appendSeqItems(lines, v, [{ block: `name: ${name}`, flow: `{name: ${name}}` }]);
      return edit ? [edit] : null;
    }
    const key = pair.key as Node;
    const empty = v === null || v === undefined || (isScalar(v) && v.value === null);
    if (!empty || !key.range) return null;
    const valueEnd = isScalar(v) && v.range ? v.range[1] : key.range[1];
    const after = lines.text.slice(key.range[1], valueEnd);
    if (!/^[ \t]*:[ \t]*(?:~|null|Null|NULL)?$/.test(after)) return null;
    if (podSpec.flow) return [{ start: key.range[1], end: valueEnd, newText: `: [{name: ${name}}]` }];
    const dashCol = columnOf(lines, key.range[0]) + blockListOffset(lines, podSpec);
    const eol = eolAfter(lines, lines.lineOf(key.range[0]));
    return [{ start: key.range[1], end: valueEnd, newText: `:${eol}${' '.repeat(dashCol)}- name: ${name}` }];
  }
  if (podSpec.items.length === 0) return null;
  const text = podSpec.flow
    ? `imagePullSecrets: [{name: ${name}}]`
    : `imagePullSecrets:\n${' '.repeat(blockListOffset(lines, podSpec))}- name: ${name}`;
  const edit = appendPair(lines, podSpec, text);
  return edit ? [edit] : null;
}

/** "Add imagePullSecrets: <name>" fixes, one per name (the first preferred). */
export function addPullSecretFixes(lines: Lines, pod: PodSpecSite, names: string[], placeholder: boolean): Fix[] {
  const out: Fix[] = [];
  names.forEach((name, i) => {
    const edits = addPullSecretEdits(lines, pod.podSpec, name);
    if (!edits) return;
    const title = placeholder
      ? `Add imagePullSecrets (a placeholder "${name}" to rename)`
      : `Add imagePullSecrets: ${name}`;
    out.push({ title, edits, ...(i === 0 && !placeholder ? { isPreferred: true } : {}) });
  });
  return out;
}

/** The `--docker-server` (and `auths` key) for an image's registry, as `kubectl create secret docker-registry` writes it. */
export function dockerServerFor(fact: ImageFact | undefined): string {
  const ref = fact?.reference;
  if (!ref?.valid) return 'REGISTRY';
  return ref.ref.domain === 'docker.io' ? DOCKER_HUB_SERVER : ref.ref.domain;
}

/**
 * "Create a docker-registry Secret": appends a new YAML document with a `kubernetes.io/dockerconfigjson` Secret
 * named `name` for `server`, with placeholders for the credentials and, in its comment, the equivalent
 * `kubectl create secret docker-registry` command (the better way: credentials do not belong in the repository).
 * `namespace` is written only when the referring object states one.
 */
export function createSecretFix(lines: Lines, name: string, namespace: string | null, server: string): Fix {
  const text = lines.text;
  const eol = lines.eol;
  const ns = namespace !== null && !isTemplated(namespace) ? namespace : null;
  const auths = JSON.stringify({ auths: { [server]: { username: 'USERNAME', password: 'PASSWORD' } } }).replace(/'/g, "''");
  const body = [
    '---',
    `# Pull secret for ${server}, of the type the kubelet reads. Replace USERNAME and PASSWORD, or better, keep`,
    '# credentials out of the repository and create the Secret in the cluster with:',
    `#   kubectl create secret docker-registry ${name}${ns ? ` --namespace ${ns}` : ''} \\`,
    `#     --docker-server=${server} --docker-username=USERNAME --docker-password=PASSWORD`,
    '# (add --dry-run=client -o yaml to print this manifest, e.g. to seal or encrypt it).',
    'apiVersion: v1',
    'kind: Secret',
    'metadata:',
    `  name: ${name}`,
    ...(ns ? [`  namespace: ${ns}`] : []),
    'type: kubernetes.io/dockerconfigjson',
    'stringData:',
    `  .dockerconfigjson: '${auths}'`,
  ].join(eol) + eol;
  const needsBreak = text.length > 0 && !/[\r\n]$/.test(text);
  return {
    title: `Create a docker-registry Secret "${name}" for ${server}`,
    edits: [{ start: text.length, end: text.length, newText: (needsBreak ? eol : '') + body }],
  };
}

/** The first valid image of a pod outside `isPublic` registries, to name the registry a new Secret is for. */
export function privateImageOf(images: readonly ImageFact[], pod: PodSpecSite, isPublic: (domain: string, path: string) => boolean): ImageFact | undefined {
  return images.find((f) => f.site.pod === pod && f.reference?.valid && !isPublic(f.reference.ref.domain, f.reference.ref.path))
    ?? images.find((f) => f.site.pod === pod && f.reference?.valid);
}

/** The registry a new Secret for this pod should hold credentials for: its first private image's registry. */
export function secretServerFor(pod: PodSpecSite, ctx: RuleContext): string {
  return dockerServerFor(privateImageOf(ctx.images, pod, (d, p) => isPublicRegistry(ctx.settings, d, p)));
}
