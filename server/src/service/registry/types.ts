/**
 * What the pure service knows about container registries: an interface and its result types, nothing else.
 * The service never talks to a registry itself; a front end (the server, the CLI) hands it a `RegistryClient`
 * (the OCI distribution client in `server/src/node/registry/`), or none when lookups are not allowed.
 */

/** A repository on a registry, as the reference parser normalizes it: `docker.io` + `library/nginx`. */
export interface RepositoryRef {
  /** The registry as written in (or implied by) the image, e.g. `docker.io`, `ghcr.io`, `localhost:5000`. */
  domain: string;
  /** The repository path, e.g. `library/nginx`. */
  path: string;
}

/** A manifest of a repository: `reference` is a tag (`1.27.2`) or a digest (`sha256:…`). */
export interface ManifestRef extends RepositoryRef {
  reference: string;
}

/** What a tag or digest points to now. */
export interface ResolvedManifest {
  /** The digest of the manifest the registry serves for the reference: for a multi-arch tag, the index's. */
  digest: string;
  /** Its media type (one of the four manifest types, or whatever the registry said). */
  mediaType: string;
  /** True for an OCI image index or a Docker manifest list (a multi-platform image). */
  multiArch: boolean;
}

/** A platform as an image index or an image config states it (`linux`/`arm64`/`v8`). */
export interface Platform {
  os: string;
  architecture: string;
  variant?: string;
  /** Windows images name the OS build they need (`10.0.20348.2227`). */
  osVersion?: string;
}

/** A manifest's platforms: an index's children, or a single image's own. */
export interface ManifestDescription extends ResolvedManifest {
  /** The images of an index (attestation manifests, `unknown/unknown`, left out); [] for a single image. */
  children: { digest: string; platform: Platform }[];
  /** A single image's platform, from its config; null for an index or when the config does not say. */
  platform: Platform | null;
}

/** Why a lookup failed; `message` is a sentence a user can act on, and never holds a credential. */
export type RegistryErrorKind =
  /** The registry says the repository, tag or digest does not exist. */
  | 'not-found'
  /** Docker Hub answers "not found" and "not yours" both with 401: either may be true. */
  | 'not-found-or-unauthorized'
  /** Credentials are missing, refused, or do not grant pull access. */
  | 'unauthorized'
  /** 429 Too Many Requests, with a Retry-After too long to wait for. */
  | 'rate-limited'
  /** No connection: DNS, refused, reset, TLS. */
  | 'offline'
  /** No complete answer within the timeout. */
  | 'timeout'
  /** Plain HTTP to a host that is not listed in `registry.insecure`. */
  | 'insecure'
  /** A 5xx or an answer that does not follow the distribution API. */
  | 'server';

export interface RegistryError {
  kind: RegistryErrorKind;
  message: string;
}

/** A lookup's outcome; `fetchedAt` (ms since the epoch) is when the registry gave the answer, for "resolved 3 min ago". */
export type RegistryResult<T> =
  | { ok: true; value: T; fetchedAt: number }
  | { ok: false; error: RegistryError };

/**
 * The registry as the service sees it. Implementations time out every request, cache answers for a while and
 * share in-flight lookups, so callers may ask freely.
 */
export interface RegistryClient {
  /** The digest `ref` resolves to now (HEAD, or GET and hash when the registry omits the digest header). */
  resolveDigest(ref: ManifestRef): Promise<RegistryResult<ResolvedManifest>>;
  /** Every tag of the repository (all pages), in the registry's order. */
  listTags(repo: RepositoryRef): Promise<RegistryResult<string[]>>;
  /**
   * Whether `ref` exists: `false` only when the registry says it does not (Docker Hub's ambiguous 401 included);
   * any other failure is an error, since nothing is known.
   */
  exists(ref: ManifestRef): Promise<RegistryResult<boolean>>;
  /** A digest already resolved and still fresh, without any traffic; undefined when nothing is cached. */
  cachedDigest(ref: ManifestRef): RegistryResult<ResolvedManifest> | undefined;
  /** The digest `ref` resolves to and the platforms it offers (an index's children, or the image's config). */
  describe(ref: ManifestRef): Promise<RegistryResult<ManifestDescription>>;
  /** A description already fetched and still fresh, without any traffic; undefined when nothing is cached. */
  cachedDescription(ref: ManifestRef): RegistryResult<ManifestDescription> | undefined;
  /**
   * A number that changes whenever a `cached…` call may answer differently than before: an answer stored or
   * dropped, or one expired. Optional: without it, the rules that read the cache run on every analysis; with it,
   * their findings are kept with each document chunk while the number stays the same.
   */
  knowledge?(): number;
}
