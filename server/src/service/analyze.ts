import { parseManifests, type ManifestFile, type K8sObject } from './parse/manifests';
import { DUPLICATE_KEY, type DocumentCache } from './parse/documentCache';
import { findImageSites, findPodSpecs, parsePodSpecPaths, type PodSpecSite } from './parse/podSpecs';
import { imageFact, type ImageFact, type KustomizedImage } from './facts';
import { parseImageReference } from './image/reference';
import { RULES } from './rules/index';
import type { Report, Rule, RuleContext } from './rules/rule';
import type { Settings } from './settings';
import { directivesIn, Suppressions, ignoredByAnnotation, type Directive } from './suppression';
import { Lines } from './text/lines';
import { append } from './arrays';
import { overlapsTemplate } from './parse/templates';
import type { Finding, OffsetRange, Severity, SeveritySetting } from './types';
import { extractEntry, emptyEntry } from './workspace/extract';
import { kustomizationRoot, kustomizeImageSites, type KustomizeImageSite } from './workspace/kustomize';
import { changedDeps, type WorkspaceIndex } from './workspace/index';
import type { RegistryClient } from './registry/types';
import type { FileEntry } from './workspace/types';
import { WorkspaceView } from './workspace/view';
import { isExcluded } from './exclude';

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
  /** The text's line starts when the caller keeps them already (an open document); used when their text is `text`. */
  lines?: Lines;
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
  const lines = context.lines?.text === text ? context.lines : context.documents ? context.documents.lines(text) : new Lines(text);
  const uri = context.uri ?? null;
  const view = (entry: FileEntry) => (context.workspace ? new WorkspaceView(context.workspace, entry, true) : WorkspaceView.single(entry));
  const empty = (findings: Finding[]): Analysis => {
    const entry = emptyEntry(uri ?? NO_URI);
    return { file: emptyFile(text), lines, pods: [], images: [], kustomizeImages: [], findings, uri, entry, workspace: view(entry), settings, registry: context.registry ?? null };
  };
  if (!settings.enable || (uri !== null && isExcluded(settings.exclude, uri))) return empty([]);
  if (text.length > settings.maxFileSizeKb * 1024) {
    return empty([{
      ruleId: FILE_TOO_LARGE, severity: 'info', range: { start: 0, end: 0 }, fixes: [],
      message: `Not analysed: ${Math.round(text.length / 1024)} KB is over maxFileSizeKb (${settings.maxFileSizeKb}); raise it to analyse this file`,
    }]);
  }
  const file = parseManifests(text, context.documents);
  const extra = parsePodSpecPaths(settings.podSpecPaths);
  const entry = extractEntry(file, lines, uri ?? NO_URI);
  const workspace = view(entry);
  const kustomization = kustomizationRoot(file, uri);
  const kustomizeImages = kustomization ? kustomizeImageSites(kustomization.map, text) : [];
  const ctx: RuleContext = { file, lines, settings, workspace, uri, images: [], registry: context.registry };
  // A test's assertion file is never applied; a kustomize patch is part of the object it patches, so what it
  // leaves out says nothing (no missing image, the base's policy and pull secrets may apply).
  const role = workspace.role();
  const partial = role !== null;
  // The images: entries of the kustomization(s) listing this file: its images are judged as they build them.
  const ownImages = workspace.ownImagesSignature();

  // Document-local checks, per chunk of documents: kept with the chunk while its text and the settings are unchanged.
  // The cross-document rules' findings are kept per chunk too, while the workspace they read is the same.
  const token = context.documents ? workspaceToken(context.documents, context.workspace, entry) : null;
  const registryStamp = context.documents && token ? registryToken(context.documents, token, context.registry) : null;
  const textEnd = text.length;
  const endsWithBreak = /[\r\n]$/.test(text);
  const pods: PodSpecSite[] = [];
  const images: ImageFact[] = [];
  const raw: Finding[] = [];
  for (const chunk of file.chunks) {
    let local = chunk.memo.get(LOCAL) as LocalAnalysis | undefined;
    if (!local || local.settings !== settings || local.last !== chunk.last || local.partial !== partial || local.ownImages !== ownImages) {
      const chunkPods = chunk.objects.flatMap((o) => findPodSpecs(o, extra, partial));
      const chunkImages = chunkPods.flatMap((p) => findImageSites(p).map((site) => imageFact(site, file.templateRanges)));
      if (ownImages !== '') for (const fact of chunkImages) fact.kustomized = kustomizedImage(fact, workspace);
      const found = runChecks(LOCAL_RULES, chunk.objects, chunkPods, chunkImages, { ...ctx, images: chunkImages });
      chunk.memo.set(LOCAL, (local = { settings, last: chunk.last, partial, ownImages, base: chunk.base, pods: chunkPods, images: chunkImages, findings: found }));
    } else if (local.base !== chunk.base) {
      for (const f of local.findings) moveFinding(f, chunk.base - local.base);
      local.base = chunk.base;
    }
    append(pods, local.pods);
    append(images, local.images);
    append(raw, local.findings);
    // The workspace rules, then the registry's: kept with the chunk while what they read is the same.
    append(raw, groupFindings(chunk, CROSS, WORKSPACE_RULES, token, local, { ...ctx, images: local.images }, textEnd, endsWithBreak));
    append(raw, groupFindings(chunk, REGISTRY, REGISTRY_RULES, registryStamp, local, { ...ctx, images: local.images }, textEnd, endsWithBreak));
  }
  // Everything else runs on every analysis: file checks and kustomization entries.
  ctx.images = images;
  for (const rule of RULES) {
    const severity = severityOf(rule.id, rule.defaultSeverity, settings);
    if (!severity) continue;
    if (rule.checkFile) append(raw, asFindings(rule, severity, settings, rule.checkFile(ctx)));
    if (rule.checkKustomizeImage) for (const k of kustomizeImages) append(raw, asFindings(rule, severity, settings, rule.checkKustomizeImage(k, ctx)));
  }

  const suppressions = new Suppressions(lines, chunkDirectives(file, text));
  // Nothing in an assertion file is applied, so no finding about what applying it would do holds.
  if (role === 'assertion') raw.length = 0;
  const templates = file.templateRanges;
  const findings = suppressions.none && templates.length === 0 ? raw : raw.filter((f) => (suppressions.none || !suppressions.isSuppressed(f.ruleId, lines.lineOf(f.range.start)))
    // A value with a template action is whatever the chart renders: never judged.
    && !(templates.length > 0 && overlapsTemplate(f.range, templates)));
  findings.sort((a, b) => a.range.start - b.range.start || a.range.end - b.range.end || RULE_ORDER.get(a.ruleId)! - RULE_ORDER.get(b.ruleId)!);
  const safe = withoutFixesInBrokenDocuments(findings, file);
  return { file, lines, pods, images, kustomizeImages, findings: safe, uri, entry, workspace, settings, registry: context.registry ?? null };
}

/**
 * Fixes may not edit a YAML document with syntax errors (its findings are still reported): where the parser
 * recovered, the text a fix would insert can land inside what YAML reads as a string or a comment (an
 * unterminated quote at the end of the file swallows a pair appended after it), so the result could not be
 * trusted to be what the fix says. A fix editing only sound documents is kept, wherever its finding is. Errors
 * at a template action (`image: {{ .Values.repo }}/app` is a flow map followed by text) do not count: Helm
 * templates seldom parse, and are judged around their actions, as for the syntax errors themselves.
 */
function withoutFixesInBrokenDocuments(findings: Finding[], file: ManifestFile): Finding[] {
  const actions = file.templateRanges;
  // Touching an action counts: the error usually starts right after one's `}}`.
  const fromTemplate = (pos: [number, number]) => actions.length > 0 && overlapsTemplate({ start: Math.max(0, pos[0] - 1), end: pos[1] + 1 }, actions);
  const broken = file.docs.filter((d) => d.errors.some((e) => e.code !== DUPLICATE_KEY && !fromTemplate(e.pos))).map((d) => ({ start: d.range[0], end: d.range[2] }));
  if (broken.length === 0) return findings;
  // Inclusive ends: an insertion at the very end of a broken document (or of the file) is inside it too.
  const touches = (e: OffsetRange) => {
    // The last broken document starting at or before the edit's end (documents are sorted and disjoint).
    let lo = 0;
    let hi = broken.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (broken[mid].start <= e.end) lo = mid + 1;
      else hi = mid;
    }
    return lo > 0 && broken[lo - 1].end >= e.start;
  };
  return findings.map((f) => {
    if (!f.fixes.some((x) => x.edits.some(touches))) return f;
    return { ...f, fixes: f.fixes.filter((x) => !x.edits.some(touches)) };
  });
}

/** The image as the kustomization listing this document builds it, when its own `images:` entry changes it. */
function kustomizedImage(fact: ImageFact, workspace: WorkspaceView): KustomizedImage | null {
  if (fact.image === null || fact.reference === null || !fact.reference.valid) return null;
  const rewrite = workspace.ownRewrite(fact.image);
  if (!rewrite) return null;
  return { image: rewrite.image, reference: parseImageReference(rewrite.image), by: rewrite.via[rewrite.via.length - 1]?.uri ?? rewrite.root.uri };
}

const LOCAL = 'analysis';
const CROSS = 'cross-document';
const REGISTRY = 'registry';
const LOCAL_RULES = RULES.filter((r) => !r.crossDocument && !r.usesRegistry);
const WORKSPACE_RULES = RULES.filter((r) => r.crossDocument && !r.usesRegistry);
const REGISTRY_RULES = RULES.filter((r) => r.usesRegistry);

/** What a group of rules found in one chunk, for the local analysis and stamp they saw; offsets as of `base`. */
interface GroupAnalysis {
  local: LocalAnalysis;
  stamp: object;
  endsWithBreak: boolean;
  base: number;
  /** The text's length then: a fix that appends at the end of the file (a Secret to create) moves with it. */
  textEnd: number;
  findings: Finding[];
}

/**
 * An object that stays the same while what the workspace rules read does: the same index at the same generation,
 * and this file's own entry defining the same Secrets, ServiceAccounts and kustomization (its locations aside).
 */
function workspaceToken(documents: DocumentCache, index: WorkspaceIndex | undefined, entry: FileEntry): object {
  const last = documents.memo.get(CROSS) as { index: WorkspaceIndex | undefined; generation: number; entry: FileEntry; token: object } | undefined;
  const generation = index?.generation ?? 0;
  if (last && last.index === index && last.generation === generation && changedDeps(last.entry, entry).length === 0) {
    last.entry = entry;
    return last.token;
  }
  const token = {};
  documents.memo.set(CROSS, { index, generation, entry, token });
  return token;
}
const RULE_ORDER = new Map(RULES.map((r, i) => [r.id, i]));

/**
 * An object that stays the same while what the registry rules read does: the workspace token, the same client
 * and what it knows (`RegistryClient.knowledge`). Null (run every time) for a client that cannot say.
 */
function registryToken(documents: DocumentCache, token: object, registry: RegistryClient | undefined): object | null {
  const knowledge = registry ? registry.knowledge?.() : 0;
  if (knowledge === undefined) return null;
  const last = documents.memo.get(REGISTRY) as { token: object; registry: RegistryClient | undefined; knowledge: number; stamp: object } | undefined;
  if (last && last.token === token && last.registry === registry && last.knowledge === knowledge) return last.stamp;
  const stamp = {};
  documents.memo.set(REGISTRY, { token, registry, knowledge, stamp });
  return stamp;
}

/**
 * The findings of `rules` in one chunk, kept in its memo under `key` while the chunk's local analysis and
 * `stamp` are the same (moved with the chunk); run every time when `stamp` is null.
 */
function groupFindings(chunk: ManifestFile['chunks'][number], key: string, rules: readonly Rule[], stamp: object | null, local: LocalAnalysis,
  ctx: RuleContext, textEnd: number, endsWithBreak: boolean): Finding[] {
  let kept = chunk.memo.get(key) as GroupAnalysis | undefined;
  if (!stamp || !kept || kept.local !== local || kept.stamp !== stamp || kept.endsWithBreak !== endsWithBreak) {
    const found = runChecks(rules, chunk.objects, local.pods, local.images, ctx);
    kept = { local, stamp: stamp ?? {}, endsWithBreak, base: chunk.base, textEnd, findings: found };
    if (stamp) chunk.memo.set(key, kept);
  } else if (kept.base !== chunk.base || kept.textEnd !== textEnd) {
    const delta = chunk.base - kept.base;
    const oldEnd = kept.textEnd;
    for (const f of kept.findings) moveFinding(f, delta, oldEnd, textEnd);
    kept.base = chunk.base;
    kept.textEnd = textEnd;
  }
  return kept.findings;
}

/** What the document-local rules found in one chunk, with the facts they looked at; offsets as of `base`. */
interface LocalAnalysis {
  settings: Settings;
  last: boolean;
  partial: boolean;
  ownImages: string;
  base: number;
  pods: PodSpecSite[];
  images: ImageFact[];
  findings: Finding[];
}

/**
 * Runs the object, pod spec and image checks of `rules`, leaving out what the objects' ignore annotation
 * silences. Suppression comments and template actions are applied later, over the whole file.
 */
function runChecks(rules: readonly Rule[], objects: readonly K8sObject[], pods: readonly PodSpecSite[], images: readonly ImageFact[], ctx: RuleContext): Finding[] {
  const out: Finding[] = [];
  const ignoreCache = new Map<object, Set<string>>();
  const ignored = (object: K8sObject, pod?: PodSpecSite): Set<string> => {
    const key = pod ?? object;
    let set = ignoreCache.get(key);
    if (!set) ignoreCache.set(key, (set = ignoredByAnnotation(object, pod)));
    return set;
  };
  for (const rule of rules) {
    const severity = severityOf(rule.id, rule.defaultSeverity, ctx.settings);
    if (!severity) continue;
    const add = (reports: Report[] | undefined, object: K8sObject, pod?: PodSpecSite) => {
      if (reports?.length && !ignored(object, pod).has(rule.id)) append(out, asFindings(rule, severity, ctx.settings, reports));
    };
    if (rule.checkObject) for (const o of objects) add(rule.checkObject(o, ctx), o);
    if (rule.checkPodSpec) for (const p of pods) add(rule.checkPodSpec(p, ctx), p.object, p);
    if (rule.checkImage) for (const i of images) add(rule.checkImage(i, ctx), i.site.pod.object, i.site.pod);
  }
  return out;
}

/**
 * The reports as findings. Each finding owns its range, focus, fixes and edits (a rule may hand the same object to
 * two reports), so a kept finding can be moved in place ({@link moveFinding}).
 */
function asFindings(rule: Rule, severity: Severity, settings: Settings, reports: Report[] | undefined): Finding[] {
  return (reports ?? []).map((r) => ({
    ruleId: rule.id,
    severity: r.severity && settings.rules[rule.id] === undefined ? r.severity : severity,
    message: r.message, ...(r.detail ? { detail: r.detail } : {}), range: { start: r.range.start, end: r.range.end },
    ...(r.focus ? { focus: { start: r.focus.start, end: r.focus.end } } : {}), ...(r.structural ? { structural: true } : {}),
    fixes: (r.fixes ?? []).map((x) => ({ ...x, edits: x.edits.map((e) => ({ ...e })) })),
  }));
}

/**
 * Moves a kept finding of a chunk that moved by `delta`, in place (as the chunk's nodes are: the analysis it was
 * last part of is superseded); an edit at the text's old end (`oldEnd`) goes to its new end.
 */
function moveFinding(f: Finding, delta: number, oldEnd = -1, newEnd = -1): void {
  f.range.start += delta;
  f.range.end += delta;
  if (f.focus) {
    f.focus.start += delta;
    f.focus.end += delta;
  }
  for (const x of f.fixes) {
    for (const e of x.edits) {
      if (e.start === oldEnd && e.end === oldEnd) e.start = e.end = newEnd;
      else {
        e.start += delta;
        e.end += delta;
      }
    }
  }
}

const EMPTY = new Set<string>();

/** The suppression directives of the file, found once per chunk text (offsets relative to the chunk, kept in its memo). */
function chunkDirectives(file: ManifestFile, text: string): Directive[] {
  if (file.chunks.length === 0) return directivesIn(text);
  const out: Directive[] = [];
  for (const chunk of file.chunks) {
    let found = chunk.memo.get(DIRECTIVES) as Directive[] | undefined;
    if (!found) chunk.memo.set(DIRECTIVES, (found = directivesIn(text, chunk.base, chunk.end)));
    for (const d of found) out.push({ ...d, offset: chunk.base + d.offset });
  }
  return out;
}
const DIRECTIVES = 'directives';

/** The configured severity of a rule, or null when it is off. */
export function severityOf(ruleId: string, fallback: SeveritySetting, settings: Settings): Severity | null {
  const s = settings.rules[ruleId] ?? fallback;
  return s === 'off' ? null : s;
}

function emptyFile(text: string): ManifestFile {
  return { text, docs: [], objects: [], isTemplate: false, templateRanges: [], syntaxErrors: [], chunks: [] };
}
