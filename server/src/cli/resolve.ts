/**
 * `--resolve`: every distinct image reference of a first lint pass is asked of its registry (the client caps
 * requests per registry and caches the answers), so that the reporting pass finds them in the cache:
 * `image-not-found` findings, and each image's `resolved` digest in the report.
 */
import { resolve as resolvePath } from 'node:path';
import { printable } from './printable';
import type { ManifestRef, RegistryClient, RegistryResult, ResolvedManifest, Settings } from '../service/index';
import { ConfigError } from '../node/configFile';
import type { SettingsResolver } from './lint';
import type { JsonReport, ReportFile } from './report';

/**
 * A client that remembers every answer for the rest of the run, failures included (the shared cache keeps only
 * answers worth reusing across runs): the report must say why an image could not be checked.
 */
export function remembering(client: RegistryClient): RegistryClient {
  const answers = new Map<string, RegistryResult<ResolvedManifest>>();
  return {
    resolveDigest: async (ref) => {
      const r = await client.resolveDigest(ref);
      answers.set(JSON.stringify(ref), r);
      return r;
    },
    listTags: (repo) => client.listTags(repo),
    exists: (ref) => client.exists(ref),
    cachedDigest: (ref) => answers.get(JSON.stringify(ref)) ?? client.cachedDigest(ref),
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
    for (const image of file.images) {
      const r = image.reference;
      if (!r?.valid || r.domain === null || r.path === null) continue;
      const ref: ManifestRef = { domain: r.domain, path: r.path, reference: r.digest ?? r.tag ?? 'latest' };
      const key = JSON.stringify([fileSettings.registry, ref]);
      if (asked.has(key)) continue;
      asked.add(key);
      lookups.push(client.resolveDigest(ref));
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
