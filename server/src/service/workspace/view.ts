/**
 * The workspace as one document's analysis sees it: the index, with the document's own entry (from the text
 * being analysed) in place of whatever the index holds for it. Every lookup is recorded as a dependency, so a
 * cached analysis can tell whether a later index update concerns it.
 *
 * Without a workspace (`analyze(text, settings)` alone) the view holds only the document itself and is
 * marked incomplete: absence proves nothing then, so rules that report a missing definition stay silent.
 */
import { KUSTOMIZE_DEP, ROLES_DEP, secretDep, serviceAccountDep, WorkspaceIndex } from './index';
import { baseName } from './uris';
import type { FileEntry, FileRole, KustomizeRewrite, ResolvedSecret, ResolvedServiceAccount } from './types';

/** kuttl's assertion and error files of a test step: `00-assert.yaml`, `01-errors.yaml`. */
const KUTTL_ASSERTION = /^\d+-(?:assert|errors)\.ya?ml$/i;

export class WorkspaceView {
  /** Dependency keys looked up so far (`secret:<name>`, `sa:<name>`, `kustomize`). */
  readonly deps = new Set<string>();
  /** The index generation this view was made at. */
  readonly generation: number;

  constructor(
    private readonly index: WorkspaceIndex,
    /** This document's own contribution, from the text being analysed. */
    readonly entry: FileEntry,
    /** True when the index covers the workspace; false for a lone document. */
    readonly complete: boolean,
  ) {
    this.generation = index.generation;
  }

  /** A view of a lone document: only its own Secrets, ServiceAccounts and kustomization are known. */
  static single(entry: FileEntry): WorkspaceView {
    return new WorkspaceView(new WorkspaceIndex(), entry, false);
  }

  get uri(): string {
    return this.entry.uri;
  }

  get key(): string {
    return this.entry.key;
  }

  /** Every definition of the Secret `name`: other files' and this document's. */
  secrets(name: string): ResolvedSecret[] {
    this.deps.add(secretDep(name));
    this.deps.add(KUSTOMIZE_DEP);
    const own = this.entry.secrets.filter((s) => s.name === name).map((s) => this.index.resolveSecret(this.key, s));
    return [...own, ...this.index.secretsNamed(name, this.key)];
  }

  /** Every Secret known, this document's first (for completion). */
  allSecrets(): ResolvedSecret[] {
    this.deps.add(KUSTOMIZE_DEP);
    return [...this.entry.secrets.map((s) => this.index.resolveSecret(this.key, s)), ...this.index.allSecrets(this.key)];
  }

  serviceAccounts(name: string): ResolvedServiceAccount[] {
    this.deps.add(serviceAccountDep(name));
    this.deps.add(KUSTOMIZE_DEP);
    const own = this.entry.serviceAccounts.filter((a) => a.name === name).map((a) => this.index.resolveAccount(this.key, a));
    return [...own, ...this.index.serviceAccountsNamed(name, this.key)];
  }

  /** The namespaces an object of this document with `metadata.namespace` = `explicit` can land in. */
  namespacesOf(explicit: string | null): string[] {
    this.deps.add(KUSTOMIZE_DEP);
    return this.index.namespacesOf(this.key, explicit);
  }

  /** What {@link ownRewrite} depends on: '' when no kustomization lists this document. */
  ownImagesSignature(): string {
    this.deps.add(KUSTOMIZE_DEP);
    return this.index.ownImagesSignature(this.key);
  }

  /** What the kustomization listing this document makes of an image written in it (its own `images:`), or null. */
  ownRewrite(image: string): KustomizeRewrite | null {
    this.deps.add(KUSTOMIZE_DEP);
    return this.index.ownRewrite(this.key, image);
  }

  /** What the overlays above this document make of an image written in it. */
  rewrites(image: string): KustomizeRewrite[] {
    this.deps.add(KUSTOMIZE_DEP);
    return this.index.rewrites(this.key, image);
  }

  /**
   * What this document is when kubectl does not apply it as it stands: a kustomize patch (named by a
   * kustomization's `patches`, or named or filed as one), a file beside a kustomization that does not list it, or
   * a test assertion (named by a chainsaw Test, or a kuttl `NN-assert.yaml` / `NN-errors.yaml` step file). Null
   * for an ordinary manifest.
   */
  role(): FileRole {
    if (KUTTL_ASSERTION.test(baseName(this.key))) return 'assertion';
    this.deps.add(ROLES_DEP);
    this.deps.add(KUSTOMIZE_DEP);
    return this.index.roleOf(this.key);
  }

  /** The URI of an indexed file, for locations (its key when it is not indexed). */
  uriOf(key: string): string {
    return key === this.key ? this.uri : this.index.entry(key)?.uri ?? key;
  }
}
