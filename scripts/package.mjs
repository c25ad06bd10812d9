#!/usr/bin/env node
// Builds the VSIX the way it ships: production bundles (minified, no source maps) and the allow-listed files of
// .vscodeignore, packaged by @vscode/vsce. The bundles are built in a staging folder, so the development bundles
// in client/out and server/out (with source maps, used by the tests) are left as they are.
//
// Usage: node scripts/package.mjs [--out FILE.vsix]     (npm run package)
// Prints the VSIX's path and size; fails when it is over the 1.5 MB budget.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const BUDGET_BYTES = 1.5 * 1024 * 1024;
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const outArg = args.indexOf('--out');
const { name, version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const out = resolve(outArg >= 0 ? args[outArg + 1] : join(root, `${name}-${version}.vsix`));

const staging = mkdtempSync(join(tmpdir(), 'k8s-image-lint-vsix-'));
try {
  for (const f of ['README.md', 'CHANGELOG.md', 'LICENSE', '.vscodeignore', 'docs/rules', 'docs/images/icon.png', 'syntaxes', 'schemas']) {
    if (existsSync(join(root, f))) cpSync(join(root, f), join(staging, f), { recursive: true });
  }
  // The VSIX's contents are .vscodeignore's allow-list; `files` is the npm package's, and vsce refuses both at once.
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  delete manifest.files;
  writeFileSync(join(staging, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  run(process.execPath, ['esbuild.mjs', '--production', `--out-root=${staging}`], root);
  mkdirSync(dirname(out), { recursive: true });
  run(process.execPath, [join(root, 'node_modules', '@vscode', 'vsce', 'vsce'), 'package', '--no-dependencies', '--out', out], staging);
} finally {
  rmSync(staging, { recursive: true, force: true });
}
const size = statSync(out).size;
console.log(`${out}: ${(size / 1024).toFixed(0)} KB (budget ${(BUDGET_BYTES / 1024).toFixed(0)} KB)`);
if (size > BUDGET_BYTES) {
  console.error(`The VSIX is over its budget of ${(BUDGET_BYTES / 1048576).toFixed(1)} MB: check .vscodeignore and the bundles.`);
  process.exit(1);
}

function run(cmd, argv, cwd) {
  const r = spawnSync(cmd, argv, { cwd, stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`package: ${[cmd, ...argv].join(' ')} failed (exit ${r.status ?? r.signal})`);
    process.exit(1);
  }
}
