/**
 * Helm charts among the CLI's files: a directory with Chart.yaml. Its templates (all of templates/, helpers
 * included) are rendered with its values.yaml, the `--values` files and `--set` (service/helm/chart.ts), and
 * the findings replace the plain ones of the templates; findings caused by a value land in its values file.
 */
import { existsSync, lstatSync, readdirSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { basename, dirname, join, relative, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { analyze, analyzeChart, chartMeta, type Analysis, type ChartInput, type RegistryClient, type Settings, type WorkspaceIndex } from '../service/index';
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
const MAX_TEMPLATES = 2000;
const MAX_FILES = 500;

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
  for (const chartYaml of loaded.filter((f) => basename(f.file) === 'Chart.yaml')) {
    const root = dirname(chartYaml.file);
    const read = (file: string): string | null => {
      try {
        const refused = notARegularFile(file);
        if (refused) return null;
        return decodeText(readBounded(file, MAX_TEMPLATE_BYTES)).text;
      } catch (e) {
        errors.add(describeFsError(relative(cwd, file).split(sep).join('/'), e));
        return null;
      }
    };
    const values: ChartInput['values'] = [];
    const own = join(root, 'values.yaml');
    const ownText = existsSync(own) ? read(own) : null;
    if (ownText !== null) values.push({ uri: pathToFileURL(own).href, text: ownText });
    const subchart = basename(dirname(root)) === 'charts' && existsSync(join(dirname(dirname(root)), 'Chart.yaml'));
    if (!subchart) for (const v of options.values) { const t = read(v); if (t !== null) values.push({ uri: pathToFileURL(v).href, text: t }); }
    const templates = templateFiles(join(root, 'templates')).flatMap((file) => {
      const text = read(file);
      const name = `${basename(root)}/templates/${relative(join(root, 'templates'), file).split(sep).join('/')}`;
      return text === null ? [] : [{ uri: pathToFileURL(file).href, name, text }];
    });
    const dependencies = dependencyRoots(root, chartYaml.text, chartRoots).flatMap((dep) => templateFiles(join(dep, 'templates')).flatMap((file) => {
      const text = read(file);
      const name = `${basename(dep)}/templates/${relative(join(dep, 'templates'), file).split(sep).join('/')}`;
      return text === null ? [] : [{ uri: pathToFileURL(file).href, name, text }];
    }));
    // The chart's other files, for .Files.Get and .Files.Glob (not its templates and subcharts).
    const files: Record<string, string> = {};
    for (const file of templateFiles(root, (rel) => rel === 'templates' || rel === 'charts').slice(0, MAX_FILES)) {
      const text = read(file);
      if (text !== null) files[relative(root, file).split(sep).join('/')] = text;
    }
    const settings = chartYaml.settings;
    const result = analyzeChart({ chartYaml: { uri: chartYaml.uri, text: chartYaml.text }, values, set: subchart ? [] : options.set, templates, dependencies, files }, settings, index, { registry: registryFor?.(settings) });
    if (!result) continue;
    for (const n of result.notes) notes.push(`${relative(cwd, root).split(sep).join('/') || '.'}: ${n}`);
    const texts = new Map([...values, ...templates].map((f) => [f.uri, f.text]));
    for (const [uri, found] of result.files) {
      const file = byUri.get(uri);
      const text = file?.text ?? texts.get(uri);
      if (text === undefined) continue;
      const path = file?.path ?? relative(cwd, new URL(uri).pathname).split(sep).join('/');
      const base: Analysis = analyze(text, settings, { uri });
      const rendered = result.rendered.has(uri);
      const analysis: Analysis = rendered
        ? { ...base, findings: found.findings, images: found.images }
        : { ...base, findings: [...base.findings, ...found.findings] };
      reports.set(uri, fileReport(path, analysis));
    }
  }
  return reports;
}

/**
 * Where a chart's dependencies are: vendored under charts/ (unpacked), a `file://` repository, or — for one fetched
 * from a registry, as Bitnami's `common` is — a chart of that name linted alongside or beside this one (a monorepo
 * holds the source of what it publishes).
 */
function dependencyRoots(root: string, chartYaml: string, known: ReadonlyMap<string, string>): string[] {
  let deps: { name?: unknown; repository?: unknown }[] = [];
  try {
    const js = parseYaml(chartYaml) as { dependencies?: unknown } | null;
    if (Array.isArray(js?.dependencies)) deps = js.dependencies as typeof deps;
  } catch {
    return [];
  }
  return deps.flatMap((d) => {
    if (typeof d?.name !== 'string') return [];
    const candidates = [
      join(root, 'charts', d.name),
      ...(typeof d.repository === 'string' && d.repository.startsWith('file://') ? [join(root, d.repository.slice('file://'.length))] : []),
      ...(known.has(d.name) ? [known.get(d.name)!] : []),
      join(dirname(root), d.name),
    ];
    const found = candidates.find((c) => c !== root && existsSync(join(c, 'Chart.yaml')));
    return found ? [found] : [];
  });
}

/** Every regular file under `dir` (symbolic links and hidden files left out), sorted, at most MAX_TEMPLATES. */
function templateFiles(dir: string, skip: (relativeDir: string) => boolean = () => false): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    if (d !== dir && skip(relative(dir, d).split(sep).join('/'))) return;
    let names: string[];
    try {
      names = readdirSync(d).sort();
    } catch {
      return;
    }
    for (const name of names) {
      if (name.startsWith('.') || out.length >= MAX_TEMPLATES) continue;
      const p = join(d, name);
      const st = lstatSync(p);
      if (st.isDirectory()) walk(p);
      else if (st.isFile()) out.push(p);
    }
  };
  walk(dir);
  return out;
}
