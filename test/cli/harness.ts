import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { after } from 'node:test';
import { deploymentWith } from '../helpers';

/** The shipped CLI bundle (tests run from out/test/cli/). */
export const CLI = resolve(__dirname, '../../../server/out/cli.js');
export const PROJECT_ROOT = resolve(__dirname, '../../..');

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `node server/out/cli.js ARGS…` in `cwd`, as a user or CI would (with `env` over this process's). */
export function cli(args: string[], cwd: string, env: Record<string, string> = {}): CliRun {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', env: { ...process.env, ...env }, maxBuffer: 64 * 1024 * 1024 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** As `cli`, without blocking this process (for tests whose registry or proxy runs in it). */
export function cliAsync(args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd, env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const made: string[] = [];
after(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

/**
 * A fresh temporary directory holding `files` (relative path -> content), removed after the test file.
 *
 * @example tree({ 'deploy/web.yaml': 'apiVersion: v1\n…' })
 */
export function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'k8s-image-lint-cli-'));
  made.push(root);
  for (const [path, content] of Object.entries(files)) {
    const full = join(root, path);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, content);
  }
  return root;
}

/** A Deployment `web` with one container `nginx` using `image` (and `extra` lines appended to the container). */
export function deployment(image: string, ...extra: string[]): string {
  return deploymentWith(['containers:', '- name: nginx', `  image: ${image}`, ...extra.map((l) => `  ${l}`)]);
}

/** A document that is YAML but not Kubernetes (a GitHub workflow). */
export const WORKFLOW = 'name: ci\non: [push]\njobs:\n  build:\n    runs-on: ubuntu-latest\n    container:\n      image: node\n';
