import type { Tags } from 'yaml';

/**
 * What kubectl's YAML decoder (go-yaml: sigs.k8s.io/yaml over gopkg.in/yaml.v2, a port of libyaml) accepts and
 * strict YAML 1.2 (the `yaml` package) rejects, made readable the way go-yaml reads it.
 *
 * libyaml checks indentation only in block context: a quoted scalar's continuation lines and the lines of a
 * flow collection (`[…]`, `{…}`) may sit at any column, even left of their key (yaml.v2-generated CRDs and
 * release bundles are full of `description: 'text…` / `  more text'` and `args: [` … `]` at the key's column).
 * Indentation is not significant inside either (a quoted scalar folds each line break with the whitespace around
 * it into one space; flow collections ignore it), so indenting such lines further changes no value. When a
 * document fails to parse, {@link indentContinuations} does exactly that; the document is parsed again and, if the
 * result is clean, kept with every range mapped back to the original text ({@link OffsetMap}).
 *
 * Everything else go-yaml rejects, the `yaml` package rejects too (checked against the real go-yaml by
 * `test/unit/goYaml.test.ts` and the corpus sweep), so its errors stand.
 */

/** Spaces inserted into a text: `at` (offsets in the original, ascending) with how many spaces go before each. */
export interface Insertions {
  at: number[];
  count: number[];
}

/**
 * Inserts spaces before each continuation line of a multi-line quoted scalar or flow collection in block context
 * that is indented no more than the line its construct starts on (its key's column), so that strict YAML reads
 * the text as go-yaml does. Returns null when there is nothing to indent. Block scalars and comments are skipped;
 * a document marker ends every construct (go-yaml ends a quoted scalar there too, with an error).
 */
export function indentContinuations(text: string): { text: string; insertions: Insertions } | null {
  const ins: Insertions = { at: [], count: [] };
  let quote: '"' | "'" | null = null;
  let flow = 0;
  /** Column continuation lines must exceed, while inside a multi-line construct. */
  let need = -1;
  /** Indentation a block scalar's content lines exceed, while inside one; else -1. */
  let blockParent = -1;
  let pos = 0;
  while (pos < text.length) {
    let end = text.indexOf('\n', pos);
    if (end < 0) end = text.length;
    const line = text.slice(pos, end).replace(/\r$/, '');
    const indent = leadingSpaces(line);
    const inConstruct = quote !== null || flow > 0;
    if (!inConstruct && blockParent >= 0) {
      if (line.trim() === '' || indent > blockParent) {
        pos = end + 1;
        continue;
      }
      blockParent = -1;
    }
    if (/^(---|\.\.\.)(\s|$)/.test(line)) {
      quote = null;
      flow = 0;
      pos = end + 1;
      continue;
    }
    let from = 0;
    if (inConstruct) {
      if (line.trim() !== '' && indent <= need) {
        ins.at.push(pos);
        ins.count.push(need + 1 - indent);
      }
      from = indent;
    } else {
      need = keyColumn(line);
    }
    const state = scanLine(line, from, quote, flow);
    quote = state.quote;
    flow = state.flow;
    if (quote === null && flow === 0 && state.blockScalar) blockParent = need;
    pos = end + 1;
  }
  if (ins.at.length === 0) return null;
  let out = '';
  let last = 0;
  ins.at.forEach((at, i) => {
    out += text.slice(last, at) + ' '.repeat(ins.count[i]);
    last = at;
  });
  return { text: out + text.slice(last), insertions: ins };
}

function leadingSpaces(line: string): number {
  let i = 0;
  while (i < line.length && line.charCodeAt(i) === 32) i++;
  return i;
}

/** The column of a line's first key or value: after its indentation and any `- ` sequence indicators. */
function keyColumn(line: string): number {
  const m = /^ *(?:- +)*/.exec(line)!;
  return m[0].length;
}

/**
 * Scans one line from `from`, carrying an open quote and the flow depth across lines. A quote opens only where a
 * scalar can start (line start, after `: `, `- `, `? ` or a flow indicator); `#` after whitespace starts a
 * comment. `blockScalar`: the line ends (outside any construct) with a `|` or `>` header.
 */
function scanLine(line: string, from: number, quote: '"' | "'" | null, flow: number): { quote: '"' | "'" | null; flow: number; blockScalar: boolean } {
  let canStart = from === 0 || quote === null;
  let end = line.length;
  for (let i = from; i < line.length; i++) {
    const c = line[i];
    if (quote === "'") {
      if (c === "'") {
        if (line[i + 1] === "'") i++;
        else quote = null;
      }
      continue;
    }
    if (quote === '"') {
      if (c === '\\') i++;
      else if (c === '"') quote = null;
      continue;
    }
    if (c === ' ' || c === '\t') {
      continue;
    }
    if (c === '#' && (i === 0 || line[i - 1] === ' ' || line[i - 1] === '\t')) {
      end = i;
      break;
    }
    if ((c === '"' || c === "'") && (canStart || atValueStart(line, i, flow))) {
      quote = c;
      continue;
    }
    if (c === '[' || c === '{') {
      if (canStart || flow > 0 || atValueStart(line, i, flow)) flow++;
    } else if ((c === ']' || c === '}') && flow > 0) flow--;
    canStart = false;
  }
  const blockScalar = quote === null && flow === 0 && isScalarHeaderEnd(line, from, end);
  return { quote, flow, blockScalar };
}

/** True when the line `[start, end)` (comment cut off) ends with a block scalar header such as `|-` or `>+2`. */
export function isScalarHeaderEnd(text: string, start: number, end: number): boolean {
  let i = end - 1;
  while (i >= start && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9)) i--;
  let j = i;
  while (j >= start && /[0-9+-]/.test(text[j])) j--;
  if (j < start) return false;
  const c = text.charCodeAt(j);
  return (c === 124 || c === 62) && (j === start || /[\s:-]/.test(text[j - 1]));
}

/** True where a scalar may begin: at the line's first token, after `: `/`- `/`? `, or after `[`, `{`, `,` in flow. */
function atValueStart(line: string, i: number, flow: number): boolean {
  let j = i - 1;
  while (j >= 0 && (line[j] === ' ' || line[j] === '\t')) j--;
  if (j < 0) return true;
  const p = line[j];
  if (flow > 0 && (p === '[' || p === '{' || p === ',' || p === ':')) return true;
  return j < i - 1 && (p === ':' || p === '-' || p === '?');
}

/** Maps offsets in a text with {@link Insertions} applied back to the original text. */
export class OffsetMap {
  /** Start of each insertion in the new text, and the total inserted before it. */
  private readonly newAt: number[] = [];
  private readonly before: number[] = [];

  constructor(private readonly ins: Insertions) {
    let total = 0;
    ins.at.forEach((at, i) => {
      this.newAt.push(at + total);
      this.before.push(total);
      total += ins.count[i];
    });
  }

  /** The original offset of `p` (a position inside inserted spaces maps to the insertion point). */
  toOriginal(p: number): number {
    let lo = 0;
    let hi = this.newAt.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.newAt[mid] <= p) lo = mid + 1;
      else hi = mid;
    }
    if (lo === 0) return p;
    const i = lo - 1;
    const inserted = this.before[i] + Math.min(p - this.newAt[i], this.ins.count[i]);
    return p - inserted;
  }
}

/**
 * The YAML 1.1 scalar types as gopkg.in/yaml.v2 resolves plain scalars (kubectl's decoder): `yes`/`on`/`y` are
 * booleans and `0755` is octal, as in the `yaml` package's 1.1 schema; but there is no base-60 (`1:20` is a
 * string), a timestamp stays a string, and a float's mantissa needs a digit (`.` and `E2` are strings).
 */
export function goYamlTags(tags: Tags): Tags {
  const out: Tags = [];
  for (const t of tags) {
    if (typeof t === 'string') out.push(t);
    else if (t.format === 'TIME' || t.tag === 'tag:yaml.org,2002:timestamp') continue;
    else if (t.tag === 'tag:yaml.org,2002:float' && 'test' in t && t.test && !t.test.source.includes('inf')) {
      out.push({ ...t, test: new RegExp(`(?=[-+]?\\.?[0-9])${t.test.source}`) });
    } else out.push(t);
  }
  return out;
}
