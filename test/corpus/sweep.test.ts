/**
 * Sweeps the real-world corpus (read in place, never copied): every file analyses without throwing, every
 * range lies inside its text, non-Kubernetes YAML stays silent, and fix-all is safe and idempotent, also on
 * mistakes injected into the real files.
 * The corpus is `$K8S_IMAGE_LINT_CORPUS` or `../shared/corpus` from the project root (the cwd of `npm test`).
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { test } from 'node:test';
import { Lexer, isMap, parseAllDocuments } from 'yaml';
import { pathToFileURL } from 'node:url';
import { analyze, applyEdits, defaultSettings, docKey, fixAllText, WorkspaceIndex, type Analysis } from '../../server/src/service/index';
import { analyzeEffective } from '../../server/src/service/workspace/effectiveImages';
import { collectFiles } from '../../server/src/cli/walk';
import { goYamlFiles } from '../oracle/goYaml';
import { placeholderOf } from '../../server/src/service/image/placeholder';

const CORPUS = resolve(process.env.K8S_IMAGE_LINT_CORPUS ?? '../shared/corpus');
const PARSE_OPTIONS = { prettyErrors: false, strict: false, uniqueKeys: false } as const;

/** Judged independently of the engine: some document (not a List item) is a map with string apiVersion and kind. */
function hasKubernetesObject(text: string): boolean {
  return parseAllDocuments(text, PARSE_OPTIONS).some((doc) => {
    const root = 'contents' in doc ? doc.contents : null;
    return isMap(root) && typeof root.get('apiVersion') === 'string' && typeof root.get('kind') === 'string';
  });
}

/** Every comment token's text, with its count (block-scalar lines starting with `#` are not comments). */
function comments(text: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const token of new Lexer().lex(text)) {
    if (token.startsWith('#')) counts.set(token, (counts.get(token) ?? 0) + 1);
  }
  return counts;
}

function yamlShape(text: string): { docs: number; errors: number } {
  const docs = parseAllDocuments(text, PARSE_OPTIONS);
  return { docs: docs.length, errors: docs.reduce((n, d) => n + d.errors.length, 0) };
}

/**
 * A fix never turns an image into another valid-looking image the author did not write: an image fix-all changed
 * differs from what was written only by case or surrounding whitespace, and was no placeholder.
 */
function checkImagesKept(text: string, fixed: string, problem: (what: string) => void): void {
  const settings = defaultSettings();
  const before = analyze(text, settings).images;
  const after = analyze(fixed, settings).images;
  if (before.length !== after.length) return problem(`fix-all changed the number of images from ${before.length} to ${after.length}`);
  before.forEach((b, i) => {
    const a = after[i].image;
    if (b.image === a || b.image === null || a === null) return;
    if (a.toLowerCase() !== b.image.trim().toLowerCase()) problem(`fix-all rewrote the image ${JSON.stringify(b.image)} into ${JSON.stringify(a)}`);
    if (placeholderOf(b.image) !== null) problem(`fix-all rewrote the placeholder ${JSON.stringify(b.image)}`);
  });
}

/** Fix-all keeps the YAML shape and every comment, and a second pass changes nothing. */
function checkFixAll(text: string, fixed: string, problem: (what: string) => void): void {
  checkImagesKept(text, fixed, problem);
  const settings = defaultSettings();
  const before = yamlShape(text);
  const after = yamlShape(fixed);
  if (after.docs !== before.docs) problem(`fix-all changed the number of YAML documents from ${before.docs} to ${after.docs}`);
  if (after.errors > before.errors) problem(`fix-all added YAML errors (${before.errors} -> ${after.errors})`);
  const kept = comments(fixed);
  for (const [comment, count] of comments(text)) {
    if ((kept.get(comment) ?? 0) < count) problem(`fix-all lost the comment ${JSON.stringify(comment)}`);
  }
  if (fixAllText(fixed, settings) !== fixed) problem('fix-all is not idempotent: a second pass changes the text again');
}

/**
 * Capitalizes the last repository component of each valid plain-scalar image (`quay.io/x/app:1` ->
 * `quay.io/x/App:1`, an InvalidImageName) and lowercases each valid plain explicit pull policy.
 */
function injectMistakes(text: string, analysis: Analysis): string {
  const edits: { start: number; end: number; newText: string }[] = [];
  for (const fact of analysis.images) {
    if (fact.image && fact.range && fact.reference?.valid && text.slice(fact.range.start, fact.range.end) === fact.image) {
      const nameEnd = fact.image.search(/[:@][^/]*$/);
      const name = nameEnd >= 0 ? fact.image.slice(0, nameEnd) : fact.image;
      const i = name.lastIndexOf('/') + 1;
      if (/[a-z]/.test(name[i] ?? '')) edits.push({ start: fact.range.start + i, end: fact.range.start + i + 1, newText: name[i].toUpperCase() });
    }
    const policy = fact.policyValue;
    if (policy && fact.policyRange && ['Always', 'IfNotPresent', 'Never'].includes(policy) && text.slice(fact.policyRange.start, fact.policyRange.end) === policy) {
      edits.push({ ...fact.policyRange, newText: policy.toLowerCase() });
    }
  }
  return applyEdits(text, edits);
}

function firstDifference(a: string, b: string): number {
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  return i;
}

test('corpus sweep', { skip: existsSync(CORPUS) ? false : `no corpus at ${CORPUS}: set K8S_IMAGE_LINT_CORPUS to a directory of YAML files` }, (t) => {
  const settings = defaultSettings();
  const { files, errors } = collectFiles([CORPUS], CORPUS);
  assert.deepEqual(errors, []);
  assert.ok(files.length > 0, `no YAML files under ${CORPUS}`);
  const problems: string[] = [];
  const byRule = new Map<string, number>();
  const stats = { files: files.length, kubernetesFiles: 0, otherFiles: 0, templates: 0, images: 0, findings: 0, fixedFiles: 0, mutatedFiles: 0, ms: 0 };
  const started = performance.now();

  for (const file of files) {
    const name = relative(CORPUS, file);
    const text = readFileSync(file, 'utf8');
    const problem = (what: string) => problems.push(`${name}: ${what}`);
    let analysis: Analysis;
    try {
      analysis = analyze(text, settings);
    } catch (e) {
      problem(`analyze threw ${(e as Error).stack}`);
      continue;
    }
    stats.images += analysis.images.length;
    stats.findings += analysis.findings.length;
    for (const f of analysis.findings) {
      byRule.set(f.ruleId, (byRule.get(f.ruleId) ?? 0) + 1);
      const { start, end } = f.range;
      if (!(Number.isInteger(start) && Number.isInteger(end) && start >= 0 && start <= end && end <= text.length)) {
        problem(`${f.ruleId} range [${start}, ${end}) is outside the text (length ${text.length})`);
      }
    }
    for (const image of analysis.images) {
      if (image.range && !(image.range.start >= 0 && image.range.start <= image.range.end && image.range.end <= text.length)) {
        problem(`image range [${image.range.start}, ${image.range.end}) is outside the text`);
      }
    }
    if (hasKubernetesObject(text)) stats.kubernetesFiles++;
    else {
      stats.otherFiles++;
      if (analysis.findings.length > 0) problem(`not Kubernetes, yet ${analysis.findings.map((f) => f.ruleId).join(', ')}`);
    }
    if (text.includes('{{')) {
      stats.templates++;
      if (analysis.findings.some((f) => f.ruleId === 'yaml-syntax')) problem('a template file got yaml-syntax findings');
    }

    let fixed: string;
    try {
      fixed = fixAllText(text, settings);
    } catch (e) {
      problem(`fixAllText threw ${(e as Error).stack}`);
      continue;
    }
    if (fixed !== text) {
      stats.fixedFiles++;
      checkFixAll(text, fixed, problem);
      continue;
    }
    // The corpus is mostly clean, so fix-all alone would barely run: break valid images and policies in
    // memory (`nginx` -> `Nginx`, `Always` -> `always`) and expect fix-all to restore the file exactly.
    const mutated = injectMistakes(text, analysis);
    if (mutated === text) continue;
    stats.mutatedFiles++;
    const restored = fixAllText(mutated, settings);
    if (restored !== text) problem(`fix-all did not undo injected mistakes; first difference at offset ${firstDifference(text, restored)}`);
    checkFixAll(mutated, restored, problem);
  }

  stats.ms = Math.round(performance.now() - started);
  t.diagnostic(`corpus ${CORPUS}: ${JSON.stringify(stats)}`);
  t.diagnostic(`findings by rule: ${JSON.stringify(Object.fromEntries([...byRule].sort((a, b) => b[1] - a[1])))}`);
  assert.ok(stats.kubernetesFiles > 0 && stats.otherFiles > 0, 'the corpus has both Kubernetes and other YAML');
  assert.deepEqual(problems.slice(0, 30), [], `${problems.length} problems`);
});

/**
 * The corpus as one workspace (as the CLI and the server see a folder): every file analysed with the index of
 * all of them, and every kustomization linted as an overlay. Real bases and overlays must produce no
 * kustomize- or pull-secret error: they deploy as they are.
 */
test('corpus sweep as a workspace', { skip: existsSync(CORPUS) ? false : `no corpus at ${CORPUS}` }, (t) => {
  const settings = defaultSettings();
  const { files } = collectFiles([CORPUS], CORPUS);
  const texts = new Map(files.map((f) => [pathToFileURL(f).href, readFileSync(f, 'utf8')]));
  const started = performance.now();
  const index = new WorkspaceIndex();
  for (const [uri, text] of texts) index.update(uri, text);
  const indexMs = Math.round(performance.now() - started);
  const problems: string[] = [];
  const byRule = new Map<string, number>();
  const WORKSPACE_RULES = /^(pull-secret|private-image)/;
  let overlays = 0;
  for (const [uri, text] of texts) {
    const name = relative(CORPUS, new URL(uri).pathname);
    let analysis: Analysis;
    try {
      analysis = analyze(text, settings, { uri, workspace: index });
    } catch (e) {
      problems.push(`${name}: analyze threw ${(e as Error).stack}`);
      continue;
    }
    for (const f of analysis.findings) {
      if (WORKSPACE_RULES.test(f.ruleId)) byRule.set(f.ruleId, (byRule.get(f.ruleId) ?? 0) + 1);
      if (f.range.end > text.length || f.range.start < 0) problems.push(`${name}: ${f.ruleId} range outside the text`);
      if (WORKSPACE_RULES.test(f.ruleId) && f.severity === 'error') problems.push(`${name}: ${f.ruleId} ${f.message}`);
    }
    // Each base file linted as every overlay above it renders it.
    const key = docKey(uri);
    for (const image of analysis.images) {
      if (!image.image || image.templated) continue;
      for (const r of index.rewrites(key, image.image)) {
        overlays++;
        const effective = analyzeEffective(text, settings, { uri, workspace: index }, (f) => (f.image === image.image ? { image: r.image, imageBy: 'images' } : null));
        for (const f of effective.findings) {
          if (f.severity === 'error') problems.push(`${name} under ${relative(CORPUS, new URL(r.root.uri).pathname)}: ${f.ruleId} ${f.message}`);
        }
      }
    }
  }
  t.diagnostic(`workspace of ${texts.size} files indexed in ${indexMs} ms; workspace findings ${JSON.stringify(Object.fromEntries(byRule))}; ${overlays} overlay renderings linted`);
  assert.deepEqual(problems.slice(0, 30), [], `${problems.length} problems`);
});

test('corpus: yaml-syntax agrees with go-yaml, kubectl\'s decoder', { skip: existsSync(CORPUS) ? false : `no corpus at ${CORPUS}` }, () => {
  const { files } = collectFiles([CORPUS], CORPUS);
  const truth = goYamlFiles(files);
  const settings = defaultSettings();
  const problems: string[] = [];
  let accepted = 0;
  let rejected = 0;
  for (const file of files) {
    const docs = truth.get(file);
    if (!docs) continue;
    const text = readFileSync(file, 'utf8');
    const syntax = analyze(text, settings).findings.filter((f) => f.ruleId === 'yaml-syntax' && f.message.startsWith('Invalid YAML'));
    const goError = docs.find((d) => !d.ok)?.error;
    if (goError === undefined) {
      accepted++;
      if (syntax.length > 0) problems.push(`${relative(CORPUS, file)}: go-yaml parses it, yet "${syntax[0].message}"`);
    } else if (hasKubernetesObject(text) && !text.includes('{{')) {
      rejected++;
      if (syntax.length === 0) problems.push(`${relative(CORPUS, file)}: go-yaml rejects it (${goError}), yet no yaml-syntax`);
    }
  }
  console.log(`# go-yaml accepts ${accepted} files, rejects ${rejected} Kubernetes files (templates aside)`);
  assert.deepEqual(problems, []);
});
