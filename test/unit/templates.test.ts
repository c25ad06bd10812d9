// Helm/Go templates: control lines are blanked so the manifest around them is analysed; values holding an
// action are never judged; syntax errors are hidden only in documents that hold template actions.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeText, yaml } from '../helpers';
import { blankLineOnlyActions, templateActions } from '../../server/src/service/parse/templates';
import { hover } from '../../server/src/service/hover';

const helmDeployment = yaml(
  '{{- if .Values.web.enabled }}',
  'apiVersion: apps/v1',
  'kind: Deployment',
  'metadata:',
  '  name: {{ include "chart.fullname" . }}',
  '  labels:',
  '    {{- include "chart.labels" . | nindent 4 }}',
  'spec:',
  '  template:',
  '    spec:',
  '      {{- with .Values.imagePullSecrets }}',
  '      imagePullSecrets: {{ toYaml . | nindent 8 }}',
  '      {{- end }}',
  '      containers:',
  '      - name: web',
  '        image: {{ .Values.image.repository }}:{{ .Values.image.tag }}',
  '        imagePullPolicy: {{ .Values.image.pullPolicy }}',
  '      - name: sidecar',
  '        image: "{{ .Values.sidecar.image }}"',
  '      - name: redis',
  '        image: redis:latest',
  '{{- end }}',
);

describe('Helm templates', () => {
  it('blanks lines holding only actions, keeping every offset', () => {
    const text = 'a: 1\n  {{- if .X }}\nb: {{ .Y }}\n{{ end }} {{ end }}\n';
    const blanked = blankLineOnlyActions(text, templateActions(text));
    assert.equal(blanked.length, text.length);
    assert.equal(blanked, `a: 1\n${' '.repeat(14)}\nb: {{ .Y }}\n${' '.repeat(19)}\n`);
  });

  it('analyses the manifest around control lines and judges only plain values', () => {
    const a = analyzeText(helmDeployment);
    assert.equal(a.images.length, 3);
    assert.deepEqual(a.images.map((i) => i.templated), [true, true, false]);
    const found = a.findings.map((f) => `${f.ruleId}@${a.lines.lineOf(f.range.start) + 1}`);
    assert.deepEqual(found, ['latest-tag@21', 'implicit-pull-policy@21']);
  });

  it('never reports syntax errors in a templated document', () => {
    const broken = yaml('apiVersion: v1', 'kind: Pod', 'spec:', '  containers: {{ .Values.containers | toYaml | nindent 4 }}', '  - [');
    assert.deepEqual(analyzeText(broken).findings.filter((f) => f.ruleId === 'yaml-syntax'), []);
  });

  it('still reports syntax errors of a plain document next to a templated one', () => {
    const text = yaml(
      'apiVersion: v1', 'kind: ConfigMap', 'data:', '  alert: "{{ $labels.instance }} is down"',
      '---',
      'apiVersion: v1', 'kind: Pod', 'spec:', '  containers: [', '  - name: a',
    );
    const syntax = analyzeText(text).findings.filter((f) => f.ruleId === 'yaml-syntax');
    assert.ok(syntax.length > 0);
  });
});

describe('Helm templates in hovers', () => {
  it('calls an unquoted templated pull policy a template, not an invalid value', () => {
    const a = analyzeText(helmDeployment);
    const text = a.file.text;
    const h = hover(a, text.indexOf('imagePullPolicy: {{') + 2);
    assert.ok(h, 'a hover on the templated imagePullPolicy');
    assert.match(h.markdown, /template/);
    assert.doesNotMatch(h.markdown, /Unsupported value|not a pull policy/);
  });
});
