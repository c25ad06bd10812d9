/**
 * Linting an overlay's effective images without running kustomize: the images (and pull policies) of a base
 * file are replaced in its text by what the overlay makes of them — its `images:` entries and its patches — the
 * new text is analysed as usual, and the findings are mapped back onto the original text. A finding on an image
 * an `images:` entry rewrote covers the image as written; one on an image or policy a patch set is left to the
 * patch file, which is linted itself, except where only the combination shows it (a policy from the patch with
 * the base's image): that one covers the base's image. Containers and objects a patch deletes report nothing.
 */
import { isScalar } from 'yaml';
import { analyze, type Analysis, type AnalyzeContext } from '../analyze';
import { applyEdits } from '../edit/applyEdits';
import type { ImageFact } from '../facts';
import { RULES_BY_ID } from '../rules/index';
import { replaceScalarContent, setPolicyEdit } from '../rules/scalarEdit';
import type { Settings } from '../settings';
import { Lines } from '../text/lines';
import type { OffsetRange, TextEdit } from '../types';

/** What the overlay makes of one image site. */
export interface EffectiveSite {
  /** The image the build writes there, and who decided it: an `images:` entry or a patch. */
  image?: string;
  imageBy?: 'images' | 'patch';
  /** The pull policy a patch writes there. */
  policy?: string;
  /** The container (or its whole object) is removed by a patch. */
  deleted?: boolean;
}

/** An edit of the rendering, and where the findings inside it go: the image as written, or nowhere. */
interface RenderEdit extends TextEdit {
  reportAt: OffsetRange | null;
  /** For an image the overlay rewrote: what a finding on it adds, since the line shows the base's image. */
  note?: string;
  /** The rewrite is an `images:` entry's (not a patch's). */
  byEntry?: boolean;
}

/**
 * Analyses `text` as the overlay would render it: `effective` says, for each container image site, what the
 * overlay makes of it (null: nothing). The result speaks in offsets of the original `text`; its images carry
 * the effective references.
 *
 * @example analyzeEffective('…image: nginx:1.25…', s, ctx, (f) => f.image === 'nginx:1.25' ? { image: 'nginx:latest', imageBy: 'images' } : null)
 *   reports latest-tag on the range of `nginx:1.25`
 */
export function analyzeEffective(text: string, settings: Settings, context: AnalyzeContext, effective: (fact: ImageFact) => EffectiveSite | null): Analysis {
  const original = analyze(text, settings, context);
  const edits: RenderEdit[] = [];
  const deleted: OffsetRange[] = [];
  for (const fact of original.images) {
    if (fact.image === null || fact.templated || fact.site.field === 'volumes') continue;
    const e = effective(fact);
    if (!e) continue;
    const node = fact.site.node;
    if (e.deleted) {
      if (node.range) deleted.push({ start: node.range[0], end: node.range[1] });
      continue;
    }
    const value = fact.site.imagePair?.value;
    if (e.image !== undefined && e.image !== fact.image && isScalar(value)) {
      const edit = replaceScalarContent(text, value, e.image);
      if (edit) {
        const byEntry = e.imageBy !== 'patch';
        edits.push({ ...edit, reportAt: byEntry ? fact.range : null, note: ` (the overlay makes it ${JSON.stringify(e.image)})`, byEntry });
      }
    }
    if (e.policy !== undefined && e.policy !== fact.policyValue) {
      const edit = setPolicyEdit(fact, e.policy, original.lines);
      if (edit) edits.push({ ...edit, reportAt: fact.range });
    }
  }
  if (edits.length === 0 && deleted.length === 0) return original;
  const rendered = edits.length === 0 ? text : applyEdits(text, edits);
  const analysis = edits.length === 0 ? original : analyze(rendered, settings, context);
  const back = offsetMapper(edits);
  const inside = (r: OffsetRange) => deleted.some((d) => r.start >= d.start && r.end <= d.end);
  const findings = analysis.findings.flatMap((f) => {
    const edit = editHolding(edits, f.range);
    const range = edit ? edit.reportAt : { start: back(f.range.start, 'start'), end: back(f.range.end, 'end') };
    if (range === null || inside(range)) return [];
    // A problem the `images:` entry brought (`newTag: latest`, an invalid newName) is reported once, on the entry,
    // by the rule's own check of kustomization entries; one the base image had already stays here.
    if (edit?.byEntry && RULES_BY_ID.get(f.ruleId)?.checkKustomizeImage && !original.findings.some((o) => o.ruleId === f.ruleId && o.range.start === range.start)) return [];
    return [{ ...f, range, fixes: [], ...(edit?.note ? { message: f.message + edit.note } : {}) }];
  });
  const images = analysis.images.flatMap((fact) => {
    const range = fact.range ? { start: back(fact.range.start, 'start'), end: back(fact.range.end, 'end') } : null;
    if (range && inside(range)) return [];
    return [{ ...fact, range, policyRange: fact.policyRange ? { start: back(fact.policyRange.start, 'start'), end: back(fact.policyRange.end, 'end') } : null }];
  });
  return { ...analysis, file: { ...analysis.file, text }, lines: new Lines(text), findings, images };
}

/** The edit whose new text holds `range` (offsets of the rendered text), if any. */
function editHolding(edits: readonly RenderEdit[], range: OffsetRange): RenderEdit | null {
  let delta = 0;
  for (const e of [...edits].sort((a, b) => a.start - b.start)) {
    const start = e.start + delta;
    const end = start + e.newText.length;
    if (range.start >= start && range.end <= end && range.end > start) return e;
    delta += e.newText.length - (e.end - e.start);
  }
  return null;
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
