/**
 * The workspace index's data: what one file contributes (its Secrets, ServiceAccounts, kustomization). Plain
 * data extracted from a parse, so the server and the CLI can keep it per file and replace it when the file
 * changes. Secrets are recorded with the registries they hold credentials for and nothing else.
 */
import type { OffsetRange } from '../types';
import type { PullSecretPayload } from './pullSecretPayload';

/** An LSP-style position (0-based line, UTF-16 character) in the file a location belongs to. */
export interface Position {
  line: number;
  character: number;
}

/** Where something is defined: the document's URI, offsets into its text, and the same range as positions. */
export interface SourceLocation {
  uri: string;
  offsets: OffsetRange;
  start: Position;
  end: Position;
}

export interface SecretInfo {
  name: string;
  /** `metadata.namespace` as written (a generator's `namespace`), null when absent. */
  namespace: string | null;
  /** `type`, `Opaque` when absent. */
  type: string;
  payload: PullSecretPayload;
  /** The `metadata.name` value (a generator's `name`). */
  location: SourceLocation;
  /** A Secret written as a manifest, or one a kustomization's `secretGenerator` makes. */
  origin: 'manifest' | 'generator';
}

export interface ServiceAccountInfo {
  name: string;
  namespace: string | null;
  /** Names of its `imagePullSecrets` (entries that are `{name: <string>}`). */
  pullSecrets: string[];
  location: SourceLocation;
}

/** One entry of a kustomization's `images:`. */
export interface KustomizeImage {
  name: string | null;
  newName: string | null;
  newTag: string | null;
  digest: string | null;
  /** Appended to the image's tag when there is neither `newTag` nor `digest` (kustomize's `tagSuffix`). */
  tagSuffix: string | null;
  location: SourceLocation;
}

export interface KustomizationInfo {
  kind: 'Kustomization' | 'Component';
  namespace: string | null;
  /** `resources` and the deprecated `bases`, as written (files, directories or remote URLs). */
  resources: string[];
  components: string[];
  images: KustomizeImage[];
  /** Files named as patches (`patches[].path`, `patchesStrategicMerge`, `patchesJson6902[].path`), as written. */
  patches: string[];
}

/** Everything one file contributes to the index. */
export interface FileEntry {
  uri: string;
  /** {@link docKey} of `uri`. */
  key: string;
  secrets: SecretInfo[];
  serviceAccounts: ServiceAccountInfo[];
  kustomization: KustomizationInfo | null;
  /** Files a chainsaw Test's steps name as `assert` or `error` files (paths or globs as written, relative to this file). */
  assertions: string[];
}

/**
 * What a file is, when it is not a set of objects kubectl applies as they stand: a kustomize patch (named by a
 * kustomization, or named or filed as one), a file beside a kustomization that it does not list (applied only
 * through it, so not at all), or a test's assertion.
 */
export type FileRole = 'patch' | 'unlisted' | 'assertion' | null;

/** A Secret definition with the namespaces it can land in (see WorkspaceIndex.namespacesOf). */
export interface ResolvedSecret extends SecretInfo {
  key: string;
  namespaces: string[];
}

export interface ResolvedServiceAccount extends ServiceAccountInfo {
  key: string;
  namespaces: string[];
}

/** What a chain of kustomizations makes of an image written in a base. */
export interface KustomizeRewrite {
  /** The outermost kustomization of the chain (the overlay one would build). */
  root: { key: string; uri: string };
  /** The effective image after every `images:` entry of the chain. */
  image: string;
  /** The kustomizations whose entries changed the image, inner first. */
  via: { key: string; uri: string; entry: KustomizeImage }[];
}
