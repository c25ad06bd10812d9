/**
 * The entry point VS Code runs in its extension host (`extensionTestsPath`), under either runner: it runs the
 * mocha suite below and writes one JSON record per test to $K8S_IMAGE_LINT_E2E_RESULTS, which the node-side
 * driver (test/e2e/vscode.test.ts) turns into node:test results. Rejects when a test failed, so that
 * `@vscode/test-electron` exits non-zero too.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import Mocha from 'mocha';

/** Run in this order: activation first, the server restart last. $K8S_IMAGE_LINT_E2E_SPECS picks others (comma-separated). */
const SPECS = process.env.K8S_IMAGE_LINT_E2E_SPECS?.split(',') ?? ['extension.spec.js', 'restart.spec.js'];

export interface E2eResult {
  title: string;
  state: 'passed' | 'failed' | 'pending';
  durationMs: number;
  error?: string;
}

export async function run(): Promise<void> {
  const results: E2eResult[] = [];
  const mocha = new Mocha({ ui: 'tdd', timeout: 60_000, color: false, reporter: 'spec' });
  for (const spec of SPECS) mocha.addFile(join(__dirname, spec));
  const started = Date.now();
  const failures = await new Promise<number>((resolve) => {
    const runner = mocha.run(resolve);
    runner.on('pass', (t) => results.push({ title: t.fullTitle(), state: 'passed', durationMs: t.duration ?? 0 }));
    runner.on('pending', (t) => results.push({ title: t.fullTitle(), state: 'pending', durationMs: 0 }));
    runner.on('fail', (t, err: Error) => results.push({ title: t.fullTitle(), state: 'failed', durationMs: t.duration ?? 0, error: err?.stack ?? String(err) }));
  });
  const file = process.env.K8S_IMAGE_LINT_E2E_RESULTS;
  if (file) {
    mkdirSync(dirname(file), { recursive: true });
    // Written whole and renamed, so the driver never reads half a file.
    writeFileSync(`${file}.tmp`, JSON.stringify({ durationMs: Date.now() - started, results }, null, 2));
    const { renameSync } = await import('node:fs');
    renameSync(`${file}.tmp`, file);
  }
  if (failures > 0) throw new Error(`${failures} end-to-end test(s) failed`);
}
