import { isMap, isSeq, type Document, type YAMLMap } from 'yaml';
import { parseChunk, type DocumentCache } from './documentCache';
import { mapAt, stringAt } from './yamlNodes';
import type { OffsetRange } from '../types';
import { blankLineOnlyActions, templateActions } from './templates';

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
}

const TEMPLATE = /\{\{.*?\}\}/s;

/** True for strings holding a template action such as `{{ .Values.image }}`. */
export function isTemplated(value: string): boolean {
  return value.includes('{{') && TEMPLATE.test(value);
}

/**
 * Parses every YAML document of `text` and collects the Kubernetes objects: documents (or `kind: List` items)
 * that are maps with string `apiVersion` and `kind`. Never throws. With a {@link DocumentCache} (one per edited
 * document), only the YAML documents that changed since the last call are parsed again.
 */
export function parseManifests(text: string, cache?: DocumentCache): ManifestFile {
  const templateRanges = templateActions(text);
  // Helm's control lines (`{{- if … }}`) are blanked so the manifest around them parses; offsets are unchanged.
  const source = blankLineOnlyActions(text, templateRanges);
  const list = cache ? cache.parse(source) : parseChunk(source);
  const objects: K8sObject[] = [];
  const syntaxErrors: SyntaxIssue[] = [];
  let isTemplate = false;
  list.forEach((doc, docIndex) => {
    // Judged per document, so a Prometheus rule's `{{ $labels.x }}` in one document does not hide a broken Pod in another.
    const docTemplated = isTemplated(text.slice(doc.range[0], doc.range[2]));
    isTemplate ||= docTemplated;
    for (const e of doc.errors) {
      syntaxErrors.push({ message: firstLine(e.message), range: { start: e.pos[0], end: Math.max(e.pos[1], e.pos[0]) }, inTemplate: docTemplated });
    }
    const root = doc.contents;
    if (!isMap(root)) return;
    const obj = toObject(root, doc, docIndex);
    if (!obj) return;
    if (obj.kind === 'List') {
      const items = root.get('items', true);
      if (isSeq(items)) {
        for (const item of items.items) {
          const sub = isMap(item) ? toObject(item, doc, docIndex) : null;
          if (sub) objects.push(sub);
        }
      }
      return;
    }
    objects.push(obj);
  });
  return { text, docs: list, objects, isTemplate, templateRanges, syntaxErrors };
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

function firstLine(message: string): string {
  const line = message.split('\n')[0];
  return line.replace(/ at line \d+, column \d+:?$/, '');
}

