/**
 * What is applied: kustomize patches are parts of the objects they patch, test assertion files are never applied,
 * and `exclude` leaves files out.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { analyze } from '../../server/src/service/analyze';
import { analyzeIn, settingsWith, workspace, yaml } from '../helpers';
import { globToRegExp } from '../../server/src/service/text/glob';

const deployment = (...container: string[]) => yaml('apiVersion: apps/v1', 'kind: Deployment', 'metadata:', '  name: web', 'spec:', '  template:', '    spec:', '      containers:', '      - name: web', ...container.map((l) => `        ${l}`));
const rules = (a: { findings: { ruleId: string }[] }) => a.findings.map((f) => f.ruleId).sort();

describe('kustomize patches', () => {
  const files = {
    'file:///w/base/kustomization.yaml': yaml('resources: [deployment.yaml]'),
    'file:///w/base/deployment.yaml': deployment('image: registry.example.com/web:1.2'),
    'file:///w/prod/kustomization.yaml': yaml('resources: [../base, other.yaml]', 'patches:', '- path: resources.yaml', '- path: image.yaml', 'patchesStrategicMerge:', '- env.yaml', '- |-', '  apiVersion: apps/v1', '  kind: Deployment', 'patchesJson6902:', '- target: {kind: Deployment, name: web}', '  path: ops.yaml'),
    'file:///w/prod/resources.yaml': deployment('resources: {limits: {cpu: 1}}'),
    'file:///w/prod/image.yaml': deployment('image: registry.example.com/web:latest'),
    'file:///w/prod/env.yaml': deployment('env: [{name: A, value: b}]'),
    'file:///w/prod/ops.yaml': yaml('- op: replace', '  path: /spec/replicas', '  value: 3'),
    'file:///w/prod/other.yaml': deployment('resources: {}'),
  };
  it('a patch without an image is no object missing one', () => {
    assert.deepEqual(rules(analyzeIn(files, 'file:///w/prod/resources.yaml')), []);
    assert.deepEqual(rules(analyzeIn(files, 'file:///w/prod/env.yaml')), []);
  });
  it('the image a patch sets is judged; what it leaves to the base is not', () => {
    assert.deepEqual(rules(analyzeIn(files, 'file:///w/prod/image.yaml')), ['latest-tag']);
  });
  it('a file no kustomization names as a patch is an object', () => {
    assert.deepEqual(rules(analyzeIn(files, 'file:///w/prod/other.yaml')), ['missing-image']);
  });
  it('the patch is seen as one when its kustomization changes, and the analysis depends on that', () => {
    const index = workspace(files);
    const uri = 'file:///w/prod/other.yaml';
    const before = analyze(files[uri], settingsWith(), { uri, workspace: index });
    assert.ok(before.workspace.deps.has('roles'));
    const changed = index.update('file:///w/prod/kustomization.yaml', yaml('resources: [../base]', 'patches:', '- path: other.yaml'));
    assert.ok(changed.includes('roles'));
    assert.deepEqual(rules(analyze(files[uri], settingsWith(), { uri, workspace: index })), []);
  });
});

describe('test assertion files', () => {
  const pod = (image: string) => yaml('apiVersion: v1', 'kind: Pod', 'metadata:', '  name: p', 'spec:', '  containers:', '  - name: a', `    image: ${image}`, '  - name: b');
  const files = {
    'file:///w/t/chainsaw-test.yaml': yaml('apiVersion: chainsaw.kyverno.io/v1alpha1', 'kind: Test', 'metadata:', '  name: t', 'spec:', '  steps:', '  - try:',
      '    - apply:', '        file: 00-install.yaml', '    - assert:', '        file: 00-check-native.yaml', '    catch:', '    - error:', '        file: gone-*.yaml'),
    'file:///w/t/00-install.yaml': pod('nginx'),
    'file:///w/t/00-check-native.yaml': pod('nginx'),
    'file:///w/t/gone-pod.yaml': pod('nginx'),
  };
  it('files a chainsaw Test asserts against (paths and globs) get no findings', () => {
    assert.deepEqual(rules(analyzeIn(files, 'file:///w/t/00-check-native.yaml')), []);
    assert.deepEqual(rules(analyzeIn(files, 'file:///w/t/gone-pod.yaml')), []);
  });
  it('the files it applies are judged', () => {
    assert.deepEqual(rules(analyzeIn(files, 'file:///w/t/00-install.yaml')), ['implicit-pull-policy', 'missing-image', 'missing-tag']);
  });
  it("kuttl's NN-assert.yaml and NN-errors.yaml are assertions, even alone", () => {
    for (const name of ['00-assert.yaml', '12-errors.yml']) {
      assert.deepEqual(rules(analyze(pod('nginx'), settingsWith(), { uri: `file:///w/kuttl/${name}` })), [], name);
    }
    assert.equal(rules(analyze(pod('nginx'), settingsWith(), { uri: 'file:///w/kuttl/00-install.yaml' })).length, 3);
  });
});

describe('exclude', () => {
  const text = deployment('image: nginx');
  const excluded = (globs: string[], uri: string) => analyze(text, settingsWith({ exclude: globs }), { uri }).findings.length === 0;
  it('matches globs against the end of the path', () => {
    assert.ok(excluded(['test/e2e/**'], 'file:///repo/test/e2e/a/b.yaml'));
    assert.ok(excluded(['*.golden.yaml'], 'file:///repo/x/y.golden.yaml'));
    assert.ok(excluded(['/fixtures/'], 'file:///repo/fixtures/a.yaml'));
    assert.ok(!excluded(['test/e2e/**'], 'file:///repo/test/unit/b.yaml'));
    assert.ok(!excluded(['*.golden.yaml'], 'file:///repo/x/y.yaml'));
    assert.ok(!excluded([], 'file:///repo/x/y.yaml'));
  });
  it('a run of stars means what ** means (kept as written it would backtrack exponentially)', () => {
    assert.equal(globToRegExp('******************************c')!.source, globToRegExp('**c')!.source);
    assert.ok(!excluded(['******************************c'], `file:///${'a'.repeat(5000)}.yaml`));
  });
});

describe("a base image judged with its kustomization's own images: entry", () => {
  const files = (entry: string[]) => ({
    'file:///w/config/manager/kustomization.yaml': yaml('resources: [manager.yaml]', 'images:', ...entry),
    'file:///w/config/manager/manager.yaml': deployment('image: controller:latest'),
  });
  const uri = 'file:///w/config/manager/manager.yaml';
  it('a tag set there pins what kubectl applies: no latest-tag, the default policy follows the tag', () => {
    const a = analyzeIn(files(['- name: controller', '  newName: ghcr.io/acme/manager', '  newTag: v1.2.0']), uri);
    assert.deepEqual(rules(a), ['implicit-pull-policy']);
    assert.match(a.findings[0].message, /sets imagePullPolicy: IfNotPresent \(kustomization\.yaml makes it "ghcr\.io\/acme\/manager:v1\.2\.0"\)/);
    assert.equal(a.findings[0].fixes[0].title, 'Add imagePullPolicy: IfNotPresent');
  });
  it('a digest set there pins it too', () => {
    assert.deepEqual(rules(analyzeIn(files(['- name: controller', `  digest: sha256:${'a'.repeat(64)}`]), uri)), ['implicit-pull-policy']);
  });
  it('a new name alone leaves the tag: still judged, and the message says what the build makes', () => {
    const a = analyzeIn(files(['- name: controller', '  newName: ghcr.io/acme/manager']), uri);
    const f = a.findings.find((x) => x.ruleId === 'latest-tag')!;
    assert.match(f.message, /^":latest" moves with every push; pin a version or a digest \(kustomization\.yaml makes it "ghcr\.io\/acme\/manager:latest"\)$/);
  });
  it('without a workspace, the base is judged as written', () => {
    assert.ok(analyzeIn({ [uri]: files([])[uri] }, uri).findings.some((f) => f.ruleId === 'latest-tag'));
  });
});

describe('files that are not applied as they stand', () => {
  const bare = deployment('resources: {}');
  it('a file beside a kustomization that does not list it (kubebuilder\'s commented-out patches)', () => {
    const files = {
      'file:///w/config/default/kustomization.yaml': yaml('resources: [../manager]', '#patches:', '#- path: manager_webhook_patch.yaml'),
      'file:///w/config/default/manager_webhook_patch.yaml': bare,
      'file:///w/config/default/listed.yaml': bare,
      'file:///w/config/other/kustomization.yaml': yaml('resources: [../default/listed.yaml]'),
    };
    assert.deepEqual(rules(analyzeIn(files, 'file:///w/config/default/manager_webhook_patch.yaml')), []);
    assert.deepEqual(rules(analyzeIn(files, 'file:///w/config/default/listed.yaml')), ['missing-image']);
  });
  it('a file named or filed as a patch, even without a kustomization', () => {
    for (const uri of ['file:///w/a/manager_auth_proxy_patch.yaml', 'file:///w/kind/patches/kube-controller-manager.yaml', 'file:///w/a/image.patch.yaml']) {
      assert.deepEqual(rules(analyze(bare, settingsWith(), { uri, workspace: workspace({ [uri]: bare }) })), [], uri);
    }
    assert.deepEqual(rules(analyze(bare, settingsWith(), { uri: 'file:///w/a/dispatcher.yaml' })), ['missing-image']);
  });
  it("Istio's injector fills in the containers a pod declares by its names", () => {
    const text = deployment('resources: {}').replace('- name: web', '- name: istio-proxy');
    assert.deepEqual(rules(analyze(text, settingsWith())), []);
  });
});
