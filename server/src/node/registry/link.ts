/**
 * The `rel="next"` target of an RFC 8288 `Link` header, resolved against the URL that sent it, or null.
 *
 * @example nextLink('</v2/app/tags/list?n=3&last=c>; rel="next"', new URL('http://r:5000/v2/app/tags/list'))
 *   // → http://r:5000/v2/app/tags/list?n=3&last=c
 */
export function nextLink(header: string | null, base: URL): URL | null {
  if (!header) return null;
  for (const part of header.split(/,(?=\s*<)/)) {
    const m = /^\s*<([^>]*)>(.*)$/.exec(part);
    if (!m) continue;
    const rels = /;\s*rel\s*=\s*(?:"([^"]*)"|([^\s;,]+))/i.exec(m[2]);
    const rel = (rels?.[1] ?? rels?.[2] ?? '').toLowerCase().split(/\s+/);
    if (!rel.includes('next')) continue;
    try {
      return new URL(m[1], base);
    } catch {
      return null;
    }
  }
  return null;
}
