// The editor side of `npm run bench`: in the real VS Code server (code-server's, in Chromium; see
// test/e2e/support/vscodeServer.ts), the time from opening a manifest to the extension being active, and to its
// first diagnostics, measured inside the extension host by bench/vscode/index (run as the "tests"); and the VSIX size.
// Each sample is a fresh server and window, so activation is a cold one. Needs `npm run test:setup` and a build.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const root = resolve(fileURLToPath(import.meta.url), '../..');

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/** Runs the editor measures and prints them; returns the summary object. */
export async function benchEditor({ samples = Number(process.env.BENCH_EDITOR_SAMPLES ?? 3) } = {}) {
  const tmp = mkdtempSync(join(tmpdir(), 'k8s-image-lint-bench-'));
  try {
    // VSIX size, as `npm run package` builds it.
    const vsix = join(tmp, 'bench.vsix');
    const p = spawnSync(process.execPath, [join(root, 'scripts', 'package.mjs'), '--out', vsix], { cwd: root, encoding: 'utf8' });
    if (p.status !== 0) throw new Error(`packaging failed: ${p.stdout}${p.stderr}`);
    const vsixBytes = statSync(vsix).size;
    console.log(`VSIX: ${(vsixBytes / 1024).toFixed(0)} KB (budget 1536 KB)`);

    const support = join(root, 'out', 'test', 'e2e', 'support');
    const index = join(root, 'out', 'bench', 'vscode', 'index.js');
    if (!existsSync(index)) throw new Error(`${index} is missing; run "npm run build" first (npm run bench does).`);
    const { missingForWeb, requirePrerequisites } = require(join(support, 'prerequisites.js'));
    const { startSession, until } = require(join(support, 'vscodeServer.js'));
    requirePrerequisites(missingForWeb());
    const runs = [];
    for (let i = 0; i < samples; i++) {
      const out = join(tmp, `sample-${i}.json`);
      const session = await startSession({
        workspaceFrom: join(root, 'examples'), extensionDevelopmentPath: root, extensionTestsPath: index,
        env: { K8S_IMAGE_LINT_BENCH_OUT: out, K8S_IMAGE_LINT_BENCH_FILE: 'deployment-latest.yaml' },
      });
      try {
        await until('the measurement inside VS Code', () => existsSync(out), 120_000, 100);
      } finally {
        await session.close();
      }
      const r = JSON.parse(readFileSync(out, 'utf8'));
      if (r.error) throw new Error(`sample ${i}: ${r.error}`);
      runs.push(r);
    }
    const activation = median(runs.map((r) => r.activationMs));
    const firstDiagnostics = median(runs.map((r) => r.firstDiagnosticsMs));
    console.log(`VS Code server, ${samples} cold windows: open manifest -> extension active: median ${activation.toFixed(0)} ms (${runs.map((r) => r.activationMs.toFixed(0)).join(', ')})`);
    console.log(`VS Code server, ${samples} cold windows: open manifest -> first diagnostics: median ${firstDiagnostics.toFixed(0)} ms (${runs.map((r) => r.firstDiagnosticsMs.toFixed(0)).join(', ')})`);
    const summary = { bench: 'editor', samples, activationMedianMs: Math.round(activation), firstDiagnosticsMedianMs: Math.round(firstDiagnostics), vsixBytes, vsixBudgetBytes: 1.5 * 1024 * 1024 };
    console.log(JSON.stringify(summary));
    return summary;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  benchEditor().catch((e) => {
    console.error(`bench (editor): ${e.message}`);
    process.exit(1);
  });
}
