/**
 * The second runner of the same suite: `@vscode/test-electron`, with the VS Code build named by
 * $VSCODE_EXECUTABLE, or one it downloads (on machines that can reach VS Code's download service). Linux needs a
 * display (e.g. `xvfb-run -a npm test`).
 */
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runTests } from '@vscode/test-electron';

export async function runElectron(o: { extensionDevelopmentPath: string; extensionTestsPath: string; workspaceFrom: string; env: Record<string, string> }): Promise<void> {
  const tmp = mkdtempSync(join(tmpdir(), 'k8s-image-lint-electron-'));
  try {
    const workspace = join(tmp, 'workspace');
    const userData = join(tmp, 'data');
    cpSync(o.workspaceFrom, workspace, { recursive: true });
    mkdirSync(join(userData, 'User'), { recursive: true });
    writeFileSync(join(userData, 'User', 'settings.json'), JSON.stringify({ 'security.workspace.trust.enabled': false, 'workbench.startupEditor': 'none' }));
    await runTests({
      vscodeExecutablePath: process.env.VSCODE_EXECUTABLE || undefined,
      extensionDevelopmentPath: o.extensionDevelopmentPath,
      extensionTestsPath: o.extensionTestsPath,
      extensionTestsEnv: o.env,
      launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust', '--user-data-dir', userData, '--extensions-dir', join(tmp, 'ext')],
    });
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
