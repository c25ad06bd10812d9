/**
 * Where credentials go, proved by a second server that records everything it receives: never to another
 * host (after a redirect, for an image on another registry, to a token realm another registry names), never
 * over plain HTTP to a host not listed as insecure, never into a message or a log line. Also Docker Hub's
 * names and its ambiguous 401.
 */
import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import { OciRegistry } from '../../server/src/node/registry/client';
import { configKeys, DockerConfigCredentials } from '../../server/src/node/registry/credentials';
import { endpointOf } from '../../server/src/node/registry/hosts';
import type { RegistryResult } from '../../server/src/service/registry/types';
import { basicAuth, type HelperSpec } from './support/dockerConfig';
import { BASIC_PASSWORD, BASIC_USER, IDENTITY_TOKEN, TOKEN_PASSWORD, TOKEN_USER } from './support/fixture';
import { registryFor, useFixture } from './support/suite';

const fx = useFixture();
beforeEach(() => {
  fx.recorder.requests.length = 0;
  fx.recorderAnswer.status = 404;
  fx.recorderAnswer.headers = {};
  fx.recorderAnswer.body = '';
  fx.basicProxy.reset();
  fx.bearerProxy.reset();
});

/** Every credential of the suite, and the encodings they travel in. */
const SECRETS = [
  BASIC_PASSWORD, TOKEN_PASSWORD, IDENTITY_TOKEN, basicAuth(BASIC_USER, BASIC_PASSWORD), basicAuth(TOKEN_USER, TOKEN_PASSWORD),
];
const logs: string[] = [];

/** A client whose Docker config holds credentials for the Basic registry (direct and behind its proxy) and the Bearer one. */
function withCredentials(insecure: string[], extra: Record<string, unknown> = {}, helpers: Record<string, HelperSpec> = {}) {
  const dir = fx.config({
    auths: {
      [fx.basic.host]: { auth: basicAuth(BASIC_USER, BASIC_PASSWORD) },
      [fx.basicProxy.host]: { auth: basicAuth(BASIC_USER, BASIC_PASSWORD) },
      [fx.bearer.host]: { auth: basicAuth(TOKEN_USER, TOKEN_PASSWORD) },
      [fx.bearerProxy.host]: { auth: basicAuth(TOKEN_USER, TOKEN_PASSWORD) },
    },
    ...extra,
  }, helpers);
  const log = (m: string) => void logs.push(m);
  const registry = registryFor(dir, { log });
  return { dir, registry, client: registry.client({ timeoutMs: 3000, insecure }) };
}

const messages: string[] = [];
function note<T>(r: RegistryResult<T>): RegistryResult<T> {
  if (!r.ok) messages.push(r.error.message);
  return r;
}

function assertNoCredentials(headers: Record<string, unknown>[]): void {
  for (const h of headers) {
    assert.equal(h.authorization, undefined, `an Authorization header reached a host it does not belong to: ${JSON.stringify(h)}`);
    for (const s of SECRETS) assert.ok(!JSON.stringify(h).includes(s));
  }
}

describe('redirects', () => {
  it('a redirect to another host drops Basic credentials, and that host\'s challenge is not answered', async () => {
    fx.recorderAnswer.status = 401;
    fx.recorderAnswer.headers = { 'WWW-Authenticate': 'Basic realm="elsewhere"' };
    fx.basicProxy.inject({ path: /manifests/, when: (req) => !!req.headers.authorization, action: { kind: 'redirect', to: fx.recorder.origin } });
    const { client } = withCredentials([fx.basicProxy.host, fx.recorder.host]);
    const r = note(await client.resolveDigest({ domain: fx.basicProxy.host, path: 'team/app', reference: '1.2.3' }));
    assert.deepEqual(r, { ok: false, error: { kind: 'unauthorized', message: `${fx.basicProxy.host} sent the request on to ${fx.recorder.host}, which asks for credentials; credentials are never sent to another host.` } });
    // The registry itself did get them (after its own challenge); the other host got the request without.
    assert.equal(fx.basicProxy.requests.filter((q) => q.headers.authorization === `Basic ${basicAuth(BASIC_USER, BASIC_PASSWORD)}`).length, 1);
    assert.ok(fx.recorder.requests.length >= 1);
    assertNoCredentials(fx.recorder.requests.map((q) => q.headers));
  });

  it('a redirect to another host drops the Bearer token too', async () => {
    fx.recorderAnswer.status = 200;
    fx.recorderAnswer.headers = { 'Content-Type': 'application/json' };
    fx.recorderAnswer.body = JSON.stringify({ name: 'private/app', tags: ['from-elsewhere'] });
    fx.bearerProxy.inject({ path: /tags\/list/, when: (req) => !!req.headers.authorization, action: { kind: 'redirect', to: fx.recorder.origin } });
    const { client } = withCredentials([fx.bearerProxy.host, fx.tokens.host, fx.recorder.host]);
    const r = note(await client.listTags({ domain: fx.bearerProxy.host, path: 'private/app' }));
    assert.deepEqual(r.ok && r.value, ['from-elsewhere']);
    assert.match(String(fx.bearerProxy.requests.at(-1)?.headers.authorization), /^Bearer /);
    assert.equal(fx.recorder.requests.length, 1);
    assertNoCredentials(fx.recorder.requests.map((q) => q.headers));
  });
});

describe('image configs at a storage host', () => {
  it('a config blob redirected to storage (as S3-backed registries do) is fetched there without the credentials', async () => {
    // The private image's config, as the storage host would serve it.
    const manifest = JSON.parse(fx.images.privateApp.bytes.toString('utf8')) as { config: { digest: string } };
    const blob = Buffer.from(await (await fetch(`${fx.anon.origin}/v2/private/app/blobs/${manifest.config.digest}`)).arrayBuffer());
    fx.recorderAnswer.status = 200;
    fx.recorderAnswer.headers = { 'Content-Type': 'application/octet-stream' };
    fx.recorderAnswer.body = blob.toString('utf8');
    fx.bearerProxy.inject({ path: /blobs\//, when: (req) => !!req.headers.authorization, action: { kind: 'redirect', to: fx.recorder.origin } });
    const { client } = withCredentials([fx.bearerProxy.host, fx.tokens.host, fx.recorder.host]);
    const r = note(await client.describe({ domain: fx.bearerProxy.host, path: 'private/app', reference: '1.0' }));
    assert.ok(r.ok, JSON.stringify(r));
    assert.deepEqual(r.value.platform, { os: 'linux', architecture: 'amd64' });
    assert.equal(fx.recorder.requests.length, 1);
    assertNoCredentials(fx.recorder.requests.map((q) => q.headers));
  });
});

describe('other hosts', () => {
  it('an image on another registry gets none of the configured credentials, and no helper is asked', async () => {
    fx.recorderAnswer.status = 401;
    fx.recorderAnswer.headers = { 'WWW-Authenticate': 'Basic realm="elsewhere"' };
    const { client, dir } = withCredentials([fx.recorder.host], { credHelpers: { [fx.basic.host]: 'watch' } }, { watch: { servers: { [fx.basic.host]: { Username: BASIC_USER, Secret: BASIC_PASSWORD } } } });
    const r = note(await client.resolveDigest({ domain: fx.recorder.host, path: 'team/app', reference: '1.2.3' }));
    assert.equal(!r.ok && r.error.kind, 'unauthorized');
    assertNoCredentials(fx.recorder.requests.map((q) => q.headers));
    assert.deepEqual(dir.asked('watch'), []);
  });

  it('another registry\'s challenge naming a known token service: asked anonymously, never with that service\'s own registry\'s credentials', async () => {
    fx.recorderAnswer.status = 401;
    fx.recorderAnswer.headers = { 'WWW-Authenticate': `Bearer realm="${fx.tokens.realm}",service="k8s-image-lint-test-registry",scope="repository:private/app:pull"` };
    const { client } = withCredentials([fx.recorder.host, fx.tokens.host]);
    const before = fx.tokens.requests.length;
    const r = note(await client.resolveDigest({ domain: fx.recorder.host, path: 'private/app', reference: '1.0' }));
    assert.equal(!r.ok && r.error.kind, 'unauthorized');
    const asked = fx.tokens.requests.slice(before);
    assert.ok(asked.length >= 1);
    assertNoCredentials(asked.map((q) => q.headers));
    assertNoCredentials(fx.recorder.requests.filter((q) => !String(q.headers.authorization ?? '').startsWith('Bearer ')).map((q) => q.headers));
  });
});

describe('plain HTTP', () => {
  it('credentials are never sent over plain HTTP to a host not listed as insecure', async () => {
    const { client } = withCredentials([]);
    const r = note(await client.resolveDigest({ domain: fx.basicProxy.host, path: 'team/app', reference: '1.2.3' }));
    assert.equal(!r.ok && r.error.kind, 'offline');
    assert.equal(fx.basicProxy.requests.length, 0);
  });

  it('a token realm over plain HTTP is refused unless its host is listed too, whoever names it', async () => {
    const { client } = withCredentials([fx.bearer.host]);
    const before = fx.tokens.requests.length;
    const r = note(await client.resolveDigest({ domain: fx.bearer.host, path: 'private/app', reference: '1.0' }));
    assert.deepEqual(r, { ok: false, error: { kind: 'insecure', message: `${fx.tokens.host} would be contacted over plain HTTP, which is allowed only for hosts listed in registry.insecure; add "${fx.tokens.host}" there if it is a local registry.` } });
    assert.equal(fx.tokens.requests.length, before);
  });
});

describe('Docker Hub', () => {
  it('docker.io is served at registry-1.docker.io over HTTPS; its credentials are stored under index.docker.io', () => {
    assert.deepEqual(endpointOf('docker.io', []), { domain: 'docker.io', base: 'https://registry-1.docker.io', host: 'registry-1.docker.io' });
    assert.deepEqual(endpointOf('index.docker.io', []).base, 'https://registry-1.docker.io');
    assert.deepEqual(endpointOf('ghcr.io', []).base, 'https://ghcr.io');
    assert.deepEqual(endpointOf('localhost:5000', ['localhost:5000']).base, 'http://localhost:5000');
    assert.deepEqual(endpointOf('localhost:5000', ['http://LOCALHOST:5000/']).base, 'http://localhost:5000');
    assert.equal(configKeys('docker.io')[0], 'https://index.docker.io/v1/');
  });

  it('Docker Hub credentials are not used for another registry, nor another registry\'s for Docker Hub', async () => {
    const dir = fx.config({ auths: { 'https://index.docker.io/v1/': { auth: basicAuth('hubuser', 'hub-secret') }, 'ghcr.io': { auth: basicAuth('gh', 'gh-secret') } } });
    const store = new DockerConfigCredentials({ env: dir.env });
    assert.deepEqual(await store.get('docker.io'), { kind: 'basic', username: 'hubuser', password: 'hub-secret', source: `${dir.dir}/config.json` });
    assert.equal((await store.get('ghcr.io'))?.kind === 'basic' && (await store.get('ghcr.io') as { username: string }).username, 'gh');
    assert.equal(await store.get('quay.io'), null);
    assert.equal(await store.get('index.docker.io.evil.example'), null);
  });

  it('a 401 for a repository Docker Hub will not show reads "not found or not authorized"', async () => {
    // The Bearer registry stands in for Docker Hub's API: anonymous tokens carry no access to private/.
    const dir = fx.config({});
    const registry = registryFor(dir, { apiBase: { 'docker.io': fx.bearer.origin } });
    const client = registry.client({ timeoutMs: 3000, insecure: [fx.bearer.host, fx.tokens.host] });
    const r = note(await client.resolveDigest({ domain: 'docker.io', path: 'private/app', reference: '1.0' }));
    assert.deepEqual(r, { ok: false, error: { kind: 'not-found-or-unauthorized', message: 'Docker Hub has no repository private/app that you may pull: it does not exist, or it is private and you are not logged in with access to it (Docker Hub answers both the same way).' } });
    const e = await client.exists({ domain: 'docker.io', path: 'private/app', reference: '1.0' });
    assert.equal(e.ok && e.value, false);
    const ok = await client.resolveDigest({ domain: 'docker.io', path: 'team/app', reference: '1.2.3' });
    assert.equal(ok.ok && ok.value.digest, fx.images.appIndex.index.digest);
  });
});

describe('credential helpers', () => {
  it('a helper that hangs is stopped after its timeout; the lookup goes on anonymously', async () => {
    const dir = fx.config({ credHelpers: { [fx.basic.host]: 'slow' } }, { slow: { sleepSeconds: 30 } });
    const problems: string[] = [];
    const registry = new OciRegistry({ credentials: new DockerConfigCredentials({ env: dir.env, helperTimeoutMs: 300, log: (m) => problems.push(m) }) });
    const started = Date.now();
    const r = await registry.client({ timeoutMs: 3000, insecure: [fx.basic.host] }).resolveDigest({ domain: fx.basic.host, path: 'team/app', reference: '1.2.3' });
    assert.equal(!r.ok && r.error.kind, 'unauthorized');
    assert.ok(Date.now() - started < 3000);
    assert.deepEqual(problems, ['Credential helper docker-credential-slow: did not answer within 300 ms and was stopped.']);
  });

  it("the timeout holds when the helper's own child keeps stdout open", async () => {
    const dir = fx.config({ credHelpers: { [fx.basic.host]: 'orphan' } }, { orphan: { orphanSeconds: 30 } });
    const problems: string[] = [];
    const store = new DockerConfigCredentials({ env: dir.env, helperTimeoutMs: 300, log: (m) => problems.push(m) });
    const started = Date.now();
    assert.equal(await store.get(fx.basic.host), null);
    assert.ok(Date.now() - started < 3000, 'not held by the orphan');
    assert.deepEqual(problems, ['Credential helper docker-credential-orphan: did not answer within 300 ms and was stopped.']);
  });

  it('a helper name that is not a plain program name is never run', async () => {
    const dir = fx.config({ credsStore: '../../bin/sh' });
    const problems: string[] = [];
    const store = new DockerConfigCredentials({ env: dir.env, log: (m) => problems.push(m) });
    assert.equal(await store.get('ghcr.io'), null);
    assert.match(problems[0], /^Ignoring the credential helper name "\.\.\/\.\.\/bin\/sh"/);
  });
});

describe('messages and logs', () => {
  it('no message or log line of this suite quotes a credential', () => {
    assert.ok(messages.length >= 5);
    for (const text of [...messages, ...logs]) for (const s of [...SECRETS, BASIC_USER, TOKEN_USER]) assert.ok(!text.includes(s), `"${text}" quotes a credential`);
  });
});
