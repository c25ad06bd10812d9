/**
 * Runs the mocha suite of test/e2e/vscode inside real VS Code and reports each of its tests here.
 * Runner: VS Code's web server (code-server's) in Debian's Chromium by default, as on these machines and in CI;
 * `@vscode/test-electron` when $VSCODE_EXECUTABLE names a VS Code build or K8S_IMAGE_LINT_E2E_RUNNER=electron.
 */
import * as assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import type { E2eResult } from './vscode/index';
import { runElectron } from './support/electron';
import { missingForWeb, requirePrerequisites, ROOT } from './support/prerequisites';
import { startSession, until } from './support/vscodeServer';
import { buildCompanion } from './support/companion';

const runner = process.env.VSCODE_EXECUTABLE || process.env.K8S_IMAGE_LINT_E2E_RUNNER === 'electron' ? 'electron' : 'web';
const SUITE_TIMEOUT_MS = 6 * 60_000;

test(`extension end to end in real VS Code (${runner === 'web' ? "VS Code's web server in Chromium" : '@vscode/test-electron'})`, { timeout: SUITE_TIMEOUT_MS + 60_000 }, async (t) => {
  await runSuite(t, {});
});

test("beside Red Hat's YAML extension (yaml-language-server), in VS Code's web server", {
  timeout: SUITE_TIMEOUT_MS + 60_000,
  skip: runner !== 'web' && 'the stand-in for Red Hat\'s extension is loaded by the web runner only',
}, async (t) => {
  const companion = await buildCompanion();
  try {
    await runSuite(t, { installVsix: [companion.vsix], userSettings: companion.settings, specs: 'companion.spec.js' });
  } finally {
    rmSync(companion.path, { recursive: true, force: true });
  }
});

/** Runs the mocha suite (or `specs`) inside VS Code and reports each of its tests as a subtest of `t`. */
async function runSuite(t: TestContext, o: { installVsix?: string[]; userSettings?: Record<string, unknown>; specs?: string }): Promise<void> {
  const out = mkdtempSync(join(tmpdir(), 'k8s-image-lint-results-'));
  const resultsFile = join(out, 'results.json');
  const options = {
    extensionDevelopmentPath: ROOT,
    extensionTestsPath: join(ROOT, 'out', 'test', 'e2e', 'vscode', 'index.js'),
    workspaceFrom: join(ROOT, 'test', 'e2e', 'workspace'),
    env: { K8S_IMAGE_LINT_E2E_RESULTS: resultsFile, ...(o.specs ? { K8S_IMAGE_LINT_E2E_SPECS: o.specs } : {}) },
  };
  try {
    if (runner === 'electron') {
      // A failing suite makes VS Code exit non-zero; its results are read all the same.
      await runElectron(options).catch((e) => {
        if (!existsSync(resultsFile)) throw e;
      });
    } else {
      requirePrerequisites(missingForWeb());
      const session = await startSession({
        ...options,
        installVsix: o.installVsix,
        userSettings: o.userSettings,
      });
      try {
        await until('the [Extension Development Host] window', async () => (await session.page.title()).includes('Extension Development Host'), 60_000);
        await until('the suite inside VS Code to finish', () => existsSync(resultsFile), SUITE_TIMEOUT_MS, 250).catch((e) => {
          throw new Error(`${e.message}\n--- VS Code server log (last lines) ---\n${session.serverLog().split('\n').slice(-30).join('\n')}`);
        });
      } finally {
        await session.close();
      }
    }
    const { results } = JSON.parse(readFileSync(resultsFile, 'utf8')) as { results: E2eResult[] };
    assert.ok(results.length > 0, 'the suite inside VS Code ran no test');
    for (const r of results) {
      await t.test(r.title, (tt) => {
        tt.diagnostic(`${r.durationMs} ms inside VS Code`);
        if (r.state === 'pending') tt.skip('skipped inside VS Code');
        if (r.state === 'failed') throw new Error(r.error);
      });
    }
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}
