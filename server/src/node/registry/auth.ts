/**
 * The distribution API's challenge flows: `Basic` (credentials straight to the registry) and `Bearer` (a token
 * from the realm the registry's own challenge names, asked for anonymously or with the registry's credentials:
 * GET with Basic, or POST with an identity token as an OAuth2 refresh token).
 *
 * Where credentials may go is decided here and in `http.ts` only: a registry's credentials are looked up by
 * that registry's name, sent to that registry's origin, or to the realm named in a challenge that this
 * registry's origin sent. The caller passes a challenge only when the 401 came from the registry's own origin.
 */
import type { Challenge } from './challenge';
import { parseChallenges } from './challenge';
import type { Credential, CredentialStore } from './credentials';
import { RegistryFailure } from './errors';
import type { Endpoint } from './hosts';
import type { HttpPolicy, RegistryHttp } from './http';
import { TtlCache } from './ttlCache';

/** What a lookup is for: the registry, the repository scope (`repository:<path>:pull`), the user's settings. */
export interface AuthTarget {
  endpoint: Endpoint;
  scope: string;
  policy: HttpPolicy;
}

/** What one lookup has sent so far: the `Authorization` values, and the tokens issued for it. */
export interface AuthAttempt {
  sent: Set<string>;
  fresh: Set<string>;
}

export function newAttempt(): AuthAttempt {
  return { sent: new Set(), fresh: new Set() };
}

const CREDENTIAL_TTL_MS = 60_000;
const DEFAULT_TOKEN_LIFETIME_S = 60;

export class Authenticator {
  /** The last challenge of each registry origin, so that later requests authenticate up front. */
  private readonly challenges = new Map<string, Challenge>();
  /** Origins that answered without asking for authentication. */
  private readonly open = new Set<string>();
  /** The first request to an origin whose challenge is not known yet, while it runs. */
  private readonly probing = new Map<string, Promise<void>>();
  /** Tokens being issued, shared by concurrent requests for the same scope. */
  private readonly issuing = new Map<string, Promise<{ token: string; lifetimeS: number }>>();
  private readonly tokens: TtlCache<string>;
  private readonly credentials: TtlCache<Promise<Credential | null>>;

  constructor(private readonly http: RegistryHttp, private readonly store: CredentialStore, now: () => number) {
    this.tokens = new TtlCache(now);
    this.credentials = new TtlCache(now);
  }

  /**
   * Before an origin's first answer, one request goes alone and the others wait for it: 50 lookups started at
   * once then meet one challenge, not 50. Returns the release to call when the first request is done (null
   * when this is not the first).
   */
  async firstContact(base: string): Promise<(() => void) | null> {
    if (this.challenges.has(base) || this.open.has(base)) return null;
    const running = this.probing.get(base);
    if (running) {
      await running;
      return null;
    }
    let release!: () => void;
    this.probing.set(base, new Promise<void>((r) => (release = r)));
    return () => {
      this.probing.delete(base);
      release();
    };
  }

  /** The origin answered a request that carried no credentials: no need to wait for its challenge. */
  answeredOpenly(base: string): void {
    if (!this.challenges.has(base)) this.open.add(base);
  }

  /** The `Authorization` to send before any challenge: only once this registry has challenged before. */
  async upFront(target: AuthTarget, attempt: AuthAttempt): Promise<string | null> {
    const known = this.challenges.get(target.endpoint.base);
    if (!known) return null;
    try {
      return await this.authorize(target, known, attempt);
    } catch {
      // Let the request go out unauthenticated; its own 401 will say what is wrong.
      return null;
    }
  }

  /**
   * The `Authorization` to retry with after a 401 from the registry's own origin. `attempt` holds what was
   * already sent for this request; a challenge that could only be answered the same way fails with `unauthorized`.
   */
  async answer(target: AuthTarget, wwwAuthenticate: string | null, attempt: AuthAttempt): Promise<string> {
    const all = parseChallenges(wwwAuthenticate);
    const challenge = all.find((c) => c.scheme === 'bearer') ?? all.find((c) => c.scheme === 'basic');
    if (!challenge) {
      throw new RegistryFailure('unauthorized', `${target.endpoint.domain} asked for authentication in a way this client does not support (${all.map((c) => c.scheme).join(', ') || 'no challenge'}).`);
    }
    this.challenges.set(target.endpoint.base, { scheme: challenge.scheme, params: { realm: challenge.params.realm ?? '', service: challenge.params.service ?? '' } });
    this.open.delete(target.endpoint.base);
    return this.authorize(target, challenge, attempt);
  }

  private async authorize(target: AuthTarget, challenge: Challenge, attempt: AuthAttempt): Promise<string> {
    const credential = await this.credentialFor(target.endpoint.domain);
    if (challenge.scheme === 'basic') {
      if (!credential || credential.kind !== 'basic') throw needsLogin(target, credential !== null);
      const value = `Basic ${Buffer.from(`${credential.username}:${credential.password}`).toString('base64')}`;
      if (attempt.sent.has(value)) throw refused(target, credential);
      return value;
    }
    const scope = pullOnlyScope(challenge.params.scope) ?? target.scope;
    const key = tokenKey(challenge, scope, credential ? target.endpoint.domain : '');
    let token = this.tokens.get(key);
    if (token !== undefined && attempt.sent.has(`Bearer ${token}`)) {
      // A token issued for this very request and scope was refused (`insufficient_scope`): the registry will
      // not let these credentials read the repository, and asking again would change nothing.
      if (attempt.fresh.has(token)) throw refused(target, credential);
      // An older token was refused (expired, revoked: `invalid_token`); a fresh one may do.
      this.tokens.delete(key);
      token = undefined;
    }
    if (token === undefined) {
      let issuing = this.issuing.get(key);
      if (!issuing) {
        issuing = this.fetchToken(target, challenge, scope, credential).finally(() => this.issuing.delete(key));
        this.issuing.set(key, issuing);
      }
      const issued = await issuing;
      token = issued.token;
      attempt.fresh.add(token);
      this.tokens.set(key, token, Math.max(5, issued.lifetimeS - 10) * 1000);
    }
    return `Bearer ${token}`;
  }

  private async fetchToken(target: AuthTarget, challenge: Challenge, scope: string, credential: Credential | null): Promise<{ token: string; lifetimeS: number }> {
    const realm = challenge.params.realm;
    let url: URL;
    try {
      url = new URL(realm ?? '');
    } catch {
      throw new RegistryFailure('server', `${target.endpoint.domain} sent a token challenge without a usable realm URL.`);
    }
    // Credentials travel encrypted: a realm over plain HTTP gets none when the registry itself speaks HTTPS, even
    // if the realm's host is listed in registry.insecure (that list allows a local registry, not a downgrade).
    if (credential && url.protocol === 'http:' && new URL(target.endpoint.base).protocol === 'https:') {
      throw new RegistryFailure('insecure', `${target.endpoint.domain} names a token service over plain HTTP (${url.host}); credentials are not sent there.`);
    }
    const service = challenge.params.service;
    let res;
    if (credential?.kind === 'identityToken') {
      const form = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: credential.token, client_id: 'k8s-image-lint', scope });
      if (service) form.set('service', service);
      res = await this.http.send({
        method: 'POST', url: url.href, body: form.toString(), headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
      }, target.policy);
    } else {
      if (service) url.searchParams.set('service', service);
      url.searchParams.set('scope', scope);
      const authorization = credential ? `Basic ${Buffer.from(`${credential.username}:${credential.password}`).toString('base64')}` : null;
      res = await this.http.send({ method: 'GET', url: url.href, headers: { Accept: 'application/json' }, authorization }, target.policy);
    }
    if (res.status === 401 || res.status === 403) {
      throw new RegistryFailure('unauthorized', credential
        ? `The token service of ${target.endpoint.domain} (${url.host}) refused the credentials from ${credential.source}. Log in again with \`docker login ${target.endpoint.domain}\`.`
        : `The token service of ${target.endpoint.domain} (${url.host}) refused an anonymous token. Log in with \`docker login ${target.endpoint.domain}\`.`);
    }
    if (res.status !== 200) {
      throw new RegistryFailure('server', `The token service of ${target.endpoint.domain} (${url.host}) answered HTTP ${res.status}; try again later.`);
    }
    let parsed: { token?: unknown; access_token?: unknown; expires_in?: unknown };
    try {
      parsed = JSON.parse(res.body.toString('utf8'));
    } catch {
      throw new RegistryFailure('server', `The token service of ${target.endpoint.domain} (${url.host}) did not answer with JSON.`);
    }
    const token = typeof parsed.token === 'string' && parsed.token ? parsed.token : typeof parsed.access_token === 'string' ? parsed.access_token : '';
    if (!token) throw new RegistryFailure('server', `The token service of ${target.endpoint.domain} (${url.host}) answered without a token.`);
    const lifetimeS = typeof parsed.expires_in === 'number' && parsed.expires_in > 0 ? parsed.expires_in : DEFAULT_TOKEN_LIFETIME_S;
    return { token, lifetimeS };
  }

  private credentialFor(domain: string): Promise<Credential | null> {
    let hit = this.credentials.get(domain);
    if (!hit) {
      hit = this.store.get(domain).catch(() => null);
      this.credentials.set(domain, hit, CREDENTIAL_TTL_MS);
    }
    return hit;
  }

  clear(): void {
    this.open.clear();
    this.tokens.clear();
    this.credentials.clear();
    this.challenges.clear();
  }
}

/** The challenge's scope when it asks only to pull (never request more than reading needs); else null. */
function pullOnlyScope(scope: string | undefined): string | null {
  if (!scope) return null;
  const parts = scope.split(' ');
  const ok = parts.every((p) => /^repository(?:\([^)]*\))?:[^:]+:pull$/.test(p));
  return ok ? scope : null;
}

function tokenKey(challenge: Challenge, scope: string, who: string): string {
  return JSON.stringify([challenge.params.realm ?? '', challenge.params.service ?? '', scope, who]);
}

function needsLogin(target: AuthTarget, hasOtherKind: boolean): RegistryFailure {
  return new RegistryFailure('unauthorized', hasOtherKind
    ? `${target.endpoint.domain} asks for a username and password, and its Docker config entry holds only a token.`
    : `${target.endpoint.domain} needs credentials and the Docker config has none for it. Log in with \`docker login ${target.endpoint.domain}\`.`);
}

/** The registry itself said no to a fresh authorization (as opposed to a token service refusing credentials). */
export class AccessRefused extends RegistryFailure {}

function refused(target: AuthTarget, credential: Credential | null): RegistryFailure {
  return new AccessRefused('unauthorized', credential
    ? `${target.endpoint.domain} refused access with the credentials from ${credential.source}: they are wrong or do not allow pulling this repository.`
    : `${target.endpoint.domain} does not allow anonymous pulls of this repository. Log in with \`docker login ${target.endpoint.domain}\`.`);
}
