/**
 * The token service of the Bearer setup (distribution's token auth): `GET /token?service=&scope=` (anonymous or
 * with Basic credentials) and `POST /token` with an OAuth2 refresh token, answering RS256 JWTs signed with
 * node:crypto and carrying the self-signed certificate in `x5c`, which the registry trusts via `rootcertbundle`.
 */
import { randomUUID, sign } from 'node:crypto';
import { selfSignedCertificate, type TestCertificate } from './x509';
import { startServer, type TestServer } from './httpServer';

export const TOKEN_ISSUER = 'k8s-image-lint-test-issuer';
export const TOKEN_SERVICE = 'k8s-image-lint-test-registry';

export interface TokenServerOptions {
  /** username → password accepted with Basic. */
  users: Record<string, string>;
  /** identity (refresh) token → username, accepted on POST. */
  identityTokens?: Record<string, string>;
  /** Which repositories a user (null: anonymous) may pull; default: anonymous only outside `private/`. */
  mayPull?: (repository: string, user: string | null) => boolean;
  /** Token lifetime in seconds (default 300). */
  expiresIn?: number;
}

export interface TokenServer extends TestServer {
  certificate: TestCertificate;
  /** Tokens issued so far. */
  issued: number;
  /** `http://127.0.0.1:PORT/token` */
  realm: string;
}

const b64url = (b: Buffer | string) => Buffer.from(b).toString('base64url');

export async function startTokenServer(options: TokenServerOptions): Promise<TokenServer> {
  const certificate = selfSignedCertificate('k8s-image-lint test token issuer');
  const mayPull = options.mayPull ?? ((repo, user) => user !== null || !repo.startsWith('private/'));
  const state = { issued: 0 };
  const server = await startServer((req, res, body) => {
    const url = new URL(req.url ?? '/', 'http://x');
    let user: string | null = null;
    let params = url.searchParams;
    if (req.method === 'POST') {
      params = new URLSearchParams(body);
      const token = params.get('refresh_token') ?? '';
      user = options.identityTokens?.[token] ?? null;
      if (params.get('grant_type') !== 'refresh_token' || user === null) return deny(res);
    } else {
      const auth = req.headers.authorization;
      if (auth) {
        const [scheme, value] = auth.split(' ');
        const [name, ...rest] = Buffer.from(value ?? '', 'base64').toString('utf8').split(':');
        if (scheme !== 'Basic' || options.users[name] === undefined || options.users[name] !== rest.join(':')) return deny(res);
        user = name;
      }
    }
    const access = params.getAll('scope').flatMap((scope) => {
      const m = /^repository:([^:]+):(.+)$/.exec(scope);
      if (!m || !m[2].split(',').includes('pull') || !mayPull(m[1], user)) return [];
      return [{ type: 'repository', name: m[1], actions: ['pull'] }];
    });
    const now = Math.floor(Date.now() / 1000);
    const expiresIn = options.expiresIn ?? 300;
    const header = { alg: 'RS256', typ: 'JWT', x5c: [certificate.der.toString('base64')] };
    const claims = {
      iss: TOKEN_ISSUER, sub: user ?? '', aud: params.get('service') ?? TOKEN_SERVICE,
      exp: now + expiresIn, nbf: now - 10, iat: now, jti: randomUUID(), access,
    };
    const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claims))}`;
    const token = `${input}.${b64url(sign('sha256', Buffer.from(input), certificate.privateKey))}`;
    state.issued++;
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ token, access_token: token, expires_in: expiresIn, issued_at: new Date(now * 1000).toISOString() }));
  });
  const out = Object.assign(server, { certificate, realm: `${server.origin}/token`, issued: 0 });
  Object.defineProperty(out, 'issued', { get: () => state.issued });
  return out;
}

function deny(res: import('node:http').ServerResponse): void {
  res.writeHead(401, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify({ details: 'incorrect username or password' }));
}
