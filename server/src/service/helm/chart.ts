/**
 * A chart judged through its values: each template is rendered as `helm template` would render it (render.ts), the
 * rendering is analysed like any manifest — the same facts, the same rules — and each finding is put where its
 * cause is written: on the values scalar that printed the part at fault (`Report.focus`, else the finding's
 * range), else on the template text. A template that cannot be rendered (a `required` value missing, a branch
 * that depends on what cannot be known) is left to the plain analysis, which judges nothing templated.
 */
import { analyze, type Analysis, type AnalyzeContext } from '../analyze';
import type { ImageFact } from '../facts';
import { severityOf } from '../analyze';
import type { Settings } from '../settings';
import type { Finding, Fix, OffsetRange } from '../types';
import type { WorkspaceIndex } from '../workspace/index';
import { parseTemplates, renderFile, topLevel, type ChartMeta, type TemplateFile } from './render';
import { MISSING, type Rendered, type Span } from './template/exec';
import { isGoMap, mergeValues, readValues, valuesFromSet, type GoMap, type Source } from './values';
import { parseDocument } from 'yaml';

import { helmNumericTag } from '../rules/helmNumericTag';

export const HELM_NUMERIC_TAG = helmNumericTag.id;

export interface ChartInput {
  chartYaml: { uri: string; text: string };
  /** The chart's values.yaml first (if any), then override files in `-f` order (later wins). */
  values: { uri: string; text: string }[];
  /** Values over all files, written inline in a manifest (a HelmRelease's `spec.values`), with their sources there. */
  inline?: GoMap;
  /** The manifest the inline values are written in: fixes of findings they cause edit it. */
  inlineFile?: { uri: string; text: string };
  /** `--set key=value` pairs, over every file. */
  set?: readonly string[];
  templates: TemplateFile[];
  /** The templates of its dependencies (library charts such as Bitnami's common): only their named templates are used. */
  dependencies?: TemplateFile[];
  /** The chart's other files by path (`files/nginx.conf`), for `.Files.Get` and `.Files.Glob`. */
  files?: Record<string, string>;
  /**
   * Application charts vendored under charts/: rendered with their own values under the parent's section for them
   * (`alias` or name) and the parent's `global`, when their `condition` (paths in the parent's values) allows.
   */
  subcharts?: { input: ChartInput; alias?: string; condition?: string }[];
}

/** What a chart yields for one of its files: the findings located there, and the images rendered from it. */
export interface ChartFileResult {
  findings: Finding[];
  /** The images rendered from this template, with ranges in it; `valueSources[i]` are the values that wrote images[i]. */
  images: ImageFact[];
  valueSources: Source[][];
}

export interface ChartResult {
  meta: ChartMeta;
  /** Per file URI (templates and values files). */
  files: Map<string, ChartFileResult>;
  /** Template files that rendered (others keep their plain analysis). */
  rendered: Set<string>;
  /** One sentence per template that could not be rendered, and why. */
  notes: string[];
}

/** Reads Chart.yaml's name, version and appVersion (strings as Helm's loader reads them). */
export function chartMeta(text: string): ChartMeta | null {
  const doc = parseDocument(text);
  if (doc.errors.length > 0) return null;
  const js = doc.toJS() as Record<string, unknown> | null;
  if (!js || typeof js !== 'object' || typeof js.name !== 'string') return null;
  const str = (v: unknown) => (v === undefined || v === null ? null : String(v));
  return { name: js.name, version: str(js.version) ?? '', appVersion: str(js.appVersion) };
}

/** Renders and analyses a chart. `workspace` holds the other files; the renderings are added to it as they go. */
/** A chart or one of its enabled subcharts, with the values its templates see (Helm's coalescing). */
export interface ChartValues {
  input: ChartInput;
  values: GoMap;
  meta: ChartMeta;
  files: GoMap;
}

/** The chart's values (values files, inline values, `--set`) and its enabled subcharts' values, parent first; null without a readable Chart.yaml. */
export function chartValues(input: ChartInput): ChartValues[] | null {
  const meta = chartMeta(input.chartYaml.text);
  if (!meta) return null;
  const subs = subchartKeys(input);
  let values: GoMap = new Map();
  for (const v of input.values) {
    const read = readValues(v.text, v.uri);
    if (read) values = mergeValues(values, read, subs);
  }
  if (input.inline) values = mergeValues(values, input.inline, subs);
  if (input.set?.length) values = mergeValues(values, valuesFromSet(input.set, 'helm:--set'), subs);
  // Helm always gives charts a `global` map.
  if (!isGoMap(values.get('global'))) values = mergeValues(values, new Map([['global', new Map()]]));
  const files: GoMap = new Map(Object.entries(input.files ?? {}));
  return [{ input, values, meta, files }, ...subcharts(input, values)];
}

export function analyzeChart(input: ChartInput, settings: Settings, workspace: WorkspaceIndex, context: Pick<AnalyzeContext, 'registry'> = {}, indexRenderings = true): ChartResult | null {
  const charts = chartValues(input);
  if (!charts) return null;
  const { meta } = charts[0];
  // One set of named templates for the chart and its subcharts, as Helm has: dependencies first, the chart's own last.
  const byName = (a: TemplateFile, b: TemplateFile) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  const parsed = parseTemplates([
    ...[...(input.dependencies ?? [])].sort(byName),
    ...charts.slice(1).flatMap((c) => [...(c.input.dependencies ?? []), ...c.input.templates]).sort(byName),
    ...[...input.templates].sort(byName),
  ]);
  const result: ChartResult = { meta, files: new Map(), rendered: new Set(), notes: [] };
  const renderings: { file: TemplateFile; rendered: Rendered }[] = [];
  for (const chart of charts) {
    for (const file of chart.input.templates) {
      const base = file.name.slice(file.name.lastIndexOf('/') + 1);
      if (base.startsWith('_') || base === 'NOTES.txt' || !/\.(ya?ml|json|tpl)$/.test(base)) continue;
      const r = renderFile(parsed, file.name, topLevel(chart.values, chart.meta, file.name, chart.files));
      if (!r.ok) {
        result.notes.push(`${file.name} is not judged through its values: ${r.error}`);
        continue;
      }
      renderings.push({ file, rendered: r.rendered });
    }
  }
  // The renderings are what the chart applies: their Secrets and ServiceAccounts are the workspace's.
  if (indexRenderings) for (const { file, rendered } of renderings) workspace.set(analyze(rendered.text, settings, { uri: file.uri }).entry);
  const add = (uri: string): ChartFileResult => {
    let f = result.files.get(uri);
    if (!f) result.files.set(uri, (f = { findings: [], images: [], valueSources: [] }));
    return f;
  };
  const valuesTexts = new Map([...input.values, ...(input.inlineFile ? [input.inlineFile] : [])].map((v) => [v.uri, v.text]));
  const seen = new Set<string>();
  for (const { file, rendered } of renderings) {
    result.rendered.add(file.uri);
    add(file.uri);
    const analysis = analyze(rendered.text, settings, { uri: file.uri, workspace, registry: context.registry });
    // Where a missing value was printed: what holds one is not judged (the chart expects it from its user).
    const missing = rendered.spans.filter((s) => s.source === MISSING).map((s) => s.start);
    const expectsValue = (r: OffsetRange) => missing.some((at) => at >= r.start && at <= r.end);
    for (const f of analysis.findings) {
      // The rendering is Helm's output, not the user's YAML: its syntax is the template's business.
      if (f.ruleId === 'yaml-syntax' || expectsValue(f.range)) continue;
      const at = locate(rendered, f.focus ?? f.range, file.uri, f.range, f.structural === true);
      if (!at) continue;
      const key = `${f.ruleId}|${at.uri}|${at.range.start}|${at.range.end}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const { focus: _focus, structural: _structural, ...rest } = f;
      add(at.uri).findings.push({ ...rest, range: at.range, fixes: f.fixes.length ? transplant(f.fixes, rendered, valuesTexts) : [] });
    }
    for (const fact of analysis.images) {
      const at = fact.range ? locate(rendered, fact.range, file.uri, fact.range, true) : null;
      if (at?.uri !== file.uri || !fact.range) continue;
      const entry = add(file.uri);
      entry.images.push({ ...fact, range: at.range, policyRange: null });
      const r = fact.range;
      const sources = rendered.spans.filter((s) => s.source.written !== undefined && s.start < r.end && s.end > r.start).map((s) => s.source);
      entry.valueSources.push(sources.filter((s, i) => sources.findIndex((t) => t.uri === s.uri && t.range.start === s.range.start) === i));
    }
    for (const f of numericTags(analysis, rendered, settings, expectsValue)) {
      const key = `${f.ruleId}|${f.uri}|${f.range.start}`;
      if (seen.has(key)) continue;
      seen.add(key);
      add(f.uri).findings.push(f.finding);
    }
  }
  for (const f of result.files.values()) f.findings.sort((a, b) => a.range.start - b.range.start);
  return result;
}

/** The enabled subcharts (recursively) with the values Helm gives them. */
function subcharts(input: ChartInput, parentValues: GoMap, depth = 0): ChartValues[] {
  if (depth > 5) return [];
  return (input.subcharts ?? []).flatMap((s) => {
    const meta = chartMeta(s.input.chartYaml.text);
    if (!meta) return [];
    const subs = subchartKeys(s.input);
    let values: GoMap = new Map();
    for (const v of s.input.values) {
      const read = readValues(v.text, v.uri);
      if (read) values = mergeValues(values, read, subs);
    }
    const key = s.alias ?? meta.name;
    const section = parentValues.get(key);
    if (isGoMap(section)) values = mergeValues(values, section, subs);
    // The parent's `global` over the subchart's own.
    const global = parentValues.get('global');
    values = mergeValues(values, new Map([['global', isGoMap(global) ? global : new Map()]]));
    // Helm decides a condition on the coalesced values: the subchart's own defaults count (`enabled: false`).
    if (!enabled(s.condition, new Map([...parentValues, [key, values]]))) return [];
    const chart = { input: s.input, values, meta: { ...meta, name: key }, files: new Map(Object.entries(s.input.files ?? {})) as GoMap };
    const below = subcharts(s.input, values, depth + 1);
    // As in Helm, the parent's templates see the subchart's values (its defaults too) under its name.
    parentValues.set(key, values);
    return [chart, ...below];
  });
}

/** The keys of a chart's values that are its subcharts' sections. */
function subchartKeys(input: ChartInput): Set<string> {
  return new Set((input.subcharts ?? []).flatMap((s) => {
    const name = s.alias ?? chartMeta(s.input.chartYaml.text)?.name;
    return name ? [name] : [];
  }));
}

/** A dependency's `condition`: the first of its comma-separated value paths that holds a boolean decides; none: enabled. */
function enabled(condition: string | undefined, values: GoMap): boolean {
  for (const path of (condition ?? '').split(',').map((p) => p.trim()).filter(Boolean)) {
    let cur: unknown = values;
    for (const key of path.split('.')) cur = isGoMap(cur) ? cur.get(key) : undefined;
    if (typeof cur === 'boolean') return cur;
  }
  return true;
}

/**
 * Where a stretch of the rendering was written: the values scalar that printed (most of) it, else the template
 * text it is (exactly, for literal text), else the action that printed it.
 */
export function locate(rendered: Rendered, target: OffsetRange, templateUri: string, whole: OffsetRange = target, inTemplate = false): { uri: string; range: OffsetRange } | null {
  const overlaps = (s: Span) => (target.end > target.start ? s.start < target.end && s.end > target.start : s.start <= target.start && target.start < s.end);
  const spans = rendered.spans.filter((s) => s.source !== MISSING && overlaps(s));
  if (spans.length === 0) return null;
  const overlap = (s: Span) => Math.min(s.end, target.end) - Math.max(s.start, target.start);
  const fromValues = spans.filter((s) => s.source.written !== undefined).sort((a, b) => overlap(b) - overlap(a));
  if (fromValues.length > 0 && !inTemplate) return { uri: fromValues[0].source.uri, range: fromValues[0].source.range };
  // Literal template text: the whole finding where it is all literal (an image written out), else the part at fault.
  const literalFor = (r: OffsetRange) => rendered.spans.find((s) => s.source.uri === templateUri && s.start <= r.start && s.end >= r.end && s.end - s.start === s.source.range.end - s.source.range.start);
  for (const r of [whole, target]) {
    const literal = literalFor(r);
    if (literal) {
      const shift = literal.source.range.start - literal.start;
      return { uri: templateUri, range: { start: r.start + shift, end: r.end + shift } };
    }
  }
  // Printed by actions: from the first to the last piece of the template that wrote it (literal text exactly,
  // an action whole).
  const pieces = rendered.spans.filter((s) => s.start < whole.end && s.end > whole.start).flatMap((s): OffsetRange[] => {
    if (s.source.uri === templateUri && s.end - s.start === s.source.range.end - s.source.range.start) {
      const shift = s.source.range.start - s.start;
      return [{ start: Math.max(s.start, whole.start) + shift, end: Math.min(s.end, whole.end) + shift }];
    }
    if (s.via?.uri === templateUri) return [s.via.range];
    return s.source.uri === templateUri ? [s.source.range] : [];
  });
  if (pieces.length === 0) return inTemplate ? null : { uri: spans[0].source.uri, range: spans[0].source.range };
  return { uri: templateUri, range: { start: Math.min(...pieces.map((p) => p.start)), end: Math.max(...pieces.map((p) => p.end)) } };
}

/** A fix's edits moved onto the values scalars they replace exactly; a fix with any other edit is dropped. */
function transplant(fixes: readonly Fix[], rendered: Rendered, texts: ReadonlyMap<string, string>): Fix[] {
  return fixes.flatMap((fix) => {
    const edits = fix.edits.map((e) => {
      const span = rendered.spans.find((s) => s.start <= e.start && s.end >= e.end && s.source.written !== undefined);
      const written = span?.source.written;
      if (!span || written === undefined || e.start !== span.start || e.end !== span.end) return null;
      const text = texts.get(span.source.uri);
      if (text === undefined || text.slice(span.source.range.start, span.source.range.end) !== rendered.text.slice(span.start, span.end)) return null;
      return { ...e, start: span.source.range.start, end: span.source.range.end, uri: span.source.uri };
    });
    if (edits.some((e) => e === null)) return [];
    const uris = new Set(edits.map((e) => e!.uri));
    if (uris.size !== 1) return [];
    return [{ ...fix, edits: edits.map((e) => ({ start: e!.start, end: e!.end, newText: e!.newText })) }];
  });
}

/**
 * helm-numeric-tag: a values scalar that go-yaml reads as a number and that Helm prints differently from how it
 * is written (`1.10` → `1.1`, `2.0` → `2`, `1000000` → `1e+06`) inside a rendered image. Reported on the scalar.
 */
function numericTags(analysis: Analysis, rendered: Rendered, settings: Settings, unjudged: (r: OffsetRange) => boolean): { uri: string; ruleId: string; range: OffsetRange; finding: Finding }[] {
  const severity = severityOf(HELM_NUMERIC_TAG, helmNumericTag.defaultSeverity, settings);
  if (!severity) return [];
  const out: { uri: string; ruleId: string; range: OffsetRange; finding: Finding }[] = [];
  for (const fact of analysis.images) {
    if (!fact.range || fact.image === null || unjudged(fact.range)) continue;
    for (const s of rendered.spans) {
      const src: Source = s.source;
      if (!src.number || src.written === undefined || s.start < fact.range.start || s.end > fact.range.end) continue;
      const printed = rendered.text.slice(s.start, s.end);
      if (printed === src.written) continue;
      out.push({
        uri: src.uri, ruleId: HELM_NUMERIC_TAG, range: src.range,
        finding: {
          ruleId: HELM_NUMERIC_TAG, severity,
          message: `This number renders as "${printed}", so the image is "${fact.image}"; quote it`,
          detail: `Helm reads values with go-yaml: an unquoted ${src.written} is a number, and Go prints it as ${printed}. Quoted, it stays the tag as written.`,
          range: src.range,
          fixes: [{ title: `Quote it: "${src.written}"`, edits: [{ start: src.range.start, end: src.range.end, newText: `"${src.written}"` }], isPreferred: true, fixAll: true }],
        },
      });
    }
  }
  return out;
}
