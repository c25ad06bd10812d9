/**
 * The challenge flows against the real registry: htpasswd Basic, and Bearer tokens from the suite's token
 * server (anonymous, with a password, with an identity token, `insufficient_scope`, `invalid_token`), with
 * credentials from a Docker config (`auths`, `credHelpers`, `credsStore`).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { basicAuth, type DockerConfigDir } from './support/dockerConfig';
import { BASIC_PASSWORD, BASIC_USER, IDENTITY_TOKEN, TOKEN_PASSWORD, TOKEN_USER } from './support/fixture';
import { registryFor, useFixture } from './support/suite';

const fx = useFixture();

/** A registry with its own cache and tokens, reading credentials from `dir`, allowed plain HTTP to `hosts`. */
function clientWith(dir: DockerConfigDir, hosts: string[]) {
  const registry = registryFor(dir);
  return { registry, client: registry.client({ timeoutMs: 5000, insecure: hosts }) };
}

describe('Basic (htpasswd)', () => {
  it('with `auths` credentials: the exact digest', async () => {
    const dir = fx.config({ auths: { [fx.basic.host]: { auth: basicAuth(BASIC_USER, BASIC_PASSWORD) } } });
    const { client } = clientWith(dir, [fx.basic.host]);
    const r = await client.resolveDigest({ domain: fx.basic.host, path: 'team/app', reference: '1.2.3' });
    assert.ok(r.ok, JSON.stringify(r));
    assert.equal(r.value.digest, fx.images.appIndex.index.digest);
  });

  it('with `username`/`password` fields and a scheme in the key', async () => {
    const dir = fx.config({ auths: { [`http://${fx.basic.host}/v2/`]: { username: BASIC_USER, password: BASIC_PASSWORD } } });
    const { client } = clientWith(dir, [fx.basic.host]);
    const r = await client.listTags({ domain: fx.basic.host, path: 'team/legacy' });
    assert.ok(r.ok, JSON.stringify(r));
    assert.deepEqual([...r.value].sort(), ['3.0', '3.1']);
  });

  it('authenticates up front once the registry has challenged: one 401 per registry, not per request', async () => {
    const dir = fx.config({ auths: { [fx.basicProxy.host]: { auth: basicAuth(BASIC_USER, BASIC_PASSWORD) } } });
    fx.basicProxy.reset();
    const { client } = clientWith(dir, [fx.basicProxy.host]);
    for (const tag of ['1.2.3', '1.9.1', '1.10.0']) {
      const r = await client.resolveDigest({ domain: fx.basicProxy.host, path: 'team/app', reference: tag });
      assert.ok(r.ok, JSON.stringify(r));
    }
    assert.deepEqual(fx.basicProxy.requests.map((q) => `${q.method} ${q.headers.authorization ? 'auth' : 'anon'}`), ['HEAD anon', 'HEAD auth', 'HEAD auth', 'HEAD auth']);
  });

  it('without credentials, or with wrong ones: unauthorized, saying what to do', async () => {
    const none = clientWith(fx.config({}), [fx.basic.host]).client;
    const r = await none.resolveDigest({ domain: fx.basic.host, path: 'team/app', reference: '1.2.3' });
    assert.deepEqual(r, { ok: false, error: { kind: 'unauthorized', message: `${fx.basic.host} needs credentials and the Docker config has none for it. Log in with \`docker login ${fx.basic.host}\`.` } });
    const dir = fx.config({ auths: { [fx.basic.host]: { auth: basicAuth(BASIC_USER, 'wrong-password') } } });
    const wrong = await clientWith(dir, [fx.basic.host]).client.resolveDigest({ domain: fx.basic.host, path: 'team/app', reference: '1.2.3' });
    assert.deepEqual(wrong, { ok: false, error: { kind: 'unauthorized', message: `${fx.basic.host} refused access with the credentials from ${dir.dir}/config.json: they are wrong or do not allow pulling this repository.` } });
  });

  it('from a credential helper (`credHelpers`), asked for this registry only', async () => {
    const dir = fx.config({ credHelpers: { [fx.basic.host]: 'testhelper' } }, { testhelper: { servers: { [fx.basic.host]: { Username: BASIC_USER, Secret: BASIC_PASSWORD } } } });
    const { client } = clientWith(dir, [fx.basic.host]);
    const r = await client.resolveDigest({ domain: fx.basic.host, path: 'team/app', reference: '1.10.0' });
    assert.ok(r.ok, JSON.stringify(r));
    assert.equal(r.value.digest, fx.images.app1100.digest);
    assert.deepEqual(dir.asked('testhelper'), [fx.basic.host]);
  });

  it('from a credential store (`credsStore`)', async () => {
    const dir = fx.config({ credsStore: 'teststore', auths: { [fx.basic.host]: {} } }, { teststore: { servers: { [fx.basic.host]: { Username: BASIC_USER, Secret: BASIC_PASSWORD } } } });
    const { client } = clientWith(dir, [fx.basic.host]);
    const r = await client.resolveDigest({ domain: fx.basic.host, path: 'team/legacy', reference: '3.1' });
    assert.ok(r.ok, JSON.stringify(r));
    assert.equal(r.value.digest, fx.images.legacyList.index.digest);
  });
});

describe('Bearer tokens', () => {
  it('anonymous: a token for the public repository, then the exact digest', async () => {
    const { client } = clientWith(fx.config({}), [fx.bearer.host, fx.tokens.host]);
    const r = await client.resolveDigest({ domain: fx.bearer.host, path: 'team/app', reference: '1.2.3' });
    assert.ok(r.ok, JSON.stringify(r));
    assert.equal(r.value.digest, fx.images.appIndex.index.digest);
  });

  it('anonymous on a private repository: insufficient_scope, reported as unauthorized', async () => {
    const { client } = clientWith(fx.config({}), [fx.bearer.host, fx.tokens.host]);
    const r = await client.resolveDigest({ domain: fx.bearer.host, path: 'private/app', reference: '1.0' });
    assert.deepEqual(r, { ok: false, error: { kind: 'unauthorized', message: `${fx.bearer.host} does not allow anonymous pulls of this repository. Log in with \`docker login ${fx.bearer.host}\`.` } });
  });

  it('with a password: the token service gets Basic, the registry gets the token', async () => {
    const dir = fx.config({ auths: { [fx.bearer.host]: { auth: basicAuth(TOKEN_USER, TOKEN_PASSWORD) } } });
    const { client } = clientWith(dir, [fx.bearer.host, fx.tokens.host]);
    const before = fx.tokens.requests.length;
    const r = await client.resolveDigest({ domain: fx.bearer.host, path: 'private/app', reference: '1.0' });
    assert.ok(r.ok, JSON.stringify(r));
    assert.equal(r.value.digest, fx.images.privateApp.digest);
    const asked = fx.tokens.requests.slice(before);
    assert.equal(asked.length, 1);
    assert.equal(asked[0].headers.authorization, `Basic ${basicAuth(TOKEN_USER, TOKEN_PASSWORD)}`);
    assert.match(asked[0].url, /^\/token\?service=k8s-image-lint-test-registry&scope=repository%3Aprivate%2Fapp%3Apull$/);
  });

  it('with an identity token: exchanged as an OAuth2 refresh token (POST)', async () => {
    const dir = fx.config({ auths: { [fx.bearer.host]: { identitytoken: IDENTITY_TOKEN } } });
    const { client } = clientWith(dir, [fx.bearer.host, fx.tokens.host]);
    const before = fx.tokens.requests.length;
    const r = await client.listTags({ domain: fx.bearer.host, path: 'private/app' });
    assert.ok(r.ok, JSON.stringify(r));
    assert.deepEqual(r.value, ['1.0']);
    const asked = fx.tokens.requests.slice(before);
    assert.equal(asked[0].method, 'POST');
    assert.equal(new URLSearchParams(asked[0].body).get('grant_type'), 'refresh_token');
  });

  it('a wrong password: the token service refuses, and the message names where the credentials came from', async () => {
    const dir = fx.config({ auths: { [fx.bearer.host]: { auth: basicAuth(TOKEN_USER, 'nope') } } });
    const r = await clientWith(dir, [fx.bearer.host, fx.tokens.host]).client.resolveDigest({ domain: fx.bearer.host, path: 'team/app', reference: '1.2.3' });
    assert.deepEqual(r, { ok: false, error: { kind: 'unauthorized', message: `The token service of ${fx.bearer.host} (${fx.tokens.host}) refused the credentials from ${dir.dir}/config.json. Log in again with \`docker login ${fx.bearer.host}\`.` } });
  });

  it('reuses a token for the same repository, and fetches one per repository', async () => {
    const { client } = clientWith(fx.config({}), [fx.bearerProxy.host, fx.tokens.host]);
    fx.bearerProxy.reset();
    const issued = fx.tokens.issued;
    for (const tag of ['1.2.3', '1.9.1']) assert.ok((await client.resolveDigest({ domain: fx.bearerProxy.host, path: 'team/app', reference: tag })).ok);
    assert.equal(fx.tokens.issued - issued, 1);
    assert.ok((await client.resolveDigest({ domain: fx.bearerProxy.host, path: 'team/legacy', reference: '3.1' })).ok);
    assert.equal(fx.tokens.issued - issued, 2);
    // The first request met the challenge; every later one carried its token from the start.
    assert.deepEqual(fx.bearerProxy.requests.map((q) => q.headers.authorization ? 'auth' : 'anon'), ['anon', 'auth', 'auth', 'auth']);
  });

  it('lookups started together meet one challenge and share one token per repository', async () => {
    const { client, registry } = clientWith(fx.config({}), [fx.bearerProxy.host, fx.tokens.host]);
    fx.bearerProxy.reset();
    const issued = fx.tokens.issued;
    const tags = ['1.2.3', '1.9.1', '1.10.0', 'latest', 'alpine', '1.9.1-alpine'];
    const results = await Promise.all(tags.map((t) => client.resolveDigest({ domain: fx.bearerProxy.host, path: 'team/app', reference: t })));
    assert.ok(results.every((r) => r.ok), JSON.stringify(results));
    assert.equal(fx.tokens.issued - issued, 1);
    assert.equal(fx.bearerProxy.requests.filter((q) => !q.headers.authorization).length, 1, 'one unauthenticated probe');
    assert.equal(registry.requests, 1 + 1 + tags.length);
  });

  it('invalid_token (an expired or revoked token): a fresh token, once', async () => {
    const { client } = clientWith(fx.config({}), [fx.bearerProxy.host, fx.tokens.host]);
    const ref = { domain: fx.bearerProxy.host, path: 'team/legacy', reference: '3.0' };
    assert.ok((await client.resolveDigest(ref)).ok);
    fx.bearerProxy.reset();
    const realm = fx.tokens.realm;
    fx.bearerProxy.inject({
      path: /\/manifests\//, times: 1, when: (req) => !!req.headers.authorization,
      action: { kind: 'status', status: 401, headers: { 'WWW-Authenticate': `Bearer realm="${realm}",service="k8s-image-lint-test-registry",scope="repository:team/legacy:pull",error="invalid_token"` } },
    });
    const issued = fx.tokens.issued;
    const r = await client.resolveDigest({ ...ref, reference: fx.images.legacy30.digest });
    assert.ok(r.ok, JSON.stringify(r));
    assert.equal(fx.tokens.issued - issued, 1);
    fx.bearerProxy.reset();
  });
});
