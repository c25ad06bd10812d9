import { Document, isMap, isPair, isScalar, isSeq, parseAllDocuments, YAMLParseError, type Pair } from 'yaml';
import { commonAffixes } from '../text/affixes';
import { Lines } from '../text/lines';
import { goYamlTags, indentContinuations, isScalarHeaderEnd, OffsetMap } from './goYamlTolerance';
import { recordMerges } from './yamlNodes';
import { isBlank, splitDocuments, splitEdited, type Bounds } from './split';

/**
 * Parsing of multi-document YAML in chunks, incremental on the editor path. A file is cut into chunks at its
 * document markers (`---` at column 0, where YAML itself always starts a new document, even inside a block
 * scalar), each parsed on its own; every parse goes this way (the CLI with a throwaway cache), so the documents
 * and their errors never depend on who asks. Kept across versions, the cache re-parses only the chunks an edit
 * touched; the others keep their nodes, whose ranges are moved to the new offsets in place (a flat loop over
 * range arrays collected at parse time, far cheaper than a parse).
 *
 * One cache belongs to one document (its owner holds it per URI): a move mutates the cached nodes, so no other
 * live analysis may share them.
 */
export class DocumentCache {
  /** What the cache's owner keeps for the whole text between calls (as `Chunk.memo` is for one chunk). */
  readonly memo = new Map<string, unknown>();
  private text = '';
  private list: CachedChunk[] = [];
  /** Where the last text was cut (`list`'s ranges then). */
  private bounds: Bounds = [];
  private lastLines: Lines | null = null;
  /** Chunk parses made ahead by {@link warm}, by the parsed text of the chunk; each is taken once. */
  private readonly pending = new Map<string, Document.Parsed[]>();
  /** How many times {@link chunks} was called. */
  private calls = 0;

  /**
   * Parses ahead, a slice of time at a time with the event loop served in between, the chunks that the next
   * {@link chunks} call for `text` will need anew (those inside the span that changed since the last call). A
   * server awaits this before analysing a large new text, so other documents' requests are answered meanwhile;
   * small edits skip it. `parsed` as for {@link chunks}.
   */
  async warm(text: string, parsed = text, sliceMs = 20): Promise<void> {
    const { prefix, suffix } = commonAffixes(this.text, text);
    const changedEnd = text.length - suffix;
    if (changedEnd - prefix < WARM_MIN_CHARS) return;
    let started = Date.now();
    for (const [start, end] of splitDocuments(text)) {
      if (end <= prefix || start >= changedEnd || isBlank(text, start, end)) continue;
      const slice = detached(parsed.slice(start, end));
      if (!this.pending.has(slice)) this.pending.set(slice, parseChunk(slice));
      if (Date.now() - started >= sliceMs) {
        await new Promise((resolve) => setImmediate(resolve));
        started = Date.now();
      }
    }
  }

  /** The documents of `text`, as `parseAllDocuments(text)` would give them, reusing unchanged chunks. */
  parse(text: string): Document.Parsed[] {
    return this.chunks(text).flatMap((c) => c.docs);
  }

  /**
   * The chunks of `text` in order, each with its documents. A chunk whose text is unchanged since the last call
   * is the same object as before (so is its `memo`), moved to its new place. Chunks before and after the edited
   * span are matched by position; those inside it by their text (a document moved by cut and paste).
   *
   * `parsed` is what is parsed in place of `text`, of the same length with the same document markers (the text
   * with Helm control lines blanked); chunks are still matched on `text`, so that whatever a later stage reads
   * from the text itself is unchanged too.
   */
  chunks(text: string, parsed = text): Chunk[] {
    const old = this.list;
    const { prefix, suffix } = commonAffixes(this.text, text);
    const delta = text.length - this.text.length;
    const oldSuffixStart = this.text.length - suffix;
    // This call's mark on the chunks it hands out (so none is handed out twice).
    const call = ++this.calls;
    let byText: Map<string, CachedChunk[]> | null = null;
    const bounds = this.bounds.length > 0 ? splitEdited(text, this.text, this.bounds, { prefix, suffix }) : splitDocuments(text);
    // Chunks before the edit keep their index; those after it are as many places from the end as before.
    const shift = old.length - bounds.length;
    const out: CachedChunk[] = [];
    bounds.forEach(([start, end], i) => {
      // Before the edit, the old chunk at the same index; after it, the one as far from the end; each where it was.
      const before = end <= prefix;
      let chunk: CachedChunk | undefined = before ? old[i] : start - delta >= oldSuffixStart ? old[i + shift] : undefined;
      if (chunk && (chunk.base !== (before ? start : start - delta) || chunk.end - chunk.base !== end - start || chunk.call === call)) chunk = undefined;
      if (!chunk) {
        // Inside the edited span: an old chunk with the same text, if one is left over.
        byText ??= leftovers(this.text, old, prefix, oldSuffixStart);
        chunk = byText.get(text.slice(start, end))?.find((c) => c.call !== call);
      }
      if (chunk) {
        if (chunk.base !== start) shiftRanges(chunk.ranges, start - chunk.base);
      } else {
        // A run of empty documents (`---` lines, comments) holds nothing to parse: 1.3 million of them took a minute.
        const docs = isBlank(text, start, end) ? [] : this.parsed(detached(parsed.slice(start, end)));
        chunk = { base: 0, end: 0, last: false, docs, memo: new Map(), ranges: collectRanges(docs), call: 0 };
        if (start !== 0) shiftRanges(chunk.ranges, start);
      }
      chunk.call = call;
      chunk.base = start;
      chunk.end = end;
      chunk.last = i === bounds.length - 1;
      out.push(chunk);
    });
    this.text = text;
    this.list = out;
    this.bounds = bounds;
    this.pending.clear();
    return out;
  }

  /** A chunk's parse: made ahead by {@link warm} (taken, so two equal chunks never share nodes), or now. */
  private parsed(slice: string): Document.Parsed[] {
    const ahead = this.pending.get(slice);
    if (!ahead) return parseChunk(slice);
    this.pending.delete(slice);
    return ahead;
  }

  /** The {@link Lines} of `text`, updated from the last call's rather than scanned whole. */
  lines(text: string): Lines {
    const prev = this.lastLines;
    this.lastLines = prev ? Lines.update(prev, text, commonAffixes(prev.text, text)) : new Lines(text);
    return this.lastLines;
  }
}

/**
 * A copy of a chunk's text that does not keep the whole text alive. V8 makes a slice of a long string a view into
 * it, and every string the parser cuts from the chunk (each scalar's source) a view into the same parent: a chunk
 * parsed after an edit would hold that version of the file for as long as the chunk is kept, 5 MB per keystroke
 * in a 5 MB file. Concatenation flattens into a new string of the chunk's own size, sliced from that.
 */
function detached(slice: string): string {
  return ` ${slice}`.slice(1);
}

/** Old chunks (of `oldText`) that lay, at least partly, inside the edited span, by their text. */
function leftovers(oldText: string, old: readonly CachedChunk[], prefix: number, oldSuffixStart: number): Map<string, CachedChunk[]> {
  const map = new Map<string, CachedChunk[]>();
  for (const c of old) {
    if (c.end <= prefix || c.base >= oldSuffixStart) continue;
    const key = oldText.slice(c.base, c.end);
    const list = map.get(key) ?? [];
    list.push(c);
    map.set(key, list);
  }
  return map;
}

/** A run of YAML documents between two document markers, as {@link DocumentCache.chunks} hands it out. */
export interface Chunk {
  /** Where the chunk starts and ends in the text it was last handed out for. */
  base: number;
  end: number;
  /** True when the chunk ends the text (nothing, not even a marker, follows it). */
  last: boolean;
  docs: Document.Parsed[];
  /**
   * What the chunk's owner derives from it and wants to keep while the chunk's text is unchanged (keyed by the
   * owner). Offsets held there are the owner's to move when `base` changes: only the parse's own ranges move.
   */
  memo: Map<string, unknown>;
}

interface CachedChunk extends Chunk {
  /** Every range array of the chunk's parse (nodes, documents, errors, warnings), each once: what a move shifts. */
  ranges: number[][];
  /** The last {@link DocumentCache.chunks} call that handed it out. */
  call: number;
}

/**
 * As kubectl reads YAML (go-yaml, YAML 1.1 scalars: `goYamlTags`): merge keys (`<<: *base`) apply; a duplicate key is
 * reported (DUPLICATE_KEY, at the second key: {@link reportDuplicateKeys}, linear where yaml's `uniqueKeys` compares
 * every key with every earlier one) and, like go-yaml, the last value counts (`yamlNodes.pairOf`).
 */
export const PARSE_OPTIONS = { prettyErrors: false, strict: false, uniqueKeys: false, merge: true, version: '1.1', customTags: goYamlTags } as const;

/** The error code of a duplicate key: reported on its own terms, and not a broken document. */
export const DUPLICATE_KEY = 'DUPLICATE_KEY';

/** Deeper nesting than any manifest has; past it yaml's recursive composer can take the whole process down. */
export const MAX_NESTING = 256;

/** Changed text below this size is parsed at once; above it, a server parses ahead with {@link DocumentCache.warm}. */
const WARM_MIN_CHARS = 64 * 1024;

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
  let docs = parseYaml(text);
  if (docs.some(hasRealErrors)) docs = asGoYamlReadsIt(text) ?? docs;
  reportDuplicateKeys(docs);
  if (text.includes('<<')) recordMerges(docs);
  return docs;
}

/**
 * Adds a DUPLICATE_KEY error at every key that repeats an earlier scalar key of the same map (merge keys aside),
 * in one pass with a set per map. A plain walk over collections and pairs (keys too, as `visit` goes): `visit`
 * freezes a copy of the path at every node, a tenth of the CLI's time on the corpus.
 */
export function reportDuplicateKeys(docs: readonly Document.Parsed[]): void {
  for (const doc of docs) {
    const walk = (node: unknown): void => {
      if (isMap(node)) {
        if (node.items.length > 1) checkKeys(doc, node.items);
        for (const pair of node.items) {
          walk(pair.key);
          walk(pair.value);
        }
      } else if (isSeq(node)) {
        for (const item of node.items) walk(item);
      } else if (isPair(node)) {
        walk(node.key);
        walk(node.value);
      }
    };
    walk(doc.contents);
  }
}

function checkKeys(doc: Document.Parsed, pairs: readonly Pair[]): void {
  const seen = new Set<string>();
  for (const pair of pairs) {
    const key = pair.key;
    if (!isScalar(key) || typeof key.value === 'symbol') continue;
    const id = `${typeof key.value}:${String(key.value)}`;
    if (!seen.has(id)) seen.add(id);
    else if (key.range) doc.errors.push(new YAMLParseError([key.range[0], key.range[0] + 1], DUPLICATE_KEY, 'Map keys must be unique'));
  }
}

function parseYaml(text: string): Document.Parsed[] {
  const docs = parseAllDocuments(text, PARSE_OPTIONS) as unknown as Document.Parsed[];
  return Array.isArray(docs) ? docs : [];
}

function hasRealErrors(doc: Document.Parsed): boolean {
  return doc.errors.some((e) => e.code !== DUPLICATE_KEY);
}

/**
 * The documents as go-yaml reads a text that strict YAML rejects, when the difference is one go-yaml tolerates
 * (see `goYamlTolerance.ts`): parsed with those lines indented, every range mapped back. Null when the text has no
 * such lines or is broken anyway.
 */
function asGoYamlReadsIt(text: string): Document.Parsed[] | null {
  const repaired = indentContinuations(text);
  if (!repaired) return null;
  const docs = parseYaml(repaired.text);
  if (docs.some(hasRealErrors)) return null;
  const map = new OffsetMap(repaired.insertions);
  for (const r of collectRanges(docs)) for (let i = 0; i < r.length; i++) r[i] = map.toOriginal(r[i]);
  return docs;
}

/**
 * Offset where nesting first exceeds {@link MAX_NESTING}, or -1. Counts the three ways YAML nests: open flow
 * brackets (`[`, `{`; quotes are not tracked, which can only over-count), the `- ` / `? ` indicators opening
 * collections at a line's start, and indentation (a stack of ever deeper block levels). The content of block
 * scalars (`key: |`) and comments are skipped: `{{` lines of a script are text, not nesting.
 */
export function excessiveNesting(text: string): number {
  return cannotNestTooDeep(text) ? -1 : nestingScan(text);
}

/**
 * True when no count the scan below keeps can pass {@link MAX_NESTING}, judged by native searches instead of a
 * loop over every character (a twentieth of a CLI run): at most that many `[` and `{` in all (flow depth), no line
 * indented by that many spaces and tabs (the stack of block levels holds strictly increasing indents), and no run
 * of more `- `/`? ` indicators. False sends the text to the scan.
 */
function cannotNestTooDeep(text: string): boolean {
  let brackets = 0;
  for (const open of ['[', '{']) {
    for (let i = text.indexOf(open); i >= 0; i = text.indexOf(open, i + 1)) if (++brackets > MAX_NESTING) return false;
  }
  return !DEEP_INDENT.test(text) && !LONG_INDICATOR_RUN.test(text);
}
const DEEP_INDENT = new RegExp(`^[ \\t]{${MAX_NESTING}}`, 'm');
const LONG_INDICATOR_RUN = new RegExp(`(?:[-?][ \\t]+){${MAX_NESTING + 1}}`);

/** The character scan behind {@link excessiveNesting} (exported for the test that holds the shortcut to it). */
export function nestingScan(text: string): number {
  let flow = 0;
  const indents: number[] = [];
  /** While inside a block scalar: its content lines are the blank ones and those indented more than this. */
  let scalarParent = -1;
  let pos = 0;
  while (pos < text.length) {
    let end = pos;
    while (end < text.length && text.charCodeAt(end) !== 10 && text.charCodeAt(end) !== 13) end++;
    let i = pos;
    while (i < end && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9)) i++;
    const indent = i - pos;
    const blank = i === end || text.charCodeAt(i) === 35;
    const next = end < text.length && text.charCodeAt(end) === 13 && text.charCodeAt(end + 1) === 10 ? end + 2 : end + 1;
    if (scalarParent >= 0 && (blank || indent > scalarParent)) {
      pos = next;
      continue;
    }
    scalarParent = -1;
    if (blank) {
      pos = next;
      continue;
    }
    if (flow === 0) {
      while (indents.length > 0 && indents[indents.length - 1] >= indent) indents.pop();
      indents.push(indent);
      if (indents.length > MAX_NESTING) return i;
    }
    // `- ` and `? ` indicators at the line's start each open a collection.
    let block = 0;
    while (i < end && (text.charCodeAt(i) === 45 || text.charCodeAt(i) === 63) && (text.charCodeAt(i + 1) === 32 || text.charCodeAt(i + 1) === 9)) {
      if (++block > MAX_NESTING) return i;
      i += 2;
      while (i < end && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9)) i++;
    }
    const keyColumn = i - pos;
    for (; i < end; i++) {
      const c = text.charCodeAt(i);
      if (c === 35 && (text.charCodeAt(i - 1) === 32 || text.charCodeAt(i - 1) === 9)) break;
      if (c === 91 || c === 123) {
        if (++flow > MAX_NESTING) return i;
      } else if ((c === 93 || c === 125) && flow > 0) flow--;
    }
    // A block scalar header (`|`, `>`, with indicators) ends the line outside any flow collection.
    if (flow === 0 && isScalarHeaderEnd(text, pos, i)) scalarParent = keyColumn;
    pos = next;
  }
  return -1;
}


/**
 * Every range array of the documents, each once. Collected when a chunk is parsed so that moving it is a flat
 * loop: a recursive walk over the nodes on every edit was the main cost of an edit in a 5 MB file.
 */
function collectRanges(docs: Document.Parsed[]): number[][] {
  const seen = new Set<number[]>();
  const add = (r: unknown) => {
    if (Array.isArray(r)) seen.add(r as number[]);
  };
  const walk = (node: unknown): void => {
    if (!node || typeof node !== 'object') return;
    const n = node as { range?: unknown; items?: unknown[]; key?: unknown; value?: unknown };
    add(n.range);
    if (!Array.isArray(n.items)) return;
    for (const item of n.items) {
      const pair = item as { key?: unknown; value?: unknown; range?: unknown };
      if (pair && typeof pair === 'object' && 'key' in pair && !('range' in pair)) {
        walk(pair.key);
        walk(pair.value);
      } else walk(item);
    }
  };
  for (const doc of docs) {
    add(doc.range);
    for (const e of doc.errors) add(e.pos);
    for (const w of doc.warnings) add(w.pos);
    walk(doc.contents);
  }
  return [...seen];
}

function shiftRanges(ranges: number[][], delta: number): void {
  for (const r of ranges) for (let i = 0; i < r.length; i++) r[i] += delta;
}
