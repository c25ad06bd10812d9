// Charts judged through their values (service/helm/chart.ts): each template rendered as Helm renders it, the same
// rules on the rendering, and each finding on the line that causes it — a values scalar, or the template text.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { analyzeChart, type ChartInput } from '../../server/src/service/helm/chart';
import { WorkspaceIndex } from '../../server/src/service/workspace/index';
import { Lines } from '../../server/src/service/text/lines';
import { applyEdits, settingsWith } from '../helpers';

const FIXTURES = join(__dirname, '../../../test/fixtures/charts');

function chart(name: string, extra: { values?: { uri: string; text: string }[]; set?: string[]; replace?: Record<string, string> } = {}): ChartInput {
  const root = join(FIXTURES, name);
  const read = (rel: string) => extra.replace?.[rel] ?? readFileSync(join(root, rel), 'utf8');
  const files: string[] = [];
  const walk = (d: string) => { for (const n of readdirSync(d)) { const p = join(d, n); if (statSync(p).isDirectory()) walk(p); else files.push(relative(root, p)); } };
  walk(join(root, 'templates'));
  return {
    chartYaml: { uri: `file:///${name}/Chart.yaml`, text: read('Chart.yaml') },
    values: [{ uri: `file:///${name}/values.yaml`, text: read('values.yaml') }, ...(extra.values ?? [])],
    set: extra.set,
    templates: files.sort().map((rel) => ({ uri: `file:///${name}/${rel}`, name: `${name}/${rel}`, text: read(rel) })),
  };
}

/** `file:line rule` (1-based lines), sorted, for every finding of the chart. */
function found(input: ChartInput, raw: Record<string, unknown> = {}): string[] {
  const texts = new Map([...input.values, ...input.templates].map((f) => [f.uri, f.text]));
  const r = analyzeChart(input, settingsWith(raw), new WorkspaceIndex());
  assert.ok(r, 'the chart is read');
  return [...r.files].flatMap(([uri, f]) => f.findings.map((x) => `${uri.replace(/^file:\/\/\/[^/]+\//, '')}:${new Lines(texts.get(uri)!).position(x.range.start).line + 1} ${x.ruleId}`)).sort();
}

describe('a chart judged through its values', () => {
  it('puts each finding on the values line that causes it, and the template\'s own on the template', () => {
    assert.deepEqual(found(chart('web')), [
      'templates/deployment.yaml:31 implicit-pull-policy',
      'templates/deployment.yaml:31 latest-tag',
      'values.yaml:10 malformed-image-pull-secrets',
      'values.yaml:13 invalid-image-reference',
      'values.yaml:18 helm-numeric-tag',
      'values.yaml:5 invalid-pull-policy',
      'values.yaml:7 latest-tag',
    ]);
  });

  it('renders the images as Helm does, and says what each becomes', () => {
    const r = analyzeChart(chart('web'), settingsWith(), new WorkspaceIndex())!;
    const images = [...r.files.values()].flatMap((f) => f.images.map((i) => i.image));
    assert.deepEqual(images, ['nginx:latest', 'Ghcr.io/acme/Proxy:2.1', 'ghcr.io/acme/exporter:1.1', 'busybox:latest']);
    const numeric = r.files.get('file:///web/values.yaml')!.findings.find((f) => f.ruleId === 'helm-numeric-tag')!;
    assert.equal(numeric.message, 'This number renders as "1.1", so the image is "ghcr.io/acme/exporter:1.1"; quote it');
  });

  it('fixes edit the values file: the policy\'s case, the quoted number', () => {
    const input = chart('web');
    const values = input.values[0].text;
    const r = analyzeChart(input, settingsWith(), new WorkspaceIndex())!;
    const fixes = r.files.get('file:///web/values.yaml')!.findings.flatMap((f) => f.fixes.filter((x) => x.fixAll).map((x) => [f.ruleId, x] as const));
    const policy = fixes.find(([id]) => id === 'invalid-pull-policy')![1];
    assert.match(applyEdits(values, policy.edits), /pullPolicy: IfNotPresent\n/);
    const quote = fixes.find(([id]) => id === 'helm-numeric-tag')![1];
    assert.match(applyEdits(values, quote.edits), /tag: "1\.10"\n/);
    assert.equal(applyEdits(values, quote.edits).replace('"1.10"', '1.10'), values, 'nothing else changes');
  });

  it('an override file wins and takes the finding; null deletes a default; --set wins over both', () => {
    const override = { uri: 'file:///web/values-prod.yaml', text: 'image:\n  tag: 1.2.3\n  pullPolicy: IfNotPresent\nimagePullSecrets: null\nsidecar:\n  repository: ghcr.io/acme/proxy\n' };
    assert.deepEqual(found(chart('web', { values: [override] })), [
      'templates/deployment.yaml:26 implicit-pull-policy',
      'templates/deployment.yaml:31 implicit-pull-policy',
      'templates/deployment.yaml:31 latest-tag',
      'values.yaml:18 helm-numeric-tag',
    ]);
    // A --set value has no file: its finding stays on the template line that prints it.
    assert.deepEqual(found(chart('web', { values: [override], set: ['image.tag=latest'] })).filter((f) => f.includes('latest-tag')), [
      'templates/deployment.yaml:23 latest-tag',
      'templates/deployment.yaml:31 latest-tag',
    ]);
  });

  it('an image made with a value the chart leaves to its user (no default) is not judged', () => {
    // tektoncd/pipeline's test chart has no image.repository: Helm renders ":latest", a value to be --set.
    const input = chart('web', { replace: { 'values.yaml': readFileSync(join(FIXTURES, 'web', 'values.yaml'), 'utf8').replace('  repository: nginx\n', '') } });
    const got = found(input);
    assert.ok(!got.some((f) => f.startsWith('values.yaml:6 ')), got.join('\n'));
    assert.ok(!got.some((f) => f.includes('invalid-image-reference') && !f.startsWith('values.yaml:12')), got.join('\n'));
    assert.ok(got.includes('values.yaml:4 invalid-pull-policy'), 'the policy is judged: it does not depend on the missing value');
  });

  it('the tag defaults to the chart\'s appVersion when the value is empty', () => {
    const input = chart('web', { replace: { 'values.yaml': readFileSync(join(FIXTURES, 'web', 'values.yaml'), 'utf8').replace('tag: latest', 'tag: ""') } });
    const r = analyzeChart(input, settingsWith(), new WorkspaceIndex())!;
    assert.ok([...r.files.values()].some((f) => f.images.some((i) => i.image === 'nginx:1.16.0')));
  });

  it('a template it cannot render is left alone (a required value, a lookup in a condition)', () => {
    const input = chart('web', { replace: { 'templates/deployment.yaml': readFileSync(join(FIXTURES, 'web', 'templates', 'deployment.yaml'), 'utf8').replace('{{ .Values.replicaCount }}', '{{ required "replicas!" .Values.replicas }}') } });
    const r = analyzeChart(input, settingsWith(), new WorkspaceIndex())!;
    assert.equal(r.rendered.size, 0);
    assert.match(r.notes[0], /web\/templates\/deployment\.yaml is not judged through its values: required: replicas!/);
    const unknown = chart('web', { replace: { 'templates/deployment.yaml': 'apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec:\n  containers:\n  - name: a\n    image: {{ (lookup "v1" "ConfigMap" "ns" "x").data.image }}\n' } });
    assert.deepEqual(found(unknown), [], 'a lookup is unknown: its image is not judged');
  });

  it('a helper that branches on a lookup makes only its own output unknown, not the file (Bitnami\'s password helper)', () => {
    const helper = '{{- define "web.password" -}}{{- $s := (lookup "v1" "Secret" "ns" "x").data -}}{{- if $s -}}{{ index $s "p" }}{{- else -}}generated{{- end -}}{{- end -}}\n';
    const pod = (annotation: string) => `apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n  annotations:\n    checksum: ${annotation}\nspec:\n  containers:\n  - name: a\n    image: nginx:latest\n`;
    const input = chart('web', { replace: { 'templates/_helpers.tpl': helper, 'templates/deployment.yaml': pod('{{ include "web.password" . | sha256sum }}') } });
    const r = analyzeChart(input, settingsWith(), new WorkspaceIndex())!;
    assert.deepEqual(r.notes, []);
    assert.ok(found(input).includes('templates/deployment.yaml:10 latest-tag'), found(input).join('\n'));
    // A branch on it in the file itself still leaves the file unjudged: what it would print is not known.
    const direct = chart('web', { replace: { 'templates/_helpers.tpl': helper, 'templates/deployment.yaml': `{{- if (lookup "v1" "Secret" "ns" "x") }}\n${pod('x')}{{- end }}\n` } });
    const d = analyzeChart(direct, settingsWith(), new WorkspaceIndex())!;
    assert.match(d.notes[0] ?? '', /a condition that cannot be known/);
    assert.deepEqual(found(direct), []);
  });
});

describe('a chart with a library dependency, files and capabilities', () => {
  it('uses the library\'s helpers (found beside it), .Files and APIVersions, and reports on the values', () => {
    const input = { ...chart('shop'), dependencies: chart('common').templates, files: { 'files/extra.yaml': readFileSync(join(FIXTURES, 'shop', 'files', 'extra.yaml'), 'utf8') } };
    const r = analyzeChart(input, settingsWith(), new WorkspaceIndex())!;
    const images = [...r.files.values()].flatMap((f) => f.images.map((i) => i.image));
    assert.deepEqual(images, ['docker.io/acme/shop:latest', 'ghcr.io/acme/worker@sha256:4bcff63911fcb4448bd4fdacec207030997caf25e9bea4045fa6c8c44de311d1', 'ghcr.io/acme/sidecar:nightly']);
    assert.deepEqual(found(input), [
      'templates/deployment.yaml:12 stale-image-risk',
      // From a chart file (.Files.Get | fromYaml): the action that prints it.
      'templates/deployment.yaml:18 mutable-tag',
      'templates/deployment.yaml:19 stale-image-risk',
      'values.yaml:6 latest-tag',
      // The library's pull-secret list is built with append and uniq: each name keeps where it was written.
      'values.yaml:9 pull-secret-not-found',
    ].sort());
  });
});
