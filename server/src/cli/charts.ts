/**
 * Helm charts among the CLI's files: a directory with Chart.yaml. Its templates (all of templates/, helpers
 * included) are rendered with its values.yaml, the `--values` files and `--set` (service/helm/chart.ts), and
 * the findings replace the plain ones of the templates; findings caused by a value land in its values file.
 */
import { existsSync } from 'node:fs';
import { basename, dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { releasesIn } from '../node/helmReleases';
import { readChart } from '../node/chartFiles';
import { analyze, analyzeChart, applyEdits, chartMeta, type Analysis, type ChartInput, type ChartResult, type Finding, type RegistryClient, type Settings, type WorkspaceIndex } from '../service/index';
import { decodeText, encodeText, notARegularFile, readBounded } from '../node/textFile';
import { writeIfUnchanged } from '../node/safeWrite';
import { fileReport, type ReportFile } from './report';
import { describeFsError } from './walk';
import type { LoadedFile } from './lint';

export interface ChartOptions {
  /** `--values` files (absolute), applied to every chart that is not another chart's subchart. */
  values: string[];
  set: string[];
  /** `--fix`: apply the safe fixes of values lines to the values files (atomically, only if unchanged since read). */
  fix?: { roots: readonly string[]; fixed: (path: string) => void };
}

const MAX_TEMPLATE_BYTES = 4 * 1024 * 1024;

/**
 * Reports of every chart found among `loaded` (by its Chart.yaml), keyed by file URI: they replace the plain
 * reports of rendered templates and add the values files' findings. `notes` gets a sentence per template that
 * could not be rendered.
 */
export function lintCharts(loaded: readonly LoadedFile[], cwd: string, index: WorkspaceIndex, options: ChartOptions, errors: Set<string>, notes: string[], registryFor?: (s: Settings) => RegistryClient, releaseFindings: Map<string, Finding[]> = new Map()): Map<string, ReportFile> {
  const reports = new Map<string, ReportFile>();
  const byUri = new Map(loaded.map((f) => [f.uri, f]));
  const chartRoots = new Map<string, string>();
  for (const f of loaded) if (basename(f.file) === 'Chart.yaml') { const m = chartMeta(f.text); if (m) chartRoots.set(m.name, dirname(f.file)); }
  const read = (file: string): string | null => {
    try {
      if (notARegularFile(file)) return null;
      return decodeText(readBounded(file, MAX_TEMPLATE_BYTES)).text;
    } catch (e) {
      errors.add(describeFsError(relative(cwd, file).split(sep).join('/'), e));
      return null;
    }
  };
  for (const chartYaml of loaded.filter((f) => basename(f.file) === 'Chart.yaml')) {
    const root = dirname(chartYaml.file);
    // --values and --set are for the charts named, not for the subcharts vendored under their charts/.
    const parentChart = join(dirname(dirname(root)), 'Chart.yaml');
    const subchart = basename(dirname(root)) === 'charts' && existsSync(parentChart);
    // A vendored subchart is rendered with its parent, when the parent is linted too.
    if (subchart && loaded.some((f) => f.file === parentChart)) continue;
    let input = readChart(root, read, subchart ? [] : options.values, chartRoots);
    if (!input) continue;
    const settings = chartYaml.settings;
    // The renderings join the workspace (what the chart applies: its Secrets count for pull-secret rules).
    const run = (chart: ChartInput, indexRenderings: boolean) => analyzeChart({ ...chart, set: subchart ? [] : options.set }, settings, index, { registry: registryFor?.(settings) }, indexRenderings);
    let result = run(input, !options.fix);
    // --fix: the values files' safe fixes, then the chart again, as it now renders.
    if (result && options.fix) {
      if (fixValues(input.values, result, cwd, options.fix, errors) > 0) input = readChart(root, read, subchart ? [] : options.values, chartRoots);
      result = input ? run(input, true) : null;
    }
    if (!result || !input) continue;
    for (const n of result.notes) notes.push(`${relative(cwd, root).split(sep).join('/') || '.'}: ${n}`);
    const texts = new Map([...input.values, ...input.templates].map((f) => [f.uri, f.text]));
    for (const [uri, found] of result.files) {
      const file = byUri.get(uri);
      const text = file?.text ?? texts.get(uri);
      if (text === undefined) continue;
      const path = file?.path ?? relative(cwd, fileURLToPath(uri)).split(sep).join('/');
      const base: Analysis = analyze(text, settings, { uri });
      const analysis: Analysis = result.rendered.has(uri)
        ? { ...base, findings: found.findings, images: found.images }
        : { ...base, findings: [...base.findings, ...found.findings] };
      reports.set(uri, fileReport(path, analysis));
    }
  }
  // Releases declared in manifests (Flux HelmRelease, Argo CD Application): what their values bring, in them.
  for (const release of releasesIn(loaded, cwd)) {
    const chartYaml = loaded.find((f) => f.file === join(release.chartRoot, 'Chart.yaml'));
    if (!chartYaml) continue;
    const input = readChart(release.chartRoot, read, release.valueFiles.filter((f) => existsSync(f)), chartRoots);
    if (!input) continue;
    const result = analyzeChart({ ...input, ...(release.inline ? { inline: release.inline } : {}) }, chartYaml.settings, index, { registry: registryFor?.(chartYaml.settings) }, false);
    // Only what the release's own values cause; the chart's defaults are reported by the chart itself.
    const here = result?.files.get(release.file.uri)?.findings ?? [];
    if (here.length > 0) releaseFindings.set(release.file.uri, [...(releaseFindings.get(release.file.uri) ?? []), ...here]);
  }
  return reports;
}

/** Applies each values file's fix-all fixes (the first safe fix of each finding, no two overlapping); returns how many files it wrote. */
function fixValues(values: ChartInput['values'], result: ChartResult, cwd: string, fix: NonNullable<ChartOptions['fix']>, errors: Set<string>): number {
  let written = 0;
  for (const v of values) {
    if (!v.uri.startsWith('file:')) continue;
    const edits = (result.files.get(v.uri)?.findings ?? []).flatMap((f) => f.fixes.find((x) => x.fixAll)?.edits ?? []).sort((a, b) => a.start - b.start);
    const kept = edits.filter((e, i) => i === 0 || e.start >= edits[i - 1].end);
    if (kept.length === 0) continue;
    const fixedText = applyEdits(v.text, kept);
    if (fixedText === v.text) continue;
    const file = fileURLToPath(v.uri);
    const path = relative(cwd, file).split(sep).join('/');
    try {
      const bytes = readBounded(file, MAX_TEMPLATE_BYTES);
      const decoded = decodeText(bytes);
      if (decoded.text !== v.text) { errors.add(`${path} changed while it was linted, so its fixes were not applied.`); continue; }
      const refused = writeIfUnchanged(file, bytes, encodeText(fixedText, decoded), fix.roots, path);
      if (refused) { errors.add(refused); continue; }
      fix.fixed(path);
      written++;
    } catch (e) {
      errors.add(`${path} cannot be written, so its fixes were not applied: ${(e as Error).message}`);
    }
  }
  return written;
}
