/**
 * Where the heavy end-to-end prerequisites live and a clear failure when they are missing. They are installed
 * by `npm run test:setup` (scripts/test-setup.sh) into a cache outside the repository.
 */
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

export const ROOT = resolve(__dirname, '..', '..', '..', '..');
export const CACHE = resolve(process.env.K8S_IMAGE_LINT_E2E_CACHE || join(homedir(), '.cache', 'k8s-image-lint-e2e'));
export const CODE_SERVER_VERSION = '4.100.3';
export const VSCODE_DIR = join(CACHE, 'node_modules', 'code-server', 'lib', 'vscode');
export const SERVER_MAIN = join(VSCODE_DIR, 'out', 'server-main.js');
export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
/** Written by scripts/test-setup.sh once the VS Code server install is complete. */
export const CACHE_STAMP = join(CACHE, `.complete-${CODE_SERVER_VERSION}`);

/** The missing prerequisites of the web runner, as sentences; empty when everything is there. */
export function missingForWeb(): string[] {
  const missing: string[] = [];
  if (!existsSync(CACHE_STAMP) || !existsSync(SERVER_MAIN)) missing.push(`the VS Code web server (code-server ${CODE_SERVER_VERSION}) is not installed in ${CACHE}`);
  if (!existsSync(CHROMIUM)) missing.push(`Chromium is not at ${CHROMIUM} (set CHROMIUM to use another)`);
  return missing;
}

/** Throws the sentence a developer needs when prerequisites are missing. */
export function requirePrerequisites(missing: string[]): void {
  if (missing.length === 0) return;
  throw new Error(`End-to-end prerequisites are missing: ${missing.join('; ')}. Run \`npm run test:setup\` (it installs them, with sudo when not root), then \`npm test\` again.`);
}
