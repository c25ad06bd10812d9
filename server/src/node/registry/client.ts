/**
 * The OCI distribution client behind the service's `RegistryClient`: Node's `fetch`, no SDK.
 *
 * - Digests: `HEAD /v2/<name>/manifests/<ref>` with all four manifest media types in `Accept` (without the OCI
 *   ones an OCI index is "unknown"; without the list types a Docker list answers with one platform's manifest
 *   and the wrong digest), reading `Docker-Content-Digest`; when that header is missing or unusable, `GET` and
 *   the sha256 of the exact bytes.
 * - Tags: `GET /v2/<name>/tags/list`, following `Link: <…>; rel="next"` on the same origin.
 * - Auth: Basic and Bearer challenges (`auth.ts`), credentials from the Docker config (`credentials.ts`).
 * - Docker Hub: `docker.io` is served at `registry-1.docker.io`; its 401 for a repository it will not show
 *   means "not found or not authorized", and is reported as exactly that.
 * - Answers are cached (`ttlMs`, shorter for "not found"), concurrent lookups of one thing share one request.
 *
 * `OciRegistry` holds what is shared (cache, tokens, connections, limits); `client(settings)` gives the
 * `RegistryClient` for one document's settings (timeout, insecure hosts).
 */
import { createHash } from 'node:crypto';
import { isTag, validateDigest } from '../../service/image/reference';
import type {
  ManifestDescription, ManifestRef, Platform, RegistryClient, RegistryError, RegistryResult, RepositoryRef, ResolvedManifest,
} from '../../service/registry/types';
import { AccessRefused, Authenticator, newAttempt, type AuthTarget } from './auth';
import { DockerConfigCredentials, type CredentialStore } from './credentials';
import { RegistryFailure } from './errors';
import { endpointOf, isDockerHub, type Endpoint } from './hosts';
import { RegistryHttp, type HttpOptions, type HttpPolicy, type HttpResponse } from './http';
import { nextLink } from './link';
import { TtlCache } from './ttlCache';

export const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
export const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
export const DOCKER_MANIFEST = 'application/vnd.docker.distribution.manifest.v2+json';
export const DOCKER_LIST = 'application/vnd.docker.distribution.manifest.list.v2+json';
/** Every manifest type, in the `Accept` of every manifest request. */
export const MANIFEST_ACCEPT = [OCI_INDEX, DOCKER_LIST, OCI_MANIFEST, DOCKER_MANIFEST].join(', ');
/** Tags kept from one repository's list: far more than any repository has, far less than a hostile one can send. */
export const MAX_TAGS = 100_000;

const MULTI_ARCH = new Set([OCI_INDEX, DOCKER_LIST]);

/** What one document's settings say about registry traffic. */
export interface RegistrySettings {
  timeoutMs: number;
  insecure: readonly string[];
}

export interface OciRegistryOptions {
  /** Where credentials come from (default: the Docker config of this process's environment). */
  credentials?: CredentialStore;
  http?: HttpOptions;
  /** How long an answer is reused (default 5 minutes). */
  ttlMs?: number;
  /** How long "not found" is reused (default 1 minute): an image may be pushed any moment. */
  notFoundTtlMs?: number;
  now?: () => number;
  /** Why credentials could not be read; never their values. */
  log?: (message: string) => void;
  /**
   * Every lookup that failed, once per lookup made (cached answers are not lookups): "ghcr.io/acme/api:2.1"
   * or "ghcr.io/acme/api (tags)", and the error (its message never holds credentials).
   */
  onFailure?: (what: string, error: RegistryError) => void;
  /**
   * Where a registry's API is served instead of its own host (`{ 'docker.io': 'http://127.0.0.1:5000' }`): a
   * pull-through mirror, or a test. Credentials are still those of the registry as images name it.
   */
  apiBase?: Record<string, string>;
}

/** Tag list pages followed at most (a registry whose `Link` never ends must not hold a request forever). */
const MAX_PAGES = 100;

type Cached<T> = RegistryResult<T>;

export class OciRegistry {
  readonly http: RegistryHttp;
  private readonly auth: Authenticator;
  private readonly cache: TtlCache<Cached<unknown>>;
  private readonly inflight = new Map<string, Promise<Cached<unknown>>>();
  private readonly ttlMs: number;
  private readonly notFoundTtlMs: number;
  private readonly now: () => number;
  private readonly apiBase: Record<string, string>;
  private readonly onFailure: OciRegistryOptions['onFailure'];

  constructor(options: OciRegistryOptions = {}) {
    this.now = options.now ?? Date.now;
    this.apiBase = options.apiBase ?? {};
    this.onFailure = options.onFailure;
    this.http = new RegistryHttp({ now: this.now, ...options.http });
    this.auth = new Authenticator(this.http, options.credentials ?? new DockerConfigCredentials({ log: options.log }), this.now);
    this.cache = new TtlCache(this.now);
    this.ttlMs = options.ttlMs ?? 5 * 60_000;
    this.notFoundTtlMs = options.notFoundTtlMs ?? 60_000;
  }

  /** The client for one document's settings; every client shares this registry's cache, tokens and limits. */
  client(settings: RegistrySettings): RegistryClient {
    const policy: HttpPolicy = { timeoutMs: settings.timeoutMs, insecure: [...settings.insecure] };
    return {
      resolveDigest: (ref) => this.resolveDigest(ref, policy),
      listTags: (repo) => this.listTags(repo, policy),
      exists: async (ref) => {
        const r = await this.resolveDigest(ref, policy);
        if (r.ok) return { ok: true, value: true, fetchedAt: r.fetchedAt };
        if (r.error.kind === 'not-found' || r.error.kind === 'not-found-or-unauthorized') return { ok: true, value: false, fetchedAt: this.now() };
        return r;
      },
      cachedDigest: (ref) => this.cache.get(manifestKey(this.endpoint(ref.domain, policy), ref)) as RegistryResult<ResolvedManifest> | undefined,
      describe: (ref) => this.describe(ref, policy),
      cachedDescription: (ref) => this.cache.get(describeKey(this.endpoint(ref.domain, policy), ref)) as RegistryResult<ManifestDescription> | undefined,
      knowledge: () => this.cache.version,
    };
  }

  /** HTTP requests sent so far (for tests and the bench). */
  get requests(): number {
    return this.http.requests;
  }

  /** Forgets answers and tokens (credentials are read again too). */
  clear(): void {
    this.cache.clear();
    this.auth.clear();
  }

  /** The API endpoint of a registry under a policy. */
  private endpoint(domain: string, policy: HttpPolicy): Endpoint {
    const endpoint = endpointOf(domain, policy.insecure);
    const base = this.apiBase[endpoint.domain];
    if (!base) return endpoint;
    const url = new URL(base);
    return { domain: endpoint.domain, base: url.origin, host: url.host };
  }

  resolveDigest(ref: ManifestRef, policy: HttpPolicy): Promise<RegistryResult<ResolvedManifest>> {
    const endpoint = this.endpoint(ref.domain, policy);
    const what = `${ref.domain}/${ref.path}${ref.reference.includes(':') ? '@' : ':'}${ref.reference}`;
    return this.once(manifestKey(endpoint, ref), what, () => this.fetchDigest(endpoint, ref, policy));
  }

  /**
   * The digest and platforms of `ref`: its digest as `resolveDigest` finds it, then the manifest by that digest
   * (content-addressed: its bytes must hash to it), and for a single image its config blob (hashed too).
   */
  describe(ref: ManifestRef, policy: HttpPolicy): Promise<RegistryResult<ManifestDescription>> {
    const endpoint = this.endpoint(ref.domain, policy);
    return this.once(describeKey(endpoint, ref), `${display(ref)} (platforms)`, async () => {
      const resolved = await this.resolveDigest(ref, policy);
      if (!resolved.ok) {
        // Its lookup said so already (onFailure): once is enough.
        const failure = new RegistryFailure(resolved.error.kind, resolved.error.message);
        failure.reported = true;
        throw failure;
      }
      const { digest } = resolved.value;
      const manifest = await this.blobOrManifest(endpoint, ref, policy, 'manifests', digest, MANIFEST_ACCEPT);
      const mediaType = typeof manifest.mediaType === 'string' ? manifest.mediaType : resolved.value.mediaType;
      if (Array.isArray(manifest.manifests)) {
        const children = manifest.manifests.flatMap((m: Record<string, unknown>) => {
          const platform = platformOf(m.platform as Record<string, unknown> | undefined);
          return typeof m.digest === 'string' && validateDigest(m.digest) === null && platform && platform.architecture !== 'unknown' ? [{ digest: m.digest, platform }] : [];
        });
        return { ...resolved.value, mediaType, multiArch: true, children, platform: null };
      }
      const config = manifest.config as { digest?: unknown } | undefined;
      let platform: Platform | null = null;
      if (typeof config?.digest === 'string' && validateDigest(config.digest) === null) {
        platform = platformOf(await this.blobOrManifest(endpoint, ref, policy, 'blobs', config.digest, '*/*'));
      }
      return { ...resolved.value, mediaType, multiArch: false, children: [], platform };
    });
  }

  /** A manifest or blob by digest, as JSON; its bytes must hash to the digest. */
  private async blobOrManifest(endpoint: Endpoint, ref: ManifestRef, policy: HttpPolicy, kind: 'manifests' | 'blobs', digest: string, accept: string): Promise<Record<string, unknown>> {
    const res = await this.request(endpoint, ref, policy, 'GET', `${endpoint.base}/v2/${ref.path}/${kind}/${digest}`, accept);
    if (res.status !== 200) throw statusFailure(res, endpoint, { ...ref, reference: digest });
    const [algorithm] = digest.split(':');
    if (algorithm !== 'sha256' && algorithm !== 'sha512') throw new RegistryFailure('server', `${display(ref)}: ${digest} uses a digest algorithm that is not checked here.`);
    if (`${algorithm}:${createHash(algorithm).update(res.body).digest('hex')}` !== digest) {
      throw new RegistryFailure('server', `${endpoint.domain} served ${kind === 'blobs' ? 'an image config' : 'a manifest'} for ${display(ref)} that does not match its digest; it is not trusted.`);
    }
    try {
      const parsed = JSON.parse(res.body.toString('utf8')) as unknown;
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
    } catch {
      // Said below.
    }
    throw new RegistryFailure('server', `${endpoint.domain} served ${kind === 'blobs' ? 'an image config' : 'a manifest'} for ${display(ref)} that is not a JSON object.`);
  }

  listTags(repo: RepositoryRef, policy: HttpPolicy): Promise<RegistryResult<string[]>> {
    const endpoint = this.endpoint(repo.domain, policy);
    return this.once(`tags ${endpoint.base} ${repo.path}`, `${repo.domain}/${repo.path} (tags)`, () => this.fetchTags(endpoint, repo, policy));
  }

  /** A cached answer, the lookup already under way, or a new one whose answer is cached by its kind. */
  private once<T>(key: string, what: string, work: () => Promise<T>): Promise<Cached<T>> {
    const hit = this.cache.get(key) as Cached<T> | undefined;
    if (hit) return Promise.resolve(hit);
    const running = this.inflight.get(key) as Promise<Cached<T>> | undefined;
    if (running) return running;
    const started = (async (): Promise<Cached<T>> => {
      try {
        const value = await work();
        const result: Cached<T> = { ok: true, value, fetchedAt: this.now() };
        this.cache.set(key, result, this.ttlMs);
        return result;
      } catch (e) {
        if (!(e instanceof RegistryFailure)) throw e;
        const result: Cached<T> = { ok: false, error: e.toError() };
        if (!e.reported) this.onFailure?.(what, result.error);
        // "Not found" is an answer worth keeping a little; a network or auth failure is not.
        if (e.kind === 'not-found' || e.kind === 'not-found-or-unauthorized') this.cache.set(key, result, this.notFoundTtlMs);
        return result;
      } finally {
        this.inflight.delete(key);
      }
    })();
    this.inflight.set(key, started);
    return started;
  }

  private async fetchDigest(endpoint: Endpoint, ref: ManifestRef, policy: HttpPolicy): Promise<ResolvedManifest> {
    const url = `${endpoint.base}/v2/${ref.path}/manifests/${ref.reference}`;
    const byDigest = validateDigest(ref.reference) === null;
    const head = await this.request(endpoint, ref, policy, 'HEAD', url, MANIFEST_ACCEPT);
    if (head.status === 200) {
      const digest = head.headers.get('docker-content-digest')?.trim() ?? '';
      // A digest reference must come back as itself; anything else is checked against the bytes below.
      if (digest && validateDigest(digest) === null && (!byDigest || digest === ref.reference)) {
        return { digest, mediaType: mediaTypeOf(head), multiArch: MULTI_ARCH.has(mediaTypeOf(head)) };
      }
    } else if (head.status >= 500) {
      throw statusFailure(head, endpoint, ref);
    }
    // No usable digest header, HEAD not supported, or an error whose body (which HEAD lacks) says what is wrong.
    const get = await this.request(endpoint, ref, policy, 'GET', url, MANIFEST_ACCEPT);
    if (get.status === 404 && !errorCodes(get).some((c) => c.code === 'NAME_UNKNOWN')) {
      // Some registries (distribution 2.8 among them) say MANIFEST_UNKNOWN for a repository that does not
      // exist either; its tag list tells the two apart (and is cached for the "pin to a tag" that follows).
      const tags = await this.listTags(ref, policy);
      if (!tags.ok && tags.error.kind === 'not-found') throw new RegistryFailure('not-found', tags.error.message);
    }
    if (get.status !== 200) throw statusFailure(get, endpoint, ref);
    const computed = `sha256:${createHash('sha256').update(get.body).digest('hex')}`;
    if (byDigest && ref.reference.startsWith('sha256:') && ref.reference !== computed) {
      throw new RegistryFailure('server', `${endpoint.domain} served a manifest for ${display(ref)} whose sha256 is ${computed}, not the digest asked for; it is not trusted.`);
    }
    // The bytes received decide: a header that disagrees with them (or names another algorithm) is not written.
    const digest = computed;
    const mediaType = mediaTypeOf(get) || bodyMediaType(get.body);
    return { digest, mediaType, multiArch: MULTI_ARCH.has(mediaType) };
  }

  private async fetchTags(endpoint: Endpoint, repo: RepositoryRef, policy: HttpPolicy): Promise<string[]> {
    const origin = new URL(endpoint.base).origin;
    const tags = new Set<string>();
    const seen = new Set<string>();
    let url = `${endpoint.base}/v2/${repo.path}/tags/list`;
    for (let page = 0; page < MAX_PAGES; page++) {
      seen.add(url);
      const res = await this.request(endpoint, repo, policy, 'GET', url, 'application/json');
      if (res.status !== 200) throw statusFailure(res, endpoint, { ...repo, reference: '' });
      let body: { tags?: unknown };
      try {
        body = JSON.parse(res.body.toString('utf8'));
      } catch {
        throw new RegistryFailure('server', `${endpoint.domain} answered the tag list of ${repo.domain}/${repo.path} with something other than JSON.`);
      }
      // Only strings of the tag grammar: a tag reaches the user's YAML through completion and pins, so one holding a
      // line break and YAML must never get there. A huge list is cut at MAX_TAGS (newest-first order is ours).
      if (Array.isArray(body.tags)) for (const t of body.tags) if (typeof t === 'string' && isTag(t) && tags.size < MAX_TAGS) tags.add(t);
      if (tags.size >= MAX_TAGS) return [...tags];
      const next = nextLink(res.headers.get('link'), res.url);
      if (!next) return [...tags];
      if (next.origin !== origin) {
        throw new RegistryFailure('server', `${endpoint.domain} sent the next page of the tag list of ${repo.path} to another host (${next.host}); it is not followed.`);
      }
      if (seen.has(next.href)) return [...tags];
      url = next.href;
    }
    return [...tags];
  }

  /**
   * One request to a repository, answering its registry's challenges. A 401 from any other origin (after a
   * redirect) is not answered: that host never gets this registry's credentials.
   */
  private async request(endpoint: Endpoint, repo: RepositoryRef, policy: HttpPolicy, method: 'GET' | 'HEAD', url: string, accept: string): Promise<HttpResponse> {
    const target: AuthTarget = { endpoint, scope: `repository:${repo.path}:pull`, policy };
    const release = await this.auth.firstContact(endpoint.base);
    try {
      return await this.authenticated(target, method, url, accept);
    } finally {
      release?.();
    }
  }

  private async authenticated(target: AuthTarget, method: 'GET' | 'HEAD', url: string, accept: string): Promise<HttpResponse> {
    const { endpoint, policy } = target;
    const repo = target.scope.slice('repository:'.length, -':pull'.length);
    const attempt = newAttempt();
    let authorization = await this.auth.upFront(target, attempt);
    const origin = new URL(endpoint.base).origin;
    for (let round = 0; round < 4; round++) {
      if (authorization) attempt.sent.add(authorization);
      const res = await this.http.send({ method, url, headers: { Accept: accept }, authorization }, policy);
      if (res.status !== 401) {
        if (!authorization) this.auth.answeredOpenly(endpoint.base);
        return res;
      }
      if (res.url.origin !== origin) {
        throw new RegistryFailure('unauthorized', `${endpoint.domain} sent the request on to ${res.url.host}, which asks for credentials; credentials are never sent to another host.`);
      }
      try {
        authorization = await this.auth.answer(target, res.headers.get('www-authenticate'), attempt);
      } catch (e) {
        if (e instanceof AccessRefused && isDockerHub(endpoint.domain)) throw hubAmbiguity({ domain: endpoint.domain, path: repo });
        throw e;
      }
    }
    throw new RegistryFailure('unauthorized', `${endpoint.domain} keeps asking for authentication; giving up.`);
  }
}

function manifestKey(endpoint: Endpoint, ref: ManifestRef): string {
  return `manifest ${endpoint.base} ${ref.path} ${ref.reference}`;
}

function describeKey(endpoint: Endpoint, ref: ManifestRef): string {
  return `describe ${endpoint.base} ${ref.path} ${ref.reference}`;
}

/** A platform object (an index entry's `platform`, or an image config's top level), when it names os and architecture. */
function platformOf(p: Record<string, unknown> | undefined): Platform | null {
  if (!p || typeof p.os !== 'string' || typeof p.architecture !== 'string') return null;
  const out: Platform = { os: p.os, architecture: p.architecture };
  if (typeof p.variant === 'string' && p.variant) out.variant = p.variant;
  const version = p['os.version'];
  if (typeof version === 'string' && version) out.osVersion = version;
  return out;
}

function display(ref: ManifestRef): string {
  const name = `${ref.domain}/${ref.path}`;
  return ref.reference.includes(':') ? `${name}@${ref.reference}` : `${name}:${ref.reference}`;
}

function mediaTypeOf(res: HttpResponse): string {
  return (res.headers.get('content-type') ?? '').split(';')[0].trim().toLowerCase();
}

function bodyMediaType(body: Buffer): string {
  try {
    const parsed = JSON.parse(body.toString('utf8')) as { mediaType?: unknown };
    return typeof parsed.mediaType === 'string' ? parsed.mediaType : '';
  } catch {
    return '';
  }
}

/**
 * A registry's own words with anything that may be a credential it echoed replaced: `Authorization` values,
 * Basic/Bearer strings, `user:password@` in URLs, token parameters and fields.
 */
export function redactCredentials(text: string): string {
  return text
    .replace(/\b((?:proxy-)?authorization)\s*[:=]\s*(?:(?:basic|bearer)\s+)?\S+/gi, '$1: [redacted]')
    .replace(/\b(basic|bearer)\s+[A-Za-z0-9._~+/=-]{6,}/gi, '$1 [redacted]')
    .replace(/(\/\/)[^/\s:@]+:[^/\s@]+@/g, '$1[redacted]@')
    .replace(/\b(refresh_token|access_token|id_token|token|password|secret)(["']?\s*[=:]\s*["']?)[^\s&"',}]+/gi, '$1$2[redacted]');
}

/** The distribution API's error codes in a response body (`{"errors":[{"code":"MANIFEST_UNKNOWN",…}]}`). */
function errorCodes(res: HttpResponse): { code: string; message: string }[] {
  try {
    const parsed = JSON.parse(res.body.toString('utf8')) as { errors?: { code?: unknown; message?: unknown }[] };
    return (parsed.errors ?? []).map((e) => ({ code: String(e.code ?? ''), message: redactCredentials(String(e.message ?? '')).slice(0, 200) }));
  } catch {
    return [];
  }
}

function hubAmbiguity(repo: RepositoryRef): RegistryFailure {
  const name = repo.path.startsWith('library/') ? repo.path.slice('library/'.length) : repo.path;
  return new RegistryFailure('not-found-or-unauthorized', `Docker Hub has no repository ${name} that you may pull: it does not exist, or it is private and you are not logged in with access to it (Docker Hub answers both the same way).`);
}

/** A non-success answer about `ref` (reference '' for a tag list) as a sentence. */
function statusFailure(res: HttpResponse, endpoint: Endpoint, ref: ManifestRef): RegistryFailure {
  const codes = errorCodes(res);
  const what = ref.reference ? display(ref) : `${ref.domain}/${ref.path}`;
  if (res.status === 404) {
    if (codes.some((c) => c.code === 'NAME_UNKNOWN')) return new RegistryFailure('not-found', `The repository ${ref.domain}/${ref.path} does not exist.`);
    if (!ref.reference) return new RegistryFailure('not-found', `The repository ${ref.domain}/${ref.path} does not exist.`);
    const kind = ref.reference.includes(':') ? 'digest' : 'tag';
    return new RegistryFailure('not-found', `${ref.domain}/${ref.path} has no ${kind} ${ref.reference}.`);
  }
  if (res.status === 403) {
    const said = codes.find((c) => c.message)?.message;
    return new RegistryFailure('unauthorized', `${endpoint.domain} denied access to ${what}${said ? ` ("${said}")` : ''}. Check that your account may pull it.`);
  }
  if (res.status >= 500) return new RegistryFailure('server', `${endpoint.domain} failed with HTTP ${res.status} while looking up ${what}; try again later.`);
  return new RegistryFailure('server', `${endpoint.domain} answered HTTP ${res.status} while looking up ${what}.`);
}
