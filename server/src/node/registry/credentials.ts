/**
 * Registry credentials as `docker login` leaves them: `$DOCKER_CONFIG/config.json` (default `~/.docker`), with
 * `credHelpers` (per registry), `credsStore` (all registries) and `auths` (inline `auth`, `username`/`password`,
 * `identitytoken`), looked up in that order as the Docker CLI does. A helper is the executable
 * `docker-credential-<name>` on PATH, run without a shell, given the server on stdin, with a timeout.
 *
 * What this module returns is handed only to `auth.ts`, for the registry it was looked up for. Nothing here
 * logs or formats a username, password or token.
 */
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { DOCKER_HUB_CONFIG_KEY, isDockerHub, normalizeHost } from './hosts';

/** Username and password (or an identity token, exchanged at the token service as an OAuth2 refresh token). */
export type Credential =
  | { kind: 'basic'; username: string; password: string; source: string }
  | { kind: 'identityToken'; token: string; source: string };

/** Where credentials come from; the client asks by registry (as images name it: `docker.io`, `ghcr.io`). */
export interface CredentialStore {
  get(domain: string): Promise<Credential | null>;
}

export interface DockerConfigOptions {
  /** The environment to read DOCKER_CONFIG, HOME and PATH from (default: this process's). */
  env?: NodeJS.ProcessEnv;
  /** How long a credential helper may take (default 5 s). */
  helperTimeoutMs?: number;
  /** Reports why credentials could not be read (never their values). */
  log?: (message: string) => void;
}

interface AuthEntry {
  auth?: unknown;
  username?: unknown;
  password?: unknown;
  identitytoken?: unknown;
}

interface DockerConfig {
  auths?: Record<string, AuthEntry>;
  credHelpers?: Record<string, unknown>;
  credsStore?: unknown;
}

/** The names a registry may be stored under, most specific first. */
export function configKeys(domain: string): string[] {
  if (isDockerHub(domain)) return [DOCKER_HUB_CONFIG_KEY, 'index.docker.io', 'docker.io', 'registry-1.docker.io'];
  const host = domain.toLowerCase();
  return [host, `https://${host}`, `http://${host}`];
}

const HELPER_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const MAX_HELPER_OUTPUT = 64 * 1024;

export class DockerConfigCredentials implements CredentialStore {
  private readonly env: NodeJS.ProcessEnv;
  private readonly helperTimeoutMs: number;
  private readonly log: (message: string) => void;

  constructor(options: DockerConfigOptions = {}) {
    this.env = options.env ?? process.env;
    this.helperTimeoutMs = options.helperTimeoutMs ?? 5000;
    this.log = options.log ?? (() => undefined);
  }

  /** The config file read: `$DOCKER_CONFIG/config.json`, else `~/.docker/config.json`. */
  get configPath(): string {
    const dir = this.env.DOCKER_CONFIG || join(this.env.HOME || homedir(), '.docker');
    return join(dir, 'config.json');
  }

  async get(domain: string): Promise<Credential | null> {
    const config = await this.readConfig();
    if (!config) return null;
    const keys = configKeys(domain);
    const helpers = isRecord(config.credHelpers) ? config.credHelpers : {};
    for (const key of keys) {
      const helper = helpers[key];
      if (typeof helper === 'string' && helper !== '') return this.fromHelper(helper, key);
    }
    if (typeof config.credsStore === 'string' && config.credsStore !== '') {
      // The CLI asks the store with the key it logged in with: Docker Hub's URL, or the host.
      const fromStore = await this.fromHelper(config.credsStore, keys[0]);
      if (fromStore) return fromStore;
    }
    return fromAuths(config.auths, domain, this.configPath);
  }

  private async readConfig(): Promise<DockerConfig | null> {
    let text: string;
    try {
      text = await readFile(this.configPath, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') this.log(`Cannot read the Docker config ${this.configPath}: ${(e as Error).message}`);
      return null;
    }
    try {
      const parsed: unknown = JSON.parse(text);
      return isRecord(parsed) ? (parsed as DockerConfig) : null;
    } catch {
      this.log(`The Docker config ${this.configPath} is not valid JSON; registry requests are made without credentials.`);
      return null;
    }
  }

  /** Runs `docker-credential-<name> get` with `server` on stdin; null when it has nothing or fails. */
  private fromHelper(name: string, server: string): Promise<Credential | null> {
    if (!HELPER_NAME.test(name)) {
      this.log(`Ignoring the credential helper name "${name}" in ${this.configPath}: not a plain program name.`);
      return Promise.resolve(null);
    }
    const program = `docker-credential-${name}`;
    return new Promise((resolve) => {
      let out = '';
      let done = false;
      let timer: NodeJS.Timeout | undefined;
      const finish = (value: Credential | null, problem?: string) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        if (problem) this.log(`Credential helper ${program}: ${problem}`);
        resolve(value);
      };
      let child;
      try {
        // In a process group of its own, so that the timeout stops whatever it started too: a grandchild that
        // keeps stdout open would otherwise hold the lookup forever.
        child = spawn(program, ['get'], {
          shell: false, env: this.env, stdio: ['pipe', 'pipe', 'ignore'], detached: process.platform !== 'win32', windowsHide: true,
        });
      } catch (e) {
        finish(null, `could not be started (${(e as Error).message}).`);
        return;
      }
      const helper = child;
      timer = setTimeout(() => {
        try {
          if (helper.pid !== undefined && process.platform !== 'win32') process.kill(-helper.pid, 'SIGKILL');
          else helper.kill('SIGKILL');
        } catch {
          helper.kill('SIGKILL');
        }
        helper.stdout?.destroy();
        finish(null, `did not answer within ${this.helperTimeoutMs} ms and was stopped.`);
      }, this.helperTimeoutMs);
      child.on('error', (e: NodeJS.ErrnoException) => finish(null, e.code === 'ENOENT' ? 'not found on PATH.' : `could not be started (${e.code ?? e.message}).`));
      child.stdout.setEncoding('utf8');
      child.stdout.on('data', (chunk: string) => {
        out += chunk;
        if (out.length > MAX_HELPER_OUTPUT) {
          child.kill('SIGKILL');
          finish(null, 'printed too much; ignored.');
        }
      });
      child.on('close', (code, signal) => {
        if (signal) return finish(null, `did not answer within ${this.helperTimeoutMs} ms and was stopped.`);
        // "credentials not found in native keychain" is a normal answer: nothing stored for this server.
        if (code !== 0) return finish(null);
        finish(parseHelperOutput(out, program), undefined);
      });
      child.stdin.on('error', () => undefined);
      child.stdin.end(server);
    });
  }
}

function parseHelperOutput(out: string, program: string): Credential | null {
  try {
    const parsed: unknown = JSON.parse(out);
    if (!isRecord(parsed)) return null;
    const user = typeof parsed.Username === 'string' ? parsed.Username : '';
    const secret = typeof parsed.Secret === 'string' ? parsed.Secret : '';
    if (secret === '') return null;
    // Helpers store identity tokens under the username "<token>".
    if (user === '<token>') return { kind: 'identityToken', token: secret, source: program };
    return { kind: 'basic', username: user, password: secret, source: program };
  } catch {
    return null;
  }
}

/** The `auths` entry for `domain`, its key compared as a host (scheme and path dropped, as the CLI does). */
function fromAuths(auths: Record<string, AuthEntry> | undefined, domain: string, configPath: string): Credential | null {
  if (!isRecord(auths)) return null;
  const wanted = new Set(configKeys(domain).map(normalizeHost));
  for (const [key, entry] of Object.entries(auths)) {
    if (!wanted.has(normalizeHost(key)) || !isRecord(entry)) continue;
    const source = configPath;
    if (typeof entry.identitytoken === 'string' && entry.identitytoken !== '') return { kind: 'identityToken', token: entry.identitytoken, source };
    if (typeof entry.auth === 'string' && entry.auth !== '') {
      const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      if (colon > 0) return { kind: 'basic', username: decoded.slice(0, colon), password: decoded.slice(colon + 1), source };
    }
    if (typeof entry.username === 'string' && typeof entry.password === 'string' && entry.username !== '') {
      return { kind: 'basic', username: entry.username, password: entry.password, source };
    }
  }
  return null;
}

function isRecord(v: unknown): v is Record<string, any> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
