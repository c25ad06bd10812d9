/**
 * Debian's `docker-registry` (the CNCF distribution registry 2.8.2) on a loopback ephemeral port, one process
 * per call, its port read from its own log ("listening on 127.0.0.1:NNNNN"). Several processes may serve one
 * storage directory: the suite pushes into an anonymous one and serves the same content with Basic and
 * Bearer auth. `stop()` kills the process by its PID.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export type RegistryAuth =
  | { kind: 'none' }
  | { kind: 'htpasswd'; path: string }
  | { kind: 'token'; realm: string; service: string; issuer: string; certPem: string };

export interface Registry {
  /** `127.0.0.1:PORT` */
  host: string;
  origin: string;
  port: number;
  storage: string;
  log(): string;
  stop(): Promise<void>;
}

const BINARY = 'docker-registry';

/** True when the registry binary is installed (by `npm run test:setup`). */
export function registryInstalled(): boolean {
  return spawnSync(BINARY, ['--version'], { encoding: 'utf8' }).status === 0;
}

/** A fresh storage directory; remove it with `rmSync` after the suite. */
export function storageDir(): string {
  return mkdtempSync(join(tmpdir(), 'k8s-image-lint-registry-'));
}

export async function startRegistry(storage: string, auth: RegistryAuth = { kind: 'none' }): Promise<Registry> {
  if (!registryInstalled()) throw new Error(`${BINARY} is not installed: run \`npm run test:setup\` (it installs Debian's docker-registry).`);
  const confDir = mkdtempSync(join(tmpdir(), 'k8s-image-lint-registry-conf-'));
  const lines = [
    'version: 0.1',
    'log: { level: info }',
    `storage: { filesystem: { rootdirectory: ${JSON.stringify(storage)} }, delete: { enabled: true }, maintenance: { uploadpurging: { enabled: false } } }`,
    'http: { addr: 127.0.0.1:0, secret: not-a-secret }',
  ];
  if (auth.kind === 'htpasswd') lines.push(`auth: { htpasswd: { realm: test, path: ${JSON.stringify(auth.path)} } }`);
  if (auth.kind === 'token') {
    const bundle = join(confDir, 'token-ca.pem');
    writeFileSync(bundle, auth.certPem);
    lines.push(`auth: { token: { realm: ${JSON.stringify(auth.realm)}, service: ${JSON.stringify(auth.service)}, issuer: ${JSON.stringify(auth.issuer)}, rootcertbundle: ${JSON.stringify(bundle)} } }`);
  }
  const config = join(confDir, 'config.yml');
  writeFileSync(config, lines.join('\n') + '\n');
  const child: ChildProcess = spawn(BINARY, ['serve', config], { cwd: confDir, stdio: ['ignore', 'pipe', 'pipe'], env: cleanEnv() });
  let log = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${BINARY} did not report its port within 10 s:\n${log}`)), 10_000);
    const onData = (chunk: Buffer) => {
      log += chunk.toString('utf8');
      const m = /listening on 127\.0\.0\.1:(\d+)/.exec(log);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${BINARY} exited (${code}) before listening:\n${log}`));
    });
  });
  return {
    host: `127.0.0.1:${port}`,
    origin: `http://127.0.0.1:${port}`,
    port,
    storage,
    log: () => log,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) process.kill(child.pid, 'SIGKILL');
      await exited;
      rmSync(confDir, { recursive: true, force: true });
    },
  };
}

/** The registry reads REGISTRY_* variables as configuration: never inherit them. */
function cleanEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('REGISTRY_')));
}
