/**
 * Which `auths` key of a pull secret serves an image: a port of the kubelet's credential matching,
 * kubernetes/kubernetes `pkg/credentialprovider/keyring.go` (`BasicDockerKeyring.Add`, `Lookup`, `URLsMatch`,
 * `isDefaultRegistryMatch`), as called from `pkg/kubelet/images/image_manager.go` with the normalized
 * repository name (`parsers.ParseImageName` → `docker.io/library/nginx`, no tag or digest).
 *
 * Only registry keys go through here: credentials never enter this module.
 */

/** One `auths` key as `BasicDockerKeyring.Add` indexes it: `host[:port][/path]`, scheme and `/v1/`, `/v2/` dropped. */
export interface KeyringKey {
  /** The key as written in the Secret. */
  written: string;
  /** The index key: `parsed.Host + effectivePath`, or just the host when the path is empty or `/`. */
  key: string;
}

const DEFAULT_REGISTRY_HOST = 'index.docker.io';

/**
 * `BasicDockerKeyring.Add` for one `auths` key: prepend `https://` when there is no http(s) scheme, parse as a
 * URL, drop a leading `/v1` or `/v2` of a path that starts `/v1/` or `/v2/`, and keep host + path (host only
 * when the path is empty or `/`). Null when Go's `url.Parse` would fail (the kubelet logs and ignores the key).
 *
 * @example parseKeyringKey('https://index.docker.io/v1/').key === 'index.docker.io'
 * @example parseKeyringKey('registry.example.com/team').key === 'registry.example.com/team'
 */
export function parseKeyringKey(written: string): KeyringKey | null {
  const value = written.startsWith('https://') || written.startsWith('http://') ? written : `https://${written}`;
  const url = parseUrl(value);
  if (url === null) return null;
  let path = url.path;
  if (path.startsWith('/v2/') || path.startsWith('/v1/')) path = path.slice(3);
  const key = path.length > 0 && path !== '/' ? url.host + path : url.host;
  return { written, key };
}

/** The parts of Go's `url.Parse` the keyring uses, for an absolute URL with a scheme. Null on a parse error. */
function parseUrl(value: string): { host: string; path: string } | null {
  const m = /^([A-Za-z][A-Za-z0-9+.-]*):(.*)$/s.exec(value);
  if (!m) return null;
  let rest = m[2];
  // Control characters and spaces are rejected by Go's parser (`invalid control character in URL` / in host).
  if (/[\u0000-\u001f\u007f]/.test(rest)) return null;
  const hash = rest.indexOf('#');
  if (hash >= 0) rest = rest.slice(0, hash);
  const query = rest.indexOf('?');
  if (query >= 0) rest = rest.slice(0, query);
  if (!rest.startsWith('//')) return { host: '', path: unescapePath(rest) ?? rest };
  rest = rest.slice(2);
  const slash = rest.indexOf('/');
  let authority = slash >= 0 ? rest.slice(0, slash) : rest;
  const path = slash >= 0 ? rest.slice(slash) : '';
  const at = authority.lastIndexOf('@');
  if (at >= 0) authority = authority.slice(at + 1);
  if (!validHost(authority)) return null;
  const unescaped = unescapePath(path);
  if (unescaped === null) return null;
  return { host: authority, path: unescaped };
}

/** Go `parseHost`/`validOptionalPort` and the host character check, for what can appear in registry keys. */
function validHost(host: string): boolean {
  if (host.startsWith('[')) {
    const close = host.indexOf(']');
    if (close < 0) return false;
    return validOptionalPort(host.slice(close + 1));
  }
  const colon = host.lastIndexOf(':');
  if (colon >= 0 && !validOptionalPort(host.slice(colon))) return false;
  // Characters Go accepts unescaped in a host: unreserved, sub-delims, ':' and '%'-escapes.
  return /^(?:[A-Za-z0-9\-._~!$&'()*+,;=:]|%[0-9A-Fa-f]{2})*$/.test(host);
}

function validOptionalPort(port: string): boolean {
  return port === '' || /^:[0-9]*$/.test(port);
}

function unescapePath(path: string): string | null {
  if (!path.includes('%')) return path;
  try {
    return decodeURIComponent(path);
  } catch {
    return null;
  }
}

/** `ParseSchemelessURL` + `SplitURL`: the host split on '.', the port as text ('' when none), and the path. */
function splitSchemeless(value: string): { parts: string[]; port: string; path: string } | null {
  const url = parseUrl(`https://${value}`);
  if (url === null) return null;
  const { host, port } = splitHostPort(url.host);
  return { parts: host.split('.'), port, path: url.path };
}

/** Go's `net.SplitHostPort`, falling back to (host, '') on any error, as `SplitURL` does. */
function splitHostPort(hostport: string): { host: string; port: string } {
  if (hostport.startsWith('[')) {
    const close = hostport.indexOf(']');
    if (close < 0 || hostport[close + 1] !== ':' || hostport.indexOf(':', close + 2) >= 0) return { host: hostport, port: '' };
    return { host: hostport.slice(1, close), port: hostport.slice(close + 2) };
  }
  const colon = hostport.lastIndexOf(':');
  if (colon < 0) return { host: hostport, port: '' };
  const host = hostport.slice(0, colon);
  // "too many colons": an unbracketed IPv6 literal is not split.
  if (host.includes(':')) return { host: hostport, port: '' };
  return { host, port: hostport.slice(colon + 1) };
}

/**
 * `URLsMatchStr(glob, target)`: both schemeless. Same port (compared as text), same number of host labels,
 * each label matched by Go's `filepath.Match`, and the key's path a plain string prefix of the image's path
 * (so `/myorg` also covers `/myorg2/app`).
 *
 * @example urlsMatch('*.kubernetes.io', 'prefix.kubernetes.io') === true
 * @example urlsMatch('*.kubernetes.io', 'kubernetes.io') === false
 */
export function urlsMatch(glob: string, target: string): boolean {
  const g = splitSchemeless(glob);
  const t = splitSchemeless(target);
  if (g === null || t === null) return false;
  if (g.port !== t.port) return false;
  if (g.parts.length !== t.parts.length) return false;
  if (!t.path.startsWith(g.path)) return false;
  return g.parts.every((part, i) => filepathMatch(part, t.parts[i]));
}

/**
 * `isDefaultRegistryMatch`: whether an image name pulls from Docker Hub, judged from its text (no `/`, a first
 * component `docker.io` or `index.docker.io`, or one without `.` and `:`).
 */
export function isDefaultRegistryMatch(image: string): boolean {
  const slash = image.indexOf('/');
  const first = slash < 0 ? image : image.slice(0, slash);
  if (first.length === 0) return false;
  if (slash < 0) return true;
  if (first === 'docker.io' || first === 'index.docker.io') return true;
  return !/[.:]/.test(first);
}

/** What a lookup found: the matching keys (most specific first), or the Docker Hub fallback. */
export interface KeyringMatch<T> {
  /** The keys that serve the image, with the secret (or anything) each came from, most specific first. */
  matches: { key: KeyringKey; source: T }[];
  /** True when nothing matched directly and the `index.docker.io` key served a Docker Hub image. */
  dockerHubFallback: boolean;
}

/**
 * `BasicDockerKeyring.Lookup` over keys from several sources (the kubelet builds one keyring from all of a
 * pod's pull secrets): every key whose glob matches, in reverse-sorted key order; when none does and the image
 * is a Docker Hub image, the keys equal to `index.docker.io` (what `https://index.docker.io/v1/` becomes).
 * Keys such as `registry-1.docker.io` or `*.docker.io` never serve `docker.io/…` images: their label count differs.
 *
 * @example keyringLookup([{ written: 'https://index.docker.io/v1/', source: 'hub' }], 'docker.io/library/nginx')
 *   → one match (the fallback), dockerHubFallback true
 */
export function keyringLookup<T>(entries: readonly { written: string; source: T }[], image: string): KeyringMatch<T> {
  const indexed: { key: KeyringKey; source: T }[] = [];
  for (const e of entries) {
    const key = parseKeyringKey(e.written);
    if (key !== null) indexed.push({ key, source: e.source });
  }
  // sort.Reverse(sort.StringSlice(index)): byte order, descending; entries of one key keep their order.
  const order = [...new Set(indexed.map((e) => e.key.key))].sort((a, b) => (a < b ? 1 : a > b ? -1 : 0));
  const matches: { key: KeyringKey; source: T }[] = [];
  for (const k of order) {
    if (urlsMatch(k, image)) matches.push(...indexed.filter((e) => e.key.key === k));
  }
  if (matches.length > 0) return { matches, dockerHubFallback: false };
  if (isDefaultRegistryMatch(image)) {
    const hub = indexed.filter((e) => e.key.key === DEFAULT_REGISTRY_HOST);
    if (hub.length > 0) return { matches: hub, dockerHubFallback: true };
  }
  return { matches: [], dockerHubFallback: false };
}

/**
 * Go's `path/filepath.Match` on one host label (which holds no `/`): `*` any run, `?` one character, `[…]`
 * classes with `^` negation and ranges, `\` escapes. A malformed pattern never matches (the kubelet treats the
 * error as no match).
 */
export function filepathMatch(pattern: string, name: string): boolean {
  const re = globLabelRegExp(pattern);
  return re !== null && re.test(name);
}

const labelCache = new Map<string, RegExp | null>();

function globLabelRegExp(pattern: string): RegExp | null {
  const hit = labelCache.get(pattern);
  if (hit !== undefined) return hit;
  let out = '';
  let ok = true;
  for (let i = 0; i < pattern.length && ok; i++) {
    const c = pattern[i];
    if (c === '*') out += '[^/]*';
    else if (c === '?') out += '[^/]';
    else if (c === '\\') {
      if (i + 1 >= pattern.length) ok = false;
      else out += escapeRe(pattern[++i]);
    } else if (c === '[') {
      const close = classEnd(pattern, i);
      if (close < 0) ok = false;
      else {
        let body = pattern.slice(i + 1, close);
        const negate = body.startsWith('^');
        if (negate) body = body.slice(1);
        if (body === '') ok = false;
        else {
          const cls = classBody(body);
          if (cls === null) ok = false;
          else out += `[${negate ? '^/' : ''}${cls}]`;
        }
        i = close;
      }
    } else if (c === ']') {
      out += '\\]';
    } else out += escapeRe(c);
  }
  const re = ok ? new RegExp(`^${out}$`, 's') : null;
  if (labelCache.size > 500) labelCache.clear();
  labelCache.set(pattern, re);
  return re;
}

/** Index of the `]` closing the class opened at `open`, honouring escapes; -1 when unterminated. */
function classEnd(pattern: string, open: number): number {
  for (let j = open + 1; j < pattern.length; j++) {
    if (pattern[j] === '\\') j++;
    else if (pattern[j] === ']' && j > open + 1 + (pattern[open + 1] === '^' ? 1 : 0)) return j;
    else if (pattern[j] === ']') return -1;
  }
  return -1;
}

/** A class body (`a-z0-9`, `\-`) as regex class text; null when a range is reversed or dangling. */
function classBody(body: string): string | null {
  let out = '';
  for (let i = 0; i < body.length; i++) {
    let lo = body[i];
    // Go's getEsc: an unescaped '-' (or ']') where a character belongs is ErrBadPattern.
    if (lo === '-') return null;
    if (lo === '\\') {
      if (i + 1 >= body.length) return null;
      lo = body[++i];
    }
    if (body[i + 1] === '-' && i + 2 < body.length) {
      let hi = body[i + 2];
      i += 2;
      if (hi === '\\') {
        if (i + 1 >= body.length) return null;
        hi = body[++i];
      }
      if (hi < lo) return null;
      out += `${escapeClass(lo)}-${escapeClass(hi)}`;
    } else out += escapeClass(lo);
  }
  return out;
}

function escapeRe(c: string): string {
  return c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

function escapeClass(c: string): string {
  return c.replace(/[\]\\^-]/g, '\\$&');
}
