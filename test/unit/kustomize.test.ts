// Kustomize without kustomize: the image rewrite (ported from sigs.k8s.io/kustomize api/image/image.go and
// api/filters/imagetag/updater.go), linting of `images:` entries, the effective images of overlays, and
// linting a base as an overlay renders it.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeIn, analyzeText, deploymentWith, markers, settingsWith, workspace, yaml } from '../helpers';
import { applyKustomizeImage, kustomizeImageMatches, kustomizeSplit } from '../../server/src/service/workspace/kustomize';
import { analyzeEffective } from '../../server/src/service/workspace/effectiveImages';
import { hover } from '../../server/src/service/hover';

const DIGEST = `sha256:${'a'.repeat(64)}`;

describe('kustomize image.Split', () => {
  const cases: [image: string, name: string, tag: string, digest: string][] = [
    ['nginx', 'nginx', '', ''],
    ['nginx:1.27', 'nginx', '1.27', ''],
    ['nginx@sha256:abc', 'nginx', '', 'sha256:abc'],
    ['nginx:1.27@sha256:abc', 'nginx', '1.27', 'sha256:abc'],
    ['localhost:5000/app', 'localhost:5000/app', '', ''],
    ['localhost:5000/app:1', 'localhost:5000/app', '1', ''],
    ['localhost:5000/app:1@sha256:abc', 'localhost:5000/app', '1', 'sha256:abc'],
    ['gcr.io/x/y@sha256:abc', 'gcr.io/x/y', '', 'sha256:abc'],
  ];
  for (const [image, name, tag, digest] of cases) it(image, () => assert.deepEqual(kustomizeSplit(image), { name, tag, digest }));
});

describe('kustomize image.IsImageMatched', () => {
  const cases: [image: string, name: string, match: boolean][] = [
    ['nginx', 'nginx', true],
    ['nginx:1.27', 'nginx', true],
    ['nginx@sha256:abc', 'nginx', true],
    ['nginx:1.27@sha256:abc', 'nginx', true],
    ['nginx-ingress:1', 'nginx', false],
    ['docker.io/library/nginx:1', 'nginx', false], // no normalization
    ['nginx:{{tag}}', 'nginx', true], // Bazel-style tag patterns
    ['registry.example.com/team/app:1', 'registry.example.com/team/app', true],
  ];
  for (const [image, name, match] of cases) it(`${image} ~ ${name}`, () => assert.equal(kustomizeImageMatches(image, name), match));
});

describe('kustomize imageTagUpdater', () => {
  const e = (o: Partial<{ name: string; newName: string; newTag: string; digest: string; tagSuffix: string }>) =>
    ({ name: o.name ?? 'nginx', newName: o.newName ?? null, newTag: o.newTag ?? null, digest: o.digest ?? null, tagSuffix: o.tagSuffix ?? null });
  const cases: [image: string, entry: ReturnType<typeof e>, out: string | null][] = [
    ['nginx:1.25', e({ newTag: '1.27' }), 'nginx:1.27'],
    ['nginx', e({ newTag: '1.27' }), 'nginx:1.27'],
    ['nginx:1.25@sha256:abc', e({ newTag: '1.27' }), 'nginx:1.27'], // a new tag drops the old digest
    ['nginx:1.25', e({ digest: DIGEST }), `nginx@${DIGEST}`], // a new digest drops the old tag
    ['nginx:1.25', e({ newTag: '1.27', digest: DIGEST }), `nginx:1.27@${DIGEST}`],
    ['nginx:1.25', e({ newName: 'registry.example.com/nginx' }), 'registry.example.com/nginx:1.25'],
    ['postgres:8', e({ name: 'postgres', newName: 'my-registry/my-postgres', newTag: 'v1' }), 'my-registry/my-postgres:v1'],
    ['redis:7', e({ newTag: '1.27' }), null],
    // tagSuffix (updater.go: `case TagSuffix != "": tag += TagSuffix; digest = ""`, only without newTag and digest)
    ['nginx:1.25', e({ tagSuffix: '-debug' }), 'nginx:1.25-debug'],
    ['nginx', e({ tagSuffix: '-debug' }), 'nginx:-debug'],
    ['nginx:1.25@sha256:abc', e({ tagSuffix: '-debug' }), 'nginx:1.25-debug'],
    ['nginx:1.25', e({ newTag: '1.27', tagSuffix: '-debug' }), 'nginx:1.27'],
    ['nginx:1.25', e({ digest: DIGEST, tagSuffix: '-debug' }), `nginx@${DIGEST}`],
  ];
  for (const [image, entry, out] of cases) it(`${image} with ${JSON.stringify(entry)}`, () => assert.equal(applyKustomizeImage(image, entry), out));
});

describe('linting images: entries', () => {
  const K = 'file:///w/overlays/prod/kustomization.yaml';
  const lint = (src: string, rule: string, uri = K) => {
    const { text, ranges } = markers(src);
    const found = analyzeIn({ [uri]: text }, uri).findings.filter((f) => f.ruleId === rule);
    assert.deepEqual(found.map((f) => f.range), ranges, `${rule} in:\n${text}\n${found.map((f) => f.message).join('\n')}`);
    return found;
  };
  const images = (...lines: string[]) => yaml('resources: [../../base]', 'images:', ...lines);

  it('an invalid newName', () => {
    const [f] = lint(images('- name: nginx', '  newName: [[Registry.example.com/Team/nginx]]'), 'invalid-image-reference');
    assert.equal(f.message, 'newName is not a valid image name: repository name must be lowercase');
  });
  it('a newName with a tag', () => {
    const [f] = lint(images('- name: nginx', '  newName: [[registry.example.com/nginx:1.27]]'), 'invalid-image-reference');
    assert.equal(f.message, 'Move the tag "1.27" of newName to newTag: kustomize appends its own');
  });
  it('an invalid newTag', () => { lint(images('- name: nginx', '  newTag: [[v1/2]]'), 'invalid-image-reference'); });
  it('a numeric newTag is read as written (1.20 stays 1.20)', () => {
    lint(images('- name: nginx', '  newTag: 1.20'), 'invalid-image-reference');
  });
  it('a digest without its algorithm', () => {
    const [f] = lint(images('- name: nginx', `  digest: [[${'a'.repeat(64)}]]`), 'invalid-image-reference');
    assert.equal(f.message, 'Add the "sha256:" prefix to this digest');
  });
  it('a tagSuffix that cannot be part of a tag', () => { lint(images('- name: nginx', '  tagSuffix: [[-debug/2]]'), 'invalid-image-reference'); });
  it('a tagSuffix may start with "-" or ".", and is ignored next to a newTag', () => {
    lint(images('- name: nginx', '  tagSuffix: -debug'), 'invalid-image-reference');
    lint(images('- name: nginx', '  newTag: "1.27"', '  tagSuffix: a/b'), 'invalid-image-reference');
  });
  it('newTag: latest', () => { lint(images('- name: nginx', '  newTag: [[latest]]'), 'latest-tag'); });
  it('newTag: latest with a digest is pinned', () => { lint(images('- name: nginx', '  newTag: latest', `  digest: ${DIGEST}`), 'latest-tag'); });
  it('placeholders for a pipeline are not judged', () => {
    lint(images('- name: app', '  newName: CONTAINER_IMAGES_REGISTRY/app', '  newTag: ${TAG}'), 'invalid-image-reference');
  });
  it('a Component and a Kustomization document are recognized by kind, whatever the file name', () => {
    lint(yaml('apiVersion: kustomize.config.k8s.io/v1alpha1', 'kind: Component', 'images:', '- name: nginx', '  newTag: [[latest]]'), 'latest-tag', 'file:///w/comp.yaml');
    const text = yaml('apiVersion: kustomize.config.k8s.io/v1beta1', 'kind: Kustomization', 'images:', '- name: nginx', '  newTag: latest');
    assert.deepEqual(analyzeText(text).findings.map((f) => f.ruleId), ['latest-tag']);
  });
  it('other files with an images: key are not kustomizations', () => {
    lint(yaml('images:', '- name: nginx', '  newTag: latest'), 'latest-tag', 'file:///w/values.yaml');
  });
});

describe('overlays: effective images in hovers and in linting', () => {
  const files = {
    'file:///w/base/deploy.yaml': deploymentWith(['containers:', '- name: web', '  image: nginx:1.25', '- name: side', '  image: busybox:1.36']),
    'file:///w/base/kustomization.yaml': yaml('resources: [deploy.yaml]'),
    'file:///w/overlays/prod/kustomization.yaml': yaml('resources: [../../base]', 'images:', '- name: nginx', '  newName: registry.example.com/mirror/nginx', '  newTag: "1.27.2"'),
    'file:///w/overlays/dev/kustomization.yaml': yaml('resources: [../../base]', 'components: [../../components/latest]'),
    'file:///w/components/latest/kustomization.yaml': yaml('apiVersion: kustomize.config.k8s.io/v1alpha1', 'kind: Component', 'images:', '- name: nginx', '  newTag: latest'),
  };
  const index = workspace(files);

  it('the index knows what each overlay makes of a base image', () => {
    const rewrites = index.rewrites('file:///w/base/deploy.yaml', 'nginx:1.25').map((r) => [r.root.key, r.image]).sort();
    assert.deepEqual(rewrites, [
      ['file:///w/overlays/dev/kustomization.yaml', 'nginx:latest'],
      ['file:///w/overlays/prod/kustomization.yaml', 'registry.example.com/mirror/nginx:1.27.2'],
    ]);
    assert.deepEqual(index.rewrites('file:///w/base/deploy.yaml', 'busybox:1.36'), []);
  });

  it('the hover of the base image lists them', () => {
    const a = analyzeIn(files, 'file:///w/base/deploy.yaml', {}, index);
    const md = hover(a, files['file:///w/base/deploy.yaml'].indexOf('nginx:1.25') + 2)!.markdown;
    assert.ok(md.includes('**Kustomize:** the overlays that rewrite this image build it as:'), md);
    assert.ok(md.includes('- `../overlays/prod` → `registry.example.com/mirror/nginx:1.27.2`'), md);
    assert.ok(md.includes('- `../overlays/dev` → `nginx:latest` via `../components/latest/kustomization.yaml`'), md);
  });

  it('a base linted as an overlay renders it: findings on the image as written, the entry\'s own once', () => {
    const uri = 'file:///w/base/deploy.yaml';
    const text = files[uri];
    const root = 'file:///w/overlays/dev/kustomization.yaml';
    const a = analyzeEffective(text, settingsWith(), { uri, workspace: index }, (f) => {
      const image = index.rewrites(uri, f.image!).find((r) => r.root.key === root)?.image;
      return image ? { image, imageBy: 'images' } : null;
    });
    // latest-tag is the overlay entry's own (newTag: latest), reported there once; what follows from it is here.
    assert.deepEqual(a.findings.filter((f) => f.ruleId === 'latest-tag'), []);
    const implicit = a.findings.filter((f) => f.ruleId === 'implicit-pull-policy' && f.range.start === text.indexOf('nginx:1.25'));
    assert.equal(implicit.length, 1);
    assert.deepEqual(implicit[0].range, { start: text.indexOf('nginx:1.25'), end: text.indexOf('nginx:1.25') + 'nginx:1.25'.length });
    assert.equal(implicit[0].message, 'Kubernetes sets imagePullPolicy: Always (tag is latest); write it explicitly (the overlay makes it "nginx:latest")');
    // The other image is untouched, and its range still points at it.
    const busybox = a.images.find((i) => i.image === 'busybox:1.36')!;
    assert.deepEqual(busybox.range, { start: text.indexOf('busybox:1.36'), end: text.indexOf('busybox:1.36') + 'busybox:1.36'.length });
    assert.equal(a.lines.text, text);
  });
});
