import { isAlias, isMap, isScalar, isSeq, type Node, type Pair, type Scalar, type YAMLMap, type YAMLSeq } from 'yaml';
import { columnOf, contentEnd, eolAfter, nodeStart } from '../edit/nodeText';
import { blockListOffset, dashBefore, removeSeqItem, wrapMapInList } from '../edit/seqEdits';
import { isTemplated } from '../parse/manifests';
import { pairOf } from '../parse/yamlNodes';
import type { Lines } from '../text/lines';
import type { Fix, OffsetRange } from '../types';
import type { Report, Rule } from './rule';

const EXAMPLE = '"- name: SECRET"';
const UNDECODABLE = 'The API server cannot decode it: imagePullSecrets is a list of objects, each with only a name.';

/** Pod-spec `imagePullSecrets` that is not a list of `{name: <non-empty string>}`; duplicates as warnings. */
export const malformedImagePullSecrets: Rule = {
  id: 'malformed-image-pull-secrets',
  defaultSeverity: 'error',
  description: 'Pod-spec `imagePullSecrets` that is not a list of `{name: <non-empty string>}` (duplicates: a warning).',
  checkPodSpec(pod, ctx): Report[] {
    if (!pod.builtin) return [];
    const pair = pairOf(pod.podSpec, 'imagePullSecrets');
    const v = pair?.value;
    // `imagePullSecrets:` with no value (null) is how the API reads "no secrets": valid. An alias is judged at its anchor.
    if (!pair || !v || (isScalar(v) && v.value === null) || isAlias(v)) return [];
    if (isSeq(v)) return checkList(ctx.lines, v);
    const range = spanOf(ctx.lines.text, v);
    if (!range) return [];
    if (isMap(v)) {
      return [{
        range,
        message: `imagePullSecrets must be a list of ${EXAMPLE} entries, not a map`,
        detail: UNDECODABLE,
        // Only a map that names a Secret is clearly one entry written without its `-`.
        fixes: isStringScalar(pairOf(v, 'name')?.value) ? fixOf('Make it a list entry: "- name: …"', wrapMapInList(ctx.lines, v)) : [],
      }];
    }
    if (isScalar(v)) {
      if (typeof v.value === 'string' && isTemplated(v.value)) return [];
      return [{
        range,
        message: `imagePullSecrets must be a list of ${EXAMPLE} entries, not a single value`,
        detail: UNDECODABLE,
        fixes: scalarValueFix(ctx.lines, pod.podSpec, pair, v),
      }];
    }
    return [];
  },
};

function isStringScalar(node: unknown): node is Scalar<string> {
  return isScalar(node) && typeof node.value === 'string';
}

/** Range of a node's own text (no trailing comment), or null. */
function spanOf(text: string, node: unknown): OffsetRange | null {
  const start = nodeStart(node);
  const end = contentEnd(text, node);
  return start === null || end === null ? null : { start, end: Math.max(start, end) };
}

function fixOf(title: string, edits: Fix['edits'] | null, fixAll = true): Fix[] {
  return edits && edits.length ? [{ title, edits, isPreferred: true, fixAll }] : [];
}

/** Each entry must be a map with exactly one key, `name`, holding a non-empty string; names should not repeat. */
function checkList(lines: Lines, seq: YAMLSeq): Report[] {
  const text = lines.text;
  const reports: Report[] = [];
  const seen = new Set<string>();
  for (const item of seq.items) {
    const range = spanOf(text, item);
    // `- *secret` stands for an anchored entry defined elsewhere, which is judged where it is written.
    if (!range || isAlias(item)) continue;
    if (isScalar(item)) {
      if (typeof item.value === 'string' && isTemplated(item.value)) continue;
      if (item.value === null) {
        reports.push({ range: dashRange(text, range), message: `Empty imagePullSecrets entry; write ${EXAMPLE} or remove the "-"`, detail: UNDECODABLE });
      } else if (typeof item.value === 'string' && item.value !== '') {
        reports.push({
          range,
          message: `Write "- name: ${item.value}": an entry is an object, not a bare name`,
          detail: UNDECODABLE,
          fixes: scalarItemFix(text, seq, item, range),
        });
      } else {
        reports.push({ range, message: `An imagePullSecrets entry must be an object like ${EXAMPLE}`, detail: UNDECODABLE });
      }
      continue;
    }
    if (!isMap(item)) {
      reports.push({ range, message: `An imagePullSecrets entry must be an object like ${EXAMPLE}`, detail: UNDECODABLE });
      continue;
    }
    const { problems, name } = entryProblems(text, item);
    if (problems.length) {
      reports.push({
        range,
        message: `This imagePullSecrets entry ${problems.join(' and ')}`,
        detail: `Each entry is exactly ${EXAMPLE}; strict validation rejects other fields, and an entry without a name refers to no Secret.`,
      });
    } else if (name !== null && seen.has(name)) {
      // A repeat is harmless (the kubelet just tries the same Secret again), so it is only a warning.
      reports.push({
        range,
        severity: 'warning',
        message: `Secret "${name}" is already listed; remove the duplicate`,
        detail: 'A repeated entry adds nothing: the kubelet only tries the same Secret again.',
        fixes: fixOf(`Remove the duplicate "${name}"`, [removeSeqItem(lines, seq, item)].filter((e) => e !== null), false),
      });
    } else if (name !== null) seen.add(name);
  }
  return reports;
}

/** What is wrong with a map entry, as phrases, and its usable name (null when templated or invalid). */
function entryProblems(text: string, item: YAMLMap): { problems: string[]; name: string | null } {
  const problems: string[] = [];
  let name: string | null = null;
  const namePair = pairOf(item, 'name');
  const nameValue = namePair?.value;
  if (!namePair) problems.push('has no "name"');
  else if (!isScalar(nameValue) || nameValue.value === null || nameValue.value === '') problems.push('has an empty "name"');
  else if (typeof nameValue.value !== 'string') problems.push('has a name that is not a string (quote it)');
  else if (!isTemplated(nameValue.value)) name = nameValue.value;
  const extra = item.items.filter((p) => p !== namePair).map((p) => keyText(text, p));
  if (extra.length) {
    problems.push(`has ${extra.length === 1 ? 'the unknown field' : 'unknown fields'} ${extra.join(', ')}`);
  }
  return { problems, name };
}

function keyText(text: string, pair: Pair): string {
  const r = (pair.key as Node | null)?.range;
  return r ? JSON.stringify(text.slice(r[0], r[1])) : 'an empty key';
}

/** An empty `-` has a zero-width range after the dash; point at the dash instead so the finding is visible. */
function dashRange(text: string, range: OffsetRange): OffsetRange {
  const dash = dashBefore(text, range.start);
  return range.start === range.end && dash !== null ? { start: dash, end: dash + 1 } : range;
}

/** `- regcred` → `- name: regcred`, `[regcred]` → `[{name: regcred}]`; the scalar keeps its quoting. */
function scalarItemFix(text: string, seq: YAMLSeq, item: Scalar, range: OffsetRange): Fix[] {
  const source = text.slice(range.start, range.end);
  if (/[\r\n]/.test(source) || item.type === 'BLOCK_LITERAL' || item.type === 'BLOCK_FOLDED') return [];
  const newText = seq.flow ? `{name: ${source}}` : `name: ${source}`;
  return fixOf(`Rewrite as \`- name: ${source}\``, [{ start: range.start, end: range.end, newText }]);
}

/**
 * `imagePullSecrets: regcred` → a one-entry list. In a block pod spec the entry goes on its own line, indented
 * like the pod spec's other lists (`containers:`), so the file keeps one style.
 */
function scalarValueFix(lines: Lines, podSpec: YAMLMap, pair: Pair, v: Scalar): Fix[] {
  const text = lines.text;
  if (typeof v.value !== 'string' || v.value === '' || !v.range) return [];
  const source = text.slice(v.range[0], v.range[1]);
  if (/[\r\n]/.test(source) || v.type === 'BLOCK_LITERAL' || v.type === 'BLOCK_FOLDED') return [];
  const title = `Make it a list: "- name: ${source}"`;
  if (podSpec.flow) return fixOf(title, [{ start: v.range[0], end: v.range[1], newText: `[{name: ${source}}]` }]);
  const key = pair.key as Node;
  if (!/^[ \t]*:[ \t]*$/.test(text.slice(key.range![1], v.range[0]))) return [];
  const dashCol = columnOf(lines, key.range![0]) + blockListOffset(lines, podSpec);
  const eol = eolAfter(lines, lines.lineOf(key.range![0]));
  return fixOf(title, [{ start: key.range![1], end: v.range[1], newText: `:${eol}${' '.repeat(dashCol)}- name: ${source}` }]);
}
