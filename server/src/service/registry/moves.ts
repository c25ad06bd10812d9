/**
 * Registries and repositories that moved or froze, as their owners announced it, and the `registryMoves` setting
 * beside them. Pure: what an image's new name is, and whether that name is known to exist without asking.
 *
 * The built-in table, with its sources (docs/rules/deprecated-registry.md lists them for users):
 * - `k8s.gcr.io` (and `gcr.io/google-containers`, `gcr.io/google_containers`, the project behind it) froze on
 *   2023-04-03; every image it held is served, under the same path, by `registry.k8s.io`
 *   (https://kubernetes.io/blog/2023/02/06/k8s-gcr-io-freeze-announcement/).
 * - `docker.io/bitnami`: on 2025-09-29 Bitnami moved every versioned tag to `docker.io/bitnamilegacy`, which
 *   gets no updates, and kept only `latest` of a few images (https://github.com/bitnami/containers/issues/83267).
 *   Sealed Secrets' images stayed. Tags of distributions retired long before (`debian-10`, `centos-7`, `ol-7`, …)
 *   were not copied, so no rewrite is offered for them.
 */
import type { ImageReference } from '../image/reference';
import type { Settings } from '../settings';
import type { ManifestRef } from './types';

export interface RegistryMove {
  /** A registry host, or a host and leading repository segments (`docker.io/bitnami`). */
  from: string;
  /** What takes `from`'s place; null when nothing does (frozen, no successor). */
  to: string | null;
  /** When it happened (ISO date), '' when not known (a user's entry). */
  since: string;
  /** Why, for the hover: one or two sentences. */
  why: string;
  /** Whether the move concerns this image (some tags or repositories stayed). */
  applies?(ref: ImageReference): boolean;
  /** Whether the image is known to be at the destination without asking its registry. */
  copied?(ref: ImageReference): boolean;
}

const K8S_WHY = 'The Kubernetes project froze k8s.gcr.io on 3 April 2023: it gets no new images, and registry.k8s.io serves every image it held under the same path.';

export const BUILT_IN_MOVES: readonly RegistryMove[] = [
  { from: 'k8s.gcr.io', to: 'registry.k8s.io', since: '2023-04-03', why: K8S_WHY },
  { from: 'gcr.io/google-containers', to: 'registry.k8s.io', since: '2023-04-03', why: K8S_WHY },
  { from: 'gcr.io/google_containers', to: 'registry.k8s.io', since: '2023-04-03', why: K8S_WHY },
  {
    from: 'docker.io/bitnami', to: 'docker.io/bitnamilegacy', since: '2025-09-29',
    why: 'Bitnami moved every versioned tag of docker.io/bitnami to docker.io/bitnamilegacy, which gets no updates, and keeps only `latest` of a few images there. Moving on means the legacy copy, Bitnami Secure Images, or another image.',
    applies: (ref) => !ref.path.startsWith('bitnami/sealed-secrets') && ((ref.tag !== null && ref.tag !== 'latest') || (ref.tag === null && ref.digest !== null)),
    copied: (ref) => ref.tag !== null && !/(?:^|-)(?:debian-(?:8|9|10)|centos-7|ol-7)(?:-|$)/.test(ref.tag),
  },
];

/** An image's move: the entry, and the image's name after it (null when nothing replaces it or it is not known to be there). */
export interface MovedImage {
  move: RegistryMove;
  /** The image as it would be written after the move (`registry.k8s.io/pause:3.9`), or null. */
  rewritten: string | null;
  /** What the registry would be asked to know whether the rewritten image exists. */
  destination: ManifestRef | null;
  /** Offsets in the written image of the part the move replaces. */
  part: [number, number] | null;
  /** Offsets of what changes (`bitnami` of `docker.io/bitnami` → `docker.io/bitnamilegacy`), for the finding's focus. */
  changed: [number, number] | null;
}

/** The move that concerns `ref` (written as `written`): the user's `registryMoves` first, then the built-in table. */
export function movedImage(settings: Settings, ref: ImageReference, written: string): MovedImage | null {
  const candidates = movesByDomain(settings).get(ref.domain.toLowerCase());
  if (!candidates) return null;
  const move = candidates.find((m) => covers(m.from, ref) && (m.applies?.(ref) ?? true));
  if (!move) return null;
  const replaced = writtenPart(move.from, ref, written);
  const changed = replaced && changedPart(move, replaced, written);
  if (move.to === null || replaced === null) return { move, rewritten: null, destination: null, part: replaced?.part ?? null, changed };
  const to = replaced.implicitDockerHub && move.to.startsWith('docker.io/') ? move.to.slice('docker.io/'.length) : move.to;
  const trimmed = written.trim();
  const lead = written.length - written.trimStart().length;
  const [a, b] = [replaced.part[0] - lead, replaced.part[1] - lead];
  const rewritten = `${trimmed.slice(0, a)}${to}${trimmed.slice(b)}`;
  const [domain, ...rest] = move.to.split('/');
  const path = [...rest, ...ref.path.split('/').slice(segments(move.from).length - 1)].join('/');
  const destination: ManifestRef = { domain, path, reference: ref.digest ?? ref.tag ?? 'latest' };
  return { move, rewritten, destination, part: replaced.part, changed };
}

/** The written part without the leading segments `from` and `to` share (as written: an implied host is not). */
function changedPart(move: RegistryMove, replaced: { part: [number, number]; implicitDockerHub: boolean }, text: string): [number, number] {
  const from = segments(move.from);
  const to = move.to === null ? [] : segments(move.to);
  let same = 0;
  while (same < from.length - 1 && same < to.length && from[same] === to[same]) same++;
  const written = text.slice(replaced.part[0], replaced.part[1]).split('/');
  const skip = replaced.implicitDockerHub ? Math.max(0, same - 1) : same;
  const offset = written.slice(0, skip).reduce((n, seg) => n + seg.length + 1, 0);
  return [replaced.part[0] + offset, replaced.part[1]];
}

/** Whether the rewritten image is known to exist at the destination without a lookup. */
export function knownCopied(moved: MovedImage, ref: ImageReference): boolean {
  return moved.rewritten !== null && (moved.move.copied?.(ref) ?? true);
}

/** The moves (the user's first, then the table's) by the registry host they start with; computed once per settings. */
const byDomain = new WeakMap<Settings, Map<string, RegistryMove[]>>();
function movesByDomain(settings: Settings): Map<string, RegistryMove[]> {
  let table = byDomain.get(settings);
  if (!table) {
    table = new Map();
    for (const m of [...userMoves(settings), ...BUILT_IN_MOVES]) {
      const domain = segments(m.from)[0];
      table.set(domain, [...(table.get(domain) ?? []), m]);
    }
    byDomain.set(settings, table);
  }
  return table;
}

function userMoves(settings: Settings): RegistryMove[] {
  return Object.entries(settings.registryMoves).flatMap(([from, to]): RegistryMove[] => {
    const f = normalize(from);
    if (f === '') return [];
    const t = normalize(to);
    return [{ from: f, to: t === '' ? null : t, since: '', why: `The registryMoves setting says ${JSON.stringify(from)} ${t === '' ? 'is frozen' : `moved to ${JSON.stringify(to)}`}.` }];
  });
}

function normalize(prefix: string): string {
  const p = prefix.trim().toLowerCase().replace(/\/+$/, '');
  return p.startsWith('index.docker.io') ? p.slice('index.'.length) : p;
}

const segments = (prefix: string) => prefix.split('/');

/** Whether `from` (a host, or host and leading path segments) covers the image's normalized name. */
function covers(from: string, ref: ImageReference): boolean {
  const want = segments(from);
  const have = [ref.domain.toLowerCase(), ...ref.path.split('/')];
  return want.length <= have.length && want.every((s, i) => s === have[i]);
}

/**
 * Where `from` is written in the image: `k8s.gcr.io/pause` holds it as is; `bitnami/nginx` holds
 * `docker.io/bitnami` without its (implied) Docker Hub host. Null when the image spells it otherwise.
 */
function writtenPart(from: string, ref: ImageReference, written: string): { part: [number, number]; implicitDockerHub: boolean } | null {
  const lead = written.length - written.trimStart().length;
  const text = written.trim().toLowerCase();
  const explicit = [from, from.startsWith('docker.io/') ? `index.${from}` : null].filter((f): f is string => f !== null);
  for (const f of explicit) {
    if (text.startsWith(f) && /^[/:@]|^$/.test(text.slice(f.length))) return { part: [lead, lead + f.length], implicitDockerHub: false };
  }
  if (ref.domain === 'docker.io' && from.startsWith('docker.io/')) {
    const bare = from.slice('docker.io/'.length);
    if (text.startsWith(bare) && /^[/:@]|^$/.test(text.slice(bare.length))) return { part: [lead, lead + bare.length], implicitDockerHub: true };
  }
  return null;
}
