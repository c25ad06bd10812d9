/**
 * `--kustomize DIR`: lint an overlay's effective images without running kustomize. The overlay's kustomization
 * is read with everything it reaches (resources, bases, components — local ones; remote bases are noted and
 * skipped); every file is indexed, so namespaces follow the overlay's `namespace:`; and each image is linted as
 * the `images:` entries along the way rewrite it, with findings on the image as written in the base.
 */
import { existsSync, statSync } from 'node:fs';
import { readTextFile } from '../node/textFile';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { analyze, docKey, isKustomizationName, KUSTOMIZATION_NAMES, WorkspaceIndex } from '../service/index';
import { analyzeEffective } from '../service/workspace/effectiveImages';
import { loadFiles, safely, type LintResult, type RegistryFor, type SettingsResolver } from './lint';
import { describeFsError } from './walk';
import { fileReport } from './report';

/** Every file a kustomization directory reaches, kustomization files included, in discovery order. */
export function collectKustomization(dir: string, cwd: string): { root: string | null; files: string[]; errors: string[]; notes: string[] } {
  const errors: string[] = [];
  const notes: string[] = [];
  const files: string[] = [];
  const seen = new Set<string>();
  const index = new WorkspaceIndex();
  const kustomizationIn = (d: string): string | null => {
    for (const name of KUSTOMIZATION_NAMES) {
      const p = join(d, name);
      if (existsSync(p) && statSync(p).isFile()) return p;
    }
    return null;
  };
  const abs = resolve(cwd, dir);
  const root = existsSync(abs) && statSync(abs).isDirectory() ? kustomizationIn(abs) : null;
  if (root === null) {
    errors.push(`${dir} has no kustomization.yaml, kustomization.yml or Kustomization: name an overlay directory.`);
    return { root: null, files, errors, notes };
  }
  const queue = [root];
  while (queue.length > 0) {
    const k = queue.shift()!;
    if (seen.has(k)) continue;
    seen.add(k);
    files.push(k);
    const uri = pathToFileURL(k).href;
    let text: string;
    try {
      text = readTextFile(k).text;
    } catch (e) {
      errors.push(describeFsError(displayRel(cwd, k), e));
      continue;
    }
    index.update(uri, text);
    const info = index.kustomization(docKey(uri));
    if (!info) continue;
    for (const ref of [...info.resources, ...info.components]) {
      if (/^[a-z][a-z0-9+.-]*:\/\//i.test(ref) || ref.startsWith('git@') || ref.includes('?ref=') || /^(?:github\.com|gitlab\.com|bitbucket\.org)\//.test(ref)) {
        notes.push(`${displayRel(cwd, k)}: the remote base ${ref} is not read; its images are not linted.`);
        continue;
      }
      const target = resolve(dirname(k), ref);
      if (!existsSync(target)) {
        errors.push(`${displayRel(cwd, k)} lists ${ref}, which does not exist: kustomize build would fail.`);
        continue;
      }
      if (statSync(target).isDirectory()) {
        const child = kustomizationIn(target);
        if (child) queue.push(child);
        else errors.push(`${displayRel(cwd, k)} lists the directory ${ref}, which has no kustomization.yaml: kustomize build would fail.`);
      } else if (!seen.has(target)) {
        seen.add(target);
        files.push(target);
      }
    }
  }
  return { root, files, errors, notes };
}

function displayRel(cwd: string, file: string): string {
  return relative(cwd, file).split(sep).join('/');
}

/**
 * Lints the overlay `root` (a kustomization file) over `files` (what it reaches): kustomization files as they
 * are, every other file with its images replaced by what the chain of kustomizations up to `root` makes of them.
 */
export function lintKustomization(root: string, files: readonly string[], cwd: string, settings: SettingsResolver, registryFor?: RegistryFor): LintResult {
  const loaded = loadFiles(files, cwd, false, settings);
  const index = new WorkspaceIndex();
  for (const f of loaded.files) index.update(f.uri, f.text);
  const rootKey = docKey(pathToFileURL(root).href);
  const errors = new Set(loaded.errors);
  const result: LintResult = { files: [], fixedFiles: 0, errors: [] };
  for (const f of loaded.files) {
    const context = { uri: f.uri, workspace: index, registry: registryFor?.(f.settings) };
    const key = docKey(f.uri);
    const isKustomization = isKustomizationName(key.slice(key.lastIndexOf('/') + 1));
    const analysis = safely(f.path, errors, () => (isKustomization
      ? analyze(f.text, f.settings, context)
      : analyzeEffective(f.text, f.settings, context, (image) => index.rewrites(key, image).find((r) => r.root.key === rootKey)?.image ?? null)));
    if (analysis) result.files.push(fileReport(f.path, analysis));
  }
  result.errors = [...errors];
  return result;
}
