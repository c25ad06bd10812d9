/**
 * The platforms a pod may run on, as its spec constrains them — `nodeSelector` on `kubernetes.io/arch` and
 * `kubernetes.io/os` (and the legacy `beta.kubernetes.io/*` labels), a required node affinity on those labels —
 * else the `platforms` setting; and whether an image offers one of them. Unknown stays unknown: a templated
 * selector, an operator this does not model (`NotIn`, `Gt`), or no constraint and no setting gives null.
 */
import { isMap, isScalar, isSeq, type YAMLMap } from 'yaml';
import type { PodSpecSite } from '../parse/podSpecs';
import type { Settings } from '../settings';
import type { ManifestDescription, Platform } from './types';

/** A platform the pod may run on; null parts are not constrained. */
export interface NeededPlatform {
  os: string | null;
  architecture: string | null;
  variant: string | null;
}

export interface PlatformNeed {
  platforms: NeededPlatform[];
  /** What says so, for messages: `nodeSelector`, `node affinity`, or the `platforms` setting. */
  source: 'nodeSelector' | 'node affinity' | 'nodeSelector and node affinity' | 'platforms setting';
}

const ARCH = ['kubernetes.io/arch', 'beta.kubernetes.io/arch'];
const OS = ['kubernetes.io/os', 'beta.kubernetes.io/os'];

/** A set of allowed values (null: any), or undefined when it cannot be known. */
type Allowed = Set<string> | null | undefined;

/** The platforms the pod may run on, or null when nothing says (or what says it cannot be read). */
export function podPlatforms(pod: PodSpecSite, settings: Settings): PlatformNeed | null {
  const spec = pod.podSpec;
  const selector = fromSelector(spec.get('nodeSelector', true));
  const affinity = fromAffinity(spec);
  if (selector === undefined || affinity === undefined) return null;
  const arch = intersect(selector.arch, affinity.arch);
  const os = intersect(selector.os, affinity.os);
  if (arch === undefined || os === undefined) return null;
  if (arch === null && os === null) return fromSetting(settings);
  const platforms: NeededPlatform[] = [];
  for (const o of os === null ? [null] : [...os]) for (const a of arch === null ? [null] : [...arch]) platforms.push({ os: o, architecture: a, variant: null });
  if (platforms.length === 0) return null;
  const bySelector = selector.arch !== null || selector.os !== null;
  const byAffinity = affinity.arch !== null || affinity.os !== null;
  return { platforms, source: bySelector && byAffinity ? 'nodeSelector and node affinity' : bySelector ? 'nodeSelector' : 'node affinity' };
}

function fromSetting(settings: Settings): PlatformNeed | null {
  const platforms = settings.platforms.flatMap((p): NeededPlatform[] => {
    const [os, architecture, variant] = p.trim().split('/');
    return os && architecture ? [{ os, architecture, variant: variant ?? null }] : [];
  });
  return platforms.length ? { platforms, source: 'platforms setting' } : null;
}

function fromSelector(node: unknown): { arch: Allowed; os: Allowed } | undefined {
  if (node === undefined || node === null || (isScalar(node) && node.value === null)) return { arch: null, os: null };
  if (!isMap(node)) return undefined;
  const read = (keys: string[]): Allowed => {
    let out: Allowed = null;
    for (const key of keys) {
      const v = (node as YAMLMap).get(key, true);
      if (v === undefined) continue;
      if (!isScalar(v) || typeof v.value !== 'string' || v.value.includes('{{')) return undefined;
      out = intersect(out, new Set([v.value]));
    }
    return out;
  };
  return { arch: read(ARCH), os: read(OS) };
}

/** Required node affinity: terms are ORed, a term's expressions ANDed; `In` on the labels constrains. */
function fromAffinity(spec: YAMLMap): { arch: Allowed; os: Allowed } | undefined {
  const required = path(spec, ['affinity', 'nodeAffinity', 'requiredDuringSchedulingIgnoredDuringExecution', 'nodeSelectorTerms']);
  if (required === undefined) return { arch: null, os: null };
  if (!isSeq(required)) return undefined;
  let arch: Allowed = new Set();
  let os: Allowed = new Set();
  if (required.items.length === 0) return { arch: null, os: null };
  for (const term of required.items) {
    if (!isMap(term)) return undefined;
    const t = { arch: null as Allowed, os: null as Allowed };
    const exprs = term.get('matchExpressions', true);
    for (const e of isSeq(exprs) ? exprs.items : []) {
      if (!isMap(e)) return undefined;
      const key = e.get('key');
      const which = ARCH.includes(String(key)) ? 'arch' : OS.includes(String(key)) ? 'os' : null;
      if (!which) continue;
      const operator = e.get('operator');
      const values = e.get('values', true);
      if (operator === 'Exists') continue;
      if (operator !== 'In' || !isSeq(values)) return undefined;
      const set = new Set<string>();
      for (const v of values.items) {
        if (!isScalar(v) || typeof v.value !== 'string' || v.value.includes('{{')) return undefined;
        set.add(v.value);
      }
      t[which] = intersect(t[which], set);
    }
    arch = union(arch, t.arch);
    os = union(os, t.os);
  }
  return { arch, os };
}

function path(map: YAMLMap, keys: string[]): unknown {
  let cur: unknown = map;
  for (const k of keys) {
    if (!isMap(cur)) return undefined;
    cur = cur.get(k, true);
    if (cur === undefined) return undefined;
  }
  return cur;
}

function intersect(a: Allowed, b: Allowed): Allowed {
  if (a === undefined || b === undefined) return undefined;
  if (a === null) return b;
  if (b === null) return a;
  return new Set([...a].filter((x) => b.has(x)));
}

function union(a: Allowed, b: Allowed): Allowed {
  if (a === undefined || b === undefined) return undefined;
  if (a === null || b === null) return null;
  return new Set([...a, ...b]);
}

/** Whether an image platform serves a needed one (`arm64` images are `v8` when they say nothing). */
export function serves(p: Platform, need: NeededPlatform): boolean {
  if (need.os !== null && need.os !== p.os) return false;
  if (need.architecture !== null && need.architecture !== p.architecture) return false;
  if (need.variant === null) return true;
  return (p.variant ?? (p.architecture === 'arm64' ? 'v8' : null)) === need.variant;
}

/** The platforms the pod needs that one of the image's platforms serves. */
export function servedOf(need: PlatformNeed, has: readonly Platform[]): NeededPlatform[] {
  return need.platforms.filter((n) => has.some((p) => serves(p, n)));
}

/** The platforms an image offers: an index's children, or the single image's own; [] when not known. */
export function offered(d: ManifestDescription): Platform[] {
  return d.multiArch ? d.children.map((c) => c.platform) : d.platform ? [d.platform] : [];
}

/** `linux/arm64/v8`, `windows/amd64`; `arm64` or `linux` alone for what is not constrained. */
export function platformText(p: Platform | NeededPlatform): string {
  return [p.os, p.architecture, p.variant ?? null].filter((x) => x !== null && x !== undefined).join('/');
}

/** True when the pod may run on more than one platform. */
export function several(need: PlatformNeed): boolean {
  return need.platforms.length > 1 || need.platforms.some((p) => p.architecture === null);
}
