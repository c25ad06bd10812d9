/**
 * Charts in the editor: a document under a chart's templates/, or its values.yaml, gets the findings of the chart
 * rendered with its values (service/helm/chart.ts) — the open documents' unsaved texts over the disk's. One
 * result per chart, kept while every text it was made from is the same, so a keystroke in one file renders the
 * chart once for all its open files.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { analyzeChart, type ChartImage, type ChartResult, type Finding, type Settings, type WorkspaceIndex } from '../service/index';
import { chartRootOf, readChart } from '../node/chartFiles';

export interface ChartFindings {
  /** The template was rendered: these findings replace the plain ones (which judge nothing templated). */
  replace: boolean;
  findings: Finding[];
  /** The images rendered from this template, where it writes them, with the values that wrote them. */
  images: ChartImage[];
  /** The text of a file the rendering read (for line numbers of values). */
  text(uri: string): string | undefined;
  /** Every image the chart renders, in every template, with the template's URI: for hovers in values files. */
  all: (ChartImage & { template: string })[];
  /** The chart's values files, in the order they apply (later wins): for go-to-definition. */
  values: { uri: string; text: string }[];
  root: string;
}

export class ChartAnalyses {
  private readonly results = new Map<string, { texts: Map<string, string>; settings: Settings; result: ChartResult | null }>();

  constructor(private readonly openText: (uri: string) => string | undefined) {}

  /** The chart directory of a file: URI, when the file is one of its templates or its values.yaml. */
  rootOf(uri: string): string | null {
    if (!uri.startsWith('file:')) return null;
    let file: string;
    try {
      file = fileURLToPath(uri);
    } catch {
      return null;
    }
    const root = chartRootOf(file);
    if (!root) return null;
    const rel = file.slice(root.length + 1).split(/[\\/]/);
    return rel[0] === 'templates' || (rel.length === 1 && rel[0] === 'values.yaml') ? root : null;
  }

  /** The chart's findings for `uri`, or null when it is in no chart (or the chart cannot be read). */
  findingsFor(uri: string, settings: Settings, workspace: WorkspaceIndex): ChartFindings | null {
    const root = this.rootOf(uri);
    if (!root) return null;
    const texts = new Map<string, string>();
    const read = (file: string): string | null => {
      const open = this.openText(pathUri(file));
      if (open !== undefined) return open;
      try {
        return readFileSync(file, 'utf8');
      } catch {
        return null;
      }
    };
    const input = readChart(root, (file) => {
      const t = read(file);
      if (t !== null) texts.set(file, t);
      return t;
    });
    if (!input) return null;
    const cached = this.results.get(root);
    let result: ChartResult | null;
    if (cached && cached.settings === settings && sameTexts(cached.texts, texts)) {
      result = cached.result;
    } else {
      // The server's index is WorkspaceSync's: the renderings are not added to it.
      result = analyzeChart(input, settings, workspace, {}, false);
      this.results.set(root, { texts, settings, result });
    }
    if (!result) return null;
    // The client may spell the URI otherwise (`%3A`, a drive letter's case): compare paths.
    const path = fileURLToPath(uri);
    const key = [...result.files.keys()].find((k) => fileURLToPath(k) === path) ?? uri;
    const file = result.files.get(key);
    const images = (file?.images ?? []).map((fact, i) => ({ fact, sources: file!.valueSources[i] ?? [] }));
    const text = (u: string) => { try { return texts.get(fileURLToPath(u)); } catch { return undefined; } };
    const all = [...result.files].flatMap(([template, f]) => f.images.map((fact, i) => ({ fact, sources: f.valueSources[i] ?? [], template })));
    return { replace: [...result.rendered].some((k) => fileURLToPath(k) === path), findings: file?.findings ?? [], images, text, all, values: input.values, root };
  }

  forget(root: string): void {
    this.results.delete(root);
  }
}

function sameTexts(a: Map<string, string>, b: Map<string, string>): boolean {
  if (a.size !== b.size) return false;
  for (const [k, v] of a) if (b.get(k) !== v) return false;
  return true;
}

function pathUri(file: string): string {
  return pathToFileURL(file).href;
}

/** Whether two file: URIs name the same file, however the client spells them. */
export function sameFile(a: string, b: string): boolean {
  try {
    return fileURLToPath(a) === fileURLToPath(b);
  } catch {
    return a === b;
  }
}
