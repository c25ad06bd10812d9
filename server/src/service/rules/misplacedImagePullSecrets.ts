import { isMap, isScalar, isSeq, Lexer, type Node, type Pair, type YAMLMap } from 'yaml';
import { columnOf, eolAfter, usesAnchors } from '../edit/nodeText';
import { removePair } from '../edit/pairEdits';
import { insertPairLines, pairSource, removePairWithComments, withRemoval } from '../edit/movePair';
import { appendSeqItems, itemSource, type ItemText } from '../edit/seqEdits';
import type { PodSpecSite } from '../parse/podSpecs';
import { pairOf, rangeOf, stringAt } from '../parse/yamlNodes';
import type { Lines } from '../text/lines';
import type { Fix, TextEdit } from '../types';
import { containerMaps, podSpecLevels } from './misplacedImagePullPolicy';
import type { Report, Rule } from './rule';

/** `imagePullSecrets` in a container, or above the pod spec (workload spec, pod template): only the pod spec's counts. */
export const misplacedImagePullSecrets: Rule = {
  id: 'misplaced-image-pull-secrets',
  defaultSeverity: 'error',
  description: '`imagePullSecrets` inside a container, or at a workload `spec` instead of its pod spec.',
  checkPodSpec(pod, ctx) {
    // A custom resource such as a Prometheus has its own `spec.imagePullSecrets`: not a pod spec, not ours.
    if (!pod.builtin) return [];
    const podPath = pod.path.join('.');
    const reports: Report[] = [];
    const report = (map: YAMLMap, where: string) => {
      const pair = pairOf(map, 'imagePullSecrets');
      if (!pair) return;
      reports.push({
        range: rangeOf(pair.key),
        message: `Move imagePullSecrets to ${podPath}; ${where} it is an unknown field`,
        detail: 'imagePullSecrets is a pod-spec field: kubectl\'s strict validation rejects it elsewhere, and no pull secret reaches the kubelet.',
        fixes: moveToPodSpec(ctx.lines, pod, map, pair as Pair),
      });
    };
    for (const level of podSpecLevels(pod).slice(0, -1)) report(level.map, `at ${level.path}`);
    for (const c of containerMaps(pod.podSpec, ['initContainers', 'containers', 'ephemeralContainers'])) {
      report(c, 'in a container');
    }
    return reports;
  },
};

/** The secret name an entry stands for (`{name: x}` or a bare `x`), for merging without duplicates. */
function secretName(item: unknown): string | null {
  if (isMap(item)) return stringAt(item, 'name') ?? null;
  return isScalar(item) && typeof item.value === 'string' ? item.value : null;
}

/**
 * "Move to the pod spec": appends the pair to the pod spec as written, or, when the pod spec already has a list,
 * adds the entries it lacks to that list; then removes the misplaced pair.
 */
function moveToPodSpec(lines: Lines, pod: PodSpecSite, map: YAMLMap, pair: Pair): Fix[] {
  const v = pair.value;
  if (usesAnchors(pair)) return [];
  const empty = v === null || v === undefined || (isScalar(v) && v.value === null);
  // Comment lines above the key travel with it when the whole pair moves; otherwise they stay where they are,
  // and so do the comments of the pair itself.
  const removeAlone = (carried = '') => (map.flow ? removePair(lines, map, pair) : keepingComments(lines, removePair(lines, map, pair), (pair.key as Node).range![0], carried));
  const existing = pairOf(pod.podSpec, 'imagePullSecrets');
  let edits: TextEdit[];
  let title: string;
  if (empty) {
    edits = [removeAlone()];
    title = 'Remove the empty misplaced imagePullSecrets';
  } else if (!existing) {
    const last = pod.podSpec.items[pod.podSpec.items.length - 1] as Pair | undefined;
    const insert = last && insertPairLines(lines, pod.podSpec, last, pairSource(lines, map, pair));
    if (!insert) return [];
    // Its comments travel with it into a block pod spec; a flow one (`{containers: […]}`) cannot hold them.
    edits = withRemoval(lines, [insert], pod.podSpec.flow ? removeAlone(insert.newText) : removePairWithComments(lines, map, pair));
    title = 'Move imagePullSecrets to the pod spec';
  } else {
    // A pod spec value that is not a list is malformed-image-pull-secrets' to repair first; fix-all gets back here.
    const target = existing.value;
    if (!isSeq(target)) return [];
    const have = new Set(target.items.map(secretName).filter((n): n is string => n !== null));
    const entries = isSeq(v) ? v.items : [v];
    const add: ItemText[] = [];
    for (const item of entries) {
      const name = secretName(item);
      if (name !== null && have.has(name)) continue;
      if (name !== null) have.add(name);
      const source = itemSource(lines, item, isSeq(v) ? !!v.flow : !!map.flow);
      if (!source) return [];
      add.push(source);
    }
    if (add.length === 0) {
      edits = [removeAlone()];
      title = 'Remove the misplaced imagePullSecrets (the pod spec already lists these secrets)';
    } else {
      const append = appendSeqItems(lines, target, add);
      if (!append) return [];
      edits = withRemoval(lines, [append], removeAlone(append.newText));
      title = "Move these imagePullSecrets entries to the pod spec's list";
    }
  }
  return [{ title, edits, isPreferred: true, fixAll: true }];
}

/**
 * A removal of a block pair that leaves the pair's own comments (on its key's line, between its entries) where
 * it was, as comment lines at the key's column: they may say why the secret is there. Comments in `carried`
 * (the text of the entries moved elsewhere) go with those entries instead.
 *
 * @example `  - imagePullSecrets: # CI\n    - regcred\n    name: a` → `  - # CI\n    name: a`
 */
function keepingComments(lines: Lines, removal: TextEdit, keyStart: number, carried: string): TextEdit {
  const text = lines.text;
  const commentsOf = (source: string) => [...new Lexer().lex(source)].filter((t) => t.startsWith('#'));
  const comments = commentsOf(text.slice(removal.start, removal.end));
  // Those that travel with the moved entries are not kept twice.
  for (const c of commentsOf(carried)) if (comments.includes(c)) comments.splice(comments.indexOf(c), 1);
  if (comments.length === 0 || removal.newText !== '') return removal;
  const pad = ' '.repeat(columnOf(lines, keyStart));
  const eol = eolAfter(lines, lines.lineOf(keyStart));
  // The key follows `- ` and the next pair moves up onto the dash's line: the comments go between them.
  if (removal.start === keyStart) return { ...removal, newText: comments.join(eol + pad) + eol + pad };
  // The pair's lines go; at the end of a file without a final line break, with the line break before them.
  if (removal.end === text.length && !/[\r\n]$/.test(text)) return { ...removal, newText: comments.map((c) => eol + pad + c).join('') };
  return { ...removal, newText: comments.map((c) => pad + c + eol).join('') };
}
