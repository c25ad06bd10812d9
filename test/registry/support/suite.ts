/**
 * The set-up every registry test file shares: its own fixture (see fixture.ts), a Docker config without
 * credentials, and the Docker configs it makes, all removed after its last test; and registries that read
 * credentials only from such a config.
 */
import { after, before } from 'node:test';
import { OciRegistry, type OciRegistryOptions } from '../../../server/src/node/registry/client';
import { DockerConfigCredentials } from '../../../server/src/node/registry/credentials';
import { dockerConfigDir, type DockerConfigDir, type HelperSpec } from './dockerConfig';
import { startFixture, type Fixture } from './fixture';

export interface FileFixture extends Fixture {
  /** A Docker config with no credentials (`{}`): a registry reading it asks anonymously. */
  empty: DockerConfigDir;
  /** A Docker config holding `config` (and credential `helpers`), removed after the file's last test. */
  config(config: Record<string, unknown>, helpers?: Record<string, HelperSpec>): DockerConfigDir;
}

/**
 * Registers the file's before() hook, which starts the fixture and `empty`, and its after() hook, which stops
 * the fixture and then removes every Docker config made through `config`. The object returned is filled in by
 * before(): read it only inside tests and hooks. Call it at the top level of a test file, once.
 *
 * @example const fx = useFixture(); … fx.anon.host, fx.empty.env, fx.config({ auths: … })
 */
export function useFixture(): FileFixture {
  const configs: DockerConfigDir[] = [];
  const config = (json: Record<string, unknown>, helpers: Record<string, HelperSpec> = {}): DockerConfigDir => {
    const c = dockerConfigDir(json, helpers);
    configs.push(c);
    return c;
  };
  const fx = { config } as FileFixture;
  let started: Fixture | undefined;
  before(async () => {
    started = await startFixture();
    Object.assign(fx, started, { empty: config({}) });
  });
  after(async () => {
    await started?.stop();
    for (const c of configs) c.remove();
  });
  return fx;
}

/**
 * A registry with its own cache and tokens that reads credentials from `config` only (never this machine's
 * Docker config). `options.log` also gets the credential store's reports, as with OciRegistry's default store.
 */
export function registryFor(config: DockerConfigDir, options: Omit<OciRegistryOptions, 'credentials'> = {}): OciRegistry {
  return new OciRegistry({ ...options, credentials: new DockerConfigCredentials({ env: config.env, log: options.log }) });
}
