/**
 * The chart engine never throws and never hangs: generated templates (from the pieces charts are made of, in any
 * order: actions, pipelines, control structures, trim markers, broken delimiters) and the corpus's chart
 * (microservices-demo's helm-chart) with its values mutated — every rendering ends as output or as a RenderError.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';
import { analyzeChart } from '../../server/src/service/helm/chart';
import { parseTemplates, renderFile, topLevel } from '../../server/src/service/helm/render';
import { readValues } from '../../server/src/service/helm/values';
import { defaultSettings, WorkspaceIndex } from '../../server/src/service/index';
import { holds, params, seedNote } from './config';

const PIECES = [
  '{{ ', ' }}', '{{- ', ' -}}', '{{/* c */}}', '{{ if ', '{{ else }}', '{{ else if ', '{{ end }}', '{{ range $i, $v := ', '{{ with ', '{{ define "x" }}',
  '{{ template "x" . }}', '{{ include "x" . }}', '{{ block "y" . }}', '{{ break }}', '{{ continue }}', '.Values.image.tag', '.Values.list', '.Values',
  '$', '$v', '$x := ', '| ', 'default "d" ', 'printf "%s:%v" ', 'quote ', 'toYaml ', 'nindent 4 ', 'tpl ', 'required "r" ', 'lookup "v1" "Pod" "" "" ',
  'dict "a" 1 ', 'list 1 2 ', '(', ')', '"str"', '`raw`', '1.5', '42', 'nil', 'true', '.Chart.Name', '.Capabilities.APIVersions.Has "v1" ',
  'image: ', '\n', '  ', '- ', 'a: b', '{{', '}}', '"', "'", '\\', 'fromYaml ', 'index .Values "a" ', 'semverCompare ">=1.2" "1.3" ',
];

const VALUES = 'image: {repository: nginx, tag: "1.27"}\nlist: [a, b]\na: {b: c}\n';
const CHART = { name: 'fuzz', version: '0.1.0', appVersion: '1.0' };

test(`generated templates render or fail cleanly (${seedNote()})`, () => {
  const values = readValues(VALUES, 'file:///values.yaml')!;
  holds(fc.property(fc.array(fc.constantFrom(...PIECES), { maxLength: 40 }), (pieces) => {
    const text = pieces.join('');
    const parsed = parseTemplates([{ uri: 'file:///t.yaml', name: 'fuzz/templates/t.yaml', text }]);
    const r = renderFile(parsed, 'fuzz/templates/t.yaml', topLevel(values, CHART, 'fuzz/templates/t.yaml'));
    if (r.ok && r.rendered.spans.some((s) => s.start < 0 || s.end > r.rendered.text.length || s.start > s.end)) throw new Error('a span outside the output');
  }), params(400), (pieces) => JSON.stringify(pieces.join('')));
});

const CORPUS = resolve(process.env.K8S_IMAGE_LINT_CORPUS ?? '../shared/corpus');
const CHART_DIR = join(CORPUS, 'microservices-demo', 'helm-chart');

test(`the corpus's chart with mutated values analyses without throwing (${seedNote()})`, { skip: !existsSync(CHART_DIR) && `no chart at ${CHART_DIR}` }, () => {
  const templates = readdirSync(join(CHART_DIR, 'templates')).map((n) => ({ uri: `file:///c/templates/${n}`, name: `c/templates/${n}`, text: readFileSync(join(CHART_DIR, 'templates', n), 'utf8') }));
  const chartYaml = { uri: 'file:///c/Chart.yaml', text: readFileSync(join(CHART_DIR, 'Chart.yaml'), 'utf8') };
  const values = readFileSync(join(CHART_DIR, 'values.yaml'), 'utf8');
  const baseline = analyzeChart({ chartYaml, values: [{ uri: 'file:///c/values.yaml', text: values }], templates }, defaultSettings(), new WorkspaceIndex());
  if (!baseline || baseline.rendered.size === 0) throw new Error('the corpus chart renders nothing');
  holds(fc.property(fc.nat(values.length), fc.constantFrom('', 'latest', ' ', '{{', 'null', '[', '1.10', '~', 'Always'), fc.nat(8), (at, insert, cut) => {
    const mutated = values.slice(0, at) + insert + values.slice(Math.min(values.length, at + cut));
    analyzeChart({ chartYaml, values: [{ uri: 'file:///c/values.yaml', text: mutated }], templates }, defaultSettings(), new WorkspaceIndex());
  }), params(60));
});
