import { readFileSync } from 'node:fs';
import { writeIfUnchanged } from '../node/safeWrite';
import { dirname, relative, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { analyze, defaultSettings, DocumentCache, excludeProblems, fixAllText, isExcluded, podSpecPathProblems, WorkspaceIndex, type Analysis, type Finding, type RegistryClient, type Settings } from '../service/index';
import { emptyEntry, mayContribute } from '../service/workspace/extract';
import type { FileEntry } from '../service/workspace/types';
import { decodeText, encodeText, JSON_FILE, mayHoldKubernetesJson, notARegularFile, readBounded, type DecodedText } from '../node/textFile';
import { ConfigError, findConfigFile, readConfigFile } from '../node/configFile';
import type { LintPool } from './parallel';
import { fileReport, type ReportFile } from './report';
import { describeFsError } from './walk';
import { lintCharts, type ChartOptions } from './charts';

/**
 * Settings per file: one `--config FILE` for all, or the nearest `.k8s-image-lint.yaml` of each file's
 * directory (defaults when there is none). Lookups and loads are cached, so a broken config file is one
 * ConfigError, reported once rather than once per file.
 */
export class SettingsResolver {
  private readonly configOfDir = new Map<string, string | null>();
  private readonly loaded = new Map<string, Settings | ConfigError>();
  private readonly defaults = defaultSettings();

  private readonly adjusted = new WeakMap<Settings, Settings>();

  /**
   * `fixed`: the settings of `--config FILE`, or null to look for the nearest config file. `adjust` changes
   * every file's settings the same way (`--resolve` turns registry lookups to `auto`).
   */
  constructor(private readonly fixed: Settings | null, private readonly adjust?: (s: Settings) => Settings) {}

  private readonly seen = new Set<Settings>();
  private readonly warnings = new Set<string>();

  /** Settings problems worth a warning (a `podSpecPaths` entry that can never match), each once, of every file's settings. */
  problems(): string[] {
    return [...new Set([...this.warnings, ...[...this.seen].flatMap((s) => [...podSpecPathProblems(s.podSpecPaths), ...excludeProblems(s.exclude)])])];
  }

  /** Warnings about a config file read elsewhere (`--config FILE`), reported with the others. */
  warn(warnings: readonly string[]): void {
    for (const w of warnings) this.warnings.add(w);
  }

  forFile(file: string): Settings | ConfigError {
    const found = this.find(file);
    if (!(found instanceof ConfigError)) this.seen.add(found);
    if (found instanceof ConfigError || !this.adjust) return found;
    let adjusted = this.adjusted.get(found);
    if (!adjusted) this.adjusted.set(found, (adjusted = this.adjust(found)));
    return adjusted;
  }

  private find(file: string): Settings | ConfigError {
    if (this.fixed) return this.fixed;
    const dir = dirname(file);
    let config = this.configOfDir.get(dir);
    if (config === undefined) this.configOfDir.set(dir, (config = findConfigFile(dir)));
    if (config === null) return this.defaults;
    let settings = this.loaded.get(config);
    if (!settings) {
      try {
        const read = readConfigFile(config);
        settings = read.settings;
        for (const w of read.warnings) this.warnings.add(w);
      } catch (e) {
        if (!(e instanceof ConfigError)) throw e;
        settings = e;
      }
      this.loaded.set(config, settings);
    }
    return settings;
  }
}

/** `--resolve`: the registry client for a file's settings (its answers already cached). */
export type RegistryFor = (settings: Settings) => RegistryClient;

export interface LintResult {
  files: ReportFile[];
  /** How many files `--fix` rewrote. */
  fixedFiles: number;
  /** Sentences for files or config files that could not be read or written (each once). */
  errors: string[];
  /** Sentences worth a note (a chart template that could not be rendered). */
  notes: string[];
}

/** Ends a message taken from elsewhere (an fs or YAML error) with a full stop, so another sentence can follow. */
export function sentence(message: string): string {
  return /[.!?]$/.test(message) ? message : `${message}.`;
}

/** A file read (and fixed) for linting, with its settings. */
export interface LoadedFile {
  file: string;
  /** Relative to the working directory, `/`-separated. */
  path: string;
  uri: string;
  text: string;
  settings: Settings;
}

/**
 * Reads, optionally fixes (writing only changed files), and analyses each file. All files form one workspace:
 * they are indexed first, so a pod's pull secrets are looked up among every file given. A file that cannot be
 * read, or whose config file is broken, is left out of the report and named in `errors`. With a `pool` (and no
 * registry: its client lives in this thread), the analyses run on its worker threads; the result is the same.
 */
export async function lintFiles(files: readonly string[], cwd: string, fix: boolean, settings: SettingsResolver, registryFor?: RegistryFor, roots: readonly string[] = [cwd], piped: readonly LoadedFile[] = [], charts: ChartOptions = { values: [], set: [] }, pool?: (files: number) => LintPool | undefined): Promise<LintResult> {
  const loaded = loadFiles(files, cwd, fix, settings, roots);
  loaded.files.push(...piped);
  const index = new WorkspaceIndex();
  const result: LintResult = { files: [], fixedFiles: loaded.fixedFiles, errors: [], notes: [] };
  const errors = new Set(loaded.errors);
  // The bin decides whether a run of this many files gets a pool; a registry client lives in this thread only.
  const started = registryFor ? undefined : pool?.(loaded.files.length);
  const parallel = started && started.size > 0 ? started : null;
  const asWorkerFiles = () => loaded.files.map((f) => ({ path: f.path, uri: f.uri, text: f.text, settings: f.settings }));
  // Each file is parsed once: the first pass yields its index entry, the second (with the whole workspace) reuses
  // the parse and the document-local findings through the file's DocumentCache (in the worker that holds it).
  let caches: DocumentCache[] = [];
  if (parallel) {
    const first = await parallel.index(asWorkerFiles());
    for (const e of first.errors.flat()) errors.add(e);
    for (const entry of first.entries) if (entry) index.set(entry);
  } else {
    caches = loaded.files.map((f) => {
      const documents = new DocumentCache();
      const entry = indexEntry(f, errors, documents);
      if (entry) index.set(entry);
      return documents;
    });
  }
  // Charts first: their renderings join the workspace, and their reports replace the templates' plain ones.
  const fixed = new Set<string>();
  const releaseFindings = new Map<string, Finding[]>();
  const chartReports = lintCharts(loaded.files, cwd, index, fix ? { ...charts, fix: { roots, fixed: (p) => fixed.add(p) } } : charts, errors, result.notes, registryFor, releaseFindings);
  result.fixedFiles += [...fixed].length;
  const second = parallel
    ? await parallel.report([...index.keys()].map((k) => index.entry(k)!), new Set(loaded.files.filter((f) => chartReports.has(f.uri)).map((f) => f.uri)), releaseFindings)
    : null;
  loaded.files.forEach((f, i) => {
    const chart = chartReports.get(f.uri);
    if (chart) {
      chartReports.delete(f.uri);
      result.files.push(chart);
      return;
    }
    if (second) {
      for (const e of second.errors[i]) errors.add(e);
      const report = second.reports[i];
      if (report) result.files.push(report);
      return;
    }
    const analysis = safely(f.path, errors, () => analyze(f.text, f.settings, { uri: f.uri, workspace: index, registry: registryFor?.(f.settings), documents: caches[i] }));
    caches[i] = new DocumentCache();
    if (analysis) result.files.push(fileReport(f.path, withReleased(analysis, releaseFindings.get(f.uri))));
  });
  // Helpers (`_helpers.tpl`) where a finding is written.
  result.files.push(...chartReports.values());
  result.errors = [...errors];
  return result;
}

/**
 * Round one for a file: its index entry, its parse kept in `documents` for round two. A file that cannot
 * contribute (`mayContribute`: no Secret, ServiceAccount, kustomization…) is not parsed yet: its entry is
 * empty, and round two parses it once and drops the parse. So only those few files' parses live through both
 * rounds, not every file's at once (garbage collection over all of them was a sixth of a corpus run).
 */
export function indexEntry(f: { path: string; uri: string; text: string; settings: Settings }, errors: Set<string>, documents: DocumentCache): FileEntry | null {
  if (!mayContribute(f.uri, f.text)) return emptyEntry(f.uri);
  return safely(f.path, errors, () => analyze(f.text, f.settings, { uri: f.uri, documents }))?.entry ?? null;
}

/** The analysis of a HelmRelease or Application with the findings its values cause in the chart it releases. */
export function withReleased(analysis: Analysis, released: readonly Finding[] = []): Analysis {
  return released.length ? { ...analysis, findings: [...analysis.findings, ...released].sort((a, b) => a.range.start - b.range.start) } : analysis;
}

/** Runs the (meant to be total) service; on a bug, names the file so it can be reported. */
export function safely(path: string, errors: Set<string>, run: () => Analysis): Analysis | null {
  try {
    return run();
  } catch (e) {
    errors.add(`Internal error while linting ${path}: ${(e as Error).stack ?? e}\nThis is a bug in k8s-image-lint; please report it with this file.`);
    return null;
  }
}

/** Reads each file (UTF-8, or UTF-16 by its byte-order mark; the mark is dropped) and, with `fix`, applies fix-all and writes changed files. */
export function loadFiles(files: readonly string[], cwd: string, fix: boolean, settings: SettingsResolver, roots: readonly string[] = [cwd]): { files: LoadedFile[]; fixedFiles: number; errors: string[] } {
  const out: LoadedFile[] = [];
  const errors = new Set<string>();
  let fixedFiles = 0;
  for (const file of files) {
    const path = relative(cwd, file).split(sep).join('/');
    const fileSettings = settings.forFile(file);
    if (fileSettings instanceof ConfigError) {
      errors.add(`${sentence(fileSettings.message)} Fix it to lint the files below it.`);
      continue;
    }
    if (isExcluded(fileSettings.exclude, file)) continue;
    let decoded: DecodedText;
    let bytes: Buffer;
    try {
      const refused = notARegularFile(file);
      if (refused) {
        errors.add(`${path} ${refused}.`);
        continue;
      }
      // Past maxFileSizeKb only enough is read to say so (the file-too-large finding); a huge file is never held.
      bytes = readBounded(file, fileSettings.maxFileSizeKb * 1024 * 4);
      decoded = decodeText(bytes);
    } catch (e) {
      errors.add(describeFsError(path, e));
      continue;
    }
    // JSON is read when it may hold Kubernetes objects; package.json and the like are no manifests.
    if (JSON_FILE.test(file) && !mayHoldKubernetesJson(decoded.text)) continue;
    // A byte-order mark is not part of the first line for editors; it is kept out of positions, and kept on write.
    let text = decoded.text;
    if (fix) {
      try {
        const fixed = fixAllText(text, fileSettings);
        if (fixed !== text) {
          try {
            const refused = writeIfUnchanged(file, bytes, encodeText(fixed, decoded), roots, path);
            if (refused) errors.add(refused);
            else {
              text = fixed;
              fixedFiles++;
            }
          } catch (e) {
            errors.add(`${path} cannot be written, so its fixes were not applied: ${(e as Error).message}`);
          }
        }
      } catch (e) {
        errors.add(`Internal error while fixing ${path}: ${(e as Error).stack ?? e}\nThis is a bug in k8s-image-lint; please report it with this file.`);
      }
    }
    out.push({ file, path, uri: pathToFileURL(file).href, text, settings: fileSettings });
  }
  return { files: out, fixedFiles, errors: [...errors] };
}
