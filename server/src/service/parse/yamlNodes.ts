import { isCollection, isMap, isNode, isPair, isScalar, isSeq, type Node, type Pair, type Scalar, type YAMLMap, type YAMLSeq } from 'yaml';
import type { OffsetRange } from '../types';

/** The pair of `map` whose key is the plain string `key`, or undefined. */
export function pairOf(map: YAMLMap, key: string): Pair<Scalar, unknown> | undefined {
  for (const p of map.items) {
    if (isScalar(p.key) && p.key.value === key) return p as Pair<Scalar, unknown>;
  }
  return undefined;
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
