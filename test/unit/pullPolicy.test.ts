// Unit tests for imagePullPolicy defaulting (kubernetes pkg/apis/core/v1/defaults.go SetDefaults_Container).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultPullPolicy, effectivePullPolicy } from '../../server/src/service/image/pullPolicy';

const d64 = 'sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
const policy = (image: string | null): string => String(effectivePullPolicy(image, undefined).effective);

// kubernetes pkg/apis/core/v1/defaults_test.go:
// - TestSetDefaultReplicationControllerInitContainers "imagePullIPolicy": init container image "busybox" → Always.
// - TestWorkloadDefaults expectedDefaults: a container, init container and ephemeral container with no image at all
//   get `.ImagePullPolicy: "IfNotPresent"` (the empty image does not parse, so the tag is not "latest").
test('kubernetes defaults_test.go cases', () => {
  assert.equal(policy('busybox'), 'Always');
  assert.equal(policy(''), 'IfNotPresent');
  assert.equal(policy(null), 'IfNotPresent');
});

// kubernetes pkg/util/parsers/parsers_test.go TestParseImageName (9 cases): the tag ParseImageName returns,
// which SetDefaults_Container compares with "latest".
test('kubernetes parsers_test.go images through SetDefaults_Container', () => {
  const cases: [string, string][] = [
    ['root', 'Always'],
    ['root:tag', 'IfNotPresent'],
    [`root@${d64}`, 'IfNotPresent'],
    ['user/repo', 'Always'],
    ['user/repo:tag', 'IfNotPresent'],
    [`user/repo@${d64}`, 'IfNotPresent'],
    ['url:5000/repo', 'Always'],
    ['url:5000/repo:tag', 'IfNotPresent'],
    [`url:5000/repo@${d64}`, 'IfNotPresent'],
  ];
  for (const [image, expected] of cases) assert.equal(policy(image), expected, image);
});

// design/kubernetes-semantics.md §1 examples.
test('semantics doc: defaulting table', () => {
  const cases: [string, string][] = [
    ['nginx', 'Always'],
    ['nginx:latest', 'Always'],
    ['nginx:1.27', 'IfNotPresent'],
    [`nginx@${d64}`, 'IfNotPresent'],
    [`nginx:latest@${d64}`, 'Always'], // tag still "latest"; the runtime then pulls by digest
    ['nginx:Latest', 'IfNotPresent'], // case-sensitive
    ['nginx:LATEST', 'IfNotPresent'],
    ['NGINX', 'IfNotPresent'], // unparsable
    ['NGINX:latest', 'IfNotPresent'], // unparsable, even with :latest
    ['nginx@sha256:abc', 'IfNotPresent'], // bad digest
    ['nginx:latest@sha256:abc', 'IfNotPresent'], // unparsable
    [`nginx:latest@sha256:${'A'.repeat(64)}`, 'IfNotPresent'], // go-digest rejects uppercase hex
    [`nginx:latest@md5:${'a'.repeat(32)}`, 'IfNotPresent'], // unsupported algorithm
    ['localhost:5000/app', 'Always'], // no tag
    ['localhost:5000/app:latest', 'Always'],
    ['test.com:5000', 'IfNotPresent'], // tag "5000"
    ['Foo/bar:latest', 'Always'], // registry "Foo"
    ['gcr.io/distroless/static', 'Always'],
    [' nginx', 'IfNotPresent'], // whitespace never parses
    ['nginx:latest ', 'IfNotPresent'],
    ['0123456789abcdef'.repeat(4), 'IfNotPresent'], // bare image ID
    [`nginx@sha384:${'a'.repeat(96)}`, 'IfNotPresent'],
    [`nginx:latest@sha512:${'a'.repeat(128)}`, 'Always'],
  ];
  for (const [image, expected] of cases) assert.equal(policy(image), expected, image);
});

test('explicit values are kept as written, valid or not', () => {
  for (const p of ['Always', 'IfNotPresent', 'Never']) {
    for (const image of ['nginx', 'nginx:latest', 'nginx:1.27', 'NGINX', '']) {
      assert.deepEqual(effectivePullPolicy(image, p), { effective: p, explicit: p, source: 'explicit', reason: 'Set explicitly.' });
    }
  }
  const invalid = effectivePullPolicy('nginx:latest', 'always');
  assert.equal(invalid.effective, 'always');
  assert.equal(invalid.explicit, 'always');
  assert.equal(invalid.source, 'explicit');
  assert.match(invalid.reason, /^Set explicitly, but "always" is not a supported value/);
  assert.equal(effectivePullPolicy('nginx', ' Always').effective, ' Always'); // no trimming: validation is exact
});

test('absent means undefined, null or the empty string', () => {
  for (const absent of [undefined, null, '']) {
    const r = effectivePullPolicy('nginx:1.27', absent);
    assert.equal(r.effective, 'IfNotPresent');
    assert.equal(r.explicit, null);
    assert.equal(r.source, 'default');
  }
});

test('reasons say why', () => {
  assert.equal(effectivePullPolicy('nginx', null).reason, 'Defaulted to Always because the image has no tag, so Kubernetes assumes :latest.');
  assert.equal(effectivePullPolicy('nginx:latest', null).reason, 'Defaulted to Always because the tag is "latest".');
  assert.equal(
    effectivePullPolicy(`nginx:latest@${d64}`, null).reason,
    'Defaulted to Always because the tag is "latest" (the digest does not change this default; the runtime still pulls by digest).',
  );
  assert.equal(effectivePullPolicy(`nginx@${d64}`, null).reason, 'Defaulted to IfNotPresent because the image is pinned by digest and has no tag.');
  assert.equal(effectivePullPolicy('nginx:1.27', null).reason, 'Defaulted to IfNotPresent because the tag is "1.27", not "latest".');
  assert.equal(effectivePullPolicy('nginx:Latest', null).reason, 'Defaulted to IfNotPresent because the tag is "Latest", not "latest" (the comparison is case-sensitive).');
  assert.equal(
    effectivePullPolicy('NGINX', null).reason,
    'Defaulted to IfNotPresent because the image reference cannot be parsed (invalid reference format: repository name (library/NGINX) must be lowercase); the kubelet will fail the container with InvalidImageName.',
  );
  assert.match(effectivePullPolicy('', null).reason, /^Defaulted to IfNotPresent because there is no image/);
  assert.equal(effectivePullPolicy('nginx', 'Never').reason, 'Set explicitly.');
});

test('defaultPullPolicy ignores any explicit value', () => {
  assert.deepEqual(defaultPullPolicy('nginx').policy, 'Always');
  assert.deepEqual(defaultPullPolicy(undefined).policy, 'IfNotPresent');
});
