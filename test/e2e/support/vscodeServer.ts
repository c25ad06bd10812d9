/**
 * Real VS Code for the tests: VS Code's own web server (from the `code-server` npm package) with its workbench
 * in Debian's Chromium, driven by playwright-core. Recipe: ../shared/recipes/vscode-web-e2e.md. The extension
 * host is VS Code's Node one, with the full `vscode` API, as on a remote/WSL/Codespaces setup.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { CHROMIUM, SERVER_MAIN } from './prerequisites';

export interface Session {
  tmp: string;
  workspace: string;
  base: string;
  port: number;
  browser: Browser;
  page: Page;
  serverLog(): string;
  close(): Promise<void>;
}

export interface SessionOptions {
  /** Folder copied to a fresh temporary workspace. */
  workspaceFrom: string;
  /** Loaded from its development path (the extension under test), as `--extensionDevelopmentPath` does. */
  extensionDevelopmentPath?: string;
  /** A compiled test index whose `run()` the extension host executes. */
  extensionTestsPath?: string;
  /** VSIX files installed into the server's extensions folder first, as `code --install-extension` does. */
  installVsix?: string[];
  env?: NodeJS.ProcessEnv;
  userSettings?: Record<string, unknown>;
  viewport?: { width: number; height: number };
  deviceScaleFactor?: number;
  keepTmp?: boolean;
}

const BASE_SETTINGS: Record<string, unknown> = {
  'security.workspace.trust.enabled': false,
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'workbench.enableExperiments': false,
  'workbench.editor.enablePreview': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'git.enabled': false,
  'chat.commandCenter.enabled': false,
};

const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];

export function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createServer();
    s.unref();
    s.on('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const address = s.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      s.close(() => res(port));
    });
  });
}

/** Polls `fn` until it returns a truthy value (never a fixed sleep). */
export async function until<T>(what: string, fn: () => Promise<T | undefined | null | false> | T | undefined | null | false, timeoutMs = 30_000, everyMs = 100): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await Promise.resolve().then(fn).catch(() => undefined);
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/**
 * Starts the VS Code server on a free port with fresh user data, server data and extensions folders, opens its
 * workbench in Chromium on a copy of `workspaceFrom`, and waits until the workbench shows the folder.
 */
export async function startSession(o: SessionOptions): Promise<Session> {
  const tmp = mkdtempSync(join(tmpdir(), 'k8s-image-lint-e2e-'));
  let server: ChildProcess | undefined;
  let browser: Browser | undefined;
  const logFile = join(tmp, 'server.log');
  const close = async (): Promise<void> => {
    await browser?.close().catch(() => undefined);
    // The server runs in its own process group with the extension host and the language server: end them all.
    if (server?.pid && server.exitCode === null && server.signalCode === null) {
      const exited = new Promise((r) => server!.once('exit', r));
      try { process.kill(-server.pid, 'SIGTERM'); } catch { /* already gone */ }
      await Promise.race([exited, new Promise((r) => setTimeout(r, 3000))]);
      try { process.kill(-server.pid, 'SIGKILL'); } catch { /* already gone */ }
    }
    if (!o.keepTmp) rmSync(tmp, { recursive: true, force: true });
  };
  try {
    const userData = join(tmp, 'data');
    const extensionsDir = join(tmp, 'ext');
    const serverData = join(tmp, 'server');
    const workspace = join(tmp, 'workspace');
    for (const d of [join(userData, 'User'), extensionsDir, serverData]) mkdirSync(d, { recursive: true });
    cpSync(o.workspaceFrom, workspace, { recursive: true });
    writeFileSync(join(userData, 'User', 'settings.json'), JSON.stringify({ ...BASE_SETTINGS, ...o.userSettings }, null, 2));
    const dirs = ['--user-data-dir', userData, '--server-data-dir', serverData, '--extensions-dir', extensionsDir];
    for (const vsix of o.installVsix ?? []) {
      const r = spawnSync(process.execPath, [SERVER_MAIN, '--accept-server-license-terms', ...dirs, '--install-extension', vsix], { encoding: 'utf8', timeout: 120_000 });
      if (r.status !== 0 || !/successfully installed/.test(r.stdout)) throw new Error(`installing ${vsix} failed (exit ${r.status}): ${r.stdout}${r.stderr}`);
    }

    const port = await freePort();
    const log = openSync(logFile, 'a');
    server = spawn(process.execPath, [
      SERVER_MAIN, '--host', '127.0.0.1', '--port', String(port), '--without-connection-token', '--accept-server-license-terms', ...dirs, workspace,
    ], { cwd: tmp, detached: true, stdio: ['ignore', log, log], env: { ...process.env, ...o.env } });
    const base = `http://127.0.0.1:${port}`;
    await until('the VS Code server to answer', async () => (await fetch(`${base}/`)).ok, 60_000, 200);

    browser = await chromium.launch({
      executablePath: CHROMIUM,
      // The caller cleans up (server included); playwright's own handlers would exit first.
      handleSIGINT: false, handleSIGTERM: false, handleSIGHUP: false,
      args: CHROMIUM_ARGS,
    });
    const context = await browser.newContext({ viewport: o.viewport ?? { width: 1400, height: 900 }, deviceScaleFactor: o.deviceScaleFactor ?? 1 });
    const page = await context.newPage();
    page.setDefaultTimeout(30_000);
    const remote = (path: string): string => `vscode-remote://127.0.0.1:${port}${path}`;
    const payload: [string, string][] = [];
    if (o.extensionDevelopmentPath) payload.push(['extensionDevelopmentPath', remote(o.extensionDevelopmentPath)]);
    if (o.extensionTestsPath) payload.push(['extensionTestsPath', remote(o.extensionTestsPath)]);
    const query = `folder=${encodeURIComponent(workspace)}${payload.length ? `&payload=${encodeURIComponent(JSON.stringify(payload))}` : ''}`;
    await page.goto(`${base}/?${query}`);
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    return {
      tmp, workspace, base, port, browser, page, close,
      serverLog: () => (existsSync(logFile) ? readFileSync(logFile, 'utf8') : ''),
    };
  } catch (e) {
    const tail = existsSync(logFile) ? readFileSync(logFile, 'utf8').split('\n').slice(-20).join('\n') : '';
    await close();
    throw new Error(`${e instanceof Error ? e.message : String(e)}${tail ? `\n--- VS Code server log (last lines) ---\n${tail}` : ''}`);
  }
}
