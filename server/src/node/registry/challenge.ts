/**
 * `WWW-Authenticate` challenges (RFC 7235) as registries send them:
 * `Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/nginx:pull"`,
 * `Basic realm="test"`, possibly several in one header and with commas inside quoted values.
 */

export interface Challenge {
  /** Lowercase scheme: `bearer`, `basic`, … */
  scheme: string;
  /** Lowercase parameter names → values, unquoted. */
  params: Record<string, string>;
}

/**
 * Parses a `WWW-Authenticate` header value into its challenges.
 *
 * @example parseChallenges('Bearer realm="https://a/token",scope="repository:x:pull,push"')
 *   // → [{ scheme: 'bearer', params: { realm: 'https://a/token', scope: 'repository:x:pull,push' } }]
 */
export function parseChallenges(header: string | null | undefined): Challenge[] {
  if (!header) return [];
  const out: Challenge[] = [];
  let i = 0;
  const n = header.length;
  const skip = (re: RegExp) => { while (i < n && re.test(header[i])) i++; };
  while (i < n) {
    skip(/[\s,]/);
    const start = i;
    skip(/[^\s,=]/);
    if (i === start) { i++; continue; }
    const word = header.slice(start, i);
    // A token followed by `=` is a parameter of the current challenge, otherwise a new scheme.
    const save = i;
    skip(/[ \t]/);
    if (header[i] === '=' && out.length > 0 && header[i + 1] !== '=') {
      i++;
      skip(/[ \t]/);
      let value = '';
      if (header[i] === '"') {
        i++;
        while (i < n && header[i] !== '"') {
          if (header[i] === '\\' && i + 1 < n) i++;
          value += header[i++];
        }
        i++;
      } else {
        const v = i;
        skip(/[^\s,]/);
        value = header.slice(v, i);
      }
      out[out.length - 1].params[word.toLowerCase()] = value;
    } else {
      i = save;
      out.push({ scheme: word.toLowerCase(), params: {} });
      // token68 form (`Basic abc==`): a value with no `=` name; not used by registries, skipped.
    }
  }
  return out;
}
