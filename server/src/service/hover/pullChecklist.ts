/**
 * The image hover's answer to "will this pull?": one line each for the registry, whether the image exists, its
 * platforms and the credentials, each ✅ (fine), ⚠️ (a pull here would fail or is at risk) or ❓ (not known, and
 * why), from what the analysis and the registry client already know. Unknown stays ❓: nothing is guessed.
 */
import type { ImageFact } from '../facts';
import type { ImageReference } from '../image/reference';
import { movedImage } from '../registry/moves';
import { offered, platformText, podPlatforms, servedOf } from '../registry/platforms';
import { describeAge, pulledManifest } from '../registry/refs';
import type { RegistryClient } from '../registry/types';
import { hasNodeCredentials, isPublicRegistry } from '../rules/publicRegistries';
import { registryPolicy } from '../rules/registryNotAllowed';
import type { Settings } from '../settings';
import { registryVerdict } from '../workspace/pullSecrets';
import type { WorkspaceView } from '../workspace/view';
import { code } from './markdown';

type Mark = '✅' | '⚠️' | '❓';
const line = (mark: Mark, what: string, why: string) => `${mark} ${what}: ${why}`;

/**
 * The checklist, its points side by side (`❓ exists: not looked up · ✅ credentials: anonymous`), after the "Pulls"
 * line's name: short enough for VS Code's default hover height beside the rest. The registry is listed only when something is wrong with it
 * (the "Pulls" line names it); the platform only when the pod or the `platforms` setting says where it runs
 * (otherwise any platform will do).
 */
export function pullChecklist(fact: ImageFact, ref: ImageReference, view: WorkspaceView, settings: Settings, registry: RegistryClient | undefined, now: number): string {
  const points = [registryLine(fact, ref, settings), existsLine(ref, settings, registry, now), platformLine(fact, ref, settings, registry), credentialsLine(fact, ref, view, settings)]
    .filter((l): l is string => l !== null);
  return points.join(' · ');
}

function registryLine(fact: ImageFact, ref: ImageReference, settings: Settings): string | null {
  const moved = fact.image === null ? null : movedImage(settings, ref, fact.image);
  if (moved) return line('⚠️', 'registry', `${code(moved.move.from)} ${moved.move.to ? `moved to ${code(moved.move.to)}` : 'is frozen'}${moved.move.since ? ` (${moved.move.since})` : ''}`);
  const policy = registryPolicy(settings, ref.domain, ref.path);
  return policy ? line('⚠️', 'registry', `${code(ref.domain)} is ${'denied' in policy ? 'in `deniedRegistries`' : 'not in `allowedRegistries`'}`) : null;
}

function notAsked(settings: Settings, registry: RegistryClient | undefined): string {
  if (!registry) return settings.registry.lookups === 'off' ? 'not looked up (lookups off)' : 'not looked up here';
  return settings.registry.lookups === 'auto' ? 'not looked up yet' : 'not looked up (manual)';
}

function existsLine(ref: ImageReference, settings: Settings, registry: RegistryClient | undefined, now: number): string {
  const known = registry?.cachedDigest(pulledManifest(ref));
  const what = ref.digest !== null ? 'digest' : `tag ${code(ref.tag ?? 'latest')}`;
  if (!known) return line('❓', 'exists', notAsked(settings, registry));
  if (known.ok) return line('✅', 'exists', `the ${what}, ${describeAge(now - known.fetchedAt)}`);
  if (known.error.kind === 'not-found' || known.error.kind === 'not-found-or-unauthorized') return line('⚠️', 'exists', `the registry has no such ${ref.digest !== null ? 'digest' : 'tag'} for you`);
  return line('❓', 'exists', `the registry could not say (${known.error.kind})`);
}

function platformLine(fact: ImageFact, ref: ImageReference, settings: Settings, registry: RegistryClient | undefined): string | null {
  const need = podPlatforms(fact.site.pod, settings);
  if (!need) return null;
  const wanted = need.platforms.map(platformText).join(', ');
  const known = registry?.cachedDescription(pulledManifest(ref));
  if (!known?.ok) return line('❓', 'platform', `${wanted} (${need.source}): ${known ? 'the registry could not say' : notAsked(settings, registry)}`);
  const has = offered(known.value);
  if (has.length === 0) return line('❓', 'platform', `${wanted}: the image does not say its platform`);
  // Windows images need a node of their OS build: shown, not judged.
  const builds = [...new Set(has.flatMap((p) => (p.osVersion ? [`${platformText(p)} ${p.osVersion}`] : [])))];
  const windows = builds.length ? `; OS builds ${builds.join(', ')}` : '';
  const served = servedOf(need, has);
  if (served.length === 0) return line('⚠️', 'platform', `none for ${wanted} (${need.source}); it has ${has.map(platformText).join(', ')}${windows}`);
  const missing = need.platforms.length - served.length;
  return line('✅', 'platform', `${served.map(platformText).join(', ')} (${need.source})${missing ? `; not ${need.platforms.filter((n) => !served.includes(n)).map(platformText).join(', ')}` : ''}${windows}`);
}

function credentialsLine(fact: ImageFact, ref: ImageReference, view: WorkspaceView, settings: Settings): string {
  const v = registryVerdict(view, fact);
  if (v.applied.source !== 'none') {
    const from = v.applied.source === 'pod' ? 'the pod\'s' : 'its ServiceAccount\'s';
    if (v.lookup?.matches.length) return line('✅', 'credentials', `${from} ${code(v.lookup.matches[0].source.name)} matches ${code(ref.domain)}`);
    if (isPublicRegistry(settings, ref.domain, ref.path)) return line('✅', 'credentials', 'none needed (public)');
    if (v.unreadable || v.known.length === 0) return line('❓', 'credentials', `${from} pull secrets are not readable here`);
    return line('⚠️', 'credentials', `none of ${from} pull secrets has credentials for ${code(ref.domain)}`);
  }
  // Docker Hub limits anonymous pulls per IP address: the docs say so; the hover has no room.
  if (isPublicRegistry(settings, ref.domain, ref.path)) return line('✅', 'credentials', 'anonymous');
  if (hasNodeCredentials(settings, ref.domain, ref.path)) return line('✅', 'credentials', 'the node\'s provider (`nodeCredentials`)');
  if (!fact.site.pod.secretsKnown) return line('❓', 'credentials', 'the pull secrets are set elsewhere');
  return line('⚠️', 'credentials', `no pull secret for ${code(ref.domain)}, which is not public`);
}
