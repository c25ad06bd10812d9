/**
 * Kustomize, as far as images and namespaces go, without running it: reading a kustomization
 * (`resources`, `bases`, `components`, `images`, `namespace`, `secretGenerator`) and the image rewrite of
 * sigs.k8s.io/kustomize `api/filters/imagetag/updater.go` with `api/image/image.go` (`IsImageMatched`, `Split`).
 */
import { isMap, isScalar, isSeq, type Document, type Scalar, type YAMLMap } from 'yaml';
import type { ManifestFile } from '../parse/manifests';
import { isTemplated } from '../parse/manifests';
import { pairOf, rangeOf, seqAt, stringAt } from '../parse/yamlNodes';
import type { OffsetRange } from '../types';
import { DOCKER_CFG, DOCKER_CONFIG_JSON, type PullSecretPayload } from './pullSecretPayload';
import type { KustomizationInfo, KustomizeImage, SecretInfo, SourceLocation } from './types';
import { baseName, isKustomizationName } from './uris';

const KUSTOMIZE_API = /^kustomize\.config\.k8s\.io\//;

/** One `images:` field as written, for linting: its value and the range of the value scalar. */
export interface KustomizeImageField {
  value: string;
  range: OffsetRange;
  templated: boolean;
}

/** An `images:` entry with the fields a rule looks at. */
export interface KustomizeImageSite {
  node: YAMLMap;
  name: KustomizeImageField | null;
  newName: KustomizeImageField | null;
  newTag: KustomizeImageField | null;
  digest: KustomizeImageField | null;
  tagSuffix: KustomizeImageField | null;
}

/**
 * The kustomization document of a file, or null: the first document of a file named `kustomization.yaml`,
 * `kustomization.yml` or `Kustomization` (kustomize's names; `apiVersion`/`kind` are optional there), or a
 * document whose `apiVersion` is `kustomize.config.k8s.io/…` and `kind` Kustomization or Component.
 */
export function kustomizationRoot(file: ManifestFile, uri: string | null): { map: YAMLMap; kind: 'Kustomization' | 'Component' } | null {
  const byName = uri !== null && isKustomizationName(baseName(uri.replace(/[?#].*$/, '')));
  const first = file.docs[0]?.contents;
  if (byName && isMap(first)) {
    const kind = stringAt(first, 'kind');
    return { map: first, kind: kind === 'Component' ? 'Component' : 'Kustomization' };
  }
  // A declared one is a document root with both fields, so it is among the file's objects (cheaper than every document).
  for (const obj of file.objects) {
    if ((obj.kind === 'Kustomization' || obj.kind === 'Component') && KUSTOMIZE_API.test(obj.apiVersion) && obj.node === obj.doc.contents) {
      return { map: obj.node, kind: obj.kind };
    }
  }
  return null;
}

function strings(map: YAMLMap, key: string): string[] {
  return (seqAt(map, key)?.items ?? []).flatMap((i) => (isScalar(i) && typeof i.value === 'string' && !isTemplated(i.value) ? [i.value] : []));
}

/**
 * A field's value as kustomize reads it into a string: a plain `1.20` stays `1.20` (Go's YAML decoder keeps
 * the scalar's text for a string field), so non-string scalars are taken from the source text.
 */
function field(text: string, map: YAMLMap, key: string): KustomizeImageField | null {
  const v = pairOf(map, key)?.value;
  if (!isScalar(v) || v.range === undefined || v.value === null) return null;
  const range = rangeOf(v as Scalar);
  const value = typeof v.value === 'string' ? v.value : text.slice(range.start, range.end);
  return { value, range, templated: isTemplated(value) };
}

/** The `images:` entries of a kustomization, with their fields' ranges. */
export function kustomizeImageSites(root: YAMLMap, text: string): KustomizeImageSite[] {
  return (seqAt(root, 'images')?.items ?? []).flatMap((item) => {
    if (!isMap(item)) return [];
    const f = (key: string) => field(text, item, key);
    return [{ node: item, name: f('name'), newName: f('newName'), newTag: f('newTag'), digest: f('digest'), tagSuffix: f('tagSuffix') }];
  });
}

/** The kustomization facts the index keeps, plus the Secrets its `secretGenerator` makes. */
export function readKustomization(root: YAMLMap, kind: 'Kustomization' | 'Component', text: string, locate: (range: OffsetRange) => SourceLocation): { info: KustomizationInfo; generated: SecretInfo[] } {
  const namespaceValue = stringAt(root, 'namespace');
  const namespace = namespaceValue && !isTemplated(namespaceValue) ? namespaceValue : null;
  const images: KustomizeImage[] = kustomizeImageSites(root, text).map((site) => ({
    name: site.name?.value ?? null,
    newName: site.newName?.value ?? null,
    newTag: site.newTag?.value ?? null,
    digest: site.digest?.value ?? null,
    tagSuffix: site.tagSuffix?.value ?? null,
    location: locate(site.name?.range ?? rangeOf(site.node)),
  }));
  const info: KustomizationInfo = {
    kind,
    namespace,
    resources: [...strings(root, 'resources'), ...strings(root, 'bases')],
    components: strings(root, 'components'),
    images,
    patches: patchFiles(root),
  };
  return { info, generated: generatedSecrets(root, locate) };
}

/**
 * The files a kustomization applies as patches: `patches[].path` and `patchesJson6902[].path`, and the
 * `patchesStrategicMerge` entries that are file names (an entry may also be an inline patch).
 */
function patchFiles(root: YAMLMap): string[] {
  const paths = (key: string) => (seqAt(root, key)?.items ?? []).flatMap((item) => {
    const path = isMap(item) ? stringAt(item, 'path') : undefined;
    return path && !isTemplated(path) ? [path] : [];
  });
  const named = strings(root, 'patchesStrategicMerge').filter((p) => !p.includes('\n') && !/^\s*(?:apiVersion|kind)\s*:/m.test(p));
  return [...paths('patches'), ...paths('patchesJson6902'), ...named];
}

/** `secretGenerator` entries as Secrets. Payloads read from files or env files cannot be judged here. */
function generatedSecrets(root: YAMLMap, locate: (range: OffsetRange) => SourceLocation): SecretInfo[] {
  const out: SecretInfo[] = [];
  for (const item of seqAt(root, 'secretGenerator')?.items ?? []) {
    if (!isMap(item)) continue;
    const nameNode = pairOf(item, 'name')?.value;
    if (!isScalar(nameNode) || typeof nameNode.value !== 'string' || nameNode.value === '' || isTemplated(nameNode.value)) continue;
    const typeValue = stringAt(item, 'type');
    const type = typeValue === undefined || typeValue === '' ? 'Opaque' : typeValue;
    const literals = new Map<string, string>();
    for (const l of strings(item, 'literals')) {
      const eq = l.indexOf('=');
      if (eq > 0) literals.set(l.slice(0, eq), l.slice(eq + 1));
    }
    const fileKeys = strings(item, 'files').map((f) => {
      const eq = f.indexOf('=');
      return eq > 0 ? f.slice(0, eq) : f.slice(f.replace(/\\/g, '/').lastIndexOf('/') + 1);
    });
    const hasEnvs = strings(item, 'envs').length > 0 || stringAt(item, 'env') !== undefined;
    out.push({
      name: nameNode.value,
      namespace: stringAt(item, 'namespace') ?? null,
      type,
      payload: generatorPayload(type, literals, fileKeys, hasEnvs),
      location: locate(rangeOf(nameNode)),
      origin: 'generator',
    });
  }
  return out;
}

function generatorPayload(type: string, literals: Map<string, string>, fileKeys: string[], hasEnvs: boolean): PullSecretPayload {
  const key = type === DOCKER_CONFIG_JSON ? '.dockerconfigjson' : type === DOCKER_CFG ? '.dockercfg' : null;
  const keys = [...literals.keys(), ...fileKeys];
  if (key === null) {
    if (isTemplated(type)) return { status: 'unknown', why: 'its type is a template' };
    const docker = keys.includes('.dockerconfigjson') || keys.includes('.dockercfg');
    return {
      status: 'unusable',
      problem: docker
        ? `is generated with type \`${type}\` (the default is \`Opaque\`); add \`type: ${DOCKER_CONFIG_JSON}\` to its secretGenerator entry, the kubelet only reads pull credentials from the docker types`
        : `is generated with type \`${type}\`; the kubelet only uses Secrets of type \`${DOCKER_CONFIG_JSON}\` or \`${DOCKER_CFG}\` for pulls`,
    };
  }
  if (fileKeys.includes(key)) return { status: 'unknown', why: `its \`${key}\` is read from a file when kustomize builds it` };
  const literal = literals.get(key);
  if (literal !== undefined) {
    try {
      const parsed: unknown = JSON.parse(literal);
      const auths = type === DOCKER_CONFIG_JSON && typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>).auths : parsed;
      if (typeof auths === 'object' && auths !== null && !Array.isArray(auths)) return { status: 'usable', registries: Object.keys(auths) };
      return { status: 'unusable', problem: `has a \`${key}\` literal without an \`auths\` object of registries` };
    } catch {
      return { status: 'unusable', problem: `has a \`${key}\` literal that is not valid JSON` };
    }
  }
  if (hasEnvs) return { status: 'unknown', why: 'its keys come from an env file when kustomize builds it' };
  return { status: 'unusable', problem: `is generated without a \`${key}\` key, which type \`${type}\` requires (e.g. \`files: [${key}=config.json]\`)` };
}

// ─── The image rewrite ───────────────────────────────────────────────────────────────────────────────────

/**
 * kustomize `image.IsImageMatched(s, t)`: `^` + t + `(:[a-zA-Z0-9_.{}-]*)?(@sha256:[a-zA-Z0-9_.{}-]*)?$`, with
 * the entry's `name` used as a regular expression as written (so a `.` in it matches any character). No Docker
 * normalization: `nginx` does not match `docker.io/library/nginx`.
 */
export function kustomizeImageMatches(image: string, name: string): boolean {
  const re = nameRegExp(name);
  return re !== null && re.test(image);
}

const nameRegExps = new Map<string, RegExp | null>();

/**
 * The entry's name as kustomize's pattern. Image names hold no regex syntax but `.`, which keeps its "any
 * character" meaning as in kustomize; any other metacharacter is taken literally, so a name from a file can
 * never be a pathological pattern (`a{99999999}`) that stalls or exhausts the process.
 */
function nameRegExp(name: string): RegExp | null {
  let re = nameRegExps.get(name);
  if (re !== undefined) return re;
  const body = name.length > 1024 ? null : name.replace(/[\\^$*+?()[\]{}|/]/g, '\\$&');
  re = body === null ? null : new RegExp(`^${body}(:[a-zA-Z0-9_.{}-]*)?(@sha256:[a-zA-Z0-9_.{}-]*)?$`);
  if (nameRegExps.size > 1000) nameRegExps.clear();
  nameRegExps.set(name, re);
  return re;
}

/**
 * kustomize `image.Split`: name, tag and digest of an image string, looking for `:` only after the first `/`
 * (a registry port is not a tag) and for `@` anywhere after it.
 *
 * @example kustomizeSplit('localhost:5000/app:1@sha256:ab') → { name: 'localhost:5000/app', tag: '1', digest: 'sha256:ab' }
 */
export function kustomizeSplit(image: string): { name: string; tag: string; digest: string } {
  let slash = image.indexOf('/');
  const search = slash > 0 ? image.slice(slash) : image;
  if (slash <= 0) slash = 0;
  let id = search.indexOf('@');
  let ic = search.indexOf(':');
  if (ic < 0 && id < 0) return { name: image, tag: '', digest: '' };
  if (id >= 0 && (id < ic || ic < 0)) {
    id += slash;
    return { name: image.slice(0, id), tag: '', digest: image.slice(id + 1) };
  }
  if (id >= 0 && ic >= 0) {
    id += slash;
    ic += slash;
    return { name: image.slice(0, ic), tag: image.slice(ic + 1, id), digest: image.slice(id + 1) };
  }
  ic += slash;
  return { name: image.slice(0, ic), tag: image.slice(ic + 1), digest: '' };
}

/**
 * The image after one `images:` entry (`imageTagUpdater.SetImageValue`), or null when the entry does not match
 * it. `newName` replaces the name; `newTag` and/or `digest` replace both the original tag and digest; without
 * them, `tagSuffix` is appended to the original tag (to nothing when there is none) and drops the digest.
 *
 * @example applyKustomizeImage('nginx:1.25', { name: 'nginx', newName: null, newTag: '1.27', digest: null }) === 'nginx:1.27'
 * @example applyKustomizeImage('nginx:1.25', { name: 'nginx', newName: null, newTag: null, digest: null, tagSuffix: '-debug' }) === 'nginx:1.25-debug'
 */
export function applyKustomizeImage(image: string, entry: Pick<KustomizeImage, 'name' | 'newName' | 'newTag' | 'digest'> & { tagSuffix?: string | null }): string | null {
  if (entry.name === null || entry.name === '' || !kustomizeImageMatches(image, entry.name)) return null;
  let { name, tag, digest } = kustomizeSplit(image);
  if (entry.newName) name = entry.newName;
  if (entry.newTag && entry.digest) {
    tag = entry.newTag;
    digest = entry.digest;
  } else if (entry.newTag) {
    tag = entry.newTag;
    digest = '';
  } else if (entry.digest) {
    tag = '';
    digest = entry.digest;
  } else if (entry.tagSuffix) {
    tag += entry.tagSuffix;
    digest = '';
  }
  if (tag !== '') name += `:${tag}`;
  if (digest !== '') name += `@${digest}`;
  return name;
}

/** True for a `namespace` map value under `metadata` that is a plain string. */
export function explicitNamespace(metadata: YAMLMap | undefined): string | null {
  const ns = metadata ? stringAt(metadata, 'namespace') : undefined;
  return ns !== undefined && ns !== '' && !isTemplated(ns) ? ns : null;
}
