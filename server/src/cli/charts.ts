/**
 * Helm charts among the CLI's files: a directory with Chart.yaml. Its templates (all of templates/, helpers
 * included) are rendered with its values.yaml, the `--values` files and `--set` (service/helm/chart.ts), and
 * the findings replace the plain ones of the templates; findings caused by a value land in its values file.
 */
import { existsSync } from 'node:fs';
import { basename, dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readChart } from '../node/chartFiles';
import { analyze, analyzeChart, chartMeta, type Analysis, type RegistryClient, type Settings, type WorkspaceIndex } from '../service/index';
import { decodeText, notARegularFile, readBounded } from '../node/textFile';
import { fileReport, type ReportFile } from './report';
import { describeFsError } from './walk';
import type { LoadedFile } from './lint';

export interface ChartOptions {
  /** `--values` files (absolute), applied to every chart that is not another chart's subchart. */
  values: string[];
  set: string[];
}

const MAX_TEMPLATE_BYTES = 4 * 1024 * 1024;

/**
 * Reports of every chart found among `loaded` (by its Chart.yaml), keyed by file URI: they replace the plain
 * reports of rendered templates and add the values files' findings. `notes` gets a sentence per template that
 * could not be rendered.
 */
export function lintCharts(loaded: readonly LoadedFile[], cwd: string, index: WorkspaceIndex, options: ChartOptions, errors: Set<string>, notes: string[], registryFor?: (s: Settings) => RegistryClient): Map<string, ReportFile> {
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
    const input = readChart(root, read, subchart ? [] : options.values, chartRoots);
    if (!input) continue;
    const settings = chartYaml.settings;
    const result = analyzeChart({ ...input, set: subchart ? [] : options.set }, settings, index, { registry: registryFor?.(settings) });
    if (!result) continue;
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
  return reports;
}
