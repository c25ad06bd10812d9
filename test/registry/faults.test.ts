/**
 * Faults the real registry never produces, injected by the proxy in front of it: 429 with Retry-After (short:
 * waited for; long: fail fast and stay quiet), 403 DENIED, 5xx (retried once), a missing digest header (GET and
 * hash the body), a stalled response and a stalled body (timeouts), a closed port, and HTTPS to a plain-HTTP
 * registry.
 */
import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import { startServer } from './support/httpServer';
import { sha256 } from './support/images';
import { registryFor, useFixture } from './support/suite';
import { MAX_TAGS } from '../../server/src/node/registry/client';

const fx = useFixture();
beforeEach(() => fx.proxy.reset());

function fresh(timeoutMs = 5000, maxRetryWaitMs = 3000) {
  const registry = registryFor(fx.empty, { http: { maxRetryWaitMs } });
  return { registry, client: registry.client({ timeoutMs, insecure: [fx.proxy.host] }) };
}
const ref = (reference: string, path = 'team/app') => ({ domain: fx.proxy.host, path, reference });

describe('429 Too Many Requests', () => {
  it('a short Retry-After is waited for, then the request is sent again', async () => {
    fx.proxy.inject({ method: 'HEAD', path: /manifests/, times: 1, action: { kind: 'status', status: 429, headers: { 'Retry-After': '1' } } });
    const { registry, client } = fresh();
    const started = Date.now();
    const r = await client.resolveDigest(ref('1.2.3'));
    assert.ok(r.ok, JSON.stringify(r));
    assert.equal(r.value.digest, fx.images.appIndex.index.digest);
    assert.ok(Date.now() - started >= 1000, 'waited for Retry-After');
    assert.equal(registry.requests, 2);
  });

  it('a long Retry-After fails at once, and the host is left alone until then', async () => {
    fx.proxy.inject({ path: /manifests|tags/, action: { kind: 'status', status: 429, headers: { 'Retry-After': '600' } } });
    const { registry, client } = fresh();
    const r = await client.resolveDigest(ref('1.2.3'));
    assert.deepEqual(r, { ok: false, error: { kind: 'rate-limited', message: `${fx.proxy.host} is rate-limiting requests (HTTP 429); try again in 10 minutes.` } });
    const again = await client.listTags({ domain: fx.proxy.host, path: 'team/app' });
    assert.equal(!again.ok && again.error.kind, 'rate-limited');
    assert.equal(registry.requests, 1, 'no second request while rate-limited');
    assert.equal(fx.proxy.requests.length, 1);
  });
});

describe('errors from the registry', () => {
  it('403 DENIED: unauthorized, quoting the registry', async () => {
    fx.proxy.inject({ path: /manifests/, action: { kind: 'status', status: 403, body: JSON.stringify({ errors: [{ code: 'DENIED', message: 'requested access to the resource is denied' }] }) } });
    const r = await fresh().client.resolveDigest(ref('1.2.3'));
    assert.deepEqual(r, { ok: false, error: { kind: 'unauthorized', message: `${fx.proxy.host} denied access to ${fx.proxy.host}/team/app:1.2.3 ("requested access to the resource is denied"). Check that your account may pull it.` } });
  });

  it('a 503 once is retried; a lasting 500 is a server error', async () => {
    fx.proxy.inject({ method: 'HEAD', path: /manifests/, times: 1, action: { kind: 'status', status: 503 } });
    const ok = await fresh().client.resolveDigest(ref('1.9.1'));
    assert.ok(ok.ok && ok.value.digest === fx.images.app191.digest, JSON.stringify(ok));
    fx.proxy.reset();
    fx.proxy.inject({ path: /manifests/, action: { kind: 'status', status: 500 } });
    const { registry, client } = fresh();
    const r = await client.resolveDigest(ref('1.9.1'));
    assert.deepEqual(r, { ok: false, error: { kind: 'server', message: `${fx.proxy.host} failed with HTTP 500 while looking up ${fx.proxy.host}/team/app:1.9.1; try again later.` } });
    assert.equal(registry.requests, 2, 'one retry');
  });

  it('no Docker-Content-Digest: GET the manifest and hash the exact bytes', async () => {
    fx.proxy.inject({ path: /manifests/, action: { kind: 'strip-digest' } });
    const { registry, client } = fresh();
    for (const [reference, want] of [['1.2.3', fx.images.appIndex.index], ['1.10.0', fx.images.app1100]] as const) {
      const r = await client.resolveDigest(ref(reference));
      assert.ok(r.ok, JSON.stringify(r));
      assert.equal(r.value.digest, sha256(want.bytes));
      assert.equal(r.value.mediaType, want.mediaType);
    }
    assert.deepEqual(fx.proxy.requests.map((q) => q.method), ['HEAD', 'GET', 'HEAD', 'GET']);
    assert.equal(registry.requests, 4);
  });

  it('a body that does not hash to the digest asked for is not trusted', async () => {
    const other = fx.images.app1100;
    // Serve 1.10.0's bytes for 1.9.1's digest.
    fx.proxy.inject({ path: new RegExp(`manifests/${fx.images.app191.digest}`), action: { kind: 'redirect', to: `${fx.proxy.origin}/v2/team/app/manifests/${other.digest}#` } });
    const r = await fresh().client.resolveDigest(ref(fx.images.app191.digest));
    assert.equal(r.ok, false);
    assert.equal(!r.ok && r.error.kind, 'server');
  });
});

describe('timeouts and connections', () => {
  it('a registry that never answers: a timeout within the configured time', async () => {
    fx.proxy.inject({ path: /manifests/, action: { kind: 'stall' } });
    const started = Date.now();
    const r = await fresh(300).client.resolveDigest(ref('1.2.3'));
    assert.deepEqual(r, { ok: false, error: { kind: 'timeout', message: `${fx.proxy.host} did not answer within 300 ms (the registry.timeoutMs setting); it may be slow or unreachable.` } });
    assert.ok(Date.now() - started < 3000);
  });

  it('a body that stops half-way: the same timeout', async () => {
    fx.proxy.inject({ path: /tags\/list/, action: { kind: 'stall-body' } });
    const r = await fresh(300).client.listTags({ domain: fx.proxy.host, path: 'team/app' });
    assert.equal(!r.ok && r.error.kind, 'timeout');
  });

  it('nothing listening: offline, saying so', async () => {
    const gone = await startServer(() => undefined);
    await gone.close();
    const registry = registryFor(fx.empty);
    const r = await registry.client({ timeoutMs: 2000, insecure: [gone.host] }).resolveDigest({ domain: gone.host, path: 'a/b', reference: '1' });
    assert.deepEqual(r, { ok: false, error: { kind: 'offline', message: `Cannot reach ${gone.host}: the connection was refused (ECONNREFUSED). Check the network connection, proxy or registry address.` } });
  });

  it('a plain-HTTP registry not listed as insecure is tried over HTTPS only, and the message says how to allow it', async () => {
    const registry = registryFor(fx.empty);
    fx.proxy.reset();
    const r = await registry.client({ timeoutMs: 2000, insecure: [] }).resolveDigest({ domain: fx.proxy.host, path: 'team/app', reference: '1.2.3' });
    assert.equal(!r.ok && r.error.kind, 'offline');
    assert.match(!r.ok ? r.error.message : '', new RegExp(`^Cannot talk HTTPS to ${fx.proxy.host} \\(.+\\)\\. If it is a local registry that serves plain HTTP, add "${fx.proxy.host}" to registry.insecure\\.$`));
    assert.equal(fx.proxy.requests.length, 0, 'no plain-HTTP request was made');
  });
});

describe('a registry cannot write into the YAML', () => {
  it('tags outside the tag grammar (a line break and YAML, a path) are never listed, so never completed or pinned', async () => {
    const body = JSON.stringify({ name: 'team/app', tags: ['1.0.0', '1.0.1\nimagePullPolicy: Never', '../../etc', '-x', 'ok_2', 'a'.repeat(129)] });
    fx.proxy.inject({ method: 'GET', path: /tags\/list/, action: { kind: 'status', status: 200, headers: { 'Content-Type': 'application/json' }, body } });
    const r = await fresh().client.listTags({ domain: fx.proxy.host, path: 'team/app' });
    assert.ok(r.ok, JSON.stringify(r));
    assert.deepEqual([...r.value].sort(), ['1.0.0', 'ok_2']);
  });

  it('a GET whose digest header disagrees with the body: the sha256 of the bytes received is the digest', async () => {
    const manifest = JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json', config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: `sha256:${'0'.repeat(64)}`, size: 2 }, layers: [] });
    fx.proxy.inject({ method: 'HEAD', path: /manifests/, action: { kind: 'status', status: 405 } });
    fx.proxy.inject({ method: 'GET', path: /manifests/, action: { kind: 'status', status: 200, headers: { 'Content-Type': 'application/vnd.oci.image.manifest.v1+json', 'Docker-Content-Digest': `sha256:${'f'.repeat(64)}` }, body: manifest } });
    const r = await fresh().client.resolveDigest(ref('9.9.9'));
    assert.ok(r.ok, JSON.stringify(r));
    assert.equal(r.value.digest, sha256(manifest));
  });
});

describe('huge tag lists', () => {
  it('are cut at MAX_TAGS without failing', async () => {
    const tags = Array.from({ length: MAX_TAGS + 20_000 }, (_, i) => `t${i}`);
    fx.proxy.inject({ method: 'GET', path: /tags\/list/, action: { kind: 'status', status: 200, headers: { 'Content-Type': 'application/json', Link: '</v2/team/app/tags/list?n=2&last=x>; rel="next"' }, body: JSON.stringify({ name: 'team/app', tags }) } });
    const r = await fresh().client.listTags({ domain: fx.proxy.host, path: 'team/app' });
    assert.ok(r.ok, JSON.stringify(r));
    assert.equal(r.value.length, MAX_TAGS);
  });
});
