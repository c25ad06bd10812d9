// The chart template engine against Helm's own: every case is rendered by Go's text/template with Sprig and Helm's
// functions (test/oracle/helmtpl) and by ours; where Go renders, we render the same text; where Go fails, we fail
// (or, for what we do not model, print an unknown marker, never a different value).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseTemplates, renderFile, topLevel } from '../../server/src/service/helm/render';
import { UNKNOWN_TEXT } from '../../server/src/service/helm/template/exec';
import { readValues } from '../../server/src/service/helm/values';
import { helmRender, type HelmCase } from '../oracle/helmTemplate';

const CHART = { name: 'demo', version: '0.1.0', appVersion: '1.16.0' };

function ours(c: HelmCase): { ok: true; out: string } | { ok: false; error: string } {
  const parsed = parseTemplates(Object.entries(c.files).sort(([a], [b]) => (a < b ? -1 : 1)).map(([name, text]) => ({ uri: `file:///chart/${name}`, name, text })));
  const values = readValues(c.values, 'file:///chart/values.yaml');
  if (!values) return { ok: false, error: 'values' };
  const r = renderFile(parsed, c.main, topLevel(values, CHART, c.main));
  return r.ok ? { ok: true, out: r.rendered.text } : r;
}

const one = (template: string, values = ''): HelmCase => ({ files: { 't.yaml': template }, main: 't.yaml', values });

const CASES: [string, HelmCase][] = [
  ['text and actions', one('image: {{ .Values.image.repository }}:{{ .Values.image.tag }}\n', 'image: {repository: nginx, tag: "1.27"}')],
  ['float tags as Helm prints them', one('{{ .Values.a }} {{ .Values.b }} {{ .Values.c }} {{ .Values.d }} {{ .Values.e }} {{ .Values.f }}', 'a: 1.10\nb: 2.0\nc: 1000000\nd: 123456\ne: 0.00001\nf: 1.2e3')],
  ['YAML 1.1 booleans and null', one('{{ .Values.a }} {{ .Values.b }} [{{ .Values.c }}] [{{ .Values.missing }}]', 'a: yes\nb: off\nc: ~')],
  ['trim markers and comments', one('a:\n  {{- /* a comment */ -}}\n  b\n{{- if true }}\nc\n{{- end }}\n')],
  ['if / else if / else, with, range over lists and maps', one('{{ if .Values.x }}x{{ else if .Values.y }}y{{ else }}z{{ end }}|{{ with .Values.m }}{{ .k }}{{ end }}|{{ range $i, $v := .Values.l }}{{ $i }}={{ $v }};{{ end }}|{{ range $k, $v := .Values.m }}{{ $k }}:{{ $v }},{{ end }}|{{ range .Values.none }}a{{ else }}empty{{ end }}', 'y: 1\nm: {k: v, b: 2}\nl: [a, b]')],
  ['variables, $ and assignment', one('{{ $x := .Values.a }}{{ with .Values.m }}{{ $.Values.a }}{{ $x }}{{ end }}{{ $x = "z" }}{{ $x }}', 'a: q\nm: {k: 1}')],
  ['default, coalesce, ternary, empty', one('{{ .Values.tag | default .Chart.AppVersion }} {{ default "d" .Values.empty }} {{ coalesce .Values.none "" "c" }} {{ ternary "t" "f" .Values.on }} {{ empty .Values.l }}', 'tag: ""\nempty: ""\non: true\nl: []')],
  ['printf, print, quote, squote, cat, join', one('{{ printf "%s/%s:%v" .Values.r .Values.n .Values.t }} {{ print "a" 1 2 "b" }} {{ quote .Values.t }} {{ squote "x" }} {{ cat "a" nil "b" }} {{ join "," .Values.l }} {{ printf "%d-%q" 3 "x" }}', 'r: ghcr.io\nn: app\nt: 1.0\nl: [a, 2]')],
  ['string functions', one('{{ upper "ab" }} {{ lower "AB" }} {{ trim "  x " }} {{ trimPrefix "v" "v1.2" }} {{ trimSuffix "-" "a-" }} {{ replace "." "-" "a.b.c" }} {{ trunc 3 "abcdef" }} {{ trunc -2 "abcdef" }} {{ contains "b" "abc" }} {{ hasPrefix "a" "abc" }} {{ title "hello world" }} {{ toString 1.5 }} {{ trimAll "$" "$5$" }}')],
  ['dict, list, get, hasKey, set, merge, index, len', one('{{ $d := dict "a" 1 "b" "x" }}{{ get $d "b" }} {{ hasKey $d "a" }} {{ $_ := set $d "c" "y" }}{{ $d.c }} {{ index (list "p" "q") 1 }} {{ len (list 1 2 3) }} {{ index .Values.m "k" }} {{ $m := merge (dict "a" "own") (dict "a" "other" "z" "new") }}{{ $m.a }}{{ $m.z }}', 'm: {k: v}')],
  ['comparisons and logic', one('{{ eq .Values.a "x" }} {{ ne 1 2 }} {{ lt 1 2 }} {{ and .Values.a .Values.b }} {{ or .Values.none "fallback" }} {{ not .Values.none }} {{ eq .Values.n 3.0 }}', 'a: x\nb: y\nn: 3')],
  ['define, include, template, nindent, indent', { files: { '_helpers.tpl': '{{- define "demo.name" -}}{{ .Chart.Name }}-{{ .Values.suffix }}{{- end }}\n{{ define "demo.labels" }}app: {{ include "demo.name" . }}\ntier: web{{ end }}', 't.yaml': 'name: {{ include "demo.name" . | quote }}\nlabels:\n  {{- include "demo.labels" . | nindent 2 }}\nalso:\n{{ include "demo.labels" . | indent 4 }}\n{{ template "demo.name" . }}' }, main: 't.yaml', values: 'suffix: web' }],
  ['toYaml of maps, lists, numbers and strings that need quotes', one('x:\n  {{- toYaml .Values.x | nindent 2 }}\ny: {{ toYaml .Values.y }}\n', 'x:\n  imagePullSecrets:\n  - name: regcred\n  resources: {limits: {cpu: 1, memory: 1Gi}}\n  tags: ["1.0", "yes", "", "a: b", plain, 1.10, 1000000]\n  empty: {}\n  none: null\ny: [a]')],
  ['tpl renders a values string as a template', one('{{ tpl .Values.image . }}', 'image: "{{ .Values.registry }}/app:{{ .Chart.AppVersion }}"\nregistry: ghcr.io')],
  ['Chart, Release and Capabilities', one('{{ .Chart.Name }} {{ .Chart.AppVersion }} {{ .Release.Name }} {{ .Release.Namespace }} {{ .Capabilities.KubeVersion.Version }} {{ semverCompare ">=1.21-0" .Capabilities.KubeVersion.Version }} {{ semverCompare "<1.19" .Capabilities.KubeVersion.Version }}')],
  ['required fails the rendering', one('{{ required "image.tag is required" .Values.image.tag }}', 'image: {}')],
  ['a field of a missing map fails, as in Helm', one('{{ .Values.image.tag }}')],
  ['a missing value renders empty', one('[{{ .Values.missing }}]')],
  ['a common images helper (global registry, digest)', { files: {
    '_images.tpl': '{{- define "common.images.image" -}}\n{{- $registryName := default .imageRoot.registry ((.global).imageRegistry) -}}\n{{- $repositoryName := .imageRoot.repository -}}\n{{- $separator := ":" -}}\n{{- $termination := .imageRoot.tag | toString -}}\n{{- if .imageRoot.digest }}\n    {{- $separator = "@" -}}\n    {{- $termination = .imageRoot.digest | toString -}}\n{{- end -}}\n{{- if $registryName }}\n    {{- printf "%s/%s%s%s" $registryName $repositoryName $separator $termination -}}\n{{- else -}}\n    {{- printf "%s%s%s"  $repositoryName $separator $termination -}}\n{{- end -}}\n{{- end -}}',
    't.yaml': 'image: {{ include "common.images.image" (dict "imageRoot" .Values.image "global" .Values.global) }}\nsidecar: {{ include "common.images.image" (dict "imageRoot" .Values.sidecar "global" .Values.global) }}' },
    main: 't.yaml', values: 'global: {imageRegistry: ""}\nimage: {registry: docker.io, repository: bitnami/nginx, tag: 1.25.3-debian-12-r0, digest: ""}\nsidecar: {registry: docker.io, repository: bitnami/os-shell, tag: "12", digest: "sha256:abc"}' }],
  ['the helm create default deployment', { files: {
    '_helpers.tpl': '{{- define "demo.fullname" -}}\n{{- if .Values.fullnameOverride }}\n{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}\n{{- else }}\n{{- $name := default .Chart.Name .Values.nameOverride }}\n{{- if contains $name .Release.Name }}\n{{- .Release.Name | trunc 63 | trimSuffix "-" }}\n{{- else }}\n{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}\n{{- end }}\n{{- end }}\n{{- end }}',
    'deployment.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ include "demo.fullname" . }}\nspec:\n  template:\n    spec:\n      {{- with .Values.imagePullSecrets }}\n      imagePullSecrets:\n        {{- toYaml . | nindent 8 }}\n      {{- end }}\n      containers:\n        - name: {{ .Chart.Name }}\n          image: "{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}"\n          imagePullPolicy: {{ .Values.image.pullPolicy }}\n' },
    main: 'deployment.yaml', values: 'image:\n  repository: nginx\n  pullPolicy: IfNotPresent\n  tag: ""\nimagePullSecrets: [{name: regcred}]\n' }],
  ['break and continue', one('{{ range .Values.l }}{{ if eq . "b" }}{{ continue }}{{ end }}{{ if eq . "d" }}{{ break }}{{ end }}{{ . }}{{ end }}', 'l: [a, b, c, d, e]')],
];

/**
 * Cases of Helm's own tests (pkg/engine/funcs_test.go, engine_test.go) that concern the functions charts use for
 * images, with the output Helm's test expects (the release is `release-name`, the chart `demo`, as `helm
 * template` names them; the dot of funcs_test's cases is `.Values.v` here). Each is also rendered by the oracle.
 */
const HELM_TESTS: [string, HelmCase, string | null][] = [
  ['funcs_test: toYaml', one('{{ toYaml .Values.v }}', 'v: {foo: bar}'), 'foo: bar'],
  ['funcs_test: toJson', one('{{ toJson .Values.v }}', 'v: {foo: bar}'), '{"foo":"bar"}'],
  ['funcs_test: fromYaml', one('{{ fromYaml .Values.v }}', 'v: "hello: world"'), 'map[hello:world]'],
  ['funcs_test: fromYamlArray', one('{{ fromYamlArray .Values.v }}', 'v: "- one\\n- 2\\n- name: helm\\n"'), '[one 2 map[name:helm]]'],
  ['funcs_test: fromYamlArray of flow YAML', one('{{ fromYamlArray .Values.v }}', `v: '["one", 2, { "name": "helm" }]'`), '[one 2 map[name:helm]]'],
  ['funcs_test: fromJson', one('{{ fromJson .Values.v }}', `v: '{"hello":"world"}'`), 'map[hello:world]'],
  ['funcs_test: merge keeps the first dict\'s values', one('{{ merge .Values.dict (fromYaml .Values.yaml) }}', `dict: {a: {b: c}}\nyaml: '{"a":{"b":"d"}}'`), 'map[a:map[b:c]]'],
  ['funcs_test: merge into a parsed dict', one('{{ merge (fromYaml .Values.yaml) .Values.dict }}', `dict: {a: {b: c}}\nyaml: '{"a":{"b":"d"}}'`), 'map[a:map[b:d]]'],
  ['engine_test: include with indent (TestAlterFuncMap_include)', { files: { 'demo/templates/quote': '{{include "demo/templates/_partial" . | indent 2}} dead.', 'demo/templates/_partial': '{{.Release.Name}} - he' }, main: 'demo/templates/quote', values: '' }, '  release-name - he dead.'],
  ['engine_test: include of itself fails (TestAlterFuncMap_include)', { files: { 'demo/templates/quote': '{{include "demo/templates/quote" . | indent 2}} dead.' }, main: 'demo/templates/quote', values: '' }, null],
  ['engine_test: required with the value (TestAlterFuncMap_require)', one(`All your base are belong to {{ required "A valid 'who' is required" .Values.who }}; All {{ required "A valid 'bases' is required" .Values.bases }} of them!`, 'who: us\nbases: 2'), 'All your base are belong to us; All 2 of them!'],
  ['engine_test: required without it fails (TestAlterFuncMap_require)', one(`All {{ required "A valid 'bases' is required" .Values.bases }} of them!`, 'who: us'), null],
  ['engine_test: tpl (TestAlterFuncMap_tpl)', one('Evaluate tpl {{tpl "Value: {{ .Values.value}}" .}}', 'value: myvalue'), 'Evaluate tpl Value: myvalue'],
  ['engine_test: tpl with a pipeline (TestAlterFuncMap_tplfunc)', one('Evaluate tpl {{tpl "Value: {{ .Values.value | quote}}" .}}', 'value: myvalue'), 'Evaluate tpl Value: "myvalue"'],
  ['engine_test: tpl including a partial (TestAlterFuncMap_tplinclude)', { files: { 'demo/templates/base': '{{ tpl "{{include `demo/templates/_partial` .  | quote }}" .}}', 'demo/templates/_partial': '{{.Template.Name}}' }, main: 'demo/templates/base', values: 'value: myvalue' }, '"demo/templates/base"'],
  ['engine_test: tpl of nothing (TestRenderTplEmpty)', one('[{{tpl "" .}}][{{tpl "{{ \\"\\"}}" .}}][{{tpl "{{define \\"not-invoked\\"}}not-rendered{{end}}" .}}]'), '[][][]'],
  ['engine_test: a subchart default nil is not stringified (TestRenderSubchartDefaultNilNoStringify)', one('[{{ .Values.x | default "" }}]', 'x: null'), '[]'],
];

describe('Helm\'s own engine tests', () => {
  const expected = helmRender(HELM_TESTS.map(([, c]) => c));
  HELM_TESTS.forEach(([name, c, helm], i) => {
    it(name, () => {
      const got = ours(c);
      if (helm === null) {
        assert.equal(expected[i].ok, false, 'the oracle fails too');
        assert.ok(!got.ok || got.out.includes(UNKNOWN_TEXT), `Helm's test expects an error; we rendered ${got.ok ? JSON.stringify(got.out) : ''}`);
        return;
      }
      assert.deepEqual(expected[i], { ok: true, out: helm }, 'the oracle renders what Helm\'s test expects');
      assert.deepEqual(got, { ok: true, out: helm });
    });
  });
});

describe('the chart template engine, as Helm renders', () => {
  const expected = helmRender(CASES.map(([, c]) => c));
  CASES.forEach(([name, c], i) => {
    it(name, () => {
      const go = expected[i];
      const got = ours(c);
      if (go.ok) {
        assert.ok(got.ok, `Helm renders it, we failed: ${!got.ok ? got.error : ''}`);
        assert.equal(got.out, go.out);
      } else {
        assert.ok(!got.ok || got.out.includes(UNKNOWN_TEXT), `Helm fails (${go.error}); we rendered ${got.ok ? JSON.stringify(got.out) : ''}`);
      }
    });
  });
});
