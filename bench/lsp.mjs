// Editor-path measures, side by side with yaml-language-server (the npm devDependency, YAML validation on):
//
// 1. Latency from `textDocument/didChange` to `textDocument/publishDiagnostics` for a one-line edit (an image
//    value) in a 1 MB and a 5 MB multi-document manifest built from corpus documents; p50/p95 over EDITS edits.
//    Both servers are the shipped bundles started over stdio by a client without pull diagnostics, so both push,
//    each after its own debounce (ours: as long as the document's last push took to compute, at most 150 ms;
//    yaml-language-server's validationDelayMs, 200 ms); the table also shows yaml-language-server's latency less
//    its debounce, and ours answering a pull request (no debounce at all).
// 2. The time of one `yaml.parseAllDocuments` of the same file (in a fresh process): the target is ours <= 0.2 x
//    that full parse.
// 3. Resident memory (VmRSS) of each server process after opening the 5 MB file (target: ours <= 1 x).
// 4. The CLI over the corpus: files per second and peak RSS (`/usr/bin/time -v`, else sampling /proc).
//
//   node bench/lsp.mjs [CORPUS] [EDITS]      after `npm run build`; also run by `npm run bench`
//   BENCH_MARKDOWN=1 node bench/lsp.mjs      also prints the table of docs/performance.md
import { yamlFiles } from './corpus.mjs';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const root = resolve(fileURLToPath(import.meta.url), '../..');
const { createProtocolConnection, StreamMessageReader, StreamMessageWriter } = require('vscode-languageserver/node');
const { TextDocument } = require('vscode-languageserver-textdocument');

const OURS = join(root, 'server/out/server.js');
const CLI = join(root, 'server/out/cli.js');
const YLS = join(root, 'node_modules/yaml-language-server/bin/yaml-language-server');
/** The engine's own parse options (go-yaml's semantics), from the build. */
const OPTIONS_MODULE = join(root, 'out/server/src/service/parse/documentCache.js');
/** The sizes of the manifests, in characters: "1 MB" and "5 MB", the latter under the default maxFileSizeKb (5120 KiB). */
const SIZES = [{ label: '1 MB', chars: 1_000_000 }, { label: '5 MB', chars: 5_000_000 }];
/** Fixed debounces; ours adapts to the cost of the last push (at most 150 ms), so none is subtracted from it. */
const DEBOUNCE = { ours: 'adaptive, <= 150', yls: 200 };
const LATENCY_TARGET = 0.2;


/** Kubernetes documents of the corpus that hold an image, each ending with a line break (templates left out). */
function corpusDocuments(corpus) {
  const docs = [];
  for (const file of yamlFiles(corpus)) {
    const text = readFileSync(file, 'utf8').replace(/\r\n?/g, '\n');
    if (text.includes('{{')) continue;
    for (const doc of text.split(/^---[^\n]*\n/m)) {
      if (/^kind:/m.test(doc) && /^\s*(?:- )?image:\s*\S/m.test(doc) && doc.length < 100_000) docs.push(doc.endsWith('\n') ? doc : `${doc}\n`);
    }
  }
  return docs;
}

/** A multi-document manifest of about `chars` characters: the corpus documents, round after round. */
function manifest(docs, chars) {
  const parts = [];
  let length = 0;
  for (let i = 0; length < chars; i++) {
    const doc = docs[i % docs.length];
    if (length + doc.length + 4 > chars && length > 0) break;
    parts.push(doc);
    length += doc.length + 4;
  }
  return parts.join('---\n');
}

/** The lines holding an image value, as [line, startCharacter, endCharacter]. */
function imageLines(text) {
  const out = [];
  text.split('\n').forEach((line, i) => {
    const m = /^(\s*(?:- )?image:\s*)(["']?)([^\s"'#]+)\2\s*$/.exec(line);
    if (m) out.push([i, m[1].length + m[2].length, m[1].length + m[2].length + m[3].length]);
  });
  return out;
}

const percentile = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
};
const median = (xs) => percentile(xs, 50);
const round1 = (x) => Math.round(x * 10) / 10;
const round2 = (x) => Math.round(x * 100) / 100;

function rssKb(pid) {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}

/** A client over stdio to a spawned server: push diagnostics only, workspace/configuration answered by `config`. */
async function startServer(name, command, args, { config, pull = false }) {
  const child = spawn(process.execPath, [command, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr = (stderr + d).slice(-4000)));
  const connection = createProtocolConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  const waiters = [];
  connection.onNotification('textDocument/publishDiagnostics', (p) => {
    const at = performance.now();
    for (const w of waiters.splice(0)) w({ ...p, at });
  });
  connection.onNotification('window/logMessage', () => {});
  connection.onNotification('window/showMessage', () => {});
  connection.onNotification('telemetry/event', () => {});
  connection.onRequest('workspace/configuration', (p) => p.items.map((item) => config(item.section)));
  for (const m of ['client/registerCapability', 'client/unregisterCapability', 'window/workDoneProgress/create', 'workspace/diagnostic/refresh', 'workspace/inlayHint/refresh']) {
    connection.onRequest(m, () => null);
  }
  connection.listen();
  const capabilities = {
    textDocument: {
      synchronization: { dynamicRegistration: false, didSave: false },
      publishDiagnostics: { versionSupport: true },
      ...(pull ? { diagnostic: { dynamicRegistration: false } } : {}),
    },
    workspace: { configuration: true, didChangeConfiguration: { dynamicRegistration: true } },
  };
  await connection.sendRequest('initialize', { processId: process.pid, rootUri: null, capabilities, workspaceFolders: null });
  await connection.sendNotification('initialized', {});
  return {
    name, child, connection,
    /** The next publishDiagnostics for `uri` (with at least `version`, when the server sends versions). */
    nextPublish(uri, version, timeoutMs = 120_000) {
      return new Promise((resolveP, reject) => {
        const timer = setTimeout(() => reject(new Error(`${name}: no diagnostics for ${uri} v${version} within ${timeoutMs} ms; stderr: ${stderr.slice(-500)}`)), timeoutMs);
        const wait = (p) => {
          if (p.uri !== uri || (typeof p.version === 'number' && p.version < version)) waiters.push(wait);
          else {
            clearTimeout(timer);
            resolveP(p);
          }
        };
        waiters.push(wait);
      });
    },
    async stop() {
      try {
        await Promise.race([connection.sendRequest('shutdown'), new Promise((r) => setTimeout(r, 3000))]);
        await connection.sendNotification('exit');
      } catch {
        // already gone
      }
      setTimeout(() => child.exitCode === null && child.kill(), 2000).unref();
      connection.dispose();
    },
  };
}

const oursConfig = () => null;
const ylsConfig = (section) => (section === 'yaml'
  ? { validate: true, hover: true, completion: true, format: { enable: false }, schemaStore: { enable: false }, kubernetesCRDStore: { enable: false }, schemas: {} }
  : {});

/** Opens `text`, then makes `edits` one-line edits and times each from didChange to its diagnostics. */
async function measure(server, text, edits, { pull = false } = {}) {
  const uri = `file:///bench/${server.name}-${text.length}.yaml`;
  let doc = TextDocument.create(uri, 'yaml', 1, text);
  const targets = imageLines(text);
  if (targets.length === 0) throw new Error('no image line to edit');
  const openStart = performance.now();
  const opened = pull ? null : server.nextPublish(uri, 1);
  await server.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text } });
  if (pull) await server.connection.sendRequest('textDocument/diagnostic', { textDocument: { uri } });
  else await opened;
  const openMs = performance.now() - openStart;
  const rssAfterOpen = rssKb(server.child.pid);
  const times = [];
  for (let i = 0; i < edits; i++) {
    // Spread over the file; each edit rewrites one image value, so the line keeps its place.
    const [line, start] = targets[Math.floor(((i + 0.5) / edits) * targets.length)];
    const current = doc.getText({ start: { line, character: start }, end: { line, character: 10_000 } }).trimEnd();
    const value = `registry.example.com/bench/app:1.${i}`;
    const version = doc.version + 1;
    const change = { range: { start: { line, character: start }, end: { line, character: start + current.length } }, text: value };
    doc = TextDocument.update(doc, [change], version);
    const published = pull ? null : server.nextPublish(uri, version);
    const t0 = performance.now();
    await server.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [change] });
    if (pull) await server.connection.sendRequest('textDocument/diagnostic', { textDocument: { uri } });
    else await published;
    times.push(performance.now() - t0);
    await new Promise((r) => setTimeout(r, 30));
  }
  await server.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
  return { openMs, rssAfterOpenKb: rssAfterOpen, p50: median(times), p95: percentile(times, 95), min: Math.min(...times), max: Math.max(...times), edits: times.length };
}

/**
 * The median of 5 full parses (after one warm-up) in a fresh Node process, as each server parses in its own:
 * in this process, the heap left by the earlier benches would slow the parse and flatter the ratios.
 */
function parseTime(text) {
  const file = join(os.tmpdir(), `k8s-image-lint-bench-${process.pid}.yaml`);
  writeFileSync(file, text);
  const script = `const { parseAllDocuments } = require(${JSON.stringify(require.resolve('yaml'))});
const text = require('fs').readFileSync(${JSON.stringify(file)}, 'utf8'); const o = require(${JSON.stringify(OPTIONS_MODULE)}).PARSE_OPTIONS;
parseAllDocuments(text, o); const t = [];
for (let i = 0; i < 5; i++) { const s = performance.now(); parseAllDocuments(text, o); t.push(performance.now() - s); }
t.sort((a, b) => a - b); console.log(t[2]);`;
  try {
    const run = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
    const ms = Number(run.stdout.trim());
    if (!Number.isFinite(ms)) throw new Error(`timing the parse failed: ${run.stderr.slice(-300)}`);
    return ms;
  } finally {
    rmSync(file, { force: true });
  }
}

/** The CLI over the corpus: wall time and peak RSS, from /usr/bin/time -v when present, else by sampling /proc. */
async function cliRun(corpus) {
  const args = [CLI, '--format', 'json', corpus];
  if (existsSync('/usr/bin/time')) {
    const start = performance.now();
    const run = spawnSync('/usr/bin/time', ['-v', process.execPath, ...args], { encoding: 'utf8', maxBuffer: 1 << 28 });
    const ms = performance.now() - start;
    const peak = /Maximum resident set size \(kbytes\): (\d+)/.exec(run.stderr);
    return { ms, peakRssKb: peak ? Number(peak[1]) : null, files: JSON.parse(run.stdout).summary.files, how: '/usr/bin/time -v' };
  }
  const start = performance.now();
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  let peak = 0;
  child.stdout.on('data', (d) => (out += d));
  const timer = setInterval(() => (peak = Math.max(peak, rssKb(child.pid) ?? 0)), 5);
  await new Promise((r) => child.on('exit', r));
  clearInterval(timer);
  return { ms: performance.now() - start, peakRssKb: peak, files: JSON.parse(out).summary.files, how: 'sampling /proc every 5 ms' };
}

function machine() {
  let model = os.cpus()[0]?.model ?? 'unknown';
  try {
    model = /model name\s*:\s*(.+)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? model;
  } catch {
    // not Linux
  }
  return { cpus: os.availableParallelism?.() ?? os.cpus().length, model, memoryGb: round1(os.totalmem() / 2 ** 30), node: process.version, platform: `${os.platform()} ${os.release()}` };
}

export async function benchLsp({ corpus = resolve(process.env.K8S_IMAGE_LINT_CORPUS ?? '../shared/corpus'), edits = Number(process.env.BENCH_EDITS ?? 30) } = {}) {
  for (const f of [OURS, CLI]) if (!existsSync(f)) throw new Error(`${f} is missing; run "npm run build" first`);
  if (!existsSync(YLS)) throw new Error(`${YLS} is missing; run "npm install" (yaml-language-server is a devDependency)`);
  if (!existsSync(corpus)) throw new Error(`no corpus at ${corpus}`);
  const docs = corpusDocuments(corpus);
  const sizes = [];
  let memory = null;
  for (const size of SIZES) {
    const text = manifest(docs, size.chars);
    const parseMs = parseTime(text);
    const row = { label: size.label, chars: text.length, documents: text.split(/^---\n/m).length, imageLines: imageLines(text).length, parseMs };
    const ours = await startServer('ours', OURS, ['--stdio'], { config: oursConfig });
    row.ours = await measure(ours, text, edits).finally(() => ours.stop());
    const oursPull = await startServer('ours-pull', OURS, ['--stdio'], { config: oursConfig, pull: true });
    row.oursPull = await measure(oursPull, text, edits, { pull: true }).finally(() => oursPull.stop());
    const yls = await startServer('yls', YLS, ['--stdio'], { config: ylsConfig });
    await yls.connection.sendNotification('workspace/didChangeConfiguration', { settings: { yaml: ylsConfig('yaml') } });
    row.yls = await measure(yls, text, edits).finally(() => yls.stop());
    sizes.push(row);
    if (size === SIZES[SIZES.length - 1]) memory = { oursKb: row.ours.rssAfterOpenKb, ylsKb: row.yls.rssAfterOpenKb };
    await new Promise((r) => setTimeout(r, 500));
  }
  const cliRuns = [];
  for (let i = 0; i < 3; i++) cliRuns.push(await cliRun(corpus));
  cliRuns.sort((a, b) => a.ms - b.ms);
  const cli = cliRuns[1];

  const m = machine();
  console.log(`\nLSP latency, didChange -> diagnostics, one-line edit, ${edits} edits per size (machine: ${m.cpus} CPUs, ${m.model}, ${m.memoryGb} GB, Node ${m.node})`);
  const results = sizes.map((r) => {
    const vsParse = r.ours.p50 / r.parseMs;
    const vsYls = r.ours.p50 / r.yls.p50;
    const pullVsParse = r.oursPull.p50 / r.parseMs;
    console.log(`${r.label} (${r.chars} chars, ${r.documents} documents): full parse ${r.parseMs.toFixed(0)} ms`);
    for (const [name, x, debounce] of [['ours (push)', r.ours, null], ['ours (pull)', r.oursPull, null], ['yaml-language-server (push)', r.yls, DEBOUNCE.yls]]) {
      const less = debounce === null ? '' : `  (less ${debounce} ms debounce: p50 ${(x.p50 - debounce).toFixed(0)} ms)`;
      console.log(`  ${name.padEnd(28)} p50 ${x.p50.toFixed(0).padStart(6)} ms  p95 ${x.p95.toFixed(0).padStart(6)} ms${less}  open -> first diagnostics ${x.openMs.toFixed(0)} ms`);
    }
    console.log(`  ours / yaml-language-server (p50, push): ${vsYls.toFixed(2)} (target < 1: ${vsYls < 1 ? 'met' : 'NOT met'})`);
    console.log(`  ours / full parse (p50): pushed ${vsParse.toFixed(2)}, pulled ${pullVsParse.toFixed(2)} (target <= ${LATENCY_TARGET}: ${vsParse <= LATENCY_TARGET && pullVsParse <= LATENCY_TARGET ? 'met' : pullVsParse <= LATENCY_TARGET ? 'met when pulled, NOT met pushed' : 'NOT met'})`);
    return { ...r, vsParse, vsYls, pullVsParse };
  });
  const memRatio = memory.oursKb / memory.ylsKb;
  console.log(`resident memory after opening the 5 MB file: ours ${(memory.oursKb / 1024).toFixed(0)} MB, yaml-language-server ${(memory.ylsKb / 1024).toFixed(0)} MB, ratio ${memRatio.toFixed(2)} (target <= 1: ${memRatio <= 1 ? 'met' : 'NOT met'})`);
  console.log(`CLI over the corpus (${cli.files} files): ${(cli.ms / 1000).toFixed(2)} s, ${(cli.files / (cli.ms / 1000)).toFixed(0)} files/s, peak RSS ${(cli.peakRssKb / 1024).toFixed(0)} MB (${cli.how}; median of 3 runs, Node start-up included)`);
  const summary = {
    bench: 'lsp', machine: m, edits, debounceMs: DEBOUNCE,
    sizes: results.map((r) => ({
      size: r.label, chars: r.chars, documents: r.documents, parseMs: round1(r.parseMs),
      ours: { p50: round1(r.ours.p50), p95: round1(r.ours.p95), openMs: round1(r.ours.openMs) },
      oursPull: { p50: round1(r.oursPull.p50), p95: round1(r.oursPull.p95) },
      yls: { p50: round1(r.yls.p50), p95: round1(r.yls.p95), openMs: round1(r.yls.openMs) },
      oursVsYls: round2(r.vsYls), oursVsParse: round2(r.vsParse), oursPullVsParse: round2(r.pullVsParse), ylsVsParse: round2(r.yls.p50 / r.parseMs),
      metVsYls: r.vsYls < 1, metVsParse: r.vsParse <= LATENCY_TARGET, metVsParsePulled: r.pullVsParse <= LATENCY_TARGET,
    })),
    memory: { oursMb: round1(memory.oursKb / 1024), ylsMb: round1(memory.ylsKb / 1024), ratio: round2(memRatio), met: memRatio <= 1 },
    cli: { files: cli.files, seconds: round2(cli.ms / 1000), filesPerSecond: Math.round(cli.files / (cli.ms / 1000)), peakRssMb: round1(cli.peakRssKb / 1024), how: cli.how },
  };
  console.log(JSON.stringify(summary));
  if (process.env.BENCH_MARKDOWN) console.log(`\n${markdown(summary)}`);
  return summary;
}

/** The result table of docs/performance.md. */
export function markdown(s) {
  const rows = s.sizes.flatMap((r) => [
    `| ${r.size} (${r.documents} docs) | ours, push | ${r.ours.p50} | ${r.ours.p95} | — (adaptive) | ${r.oursVsParse} | ${r.oursVsYls} |`,
    `| | ours, pull | ${r.oursPull.p50} | ${r.oursPull.p95} | — | ${r.oursPullVsParse} | |`,
    `| | yaml-language-server, push | ${r.yls.p50} | ${r.yls.p95} | ${round1(r.yls.p50 - s.debounceMs.yls)} | ${r.ylsVsParse} | 1 |`,
    `| | full \`yaml.parseAllDocuments\` | ${r.parseMs} | | | 1 | |`,
  ]);
  return [
    `Machine: ${s.machine.cpus} CPUs (${s.machine.model}), ${s.machine.memoryGb} GB, Node ${s.machine.node}, ${s.machine.platform}.`,
    '',
    '| file | server | p50 ms | p95 ms | p50 less debounce | p50 / full parse | p50 / yaml-language-server |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...rows,
    '',
    '| measure | ours | yaml-language-server | ratio |',
    '| --- | --- | --- | --- |',
    `| resident memory after opening the 5 MB file | ${s.memory.oursMb} MB | ${s.memory.ylsMb} MB | ${s.memory.ratio} |`,
    '',
    `CLI over the corpus: ${s.cli.files} files in ${s.cli.seconds} s, **${s.cli.filesPerSecond} files/s**, peak RSS **${s.cli.peakRssMb} MB** (${s.cli.how}).`,
  ].join('\n');
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const corpus = process.argv[2] ? resolve(process.argv[2]) : undefined;
  const edits = process.argv[3] ? Number(process.argv[3]) : undefined;
  await benchLsp({ ...(corpus ? { corpus } : {}), ...(edits ? { edits } : {}) }).catch((e) => {
    console.error(`bench (lsp): ${e.stack ?? e.message}`);
    process.exitCode = 1;
  });
}
