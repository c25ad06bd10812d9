/**
 * Charts in the editor: a document under a chart's templates/, or its values.yaml (a vendored subchart's included:
 * it belongs to the top chart, rendered with it as Helm does), gets the findings of the chart rendered with its values (service/helm/chart.ts) — the open documents' unsaved texts over the disk's. The disk
 * is read once per chart, again when the file watcher reports a change under it; the result is kept while every
 * text it was made from is the same, so a keystroke in one file renders the chart once for all its open files.
 */
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  analyzeChart, applyEdits, valuesPinSites, valuesTagCompletionPlace,
  type ChartImage, type ChartInput, type ChartResult, type Finding, type PinChoice, type PinSite, type Settings, type TextEdit, type WorkspaceIndex,
} from '../service/index';
import { chartRootOf, readChart } from '../node/chartFiles';
import { releasesIn } from '../node/helmReleases';
import type { ValuesPins } from './registryFeatures';

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
  /** Read from disk once, until a file under the chart changes (forget): the files of each chart, a file's chart. */
  private readonly fromDisk = new Map<string, ChartInput | null>();
  private readonly roots = new Map<string, string | null>();
  private readonly releaseResults = new Map<string, { texts: Map<string, string>; settings: Settings; findings: Finding[] }>();
  private readonly releaseRoots = new Map<string, string[]>();
  private readonly declared = new Map<string, { text: string; releases: ReturnType<typeof releasesIn> }>();

  constructor(private readonly openText: (uri: string) => string | undefined) {}

  /** The chart directory of a file: URI, when the file is one of its templates or its values.yaml. */
  rootOf(uri: string): string | null {
    let root = this.roots.get(uri);
    if (root === undefined) this.roots.set(uri, (root = chartDirOf(uri)));
    return root;
  }

  /** A file changed, appeared or went away on disk: what was read of its chart is read again. Returns the charts dropped. */
  forget(uri: string): string[] {
    this.roots.clear();
    let path: string;
    try {
      path = fileURLToPath(uri);
    } catch {
      return [];
    }
    const dropped = [...this.fromDisk.keys()].filter((root) => path.startsWith(`${root}${sep}`));
    for (const root of dropped) this.fromDisk.delete(root);
    return dropped;
  }

  /** The chart's findings for `uri`, or null when it is in no chart (or the chart cannot be read). */
  findingsFor(uri: string, settings: Settings, workspace: WorkspaceIndex): ChartFindings | null {
    const root = this.rootOf(uri);
    if (!root) return null;
    if (!this.fromDisk.has(root)) this.fromDisk.set(root, readChart(root, readDisk));
    const onDisk = this.fromDisk.get(root);
    if (!onDisk) return null;
    // The open documents' texts over the disk's.
    const input = overlay(onDisk, root, this.openText);
    const texts = new Map<string, string>();
    collectTexts(input, texts);
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
    const key = [...result.files.keys()].find((k) => sameFile(k, uri)) ?? uri;
    const file = result.files.get(key);
    const images = (file?.images ?? []).map((fact, i) => ({ fact, sources: file!.valueSources[i] ?? [] }));
    const all = [...result.files].flatMap(([template, f]) => f.images.map((fact, i) => ({ fact, sources: f.valueSources[i] ?? [], template })));
    const text = (u: string) => texts.get(u) ?? [...texts].find(([k]) => sameFile(k, u))?.[1];
    return { replace: [...result.rendered].some((k) => sameFile(k, uri)), findings: file?.findings ?? [], images, text, all, values: input.values, root };
  }

  /**
   * A manifest that declares releases of the workspace's charts (a Flux HelmRelease of a chart path, an Argo CD
   * Application whose source path is a chart): the findings its values cause, in it. Each chart is rendered with the
   * release's values over its own (and its `valuesFiles`); kept while the texts are the same.
   */
  releaseFindings(uri: string, text: string, settings: Settings, workspace: WorkspaceIndex): Finding[] {
    if (!RELEASE_KIND.test(text) || !uri.startsWith('file:')) return [];
    let file: string;
    try {
      file = fileURLToPath(uri);
    } catch {
      return [];
    }
    const out: Finding[] = [];
    const roots: string[] = [];
    // The releases a text declares are read (parsed) once per text, not once per request.
    let declared = this.declared.get(uri);
    if (declared?.text !== text) this.declared.set(uri, (declared = { text, releases: releasesIn([{ file, uri, text }], dirname(file)) }));
    for (const release of declared.releases) {
      if (!existsSync(join(release.chartRoot, 'Chart.yaml'))) continue;
      roots.push(release.chartRoot);
      if (!this.fromDisk.has(release.chartRoot)) this.fromDisk.set(release.chartRoot, readChart(release.chartRoot, readDisk));
      const onDisk = this.fromDisk.get(release.chartRoot);
      if (!onDisk) continue;
      const input = overlay(onDisk, release.chartRoot, this.openText);
      const extra = release.valueFiles.flatMap((f) => {
        const u = pathToFileURL(f).href;
        const t = this.openText(u) ?? (existsSync(f) ? readDisk(f) : null);
        return t === null ? [] : [{ uri: u, text: t }];
      });
      const texts = new Map<string, string>([[uri, text]]);
      collectTexts({ ...input, values: [...input.values, ...extra] }, texts);
      const key = `${uri} ${release.chartRoot}`;
      const cached = this.releaseResults.get(key);
      let found: Finding[];
      if (cached && cached.settings === settings && sameTexts(cached.texts, texts)) {
        found = cached.findings;
      } else {
        const result = analyzeChart({ ...input, values: [...input.values, ...extra], ...(release.inline ? { inline: release.inline, inlineFile: { uri, text } } : {}) }, settings, workspace, {}, false);
        // Only what the release's own values cause: the chart's defaults are reported in the chart.
        found = result?.files.get(uri)?.findings ?? [];
        this.releaseResults.set(key, { texts, settings, findings: found });
      }
      out.push(...found);
    }
    this.releaseRoots.set(uri, roots);
    return out;
  }

  /** A document was closed: what was kept for it as a release manifest goes. */
  closed(uri: string): void {
    this.declared.delete(uri);
    this.releaseRoots.delete(uri);
    for (const key of [...this.releaseResults.keys()]) if (key.startsWith(`${uri} `)) this.releaseResults.delete(key);
  }

  /** Whether the open release manifest `uri` renders the chart at `root` (its findings change with the chart). */
  rendersChart(uri: string, root: string): boolean {
    return this.releaseRoots.get(uri)?.includes(root) ?? false;
  }

  /**
   * In one of the chart's values files: the values images come from as pin sites, tag completion there, and the
   * choice of a pin's edit by rendering the chart with it (a `digest:` key the templates never read pins nothing).
   */
  valuesPins(uri: string, chart: ChartFindings, settings: Settings, workspace: WorkspaceIndex): ValuesPins | undefined {
    const valuesUri = chart.values.find((v) => sameFile(v.uri, uri))?.uri;
    const text = valuesUri && chart.text(valuesUri);
    if (!valuesUri || text === undefined) return undefined;
    let sites: PinSite[] | undefined;
    return {
      sites: () => (sites ??= valuesPinSites(chart.all, valuesUri, text)),
      tagPlace: (offset) => valuesTagCompletionPlace(chart.all, valuesUri, text, offset),
      choose: (picks) => this.choose(chart.root, valuesUri, text, picks, settings, workspace),
    };
  }

  /** For each pick, the first of its edits (tried together, round by round) after which the chart renders its digest. */
  private choose(root: string, uri: string, text: string, picks: readonly PinChoice[], settings: Settings, workspace: WorkspaceIndex): (TextEdit | null)[] {
    const chosen: (TextEdit | null)[] = picks.map(() => null);
    const onDisk = this.fromDisk.get(root);
    if (!onDisk) return chosen;
    const rounds = Math.max(0, ...picks.map((p) => p.edits.length));
    for (let round = 0; round < rounds; round++) {
      const trying = picks.map((p, i) => (chosen[i] ? null : p.edits[round] ?? null));
      if (trying.every((e) => e === null)) continue;
      const edited = applyEdits(text, [...chosen, ...trying].filter((e): e is TextEdit => e !== null));
      const input = overlay(onDisk, root, (u) => (sameFile(u, uri) ? edited : this.openText(u)));
      const result = analyzeChart(input, settings, workspace, {}, false);
      const images = result ? [...result.files].flatMap(([template, f]) => f.images.map((fact) => ({ fact, template }))) : [];
      picks.forEach((p, i) => {
        if (trying[i] && rendersDigest(images, p)) chosen[i] = trying[i];
      });
    }
    return chosen;
  }
}

/** Whether the image the pick's site feeds is rendered, where it was, with the pick's digest and the same repository. */
function rendersDigest(images: readonly { fact: ChartImage['fact']; template: string }[], pick: PinChoice): boolean {
  const at = pick.site.renders;
  const hit = at && images.find((i) => i.fact.range?.start === at.offset && sameFile(i.template, at.template));
  const ref = hit && hit.fact.reference?.valid ? hit.fact.reference.ref : null;
  return !!ref && ref.digest === pick.digest && ref.domain === pick.site.reference.domain && ref.path === pick.site.reference.path;
}

const RELEASE_KIND = /\bkind:\s*["']?(?:HelmRelease|Application)\b/;

function chartDirOf(uri: string): string | null {
  if (!uri.startsWith('file:')) return null;
  let file: string;
  try {
    file = fileURLToPath(uri);
  } catch {
    return null;
  }
  let root = chartRootOf(file);
  if (!root) return null;
  // A subchart vendored under a chart's charts/ is rendered with its parent (and the parent's values for it), as
  // Helm renders it: its files belong to the top chart.
  for (let i = 0; i < 5 && basename(dirname(root)) === 'charts' && existsSync(join(dirname(dirname(root)), 'Chart.yaml')); i++) root = dirname(dirname(root));
  const rel = file.slice(root.length + 1).split(/[\\/]/).join('/');
  return /^(?:charts\/[^/]+\/)*(?:templates\/.+|values\.yaml)$/.test(rel) ? root : null;
}

function readDisk(file: string): string | null {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}

/** `input` with the text of every file that is open replaced by the open document's. */
function overlay(input: ChartInput, root: string, openText: (uri: string) => string | undefined): ChartInput {
  const file = <T extends { uri: string; text: string }>(f: T): T => {
    const open = openText(f.uri);
    return open === undefined ? f : { ...f, text: open };
  };
  const files = Object.fromEntries(Object.entries(input.files ?? {}).map(([rel, text]) => [rel, openText(pathToFileURL(join(root, rel)).href) ?? text]));
  return {
    ...input,
    chartYaml: file(input.chartYaml),
    values: input.values.map(file),
    templates: input.templates.map(file),
    dependencies: (input.dependencies ?? []).map(file),
    files,
    subcharts: (input.subcharts ?? []).map((s) => ({ ...s, input: overlay(s.input, fileURLToPath(new URL('.', s.input.chartYaml.uri)).replace(/[\\/]$/, ''), openText) })),
  };
}

function collectTexts(input: ChartInput, into: Map<string, string>): void {
  for (const f of [input.chartYaml, ...input.values, ...input.templates, ...(input.dependencies ?? [])]) into.set(f.uri, f.text);
  for (const [rel, text] of Object.entries(input.files ?? {})) into.set(`${input.chartYaml.uri}#files/${rel}`, text);
  for (const s of input.subcharts ?? []) collectTexts(s.input, into);
}

function sameTexts(a: Map<string, string>, b: Map<string, string>): boolean {
  if (a.size !== b.size) return false;
  for (const [k, v] of a) if (b.get(k) !== v) return false;
  return true;
}


/** Whether two file: URIs name the same file, however the client spells them. */
export function sameFile(a: string, b: string): boolean {
  try {
    return fileURLToPath(a) === fileURLToPath(b);
  } catch {
    return a === b;
  }
}
