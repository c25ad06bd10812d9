/**
 * `--kustomize DIR`: lint an overlay's effective images without running kustomize. The overlay's kustomization
 * is read with everything it reaches (resources, bases, components — local ones; remote bases are noted and
 * skipped); every file is indexed, so namespaces follow the overlay's `namespace:`; and each image is linted as
 * the `images:` entries along the way rewrite it, with findings on the image as written in the base.
 */
import { existsSync, realpathSync, statSync } from 'node:fs';
import { notARegularFile, readTextFile } from '../node/textFile';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { analyze, docKey, isKustomizationName, KUSTOMIZATION_NAMES, WorkspaceIndex } from '../service/index';
import { analyzeEffective, type EffectiveSite } from '../service/workspace/effectiveImages';
import { ObjectPatches, patchEntries, type PatchSource } from '../service/workspace/kustomizePatches';
import { parseManifests } from '../service/parse/manifests';
import { seqAt } from '../service/parse/yamlNodes';
import type { ImageFact } from '../service/facts';
import { isMap } from 'yaml';
import { loadFiles, safely, type LintResult, type RegistryFor, type SettingsResolver } from './lint';
import { describeFsError } from './walk';
import { fileReport } from './report';

/** What `--kustomize DIR` reads: the overlay's kustomization and every file it reaches, and its patches. */
export interface CollectedKustomization {
  root: string | null;
  /** Kustomization files, resources and patch files, in discovery order. */
  files: string[];
  /** The patches of every kustomization reached, innermost kustomization first (the order kustomize applies them). */
  patches: PatchSource[];
  errors: string[];
  notes: string[];
}

/** Every file a kustomization directory reaches, kustomization files included, in discovery order. */
export function collectKustomization(dir: string, cwd: string): CollectedKustomization {
  const patchLevels: PatchSource[][] = [];
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
    return { root: null, files, patches: [], errors, notes };
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
    patchLevels.push(readPatches(k, uri, text, cwd, errors, (file) => {
      if (!seen.has(file)) {
        seen.add(file);
        files.push(file);
      }
    }));
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
      } else if (!withinRoot(dirname(k), target)) {
        errors.push(rootOnly(cwd, k, ref));
      } else if (!seen.has(target)) {
        seen.add(target);
        files.push(target);
      }
    }
  }
  return { root, files, patches: patchLevels.reverse().flat(), errors, notes };
}

/** The patches of kustomization `k` (inline, or read from their files, which `addFile` adds to the lint). */
function readPatches(k: string, uri: string, text: string, cwd: string, errors: string[], addFile: (file: string) => void): PatchSource[] {
  const root = parseManifests(text).docs[0]?.contents;
  if (!isMap(root)) return [];
  const out: PatchSource[] = [];
  for (const entry of patchEntries(root)) {
    if (entry.inline !== null) {
      out.push({ text: entry.inline, target: entry.target, uri });
      continue;
    }
    if (entry.path === null) continue;
    const file = resolve(dirname(k), entry.path);
    if (!withinRoot(dirname(k), file)) {
      errors.push(rootOnly(cwd, k, entry.path));
      continue;
    }
    try {
      const refused = notARegularFile(file);
      if (refused) throw new Error(refused);
      out.push({ text: readTextFile(file).text, target: entry.target, uri: pathToFileURL(file).href });
      addFile(file);
    } catch (e) {
      errors.push(`${displayRel(cwd, k)} names the patch ${entry.path}, which cannot be read (${describeFsError(displayRel(cwd, file), e).replace(/\.$/, '')}): kustomize build would fail.`);
    }
  }
  return out;
}

/**
 * kustomize's default load restriction (`LoadRestrictionsRootOnly`): a file a kustomization names must lie in
 * or below its own directory (other kustomizations, as directories, may be anywhere). Symbolic links are resolved
 * first, so `../../etc/passwd`, `/proc/self/environ` and a link to either are refused alike.
 */
function withinRoot(root: string, file: string): boolean {
  try {
    const rel = relative(realpathSync(root), realpathSync(file));
    return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
  } catch {
    return false;
  }
}

function rootOnly(cwd: string, k: string, ref: string): string {
  return `${displayRel(cwd, k)} names ${ref}, outside its directory: it is not read (kustomize refuses files outside a kustomization's root).`;
}

function displayRel(cwd: string, file: string): string {
  return relative(cwd, file).split(sep).join('/');
}

/**
 * Lints the overlay `root` (a kustomization file) over `files` (what it reaches): kustomization and patch files
 * as they are, every other file as the overlay builds it — its patches first (images, policies, deletions), then
 * the `images:` entries of the chain of kustomizations up to `root` (kustomize's order).
 */
export function lintKustomization(root: string, files: readonly string[], cwd: string, settings: SettingsResolver, registryFor?: RegistryFor, patches: readonly PatchSource[] = []): LintResult {
  const loaded = loadFiles(files, cwd, false, settings);
  const index = new WorkspaceIndex();
  for (const f of loaded.files) index.update(f.uri, f.text);
  const rootKey = docKey(pathToFileURL(root).href);
  const patched = new ObjectPatches(patches);
  const patchUris = new Set(patches.map((p) => docKey(p.uri)));
  const errors = new Set(loaded.errors);
  const result: LintResult = { files: [], fixedFiles: 0, errors: [], notes: [] };
  for (const f of loaded.files) {
    const context = { uri: f.uri, workspace: index, registry: registryFor?.(f.settings) };
    const key = docKey(f.uri);
    const asWritten = isKustomizationName(key.slice(key.lastIndexOf('/') + 1)) || patchUris.has(key);
    const rewrite = (image: string) => index.rewrites(key, image).find((r) => r.root.key === rootKey)?.image ?? null;
    const analysis = safely(f.path, errors, () => (asWritten
      ? analyze(f.text, f.settings, context)
      : analyzeEffective(f.text, f.settings, context, (fact) => effectiveSite(fact, patched, rewrite))));
    if (analysis) result.files.push(fileReport(f.path, analysis));
  }
  result.errors = [...errors];
  return result;
}

/** What the overlay makes of an image site: its patches' changes, then its `images:` rewrite. */
function effectiveSite(fact: ImageFact, patches: ObjectPatches, rewrite: (image: string) => string | null): EffectiveSite | null {
  const { site } = fact;
  const change = patches.of(site.pod.object);
  if (change?.deleted) return { deleted: true };
  const byName = site.name !== null ? change?.byName.get(`${site.field}/${site.name}`) : undefined;
  const position = seqAt(site.pod.podSpec, site.field)?.items.indexOf(site.node) ?? -1;
  const byIndex = position >= 0 ? change?.byIndex.get(`${site.field}/${position}`) : undefined;
  if (byName?.deleted || byIndex?.deleted) return { deleted: true };
  const patchedImage = byIndex?.image ?? byName?.image;
  const policy = byIndex?.policy ?? byName?.policy;
  const base = patchedImage ?? fact.image!;
  const image = rewrite(base) ?? base;
  if (image === fact.image && policy === undefined) return null;
  return { image, imageBy: patchedImage !== undefined ? 'patch' : 'images', ...(policy !== undefined ? { policy } : {}) };
}
