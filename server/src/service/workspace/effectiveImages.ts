/**
 * Linting an overlay's effective images without running kustomize: the images of a base file are replaced in
 * its text by what the overlay's `images:` entries make of them, the new text is analysed as usual, and the
 * findings are mapped back onto the original text (a finding on a replaced image covers the image as written).
 */
import { isScalar } from 'yaml';
import { analyze, type Analysis, type AnalyzeContext } from '../analyze';
import { applyEdits } from '../edit/applyEdits';
import { replaceScalarContent } from '../rules/scalarEdit';
import type { Settings } from '../settings';
import { Lines } from '../text/lines';
import type { OffsetRange, TextEdit } from '../types';

/**
 * Analyses `text` as the overlay would render it: each container image for which `effective` returns a
 * different string is replaced first. The result speaks in offsets of the original `text`; its images carry
 * the effective references.
 *
 * @example analyzeEffective('…image: nginx:1.25…', s, ctx, (i) => i === 'nginx:1.25' ? 'nginx:latest' : null)
 *   reports latest-tag on the range of `nginx:1.25`
 */
export function analyzeEffective(text: string, settings: Settings, context: AnalyzeContext, effective: (image: string) => string | null): Analysis {
  const original = analyze(text, settings, context);
  const edits: TextEdit[] = [];
  for (const fact of original.images) {
    if (fact.image === null || fact.templated || fact.site.field === 'volumes') continue;
    const next = effective(fact.image);
    const node = fact.site.imagePair?.value;
    if (next === null || next === fact.image || !isScalar(node)) continue;
    const edit = replaceScalarContent(text, node, next);
    if (edit) edits.push(edit);
  }
  if (edits.length === 0) return original;
  const rendered = applyEdits(text, edits);
  const analysis = analyze(rendered, settings, context);
  const back = offsetMapper(edits);
  const map = (r: OffsetRange): OffsetRange => ({ start: back(r.start, 'start'), end: back(r.end, 'end') });
  return {
    ...analysis,
    file: { ...analysis.file, text },
    lines: new Lines(text),
    findings: analysis.findings.map((f) => ({ ...f, range: map(f.range), fixes: [] })),
    images: analysis.images.map((fact) => ({ ...fact, range: fact.range ? map(fact.range) : null, policyRange: fact.policyRange ? map(fact.policyRange) : null })),
  };
}

/**
 * Maps offsets of the edited text back to the original: outside an edit by the accumulated length change;
 * inside a replaced span, to the start or end of what it replaced.
 */
function offsetMapper(edits: readonly TextEdit[]): (offset: number, side: 'start' | 'end') => number {
  const sorted = [...edits].sort((a, b) => a.start - b.start);
  return (offset, side) => {
    let delta = 0;
    for (const e of sorted) {
      const newStart = e.start + delta;
      const newEnd = newStart + e.newText.length;
      if (offset < newStart) break;
      if (offset <= newEnd && (offset < newEnd || side === 'end')) return side === 'start' ? e.start : e.end;
      delta += e.newText.length - (e.end - e.start);
    }
    return offset - delta;
  };
}
