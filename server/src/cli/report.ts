import { pulledManifest, type Analysis, type OffsetRange, type Severity } from '../service/index';

/** The CLI's report model: exactly the `--format json` document of SPEC §7. The other formats render it. */

export interface LspPosition {
  line: number;
  character: number;
}

/** 0-based LSP range (UTF-16 code units). */
export interface LspRange {
  start: LspPosition;
  end: LspPosition;
}

export interface ReportReference {
  valid: boolean;
  error: string | null;
  name: string | null;
  domain: string | null;
  path: string | null;
  tag: string | null;
  digest: string | null;
}

export interface ReportImage {
  image: string | null;
  document: number;
  kind: string;
  name: string | null;
  container: string | null;
  field: 'containers' | 'initContainers' | 'ephemeralContainers' | 'volumes';
  range: LspRange | null;
  /** Null when there is no image string or it is a template (`{{ … }}`): such values are not judged. */
  reference: ReportReference | null;
  pullPolicy: { effective: string; explicit: string | null; source: 'explicit' | 'default' };
  /**
   * Only with `--resolve`: what the registry said about the pulled reference (the digest when there is one, else
   * the tag): its digest now, or why not. Null for an image that is not checked (invalid, missing, a template).
   */
  resolved?: ReportResolved | null;
}

export type ReportResolved =
  | { digest: string; mediaType: string; multiArch: boolean }
  | { error: { kind: string; message: string } };

export interface ReportFinding {
  ruleId: string;
  severity: Severity;
  message: string;
  range: LspRange;
  /** In a rendered stream (`helm template`, `kustomize build`): the `# Source: PATH` the finding lies under. */
  source?: string;
}

export interface ReportFile {
  /** Relative to the working directory, `/`-separated. */
  path: string;
  images: ReportImage[];
  findings: ReportFinding[];
}

export interface ReportSummary {
  files: number;
  images: number;
  errors: number;
  warnings: number;
  infos: number;
  hints: number;
}

export interface JsonReport {
  version: 1;
  files: ReportFile[];
  summary: ReportSummary;
}

const SUMMARY_KEY: Record<Severity, 'errors' | 'warnings' | 'infos' | 'hints'> = {
  error: 'errors', warning: 'warnings', info: 'infos', hint: 'hints',
};

/** One file's entry: its image sites with facts and its findings, with offsets turned into LSP positions. */
export function fileReport(path: string, analysis: Analysis): ReportFile {
  const range = (r: OffsetRange): LspRange => ({ start: analysis.lines.position(r.start), end: analysis.lines.position(r.end) });
  const images = analysis.images.map((fact): ReportImage => {
    const ref = fact.reference;
    return {
      image: fact.image,
      document: fact.site.pod.object.docIndex,
      kind: fact.site.pod.object.kind,
      name: fact.site.pod.object.name,
      container: fact.site.name,
      field: fact.site.field,
      range: fact.range ? range(fact.range) : null,
      reference: !ref ? null
        : ref.valid
          ? { valid: true, error: null, name: ref.ref.name, domain: ref.ref.domain, path: ref.ref.path, tag: ref.ref.tag, digest: ref.ref.digest }
          : { valid: false, error: ref.error, name: null, domain: null, path: null, tag: null, digest: null },
      pullPolicy: { effective: fact.policy.effective, explicit: fact.policy.explicit, source: fact.policy.source },
      ...(analysis.registry ? { resolved: resolvedOf(analysis, ref && ref.valid && !fact.templated ? ref.ref : null) } : {}),
    };
  });
  const sources = sourceComments(analysis.file.text);
  const findings = analysis.findings.map((f): ReportFinding => {
    const source = sourceAt(sources, f.range.start);
    return { ruleId: f.ruleId, severity: f.severity, message: f.message, range: range(f.range), ...(source ? { source } : {}) };
  });
  return { path, images, findings };
}

/** `# Source: PATH` comment lines (helm template, kustomize build with origin annotations): offset and path. */
function sourceComments(text: string): { at: number; path: string }[] {
  if (!text.includes('# Source:')) return [];
  const out: { at: number; path: string }[] = [];
  for (const m of text.matchAll(/^# Source: *([^\r\n]+?) *$/gm)) out.push({ at: m.index!, path: m[1] });
  return out;
}

/** The source the offset lies under: the last `# Source:` before it within its YAML document. */
function sourceAt(sources: readonly { at: number; path: string }[], offset: number): string | undefined {
  let found: string | undefined;
  for (const s of sources) {
    if (s.at > offset) break;
    found = s.path;
  }
  return found;
}

/** What the registry client knows about the pulled reference (`--resolve` asked it before the analysis). */
function resolvedOf(analysis: Analysis, ref: Parameters<typeof pulledManifest>[0] | null): ReportResolved | null {
  if (!ref || !analysis.registry) return null;
  const known = analysis.registry.cachedDigest(pulledManifest(ref));
  if (!known) return { error: { kind: 'not-checked', message: 'The registry was not asked about this image.' } };
  return known.ok ? { ...known.value } : { error: { ...known.error } };
}

const RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2, hint: 3 };

/** True when `severity` is `level` or more severe. */
export function atLeast(severity: Severity, level: Severity): boolean {
  return RANK[severity] <= RANK[level];
}

/** The files with only the findings at `level` or more severe (`--severity`). */
export function shownAtLeast(files: ReportFile[], level: Severity): ReportFile[] {
  return files.map((f) => ({ ...f, findings: f.findings.filter((x) => atLeast(x.severity, level)) }));
}

/** The whole report, with its summary counts. */
export function buildReport(files: ReportFile[]): JsonReport {
  const summary: ReportSummary = { files: files.length, images: 0, errors: 0, warnings: 0, infos: 0, hints: 0 };
  for (const file of files) {
    summary.images += file.images.length;
    for (const f of file.findings) summary[SUMMARY_KEY[f.severity]]++;
  }
  return { version: 1, files, summary };
}
