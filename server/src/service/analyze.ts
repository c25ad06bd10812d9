import { parseManifests, type ManifestFile, type K8sObject } from './parse/manifests';
import { findImageSites, findPodSpecs, parsePodSpecPaths, type PodSpecSite } from './parse/podSpecs';
import { imageFact, type ImageFact } from './facts';
import { RULES } from './rules/index';
import type { Report, RuleContext } from './rules/rule';
import type { Settings } from './settings';
import { Suppressions, ignoredByAnnotation } from './suppression';
import { Lines } from './text/lines';
import { overlapsTemplate } from './parse/templates';
import type { Finding, Severity } from './types';

/** The whole analysis of one file: parse, facts and findings. Cache it per document version. */
export interface Analysis {
  file: ManifestFile;
  lines: Lines;
  pods: PodSpecSite[];
  images: ImageFact[];
  findings: Finding[];
}

export const FILE_TOO_LARGE = 'file-too-large';

/**
 * Analyses a YAML text. Pure and total: never throws on any text, never touches fs or network.
 *
 * @example analyze('apiVersion: v1\nkind: Pod\nspec:\n  containers:\n  - name: a\n    image: nginx\n', settings)
 *   .findings[0].ruleId === 'missing-tag'
 */
export function analyze(text: string, settings: Settings): Analysis {
  const lines = new Lines(text);
  if (!settings.enable) return { file: emptyFile(text), lines, pods: [], images: [], findings: [] };
  if (text.length > settings.maxFileSizeKb * 1024) {
    const findings: Finding[] = [{
      ruleId: FILE_TOO_LARGE, severity: 'info', range: { start: 0, end: 0 }, fixes: [],
      message: `Not analysed: this file is ${Math.round(text.length / 1024)} KB, over the maxFileSizeKb limit of ${settings.maxFileSizeKb} KB. Raise k8sImageLint.maxFileSizeKb to analyse it.`,
    }];
    return { file: emptyFile(text), lines, pods: [], images: [], findings };
  }
  const file = parseManifests(text);
  const extra = parsePodSpecPaths(settings.podSpecPaths);
  const pods = file.objects.flatMap((o) => findPodSpecs(o, extra));
  const images = pods.flatMap((p) => findImageSites(p).map((site) => imageFact(site, file.templateRanges)));
  const ctx: RuleContext = { file, lines, settings };
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
  }
  findings.sort((a, b) => a.range.start - b.range.start || a.range.end - b.range.end);
  return { file, lines, pods, images, findings };
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
