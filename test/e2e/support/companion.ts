/**
 * Builds the stand-in for Red Hat's YAML extension (test/e2e/companion) into a VSIX that the session installs as
 * a user would (VS Code's web workbench loads only one development extension): its client bundled with esbuild,
 * pointing at the real yaml-language-server installed in this repository's node_modules, and the schema the
 * session's settings associate with every YAML file.
 */
import { buildSync } from 'esbuild';
import { createVSIX } from '@vscode/vsce';
import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './prerequisites';

const SOURCE = join(ROOT, 'test', 'e2e', 'companion');

export interface Companion {
  /** A folder holding the VSIX and the schema; remove it after the session. */
  path: string;
  vsix: string;
  /** User settings that make yaml-language-server validate manifests against the schema. */
  settings: Record<string, unknown>;
}

export async function buildCompanion(): Promise<Companion> {
  const path = mkdtempSync(join(tmpdir(), 'k8s-image-lint-redhat-yaml-'));
  const staging = join(path, 'extension');
  mkdirSync(staging);
  buildSync({
    entryPoints: [join(SOURCE, 'extension.ts')], outfile: join(staging, 'extension.js'), bundle: true, platform: 'node', target: 'node20',
    format: 'cjs', external: ['vscode'], logLevel: 'warning',
    define: { YAML_LANGUAGE_SERVER: JSON.stringify(join(ROOT, 'node_modules', 'yaml-language-server', 'out', 'server', 'src', 'server.js')) },
  });
  copyFileSync(join(SOURCE, 'package.json'), join(staging, 'package.json'));
  writeFileSync(join(staging, 'README.md'), 'A test stand-in for redhat.vscode-yaml.\n');
  const vsix = join(path, 'redhat.vscode-yaml.vsix');
  await createVSIX({ cwd: staging, packagePath: vsix, dependencies: false, allowMissingRepository: true, skipLicense: true });
  const schema = join(path, 'kubernetes-subset.schema.json');
  copyFileSync(join(SOURCE, 'kubernetes-subset.schema.json'), schema);
  return { path, vsix, settings: { 'yaml.validate': true, 'yaml.schemas': { [schema]: '*.yaml' } } };
}
