/**
 * Go values as Helm's templates see them, and where each came from. Helm decodes values files with
 * sigs.k8s.io/yaml: go-yaml (YAML 1.1 scalars), then JSON, then `interface{}` — so every number is a float64
 * (`tag: 1.10` is 1.1, `1000000` prints as `1e+06`), maps are `map[string]interface{}`. Templates add ints (`len`,
 * literals, Sprig's arithmetic), which stay a separate kind as in Go. A value the engine cannot know is UNKNOWN.
 */
import { isAlias, isMap, isScalar, isSeq, parseAllDocuments, parseDocument, type Node, type Scalar } from 'yaml';
import { PARSE_OPTIONS } from '../parse/documentCache';
import type { OffsetRange } from '../types';

export class GoInt {
  constructor(readonly value: bigint) {}
}
export const UNKNOWN = Object.freeze({ unknown: true as const });
export type GoMap = Map<string, GoValue>;
export type GoValue = null | boolean | number | GoInt | string | GoValue[] | GoMap | typeof UNKNOWN;

/** Where a value was written: a values file's scalar (or collection), or a template's text. */
export interface Source {
  uri: string;
  range: OffsetRange;
  /** For a values scalar: the text as written (`1.10`), and whether go-yaml reads it as a number. */
  written?: string;
  number?: boolean;
}

/** The sources of a map's entries and a list's items, kept beside the (plain) values. */
const childSources = new WeakMap<object, Map<string, Source> | Source[]>();
const ownSources = new WeakMap<object, Source>();

export function sourceOfChild(parent: GoValue, key: string | number): Source | undefined {
  if (parent === null || typeof parent !== 'object' || parent instanceof GoInt || parent === UNKNOWN) return undefined;
  const table = childSources.get(parent);
  if (!table) return undefined;
  return Array.isArray(table) ? table[Number(key)] : table.get(String(key));
}

/** A list a template function made (`list`, `append`, `uniq`, …), keeping where each of its items was written. */
export function listWithSources(items: GoValue[], sources: readonly (Source | undefined)[]): GoValue[] {
  if (sources.some((s) => s !== undefined)) childSources.set(items, sources as Source[]);
  return items;
}

/** Where each item of a list was written (undefined where it is not known). */
export function itemSources(list: GoValue): (Source | undefined)[] {
  return Array.isArray(list) ? list.map((_, i) => sourceOfChild(list, i)) : [];
}

export function sourceOf(value: GoValue): Source | undefined {
  return value !== null && typeof value === 'object' && !(value instanceof GoInt) ? ownSources.get(value) : undefined;
}

export function isGoMap(v: unknown): v is GoMap {
  return v instanceof Map;
}

/**
 * A values file's text as Go values with their sources. Returns null for text go-yaml rejects (Helm fails the
 * release); an empty file is an empty map.
 */
export function readValues(text: string, uri: string): GoMap | null {
  const doc = parseDocument(text, PARSE_OPTIONS);
  if (doc.errors.length > 0) return null;
  const contents = doc.contents as Node | null;
  if (contents === null || (isScalar(contents) && contents.value === null)) return new Map();
  const v = toGo(contents, uri, text, doc);
  return isGoMap(v) ? v : null;
}

/**
 * The values that a manifest holds inline (a Flux HelmRelease's `spec.values`, an Argo CD Application's
 * `spec.source.helm.valuesObject`), with sources in that manifest: the map at `path` of its `doc`-th document.
 */
export function readValuesAt(text: string, uri: string, doc: number, path: readonly (string | number)[]): GoMap | null {
  const docs = parseAllDocuments(text, PARSE_OPTIONS);
  const d = Array.isArray(docs) ? docs[doc] : undefined;
  if (!d || d.errors.length > 0) return null;
  let node: Node | null = d.contents as Node | null;
  for (const key of path) {
    if (typeof key === 'number') node = isSeq(node) ? (node.items[key] as Node | null) ?? null : null;
    else node = isMap(node) ? ((node.items.find((p) => isScalar(p.key) && p.key.value === key)?.value as Node | null) ?? null) : null;
    if (node === null) return null;
  }
  if (isScalar(node) && typeof node.value === 'string') return valuesInString(node, text, uri);
  const v = toGo(node, uri, text, d as unknown as ReturnType<typeof parseDocument>);
  return isGoMap(v) ? v : null;
}

/**
 * Values written as a YAML string in a manifest (an Argo CD Application's `helm.values: |`). A literal block's
 * lines are the values' own lines, indented: the manifest's text with everything else blanked out is a YAML
 * document whose root is indented, so its values keep their places in the manifest. Other string styles (quoted,
 * folded: escapes and joined lines move text around) give the values without places.
 */
function valuesInString(node: Scalar, text: string, uri: string): GoMap | null {
  const own = parseValues(node.value as string);
  if (!own || node.type !== 'BLOCK_LITERAL' || !node.range) return own;
  const header = text.indexOf('\n', node.range[0]);
  if (header < 0 || header >= node.range[1]) return own;
  const [start, end] = [header + 1, node.range[1]];
  const blank = (s: string) => s.replace(/[^\r\n]/g, ' ');
  const padded = blank(text.slice(0, start)) + text.slice(start, end) + blank(text.slice(end));
  const doc = parseDocument(padded, PARSE_OPTIONS);
  if (doc.errors.length > 0) return own;
  const placed = toGo(doc.contents as Node | null, uri, padded, doc);
  // The same values either way, or the places are not trusted.
  return isGoMap(placed) && asJson(placed) === asJson(own) ? placed : own;
}

function asJson(v: GoValue): string {
  return JSON.stringify(v, (_, x: unknown) => (x instanceof Map ? Object.fromEntries(x) : x instanceof GoInt ? String(x.value) : x));
}

/** YAML text (a template's `fromYaml`) as a Go map, without sources; null when it is not a map or not YAML. */
export function parseValues(text: string): GoMap | null {
  const v = parseValuesAny(text);
  return isGoMap(v) ? v : v === null ? new Map() : null;
}

/** YAML text as a Go value, without sources; undefined when go-yaml rejects it. */
export function parseValuesAny(text: string): GoValue | undefined {
  const doc = parseDocument(text, PARSE_OPTIONS);
  if (doc.errors.length > 0) return undefined;
  return toGo(doc.contents as Node | null, '', text, doc, 0, false);
}

function toGo(node: Node | null, uri: string, text: string, doc: ReturnType<typeof parseDocument>, depth = 0, track = true): GoValue {
  if (node === null || depth > 200) return null;
  if (isAlias(node)) return toGo(node.resolve(doc) as Node, uri, text, doc, depth + 1, track);
  if (isMap(node)) {
    const out: GoMap = new Map();
    const sources = new Map<string, Source>();
    for (const pair of node.items) {
      const key = pair.key as Node | null;
      if (isScalar(key) && key.value === '<<') {
        // Merge keys: the merged maps' entries, which this map's own entries override.
        const merged = toGo(pair.value as Node, uri, text, doc, depth + 1, track);
        for (const m of Array.isArray(merged) ? merged : [merged]) {
          if (!isGoMap(m)) continue;
          for (const [k, v] of m) if (!out.has(k)) { out.set(k, v); const s = sourceOfChild(m, k); if (s) sources.set(k, s); }
        }
        continue;
      }
      const name = isScalar(key) ? goKey(key.value) : '';
      const valueNode = pair.value as Node | null;
      out.set(name, toGo(valueNode, uri, text, doc, depth + 1, track));
      const range = valueNode?.range ?? key?.range;
      if (range) sources.set(name, sourceFor(valueNode, uri, text, range));
    }
    if (track) {
      childSources.set(out, sources);
      if (node.range) ownSources.set(out, { uri, range: { start: node.range[0], end: node.range[1] } });
    }
    return out;
  }
  if (isSeq(node)) {
    const items = node.items.map((i) => toGo(i as Node, uri, text, doc, depth + 1, track));
    if (track) {
      childSources.set(items, node.items.map((i) => sourceFor(i as Node, uri, text, (i as Node)?.range ?? node.range!)));
      if (node.range) ownSources.set(items, { uri, range: { start: node.range[0], end: node.range[1] } });
    }
    return items;
  }
  if (isScalar(node)) {
    const v = node.value;
    if (typeof v === 'number' || typeof v === 'bigint') return Number(v);
    if (typeof v === 'boolean' || typeof v === 'string' || v === null) return v;
    return v instanceof Date ? v.toISOString().replace('.000Z', 'Z') : String(v);
  }
  return null;
}

function sourceFor(node: Node | null, uri: string, text: string, range: readonly number[]): Source {
  const source: Source = { uri, range: { start: range[0], end: range[1] } };
  if (isScalar(node) && node.range) {
    source.written = text.slice(node.range[0], node.range[1]);
    source.number = typeof node.value === 'number' || typeof node.value === 'bigint';
    source.range = { start: node.range[0], end: node.range[1] };
  }
  return source;
}

/** A map key as sigs.k8s.io/yaml makes it: JSON object keys are strings (`1` → "1", `true` → "true"). */
function goKey(key: unknown): string {
  if (typeof key === 'number') return formatFloat(key);
  return key === null ? 'null' : String(key);
}

/** A float64 as Go's `%v` prints it: strconv's 'g' with the shortest digits, so exponent form below 1e-4 and from 1e6 (`1e+06`). */
export function formatFloat(f: number): string {
  if (Number.isNaN(f)) return 'NaN';
  if (!Number.isFinite(f)) return f > 0 ? '+Inf' : '-Inf';
  if (f === 0) return Object.is(f, -0) ? '-0' : '0';
  // Shortest digits that round-trip, as JavaScript and Go both compute them.
  const [mantissa, expText] = f.toExponential().split('e');
  const exp = Number(expText);
  const digits = mantissa.replace('-', '').replace('.', '');
  const sign = f < 0 ? '-' : '';
  // %v is %g with the shortest precision, where strconv decides with precision 6: exp < -4 || exp >= 6.
  if (exp < -4 || exp >= 6) {
    const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    return `${sign}${m}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  }
  if (exp >= 0) {
    return sign + (digits.length <= exp + 1 ? digits + '0'.repeat(exp + 1 - digits.length) : `${digits.slice(0, exp + 1)}.${digits.slice(exp + 1)}`);
  }
  return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`;
}

/**
 * Helm's coalescing of values: `override` (a later `-f` file, `--set`, a parent chart's section) over `base` (the
 * chart's values.yaml): maps merge key by key, anything else is replaced, and an override of `null` deletes the key.
 * Under the keys in `keepNulls` (the chart's subcharts), a `null` is kept instead, as Helm keeps it there: it is
 * the subchart's coalescing that deletes the subchart's default. The result keeps each entry's source.
 */
export function mergeValues(base: GoMap, override: GoMap, keepNulls: ReadonlySet<string> | true = NO_KEYS): GoMap {
  const out: GoMap = new Map(base);
  const sources = new Map<string, Source>();
  for (const k of base.keys()) {
    const s = sourceOfChild(base, k);
    if (s) sources.set(k, s);
  }
  for (const [k, v] of override) {
    const s = sourceOfChild(override, k);
    if (v === null && keepNulls !== true) {
      out.delete(k);
      sources.delete(k);
      continue;
    }
    const cur = out.get(k);
    if (isGoMap(cur) && isGoMap(v)) out.set(k, mergeValues(cur, v, keepNulls === true || keepNulls.has(k) ? true : NO_KEYS));
    else out.set(k, v);
    if (s && !(isGoMap(cur) && isGoMap(v))) sources.set(k, s);
  }
  childSources.set(out, sources);
  return out;
}

const NO_KEYS: ReadonlySet<string> = new Set();

/** A map built from `--set key=value` style pairs (`a.b=c`, `list[0]=x` is not modelled): strings, numbers, booleans, null as Helm's strvals reads them. */
export function valuesFromSet(pairs: readonly string[], uri: string): GoMap {
  let out: GoMap = new Map();
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) continue;
    const path = pair.slice(0, eq).split('.');
    const raw = pair.slice(eq + 1);
    const value: GoValue = raw === 'null' ? null : raw === 'true' ? true : raw === 'false' ? false : /^-?\d+$/.test(raw) ? new GoInt(BigInt(raw)) : raw;
    let leaf: GoMap = new Map([[path[path.length - 1], value]]);
    childSources.set(leaf, new Map([[path[path.length - 1], { uri, range: { start: 0, end: 0 } }]]));
    for (let i = path.length - 2; i >= 0; i--) leaf = new Map([[path[i], leaf]]);
    out = mergeValues(out, leaf);
  }
  return out;
}
