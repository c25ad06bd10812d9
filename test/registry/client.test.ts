/**
 * The OCI client against Debian's real docker-registry (anonymous setup): exact digests of an OCI index, a
 * Docker manifest list and single-platform manifests of both kinds, tag lists (also paginated through the
 * proxy), "not found" sentences, the cache, shared in-flight lookups and the concurrency cap.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { OciRegistry } from '../../server/src/node/registry/client';
import type { RegistryClient } from '../../server/src/service/registry/types';
import { APP_TAGS } from './support/fixture';
import { DOCKER_LIST, DOCKER_MANIFEST, OCI_INDEX, OCI_MANIFEST, sha256 } from './support/images';
import { registryFor, useFixture } from './support/suite';

const fx = useFixture();

/** A fresh registry (empty cache) whose client may use plain HTTP to `hosts`. */
function fresh(hosts: string[], timeoutMs = 5000): { registry: OciRegistry; client: RegistryClient } {
  const registry = registryFor(fx.empty);
  return { registry, client: registry.client({ timeoutMs, insecure: hosts }) };
}

describe('digests', () => {
  it('a multi-arch tag resolves to the OCI index digest, not a platform manifest', async () => {
    const { client } = fresh([fx.anon.host]);
    const r = await client.resolveDigest({ domain: fx.anon.host, path: 'team/app', reference: '1.2.3' });
    assert.ok(r.ok, JSON.stringify(r));
    assert.equal(r.value.digest, fx.images.appIndex.index.digest);
    assert.equal(r.value.digest, sha256(fx.images.appIndex.index.bytes));
    assert.equal(r.value.mediaType, OCI_INDEX);
    assert.equal(r.value.multiArch, true);
    assert.ok(!fx.images.appIndex.children.some((c) => c.digest === r.value.digest));
  });

  it('the digests are the same on every run (deterministic pushes)', async () => {
    // If these change, the pushed bytes changed: digests in the other tests are computed, these are literal.
    assert.equal(fx.images.appIndex.index.digest, 'sha256:15664115022e4d719634b3850ff9b1c9e6f21ff5bc864742ca6fcb5675ff3290');
    assert.equal(fx.images.legacyList.index.digest, 'sha256:971a81072694eabdecdbf04846cf01a832a4145f8273ec33724e7fbe7610a84a');
  });

  it('a Docker manifest list resolves to the list digest (all four types in Accept)', async () => {
    const { client } = fresh([fx.anon.host]);
    const r = await client.resolveDigest({ domain: fx.anon.host, path: 'team/legacy', reference: '3.1' });
    assert.ok(r.ok, JSON.stringify(r));
    assert.equal(r.value.digest, fx.images.legacyList.index.digest);
    assert.equal(r.value.mediaType, DOCKER_LIST);
    assert.equal(r.value.multiArch, true);
  });

  it('single-platform OCI and Docker manifests', async () => {
    const { client } = fresh([fx.anon.host]);
    const oci = await client.resolveDigest({ domain: fx.anon.host, path: 'team/app', reference: '1.10.0' });
    assert.deepEqual(oci, { ok: true, value: { digest: fx.images.app1100.digest, mediaType: OCI_MANIFEST, multiArch: false }, fetchedAt: (oci as { fetchedAt: number }).fetchedAt });
    const docker = await client.resolveDigest({ domain: fx.anon.host, path: 'team/legacy', reference: '3.0' });
    assert.ok(docker.ok);
    assert.equal(docker.value.digest, fx.images.legacy30.digest);
    assert.equal(docker.value.mediaType, DOCKER_MANIFEST);
  });

  it('a digest reference resolves to itself; exists() says true', async () => {
    const { client } = fresh([fx.anon.host]);
    const ref = { domain: fx.anon.host, path: 'team/app', reference: fx.images.app191.digest };
    const r = await client.resolveDigest(ref);
    assert.ok(r.ok);
    assert.equal(r.value.digest, fx.images.app191.digest);
    assert.deepEqual(await client.exists(ref).then((e) => e.ok && e.value), true);
  });
});

describe('not found', () => {
  it('an unknown tag, digest or repository: a sentence naming it, and exists() false', async () => {
    const { client } = fresh([fx.anon.host]);
    const tag = await client.resolveDigest({ domain: fx.anon.host, path: 'team/app', reference: '9.9.9' });
    assert.deepEqual(tag, { ok: false, error: { kind: 'not-found', message: `${fx.anon.host}/team/app has no tag 9.9.9.` } });
    const missingDigest = `sha256:${'0'.repeat(64)}`;
    const digest = await client.resolveDigest({ domain: fx.anon.host, path: 'team/app', reference: missingDigest });
    assert.deepEqual(digest, { ok: false, error: { kind: 'not-found', message: `${fx.anon.host}/team/app has no digest ${missingDigest}.` } });
    const repo = await client.resolveDigest({ domain: fx.anon.host, path: 'team/nothing', reference: '1.0' });
    assert.deepEqual(repo, { ok: false, error: { kind: 'not-found', message: `The repository ${fx.anon.host}/team/nothing does not exist.` } });
    const tags = await client.listTags({ domain: fx.anon.host, path: 'team/nothing' });
    assert.equal(!tags.ok && tags.error.kind, 'not-found');
    const e = await client.exists({ domain: fx.anon.host, path: 'team/app', reference: '9.9.9' });
    assert.equal(e.ok && e.value, false);
  });

  it('each failed lookup is reported once to onFailure (the Output channel), cached answers are not', async () => {
    const failures: string[] = [];
    const registry = registryFor(fx.empty, { onFailure: (what, e) => failures.push(`${what}: ${e.kind}: ${e.message}`) });
    const client = registry.client({ timeoutMs: 5000, insecure: [fx.anon.host] });
    const ref = { domain: fx.anon.host, path: 'team/app', reference: '9.9.9' };
    await client.resolveDigest(ref);
    await client.resolveDigest(ref);
    await client.resolveDigest({ domain: fx.anon.host, path: 'team/app', reference: '1.2.3' });
    await client.listTags({ domain: fx.anon.host, path: 'team/nothing' });
    assert.deepEqual(failures, [
      `${fx.anon.host}/team/app:9.9.9: not-found: ${fx.anon.host}/team/app has no tag 9.9.9.`,
      `${fx.anon.host}/team/nothing (tags): not-found: The repository ${fx.anon.host}/team/nothing does not exist.`,
    ]);
  });
});

describe('tags', () => {
  it('lists every tag of the repository', async () => {
    const { client } = fresh([fx.anon.host]);
    const r = await client.listTags({ domain: fx.anon.host, path: 'team/app' });
    assert.ok(r.ok);
    assert.deepEqual([...r.value].sort(), [...APP_TAGS].sort());
  });

  it('follows Link pagination to the last page', async () => {
    fx.proxy.reset();
    fx.proxy.paginate(5);
    const { client } = fresh([fx.proxy.host]);
    const r = await client.listTags({ domain: fx.proxy.host, path: 'many/tags' });
    assert.ok(r.ok, JSON.stringify(r));
    assert.deepEqual(r.value, [...fx.images.manyTags].sort());
    const pages = fx.proxy.requests.filter((q) => q.url.includes('/tags/list'));
    assert.deepEqual(pages.map((q) => q.url), [
      '/v2/many/tags/tags/list',
      // Lexical order, as the spec pages: 1.0.0 1.0.1 1.0.10 1.0.11 1.0.2 | 1.0.3 … 1.0.7 | 1.0.8 1.0.9
      '/v2/many/tags/tags/list?n=5&last=1.0.2',
      '/v2/many/tags/tags/list?n=5&last=1.0.7',
    ]);
    fx.proxy.reset();
  });
});

describe('cache and concurrency', () => {
  it('answers again from the cache, and shares a lookup already under way', async () => {
    const { registry, client } = fresh([fx.anon.host]);
    const ref = { domain: fx.anon.host, path: 'team/app', reference: '1.9.1' };
    assert.equal(client.cachedDigest(ref), undefined);
    const [a, b, c] = await Promise.all([client.resolveDigest(ref), client.resolveDigest(ref), client.resolveDigest(ref)]);
    assert.equal(registry.requests, 1);
    assert.deepEqual(a, b);
    assert.deepEqual(b, c);
    const again = await client.resolveDigest(ref);
    assert.equal(registry.requests, 1);
    assert.deepEqual(again, a);
    assert.deepEqual(client.cachedDigest(ref), a);
  });

  it('keeps at most 4 requests in flight per registry', async () => {
    fx.proxy.reset();
    fx.proxy.inject({ method: 'HEAD', path: /manifests/, action: { kind: 'delay', ms: 50 } });
    const { registry, client } = fresh([fx.proxy.host]);
    const results = await Promise.all(fx.images.manyTags.map((t) => client.resolveDigest({ domain: fx.proxy.host, path: 'many/tags', reference: t })));
    assert.ok(results.every((r) => r.ok));
    assert.equal(registry.requests, 12);
    assert.equal(fx.proxy.maxInFlight(), 4);
    fx.proxy.reset();
  });
});
