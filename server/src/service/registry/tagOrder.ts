/**
 * Which tags to offer when pinning, newest first. Registries list tags in any order (the distribution registry:
 * unsorted), so the order is ours: semver-aware on the numeric part, keeping the current tag's variant suffix
 * (`1.25-alpine` → `1.27.2-alpine`, never `1.27.2`), as Renovate's docker versioning does (a suffix must be
 * equal for two tags to be compatible).
 */

/** A tag split into its version and what follows it. */
export interface ParsedTag {
  tag: string;
  /** Numeric components of the version (`v1.27.2-alpine` → [1, 27, 2]); null when the tag does not start with one. */
  version: number[] | null;
  /** A pre-release marker right after the version (`rc.1`, `beta2`), or null. */
  prerelease: string | null;
  /** Everything after the version and pre-release, separator included (`-alpine`, `-slim-bookworm`, or ''). */
  variant: string;
}

const VERSION = /^v?(\d+(?:\.\d+)*)(.*)$/i;
const PRERELEASE = /^[-.]?((?:alpha|beta|rc|pre|preview|dev|snapshot)(?:[.-]?\d+)*)(?=$|[-_])/i;

export function parseTag(tag: string): ParsedTag {
  const m = VERSION.exec(tag);
  if (!m) return { tag, version: null, prerelease: null, variant: tag };
  const version = m[1].split('.').map(Number);
  if (version.some((n) => !Number.isSafeInteger(n))) return { tag, version: null, prerelease: null, variant: tag };
  let rest = m[2];
  const pre = PRERELEASE.exec(rest);
  if (pre) rest = rest.slice(pre[0].length);
  return { tag, version, prerelease: pre ? pre[1] : null, variant: rest };
}

/**
 * Newest first: higher version; on a tie of the common components, the more specific tag (`1.27.2` before
 * `1.27`); a release before its pre-releases; then by name, for a stable order.
 */
export function compareTags(a: ParsedTag, b: ParsedTag): number {
  if (a.version && b.version) {
    const n = Math.min(a.version.length, b.version.length);
    for (let i = 0; i < n; i++) if (a.version[i] !== b.version[i]) return b.version[i] - a.version[i];
    if (a.version.length !== b.version.length) return b.version.length - a.version.length;
    if ((a.prerelease === null) !== (b.prerelease === null)) return a.prerelease === null ? -1 : 1;
    if (a.prerelease !== null && b.prerelease !== null && a.prerelease !== b.prerelease) {
      return b.prerelease.localeCompare(a.prerelease, 'en', { numeric: true });
    }
  } else if (a.version || b.version) {
    return a.version ? -1 : 1;
  }
  return a.tag < b.tag ? -1 : a.tag > b.tag ? 1 : 0;
}

/**
 * The tags worth pinning to instead of `current` (a tag, or null for an untagged image), newest first: versioned
 * tags with the same variant suffix, without pre-releases unless `current` is one, without `current` itself.
 * For a word tag (`latest`, `alpine`, `stable-alpine`) the variant is taken from the word when versioned tags
 * carry it (`alpine` → `1.27.2-alpine`), else the plain versions are offered.
 *
 * @example pinCandidates(['1.27', '1.27.2-alpine', '1.26.0-alpine', 'alpine', '1.28.0-rc1-alpine'], '1.25-alpine')
 *   // → ['1.27.2-alpine', '1.26.0-alpine']
 */
export function pinCandidates(tags: readonly string[], current: string | null): string[] {
  const parsed = tags.map(parseTag).filter((t) => t.version !== null && t.tag !== current);
  const cur = current !== null ? parseTag(current) : null;
  const allowPre = cur?.prerelease != null;
  const pool = parsed.filter((t) => allowPre || t.prerelease === null);
  for (const variant of variantsOf(cur)) {
    const hits = pool.filter((t) => t.variant === variant);
    if (hits.length > 0) return hits.sort(compareTags).map((t) => t.tag);
  }
  return [];
}

/** Variants to try, in order, for the current tag. */
function variantsOf(cur: ParsedTag | null): string[] {
  if (cur === null) return [''];
  if (cur.version !== null) return [cur.variant];
  if (cur.tag === 'latest') return [''];
  // `stable-alpine`: `-stable-alpine`, then `-alpine`, then plain versions.
  const out = [`-${cur.tag}`];
  for (let i = cur.tag.indexOf('-'); i > 0; i = cur.tag.indexOf('-', i + 1)) out.push(cur.tag.slice(i));
  out.push('');
  return out;
}
