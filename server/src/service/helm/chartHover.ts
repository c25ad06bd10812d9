/**
 * What a chart template's image line shows in the editor: the reference the chart renders with its values, which
 * values wrote it (links to their lines), then the image hover of that reference; and an inlay hint of it.
 */
import { isMap, isScalar, parseDocument } from 'yaml';
import type { ImageFact } from '../facts';
import { imageHover } from '../hover/imageHover';
import { code } from '../hover/markdown';
import { escapeLinkText } from '../hover/workspaceText';
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
  const links = hit.sources.map((s) => lineLink(uri, s.uri, s.range.start, texts));
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

/**
 * The hover of a values scalar that images are rendered from: each image it ends up in (with the template line,
 * as a link), then the image hover of the first. Null when no rendered image uses the value at `offset`.
 */
export function valuesHover(images: readonly (ChartImage & { template: string })[], offset: number, uri: string, view: WorkspaceView, settings: Settings, texts: (uri: string) => string | undefined): { markdown: string; range: OffsetRange } | null {
  const using = images.filter((i) => i.sources.some((s) => s.uri === uri && s.range.start <= offset && offset <= s.range.end));
  if (using.length === 0) return null;
  const source = using[0].sources.find((s) => s.uri === uri && s.range.start <= offset && offset <= s.range.end)!;
  const where = using.map((i) => `- ${code(i.fact.image ?? '')} in ${lineLink(uri, i.template, i.fact.range?.start ?? null, texts)}`);
  const head = `**Renders** ${using.length === 1 ? 'into' : `into ${using.length} images:`}`;
  return { markdown: `${head}\n\n${where.join('\n')}\n\n${imageHover(using[0].fact, view, settings)}`, range: source.range };
}

/**
 * Go-to-definition from `.Values.a.b` in a template to the scalar of the values file that supplies it (the last
 * file that sets it: overrides win). `line` is the template's line, `column` the cursor in it.
 */
export function valuesDefinition(line: string, column: number, values: readonly { uri: string; text: string }[]): { uri: string; range: OffsetRange } | null {
  const re = /\.Values((?:\.[A-Za-z_][A-Za-z0-9_]*)+)/g;
  for (let m = re.exec(line); m; m = re.exec(line)) {
    if (column < m.index || column > m.index + m[0].length) continue;
    // Up to the segment under the cursor: `.Values.image.tag` with the cursor on `image` goes to `image:`.
    const names = m[1].slice(1).split('.');
    let end = m.index + '.Values'.length;
    const path: string[] = [];
    for (const n of names) {
      end += 1 + n.length;
      path.push(n);
      if (column <= end) break;
    }
    for (const v of [...values].reverse()) {
      const range = pathRange(v.text, path);
      if (range) return { uri: v.uri, range };
    }
    return null;
  }
  return null;
}

function pathRange(text: string, path: readonly string[]): OffsetRange | null {
  const doc = parseDocument(text);
  let node: unknown = doc.contents;
  let keyRange: readonly number[] | undefined;
  for (const name of path) {
    if (!isMap(node)) return null;
    const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === name);
    if (!pair) return null;
    keyRange = (pair.key as { range?: number[] }).range;
    node = pair.value;
  }
  return keyRange ? { start: keyRange[0], end: keyRange[1] } : null;
}

/** "[../values.yaml:7](file:///…/values.yaml#L7)": a file relative to `from`, and the line of `offset` when its text is known. */
function lineLink(from: string, uri: string, offset: number | null, texts: (uri: string) => string | undefined): string {
  const text = texts(uri);
  const line = text === undefined || offset === null ? null : new Lines(text).position(offset).line + 1;
  const label = relativeTo(from, uri);
  return line === null ? label : `[${escapeLinkText(`${label}:${line}`)}](${uri}#L${line})`;
}
