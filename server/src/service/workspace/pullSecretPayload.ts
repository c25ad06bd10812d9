/**
 * What a Secret offers the kubelet for pulls, read the way `pkg/credentialprovider/secrets/secrets.go`
 * (`secretsToTrackedDockerConfigs`) and `pkg/credentialprovider/config.go` (`DockerConfigJSON`,
 * `DockerConfigEntry.UnmarshalJSON`) read it, and as `pkg/apis/core/validation` (`ValidateSecret`) admits it.
 *
 * The result keeps only the registry keys of `auths`. Usernames, passwords, `auth` strings and tokens are
 * decoded only to be checked, and never leave this module: not in results, not in problem texts.
 */
import { isScalar, type YAMLMap } from 'yaml';
import { isTemplated } from '../parse/manifests';
import { mapAt, pairOf } from '../parse/yamlNodes';

export const DOCKER_CONFIG_JSON = 'kubernetes.io/dockerconfigjson';
export const DOCKER_CFG = 'kubernetes.io/dockercfg';
const KEY_OF: Record<string, string> = { [DOCKER_CONFIG_JSON]: '.dockerconfigjson', [DOCKER_CFG]: '.dockercfg' };

/** What the kubelet can do with a Secret named in `imagePullSecrets`. */
export type PullSecretPayload =
  /** Usable: credentials for these `auths` keys (as written; may be empty). */
  | { status: 'usable'; registries: string[] }
  /** Not usable for pulls; `problem` is a sentence fragment that never quotes the payload. */
  | { status: 'unusable'; problem: string }
  /** The type is right but the payload cannot be read here (a template, a file of a secretGenerator). */
  | { status: 'unknown'; why: string };

/**
 * Judges a Secret object. `type` defaults to `Opaque`. For the two docker types the payload must be under the
 * type's own key (`.dockerconfigjson` / `.dockercfg`) in `data` (base64) or `stringData` (plain; it wins over
 * `data`), be JSON, and for `dockerconfigjson` hold an `auths` object; each entry must decode as the kubelet's
 * DockerConfigEntry does, or the kubelet fails the whole pod's credential lookup.
 */
export function readPullSecret(node: YAMLMap): { type: string; payload: PullSecretPayload } {
  const typeNode = pairOf(node, 'type')?.value;
  const typeValue = isScalar(typeNode) && typeof typeNode.value === 'string' ? typeNode.value : null;
  const type = typeValue === null || typeValue === '' ? 'Opaque' : typeValue;
  if (isTemplated(type)) return { type, payload: { status: 'unknown', why: 'its type is a template' } };
  const data = mapAt(node, 'data');
  const stringData = mapAt(node, 'stringData');
  const key = KEY_OF[type];
  if (key === undefined) return { type, payload: { status: 'unusable', problem: wrongTypeProblem(type, data, stringData) } };
  const text = payloadText(key, data, stringData);
  if (text.kind === 'missing') {
    const other = key === '.dockerconfigjson' ? '.dockercfg' : '.dockerconfigjson';
    const hint = text.otherKeys.includes(other) ? ` (it has \`${other}\`, the key of the other docker type)` : '';
    return { type, payload: { status: 'unusable', problem: `has no \`${key}\` key${hint}, which type \`${type}\` requires; the API server rejects it` } };
  }
  if (text.kind === 'unknown') return { type, payload: { status: 'unknown', why: text.why } };
  if (text.kind === 'bad-base64') {
    return { type, payload: { status: 'unusable', problem: `has a \`data.${key}\` value that is not valid base64 (put plain JSON under \`stringData\` instead)` } };
  }
  return { type, payload: judgeJson(type, key, text.value) };
}

/** The payload text of `key`: stringData (plain) wins over data (base64). */
function payloadText(key: string, data: YAMLMap | undefined, stringData: YAMLMap | undefined):
  | { kind: 'ok'; value: string }
  | { kind: 'missing'; otherKeys: string[] }
  | { kind: 'unknown'; why: string }
  | { kind: 'bad-base64' } {
  const plain = stringData ? pairOf(stringData, key) : undefined;
  const encoded = data ? pairOf(data, key) : undefined;
  const pick = plain ?? encoded;
  if (!pick) return { kind: 'missing', otherKeys: [...keysOf(data), ...keysOf(stringData)] };
  const v = pick.value;
  if (!isScalar(v) || typeof v.value !== 'string') {
    // `key:` with no value, or a number: both are "" or invalid to the API; treat as an empty payload.
    if (isScalar(v) && v.value === null) return { kind: 'ok', value: '' };
    return { kind: 'unknown', why: 'its payload is not a plain string here' };
  }
  if (isTemplated(v.value)) return { kind: 'unknown', why: 'its payload is a template' };
  if (pick === plain) return { kind: 'ok', value: v.value };
  const decoded = decodeBase64(v.value);
  return decoded === null ? { kind: 'bad-base64' } : { kind: 'ok', value: decoded };
}

function keysOf(map: YAMLMap | undefined): string[] {
  return (map?.items ?? []).flatMap((p) => (isScalar(p.key) && typeof p.key.value === 'string' ? [p.key.value] : []));
}

function wrongTypeProblem(type: string, data: YAMLMap | undefined, stringData: YAMLMap | undefined): string {
  const keys = [...keysOf(data), ...keysOf(stringData)];
  const has = (k: string) => keys.includes(k);
  if (type === 'Opaque' && (has('username') || has('password'))) {
    return `is an \`Opaque\` Secret with \`username\`/\`password\` keys; the kubelet only uses Secrets of type \`${DOCKER_CONFIG_JSON}\` (key \`.dockerconfigjson\`) or \`${DOCKER_CFG}\` (key \`.dockercfg\`) for pulls`;
  }
  if (has('.dockerconfigjson') || has('.dockercfg')) {
    const want = has('.dockerconfigjson') ? DOCKER_CONFIG_JSON : DOCKER_CFG;
    return `holds a docker config but has type \`${type}\`, not \`${want}\`; the kubelet only reads pull credentials from Secrets of the docker types`;
  }
  return `has type \`${type}\`; the kubelet only uses Secrets of type \`${DOCKER_CONFIG_JSON}\` (key \`.dockerconfigjson\`) or \`${DOCKER_CFG}\` (key \`.dockercfg\`) for pulls`;
}

/** The JSON checks of ValidateSecret (well-formed JSON) and of the kubelet's decoding (auths and entries). */
function judgeJson(type: string, key: string, text: string): PullSecretPayload {
  if (text.length === 0) {
    // The kubelet skips an empty payload (`len(bytes) > 0`), and the API rejects it as invalid JSON.
    return { status: 'unusable', problem: `has an empty \`${key}\`` };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { status: 'unusable', problem: `has a \`${key}\` that is not valid JSON; the API server rejects it` };
  }
  let auths: unknown;
  if (type === DOCKER_CONFIG_JSON) {
    if (!isObject(parsed)) return { status: 'unusable', problem: `has a \`${key}\` that is not a JSON object` };
    const found = Object.keys(parsed).find((k) => k.toLowerCase() === 'auths');
    if (found === undefined || parsed[found] === null) {
      return { status: 'unusable', problem: `has a \`${key}\` without an \`auths\` object, so it holds credentials for no registry (\`{"auths": {"<registry>": {…}}}\` is the format)` };
    }
    auths = parsed[found];
  } else auths = parsed;
  if (!isObject(auths)) {
    return { status: 'unusable', problem: `has ${type === DOCKER_CONFIG_JSON ? '`auths`' : `a \`${key}\``} that is not a JSON object of registries; the kubelet cannot read it and fails the pod's pulls` };
  }
  for (const [registry, entry] of Object.entries(auths)) {
    const bad = entryProblem(entry);
    if (bad !== null) {
      return { status: 'unusable', problem: `has an entry for \`${registry}\` that ${bad}; the kubelet cannot decode it and fails the pod's pulls` };
    }
  }
  return { status: 'usable', registries: Object.keys(auths) };
}

/**
 * DockerConfigEntry.UnmarshalJSON: string `username`, `password`, `email`, `auth` (Go matches field names
 * case-insensitively); a non-empty `auth` must be base64 of `user:password`. Returns why not, or null.
 */
function entryProblem(entry: unknown): string | null {
  if (entry === null) return null;
  if (!isObject(entry)) return 'is not a JSON object';
  for (const [k, v] of Object.entries(entry)) {
    const field = k.toLowerCase();
    if (['username', 'password', 'email', 'auth'].includes(field) && v !== null && typeof v !== 'string') {
      return `has a \`${k}\` that is not a string`;
    }
  }
  const authKey = Object.keys(entry).find((k) => k.toLowerCase() === 'auth');
  const auth = authKey === undefined ? null : entry[authKey];
  if (typeof auth === 'string' && auth.length > 0) {
    const decoded = decodeBase64(auth);
    if (decoded === null) return 'has an `auth` value that is not valid base64';
    if (!decoded.includes(':')) return 'has an `auth` value that does not decode to `username:password`';
  }
  return null;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const B64_INDEX = new Map([...B64].map((c, i) => [c, i]));

/**
 * Go's `base64.StdEncoding` (what `[]byte` fields decode with): padded, standard alphabet; `\r` and `\n` are
 * ignored. The bytes are read as UTF-8. Null when invalid.
 */
export function decodeBase64(value: string): string | null {
  const s = value.replace(/[\r\n]/g, '');
  if (s.length % 4 !== 0) return null;
  const bytes: number[] = [];
  for (let i = 0; i < s.length; i += 4) {
    const chunk = s.slice(i, i + 4);
    const pad = chunk.endsWith('==') ? 2 : chunk.endsWith('=') ? 1 : 0;
    if (pad > 0 && i + 4 !== s.length) return null;
    const vals = [...chunk.slice(0, 4 - pad)].map((c) => B64_INDEX.get(c));
    if (vals.some((v) => v === undefined)) return null;
    const [a, b, c = 0, d = 0] = vals as number[];
    const n = (a << 18) | (b << 12) | (c << 6) | d;
    bytes.push((n >> 16) & 255);
    if (pad < 2) bytes.push((n >> 8) & 255);
    if (pad < 1) bytes.push(n & 255);
  }
  return new TextDecoder().decode(new Uint8Array(bytes));
}

/** True for a map that is a Secret object's root (kind Secret, apiVersion v1). */
export function isSecretNode(kind: string, apiVersion: string): boolean {
  return kind === 'Secret' && apiVersion === 'v1';
}
