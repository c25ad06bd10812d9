import { Document, parseAllDocuments, YAMLParseError } from 'yaml';

/**
 * Incremental parsing of multi-document YAML, for the editor path. A file is cut into chunks at its document
 * markers (`---` at column 0, where YAML itself always starts a new document, even inside a block scalar), and
 * each chunk's parse is cached by the chunk's text. An edit re-parses only the chunk it touched; the cached
 * documents after it keep their nodes, whose ranges are shifted to the new offsets in place (a walk over the
 * nodes, far cheaper than a parse).
 *
 * One cache belongs to one document (its owner holds it per URI): a shift mutates the cached nodes, so no other
 * live analysis may share them.
 */
export class DocumentCache {
  private chunks = new Map<string, CachedChunk[]>();

  /** The documents of `text`, as `parseAllDocuments(text)` would give them, reusing unchanged chunks. */
  parse(text: string): Document.Parsed[] {
    const next = new Map<string, CachedChunk[]>();
    const out: Document.Parsed[] = [];
    for (const [start, end] of splitDocuments(text)) {
      const chunk = text.slice(start, end);
      const reusable = this.chunks.get(chunk);
      let cached = reusable?.pop();
      if (cached) {
        if (cached.base !== start) shiftDocuments(cached.docs, start - cached.base);
        cached.base = start;
      } else {
        const docs = parseChunk(chunk);
        if (start !== 0) shiftDocuments(docs, start);
        cached = { base: start, docs };
      }
      const list = next.get(chunk) ?? [];
      list.push(cached);
      next.set(chunk, list);
      out.push(...cached.docs);
    }
    this.chunks = next;
    return out;
  }
}

interface CachedChunk {
  base: number;
  docs: Document.Parsed[];
}

export const PARSE_OPTIONS = { prettyErrors: false, strict: false, uniqueKeys: false } as const;

/** Deeper nesting than any manifest has; past it yaml's recursive composer can take the whole process down. */
export const MAX_NESTING = 256;

/**
 * Parses a whole text (or one chunk) into its documents. Text nested deeper than {@link MAX_NESTING} is not
 * parsed: yaml 2.9 overflows the stack on ~1000 nested collections, and once V8 has optimized the parser the
 * overflow aborts the process ("RegExpCompiler Allocation failed") instead of throwing. Such text yields one
 * empty document carrying a syntax error at the point where the nesting got too deep.
 */
export function parseChunk(text: string): Document.Parsed[] {
  const deep = excessiveNesting(text);
  if (deep >= 0) {
    const doc = new Document(null) as unknown as Document.Parsed;
    doc.range = [0, text.length, text.length];
    doc.errors.push(new YAMLParseError([deep, deep + 1], 'UNEXPECTED_TOKEN',
      `Nesting deeper than ${MAX_NESTING} levels: this text is not analysed (no Kubernetes object nests this deep)`));
    return [doc];
  }
  const docs = parseAllDocuments(text, PARSE_OPTIONS) as unknown as Document.Parsed[];
  return Array.isArray(docs) ? docs : [];
}

/**
 * Offset where nesting first exceeds {@link MAX_NESTING}, or -1. Counts open flow brackets (`[`, `{`; quotes are
 * ignored, which can only over-count) and the `- ` / `? ` indicators that open collections at a line's start.
 */
export function excessiveNesting(text: string): number {
  let flow = 0;
  let lineStart = true;
  let block = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || c === 13) {
      lineStart = true;
      block = 0;
      continue;
    }
    if (c === 91 || c === 123) {
      if (++flow > MAX_NESTING) return i;
    } else if (c === 93 || c === 125) {
      if (flow > 0) flow--;
    }
    if (!lineStart) continue;
    if ((c === 45 || c === 63) && (text.charCodeAt(i + 1) === 32 || text.charCodeAt(i + 1) === 9)) {
      if (++block > MAX_NESTING) return i;
      i++;
    } else if (c !== 32 && c !== 9) lineStart = false;
  }
  return -1;
}

const MARKER = /^---(?=[ \t\r\n]|$)/gm;

/**
 * Chunk boundaries `[start, end)`: the text before the first marker, then one chunk per marker. A `%` directive
 * belongs to the document after it, so a file with directives is kept whole.
 */
export function splitDocuments(text: string): Array<[number, number]> {
  if (/^%/m.test(text)) return [[0, text.length]];
  const starts = [0];
  for (const m of text.matchAll(MARKER)) if (m.index! > 0) starts.push(m.index!);
  return starts.map((s, i) => [s, i + 1 < starts.length ? starts[i + 1] : text.length]);
}

/** Moves every range of the documents (nodes, document, errors and warnings) by `delta` characters. */
function shiftDocuments(docs: Document.Parsed[], delta: number): void {
  for (const doc of docs) {
    const r = doc.range;
    doc.range = [r[0] + delta, r[1] + delta, r[2] + delta];
    for (const e of [...doc.errors, ...doc.warnings]) e.pos = [e.pos[0] + delta, e.pos[1] + delta];
    shiftNode(doc.contents, delta);
  }
}

/**
 * A plain recursive walk (yaml's `visit` builds paths and checks node kinds on every step, which made it the
 * main cost of an edit in a 5 MB file). Each node owns its range array, so it is updated in place.
 */
function shiftNode(node: unknown, delta: number): void {
  if (!node || typeof node !== 'object') return;
  const n = node as { range?: number[] | null; items?: unknown[]; key?: unknown; value?: unknown };
  if (n.range) {
    n.range[0] += delta;
    n.range[1] += delta;
    n.range[2] += delta;
  }
  if (Array.isArray(n.items)) {
    for (const item of n.items) {
      const pair = item as { key?: unknown; value?: unknown; range?: unknown };
      if (pair && typeof pair === 'object' && 'key' in pair && !('range' in pair)) {
        shiftNode(pair.key, delta);
        shiftNode(pair.value, delta);
      } else shiftNode(item, delta);
    }
  }
}
