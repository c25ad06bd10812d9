/**
 * A throw-away `$DOCKER_CONFIG` with a `config.json`, and credential helpers: executables
 * `docker-credential-<name>` in a bin directory put first on PATH, which append the server they were asked
 * for to `<dir>/<name>.asked` and print the stored credentials (or fail as "not found").
 */
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface HelperSpec {
  /** server → credentials; servers not listed answer "credentials not found". */
  servers?: Record<string, { Username: string; Secret: string }>;
  /** Sleep this long before answering (to test the timeout). */
  sleepSeconds?: number;
  /** Leave a child sleeping this long with stdout open, and exit without answering (the timeout must still hold). */
  orphanSeconds?: number;
}

export interface DockerConfigDir {
  dir: string;
  /** The environment a client should read: DOCKER_CONFIG, HOME and PATH with the helpers first. */
  env: NodeJS.ProcessEnv;
  /** The servers a helper was asked for, in order. */
  asked(helper: string): string[];
  remove(): void;
}

export function basicAuth(user: string, password: string): string {
  return Buffer.from(`${user}:${password}`).toString('base64');
}

export function dockerConfigDir(config: Record<string, unknown>, helpers: Record<string, HelperSpec> = {}): DockerConfigDir {
  const dir = mkdtempSync(join(tmpdir(), 'k8s-image-lint-docker-config-'));
  const bin = join(dir, 'bin');
  mkdirSync(bin);
  writeFileSync(join(dir, 'config.json'), JSON.stringify(config, null, 2));
  for (const [name, spec] of Object.entries(helpers)) {
    const store = join(dir, `${name}.json`);
    writeFileSync(store, JSON.stringify(spec.servers ?? {}));
    const asked = join(dir, `${name}.asked`);
    // A shell script, as real helpers are often thin wrappers; `exec` so a timeout kill reaches the sleeper.
    const script = [
      '#!/bin/sh',
      '[ "$1" = get ] || exit 1',
      'read -r server',
      `printf '%s\\n' "$server" >> ${JSON.stringify(asked)}`,
      ...(spec.sleepSeconds ? [`exec sleep ${spec.sleepSeconds}`] : []),
      ...(spec.orphanSeconds ? [`sleep ${spec.orphanSeconds} &`, 'exit 0'] : []),
      `exec ${JSON.stringify(process.execPath)} -e 'const s = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"))[process.argv[2]]; if (!s) { process.stdout.write("credentials not found in native keychain"); process.exit(1); } process.stdout.write(JSON.stringify({ ServerURL: process.argv[2], ...s }));' ${JSON.stringify(store)} "$server"`,
    ].join('\n');
    const path = join(bin, `docker-credential-${name}`);
    writeFileSync(path, script + '\n');
    chmodSync(path, 0o755);
  }
  return {
    dir,
    env: { ...process.env, DOCKER_CONFIG: dir, HOME: dir, PATH: `${bin}:${process.env.PATH ?? ''}` },
    asked: (helper) => {
      const file = join(dir, `${helper}.asked`);
      return existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean) : [];
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
