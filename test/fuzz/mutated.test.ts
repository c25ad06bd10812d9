/**
 * Property-based tests over mutated real files from the corpus (`$K8S_IMAGE_LINT_CORPUS` or ../shared/corpus,
 * read in place): byte flips, truncation, deep nesting, very long lines, splices of two files, and streams of
 * ten thousand documents. Every property of check.ts must hold on each. The bounded run (`npm test`) draws from
 * the files under 64 KB and runs one 10k-document stream; `npm run fuzz` uses every file and many streams.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';
import { analyze, defaultSettings, DocumentCache, WorkspaceIndex, type ManifestRef, type RegistryClient } from '../../server/src/service/index';
import { collectFiles } from '../../server/src/cli/walk';
import { checkService, parseErrors } from './check';
import { dockerSecret } from '../helpers';
import { LONG, params, seedNote } from './config';
import { applyMutation, fraction, mutations, stream } from './mutations';

const CORPUS = resolve(process.env.K8S_IMAGE_LINT_CORPUS ?? '../shared/corpus');
const skip = existsSync(CORPUS) ? false : `no corpus at ${CORPUS}: set K8S_IMAGE_LINT_CORPUS to a directory of YAML files`;

function corpusTexts(): { path: string; text: string }[] {
  if (skip) return [];
  const { files } = collectFiles([CORPUS], CORPUS);
  return files.map((path) => ({ path, text: readFileSync(path, 'utf8') }));
}

const all = corpusTexts();
const texts = LONG ? all : all.filter((f) => f.text.length <= 64 * 1024);
const probes = fc.array(fraction, { maxLength: 3 });

/** Small documents holding at least one image: what a 10k-document stream is made of. */
function smallPodDocuments(): string[] {
  const docs: string[] = [];
  for (const { text } of all) {
    if (text.length > 4000 || text.includes('{{')) continue;
    for (const doc of text.split(/^---[^\n]*\n/m)) {
      if (doc.length < 1500 && /^\s*(- )?image:/m.test(doc) && /^kind:/m.test(doc)) docs.push(doc);
    }
  }
  return docs;
}

test('mutated corpus files: the service never throws, answers in time, stays in range, and its fixes are safe', { skip }, (t) => {
  t.diagnostic(`${seedNote()}; ${texts.length} files to draw from`);
  fc.assert(
    fc.property(fc.nat(), mutations, probes, fc.boolean(), (i, mus, fractions, workspace) => {
      const file = texts[i % texts.length];
      const text = mus.reduce(applyMutation, file.text);
      checkService({ text, uri: `file://${file.path}`, workspace }, { fixChecks: 3, probes: fractions, fixAll: text.length < 256 * 1024 });
    }),
    params(150),
  );
});

/**
 * A registry client whose cache says "not found" for about a third of the images, a different third each time
 * `learn()` is called, and says so through `knowledge()`: what the registry rules kept per chunk must follow.
 */
function changingRegistry(): RegistryClient & { learn(): void } {
  let knowledge = 0;
  const missing = (ref: ManifestRef) => [...`${ref.path}:${ref.reference}:${knowledge}`].reduce((h, c) => (h * 31 + c.charCodeAt(0)) >>> 0, 7) % 3 === 0;
  const answer = (ref: ManifestRef) => (missing(ref) ? { ok: false as const, error: { kind: 'not-found' as const, message: `${ref.path} not found` } } : undefined);
  const offline = { ok: false as const, error: { kind: 'offline' as const, message: 'offline' } };
  return {
    resolveDigest: async () => offline, listTags: async () => offline, exists: async () => offline, describe: async () => offline,
    cachedDigest: answer, cachedDescription: answer, knowledge: () => knowledge, learn: () => void knowledge++,
  };
}

test('a corpus file edited step by step: the incremental analysis equals a fresh one after every edit', { skip }, () => {
  const settings = { ...defaultSettings(), registry: { ...defaultSettings().registry, lookups: 'auto' as const } };
  const small = texts.filter((f) => f.text.length <= 128 * 1024);
  const shape = (a: ReturnType<typeof analyze>) => ({
    findings: a.findings.map((f) => [f.ruleId, f.severity, f.range.start, f.range.end, f.message, JSON.stringify(f.fixes)]),
    images: a.images.map((f) => [f.image, f.range?.start, f.range?.end, f.policyRange?.start]),
    objects: a.file.objects.map((o) => [o.kind, o.name, o.docIndex]),
    errors: a.file.syntaxErrors.map((e) => [e.range.start, e.range.end, e.message]),
    lines: [a.lines.count, a.lines.start(a.lines.count - 1)],
  });
  fc.assert(
    fc.property(fc.nat(), fc.array(fc.tuple(mutations, fc.option(fc.constantFrom('secret', 'account', 'remove', 'answer'))), { minLength: 1, maxLength: 8 }), fc.boolean(), (i, steps, inWorkspace) => {
      const file = small[i % small.length];
      // The server keeps one DocumentCache per open document; the workspace makes the cross-document rules speak.
      const documents = new DocumentCache();
      const workspace = inWorkspace ? new WorkspaceIndex() : undefined;
      const registry = changingRegistry();
      const uri = `file://${file.path}`;
      let text = file.text;
      // As the server does: each analysis's entry goes into the index; other files change between edits.
      workspace?.set(analyze(text, settings, { uri, documents, workspace, registry }).entry);
      const other = 'file:///elsewhere/pull.yaml';
      for (const [mus, event] of steps) {
        // A registry answer arrives between two analyses of the same text (the case the kept findings could miss).
        if (event !== 'answer') text = mus.slice(0, 2).reduce(applyMutation, text);
        const name = /imagePullSecrets:\s*\n\s*- name: ([\w.-]+)/.exec(text)?.[1] ?? 'regcred';
        if (workspace && event === 'secret') workspace.update(other, dockerSecret(name, ['docker.io', 'ghcr.io']));
        if (workspace && event === 'account') workspace.update(other, `apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: default\nimagePullSecrets:\n- name: ${name}\n`);
        if (workspace && event === 'remove') workspace.remove(other);
        if (event === 'answer') registry.learn();
        const incrementalAnalysis = analyze(text, settings, { uri, documents, workspace, registry });
        const incremental = shape(incrementalAnalysis);
        const fresh = shape(analyze(text, settings, { uri, workspace, registry }));
        workspace?.set(incrementalAnalysis.entry);
        if (JSON.stringify(incremental) !== JSON.stringify(fresh)) throw new Error(`incremental analysis differs from a fresh one after ${JSON.stringify([mus, event])}`);
      }
    }),
    // Each run analyses up to 16 times: files up to 128 KB, and a twentieth of the long run's count.
    params(40, 0.05),
  );
});

test('spliced corpus files (the head of one, the tail of another)', { skip }, () => {
  fc.assert(
    fc.property(fc.nat(), fc.nat(), fraction, fraction, (i, j, a, b) => {
      const x = texts[i % texts.length].text;
      const y = texts[j % texts.length].text;
      const text = x.slice(0, Math.floor(a * x.length)) + y.slice(Math.floor(b * y.length));
      checkService({ text }, { fixChecks: 3, fixAll: true });
    }),
    params(80, 0.5),
  );
});

test('10k-document streams of small corpus documents, mutated', { skip }, (t) => {
  const docs = smallPodDocuments();
  t.diagnostic(`${docs.length} small documents with images`);
  fc.assert(
    fc.property(fc.nat(), mutations, fc.constantFrom('---\n', '--- # next\n'), (i, mus, separator) => {
      const doc = mus.slice(0, 2).reduce(applyMutation, docs[i % docs.length]);
      // Ten thousand documents, fewer when a mutation made the document huge (a 50,000-character line would
      // make a 500 MB stream, past the longest string V8 allows): at most about 12 MB, as the usual streams.
      const text = stream(doc, Math.max(1, Math.min(10_000, Math.floor(12_000_000 / (doc.length + separator.length)))), separator);
      // Bounded by what parsing alone costs on this machine right now (plus the usual 2 s), not by an absolute
      // figure: ten thousand documents are slow to parse, more so on a loaded machine.
      const started = performance.now();
      parseErrors(text);
      const parseMs = performance.now() - started;
      const a = checkService({ text }, { fixChecks: LONG ? 2 : 0, maxProbes: LONG ? undefined : 12, fixAll: false, boundMs: 2000 + 5 * parseMs });
      // Over maxFileSizeKb, a stream is one notice; under it, every document is analysed.
      if (text.length <= defaultSettings().maxFileSizeKb * 1024 && a.findings.length === 1 && a.findings[0].ruleId === 'file-too-large') {
        throw new Error('a stream under maxFileSizeKb was not analysed');
      }
    }),
    params(1, 0.002),
  );
});

test('a stream over maxFileSizeKb is skipped at once with one notice', { skip }, () => {
  const doc = all.find((f) => f.text.length > 2000 && f.text.includes('image:'))?.text ?? all[0].text;
  const big = stream(doc, Math.ceil((5.5 * 1024 * 1024) / doc.length));
  const start = performance.now();
  const a = analyze(big, defaultSettings());
  const ms = performance.now() - start;
  if (a.findings.length !== 1 || a.findings[0].ruleId !== 'file-too-large') throw new Error(`expected one file-too-large notice, got ${a.findings.length}`);
  if (ms > 500) throw new Error(`skipping a ${big.length}-character file took ${ms.toFixed(0)} ms`);
});
