/**
 * `k8sImageLint/imageSummary`: a custom request for the VS Code client's status-bar item. Given a document
 * URI, it answers how many images the document's Kubernetes objects name and how many of those are not
 * pinned by digest, from the same cached analysis as diagnostics (nothing is parsed twice).
 *
 * @example client.sendRequest('k8sImageLint/imageSummary', { uri }) // → { kubernetes: true, images: 3, unpinned: 2 }
 */
import type { Analysis } from '../service/index';

export const IMAGE_SUMMARY_METHOD = 'k8sImageLint/imageSummary';

export interface ImageSummaryParams {
  uri: string;
}

export interface ImageSummary {
  /** True when the document holds at least one Kubernetes object (the status-bar item shows only then). */
  kubernetes: boolean;
  /** Image values written in the document's pod specs (containers, init/ephemeral containers, image volumes). */
  images: number;
  /** Of those, the ones without a digest: what a node pulls can change under the same name. Templated values are unknown and not counted. */
  unpinned: number;
  /** Of those, the ones pinned by a digest. */
  pinned: number;
  /** Set when the workspace index left files out (a folder over `maxWorkspaceFiles`): what to tell the user. */
  indexNote?: string;
}

/** The summary of one analysis; null when the document is not open or not YAML (`analysis` null). */
export function imageSummary(analysis: Pick<Analysis, 'file' | 'images'> | null): ImageSummary | null {
  if (!analysis) return null;
  let images = 0;
  let unpinned = 0;
  let pinned = 0;
  for (const fact of analysis.images) {
    if (fact.image === null || fact.image.trim() === '') continue;
    images++;
    if (fact.templated || fact.placeholder !== null) continue;
    if (!fact.reference?.valid || fact.reference.ref.digest === null) unpinned++;
    else pinned++;
  }
  return { kubernetes: analysis.file.objects.length > 0, images, unpinned, pinned };
}
