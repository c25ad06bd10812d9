// The start-up index (issue 15): 20,000 small Deployments in 100 folders, read and indexed by `WorkspaceSync` as
// the server does when a folder opens, against a bare `yaml.parseAllDocuments` of the same texts (the engine's
// parse options), both in a fresh Node process so that neither runs on the other's heap. Target: <= 3 x.
//
//   node bench/startupIndex.mjs [FILES]      after `npm run build`; also run by `npm run bench`
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const require = createRequire(import.meta.url);
const root = resolve(fileURLToPath(import.meta.url), '../..');
export const INDEX_TARGET = 3;

/** A small Deployment, different in each file (names, images, a pull secret in one of ten). */
function deployment(i) {
  return [
    'apiVersion: apps/v1', 'kind: Deployment', 'metadata:', `  name: app-${i}`, `  namespace: team-${i % 17}`, 'spec:', '  replicas: 2',
    '  selector:', '    matchLabels:', `      app: app-${i}`, '  template:', '    metadata:', '      labels:', `        app: app-${i}`, '    spec:',
    ...(i % 10 === 0 ? ['      imagePullSecrets:', `      - name: regcred-${i % 7}`] : []),
    '      containers:', '      - name: main', `        image: ghcr.io/acme/service-${i % 300}:1.${i % 40}.${i % 9}`, '        ports:', '        - containerPort: 8080', '',
  ].join('\n');
}

function timeInChild(script) {
  const run = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', maxBuffer: 1 << 24 });
  const ms = Number(run.stdout.trim().split('\n').pop());
  if (!Number.isFinite(ms)) throw new Error(`timing failed: ${run.stderr.slice(-400)}`);
  return ms;
}

/** Median of 3 of each, alternating. */
export function benchStartupIndex(files = 20_000) {
  const dir = mkdtempSync(join(os.tmpdir(), 'k8s-image-lint-index-'));
  try {
    const paths = [];
    for (let i = 0; i < files; i++) {
      const folder = join(dir, `dir-${i % 100}`);
      if (i < 100) mkdirSync(folder);
      const path = join(folder, `deploy-${i}.yaml`);
      writeFileSync(path, deployment(i));
      paths.push(path);
    }
    const list = join(dir, 'files.json');
    writeFileSync(list, JSON.stringify(paths));
    const sync = `const { WorkspaceSync } = require(${JSON.stringify(join(root, 'out/server/src/lsp/workspaceSync.js'))});
(async () => { const ws = new WorkspaceSync({ excludes: async () => undefined, isOpen: () => false, log: () => {}, maxFiles: async () => ${files + 1} });
const t = performance.now(); await ws.addFolders([${JSON.stringify(pathToFileURL(dir).href)}]); const ms = performance.now() - t;
if (ws.index.size < ${files}) throw new Error('indexed ' + ws.index.size); console.log(ms); })();`;
    const parse = `const { parseAllDocuments } = require(${JSON.stringify(require.resolve('yaml'))}); const fs = require('fs');
const o = require(${JSON.stringify(join(root, 'out/server/src/service/parse/documentCache.js'))}).PARSE_OPTIONS;
const paths = JSON.parse(fs.readFileSync(${JSON.stringify(list)}, 'utf8')); const texts = paths.map((p) => fs.readFileSync(p, 'utf8'));
const t = performance.now(); for (const x of texts) parseAllDocuments(x, o); console.log(performance.now() - t);`;
    const index = [];
    const bare = [];
    for (let i = 0; i < 3; i++) {
      index.push(timeInChild(sync));
      bare.push(timeInChild(parse));
    }
    const med = (xs) => xs.sort((a, b) => a - b)[1];
    const indexMs = med(index);
    const parseMs = med(bare);
    return { files, indexMs, parseMs, ratio: indexMs / parseMs, met: indexMs / parseMs <= INDEX_TARGET };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const r = benchStartupIndex(process.argv[2] ? Number(process.argv[2]) : undefined);
  console.log(`start-up index of ${r.files} small files: ${r.indexMs.toFixed(0)} ms, bare parse ${r.parseMs.toFixed(0)} ms, ratio ${r.ratio.toFixed(2)} (target <= ${INDEX_TARGET}: ${r.met ? 'met' : 'NOT met'})`);
}
