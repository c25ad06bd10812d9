/**
 * Everything the registry tests talk to, started once per test file on loopback ephemeral ports:
 * - `anon`: Debian's docker-registry without auth, holding the images below (pushed over HTTP);
 * - `basic`: the same storage behind htpasswd Basic auth (the committed test-only fixture user);
 * - `tokens` + `bearer`: the same storage behind Bearer token auth, with the suite's token server;
 * - `proxy`: the fault-injecting proxy in front of `anon`; `basicProxy`, `bearerProxy` in front of the others;
 * - `recorder`: another host that records whatever reaches it (to prove credentials never do).
 * Call `stop()` in `after()`: it kills every process by PID and removes every temporary directory.
 */
import { rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { startFaultProxy, type FaultProxy } from './faultProxy';
import { startServer, type TestServer } from './httpServer';
import { Pusher, type Pushed } from './images';
import { startRegistry, storageDir, type Registry } from './registryServer';
import { startTokenServer, TOKEN_ISSUER, TOKEN_SERVICE, type TokenServer } from './tokenServer';

export const PROJECT_ROOT = resolve(__dirname, '../../../..');
/** The committed htpasswd line's user and password (test-only; see test/registry/fixtures/README.md). */
export const BASIC_USER = 'reader';
export const BASIC_PASSWORD = 'reader-test-only-pw';
/** The token server's user (a different password, so a leak of either is told apart). */
export const TOKEN_USER = 'puller';
export const TOKEN_PASSWORD = 'puller-test-only-pw';
export const IDENTITY_TOKEN = 'identity-token-test-only';

export interface Images {
  /** team/app:1.2.3 — an OCI index over linux/amd64 and linux/arm64. */
  appIndex: { index: Pushed; children: Pushed[] };
  /** team/app:1.10.0 and :latest — a single-platform OCI manifest. */
  app1100: Pushed;
  app191: Pushed;
  app1100alpine: Pushed;
  /** team/legacy:3.1 — a Docker manifest list; :3.0 a Docker schema 2 manifest. */
  legacyList: { index: Pushed; children: Pushed[] };
  legacy30: Pushed;
  /** private/app:1.0 — pullable only with credentials on the Bearer registry. */
  privateApp: Pushed;
  /** many/tags: 12 tags for pagination. */
  manyTags: string[];
  /** team/amd:2.0 — an index whose images are all linux/amd64 (and a build attestation, `unknown/unknown`). */
  amdIndex: { index: Pushed; children: Pushed[] };
  /** team/moving:1.0 — first a linux/amd64 image (`before`, what a pin copied), then moved to an amd64+arm64 index (`after`). */
  moving: { before: Pushed; after: { index: Pushed; children: Pushed[] } };
}

/** Every tag of team/app. */
export const APP_TAGS = ['1.2.3', '1.9.1', '1.10.0', 'latest', '1.10.0-alpine', 'alpine', '1.9.1-alpine', '2.0.0-rc1'];

export interface Fixture {
  anon: Registry;
  basic: Registry;
  bearer: Registry;
  tokens: TokenServer;
  proxy: FaultProxy;
  basicProxy: FaultProxy;
  bearerProxy: FaultProxy;
  recorder: TestServer;
  /** What the recorder answers; tests replace it. */
  recorderAnswer: { status: number; headers: Record<string, string>; body: string };
  images: Images;
  stop(): Promise<void>;
}

export async function startFixture(): Promise<Fixture> {
  const storage = storageDir();
  const stops: (() => Promise<void>)[] = [async () => rmSync(storage, { recursive: true, force: true })];
  const stop = async () => {
    for (const s of stops.reverse()) await s().catch(() => undefined);
  };
  try {
    const anon = await startRegistry(storage);
    stops.push(anon.stop);
    const images = await pushImages(new Pusher(anon.origin));
    const basic = await startRegistry(storage, { kind: 'htpasswd', path: join(PROJECT_ROOT, 'test/registry/fixtures/htpasswd') });
    stops.push(basic.stop);
    const tokens = await startTokenServer({ users: { [TOKEN_USER]: TOKEN_PASSWORD }, identityTokens: { [IDENTITY_TOKEN]: TOKEN_USER } });
    stops.push(tokens.close);
    const bearer = await startRegistry(storage, { kind: 'token', realm: tokens.realm, service: TOKEN_SERVICE, issuer: TOKEN_ISSUER, certPem: tokens.certificate.pem });
    stops.push(bearer.stop);
    const proxy = await startFaultProxy(anon.origin);
    stops.push(proxy.close);
    const basicProxy = await startFaultProxy(basic.origin);
    stops.push(basicProxy.close);
    const bearerProxy = await startFaultProxy(bearer.origin);
    stops.push(bearerProxy.close);
    const recorderAnswer = { status: 404, headers: {} as Record<string, string>, body: '' };
    const recorder = await startServer((_req, res) => {
      res.writeHead(recorderAnswer.status, recorderAnswer.headers);
      res.end(recorderAnswer.body);
    });
    stops.push(recorder.close);
    return { anon, basic, bearer, tokens, proxy, basicProxy, bearerProxy, recorder, recorderAnswer, images, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}

async function pushImages(p: Pusher): Promise<Images> {
  const platforms = [{ os: 'linux', architecture: 'amd64' }, { os: 'linux', architecture: 'arm64' }];
  const manyTags = Array.from({ length: 12 }, (_, i) => `1.0.${i}`);
  // Independent images go up side by side; each one's own steps stay in order.
  const [appIndex, app191, app1100, app1100alpine, , , legacyList, legacy30, privateApp] = await Promise.all([
    p.multiArch('team/app', ['1.2.3'], 'app-1.2.3', platforms),
    p.image('team/app', ['1.9.1'], 'app-1.9.1'),
    p.image('team/app', ['1.10.0', 'latest'], 'app-1.10.0'),
    p.image('team/app', ['1.10.0-alpine', 'alpine'], 'app-1.10.0-alpine'),
    p.image('team/app', ['1.9.1-alpine'], 'app-1.9.1-alpine'),
    p.image('team/app', ['2.0.0-rc1'], 'app-2.0.0-rc1'),
    p.multiArch('team/legacy', ['3.1'], 'legacy-3.1', platforms, true),
    p.image('team/legacy', ['3.0'], 'legacy-3.0', platforms[0], true),
    p.image('private/app', ['1.0'], 'private-1.0'),
    p.image('many/tags', manyTags, 'many'),
  ]) as [{ index: Pushed; children: Pushed[] }, Pushed, Pushed, Pushed, Pushed, Pushed, { index: Pushed; children: Pushed[] }, Pushed, Pushed, Pushed];
  const [amdIndex, moving] = await Promise.all([
    p.multiArch('team/amd', ['2.0'], 'amd-2.0', [platforms[0], { os: 'unknown', architecture: 'unknown' }]),
    // The tag moves after a pin was copied: pushed in this order.
    (async () => ({ before: await p.image('team/moving', ['1.0'], 'moving-old'), after: await p.multiArch('team/moving', ['1.0'], 'moving-new', platforms) }))(),
  ]);
  return { appIndex, app1100, app191, app1100alpine, legacyList, legacy30, privateApp, manyTags, amdIndex, moving };
}
