/**
 * Hovers: find what is under an offset (an image value, a pull-policy key or value, an `imagePullSecrets` key or
 * entry) from the analysis, and hand it to the matching text builder under `hover/`.
 */
import { isMap, isScalar, isSeq, type Node } from 'yaml';
import type { Analysis } from './analyze';
import { pairOf, pairRange, rangeOf, seqAt, stringAt } from './parse/yamlNodes';
import { secretEntryText } from './hover/workspaceText';
import type { Finding, OffsetRange } from './types';
import { blocks } from './hover/markdown';
import { RULES_BY_ID, ruleDocUrl } from './rules/index';
import { imageHover } from './hover/imageHover';
import { policyHover } from './hover/policyHover';
import { accountSecretsHover, secretsHover } from './hover/secretsHover';
import { objectNamespaces, podNamespaces } from './workspace/pullSecrets';
import { registryNote } from './hover/registryText';

export interface HoverResult {
  markdown: string;
  /** The hovered scalar, key or list entry. */
  range: OffsetRange;
}

/**
 * Hover at an offset of `analysis.file.text`: on an image value, an `imagePullPolicy` key/value (containers, and
 * image volumes' `pullPolicy`), or a pod spec's `imagePullSecrets` key/entry; else null.
 * A range's end counts as inside, as editors ask for the position right after a word too.
 *
 * @example hover(analyze('…\n    image: nginx\n', s), offsetOf('nginx')).markdown starts with '### `nginx`'
 */
export function hover(analysis: Analysis, offset: number, now: number = Date.now(), options: HoverOptions = {}): HoverResult | null {
  const found = hoverAt(analysis, offset, now, options);
  if (!found) return null;
  const details = findingDetails(analysis.findings, found.range);
  return details ? { ...found, markdown: blocks([found.markdown, details]) } : found;
}

/**
 * The why of the findings on the hovered range, once per rule and text, each behind its rule's documentation
 * link. Their messages are not repeated: the editor shows them above the hover.
 */
export function findingDetails(findings: readonly Finding[], range: OffsetRange): string | null {
  const seen = new Set<string>();
  const lines: string[] = [];
  for (const f of findings) {
    if (f.range.end < range.start || f.range.start > range.end || !RULES_BY_ID.has(f.ruleId)) continue;
    const key = `${f.ruleId}\u0000${f.detail ?? ''}`;
    if (seen.has(key)) continue;
    seen.add(key);
    lines.push(`[${f.ruleId}](${ruleDocUrl(f.ruleId)})${f.detail ? `: ${f.detail}` : ''}`);
  }
  return lines.length === 0 ? null : `---\n\n${lines.join('\n\n')}`;
}

export interface HoverOptions {
  /** A Kubernetes schema's hover describes the fields (Red Hat's YAML extension): say only what it cannot. */
  schemaDescribes?: boolean;
}

function hoverAt(analysis: Analysis, offset: number, now: number, options: HoverOptions): HoverResult | null {
  const imageNotFound = (range: OffsetRange) => analysis.findings.some((f) => f.ruleId === 'image-not-found' && f.range.start === range.start);
  for (const fact of analysis.images) {
    const value = fact.site.imagePair?.value;
    if (fact.image !== null && fact.range && isScalar(value) && inside(fact.range, offset)) {
      // The registry's "not found" is the image-not-found finding's detail when that rule reports it.
      const note = imageNotFound(fact.range) ? null : registryNote(fact, analysis.registry, now);
      return { markdown: imageHover(fact, analysis.workspace, analysis.settings, note, analysis.registry ?? undefined, now), range: fact.range };
    }
    const policy = fact.site.policyPair;
    if (policy) {
      const keyRange = rangeOf(policy.key);
      const valueRange = isScalar(policy.value) && policy.value.range ? rangeOf(policy.value) : null;
      const range = inside(keyRange, offset) ? keyRange : valueRange && inside(valueRange, offset) ? valueRange : null;
      if (range) return { markdown: policyHover(fact, options.schemaDescribes), range };
    }
  }
  for (const pod of analysis.pods) {
    const pair = pairOf(pod.podSpec, 'imagePullSecrets');
    if (!pair) continue;
    const list = isSeq(pair.value) ? pair.value : null;
    const keyRange = rangeOf(pair.key);
    if (inside(keyRange, offset)) return { markdown: secretsHover(pod, list, null, null), range: keyRange };
    for (const item of list?.items ?? []) {
      const node = item as Node | null;
      if (!node?.range) continue;
      const range = entryRange(node);
      if (inside(range, offset)) {
        const name = isMap(node) ? stringAt(node, 'name') : undefined;
        const detail = name ? secretEntryText(analysis.workspace, name, podNamespaces(analysis.workspace, pod)) : null;
        return { markdown: secretsHover(pod, list, node, detail), range };
      }
    }
  }
  // A ServiceAccount's entries: the same Secret details, for the account's namespace.
  for (const object of analysis.file.objects) {
    if (object.kind !== 'ServiceAccount' || object.apiVersion !== 'v1') continue;
    const list = seqAt(object.node, 'imagePullSecrets');
    for (const item of list?.items ?? []) {
      const node = item as Node | null;
      if (!node?.range || !isMap(node)) continue;
      const range = entryRange(node);
      const name = stringAt(node, 'name');
      if (name && inside(range, offset)) {
        return { markdown: accountSecretsHover(object, name, secretEntryText(analysis.workspace, name, objectNamespaces(analysis.workspace, object.namespace))), range };
      }
    }
  }
  return null;
}

/** A list entry's range; for a block map, from its first key to its last value (yaml's own end takes in a trailing comment). */
function entryRange(node: Node): OffsetRange {
  if (isMap(node) && !node.flow && node.items.length > 0) {
    return { start: pairRange(node.items[0]).start, end: pairRange(node.items[node.items.length - 1]).end };
  }
  return rangeOf(node);
}

function inside(range: OffsetRange, offset: number): boolean {
  return range.start <= offset && offset <= range.end;
}
