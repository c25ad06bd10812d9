// Measures what the analysis costs on top of YAML parsing: over every .yaml/.yml file of the corpus, the time
// to `yaml.parseAllDocuments` each file versus the time to `analyze` each file (which parses too), measured
// side by side in one process, alternating which goes first, over several rounds after a warm-up.
// Files are read once, before any timing; both sides get the very same strings.
//
//   npm run bench                       corpus at $K8S_IMAGE_LINT_CORPUS or ../shared/corpus
//   node bench/bench.mjs DIR [ROUNDS]   after `npm run build`
//
// Prints both medians, the ratio (target: analyze <= 1.5 x parse) and a one-line JSON summary.
import { yamlFiles } from './corpus.mjs';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

const require = createRequire(import.meta.url);
const root = resolve(fileURLToPath(import.meta.url), '../..');
const built = join(root, 'out/server/src/service/analyze.js');
if (!existsSync(built)) {
  console.error(`bench: ${built} is missing; run "npm run build" first (npm run bench does).`);
  process.exit(2);
}
const { analyze } = require(built);
const { defaultSettings } = require(join(root, 'out/server/src/service/settings.js'));
// The same `yaml` module instance and options the engine's parser uses (server/src/service/parse/manifests.ts).
const { parseAllDocuments } = require('yaml');
const { PARSE_OPTIONS } = require(join(root, 'out/server/src/service/parse/documentCache.js'));

const corpus = resolve(process.argv[2] ?? process.env.K8S_IMAGE_LINT_CORPUS ?? '../shared/corpus');
const rounds = Math.max(1, Number(process.argv[3] ?? process.env.BENCH_ROUNDS ?? 15));
const WARMUP = 3;
const TARGET = 1.5;


if (!existsSync(corpus)) {
  console.error(`bench: no corpus at ${corpus}; pass a directory (node bench/bench.mjs DIR) or set K8S_IMAGE_LINT_CORPUS.`);
  process.exit(2);
}
const texts = yamlFiles(corpus).map((f) => readFileSync(f, 'utf8'));
const bytes = texts.reduce((n, t) => n + Buffer.byteLength(t), 0);
const settings = defaultSettings();

// Results feed a sink so no work can be optimised away.
let sink = 0;
const sides = {
  parse() {
    for (const text of texts) sink += parseAllDocuments(text, PARSE_OPTIONS).length;
  },
  analyze() {
    for (const text of texts) sink += analyze(text, settings).findings.length;
  },
};
const timings = { parse: [], analyze: [] };

// Collect garbage before each timed run, so one side does not pay for the other's garbage.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc');

function timeOnce(name) {
  gc();
  const start = performance.now();
  sides[name]();
  return performance.now() - start;
}

for (let i = 0; i < WARMUP; i++) {
  timeOnce('parse');
  timeOnce('analyze');
}
for (let i = 0; i < rounds; i++) {
  const order = i % 2 === 0 ? ['parse', 'analyze'] : ['analyze', 'parse'];
  for (const name of order) timings[name].push(timeOnce(name));
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const round2 = (x) => Math.round(x * 100) / 100;
const parseMs = median(timings.parse);
const analyzeMs = median(timings.analyze);
const ratio = analyzeMs / parseMs;
// The ratio of the fastest rounds is less sensitive to a busy machine; shown beside the medians' ratio.
const ratioOfMins = Math.min(...timings.analyze) / Math.min(...timings.parse);

console.log(`corpus: ${corpus} (${texts.length} files, ${(bytes / 1048576).toFixed(1)} MB); ${rounds} rounds after ${WARMUP} warm-up, alternating order`);
console.log(`yaml.parseAllDocuments, all files: median ${parseMs.toFixed(1)} ms (min ${Math.min(...timings.parse).toFixed(1)}, max ${Math.max(...timings.parse).toFixed(1)})`);
console.log(`analyze, all files:                median ${analyzeMs.toFixed(1)} ms (min ${Math.min(...timings.analyze).toFixed(1)}, max ${Math.max(...timings.analyze).toFixed(1)})`);
console.log(`ratio analyze / parse: ${ratio.toFixed(2)} (target <= ${TARGET}: ${ratio <= TARGET ? 'met' : 'NOT met'}); fastest rounds: ${ratioOfMins.toFixed(2)}`);
console.log(JSON.stringify({
  bench: 'analyze-vs-parse', files: texts.length, bytes, rounds, warmup: WARMUP,
  parseMedianMs: round2(parseMs), analyzeMedianMs: round2(analyzeMs), ratio: round2(ratio), ratioOfMins: round2(ratioOfMins), target: TARGET, met: ratio <= TARGET,
  sink: sink > 0,
}));

// ── Workspace index (issue 3) ────────────────────────────────────────────────────────────────────────────
// 1. Indexing the corpus: WorkspaceIndex.update over every file (what the server does at start for a folder,
//    and the CLI for its paths), after the same warm-up, median of the rounds.
// 2. Re-diagnosing dependents after a Secret edit, through the server's own AnalysisCache: the corpus plus
//    DEPENDENTS open Deployments that use the Secret and as many that do not are analysed; then the Secret's
//    document is edited (its registry changes) and re-analysed, and every open document whose cached analysis
//    looked the Secret up is re-analysed. Reported: that latency, and how many documents were re-analysed.
const { WorkspaceIndex } = require(join(root, 'out/server/src/service/workspace/index.js'));
const { AnalysisCache } = require(join(root, 'out/server/src/lsp/analysisCache.js'));
const { TextDocument } = require('vscode-languageserver-textdocument');
const corpusFiles = yamlFiles(corpus);
const corpusUris = corpusFiles.map((f) => `file://${f}`);

const indexTimings = [];
for (let i = 0; i < WARMUP + rounds; i++) {
  gc();
  const start = performance.now();
  const index = new WorkspaceIndex();
  for (let j = 0; j < texts.length; j++) index.update(corpusUris[j], texts[j]);
  const ms = performance.now() - start;
  sink += index.size;
  if (i >= WARMUP) indexTimings.push(ms);
}
const indexMs = median(indexTimings);

const DEPENDENTS = 50;
const b64 = (s) => Buffer.from(s).toString('base64');
const secretText = (registry) => [
  'apiVersion: v1', 'kind: Secret', 'metadata:', '  name: regcred', '  namespace: shop',
  'type: kubernetes.io/dockerconfigjson', 'data:', `  .dockerconfigjson: ${b64(JSON.stringify({ auths: { [registry]: { auth: b64('robot:x') } } }))}`, '',
].join('\n');
const deployText = (i, secret) => [
  'apiVersion: apps/v1', 'kind: Deployment', 'metadata:', `  name: app-${i}`, '  namespace: shop', 'spec:', '  template:', '    spec:',
  ...(secret ? ['      imagePullSecrets:', '      - name: regcred'] : []),
  '      containers:', `      - name: app-${i}`, `        image: registry.example.com/shop/app-${i}:1.${i}`, '',
].join('\n');
const editTimings = [];
let reanalysed = 0;
let openDocs = 0;
for (let i = 0; i < WARMUP + rounds; i++) {
  const index = new WorkspaceIndex();
  for (let j = 0; j < texts.length; j++) index.update(corpusUris[j], texts[j]);
  const cache = new AnalysisCache(index);
  const docs = [];
  for (let j = 0; j < DEPENDENTS; j++) {
    docs.push(TextDocument.create(`file:///bench/uses-${j}.yaml`, 'yaml', 1, deployText(j, true)));
    docs.push(TextDocument.create(`file:///bench/other-${j}.yaml`, 'yaml', 1, deployText(j, false)));
  }
  let secretDoc = TextDocument.create('file:///bench/regcred.yaml', 'yaml', 1, secretText('ghcr.io'));
  cache.get(secretDoc, settings);
  for (const d of docs) sink += cache.get(d, settings).findings.length;
  openDocs = docs.length + 1;
  gc();
  const start = performance.now();
  secretDoc = TextDocument.update(secretDoc, [{ text: secretText('registry.example.com') }], 2);
  const { changed } = cache.analyse(secretDoc, settings);
  let count = 0;
  for (const d of docs) {
    if (!cache.dependsOn(d.uri, changed)) continue;
    sink += cache.get(d, settings).findings.length;
    count++;
  }
  const ms = performance.now() - start;
  if (i >= WARMUP) {
    editTimings.push(ms);
    reanalysed = count;
  }
}
const editMs = median(editTimings);
console.log(`workspace index of the corpus (${texts.length} files): median ${indexMs.toFixed(1)} ms (min ${Math.min(...indexTimings).toFixed(1)}, max ${Math.max(...indexTimings).toFixed(1)})`);
console.log(`Secret edit → dependents re-diagnosed: median ${editMs.toFixed(2)} ms (min ${Math.min(...editTimings).toFixed(2)}, max ${Math.max(...editTimings).toFixed(2)}); ${reanalysed} of ${openDocs - 1} other open documents re-analysed (${(editMs / Math.max(1, reanalysed)).toFixed(2)} ms each)`);
console.log(JSON.stringify({
  bench: 'workspace-index', files: texts.length, indexMedianMs: round2(indexMs), indexMinMs: round2(Math.min(...indexTimings)),
  secretEditMedianMs: round2(editMs), secretEditMinMs: round2(Math.min(...editTimings)), dependentsReanalysed: reanalysed, openDocuments: openDocs,
  sink: sink > 0,
}));

// Editor measures (bench/editor.mjs): activation and first diagnostics in the real VS Code server; VSIX size.
await (await import('./editor.mjs')).benchEditor().catch((e) => {
  console.error(`bench (editor): ${e.message}`);
  process.exitCode = 1;
});

// Registry measures (bench/registry.mjs): requests and wall time to pin every image of a 50-image file, cold and warm.
await (await import('./registry.mjs')).benchRegistry().catch((e) => {
  console.error(`bench (registry): ${e.message}`);
  process.exitCode = 1;
});

// Editor-path latency, memory and CLI throughput against yaml-language-server (bench/lsp.mjs): didChange →
// diagnostics for a one-line edit in 1 MB and 5 MB manifests, RSS after opening the 5 MB one, CLI files/s.
await (await import('./lsp.mjs')).benchLsp({ corpus }).catch((e) => {
  console.error(`bench (lsp): ${e.message}`);
  process.exitCode = 1;
});
