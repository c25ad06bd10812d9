import { isScalar, type Scalar } from 'yaml';
import { insertPairAfter } from '../edit/pairEdits';
import type { ImageFact } from '../facts';
import type { ImageSite } from '../parse/podSpecs';
import { ownPairOrLast } from '../parse/yamlNodes';
import type { Lines } from '../text/lines';
import type { TextEdit } from '../types';

/**
 * An edit that replaces the content of a scalar, computed from the source text so that its quoting style and
 * everything around it (comments, line breaks) stay byte-for-byte. A plain (or block) scalar stays plain when
 * `content` can be written so; otherwise it is double-quoted: an IPv6 registry (`[::1]/nginx`) would read as a
 * flow list.
 *
 * @example `image: "NGINX"  # web` with content `nginx` → `image: "nginx"  # web`
 * @example `image: \u00a0[::1]/nginx` with content `[::1]/nginx` → `image: "[::1]/nginx"`
 */
export function replaceScalarContent(text: string, node: Scalar, content: string): TextEdit | null {
  if (!node.range) return null;
  const [start, end] = node.range;
  switch (node.type) {
    case 'QUOTE_DOUBLE':
      return { start: start + 1, end: end - 1, newText: content.replace(/[\\"]/g, '\\$&') };
    case 'QUOTE_SINGLE':
      return { start: start + 1, end: end - 1, newText: content.replace(/'/g, "''") };
    case 'BLOCK_LITERAL':
    case 'BLOCK_FOLDED': {
      // `image: |` + an indented line: the block becomes a plain scalar; keep the line break that ended it.
      const source = text.slice(start, end);
      const eol = source.endsWith('\r\n') ? '\r\n' : source.endsWith('\n') || source.endsWith('\r') ? source.slice(-1) : '';
      return { start, end, newText: plain(content) + eol };
    }
    default:
      if (start === end) {
        // An empty value (`key:` or `key:   # note`): the scalar sits where the value would start, so pad it.
        const before = text[start - 1] === ':' ? ' ' : '';
        const after = text[end] === '#' ? ' ' : '';
        return { start, end, newText: before + plain(content) + after };
      }
      return { start, end, newText: plain(content) };
  }
}

/** Plain scalars a YAML 1.1 or 1.2 reader takes for null, a boolean or a number rather than a string. */
const NOT_A_STRING = /^(?:~|null|Null|NULL|true|True|TRUE|false|False|FALSE|[yY]|[yY]es|YES|[nN]|[nN]o|NO|[oO]n|ON|[oO]ff|OFF|[-+]?(?:[0-9][0-9_]*(?:\.[0-9_]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?|0x[0-9a-fA-F_]+|0o[0-7_]+|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/;

/** `content` as a plain scalar when it reads back as the same string in block and flow context, else double-quoted. */
function plain(content: string): string {
  const safe = /^[^\s\-?:,[\]{}#&*!|>'"%@`][^\s,[\]{}]*$/.test(content) && !content.endsWith(':') && !NOT_A_STRING.test(content);
  return safe ? content : JSON.stringify(content);
}

/** The key that holds the pull policy of a site: `pullPolicy` for image volumes, else `imagePullPolicy`. */
export function policyKey(site: ImageSite): string {
  return site.policyKey;
}

/**
 * True when the site states no pull policy: the key is absent, or its value is null or `""` (Kubernetes
 * defaults all three alike). A non-string scalar such as `1` counts as stated: it is invalid, not absent.
 */
export function hasNoPolicy(site: ImageSite): boolean {
  const pair = site.policyPair;
  if (!pair) return true;
  const v = pair.value;
  return v === null || v === undefined || (isScalar(v) && (v.value === null || v.value === ''));
}

/**
 * An edit that makes a site's pull policy `value`: replaces an existing scalar value, or adds the pair right
 * after the image pair (in the site's own style, block or flow). Null when there is nowhere safe to write.
 */
export function setPolicyEdit(fact: ImageFact, value: string, lines: Lines): TextEdit | null {
  const { site } = fact;
  if (site.policyPair) {
    const v = site.policyPair.value;
    return isScalar(v) ? replaceScalarContent(lines.text, v, value) : null;
  }
  const after = ownPairOrLast(site.node, site.imagePair);
  if (!site.imagePair || !after) return null;
  return insertPairAfter(lines, site.node, after, `${policyKey(site)}: ${value}`);
}
