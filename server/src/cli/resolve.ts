/**
 * `--resolve`: every distinct image reference of a first lint pass is asked of its registry (the client caps
 * requests per registry and caches the answers), so that the reporting pass finds them in the cache:
 * `image-not-found`, `image-platform-mismatch`, `digest-tag-mismatch`, the checked rewrites of
 * `deprecated-registry`, and each image's `resolved` digest in the report.
 */
import { resolve as resolvePath } from 'node:path';
import { printable } from './printable';
import { movedImage, type ManifestDescription, type ManifestRef, type RegistryClient, type RegistryResult, type ResolvedManifest, type Settings } from '../service/index';
import { ConfigError } from '../node/configFile';
import type { SettingsResolver } from './lint';
import type { JsonReport, ReportFile } from './report';

/**
 * A client that remembers every answer for the rest of the run, failures included (the shared cache keeps only
 * answers worth reusing across runs): the report must say why an image could not be checked.
 */
export function remembering(client: RegistryClient): RegistryClient {
  const answers = new Map<string, RegistryResult<ResolvedManifest>>();
  const descriptions = new Map<string, RegistryResult<ManifestDescription>>();
  return {
    resolveDigest: async (ref) => {
      const r = await client.resolveDigest(ref);
      answers.set(JSON.stringify(ref), r);
      return r;
    },
    listTags: (repo) => client.listTags(repo),
    exists: (ref) => client.exists(ref),
    cachedDigest: (ref) => answers.get(JSON.stringify(ref)) ?? client.cachedDigest(ref),
    describe: async (ref) => {
      const r = await client.describe(ref);
      descriptions.set(JSON.stringify(ref), r);
      // The digest part of the answer, as resolveDigest gives it (a failure is the lookup's too).
      answers.set(JSON.stringify(ref), r.ok ? { ok: true, value: { digest: r.value.digest, mediaType: r.value.mediaType, multiArch: r.value.multiArch }, fetchedAt: r.fetchedAt } : r);
      return r;
    },
    cachedDescription: (ref) => descriptions.get(JSON.stringify(ref)) ?? client.cachedDescription(ref),
  };
}

/** Looks up every valid image of `files` (as pulled: the digest when written, else the tag, else `latest`). */
export async function resolveAll(files: readonly ReportFile[], cwd: string, settings: SettingsResolver, registryFor: (s: Settings) => RegistryClient): Promise<void> {
  const asked = new Set<string>();
  const lookups: Promise<unknown>[] = [];
  for (const file of files) {
    const fileSettings = settings.forFile(resolvePath(cwd, file.path));
    if (fileSettings instanceof ConfigError) continue;
    const client = registryFor(fileSettings);
    const ask = (ref: ManifestRef, how: 'describe' | 'resolve') => {
      const key = JSON.stringify([fileSettings.registry, how, ref]);
      if (asked.has(key)) return;
      asked.add(key);
      lookups.push(how === 'describe' ? client.describe(ref) : client.resolveDigest(ref));
    };
    for (const image of file.images) {
      const r = image.reference;
      if (!r?.valid || r.domain === null || r.path === null) continue;
      // The digest and the platforms (for image-platform-mismatch); a pinned tag's own, for digest-tag-mismatch.
      ask({ domain: r.domain, path: r.path, reference: r.digest ?? r.tag ?? 'latest' }, 'describe');
      if (r.tag !== null && r.digest !== null) ask({ domain: r.domain, path: r.path, reference: r.tag }, 'describe');
      // Where a moved registry's image would be (deprecated-registry offers the rewrite once it is known there).
      const moved = image.image === null ? null : movedImage(fileSettings, { name: r.name ?? '', domain: r.domain, path: r.path, tag: r.tag, digest: r.digest, familiarName: '' }, image.image);
      if (moved?.destination) ask(moved.destination, 'resolve');
    }
  }
  await Promise.all(lookups);
}

/** Text output: one line per checked image after the findings, `path:line:col image digest` (or why not). */
export function formatResolved(report: JsonReport): string {
  let out = '';
  for (const file of report.files) {
    for (const image of file.images) {
      if (!image.resolved || !image.range || image.image === null) continue;
      const { line, character } = image.range.start;
      const what = 'digest' in image.resolved ? image.resolved.digest : `unresolved: ${image.resolved.error.message}`;
      out += `${printable(file.path)}:${line + 1}:${character + 1} ${printable(image.image)} ${printable(what)}\n`;
    }
  }
  return out;
}

/** Images the registry could not be asked about (offline, refused, timed out…): not "not found", unknown. */
export function uncheckedImages(report: JsonReport): number {
  let n = 0;
  for (const file of report.files) {
    for (const image of file.images) {
      const r = image.resolved;
      if (r && 'error' in r && r.error.kind !== 'not-found' && r.error.kind !== 'not-found-or-unauthorized') n++;
    }
  }
  return n;
}

/** "Resolved 4 images; 1 not found; 0 could not be checked." (stderr, after the summary line). */
export function resolvedSummary(report: JsonReport): string {
  let resolved = 0;
  let notFound = 0;
  for (const file of report.files) {
    for (const image of file.images) {
      const r = image.resolved;
      if (!r) continue;
      if ('digest' in r) resolved++;
      else if (r.error.kind === 'not-found' || r.error.kind === 'not-found-or-unauthorized') notFound++;
    }
  }
  return `Resolved ${resolved} image${resolved === 1 ? '' : 's'}; ${notFound} not found; ${uncheckedImages(report)} could not be checked.\n`;
}
