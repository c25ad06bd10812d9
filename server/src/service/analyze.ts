import { parseManifests, type ManifestFile, type K8sObject } from './parse/manifests';
import type { DocumentCache } from './parse/documentCache';
import { findImageSites, findPodSpecs, parsePodSpecPaths, type PodSpecSite } from './parse/podSpecs';
import { imageFact, type ImageFact } from './facts';
import { RULES } from './rules/index';
import type { Report, RuleContext } from './rules/rule';
import type { Settings } from './settings';
import { Suppressions, ignoredByAnnotation } from './suppression';
import { Lines } from './text/lines';
import { overlapsTemplate } from './parse/templates';
import type { Finding, Severity } from './types';
import { extractEntry, emptyEntry } from './workspace/extract';
import { kustomizationRoot, kustomizeImageSites, type KustomizeImageSite } from './workspace/kustomize';
import type { WorkspaceIndex } from './workspace/index';
import type { RegistryClient } from './registry/types';
import type { FileEntry } from './workspace/types';
import { WorkspaceView } from './workspace/view';

/** The whole analysis of one file: parse, facts and findings. Cache it per document version. */
export interface Analysis {
  file: ManifestFile;
  lines: Lines;
  pods: PodSpecSite[];
  images: ImageFact[];
  /** The `images:` entries when the file is a kustomization. */
  kustomizeImages: KustomizeImageSite[];
  findings: Finding[];
  /** The document's URI as given to analyze, or null. */
  uri: string | null;
  /** What this file contributes to the workspace index (hand it to `WorkspaceIndex.set` to avoid a second parse). */
  entry: FileEntry;
  /** The workspace as this analysis saw it; hovers, completion and go-to-definition read it too. */
  workspace: WorkspaceView;
  /** The settings the analysis was made with. */
  settings: Settings;
  /** The registry the analysis may consult (what it already knows), null when lookups are not allowed. */
  registry: RegistryClient | null;
}

/** Where a document sits: its URI (for kustomization names and relative paths) and the workspace index. */
export interface AnalyzeContext {
  uri?: string;
  /** The whole workspace. Without it, only the document itself is known and "not found" rules stay silent. */
  workspace?: WorkspaceIndex;
  /** The document's parse cache (editor path): unchanged YAML documents of a multi-document file are not re-parsed. */
  documents?: DocumentCache;
  /** The registry client, when lookups are allowed; `image-not-found` reads its cache, hovers and pins use it. */
  registry?: RegistryClient;
}

/** The id used for documents analysed without a URI. */
const NO_URI = 'untitled:document';

export const FILE_TOO_LARGE = 'file-too-large';

/**
 * Analyses a YAML text. Pure and total: never throws on any text, never touches fs or network.
 *
 * @example analyze('apiVersion: v1\nkind: Pod\nspec:\n  containers:\n  - name: a\n    image: nginx\n', settings)
 *   .findings[0].ruleId === 'missing-tag'
 * @example analyze(text, settings, { uri: 'file:///w/deploy.yaml', workspace: index }) // with cross-file rules
 */
export function analyze(text: string, settings: Settings, context: AnalyzeContext = {}): Analysis {
  const lines = new Lines(text);
  const uri = context.uri ?? null;
  const view = (entry: FileEntry) => (context.workspace ? new WorkspaceView(context.workspace, entry, true) : WorkspaceView.single(entry));
  const empty = (findings: Finding[]): Analysis => {
    const entry = emptyEntry(uri ?? NO_URI);
    return { file: emptyFile(text), lines, pods: [], images: [], kustomizeImages: [], findings, uri, entry, workspace: view(entry), settings, registry: context.registry ?? null };
  };
  if (!settings.enable) return empty([]);
  if (text.length > settings.maxFileSizeKb * 1024) {
    return empty([{
      ruleId: FILE_TOO_LARGE, severity: 'info', range: { start: 0, end: 0 }, fixes: [],
      message: `Not analysed: this file is ${Math.round(text.length / 1024)} KB, over the maxFileSizeKb limit of ${settings.maxFileSizeKb} KB. Raise k8sImageLint.maxFileSizeKb to analyse it.`,
    }]);
  }
  const file = parseManifests(text, context.documents);
  const extra = parsePodSpecPaths(settings.podSpecPaths);
  const pods = file.objects.flatMap((o) => findPodSpecs(o, extra));
  const images = pods.flatMap((p) => findImageSites(p).map((site) => imageFact(site, file.templateRanges)));
  const entry = extractEntry(file, lines, uri ?? NO_URI);
  const workspace = view(entry);
  const kustomization = kustomizationRoot(file, uri);
  const kustomizeImages = kustomization ? kustomizeImageSites(kustomization.map, text) : [];
  const ctx: RuleContext = { file, lines, settings, workspace, uri, images, registry: context.registry };
  const suppressions = new Suppressions(lines);
  const findings: Finding[] = [];
  const ignoreCache = new Map<object, Set<string>>();
  const ignored = (object?: K8sObject, pod?: PodSpecSite): Set<string> => {
    if (!object) return EMPTY;
    const key = pod ?? object;
    let set = ignoreCache.get(key);
    if (!set) ignoreCache.set(key, (set = ignoredByAnnotation(object, pod)));
    return set;
  };

  for (const rule of RULES) {
    const severity = severityOf(rule.id, rule.defaultSeverity, settings);
    if (!severity) continue;
    const push = (reports: Report[] | undefined, object?: K8sObject, pod?: PodSpecSite) => {
      if (!reports?.length) return;
      const skip = ignored(object, pod);
      for (const r of reports) {
        if (skip.has(rule.id) || suppressions.isSuppressed(rule.id, lines.lineOf(r.range.start))) continue;
        // A value with a template action is whatever the chart renders: never judged.
        if (file.templateRanges.length > 0 && overlapsTemplate(r.range, file.templateRanges)) continue;
        const own = r.severity && settings.rules[rule.id] === undefined ? r.severity : severity;
        findings.push({ ruleId: rule.id, severity: own, message: r.message, range: r.range, fixes: r.fixes ?? [] });
      }
    };
    if (rule.checkFile) push(rule.checkFile(ctx));
    if (rule.checkObject) for (const o of file.objects) push(rule.checkObject(o, ctx), o);
    if (rule.checkPodSpec) for (const p of pods) push(rule.checkPodSpec(p, ctx), p.object, p);
    if (rule.checkImage) for (const i of images) push(rule.checkImage(i, ctx), i.site.pod.object, i.site.pod);
    if (rule.checkKustomizeImage) for (const k of kustomizeImages) push(rule.checkKustomizeImage(k, ctx));
  }
  findings.sort((a, b) => a.range.start - b.range.start || a.range.end - b.range.end);
  return { file, lines, pods, images, kustomizeImages, findings, uri, entry, workspace, settings, registry: context.registry ?? null };
}

const EMPTY = new Set<string>();

/** The configured severity of a rule, or null when it is off. */
export function severityOf(ruleId: string, fallback: Severity, settings: Settings): Severity | null {
  const s = settings.rules[ruleId];
  if (s === 'off') return null;
  return s ?? fallback;
}

function emptyFile(text: string): ManifestFile {
  return { text, docs: [], objects: [], isTemplate: false, templateRanges: [], syntaxErrors: [] };
}
