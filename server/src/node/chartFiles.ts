/**
 * Reading a Helm chart from disk (shared by the CLI and the language server): its Chart.yaml, values.yaml, the
 * files under templates/ (helpers included), its other files (for `.Files`), and the templates of its
 * dependencies — vendored under charts/, named by a `file://` repository, or a chart of that name beside it (a
 * monorepo holds the source of what it publishes, as Bitnami's repository holds `common`). `read` gives a
 * file's text (an editor's unsaved text first) or null.
 */
import { existsSync, lstatSync, readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join, relative, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { parseTar } from 'nanotar';
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
export function readChart(root: string, read: ReadText, overrides: readonly string[] = [], known: ReadonlyMap<string, string> = new Map()): ChartInput | null {
  return readChartIn(diskTree(read), root, overrides, known, 0);
}

/** Where a chart's files are read from: the disk, or a packaged chart (`charts/redis-17.0.0.tgz`). */
interface Tree {
  read(file: string): string | null;
  isFile(file: string): boolean;
  /** The entries of a directory, sorted by name. */
  list(dir: string): { path: string; dir: boolean }[];
  /** True for the disk: dependencies may be found beside the chart, by `file://` or by name. */
  disk: boolean;
}

function readChartIn(tree: Tree, root: string, overrides: readonly string[], known: ReadonlyMap<string, string>, depth: number): ChartInput | null {
  const chartYaml = tree.read(join(root, 'Chart.yaml'));
  if (chartYaml === null) return null;
  const values: ChartInput['values'] = [];
  for (const file of [join(root, 'values.yaml'), ...overrides]) {
    const text = tree.isFile(file) ? tree.read(file) : null;
    if (text !== null) values.push({ uri: pathToFileURL(file).href, text });
  }
  const templatesOf = (t: Tree, dir: string) => listFiles(t, join(dir, 'templates')).flatMap((file) => {
    const text = t.read(file);
    const name = `${basename(dir)}/templates/${relative(join(dir, 'templates'), file).split(sep).join('/')}`;
    return text === null ? [] : [{ uri: pathToFileURL(file).href, name, text }];
  });
  const files: Record<string, string> = {};
  for (const file of listFiles(tree, root, (rel) => rel === 'templates' || rel === 'charts').slice(0, MAX_FILES)) {
    const text = tree.read(file);
    if (text !== null) files[relative(root, file).split(sep).join('/')] = text;
  }
  // Vendored application charts are subcharts, rendered with the parent; libraries (and charts found elsewhere)
  // lend their named templates only. `helm dependency build` vendors them as archives.
  const entries = dependencyEntries(chartYaml);
  const vendored = depth < 5 ? vendoredCharts(tree, join(root, 'charts')) : [];
  const subcharts: NonNullable<ChartInput['subcharts']> = [];
  const libraries: { tree: Tree; dir: string }[] = [];
  for (const { tree: t, dir } of vendored) {
    const text = t.read(join(dir, 'Chart.yaml'));
    const meta = text === null ? null : (parseYamlSafe(text) as { name?: unknown; type?: unknown } | null);
    if (meta?.type === 'library') { libraries.push({ tree: t, dir }); continue; }
    const sub = readChartIn(t, dir, [], known, depth + 1);
    const entry = entries.find((e) => e.name === meta?.name || e.name === basename(dir));
    if (sub) subcharts.push({ input: sub, ...(typeof entry?.alias === 'string' ? { alias: entry.alias } : {}), ...(typeof entry?.condition === 'string' ? { condition: entry.condition } : {}) });
  }
  // A dependency vendored (as a directory or an archive) is not read again from beside the chart.
  const elsewhere = tree.disk ? dependencyRoots(root, chartYaml, known).filter((d) => !vendored.some((v) => v.dir === d || basename(v.dir) === basename(d))) : [];
  return {
    chartYaml: { uri: pathToFileURL(join(root, 'Chart.yaml')).href, text: chartYaml },
    values,
    templates: templatesOf(tree, root),
    dependencies: [...libraries.flatMap((l) => templatesOf(l.tree, l.dir)), ...elsewhere.flatMap((d) => templatesOf(tree, d))],
    files,
    subcharts,
  };
}

/**
 * The charts under a chart's charts/: directories with Chart.yaml, and packaged charts (`*.tgz`, read whole into
 * memory, bounded) whose single top directory is the chart. A directory and an archive of the same chart: the
 * directory (what someone unpacked to edit).
 */
function vendoredCharts(tree: Tree, dir: string): { tree: Tree; dir: string }[] {
  const out: { tree: Tree; dir: string }[] = [];
  const entries = tree.list(dir);
  for (const e of entries) if (e.dir && tree.isFile(join(e.path, 'Chart.yaml'))) out.push({ tree, dir: e.path });
  if (!tree.disk) return out;
  for (const e of entries) {
    if (e.dir || !/\.tgz$/i.test(e.path)) continue;
    const archive = archiveTree(e.path);
    if (archive && !out.some((o) => basename(o.dir) === basename(archive.root))) out.push({ tree: archive.tree, dir: archive.root });
  }
  return out;
}

function diskTree(read: ReadText): Tree {
  return {
    read,
    isFile: (file) => existsSync(file),
    list: (dir) => {
      try {
        return readdirSync(dir).sort().flatMap((n): { path: string; dir: boolean }[] => {
          const path = join(dir, n);
          try {
            const st = lstatSync(path);
            return st.isDirectory() ? [{ path, dir: true }] : st.isFile() ? [{ path, dir: false }] : [];
          } catch {
            return [];
          }
        });
      } catch {
        return [];
      }
    },
    disk: true,
  };
}

const MAX_ARCHIVE_BYTES = 20 * 1024 * 1024;
const MAX_UNPACKED_BYTES = 100 * 1024 * 1024;

/**
 * A packaged chart as a tree whose paths are under the archive's own path (`…/charts/redis-17.0.0.tgz/redis/…`):
 * URIs of its files then name the archive and the file in it. Null when it is not a readable chart archive.
 */
function archiveTree(file: string): { tree: Tree; root: string } | null {
  let members: { name: string; type?: string; data?: Uint8Array }[];
  try {
    const packed = readFileSync(file);
    if (packed.length > MAX_ARCHIVE_BYTES) return null;
    members = parseTar(gunzipSync(packed, { maxOutputLength: MAX_UNPACKED_BYTES }));
  } catch {
    return null;
  }
  const texts = new Map<string, string>();
  const dirs = new Map<string, Set<string>>();
  const add = (parent: string, child: string) => {
    let set = dirs.get(parent);
    if (!set) dirs.set(parent, (set = new Set()));
    set.add(child);
  };
  for (const m of members) {
    // Only plain relative names: nothing of an archive is ever written, but a name must not reach outside it.
    const parts = m.name.replace(/\/+$/, '').split('/');
    if (m.type !== 'file' || parts.some((p) => p === '' || p === '.' || p === '..') || !m.data) continue;
    const path = join(file, ...parts);
    texts.set(path, new TextDecoder('utf-8').decode(m.data));
    for (let i = parts.length; i > 0; i--) add(join(file, ...parts.slice(0, i - 1)), join(file, ...parts.slice(0, i)));
  }
  const tops = [...(dirs.get(file) ?? [])].filter((d) => texts.has(join(d, 'Chart.yaml')));
  if (tops.length !== 1) return null;
  const tree: Tree = {
    read: (f) => texts.get(f) ?? null,
    isFile: (f) => texts.has(f),
    list: (dir) => [...(dirs.get(dir) ?? [])].sort().map((path) => ({ path, dir: dirs.has(path) })),
    disk: false,
  };
  return { tree, root: tops[0] };
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

/** Every regular file under `dir` (hidden entries left out), sorted, at most MAX_TEMPLATES. */
function listFiles(tree: Tree, dir: string, skip: (relativeDir: string) => boolean = () => false): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    if (d !== dir && skip(relative(dir, d).split(sep).join('/'))) return;
    for (const e of tree.list(d)) {
      if (basename(e.path).startsWith('.') || out.length >= MAX_TEMPLATES) continue;
      if (e.dir) walk(e.path);
      else out.push(e.path);
    }
  };
  walk(dir);
  return out;
}
