/**
 * Pinning and tag completion in a chart's values file: the value a rendered image was written from is the place
 * to pin it. A scalar that is the whole image (`image: nginx:1.27`) is pinned as in a manifest; a scalar that is
 * the image's tag (`tag: 1.27`, with the repository beside it) gets the digest in its map's `digest:` key when
 * the map has one (Bitnami's and many charts' convention), else `1.27@sha256:…` in the tag. Which of the two the
 * chart really renders is for the caller to check by rendering again (`PinSite.renders`): the edits are offered
 * best first.
 */
import { isMap, isScalar, parseDocument, visit, type Scalar, type YAMLMap } from 'yaml';
import { parseImageReference, splitReference } from '../image/reference';
import type { PinSite } from '../registry/pins';
import type { TagCompletionPlace } from '../registry/tagCompletion';
import { replaceScalarContent } from '../rules/scalarEdit';
import type { ChartImage } from './chartHover';

/** A values scalar an image was rendered from, and what it is of the image. */
interface ImageValue {
  image: ChartImage & { template: string };
  node: Scalar;
  /** `image`: the scalar is the whole reference; `tag`: it is the tag, `name` the reference before it. */
  role: 'image' | 'tag';
  name: string;
  value: string;
  map: YAMLMap | null;
}

/** The values scalars of `uri` (text `text`) that rendered images were written from, each once, in file order. */
function imageValues(images: readonly (ChartImage & { template: string })[], uri: string, text: string): ImageValue[] {
  const using = images.filter((i) => i.fact.image !== null && i.sources.some((s) => s.uri === uri));
  if (using.length === 0) return [];
  const doc = parseDocument(text, { keepSourceTokens: false });
  // Each scalar of the file by its start, with the map it is a value of.
  const scalars = new Map<number, { node: Scalar; map: YAMLMap | null }>();
  visit(doc, {
    Pair(_, pair, path) {
      const parent = path[path.length - 1];
      if (isScalar(pair.value) && pair.value.range) scalars.set(pair.value.range[0], { node: pair.value, map: isMap(parent) ? parent : null });
    },
    Scalar(_, node) {
      if (node.range && !scalars.has(node.range[0])) scalars.set(node.range[0], { node, map: null });
    },
  });
  const out = new Map<number, ImageValue>();
  for (const image of using) {
    const rendered = image.fact.image!;
    for (const source of image.sources) {
      const hit = source.uri === uri ? scalars.get(source.range.start) : undefined;
      if (!hit || out.has(source.range.start) || typeof hit.node.value !== 'string') continue;
      const value = hit.node.value.trim();
      if (value === '') continue;
      if (rendered.trim() === value) {
        out.set(source.range.start, { image, node: hit.node, role: 'image', name: value, value, map: hit.map });
        continue;
      }
      const at = rendered.endsWith(`:${value}`) ? rendered.length - value.length - 1 : rendered.indexOf(`:${value}@`);
      if (at > 0) out.set(source.range.start, { image, node: hit.node, role: 'tag', name: rendered.slice(0, at), value, map: hit.map });
    }
  }
  return [...out.entries()].sort((a, b) => a[0] - b[0]).map(([, v]) => v);
}

/** The pin sites of a values file: one per scalar a valid rendered image was written from. */
export function valuesPinSites(images: readonly (ChartImage & { template: string })[], uri: string, text: string): PinSite[] {
  const out: PinSite[] = [];
  for (const v of imageValues(images, uri, text)) {
    const { fact } = v.image;
    if (!fact.reference?.valid || !v.node.range) continue;
    const reference = fact.reference.ref;
    const renders = fact.range ? { template: v.image.template, offset: fact.range.start } : undefined;
    out.push({
      fact, image: fact.image!, reference, range: { start: v.node.range[0], end: v.node.range[1] },
      ...(renders ? { renders } : {}),
      digestEdits: (digest) => {
        const edits = [];
        if (v.role === 'tag') {
          const slot = digestSlot(v.map);
          const inSlot = slot && replaceScalarContent(text, slot, digest);
          if (inSlot) edits.push(inSlot);
        }
        const inValue = replaceScalarContent(text, v.node, `${v.value}@${digest}`);
        if (inValue) edits.push(inValue);
        return edits;
      },
      rewrite: () => null,
      tagEdit: (tag) => {
        if (v.role === 'tag') return reference.digest === null ? replaceScalarContent(text, v.node, tag) : null;
        const parts = splitReference(v.value);
        return replaceScalarContent(text, v.node, `${v.value.slice(parts.name[0], parts.name[1])}:${tag}`);
      },
    });
  }
  return out;
}

/** The place for tag completion when `offset` is in a values scalar that is a rendered image's tag, else null. */
export function valuesTagCompletionPlace(images: readonly (ChartImage & { template: string })[], uri: string, text: string, offset: number): TagCompletionPlace | null {
  for (const v of imageValues(images, uri, text)) {
    const [start, end] = v.node.range ?? [0, -1];
    if (v.role !== 'tag' || offset < start || offset > end) continue;
    const name = parseImageReference(v.name);
    if (!name.valid || name.ref.tag !== null || name.ref.digest !== null) return null;
    const quoted = v.node.type === 'QUOTE_DOUBLE' || v.node.type === 'QUOTE_SINGLE' ? 1 : 0;
    const from = start + quoted;
    return { repository: { domain: name.ref.domain, path: name.ref.path }, name: v.name, typed: text.slice(from, Math.max(from, offset)), range: { start: from, end: end - quoted } };
  }
  return null;
}

/** The `digest:` entry of an image's values map when it is empty (the chart's place for a digest), else null. */
function digestSlot(map: YAMLMap | null): Scalar | null {
  const pair = map?.items.find((p) => isScalar(p.key) && p.key.value === 'digest');
  const value = pair?.value;
  return isScalar(value) && (value.value === null || value.value === '') ? value : null;
}
