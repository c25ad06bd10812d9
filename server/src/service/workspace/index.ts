/**
 * The workspace index: pure data built from texts, one {@link FileEntry} per file, replaced file by file. The
 * language server fills it from the workspace folders and keeps it current from open documents and file
 * events; the CLI fills it from the paths it lints; tests from in-memory texts. Nothing here reads the disk.
 *
 * Besides lookups (Secrets and ServiceAccounts by name, with the namespaces they can land in; the images an
 * overlay makes of a base image), it tracks what changed: every update returns the dependency keys it
 * touched (`secret:<name>`, `sa:<name>`, `kustomize`) and bumps a generation, so callers can re-diagnose only
 * the files whose analysis looked those up.
 */
import { parseManifests } from '../parse/manifests';
import { Lines } from '../text/lines';
import { applyKustomizeImage } from './kustomize';
import { emptyEntry, extractEntry, mayContribute } from './extract';
import { globToRegExp } from '../text/glob';
import type { FileEntry, FileRole, KustomizationInfo, KustomizeImage, KustomizeRewrite, ResolvedSecret, ResolvedServiceAccount, SecretInfo, ServiceAccountInfo } from './types';
import { baseName, dirOf, docKey, isKustomizationName, KUSTOMIZATION_NAMES, resolvePath } from './uris';

export const KUSTOMIZE_DEP = 'kustomize';
/** A file named as a patch: `manager_auth_proxy_patch.yaml`, `patch-image.yaml`, `resources.patch.yaml`. */
const PATCH_NAME = /(?:^|[-_.])patch(?:es)?(?:[-_.]|$)/i;
/** Which files are patches or test assertions (kustomizations' `patches`, chainsaw Tests' assert files). */
export const ROLES_DEP = 'roles';
export const secretDep = (name: string): string => `secret:${name}`;
export const serviceAccountDep = (name: string): string => `sa:${name}`;

const DEFAULT_NAMESPACE = 'default';
/** Chains of kustomizations explored per lookup, so a pathological graph cannot stall a keystroke. */
const MAX_CHAINS = 64;

interface Located<T> {
  key: string;
  info: T;
}

export class WorkspaceIndex {
  private readonly entries = new Map<string, FileEntry>();
  private readonly secretsByName = new Map<string, Located<SecretInfo>[]>();
  private readonly accountsByName = new Map<string, Located<ServiceAccountInfo>[]>();
  private readonly kustomizations = new Map<string, KustomizationInfo>();
  private readonly assertionsBy = new Map<string, string[]>();
  /** File key → its role, and glob patterns of assertion files; built lazily after any change of either. */
  private roles: { exact: Map<string, FileRole>; patterns: { re: RegExp; role: FileRole }[] } | null = null;
  /** Kustomization graph: target key (a resource file, or a kustomization file for directories/components) → the kustomizations listing it. */
  private parents: Map<string, string[]> | null = null;
  private contextsMemo = new Map<string, (string | null)[]>();
  private readonly lastChanged = new Map<string, number>();
  private gen = 0;

  /** Increases whenever an update changes what lookups answer. */
  get generation(): number {
    return this.gen;
  }

  get size(): number {
    return this.entries.size;
  }

  has(uri: string): boolean {
    return this.entries.has(docKey(uri));
  }

  entry(uri: string): FileEntry | undefined {
    return this.entries.get(docKey(uri));
  }

  /** Keys of every indexed file. */
  keys(): IterableIterator<string> {
    return this.entries.keys();
  }

  /**
   * Indexes a text (parsing it only when it can contribute anything). Returns the dependency keys whose
   * answers changed; empty when the file's contribution is the same as before (an edit of a Deployment).
   */
  update(uri: string, text: string): string[] {
    const entry = mayContribute(uri, text) ? extractEntry(parseManifests(text), new Lines(text), uri) : emptyEntry(uri);
    return this.set(entry);
  }

  /** Replaces a file's entry with one extracted from an analysis (so an open document is parsed once). */
  set(entry: FileEntry): string[] {
    const old = this.entries.get(entry.key);
    const changed = changedDeps(old, entry);
    this.unlink(old);
    this.entries.set(entry.key, entry);
    this.link(entry);
    this.bump(changed);
    return changed;
  }

  /** Forgets a file. Returns the dependency keys whose answers changed. */
  remove(uri: string): string[] {
    const key = docKey(uri);
    const old = this.entries.get(key);
    if (!old) return [];
    const changed = changedDeps(old, undefined);
    this.unlink(old);
    this.entries.delete(key);
    this.bump(changed);
    return changed;
  }

  /** True when any of `deps` changed after generation `since`. */
  changedSince(deps: Iterable<string>, since: number): boolean {
    for (const d of deps) if ((this.lastChanged.get(d) ?? -1) > since) return true;
    return false;
  }

  private bump(changed: string[]): void {
    if (changed.length === 0) return;
    this.gen++;
    for (const d of changed) this.lastChanged.set(d, this.gen);
    if (changed.includes(KUSTOMIZE_DEP)) {
      this.parents = null;
      this.contextsMemo = new Map();
    }
    if (changed.includes(ROLES_DEP)) this.roles = null;
  }

  private link(entry: FileEntry): void {
    for (const s of entry.secrets) push(this.secretsByName, s.name, { key: entry.key, info: s });
    for (const a of entry.serviceAccounts) push(this.accountsByName, a.name, { key: entry.key, info: a });
    if (entry.kustomization) this.kustomizations.set(entry.key, entry.kustomization);
    if (entry.assertions.length > 0) this.assertionsBy.set(entry.key, entry.assertions);
  }

  private unlink(entry: FileEntry | undefined): void {
    if (!entry) return;
    this.assertionsBy.delete(entry.key);
    for (const s of entry.secrets) pull(this.secretsByName, s.name, entry.key);
    for (const a of entry.serviceAccounts) pull(this.accountsByName, a.name, entry.key);
    this.kustomizations.delete(entry.key);
  }

  // ── Lookups ────────────────────────────────────────────────────────────────────────────────────────

  /** Every Secret named `name`, except those of the file `exceptKey`. */
  secretsNamed(name: string, exceptKey?: string): ResolvedSecret[] {
    return (this.secretsByName.get(name) ?? []).filter((s) => s.key !== exceptKey).map((s) => this.resolveSecret(s.key, s.info));
  }

  /** Every Secret of the workspace, except those of `exceptKey`. */
  allSecrets(exceptKey?: string): ResolvedSecret[] {
    const out: ResolvedSecret[] = [];
    for (const list of this.secretsByName.values()) {
      for (const s of list) if (s.key !== exceptKey) out.push(this.resolveSecret(s.key, s.info));
    }
    return out;
  }

  serviceAccountsNamed(name: string, exceptKey?: string): ResolvedServiceAccount[] {
    return (this.accountsByName.get(name) ?? []).filter((a) => a.key !== exceptKey).map((a) => this.resolveAccount(a.key, a.info));
  }

  resolveSecret(key: string, info: SecretInfo): ResolvedSecret {
    const namespaces = info.origin === 'generator'
      ? this.contextsOf(key).map((p) => p ?? info.namespace ?? DEFAULT_NAMESPACE)
      : this.namespacesOf(key, info.namespace);
    return { ...info, key, namespaces: unique(namespaces) };
  }

  resolveAccount(key: string, info: ServiceAccountInfo): ResolvedServiceAccount {
    return { ...info, key, namespaces: this.namespacesOf(key, info.namespace) };
  }

  /**
   * The namespaces an object of file `key` can land in. Outside any kustomization: its `metadata.namespace`, or
   * `default`. Listed (directly or through bases and components) by kustomizations: for each chain up to an
   * outermost kustomization, the namespace of the outermost one that sets `namespace:` (kustomize's namespace
   * transformer overrides what the object says), else the object's own, else `default`.
   *
   * @example a base Deployment without namespace, used by an overlay with `namespace: prod` → ['prod']
   */
  namespacesOf(key: string, explicit: string | null): string[] {
    const parents = this.graph().get(key);
    if (!parents || parents.length === 0) return [explicit ?? DEFAULT_NAMESPACE];
    const out: string[] = [];
    for (const p of parents) for (const c of this.contextsOf(p)) out.push(c ?? explicit ?? DEFAULT_NAMESPACE);
    return unique(out);
  }

  /** The namespace overrides in force for resources listed directly by kustomization `key` (null: none). */
  private contextsOf(key: string, visiting: Set<string> = new Set()): (string | null)[] {
    const memo = this.contextsMemo.get(key);
    if (memo) return memo;
    const own = this.kustomizations.get(key)?.namespace ?? null;
    const parents = visiting.has(key) ? [] : this.graph().get(key) ?? [];
    visiting.add(key);
    const out = parents.length === 0 ? [own] : unique(parents.flatMap((p) => this.contextsOf(p, visiting).map((c) => c ?? own)));
    visiting.delete(key);
    this.contextsMemo.set(key, out);
    return out;
  }

  /** Target key → kustomization keys listing it, built lazily after any kustomization change. */
  private graph(): Map<string, string[]> {
    if (this.parents) return this.parents;
    const parents = new Map<string, string[]>();
    const kustomizationIn = (dir: string): string | null => {
      for (const name of KUSTOMIZATION_NAMES) {
        const k = `${dir}/${name}`;
        if (this.kustomizations.has(k)) return k;
      }
      return null;
    };
    for (const [key, k] of this.kustomizations) {
      const dir = dirOf(key);
      for (const ref of [...k.resources, ...k.components]) {
        if (isRemote(ref)) continue;
        const target = resolvePath(dir, ref);
        const child = kustomizationIn(target.replace(/\/+$/, '')) ?? target;
        if (child === key) continue;
        push(parents, child, key);
      }
    }
    this.parents = parents;
    return parents;
  }

  /**
   * What file `key` is, when it is not a set of objects to apply: a patch named by a kustomization (or
   * Component), or an assertion file named by a chainsaw Test. Null for every other file.
   */
  roleOf(key: string): FileRole {
    const roles = this.roleMap();
    const exact = roles.exact.get(key);
    if (exact) return exact;
    for (const p of roles.patterns) if (p.re.test(key)) return p.role;
    // Listed as a resource: applied. Otherwise a file beside a kustomization is applied only through it (`kubectl
    // apply -k`), so one it does not list — kubebuilder's commented-out `manager_webhook_patch.yaml` — is not;
    // nor is a file named or filed as a patch (`*_patch.yaml`, `patches/…`: kubeadm's, kind's, a script's).
    if (this.graph().has(key)) return null;
    const dir = dirOf(key);
    if (KUSTOMIZATION_NAMES.some((n) => this.kustomizations.has(`${dir}/${n}`))) return 'unlisted';
    if (PATCH_NAME.test(baseName(key)) || /\/patches\//.test(key)) return 'patch';
    return null;
  }

  private roleMap(): NonNullable<WorkspaceIndex['roles']> {
    if (this.roles) return this.roles;
    const roles: NonNullable<WorkspaceIndex['roles']> = { exact: new Map(), patterns: [] };
    const add = (dir: string, path: string, role: FileRole) => {
      if (isRemote(path)) return;
      const target = resolvePath(dir, path);
      if (!/[*?[{]/.test(path)) roles.exact.set(target, role);
      else {
        const re = globToRegExp(target);
        if (re) roles.patterns.push({ re, role });
      }
    };
    for (const [key, k] of this.kustomizations) for (const p of k.patches) add(dirOf(key), p, 'patch');
    for (const [key, list] of this.assertionsBy) for (const p of list) add(dirOf(key), p, 'assertion');
    this.roles = roles;
    return roles;
  }

  /** Kustomization keys that list file `key` directly. */
  parentsOf(key: string): string[] {
    return this.graph().get(key) ?? [];
  }

  kustomization(key: string): KustomizationInfo | undefined {
    return this.kustomizations.get(key);
  }

  /**
   * What each overlay makes of `image`, written in file `key`: for every chain of kustomizations from the
   * file's up to an outermost one, the image after each level's `images:` entries (its components' first,
   * then its own), inner levels first. Only chains that change the image are returned.
   */
  rewrites(key: string, image: string): KustomizeRewrite[] {
    const out: KustomizeRewrite[] = [];
    const walk = (level: string, value: string, via: KustomizeRewrite['via'], seen: Set<string>) => {
      if (out.length >= MAX_CHAINS) return;
      const steps = [...via];
      const current = this.applyLevel(level, value, steps);
      const up = (this.graph().get(level) ?? []).filter((p) => !seen.has(p));
      if (up.length === 0) {
        if (current !== image) out.push({ root: { key: level, uri: this.entries.get(level)?.uri ?? level }, image: current, via: steps });
        return;
      }
      for (const p of up) walk(p, current, steps, new Set([...seen, p]));
    };
    for (const p of this.graph().get(key) ?? []) walk(p, image, [], new Set([p]));
    return out;
  }

  /**
   * What the kustomization(s) listing file `key` directly make of `image` with their own `images:` entries (and
   * their components'): the base as its own kustomization builds it. Null when none changes it, or when two
   * direct parents disagree (then only the overlays' hover can say).
   */
  ownRewrite(key: string, image: string): KustomizeRewrite | null {
    let found: KustomizeRewrite | null = null;
    for (const p of this.graph().get(key) ?? []) {
      const via: KustomizeRewrite['via'] = [];
      const current = this.applyLevel(p, image, via);
      if (found && found.image !== current) return null;
      found ??= { root: { key: p, uri: this.entries.get(p)?.uri ?? p }, image: current, via };
    }
    return found && found.image !== image ? found : null;
  }

  /**
   * What {@link ownRewrite} depends on for file `key`: the `images:` entries of the kustomizations listing it
   * directly, as a string ('' when none lists it). Equal strings, equal rewrites.
   */
  ownImagesSignature(key: string): string {
    const parents = this.graph().get(key);
    if (!parents || parents.length === 0) return '';
    return JSON.stringify(parents.map((p) => {
      const k = this.kustomizations.get(p);
      return [p, k?.kind, k ? this.levelImages(p, k).map(([at, { location: _l, ...entry }]) => [at, entry]) : null];
    }));
  }

  /**
   * `image` after the `images:` entries applied at kustomization `level` (its components' first, then its own),
   * each entry that changed it appended to `via`. A Component's entries act on the kustomization including it.
   */
  private applyLevel(level: string, image: string, via: KustomizeRewrite['via']): string {
    const k = this.kustomizations.get(level);
    let current = image;
    if (!k || k.kind === 'Component') return current;
    for (const [entryKey, entry] of this.levelImages(level, k)) {
      const next = applyKustomizeImage(current, entry);
      if (next !== null && next !== current) {
        via.push({ key: entryKey, uri: this.entries.get(entryKey)?.uri ?? entryKey, entry });
        current = next;
      }
    }
    return current;
  }

  /** The `images:` entries applied at kustomization `key`: those of its components, then its own. */
  private levelImages(key: string, k: KustomizationInfo): [string, KustomizeImage][] {
    const out: [string, KustomizeImage][] = [];
    const dir = dirOf(key);
    for (const ref of k.components) {
      if (isRemote(ref)) continue;
      const target = resolvePath(dir, ref).replace(/\/+$/, '');
      for (const name of KUSTOMIZATION_NAMES) {
        const c = this.kustomizations.get(`${target}/${name}`);
        if (c) {
          for (const e of c.images) out.push([`${target}/${name}`, e]);
          break;
        }
      }
    }
    for (const e of k.images) out.push([key, e]);
    return out;
  }
}

/** Remote bases (`github.com/org/repo//dir?ref=v1`, `https://…`, `git@…`) are not in the workspace. */
function isRemote(ref: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(ref) || ref.startsWith('git@') || /^(?:github\.com|gitlab\.com|bitbucket\.org)\//.test(ref) || ref.includes('?ref=');
}

function push<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function pull<T extends { key: string }>(map: Map<string, T[]>, name: string, key: string): void {
  const list = map.get(name);
  if (!list) return;
  const kept = list.filter((x) => x.key !== key);
  if (kept.length) map.set(name, kept);
  else map.delete(name);
}

function unique<T>(xs: T[]): T[] {
  return [...new Set(xs)];
}

/**
 * The dependency keys whose answers differ between two entries of one file: Secrets and ServiceAccounts by
 * name (positions ignored: they do not change any diagnostic), and `kustomize` for any kustomization change.
 */
export function changedDeps(before: FileEntry | undefined, after: FileEntry | undefined): string[] {
  const out: string[] = [];
  const signature = <T extends { name: string; location: unknown }>(list: T[] | undefined): Map<string, string> => {
    const m = new Map<string, string>();
    for (const x of list ?? []) {
      const { location: _location, ...rest } = x;
      m.set(x.name, (m.get(x.name) ?? '') + JSON.stringify(rest));
    }
    return m;
  };
  const diff = (a: Map<string, string>, b: Map<string, string>, dep: (n: string) => string) => {
    for (const name of new Set([...a.keys(), ...b.keys()])) if (a.get(name) !== b.get(name)) out.push(dep(name));
  };
  diff(signature(before?.secrets), signature(after?.secrets), secretDep);
  diff(signature(before?.serviceAccounts), signature(after?.serviceAccounts), serviceAccountDep);
  const k = (e: FileEntry | undefined) => (e?.kustomization ? JSON.stringify({ ...e.kustomization, images: e.kustomization.images.map(({ location: _l, ...rest }) => rest) }) : '');
  if (k(before) !== k(after)) out.push(KUSTOMIZE_DEP);
  const roles = (e: FileEntry | undefined) => JSON.stringify([e?.kustomization?.patches ?? [], e?.assertions ?? []]);
  if (roles(before) !== roles(after)) out.push(ROLES_DEP);
  return out;
}
