/**
 * Releases of the workspace's charts declared in manifests: a Flux `HelmRelease` whose chart is a path in its Git
 * repository (`spec.chart.spec.chart: ./charts/web`), an Argo CD `Application` whose source `path` is a chart.
 * Their values (`spec.values`; `helm.valuesObject` or the `helm.values` string, `helm.valueFiles`) override the chart's, and findings they
 * cause are reported in the manifest, on the line that supplies the value.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { readValuesAt, type GoMap } from '../service/index';

/** A manifest file that may declare releases: its path, URI and text. */
export interface ReleaseFile {
  file: string;
  uri: string;
  text: string;
}

export interface Release<F extends ReleaseFile = ReleaseFile> {
  file: F;
  /** The chart directory (absolute). */
  chartRoot: string;
  /** Values files (absolute), over the chart's values.yaml, in order. */
  valueFiles: string[];
  inline: GoMap | null;
}

/** The nearest directory at or above `dir` with `.git`, else null. */
function repositoryRoot(dir: string): string | null {
  for (let d = dir, i = 0; i < 30; i++) {
    if (existsSync(join(d, '.git'))) return d;
    const up = dirname(d);
    if (up === d) return null;
    d = up;
  }
  return null;
}

/** The releases the files declare; `cwd` stands for the repository's root when no `.git` is found above a file. */
export function releasesIn<F extends ReleaseFile>(loaded: readonly F[], cwd: string): Release<F>[] {
  const out: Release<F>[] = [];
  for (const file of loaded) {
    // A template (an app-of-apps chart) is not a release as written: its rendering would be.
    if (!/\bkind:\s*(HelmRelease|Application)\b/.test(file.text) || file.text.includes('{{')) continue;
    const base = repositoryRoot(dirname(file.file)) ?? cwd;
    let docs: ReturnType<typeof parseAllDocuments>;
    try {
      docs = parseAllDocuments(file.text);
    } catch {
      continue;
    }
    if (!Array.isArray(docs)) continue;
    docs.forEach((doc, index) => {
      const js = doc.errors.length === 0 ? (doc.toJS() as Record<string, any> | null) : null;
      if (!js || typeof js !== 'object') return;
      if (js.kind === 'HelmRelease' && String(js.apiVersion ?? '').startsWith('helm.toolkit.fluxcd.io/')) {
        const spec = js.spec?.chart?.spec;
        const source = spec?.sourceRef?.kind;
        if (typeof spec?.chart !== 'string' || (source !== undefined && source !== 'GitRepository')) return;
        const valueFiles = Array.isArray(spec.valuesFiles) ? spec.valuesFiles.filter((v: unknown) => typeof v === 'string').map((v: string) => resolve(base, v)) : [];
        out.push({ file, chartRoot: resolve(base, spec.chart), valueFiles, inline: readValuesAt(file.text, file.uri, index, ['spec', 'values']) });
      }
      if (js.kind === 'Application' && String(js.apiVersion ?? '').startsWith('argoproj.io/')) {
        const sources: [Record<string, any>, (string | number)[]][] = js.spec?.source ? [[js.spec.source, ['spec', 'source']]]
          : Array.isArray(js.spec?.sources) ? js.spec.sources.map((s: Record<string, any>, i: number) => [s, ['spec', 'sources', i]]) : [];
        for (const [s, at] of sources) {
          if (typeof s?.path !== 'string' || s.chart !== undefined) continue;
          const chartRoot = resolve(base, s.path);
          const valueFiles = Array.isArray(s.helm?.valueFiles) ? s.helm.valueFiles.filter((v: unknown) => typeof v === 'string').map((v: string) => resolve(chartRoot, v)) : [];
          // Argo CD uses `valuesObject` when it is set, else the `values` string.
          const key = s.helm?.valuesObject !== undefined ? 'valuesObject' : 'values';
          out.push({ file, chartRoot, valueFiles, inline: readValuesAt(file.text, file.uri, index, [...at, 'helm', key]) });
        }
      }
    });
  }
  return out;
}
