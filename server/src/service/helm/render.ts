/**
 * Renders a chart's templates as `helm template` would, with the built-in objects Helm gives them, and keeps the
 * sources of every stretch of output (values scalars, template text). Pure: the caller hands in texts.
 */
import { execute, RenderError, type Engine, type NamedTemplate, type Rendered, type Span, type Val } from './template/exec';
import { parseTemplate, TemplateSyntaxError, type Node } from './template/parse';
import { GoInt, type GoMap, type GoValue } from './values';

export interface TemplateFile {
  uri: string;
  /** The name Helm gives it: `<chart>/templates/deployment.yaml`. */
  name: string;
  text: string;
}

export interface ChartMeta {
  name: string;
  version: string;
  appVersion: string | null;
}

/** The Kubernetes version `helm template` assumes without a cluster (Helm 3.16's default capabilities). */
export const KUBE_VERSION = 'v1.31.0';

export type RenderResult = { ok: true; rendered: Rendered } | { ok: false; error: string };

export interface ParsedTemplates {
  files: Map<string, { file: TemplateFile; root: Node[] } | { file: TemplateFile; error: string }>;
  named: Map<string, NamedTemplate>;
}

/**
 * Parses every template file once; named templates (`define`) are shared by all of them. Helm sorts templates by
 * name and a later `define` of a name replaces an earlier one; `files` in order of precedence groups (dependencies
 * first), each sorted by name.
 */
export function parseTemplates(files: readonly TemplateFile[]): ParsedTemplates {
  const parsed: ParsedTemplates = { files: new Map(), named: new Map() };
  for (const file of files) {
    try {
      const t = parseTemplate(file.text);
      const text = (start: number, end: number): Span[] => [{ start: 0, end: end - start, source: { uri: file.uri, range: { start, end } } }];
      for (const [name, nodes] of t.defines) parsed.named.set(name, { nodes, text, src: file.text, uri: file.uri });
      // Every file is also a template of its own name (`include (print $.Template.BasePath "/configmap.yaml") .`).
      parsed.named.set(file.name, { nodes: t.root, text, src: file.text, uri: file.uri });
      parsed.files.set(file.name, { file, root: t.root });
    } catch (e) {
      parsed.files.set(file.name, { file, error: e instanceof TemplateSyntaxError ? e.message : String(e) });
    }
  }
  return parsed;
}

/** The top-level object of a template: Values, Chart, Release, Capabilities, Template. */
export function topLevel(values: GoMap, chart: ChartMeta, templateName: string, files: GoMap = new Map()): Val {
  const m = (entries: [string, GoValue][]): GoMap => new Map(entries);
  const [, major = '1', minor = '31'] = /^v(\d+)\.(\d+)/.exec(KUBE_VERSION) ?? [];
  return {
    value: m([
      ['Values', values],
      ['Chart', m([['Name', chart.name], ['Version', chart.version], ['AppVersion', chart.appVersion ?? '']])],
      ['Release', m([['Name', 'release-name'], ['Namespace', 'default'], ['Service', 'Helm'], ['IsInstall', true], ['IsUpgrade', false], ['Revision', new GoInt(1n)]])],
      ['Capabilities', m([['KubeVersion', m([['Version', KUBE_VERSION], ['Major', major], ['Minor', minor], ['GitVersion', KUBE_VERSION]])]])],
      // BasePath is the chart's templates directory, whatever subdirectory the file is in.
      ['Template', m([['Name', templateName], ['BasePath', templateName.includes('/templates/') ? templateName.slice(0, templateName.indexOf('/templates/') + '/templates'.length) : templateName.replace(/\/[^/]*$/, '')]])],
      ['Files', files],
    ]),
  };
}

/** Renders one parsed template file with `data`; an error Helm would stop at, or an unknowable branch, is an error. */
export function renderFile(parsed: ParsedTemplates, name: string, data: Val): RenderResult {
  const entry = parsed.files.get(name);
  if (!entry) return { ok: false, error: `no template ${name}` };
  if ('error' in entry) return { ok: false, error: entry.error };
  const engine: Engine = { named: parsed.named, depth: 0 };
  const { file } = entry;
  try {
    const text = (start: number, end: number): Span[] => [{ start: 0, end: end - start, source: { uri: file.uri, range: { start, end } } }];
    return { ok: true, rendered: execute(engine, entry.root, data, text, (start, end) => ({ uri: file.uri, range: { start, end } }), file.text) };
  } catch (e) {
    if (e instanceof RenderError) return { ok: false, error: e.message };
    if (e instanceof RangeError) return { ok: false, error: 'too deep' };
    throw e;
  }
}
