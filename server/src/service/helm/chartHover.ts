/**
 * What a chart template's image line shows in the editor: the reference the chart renders with its values, which
 * values wrote it (links to their lines), then the image hover of that reference; and an inlay hint of it.
 */
import type { ImageFact } from '../facts';
import { imageHover } from '../hover/imageHover';
import { code } from '../hover/markdown';
import type { Settings } from '../settings';
import { Lines } from '../text/lines';
import type { InlayHintResult } from '../inlayHints';
import type { OffsetRange } from '../types';
import { relativeTo } from '../workspace/uris';
import type { WorkspaceView } from '../workspace/view';
import type { Source } from './values';

export interface ChartImage {
  fact: ImageFact;
  sources: Source[];
}

/** The hover of a rendered image at `offset` of the template, or null. `texts` gives the values files' texts. */
export function chartImageHover(images: readonly ChartImage[], offset: number, uri: string, view: WorkspaceView, settings: Settings, texts: (uri: string) => string | undefined): { markdown: string; range: OffsetRange } | null {
  const hit = images.find((i) => i.fact.range && i.fact.range.start <= offset && offset <= i.fact.range.end);
  if (!hit || !hit.fact.range || hit.fact.image === null) return null;
  const links = hit.sources.map((s) => {
    const text = texts(s.uri);
    const line = text === undefined ? null : new Lines(text).position(s.range.start).line + 1;
    const label = `${relativeTo(uri, s.uri)}${line === null ? '' : `:${line}`}`;
    return line === null ? label : `[${label.replace(/[[\]\\]/g, '\\$&')}](${s.uri}#L${line})`;
  });
  const head = `**Renders** ${code(hit.fact.image)}${links.length ? ` · from ${links.join(', ')}` : ''}`;
  return { markdown: `${head}\n\n${imageHover(hit.fact, view, settings)}`, range: hit.fact.range };
}

/** An inlay hint after each rendered image in `range`: the reference the chart renders there. */
export function chartInlayHints(images: readonly ChartImage[], range: OffsetRange, settings: Settings): InlayHintResult[] {
  if (!settings.inlayHints.enabled) return [];
  return images.flatMap(({ fact }) => (fact.range && fact.image !== null && !fact.templated && fact.range.end >= range.start && fact.range.start < range.end
    ? [{ offset: fact.range.end, label: `→ ${fact.image}`, tooltip: 'What the chart renders here with its values (values.yaml and the files given).' }]
    : []));
}
