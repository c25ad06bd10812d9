// Builds the two shipped bundles (client, server + CLI) and, with --tests (the default for `npm test`),
// transpiles sources and tests file-by-file into out/ so `node --test` can run them. Type-checking is
// separate (`npm run check-types`), as in vscode-extension-samples/esbuild-sample.
import * as esbuild from 'esbuild';
import { copyFileSync, existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const production = process.argv.includes('--production');
// --out-root=DIR puts the bundles under DIR instead of the repository (scripts/package.mjs stages a VSIX there).
const outRoot = process.argv.find((a) => a.startsWith('--out-root='))?.slice('--out-root='.length) ?? '.';
const common = { bundle: true, platform: 'node', target: 'node20', format: 'cjs', sourcemap: !production, minify: production, logLevel: 'warning' };

function tsFiles(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...tsFiles(p));
    else if (p.endsWith('.ts') && !p.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

await Promise.all([
  esbuild.build({ ...common, entryPoints: ['client/src/extension.ts'], outfile: join(outRoot, 'client/out/extension.js'), external: ['vscode'] }),
  esbuild.build({ ...common, entryPoints: ['server/src/main.ts'], outfile: join(outRoot, 'server/out/server.js') }),
  esbuild.build({ ...common, entryPoints: ['server/src/cli.ts'], outfile: join(outRoot, 'server/out/cli.js'), banner: { js: '#!/usr/bin/env node' } }),
]);

if (!production) {
  // The unbundled sources import the config schema by its path relative to the repository; out/ mirrors it.
  mkdirSync('out/schemas', { recursive: true });
  for (const name of readdirSync('schemas')) copyFileSync(join('schemas', name), join('out/schemas', name));
  // Unbundled, one output file per source file, for the test runner.
  await esbuild.build({
    entryPoints: [...tsFiles('server/src'), ...tsFiles('test'), ...(existsSync('bench') ? tsFiles('bench') : [])],
    outdir: 'out', outbase: '.', bundle: false, platform: 'node', target: 'node20', format: 'cjs', sourcemap: 'inline', logLevel: 'warning',
  });
}
