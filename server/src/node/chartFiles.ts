/**
 * Reading a Helm chart from disk (shared by the CLI and the language server): its Chart.yaml, values.yaml, the
 * files under templates/ (helpers included), its other files (for `.Files`), and the templates of its
 * dependencies — vendored under charts/, named by a `file://` repository, or a chart of that name beside it (a
 * monorepo holds the source of what it publishes, as Bitnami's repository holds `common`). `read` gives a
 * file's text (an editor's unsaved text first) or null.
 */
import { existsSync, lstatSync, readdirSync } from 'node:fs';
import { basename, dirname, join, relative, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parse as parseYaml } from 'yaml';
import type { ChartInput } from '../service/index';

const MAX_TEMPLATES = 2000;
const MAX_FILES = 500;

export type ReadText = (file: string) => string | null;

/** The chart directory a file belongs to (the nearest directory above it with Chart.yaml), or null. */
export function chartRootOf(file: string): string | null {
  let dir = dirname(file);
  for (let i = 0; i < 8; i++) {
    if (existsSync(join(dir, 'Chart.yaml'))) return dir;
    const up = dirname(dir);
    if (up === dir) return null;
    dir = up;
  }
  return null;
}

/**
 * The chart at `root` as the engine takes it, with `overrides` (more values files, in -f order) after its
 * values.yaml. `known` names other chart roots by chart name, for dependencies fetched from a registry.
 */
export function readChart(root: string, read: ReadText, overrides: readonly string[] = [], known: ReadonlyMap<string, string> = new Map(), depth = 0): ChartInput | null {
  const chartYaml = read(join(root, 'Chart.yaml'));
  if (chartYaml === null) return null;
  const values: ChartInput['values'] = [];
  for (const file of [join(root, 'values.yaml'), ...overrides]) {
    const text = existsSync(file) ? read(file) : null;
    if (text !== null) values.push({ uri: pathToFileURL(file).href, text });
  }
  const templatesOf = (dir: string) => listFiles(join(dir, 'templates')).flatMap((file) => {
    const text = read(file);
    const name = `${basename(dir)}/templates/${relative(join(dir, 'templates'), file).split(sep).join('/')}`;
    return text === null ? [] : [{ uri: pathToFileURL(file).href, name, text }];
  });
  const files: Record<string, string> = {};
  for (const file of listFiles(root, (rel) => rel === 'templates' || rel === 'charts').slice(0, MAX_FILES)) {
    const text = read(file);
    if (text !== null) files[relative(root, file).split(sep).join('/')] = text;
  }
  // Vendored application charts are subcharts, rendered with the parent; libraries (and charts found elsewhere)
  // lend their named templates only.
  const entries = dependencyEntries(chartYaml);
  const vendored = depth < 5 ? listDirs(join(root, 'charts')).filter((d) => existsSync(join(d, 'Chart.yaml'))) : [];
  const subcharts: NonNullable<ChartInput['subcharts']> = [];
  const libraries: string[] = [];
  for (const dir of vendored) {
    const text = read(join(dir, 'Chart.yaml'));
    const meta = text === null ? null : (parseYamlSafe(text) as { name?: unknown; type?: unknown } | null);
    if (meta?.type === 'library') { libraries.push(dir); continue; }
    const sub = readChart(dir, read, [], known, depth + 1);
    const entry = entries.find((e) => e.name === meta?.name || e.name === basename(dir));
    if (sub) subcharts.push({ input: sub, ...(typeof entry?.alias === 'string' ? { alias: entry.alias } : {}), ...(typeof entry?.condition === 'string' ? { condition: entry.condition } : {}) });
  }
  const elsewhere = dependencyRoots(root, chartYaml, known).filter((d) => !vendored.includes(d));
  return {
    chartYaml: { uri: pathToFileURL(join(root, 'Chart.yaml')).href, text: chartYaml },
    values,
    templates: templatesOf(root),
    dependencies: [...libraries, ...elsewhere].flatMap(templatesOf),
    files,
    subcharts,
  };
}

function parseYamlSafe(text: string): unknown {
  try {
    return parseYaml(text);
  } catch {
    return null;
  }
}

function dependencyEntries(chartYaml: string): { name?: unknown; alias?: unknown; condition?: unknown; repository?: unknown }[] {
  const js = parseYamlSafe(chartYaml) as { dependencies?: unknown } | null;
  return Array.isArray(js?.dependencies) ? (js.dependencies as { name?: unknown }[]).filter((d) => d && typeof d === 'object') : [];
}

function listDirs(dir: string): string[] {
  try {
    return readdirSync(dir).sort().map((n) => join(dir, n)).filter((p) => { try { return lstatSync(p).isDirectory(); } catch { return false; } });
  } catch {
    return [];
  }
}

/** Where a chart's dependencies are (see the module comment). */
function dependencyRoots(root: string, chartYaml: string, known: ReadonlyMap<string, string>): string[] {
  return dependencyEntries(chartYaml).flatMap((d) => {
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

/** Every regular file under `dir` (symbolic links and hidden entries left out), sorted, at most MAX_TEMPLATES. */
function listFiles(dir: string, skip: (relativeDir: string) => boolean = () => false): string[] {
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
