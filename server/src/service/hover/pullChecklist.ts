/**
 * The image hover's answer to "will this pull?": one line each for the registry, whether the image exists, its
 * platforms and the credentials, each ✅ (fine), ⚠️ (a pull here would fail or is at risk) or ❓ (not known, and
 * why), from what the analysis and the registry client already know. Unknown stays ❓: nothing is guessed.
 */
import type { ImageFact } from '../facts';
import type { ImageReference } from '../image/reference';
import { movedImage } from '../registry/moves';
import { offered, platformText, podPlatforms, serves } from '../registry/platforms';
import { describeAge, pulledManifest } from '../registry/refs';
import type { RegistryClient } from '../registry/types';
import { hasNodeCredentials, isPublicRegistry } from '../rules/publicRegistries';
import { registryGlobMatches } from '../rules/registryNotAllowed';
import type { Settings } from '../settings';
import { registryVerdict } from '../workspace/pullSecrets';
import type { WorkspaceView } from '../workspace/view';
import { code } from './markdown';

type Mark = '✅' | '⚠️' | '❓';
const line = (mark: Mark, what: string, why: string) => `${mark} **${what}** ${why}`;

/**
 * The checklist, one line per point (Markdown hard breaks, to stay short at the default hover height). The
 * registry is listed only when something is wrong with it (the "Pulls" line names it); the platform only when
 * the pod or the `platforms` setting says where it runs (otherwise any platform will do).
 */
export function pullChecklist(fact: ImageFact, ref: ImageReference, view: WorkspaceView, settings: Settings, registry: RegistryClient | undefined, now: number): string {
  const lines = [registryLine(fact, ref, settings), existsLine(ref, settings, registry, now), platformLine(fact, ref, settings, registry), credentialsLine(fact, ref, view, settings)]
    .filter((l): l is string => l !== null);
  return `**Will it pull?** ${lines.join('  \n')}`;
}

function registryLine(fact: ImageFact, ref: ImageReference, settings: Settings): string | null {
  const moved = fact.image === null ? null : movedImage(settings, ref, fact.image);
  if (moved) return line('⚠️', 'Registry', `${code(moved.move.from)} ${moved.move.to ? `moved to ${code(moved.move.to)}` : 'is frozen'}${moved.move.since ? ` (${moved.move.since})` : ''}`);
  const denied = settings.deniedRegistries.some((g) => g.trim() && registryGlobMatches(g, ref.domain, ref.path));
  const allowed = settings.allowedRegistries.filter((g) => g.trim());
  if (denied || (allowed.length && !allowed.some((g) => registryGlobMatches(g, ref.domain, ref.path)))) {
    return line('⚠️', 'Registry', `${code(ref.domain)} is ${denied ? 'in `deniedRegistries`' : 'not in `allowedRegistries`'}`);
  }
  return null;
}

function notAsked(settings: Settings, registry: RegistryClient | undefined): string {
  if (!registry) return settings.registry.lookups === 'off' ? 'not looked up (lookups are off)' : 'not looked up (registries are not contacted here)';
  return settings.registry.lookups === 'auto' ? 'not looked up yet' : 'not looked up (lookups: manual)';
}

function existsLine(ref: ImageReference, settings: Settings, registry: RegistryClient | undefined, now: number): string {
  const known = registry?.cachedDigest(pulledManifest(ref));
  const what = ref.digest !== null ? 'digest' : `tag ${code(ref.tag ?? 'latest')}`;
  if (!known) return line('❓', 'Exists', notAsked(settings, registry));
  if (known.ok) return line('✅', 'Exists', `the ${what} is there (looked up ${describeAge(now - known.fetchedAt)})`);
  if (known.error.kind === 'not-found' || known.error.kind === 'not-found-or-unauthorized') return line('⚠️', 'Exists', `the registry has no such ${ref.digest !== null ? 'digest' : 'tag'} for you`);
  return line('❓', 'Exists', `the registry could not say (${known.error.kind})`);
}

function platformLine(fact: ImageFact, ref: ImageReference, settings: Settings, registry: RegistryClient | undefined): string | null {
  const need = podPlatforms(fact.site.pod, settings);
  if (!need) return null;
  const wanted = need.platforms.map(platformText).join(', ');
  const known = registry?.cachedDescription(pulledManifest(ref));
  if (!known?.ok) return line('❓', 'Platform', `${wanted} (${need.source}): ${known ? 'the registry could not say' : notAsked(settings, registry)}`);
  const has = offered(known.value);
  if (has.length === 0) return line('❓', 'Platform', `${wanted}: the image does not say its platform`);
  // Windows images need a node of their OS build: shown, not judged.
  const builds = [...new Set(has.flatMap((p) => (p.osVersion ? [`${platformText(p)} ${p.osVersion}`] : [])))];
  const windows = builds.length ? `; OS builds ${builds.join(', ')}` : '';
  const served = need.platforms.filter((n) => has.some((p) => serves(p, n)));
  if (served.length === 0) return line('⚠️', 'Platform', `none for ${wanted} (${need.source}); it has ${has.map(platformText).join(', ')}${windows}`);
  const missing = need.platforms.length - served.length;
  return line('✅', 'Platform', `${served.map(platformText).join(', ')} (${need.source})${missing ? `; not ${need.platforms.filter((n) => !served.includes(n)).map(platformText).join(', ')}` : ''}${windows}`);
}

function credentialsLine(fact: ImageFact, ref: ImageReference, view: WorkspaceView, settings: Settings): string {
  const v = registryVerdict(view, fact);
  if (v.applied.source !== 'none') {
    const from = v.applied.source === 'pod' ? 'the pod\'s' : 'its ServiceAccount\'s';
    if (v.lookup?.matches.length) return line('✅', 'Credentials', `${from} ${code(v.lookup.matches[0].source.name)} matches ${code(ref.domain)}`);
    if (isPublicRegistry(settings, ref.domain, ref.path)) return line('✅', 'Credentials', `none needed: ${code(ref.domain)} is public`);
    if (v.unreadable || v.known.length === 0) return line('❓', 'Credentials', `${from} pull secrets are not readable here`);
    return line('⚠️', 'Credentials', `none of ${from} pull secrets has credentials for ${code(ref.domain)}`);
  }
  if (ref.domain === 'docker.io') return line('✅', 'Credentials', 'anonymous (Docker Hub limits anonymous pulls per IP)');
  if (isPublicRegistry(settings, ref.domain, ref.path)) return line('✅', 'Credentials', `anonymous: ${code(ref.domain)} is public`);
  if (hasNodeCredentials(settings, ref.domain, ref.path)) return line('✅', 'Credentials', 'the node\'s credential provider (`nodeCredentials`)');
  if (!fact.site.pod.secretsKnown) return line('❓', 'Credentials', 'the pull secrets are set elsewhere');
  return line('⚠️', 'Credentials', `no pull secret for ${code(ref.domain)}, which is not public`);
}
