import { isMap, isScalar, isSeq, type Scalar } from 'yaml';
import { isTemplated } from '../parse/manifests';
import type { Fix } from '../types';
import type { Rule, RuleContext } from './rule';
import { policyKey, replaceScalarContent } from './scalarEdit';

const SUPPORTED = ['Always', 'IfNotPresent', 'Never'] as const;
const SUPPORTED_TEXT = 'supported values: "Always", "IfNotPresent", "Never"';
const REJECTED = 'The API server rejects the object: the values are exact and case-sensitive ("Always", "IfNotPresent", "Never").';

/**
 * invalid-pull-policy: validation compares exactly, so `always` is rejected. An empty string or null is not
 * checked: defaulting fills it in before validation runs. Templated and substituted values are never judged.
 */
export const invalidPullPolicy: Rule = {
  id: 'invalid-pull-policy',
  defaultSeverity: 'error',
  description: 'imagePullPolicy is not exactly "Always", "IfNotPresent" or "Never"; the API server rejects it.',
  checkImage(fact, ctx) {
    const pair = fact.site.policyPair;
    const v = pair?.value;
    if (!pair || !fact.policyRange || v === null || v === undefined) return [];
    const key = policyKey(fact.site);
    if (isMap(v) || isSeq(v)) {
      return [{ range: fact.policyRange, message: `${key} must be a string, not a ${isMap(v) ? 'map' : 'list'}; ${SUPPORTED_TEXT}`, detail: REJECTED }];
    }
    if (!isScalar(v) || v.value === null || v.value === '') return [];
    if (typeof v.value !== 'string') {
      return [{
        range: fact.policyRange,
        message: `Unsupported value: ${String(v.value)}: ${key} must be a string; ${SUPPORTED_TEXT}`,
        detail: REJECTED,
      }];
    }
    const value = v.value;
    // A template or a build-time substitution (`${PULL_POLICY:-Always}`) is whatever gets written there.
    if ((SUPPORTED as readonly string[]).includes(value) || isTemplated(value) || fact.policyTemplated) return [];
    const fix = suggest(value);
    return [{
      range: fact.policyRange,
      // The API server's own words, so that a search for them finds this; the likely value instead of the list.
      message: `Unsupported value: ${JSON.stringify(value)}: ${fix ? `did you mean "${fix.to}"?` : SUPPORTED_TEXT}`,
      detail: REJECTED,
      fixes: fix ? changeTo(v, fix.to, fix.exact, ctx) : [],
    }];
  },
};

/**
 * The intended value: a case-insensitive (and whitespace-trimmed) match is certain, so it is safe in bulk;
 * otherwise the nearest supported value within edit distance 3 is only a guess.
 */
function suggest(value: string): { to: string; exact: boolean } | null {
  const lower = value.trim().toLowerCase();
  const same = SUPPORTED.find((s) => s.toLowerCase() === lower);
  if (same) return { to: same, exact: true };
  let best: { to: string; d: number } | null = null;
  for (const s of SUPPORTED) {
    const d = editDistance(lower, s.toLowerCase());
    if (d <= 3 && (!best || d < best.d)) best = { to: s, d };
  }
  return best && { to: best.to, exact: false };
}

function changeTo(node: Scalar, to: string, exact: boolean, ctx: RuleContext): Fix[] {
  const edit = replaceScalarContent(ctx.file.text, node, to);
  if (!edit) return [];
  return [exact ? { title: `Change to '${to}'`, edits: [edit], isPreferred: true, fixAll: true } : { title: `Change to '${to}'`, edits: [edit] }];
}

/** Levenshtein distance (insert, delete, substitute), two rows. */
export function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length];
}
