import { analyze, type Analysis } from '../server/src/service/analyze';
import { defaultSettings, fromRaw, type Settings } from '../server/src/service/settings';
import { WorkspaceIndex } from '../server/src/service/workspace/index';
import type { ManifestDescription, ManifestRef, RegistryClient, RegistryResult } from '../server/src/service/registry/types';
export { applyEdits } from '../server/src/service/edit/applyEdits';

/** Settings with overrides in the same shape as `.k8s-image-lint.yaml`. */
export function settingsWith(raw: Record<string, unknown> = {}): Settings {
  return fromRaw(raw, defaultSettings());
}

export function analyzeText(text: string, raw: Record<string, unknown> = {}): Analysis {
  return analyze(text, settingsWith(raw));
}

/**
 * Strips cursor markers from fixture text. `|` marks a cursor offset; `[[`…`]]` marks an expected range.
 * Use only in fixtures that contain no literal `|` (block scalars) or `[[`.
 *
 * @example markers('image: [[nginx]]') -> { text: 'image: nginx', ranges: [{start: 7, end: 12}], cursors: [] }
 */
export function markers(src: string): { text: string; cursors: number[]; ranges: { start: number; end: number }[] } {
  let text = '';
  const cursors: number[] = [];
  const ranges: { start: number; end: number }[] = [];
  const open: number[] = [];
  for (let i = 0; i < src.length; i++) {
    if (src.startsWith('[[', i)) { open.push(text.length); i++; continue; }
    if (src.startsWith(']]', i)) { ranges.push({ start: open.pop()!, end: text.length }); i++; continue; }
    if (src[i] === '|') { cursors.push(text.length); continue; }
    text += src[i];
  }
  return { text, cursors, ranges };
}

/** Joins lines with `\n` and a trailing newline: `yaml('a: 1', 'b: 2')`. */
export function yaml(...lines: string[]): string {
  return lines.join('\n') + '\n';
}

/**
 * A workspace index of in-memory files (URI → text), for multi-file fixtures. URIs are `file:///w/…` so that
 * kustomizations resolve their relative resources.
 *
 * @example const ws = workspace({ 'file:///w/secret.yaml': SECRET, 'file:///w/deploy.yaml': DEPLOY })
 */
export function workspace(files: Record<string, string>): WorkspaceIndex {
  const index = new WorkspaceIndex();
  for (const [uri, text] of Object.entries(files)) index.update(uri, text);
  return index;
}

/** Analyses `files[uri]` within the workspace of all `files` (or `index`, when given). */
export function analyzeIn(files: Record<string, string>, uri: string, raw: Record<string, unknown> = {}, index: WorkspaceIndex = workspace(files)): Analysis {
  return analyze(files[uri], settingsWith(raw), { uri, workspace: index });
}

/** Base64 of a UTF-8 string, as a Secret's `data` holds it. */
export function b64(s: string): string {
  return Buffer.from(s, 'utf8').toString('base64');
}

/** A `kubernetes.io/dockerconfigjson` Secret with credentials for `registries` (the `auth` strings hold `secret`). */
export function dockerSecret(name: string, registries: string[], opts: { namespace?: string; secret?: string } = {}): string {
  const auths = Object.fromEntries(registries.map((r) => [r, { auth: b64(`robot:${opts.secret ?? 'hunter2'}`) }]));
  return yaml(
    'apiVersion: v1', 'kind: Secret', 'metadata:', `  name: ${name}`, ...(opts.namespace ? [`  namespace: ${opts.namespace}`] : []),
    'type: kubernetes.io/dockerconfigjson', 'data:', `  .dockerconfigjson: ${b64(JSON.stringify({ auths }))}`,
  );
}

/** A Deployment `web` whose pod spec holds `podLines` (indented like `containers:`), in `namespace` when given. */
export function deploymentWith(podLines: string[], namespace?: string): string {
  return yaml(
    'apiVersion: apps/v1', 'kind: Deployment', 'metadata:', '  name: web', ...(namespace ? [`  namespace: ${namespace}`] : []),
    'spec:', '  template:', '    spec:', ...podLines.map((l) => `      ${l}`),
  );
}

/**
 * The containers the LSP and editor tests lint, as lines of a `containers:` list at column 0 (indent them to
 * where the list sits): `web` on `nginx:latest` with no policy (latest-tag, implicit-pull-policy) and `sidecar`
 * with its policy spelled in the wrong case (invalid-pull-policy).
 */
export const FLAWED_CONTAINERS = [
  '- name: web',
  '  image: nginx:latest',
  '- name: sidecar',
  '  image: busybox:1.36',
  '  imagePullPolicy: always',
];

/**
 * A registry client that knows `manifests` (by `domain/path:tag` or `domain/path@digest`; null: the registry says
 * it does not exist) and answers from that alone, as a client whose cache holds those answers: for rules that read
 * only what the client already knows. The real registry is tested in test/registry/.
 */
export function knownRegistry(manifests: Record<string, ManifestDescription | null>): RegistryClient {
  const key = (ref: ManifestRef) => `${ref.domain}/${ref.path}${ref.reference.includes(':') ? '@' : ':'}${ref.reference}`;
  const answer = (ref: ManifestRef): RegistryResult<ManifestDescription> | undefined => {
    const v = manifests[key(ref)];
    if (v === undefined) return undefined;
    return v === null ? { ok: false, error: { kind: 'not-found', message: `${ref.domain}/${ref.path} has no tag ${ref.reference}.` } } : { ok: true, value: v, fetchedAt: 0 };
  };
  const offline = { ok: false as const, error: { kind: 'offline' as const, message: 'offline' } };
  return {
    resolveDigest: async (ref) => answer(ref) ?? offline,
    listTags: async () => offline,
    exists: async (ref) => {
      const a = answer(ref);
      return a ? { ok: true, value: a.ok, fetchedAt: 0 } : offline;
    },
    cachedDigest: answer,
    describe: async (ref) => answer(ref) ?? offline,
    cachedDescription: answer,
  };
}

/** A single image's description (a `linux/amd64` one by default). */
export function singleImage(digest: string, os = 'linux', architecture = 'amd64'): ManifestDescription {
  return { digest, mediaType: 'application/vnd.oci.image.manifest.v1+json', multiArch: false, children: [], platform: { os, architecture } };
}

/** An index over `children` (digest → `os/arch`). */
export function imageIndex(digest: string, children: Record<string, string>): ManifestDescription {
  return {
    digest, mediaType: 'application/vnd.oci.image.index.v1+json', multiArch: true, platform: null,
    children: Object.entries(children).map(([d, p]) => ({ digest: d, platform: { os: p.split('/')[0], architecture: p.split('/')[1] } })),
  };
}
