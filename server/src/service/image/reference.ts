/**
 * Container image references, parsed exactly as Kubernetes parses them.
 *
 * The kubelet (pkg/kubelet/images), API-server defaulting (pkg/util/parsers.ParseImageName) and containerd all
 * call `reference.ParseNormalizedNamed` from github.com/distribution/reference, which validates digests with
 * github.com/opencontainers/go-digest. This file is a line-by-line port of those three pieces, so that
 * "valid" here means "the kubelet will not report InvalidImageName", and error texts are the Go ones.
 *
 * Sources read (distribution/reference `regexp.go`, `reference.go`, `normalize.go`; go-digest `digest.go`,
 * `algorithm.go`; kubernetes `vendor/github.com/...` copies of the same):
 *
 * - Path length. distribution/reference `reference.go` on master checks `len(repo.path) > 255`, i.e. the path
 *   WITHOUT the domain (distribution/reference#9, released in v0.6.0). Older releases (≤ v0.5.0 and the former
 *   github.com/docker/distribution/reference) checked `len(matches[1])`, domain + path. The copy Kubernetes
 *   vendors (`vendor/github.com/distribution/reference/reference.go`) has the path-only check, so we use it.
 *   Because ParseNormalizedNamed calls Parse("docker.io/" + remainder), the limit applies to the path after
 *   "library/" was added: `nginx` may have at most 247 characters.
 * - The vendored `normalize.go` splits the domain with the index-based splitDockerDomain of v0.6.0; master
 *   rewrote it as a `switch`. Both give the same answers; we follow the vendored one.
 * - go-digest: Kubernetes vendors v1.0.0, where a wrong hex length is "invalid checksum digest length" (master
 *   merged that error into "invalid checksum digest format"). sha384/sha512 are available because
 *   pkg/util/parsers imports crypto/sha512 next to crypto/sha256.
 */

/** A reference that parsed, with everything a hover or rule needs. */
export interface ImageReference {
  /** Fully normalized name without tag/digest, e.g. "docker.io/library/nginx". */
  name: string;
  /** The registry, e.g. "docker.io". Empty only in the odd case noted in parseImageReference. */
  domain: string;
  /** The repository path, e.g. "library/nginx". */
  path: string;
  /** The tag as written, null when absent. */
  tag: string | null;
  /** "sha256:<hex>" (or sha384/sha512), null when absent. */
  digest: string | null;
  /** Docker's familiar short form of name, e.g. "nginx", "foo/bar", "gcr.io/x/y". */
  familiarName: string;
}

export type ReferenceResult =
  | { valid: true; ref: ImageReference }
  /**
   * error: the Go error text, as the kubelet prints it after `couldn't parse image name "…": `.
   * hint: our own best-effort explanation when the Go text is just "invalid reference format".
   */
  | { valid: false; error: string; hint?: string };

// ---------------------------------------------------------------------------------------------------------
// regexp.go, term by term. JavaScript's backtracking engine picks the same submatches as Go's leftmost-first
// RE2 for these patterns, `\w` is ASCII [0-9A-Za-z_] in both, and `$` without the m flag is end-of-input in both.

const optional = (...res: string[]): string => `(?:${res.join('')})?`;
const anyTimes = (...res: string[]): string => `(?:${res.join('')})*`;
const capture = (...res: string[]): string => `(${res.join('')})`;
const anchored = (...res: string[]): string => `^${res.join('')}$`;

const alphanumeric = '[a-z0-9]+';
const separator = '(?:[._]|__|[-]+)';
const localhost = 'localhost';
const domainNameComponent = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const optionalPort = '(?::[0-9]+)?';
const tagPat = '[\\w][\\w.-]{0,127}';
// `[[:xdigit:]]` in Go; only the length floor (128 bits) is checked here, go-digest checks the rest.
const digestPat = '[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*[:][0-9A-Fa-f]{32,}';
const identifier = '([a-f0-9]{64})';
const ipv6address = '\\[(?:[a-fA-F0-9:]+)\\]';
const domainName = domainNameComponent + anyTimes('\\.', domainNameComponent);
const host = `(?:${domainName}|${ipv6address})`;
const domainAndPort = host + optionalPort;
const pathComponent = alphanumeric + anyTimes(separator, alphanumeric);
const remoteName = pathComponent + anyTimes('/', pathComponent);
const namePat = optional(domainAndPort, '/') + remoteName;

const referenceRegexp = new RegExp(anchored(capture(namePat), optional(':', capture(tagPat)), optional('@', capture(digestPat))));
const anchoredNameRegexp = new RegExp(anchored(optional(capture(domainAndPort), '/'), capture(remoteName)));
const anchoredIdentifierRegexp = new RegExp(anchored(identifier));

/** The anchored regular expressions of regexp.go, exposed so their upstream tests can run against them. */
export const referenceRegexps = {
  /** `^` + domainAndPort + `$` (what TestDomainRegexp compiles). */
  domain: new RegExp(anchored(domainAndPort)),
  /** anchoredNameRegexp: groups 1 domain, 2 path. */
  name: anchoredNameRegexp,
  /** ReferenceRegexp: groups 1 name, 2 tag, 3 digest. */
  reference: referenceRegexp,
  /** anchoredIdentifierRegexp: a bare 64-hex image ID. */
  identifier: anchoredIdentifierRegexp,
} as const;

// ---------------------------------------------------------------------------------------------------------
// Errors, with the exact texts of reference.go, normalize.go and go-digest v1.0.0.

const RepositoryNameTotalLengthMax = 255;
const ErrReferenceInvalidFormat = 'invalid reference format';
const ErrNameContainsUppercase = 'repository name must be lowercase';
const ErrNameEmpty = 'repository name must have at least one component';
const ErrNameTooLong = `repository name must not be more than ${RepositoryNameTotalLengthMax} characters`;
const ErrDigestInvalidFormat = 'invalid checksum digest format';
const ErrDigestInvalidLength = 'invalid checksum digest length';
const ErrDigestUnsupported = 'unsupported digest algorithm';

/** Result of the un-normalized ports below: fields, or the Go error text. */
export type RawResult<T> = { ok: true; value: T } | { ok: false; error: string };
export interface RawReference {
  domain: string;
  path: string;
  /** '' when absent, as in Go. */
  tag: string;
  /** '' when absent, as in Go. */
  digest: string;
}

// go-digest v1.0.0: the registered algorithms and the hex length each one needs.
const digestHexLength = new Map<string, number>([
  ['sha256', 64],
  ['sha384', 96],
  ['sha512', 128],
]);
const digestRegexpAnchored = /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/;

/** go-digest v1.0.0 `Digest.Validate`: null when valid, else the Go error text. */
export function validateDigest(d: string): string | null {
  const i = d.indexOf(':');
  if (i <= 0 || i + 1 === d.length) return ErrDigestInvalidFormat;
  const algorithm = d.slice(0, i);
  const encoded = d.slice(i + 1);
  const size = digestHexLength.get(algorithm);
  if (size === undefined) {
    // A well-formed digest of an algorithm nobody registered is "unsupported", anything else is "format".
    return digestRegexpAnchored.test(d) ? ErrDigestUnsupported : ErrDigestInvalidFormat;
  }
  if (encoded.length !== size) return ErrDigestInvalidLength;
  return /^[a-f0-9]+$/.test(encoded) ? null : ErrDigestInvalidFormat;
}

/**
 * reference.go `Parse`: the raw grammar, without Docker normalization (no docker.io, no library/).
 * Kubernetes never calls it directly; it is exported so reference_test.go can be ported case by case.
 */
export function parseRawReference(s: string): RawResult<RawReference> {
  const matches = referenceRegexp.exec(s);
  if (matches === null) {
    if (s === '') return { ok: false, error: ErrNameEmpty };
    // Go uses strings.ToLower; JavaScript's toLowerCase differs only for a few non-ASCII letters, which
    // never form a valid reference either way (only the wording of the error could differ).
    if (referenceRegexp.test(s.toLowerCase())) return { ok: false, error: ErrNameContainsUppercase };
    return { ok: false, error: ErrReferenceInvalidFormat };
  }
  const name = matches[1];
  const nameMatch = anchoredNameRegexp.exec(name);
  const domain = nameMatch ? (nameMatch[1] ?? '') : '';
  const path = nameMatch ? nameMatch[2] : name;
  if (path.length > RepositoryNameTotalLengthMax) return { ok: false, error: ErrNameTooLong };
  const digest = matches[3] ?? '';
  if (digest !== '') {
    const err = validateDigest(digest);
    if (err !== null) return { ok: false, error: err };
  }
  return { ok: true, value: { domain, path, tag: matches[2] ?? '', digest } };
}

/** reference.go `WithName`: a name without tag or digest. Exported for the upstream tests. */
export function parseRawName(name: string): RawResult<{ domain: string; path: string }> {
  const match = anchoredNameRegexp.exec(name);
  if (match === null) return { ok: false, error: ErrReferenceInvalidFormat };
  if (match[2].length > RepositoryNameTotalLengthMax) return { ok: false, error: ErrNameTooLong };
  return { ok: true, value: { domain: match[1] ?? '', path: match[2] } };
}

// ---------------------------------------------------------------------------------------------------------
// normalize.go

const defaultDomain = 'docker.io';
const legacyDefaultDomain = 'index.docker.io';
const officialRepoPrefix = 'library/';

/**
 * splitDockerDomain: the part before the first "/" is a registry only if it has a "." or ":", is "localhost",
 * or has an uppercase letter (uppercase is never valid in a path, so it must be a host). Without any "/",
 * the whole string is a Docker Hub name, which is why "test.com:5000" is repository test.com, tag 5000.
 */
function splitDockerDomain(name: string): [domain: string, remainder: string] {
  const i = name.indexOf('/');
  const first = i === -1 ? '' : name.slice(0, i);
  const isHost = i !== -1 && (/[.:]/.test(first) || first === localhost || first.toLowerCase() !== first);
  let domain = isHost ? first : defaultDomain;
  let remainder = isHost ? name.slice(i + 1) : name;
  if (domain === legacyDefaultDomain) domain = defaultDomain;
  if (domain === defaultDomain && !remainder.includes('/')) remainder = officialRepoPrefix + remainder;
  return [domain, remainder];
}

/** familiarizeName: drop "docker.io/" and, for one-level official images, "library/". */
function familiarize(domain: string, path: string): string {
  if (domain !== defaultDomain) return domain === '' ? path : `${domain}/${path}`;
  if (path.startsWith(officialRepoPrefix)) {
    const rest = path.slice(officialRepoPrefix.length);
    if (!rest.includes('/')) return rest;
  }
  return path;
}

/**
 * Parses like reference.ParseNormalizedNamed (what the kubelet and containerd use). Never throws.
 *
 * Faithful to upstream in its corners too: "nginx@SHA256:…" fails as an uppercase repository name, because
 * upstream cuts the "repository" at the first ":"; and "foo_bar.com/app" is valid with an EMPTY domain,
 * because splitDockerDomain takes foo_bar.com as a host but the grammar then reads it as a path component.
 */
export function parseImageReference(image: string): ReferenceResult {
  if (typeof image !== 'string') return { valid: false, error: ErrReferenceInvalidFormat, hint: 'the image is not a string' };
  if (anchoredIdentifierRegexp.test(image)) {
    return { valid: false, error: `invalid repository name (${image}), cannot specify 64-byte hexadecimal strings` };
  }
  const [domain, remainder] = splitDockerDomain(image);
  const tagSep = remainder.indexOf(':');
  const remote = tagSep > -1 ? remainder.slice(0, tagSep) : remainder;
  if (remote.toLowerCase() !== remote) {
    return { valid: false, error: `invalid reference format: repository name (${remote}) must be lowercase` };
  }
  const parsed = parseRawReference(`${domain}/${remainder}`);
  if (!parsed.ok) {
    const hint = parsed.error === ErrReferenceInvalidFormat ? explainInvalidFormat(image) : undefined;
    return hint === undefined ? { valid: false, error: parsed.error } : { valid: false, error: parsed.error, hint };
  }
  const r = parsed.value;
  return {
    valid: true,
    ref: {
      name: r.domain === '' ? r.path : `${r.domain}/${r.path}`,
      domain: r.domain,
      path: r.path,
      tag: r.tag === '' ? null : r.tag,
      digest: r.digest === '' ? null : r.digest,
      familiarName: familiarize(r.domain, r.path),
    },
  };
}

// ---------------------------------------------------------------------------------------------------------
// Helpers for editors: where the parts are, why "invalid reference format", and a safe fix.

const isSpace = (c: string): boolean => /\s/.test(c);

/**
 * Splits a written reference into source text spans for hovers/fixes: offsets within `image` of the name part,
 * the tag (without ':'), and the digest (without '@'); null when absent. Best-effort also for invalid input.
 * Surrounding whitespace is left out of the spans. A separator with nothing after it gives an empty span.
 * As in Kubernetes, a ':' counts as the tag separator only after the last '/' ("localhost:5000/app" has no tag,
 * "test.com:5000" has tag "5000").
 */
export function splitReference(image: string): { name: [number, number]; tag: [number, number] | null; digest: [number, number] | null } {
  let start = 0;
  let end = image.length;
  while (start < end && isSpace(image[start])) start++;
  while (end > start && isSpace(image[end - 1])) end--;

  let digest: [number, number] | null = null;
  let nameTagEnd = end;
  const at = image.indexOf('@', start);
  if (at !== -1 && at < end) {
    digest = [at + 1, end];
    nameTagEnd = at;
  }

  let lastSlash = -1;
  for (let i = nameTagEnd - 1; i >= start; i--) {
    if (image[i] === '/') {
      lastSlash = i;
      break;
    }
  }
  let tag: [number, number] | null = null;
  let nameEnd = nameTagEnd;
  const colon = image.indexOf(':', Math.max(lastSlash + 1, start));
  if (colon !== -1 && colon < nameTagEnd) {
    tag = [colon + 1, nameTagEnd];
    nameEnd = colon;
  }
  return { name: [start, nameEnd], tag, digest };
}

/** Best-effort reason for the bare "invalid reference format"; undefined when nothing specific is found. */
function explainInvalidFormat(image: string): string | undefined {
  if (image === '') return 'the image is empty';
  if (image.trim() !== image) return 'it has leading or trailing whitespace';
  if (/\s/.test(image)) return 'it contains whitespace';
  if (/^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(image)) return 'a URL scheme such as "https://" is not part of an image reference';
  if ((image.match(/@/g) ?? []).length > 1) return 'it contains more than one "@"';
  const parts = splitReference(image);
  if (parts.tag !== null) {
    const tag = image.slice(parts.tag[0], parts.tag[1]);
    if (tag === '') return 'the tag after ":" is empty';
    if (tag.length > 128) return `the tag is ${tag.length} characters long; at most 128 are allowed`;
    const bad = /[^\w.-]/.exec(tag);
    if (bad) return `the tag contains "${bad[0]}"; tags hold letters, digits, "_", "." and "-"`;
    if (!/^\w/.test(tag)) return 'the tag must start with a letter, a digit or "_"';
  }
  if (parts.digest !== null && !new RegExp(anchored(digestPat)).test(image.slice(parts.digest[0], parts.digest[1]))) {
    return 'a digest is an algorithm and hex digits, such as "sha256:" and 64 of them';
  }
  const name = image.slice(parts.name[0], parts.name[1]);
  if (name === '') return 'the repository name is empty';
  if (name.startsWith('/') || name.endsWith('/') || name.includes('//')) return 'the repository path has an empty component';
  const firstSlash = name.indexOf('/');
  const first = firstSlash === -1 ? '' : name.slice(0, firstSlash);
  const hasHost = firstSlash !== -1 && (/[.:]/.test(first) || first === localhost || first.toLowerCase() !== first);
  if (hasHost && !referenceRegexps.domain.test(first)) return `"${first}" is not a valid registry host[:port]`;
  const path = hasHost ? name.slice(firstSlash + 1) : name;
  const badChar = /[^a-z0-9._\/-]/.exec(path);
  if (badChar) return `the repository contains "${badChar[0]}"; use lowercase letters, digits, ".", "_", "-"`;
  if (!path.split('/').every((c) => new RegExp(anchored(pathComponent)).test(c))) {
    return 'each path part must start and end with a lowercase letter or digit';
  }
  return undefined;
}

/**
 * A corrected reference for the quick fix "lowercase the repository / trim": returns the fixed string only when
 * the original is invalid AND the fix (trim surrounding whitespace; lowercase the path part — never the tag,
 * never a domain that is a registry) yields a valid reference; otherwise null.
 *
 * "A domain that is a registry" means a first component with "." or ":" or equal to "localhost": host names are
 * case-insensitive, so they stay as written. A first component that is a registry only because it has an
 * uppercase letter ("Foo/Bar") is a Docker Hub namespace typed in capitals, so it is lowercased with the rest.
 */
export function suggestReferenceFix(image: string): string | null {
  if (typeof image !== 'string' || parseImageReference(image).valid) return null;
  const trimmed = image.trim();
  const { name } = splitReference(trimmed);
  const written = trimmed.slice(name[0], name[1]);
  const slash = written.indexOf('/');
  const first = slash === -1 ? '' : written.slice(0, slash);
  const keepHost = slash !== -1 && (/[.:]/.test(first) || first === localhost);
  const fixedName = keepHost ? first + '/' + written.slice(slash + 1).toLowerCase() : written.toLowerCase();
  const candidate = trimmed.slice(0, name[0]) + fixedName + trimmed.slice(name[1]);
  return candidate !== image && parseImageReference(candidate).valid ? candidate : null;
}

/** The tag grammar, `[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}`: what a value from a registry must be to reach an edit as a tag. */
export function isTag(value: string): boolean {
  return /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/.test(value);
}
