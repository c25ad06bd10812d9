import { isMap, isScalar, type Pair, type Scalar, type YAMLMap } from 'yaml';
import { usesAnchors } from '../edit/nodeText';
import { removePairKeepingComment } from '../edit/pairEdits';
import { insertPairLines, pairSource, removePairWithComments, withRemoval } from '../edit/movePair';
import type { PodSpecSite } from '../parse/podSpecs';
import { mapPath, ownPairOrLast, pairOf, rangeOf, seqAt } from '../parse/yamlNodes';
import type { Lines } from '../text/lines';
import type { Fix, TextEdit } from '../types';
import type { Report, Rule } from './rule';

/**
 * The maps on the way from an object to its pod spec, pod spec last, each with its dotted path: a Deployment
 * gives `spec`, `spec.template`, `spec.template.spec`; a CronJob also `spec.jobTemplate(.spec)`; a Pod `spec`.
 * These are where people put pod- or container-level fields one level too high or too low.
 */
export function podSpecLevels(pod: PodSpecSite): { map: YAMLMap; path: string }[] {
  const out: { map: YAMLMap; path: string }[] = [];
  for (let i = 1; i <= pod.path.length; i++) {
    const map = mapPath(pod.object.node, pod.path.slice(0, i));
    if (map) out.push({ map, path: pod.path.slice(0, i).join('.') });
  }
  return out;
}

/** The container maps of a pod spec under the given fields, in document order per field. */
export function containerMaps(podSpec: YAMLMap, fields: readonly string[]): YAMLMap[] {
  return fields.flatMap((f) => (seqAt(podSpec, f)?.items ?? []).filter(isMap));
}

/** `imagePullPolicy` as a key of the pod spec, the pod template or the workload spec: it exists only per container. */
export const misplacedImagePullPolicy: Rule = {
  id: 'misplaced-image-pull-policy',
  defaultSeverity: 'error',
  description: '`imagePullPolicy` outside a container (e.g. at pod-spec level), which strict validation rejects.',
  checkPodSpec(pod, ctx) {
    // A custom resource's own `spec.imagePullPolicy` (operators often have one) is its own business.
    if (!pod.builtin) return [];
    const found = podSpecLevels(pod)
      .map(({ map, path }) => ({ map, path, pair: pairOf(map, 'imagePullPolicy') }))
      .filter((l): l is typeof l & { pair: Pair<Scalar, unknown> } => l.pair !== undefined);
    return found.map(({ map, path, pair }, i): Report => ({
      range: rangeOf(pair.key),
      message: 'Set imagePullPolicy on each container; here it is an unknown field',
      detail: `imagePullPolicy is a container field: at ${path} of a ${pod.object.kind}, kubectl's strict validation rejects it, and it applies to no container.`,
      // When a level nearer the pod spec has one too, that one is what the user meant for these pods: move it,
      // and only delete this one.
      fixes: i < found.length - 1
        ? [{ title: `Remove this imagePullPolicy (the one at ${found[found.length - 1].path} is moved into the containers)`, edits: [removePairKeepingComment(ctx.lines, map, pair as Pair)], isPreferred: true, fixAll: true }]
        : moveIntoContainers(ctx.lines, pod, map, pair),
    }));
  },
};

/**
 * "Move into each container": copies the pair (with its comments) after the `image` pair of every container
 * and init container that states no policy, then removes it. Offered only for a one-line scalar value and
 * when every target container can take the pair.
 */
function moveIntoContainers(lines: Lines, pod: PodSpecSite, map: YAMLMap, pair: Pair<unknown, unknown>): Fix[] {
  const v = pair.value;
  if (!isScalar(v) || !v.range || v.value === null || v.value === '' || usesAnchors(pair)) return [];
  const valueText = lines.text.slice(v.range[0], v.range[1]);
  if (/[\r\n]/.test(valueText)) return [];
  const containers = containerMaps(pod.podSpec, ['initContainers', 'containers']);
  // With no container yet there is nowhere to move the value, and deleting it would lose what the user meant.
  if (containers.length === 0) return [];
  const moved = pairSource(lines, map, pair as Pair);
  const edits: TextEdit[] = [];
  // Comments travel only with a copy into a block container; otherwise they stay where they are.
  let carried = false;
  for (const c of containers) {
    if (pairOf(c, 'imagePullPolicy')) continue;
    const after = ownPairOrLast(c, pairOf(c, 'image'));
    const edit = after && insertPairLines(lines, c, after, moved);
    if (!edit) return [];
    carried ||= !c.flow;
    edits.push(edit);
  }
  const title = edits.length > 0
    ? `Move imagePullPolicy: ${valueText} into each container that has none`
    : 'Remove the misplaced imagePullPolicy (every container sets its own)';
  const removal = carried ? removePairWithComments(lines, map, pair as Pair) : removePairKeepingComment(lines, map, pair as Pair);
  return [{ title, edits: withRemoval(lines, edits, removal), isPreferred: true, fixAll: true }];
}
