// The registry side of `npm run bench`: requests and wall time to pin every image of a 50-image file to
// digests ("Pin all images in this file to digests": the service's pinAllDigests over the OCI client), with a
// cold cache (a new client) and a warm one (the same client again), against Debian's docker-registry on loopback
// (as the tests start it): anonymous, behind Bearer token auth, and behind a proxy that adds 50 ms to every
// request (a nearby real registry; the client keeps 4 requests in flight per registry).
// Needs `npm run test:setup` (docker-registry) and a build (out/).
import { existsSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const root = resolve(fileURLToPath(import.meta.url), '../..');
const out = (p) => join(root, 'out', p);

const IMAGES = 50;
const REPOS = 10;
const DELAY_MS = 50;

/** Runs the registry measures and prints them; returns the summary object. */
export async function benchRegistry() {
  if (!existsSync(out('test/registry/support/registryServer.js'))) throw new Error('out/ is missing; run "npm run build" first (npm run bench does).');
  const { startRegistry, storageDir, registryInstalled } = require(out('test/registry/support/registryServer.js'));
  if (!registryInstalled()) throw new Error('docker-registry is not installed; run "npm run test:setup".');
  const { Pusher } = require(out('test/registry/support/images.js'));
  const { startTokenServer, TOKEN_ISSUER, TOKEN_SERVICE } = require(out('test/registry/support/tokenServer.js'));
  const { startFaultProxy } = require(out('test/registry/support/faultProxy.js'));
  const { dockerConfigDir } = require(out('test/registry/support/dockerConfig.js'));
  const { OciRegistry } = require(out('server/src/node/registry/client.js'));
  const { DockerConfigCredentials } = require(out('server/src/node/registry/credentials.js'));
  const { analyze } = require(out('server/src/service/analyze.js'));
  const { defaultSettings } = require(out('server/src/service/settings.js'));
  const { pinAllDigests } = require(out('server/src/service/registry/pins.js'));

  const storage = storageDir();
  const stops = [];
  const config = dockerConfigDir({});
  try {
    const anon = await startRegistry(storage);
    stops.push(anon.stop);
    // 50 images in 10 repositories: every fifth one multi-arch (an OCI index over two platforms).
    const pusher = new Pusher(anon.origin);
    const refs = [];
    await Promise.all(Array.from({ length: REPOS }, async (_, r) => {
      for (let t = 0; t < IMAGES / REPOS; t++) {
        const repo = `bench/app${r}`;
        const tag = `1.${t}.0`;
        if (t === 0) await pusher.multiArch(repo, [tag], `${repo}:${tag}`, [{ os: 'linux', architecture: 'amd64' }, { os: 'linux', architecture: 'arm64' }]);
        else await pusher.image(repo, [tag], `${repo}:${tag}`);
        refs.push(`${repo}:${tag}`);
      }
    }));
    refs.sort();
    const tokens = await startTokenServer({ users: {} });
    stops.push(tokens.close);
    const bearer = await startRegistry(storage, { kind: 'token', realm: tokens.realm, service: TOKEN_SERVICE, issuer: TOKEN_ISSUER, certPem: tokens.certificate.pem });
    stops.push(bearer.stop);
    const slow = await startFaultProxy(anon.origin);
    stops.push(slow.close);
    slow.inject({ path: /./, action: { kind: 'delay', ms: DELAY_MS } });

    const setups = [
      { name: 'anonymous', host: anon.host, insecure: [anon.host] },
      { name: 'bearer token', host: bearer.host, insecure: [bearer.host, tokens.host] },
      { name: `+${DELAY_MS} ms per request`, host: slow.host, insecure: [slow.host] },
    ];
    // Warm the process (JIT, connection pool) and the registries once, with a client that is then dropped:
    // "cold" below means a cold client cache, not a cold Node process.
    for (const setup of setups) {
      const settings = { ...defaultSettings(), registry: { lookups: 'manual', timeoutMs: 10_000, insecure: setup.insecure } };
      const warmup = new OciRegistry({ credentials: new DockerConfigCredentials({ env: config.env }) }).client(settings.registry);
      await pinAllDigests(analyze(manifest([`${setup.host}/${refs[0]}`]), settings), warmup);
    }
    const results = [];
    for (const setup of setups) {
      const text = manifest(refs.map((r) => `${setup.host}/${r}`));
      const settings = { ...defaultSettings(), registry: { lookups: 'manual', timeoutMs: 10_000, insecure: setup.insecure } };
      const analysis = analyze(text, settings);
      const registry = new OciRegistry({ credentials: new DockerConfigCredentials({ env: config.env }) });
      const client = registry.client(settings.registry);
      const measure = async () => {
        const before = registry.requests;
        const issued = tokens.issued;
        const start = performance.now();
        const r = await pinAllDigests(analysis, client);
        const ms = performance.now() - start;
        if (r.pinned !== IMAGES) throw new Error(`${setup.name}: pinned ${r.pinned} of ${IMAGES}: ${JSON.stringify(r.failures.slice(0, 2))}`);
        return { ms, requests: registry.requests - before, tokens: tokens.issued - issued };
      };
      const cold = await measure();
      const warm = await measure();
      results.push({ setup: setup.name, cold, warm });
      console.log(`pin ${IMAGES} images to digests (${setup.name}): cold ${cold.ms.toFixed(0)} ms, ${cold.requests} requests` +
        `${setup.name === 'bearer token' ? ` (${cold.tokens} tokens)` : ''}; warm ${warm.ms.toFixed(1)} ms, ${warm.requests} requests`);
    }
    const summary = {
      bench: 'registry-pin-all', images: IMAGES, repositories: REPOS,
      ...Object.fromEntries(results.map((r) => [r.setup.replace(/\W+/g, '_').replace(/^_|_$/g, ''), {
        coldMs: Math.round(r.cold.ms), coldRequests: r.cold.requests, coldTokens: r.cold.tokens, warmMs: Math.round(r.warm.ms * 10) / 10, warmRequests: r.warm.requests,
      }])),
    };
    console.log(JSON.stringify(summary));
    return summary;
  } finally {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
    config.remove();
    rmSync(storage, { recursive: true, force: true });
  }
}

/** One file, one Deployment per image. */
function manifest(images) {
  return images.map((image, i) => [
    'apiVersion: apps/v1', 'kind: Deployment', 'metadata:', `  name: app${i}`, 'spec:', '  template:', '    spec:', '      containers:',
    `      - name: app`, `        image: ${image}`,
  ].join('\n')).join('\n---\n') + '\n';
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  benchRegistry().catch((e) => {
    console.error(`bench (registry): ${e.message}`);
    process.exitCode = 1;
  });
}
