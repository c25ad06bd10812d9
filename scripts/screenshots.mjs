#!/usr/bin/env node
// Retakes the README pictures (docs/images/*.png) in real VS Code. The pictures come from the end-to-end test of the
// installed VSIX (test/e2e/vsix.test.ts), which takes them on every `npm test` into out/screenshots; this wrapper
// runs that test with the output folder set to docs/images and a device scale of 2 (sharp on high-DPI screens).
//
// Usage: npm run screenshots        (builds first)
//        node scripts/screenshots.mjs [--out DIR] [--scale N]   after `npm run build`
// Prerequisites: `npm run test:setup` (Chromium and the cached VS Code server).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : fallback;
};
const test = join(root, 'out', 'test', 'e2e', 'vsix.test.js');
if (!existsSync(test)) {
  console.error(`screenshots: ${test} is missing; run "npm run build" first (npm run screenshots does).`);
  process.exit(2);
}
const r = spawnSync(process.execPath, ['--test', '--test-reporter=spec', test], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, K8S_IMAGE_LINT_SCREENSHOTS: resolve(root, option('--out', 'docs/images')), K8S_IMAGE_LINT_SCREENSHOT_SCALE: option('--scale', '2') },
});
process.exit(r.status ?? 1);
