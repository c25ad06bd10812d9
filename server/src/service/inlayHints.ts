/**
 * Inlay hints: after each image whose pull policy is left to Kubernetes, the policy it will get, so the
 * implicit `Always` of an untagged image is visible where the image is written.
 */
import type { Analysis } from './analyze';
import type { Settings } from './settings';
import type { OffsetRange } from './types';
import { DEFAULTED_ONCE, explainPolicy, policyKey } from './hover/policyText';

export interface InlayHintResult {
  /** Where the hint is drawn: right after the image value (before any trailing comment). */
  offset: number;
  /** e.g. `imagePullPolicy: Always`; `pullPolicy: …` for image volumes. */
  label: string;
  /** Markdown: why this is the default. */
  tooltip: string;
}

/**
 * One hint per image value in `range` that has no explicit policy; none when `settings.inlayHints.enabled` is
 * false, for templated images (the default depends on the rendered value) and when a policy is written, even an
 * invalid one (the diagnostic speaks for that).
 *
 * @example `image: nginx` -> { offset: <end of "nginx">, label: 'imagePullPolicy: Always', tooltip: 'Defaulted …' }
 */
export function inlayHints(analysis: Analysis, range: OffsetRange, settings: Settings): InlayHintResult[] {
  if (!settings.inlayHints.enabled) return [];
  const hints: InlayHintResult[] = [];
  for (const fact of analysis.images) {
    if (fact.image === null || fact.templated || fact.range === null) continue;
    // A value that overlaps the requested (visible) range gets its hint, even when only partly visible.
    if (fact.range.end < range.start || fact.range.start >= range.end) continue;
    const explained = explainPolicy(fact);
    if (explained.source !== 'default' || explained.policy === null) continue;
    hints.push({
      offset: fact.range.end,
      label: `${policyKey(fact)}: ${explained.policy}`,
      tooltip: `Defaulted by Kubernetes: ${explained.why}\n\n${DEFAULTED_ONCE}`,
    });
  }
  return hints.sort((a, b) => a.offset - b.offset);
}
