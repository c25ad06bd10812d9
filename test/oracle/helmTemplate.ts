import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export interface HelmCase {
  files: Record<string, string>;
  main: string;
  values: string;
  chart?: Record<string, unknown>;
}

export type HelmResult = { ok: true; out: string } | { ok: false; error: string };

/** Renders each case with Go's text/template, Sprig and Helm's functions (test/oracle/helmtpl, built by test:setup). */
export function helmRender(cases: readonly HelmCase[]): HelmResult[] {
  const cache = process.env.K8S_IMAGE_LINT_E2E_CACHE ?? join(homedir(), '.cache', 'k8s-image-lint-e2e');
  const path = join(cache, 'helmtpl-oracle');
  if (!existsSync(path)) throw new Error(`The Helm template oracle is missing at ${path}: run npm run test:setup first.`);
  return JSON.parse(execFileSync(path, { input: JSON.stringify(cases), maxBuffer: 1 << 28 }).toString()) as HelmResult[];
}
