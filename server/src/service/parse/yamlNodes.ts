import { isAlias, isCollection, isMap, isNode, isPair, isScalar, isSeq, visit, type Alias, type Document, type Node, type Pair, type Scalar, type YAMLMap, type YAMLSeq } from 'yaml';
import type { OffsetRange } from '../types';

/** The maps a map merges in with `<<: *anchor` (or `<<: [*a, *b]`), in precedence order; see {@link recordMerges}. */
const merged = new WeakMap<YAMLMap, YAMLMap[]>();

/**
 * The pair of `map` whose key is the plain string `key`, or undefined. As go-yaml reads a map: with a duplicate
 * key the last pair counts, and a key the map lacks is looked up in the maps it merges in (`<<`), the first
 * of them first (YAML's merge key: the map's own keys override, then earlier sources override later ones).
 */
export function pairOf(map: YAMLMap, key: string, depth = 0): Pair<Scalar, unknown> | undefined {
  const items = map.items;
  for (let i = items.length - 1; i >= 0; i--) {
    const p = items[i];
    if (isScalar(p.key) && p.key.value === key) return p as Pair<Scalar, unknown>;
  }
  const sources = merged.get(map);
  // Merges can form a cycle (a map merging an ancestor that merges it): go no deeper than any real file does.
  if (sources && depth < 8) {
    for (const source of sources) {
      const found = pairOf(source, key, depth + 1);
      if (found) return found;
    }
  }
  return undefined;
}

/**
 * Where to insert after `pair` in `map`: the pair itself when it is one of the map's own, else (it came from a
 * merged map, see {@link pairOf}) the map's last own pair, so an edit never lands in the anchor it merges.
 */
export function ownPairOrLast(map: YAMLMap, pair: Pair | undefined): Pair | undefined {
  if (pair && map.items.includes(pair as Pair<unknown, unknown>)) return pair;
  return map.items[map.items.length - 1] as Pair | undefined;
}

/** Per document: each anchor name with the nodes that carry it, in document order (see {@link aliasTarget}). */
const anchorIndex = new WeakMap<object, Map<string, Node[]>>();

/**
 * The node an alias stands for: the last node before it anchored with its name (YAML's rule), or undefined. The
 * document's anchors are indexed once, so resolving every `image: *ref` of a document is linear (yaml's own
 * `Alias.resolve` walks the document each time: 2,000 aliased images took seconds).
 */
export function aliasTarget(doc: Document.Parsed | Document, alias: Alias): Node | undefined {
  let index = anchorIndex.get(doc);
  if (!index) {
    const built = new Map<string, Node[]>();
    visit(doc, {
      Node(_, node) {
        if (!isAlias(node) && node.anchor) {
          const list = built.get(node.anchor);
          if (list) list.push(node);
          else built.set(node.anchor, [node]);
        }
      },
    });
    anchorIndex.set(doc, (index = built));
  }
  const candidates = index.get(alias.source);
  if (!candidates) return undefined;
  const at = alias.range?.[0] ?? Infinity;
  let found: Node | undefined;
  for (const n of candidates) {
    if ((n.range?.[0] ?? 0) < at) found = n;
    else break;
  }
  return found;
}

/** True for a `<<` merge key (parsed with the `merge` option, its value is a symbol). */
export function isMergeKey(key: unknown): boolean {
  return isScalar(key) && typeof key.value === 'symbol' && key.value.description === '<<';
}

/** Records, for every map of `docs` that has a `<<` merge key, the maps it merges in (read by {@link pairOf}). */
export function recordMerges(docs: readonly Document.Parsed[]): void {
  for (const doc of docs) {
    visit(doc, {
      Map(_, map) {
        const sources: YAMLMap[] = [];
        for (const p of map.items) {
          if (!isMergeKey(p.key)) continue;
          const values = isSeq(p.value) ? p.value.items : [p.value];
          for (const v of values) {
            const target = isAlias(v) ? aliasTarget(doc, v) : v;
            if (isMap(target) && target !== map) sources.push(target);
          }
        }
        if (sources.length > 0) merged.set(map, sources);
      },
    });
  }
}

/** The value node under `key`, or undefined (also when the key has no value). */
export function valueOf(map: YAMLMap, key: string): Node | undefined {
  const v = pairOf(map, key)?.value;
  return v && typeof v === 'object' ? (v as Node) : undefined;
}

export function mapAt(map: YAMLMap, key: string): YAMLMap | undefined {
  const v = valueOf(map, key);
  return isMap(v) ? v : undefined;
}

export function seqAt(map: YAMLMap, key: string): YAMLSeq | undefined {
  const v = valueOf(map, key);
  return isSeq(v) ? v : undefined;
}

/** Follows a dotted path of map keys: `mapPath(obj, ['spec', 'template', 'spec'])`. */
export function mapPath(map: YAMLMap, path: readonly string[]): YAMLMap | undefined {
  let cur: YAMLMap | undefined = map;
  for (const key of path) {
    if (!cur) return undefined;
    cur = mapAt(cur, key);
  }
  return cur;
}

/** The string value under `key` when it is a string scalar. */
export function stringAt(map: YAMLMap, key: string): string | undefined {
  const v = valueOf(map, key);
  return isScalar(v) && typeof v.value === 'string' ? v.value : undefined;
}

/**
 * Range of a node's value, excluding any trailing comment. For scalars and flow collections that is yaml's
 * `valueEnd`; a block collection's `valueEnd` runs past its last line's comment and line break, so its end is
 * taken from its last item instead.
 */
export function rangeOf(node: Node | Pair['key']): OffsetRange {
  const n = node as Node;
  const r = n.range!;
  if (isCollection(n) && !n.flow && n.items.length > 0) {
    const last = n.items[n.items.length - 1];
    const lastNode = isPair(last) ? (last.value ?? last.key) : last;
    if (isNode(lastNode) && lastNode.range) return { start: r[0], end: rangeOf(lastNode).end };
  }
  return { start: r[0], end: r[1] };
}

/** Range of a whole `key: value` pair, from the key to the end of the value. */
export function pairRange(pair: Pair): OffsetRange {
  const start = (pair.key as Node).range![0];
  const v = pair.value as Node | null;
  const end = v && v.range ? v.range[1] : (pair.key as Node).range![1];
  return { start, end };
}
