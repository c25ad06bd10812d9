// "Will this pull?" without a registry: moved registries, node credentials, the digest policy, deny-lists, Docker
// Hub names that look like hosts, and the platforms a pod may run on; and with a client that already knows the
// registry's answers, the platform and digest rules. The real registry is in test/registry/willItPull.test.ts.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyze } from '../../server/src/service/analyze';
import { DocumentCache } from '../../server/src/service/parse/documentCache';
import { analyzeChart } from '../../server/src/service/helm/chart';
import { hover } from '../../server/src/service/hover';
import { WorkspaceIndex } from '../../server/src/service/workspace/index';
import { parseAllDocuments, type YAMLMap } from 'yaml';
import { podPlatforms } from '../../server/src/service/registry/platforms';
import { registryGlobMatches } from '../../server/src/service/rules/registryNotAllowed';
import { analyzeText, applyEdits, deploymentWith, imageIndex, knownRegistry, settingsWith, singleImage } from '../helpers';

const pod = (i: string, ...more: string[]) => deploymentWith([...more, 'containers:', '- name: web', `  image: ${i}`]);
const found = (text: string, raw: Record<string, unknown> = {}, rule?: string) =>
  analyzeText(text, raw).findings.filter((f) => !rule || f.ruleId === rule);
const ids = (text: string, raw: Record<string, unknown> = {}) => analyzeText(text, raw).findings.map((f) => f.ruleId);

describe('deprecated-registry', () => {
  const cases: [string, string | null, boolean][] = [
    // image, its rewrite (null: reported without one), in fix-all
    ['k8s.gcr.io/pause:3.9', 'registry.k8s.io/pause:3.9', true],
    ['k8s.gcr.io/ingress-nginx/controller:v1.2.1@sha256:' + 'a'.repeat(64), `registry.k8s.io/ingress-nginx/controller:v1.2.1@sha256:${'a'.repeat(64)}`, true],
    ['gcr.io/google-containers/pause:3.2', 'registry.k8s.io/pause:3.2', true],
    ['gcr.io/google_containers/hyperkube:v1.17.0', 'registry.k8s.io/hyperkube:v1.17.0', true],
    ['bitnami/redis:7.2.4', 'bitnamilegacy/redis:7.2.4', false],
    ['docker.io/bitnami/postgresql:16.1.0-debian-11-r0', 'docker.io/bitnamilegacy/postgresql:16.1.0-debian-11-r0', false],
    ['index.docker.io/bitnami/nginx:1.25', 'docker.io/bitnamilegacy/nginx:1.25', false],
    // Not copied to the legacy repository: reported, no rewrite.
    ['bitnami/postgresql:11.14.0-debian-10-r22', null, false],
  ];
  for (const [image, rewritten, fixAll] of cases) {
    it(`${image} → ${rewritten ?? 'no rewrite'}`, () => {
      const text = pod(image);
      const [f] = found(text, {}, 'deprecated-registry');
      assert.ok(f, 'reported');
      if (rewritten === null) return assert.deepEqual(f.fixes, []);
      assert.equal(applyEdits(text, f.fixes[0].edits), pod(rewritten));
      assert.equal(f.fixes[0].fixAll === true, fixAll);
    });
  }

  it('what stayed is not reported: Bitnami\'s latest, Sealed Secrets, registry.k8s.io, gcr.io at large', () => {
    for (const image of ['bitnami/redis:latest', 'bitnami/redis', 'docker.io/bitnami/sealed-secrets-controller:0.27.1', 'registry.k8s.io/pause:3.9', 'gcr.io/distroless/static:nonroot', 'bitnamilegacy/redis:7.2.4', 'k8s.gcr.io.example.com/x:1']) {
      assert.deepEqual(found(pod(image), {}, 'deprecated-registry'), [], image);
    }
  });

  it('registryMoves adds moves (a repository prefix, a frozen host) and wins over the table', () => {
    const raw = { registryMoves: { 'quay.io/acme': 'ghcr.io/acme-corp', 'old.example.com': '', 'k8s.gcr.io': 'mirror.example.com/k8s' } };
    const moved = pod('quay.io/acme/api:2.1');
    assert.equal(applyEdits(moved, found(moved, raw, 'deprecated-registry')[0].fixes[0].edits), pod('ghcr.io/acme-corp/api:2.1'));
    assert.deepEqual(found(pod('quay.io/acmecorp/api:2.1'), raw, 'deprecated-registry'), [], 'a whole segment only');
    const [frozen] = found(pod('old.example.com/app:1'), raw, 'deprecated-registry');
    assert.equal(frozen.message, '"old.example.com" is frozen; use an image from elsewhere');
    assert.deepEqual(frozen.fixes, []);
    const k8s = pod('k8s.gcr.io/pause:3.9');
    assert.equal(applyEdits(k8s, found(k8s, raw, 'deprecated-registry')[0].fixes[0].edits), pod('mirror.example.com/k8s/pause:3.9'));
  });

  it('with lookups, the rewrite is offered once the registry says the image is there, never when it says it is not', () => {
    const text = pod('k8s.gcr.io/pause:3.9');
    const settings = settingsWith({ registry: { lookups: 'auto' } });
    const fixesWith = (known: Record<string, ReturnType<typeof singleImage> | null>) =>
      analyze(text, settings, { registry: knownRegistry(known) }).findings.find((f) => f.ruleId === 'deprecated-registry')!;
    assert.deepEqual(fixesWith({}).fixes, [], 'not known yet: the server offers a checked rewrite instead');
    assert.equal(fixesWith({ 'registry.k8s.io/pause:3.9': singleImage(`sha256:${'b'.repeat(64)}`) }).fixes.length, 1);
    const absent = fixesWith({ 'registry.k8s.io/pause:3.9': null });
    assert.deepEqual(absent.fixes, []);
    assert.match(absent.detail ?? '', /does not exist/);
  });

  it('an answer that arrives between analyses of the same text brings the rewrite (nothing cached stale)', () => {
    const text = pod('k8s.gcr.io/pause:3.9');
    const settings = settingsWith({ registry: { lookups: 'auto' } });
    const documents = new DocumentCache();
    const known: Record<string, ReturnType<typeof singleImage>> = {};
    const registry = knownRegistry(known);
    const fixes = () => analyze(text, settings, { registry, documents }).findings.find((f) => f.ruleId === 'deprecated-registry')!.fixes.length;
    assert.equal(fixes(), 0);
    known['registry.k8s.io/pause:3.9'] = singleImage(`sha256:${'b'.repeat(64)}`);
    assert.equal(fixes(), 1);
  });

  it('with a client that says what it knows, the registry rules run again only when that changes', () => {
    const text = [pod('nginx:1.27'), pod('k8s.gcr.io/pause:3.9')].join('---\n');
    const settings = settingsWith({ registry: { lookups: 'auto' } });
    const documents = new DocumentCache();
    const known: Record<string, ReturnType<typeof singleImage>> = {};
    const base = knownRegistry(known);
    let knowledge = 0;
    const asked: string[] = [];
    const registry = { ...base, knowledge: () => knowledge, cachedDescription: (ref: Parameters<typeof base.cachedDescription>[0]) => (asked.push(ref.path), base.cachedDescription(ref)) };
    const finding = (t: string) => analyze(t, settings, { registry, documents }).findings.find((f) => f.ruleId === 'deprecated-registry')!;
    assert.equal(finding(text).fixes.length, 0);
    assert.ok(asked.includes('pause'));
    // The first document edited: the second is not judged again, and its finding moved with it.
    asked.length = 0;
    const edited = text.replace('nginx:1.27', 'nginx:1.27.3');
    const moved = finding(edited);
    assert.ok(asked.includes('library/nginx'), 'the edited document is judged');
    assert.ok(!asked.includes('pause'), `the other is kept (asked: ${asked.join(', ')})`);
    assert.equal(edited.slice(moved.range.start, moved.range.end), 'k8s.gcr.io/pause:3.9');
    // The answer arrives and the client says so: the rules run again and see it.
    known['registry.k8s.io/pause:3.9'] = singleImage(`sha256:${'b'.repeat(64)}`);
    assert.equal(finding(edited).fixes.length, 0, 'the same knowledge: the kept findings');
    knowledge++;
    assert.equal(finding(edited).fixes.length, 1);
  });

  it('in a chart, the finding goes to the values scalar that wrote the moved part', () => {
    const values = 'image:\n  registry: docker.io\n  repository: bitnami/redis\n  tag: 7.2.4\n';
    const r = analyzeChart({
      chartYaml: { uri: 'file:///c/Chart.yaml', text: 'apiVersion: v2\nname: c\nversion: 1.0.0\n' },
      values: [{ uri: 'file:///c/values.yaml', text: values }],
      templates: [{ uri: 'file:///c/templates/d.yaml', name: 'c/templates/d.yaml', text: pod('"{{ .Values.image.registry }}/{{ .Values.image.repository }}:{{ .Values.image.tag }}"') }],
    }, settingsWith(), new WorkspaceIndex())!;
    const f = r.files.get('file:///c/values.yaml')?.findings.find((x) => x.ruleId === 'deprecated-registry');
    assert.ok(f, 'on values.yaml');
    assert.equal(values.slice(f.range.start, f.range.end), 'bitnami/redis');
  });
});

describe('node credentials and registry lists', () => {
  it('a cloud registry the nodes pull with their own credentials gets no private-image-without-pull-secret', () => {
    for (const image of ['123456789012.dkr.ecr.eu-west-1.amazonaws.com/api:1', 'europe-docker.pkg.dev/p/r/api:1', 'eu.gcr.io/p/api:1', 'acme.azurecr.io/api:1']) {
      assert.ok(!ids(pod(image)).includes('private-image-without-pull-secret'), image);
    }
    assert.ok(ids(pod('registry.acme.example/api:1')).includes('private-image-without-pull-secret'));
    assert.ok(ids(pod('acme.azurecr.io/api:1'), { nodeCredentials: [] }).includes('private-image-without-pull-secret'), 'nodeCredentials: [] expects secrets');
  });

  it('the hover says the node\'s credential provider is expected to serve it', () => {
    const text = pod('acme.azurecr.io/api:1');
    const a = analyzeText(text);
    const h = hover(a, text.indexOf('acme.azurecr'));
    assert.match(h?.markdown ?? '', /`acme\.azurecr\.io` is in `nodeCredentials`, so the node's credential provider is expected to serve it/);
  });

  it('deniedRegistries is reported by registry-not-allowed; "=" is one repository, not the ones under it', () => {
    const raw = { deniedRegistries: ['docker.io/library/*', '=quay.io/acme'] };
    assert.equal(found(pod('nginx:1.27'), raw, 'registry-not-allowed')[0]?.message, 'Registry denied: "docker.io/library/nginx" matches deniedRegistries pattern "docker.io/library/*"');
    assert.deepEqual(found(pod('ghcr.io/acme/api:1'), raw, 'registry-not-allowed'), []);
    assert.equal(registryGlobMatches('=quay.io/acme/api', 'quay.io', 'acme/api'), true);
    assert.equal(registryGlobMatches('=quay.io/acme/api', 'quay.io', 'acme/api/sub'), false);
    assert.equal(registryGlobMatches('quay.io/acme/api', 'quay.io', 'acme/api/sub'), true);
    assert.equal(registryGlobMatches('=docker.io/library/*', 'docker.io', 'library/nginx'), true);
    assert.deepEqual(found(pod('ghcr.io/acme/api:1'), { allowedRegistries: ['=ghcr.io/acme'] }, 'registry-not-allowed').length, 1, 'allowed: the exact form too');
  });
});

describe('missing-digest', () => {
  it('is off by default; on, it reports images without a digest except digestExemptions', () => {
    assert.ok(!ids(pod('nginx:1.27')).includes('missing-digest'));
    const raw = { rules: { 'missing-digest': 'error' }, digestExemptions: ['ghcr.io/acme/**'] };
    const [f] = found(pod('nginx:1.27'), raw, 'missing-digest');
    assert.equal(f.severity, 'error');
    assert.deepEqual(found(pod(`nginx:1.27@sha256:${'a'.repeat(64)}`), raw, 'missing-digest'), []);
    assert.deepEqual(found(pod('ghcr.io/acme/team/api:1'), raw, 'missing-digest'), []);
  });
});

describe('docker-hub-implied', () => {
  it('a first component that reads like a host', () => {
    for (const image of ['private-registry/container-image:1.0', 'myregistry/app:1', 'harbor/team/app:1', 'nexus/app:2', 'docker-registry/app', 'artifactory/app:1', 'my-registry/app:1', 'internal-docker/app:1']) {
      assert.deepEqual(ids(pod(image)).filter((r) => r === 'docker-hub-implied'), ['docker-hub-implied'], image);
    }
  });
  it('not a real host, a Docker Hub account of another kind, or an official image', () => {
    for (const image of ['registry:2', 'registry.example.com/app:1', 'harbor.corp:8443/app:1', 'localhost/app:1', 'gitlab/gitlab-ce:17.0', 'sonatype/nexus3:3.70', 'goharbor/harbor-core:v2.11', 'acme/registry-tools:1', 'bitnami/redis:7']) {
      assert.ok(!ids(pod(image)).includes('docker-hub-implied'), image);
    }
  });
});

describe('the platforms a pod may run on', () => {
  const need = (...podLines: string[]) => {
    const doc = parseAllDocuments(deploymentWith([...podLines, 'containers: [{name: a, image: x}]']))[0];
    const podSpec = doc.getIn(['spec', 'template', 'spec'], true) as YAMLMap;
    return podPlatforms({ podSpec } as never, settingsWith({ platforms: ['linux/amd64', 'linux/arm/v7'] }));
  };
  const text = (n: ReturnType<typeof need>) => n && `${n.source}: ${n.platforms.map((p) => [p.os, p.architecture, p.variant].map((x) => x ?? '*').join('/')).join(' ')}`;
  it('nodeSelector, legacy labels, required affinity (terms are alternatives), else the setting', () => {
    assert.equal(text(need('nodeSelector: {kubernetes.io/arch: arm64}')), 'nodeSelector: */arm64/*');
    assert.equal(text(need('nodeSelector: {beta.kubernetes.io/os: windows, kubernetes.io/arch: amd64}')), 'nodeSelector: windows/amd64/*');
    assert.equal(text(need(
      'affinity:', '  nodeAffinity:', '    requiredDuringSchedulingIgnoredDuringExecution:', '      nodeSelectorTerms:',
      '      - matchExpressions: [{key: kubernetes.io/arch, operator: In, values: [amd64]}]',
      '      - matchExpressions: [{key: kubernetes.io/arch, operator: In, values: [arm64, s390x]}]',
    )), 'node affinity: */amd64/* */arm64/* */s390x/*');
    assert.equal(text(need('nodeSelector: {disktype: ssd}')), 'platforms setting: linux/amd64/* linux/arm/v7');
  });
  it('what cannot be read is unknown, never a guess', () => {
    assert.equal(need('nodeSelector: {kubernetes.io/arch: "{{ .Values.arch }}"}'), null);
    assert.equal(need('affinity:', '  nodeAffinity:', '    requiredDuringSchedulingIgnoredDuringExecution:', '      nodeSelectorTerms:', '      - matchExpressions: [{key: kubernetes.io/arch, operator: NotIn, values: [arm64]}]'), null);
    // A term that does not constrain the architecture lets the pod run anywhere the other terms do not say.
    assert.equal(text(need('affinity:', '  nodeAffinity:', '    requiredDuringSchedulingIgnoredDuringExecution:', '      nodeSelectorTerms:',
      '      - matchExpressions: [{key: kubernetes.io/arch, operator: In, values: [amd64]}]', '      - matchExpressions: [{key: zone, operator: In, values: [a]}]')), 'platforms setting: linux/amd64/* linux/arm/v7');
  });
});

describe('with the registry\'s answers known', () => {
  const [A, B, OLD, NEW] = ['a', 'b', 'c', 'd'].map((c) => `sha256:${c.repeat(64)}`);
  const registry = knownRegistry({
    'ghcr.io/acme/amd:1': singleImage(A),
    'ghcr.io/acme/multi:1': imageIndex(NEW, { [A]: 'linux/amd64', [B]: 'linux/arm64' }),
    [`ghcr.io/acme/multi@${A}`]: singleImage(A),
    [`ghcr.io/acme/multi@${NEW}`]: imageIndex(NEW, { [A]: 'linux/amd64', [B]: 'linux/arm64' }),
    'ghcr.io/acme/moved:1': imageIndex(NEW, { [A]: 'linux/amd64', [B]: 'linux/arm64' }),
    [`ghcr.io/acme/moved@${OLD}`]: singleImage(OLD),
  });
  const run = (text: string, raw: Record<string, unknown> = {}) => analyze(text, settingsWith({ registry: { lookups: 'auto' }, ...raw }), { registry }).findings;

  it('image-platform-mismatch: none of the pod\'s platforms; a one-platform digest where the pod may land on several', () => {
    const arm = run(pod('ghcr.io/acme/amd:1', 'nodeSelector: {kubernetes.io/arch: arm64}')).filter((f) => f.ruleId === 'image-platform-mismatch');
    assert.deepEqual(arm.map((f) => f.message), ['No image for arm64 (nodeSelector); it has linux/amd64']);
    assert.deepEqual(run(pod('ghcr.io/acme/amd:1', 'nodeSelector: {kubernetes.io/arch: amd64}')).filter((f) => f.ruleId === 'image-platform-mismatch'), []);
    assert.deepEqual(run(pod('ghcr.io/acme/amd:1')).filter((f) => f.ruleId === 'image-platform-mismatch'), [], 'nothing says where it runs');
    const child = pod(`ghcr.io/acme/multi:1@${A}`);
    const [f] = run(child, { platforms: ['linux/amd64', 'linux/arm64'] }).filter((x) => x.ruleId === 'image-platform-mismatch');
    assert.equal(applyEdits(child, f.fixes[0].edits), pod(`ghcr.io/acme/multi:1@${NEW}`));
    assert.deepEqual(run(child, { platforms: ['linux/amd64'] }).filter((x) => x.ruleId === 'image-platform-mismatch'), [], 'one platform, and it is that one');
  });

  it('digest-tag-mismatch: the tag names another image; its children and the tag\'s own digest are fine', () => {
    const text = pod(`ghcr.io/acme/moved:1@${OLD}`);
    const [f] = run(text).filter((x) => x.ruleId === 'digest-tag-mismatch');
    assert.equal(f.message, 'Tag "1" now names another image; the pinned digest is what runs');
    assert.match(f.detail ?? '', /platforms added: linux\/arm64/);
    assert.deepEqual(f.fixes.map((x) => applyEdits(text, x.edits)), [pod(`ghcr.io/acme/moved:1@${NEW}`), pod(`ghcr.io/acme/moved@${OLD}`)]);
    for (const ok of [`ghcr.io/acme/multi:1@${A}`, `ghcr.io/acme/multi:1@${NEW}`]) assert.deepEqual(run(pod(ok)).filter((x) => x.ruleId === 'digest-tag-mismatch'), [], ok);
    assert.deepEqual(analyze(text, settingsWith()).findings.filter((x) => x.ruleId === 'digest-tag-mismatch'), [], 'never without the registry');
  });
});
