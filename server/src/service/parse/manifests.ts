import { isMap, isSeq, type Document, type YAMLMap } from 'yaml';
import { DocumentCache, DUPLICATE_KEY, type Chunk } from './documentCache';
import { mapAt, stringAt } from './yamlNodes';
import type { OffsetRange } from '../types';
import { blankLineOnlyActions, templateActions } from './templates';
import { append } from '../arrays';

/** A Kubernetes object found in a file: a document's root map or an item of a `kind: List`. */
export interface K8sObject {
  /** 0-based index of the YAML document in the file. */
  docIndex: number;
  /** The YAML document holding the object (for resolving aliases). */
  doc: Document.Parsed;
  node: YAMLMap;
  apiVersion: string;
  kind: string;
  name: string | null;
  namespace: string | null;
}

export interface SyntaxIssue {
  message: string;
  /** The parser's error code (`DUPLICATE_KEY` for a key given twice in one map). */
  code: string;
  range: OffsetRange;
  /** The error lies in a document holding template actions (`{{ … }}`), which is rarely valid YAML by design. */
  inTemplate: boolean;
}

/** A parsed file: its documents, the Kubernetes objects in them, and parse errors. */
export interface ManifestFile {
  text: string;
  docs: Document.Parsed[];
  objects: K8sObject[];
  /** True when any document holds Helm/Go template actions (`{{ … }}`): values with them are never judged. */
  isTemplate: boolean;
  /** Ranges of the template actions (`{{ … }}`), sorted: findings touching them are never reported. */
  templateRanges: OffsetRange[];
  syntaxErrors: SyntaxIssue[];
  /**
   * The file in chunks of whole YAML documents, each with the objects found in it. With a {@link DocumentCache},
   * a chunk whose text did not change is the same object as in the last parse (see `Chunk.memo`).
   */
  chunks: ManifestChunk[];
}

/** A chunk of the file and the Kubernetes objects found in its documents. */
export interface ManifestChunk extends Chunk {
  objects: K8sObject[];
}

/** True for strings holding a template action such as `{{ .Values.image }}`: a `{{` with a `}}` after it. Linear. */
export function isTemplated(value: string): boolean {
  const open = value.indexOf('{{');
  return open >= 0 && value.indexOf('}}', open + 2) >= 0;
}

/**
 * Parses every YAML document of `text` and collects the Kubernetes objects: documents (or `kind: List` items)
 * that are maps with string `apiVersion` and `kind`. Never throws. With a {@link DocumentCache} (one per edited
 * document), only the YAML documents that changed since the last call are parsed again.
 */
/** What is parsed in place of `text`: Helm's control lines (`{{- if … }}`) blanked, offsets unchanged. */
export function manifestSource(text: string, templateRanges = templateActions(text)): string {
  return blankLineOnlyActions(text, templateRanges);
}

export function parseManifests(text: string, cache?: DocumentCache): ManifestFile {
  const templateRanges = templateActions(text);
  // Helm's control lines (`{{- if … }}`) are blanked so the manifest around them parses; offsets are unchanged.
  const source = manifestSource(text, templateRanges);
  // Always in chunks, cached or not: where the parser recovers from an error across a `---`, the documents (and
  // the errors each holds) must not depend on whether the editor or the CLI asks.
  const raw: Chunk[] = (cache ?? new DocumentCache()).chunks(text, source);
  const docs: Document.Parsed[] = [];
  const objects: K8sObject[] = [];
  const syntaxErrors: SyntaxIssue[] = [];
  const chunks: ManifestChunk[] = [];
  let isTemplate = false;
  for (const chunk of raw) {
    let found = chunk.memo.get(MEMO) as ChunkObjects | undefined;
    if (!found) chunk.memo.set(MEMO, (found = objectsOf(chunk.docs, text)));
    const first = docs.length;
    if (found.first !== first) {
      found.objects.forEach((o, i) => (o.docIndex = first + found.docOf[i]));
      found.first = first;
    }
    isTemplate ||= found.templatedDocs.size > 0;
    for (const i of found.broken) {
      const doc = chunk.docs[i];
      const inTemplate = found.templatedDocs.has(i);
      for (const e of reportedErrors(doc)) {
        syntaxErrors.push({ message: firstLine(e.message), code: e.code, range: { start: e.pos[0], end: Math.max(e.pos[1], e.pos[0]) }, inTemplate });
      }
    }
    append(docs, chunk.docs);
    append(objects, found.objects);
    chunks.push(Object.assign(chunk, { objects: found.objects }));
  }
  return { text, docs, objects, isTemplate, templateRanges, syntaxErrors, chunks };
}

const MEMO = 'manifests';

/**
 * What a chunk's documents hold, kept while its text is the same: the objects, with the index of each one's
 * document in the chunk; which documents have template actions and which have errors (their positions are read
 * from the moved nodes).
 */
interface ChunkObjects {
  objects: K8sObject[];
  docOf: number[];
  /** The file's index of the chunk's first document, as the objects' `docIndex` were last set for. */
  first: number;
  /**
   * Documents holding a template action, judged per document, so a Prometheus rule's `{{ $labels.x }}` in one
   * document does not hide a broken Pod in another. (From the text, not the parse: the cache is keyed by the
   * text with control lines blanked.)
   */
  templatedDocs: Set<number>;
  broken: number[];
}

function objectsOf(docs: Document.Parsed[], text: string): ChunkObjects {
  const out: ChunkObjects = { objects: [], docOf: [], first: -1, templatedDocs: new Set(), broken: [] };
  docs.forEach((doc, docIndex) => {
    if (isTemplated(text.slice(doc.range[0], doc.range[2]))) out.templatedDocs.add(docIndex);
    if (doc.errors.length > 0) out.broken.push(docIndex);
    const root = doc.contents;
    const obj = isMap(root) ? toObject(root, doc, docIndex) : null;
    if (!obj) return;
    const add = (o: K8sObject) => {
      out.objects.push(o);
      out.docOf.push(docIndex);
    };
    if (obj.kind !== 'List') return add(obj);
    const items = (root as YAMLMap).get('items', true);
    if (!isSeq(items)) return;
    for (const item of items.items) {
      const sub = isMap(item) ? toObject(item, doc, docIndex) : null;
      if (sub) add(sub);
    }
  });
  return out;
}

function toObject(node: YAMLMap, doc: Document.Parsed, docIndex: number): K8sObject | null {
  const apiVersion = stringAt(node, 'apiVersion');
  const kind = stringAt(node, 'kind');
  if (apiVersion === undefined || kind === undefined) return null;
  const meta = mapAt(node, 'metadata');
  return {
    docIndex, doc, node, apiVersion, kind,
    name: (meta && stringAt(meta, 'name')) ?? null,
    namespace: (meta && stringAt(meta, 'namespace')) ?? null,
  };
}

/**
 * The errors worth reporting in a document: like go-yaml, the first syntax error only (what follows it is mostly the
 * parser's recovery going astray); duplicate keys only in a document that parses, where each is real.
 */
function reportedErrors(doc: Document.Parsed): Document.Parsed['errors'] {
  const first = doc.errors.find((e) => e.code !== DUPLICATE_KEY);
  return first ? [first] : doc.errors;
}

function firstLine(message: string): string {
  const line = message.split('\n')[0];
  return line.replace(/ at line \d+, column \d+:?$/, '');
}

