// Data-driven tests of the image rules: text in, findings (rule, exact range) out, and every quick fix as
// text-before -> apply -> text-after. `[[…]]` in a fixture marks an expected range of the rule under test.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeText, applyEdits, markers, yaml } from '../helpers';
import type { Finding } from '../../server/src/service/types';
import { registryGlobMatches } from '../../server/src/service/rules/registryNotAllowed';

const DIGEST = `sha256:${'a'.repeat(64)}`;
const POD = ['apiVersion: v1', 'kind: Pod', 'metadata:', '  name: p', 'spec:'];
/** A Pod whose `spec:` is followed by `lines` (indented two spaces, `containers:` etc. included). */
const podSpec = (...lines: string[]) => yaml(...POD, ...lines);
/** A Pod with one container list: `lines` go below `  containers:`. */
const pod = (...lines: string[]) => podSpec('  containers:', ...lines);
/** The usual single container with an image value written as given (markers allowed). */
const one = (image: string, ...more: string[]) => pod('  - name: web', `    image: ${image}`, ...more);

function findings(text: string, ruleId: string, settings: Record<string, unknown> = {}): Finding[] {
  return analyzeText(text, settings).findings.filter((f) => f.ruleId === ruleId);
}

/** Asserts that `ruleId` reports exactly the `[[…]]` ranges of `src` (none when there are none). */
function expectRanges(src: string, ruleId: string, settings: Record<string, unknown> = {}): Finding[] {
  const { text, ranges } = markers(src);
  const found = findings(text, ruleId, settings);
  assert.deepEqual(found.map((f) => f.range), ranges, `${ruleId} ranges in:\n${text}`);
  return found;
}

/** Applies the fix titled `title` of the first `ruleId` finding and returns the new text. */
function applyFix(text: string, ruleId: string, title: string, settings: Record<string, unknown> = {}): { text: string; fixAll: boolean; isPreferred: boolean } {
  const f = findings(text, ruleId, settings)[0];
  assert.ok(f, `no ${ruleId} finding in:\n${text}`);
  const fix = f.fixes.find((x) => x.title === title);
  assert.ok(fix, `no fix "${title}" on ${ruleId}; have: ${f.fixes.map((x) => x.title).join(', ')}`);
  return { text: applyEdits(text, fix.edits), fixAll: !!fix.fixAll, isPreferred: !!fix.isPreferred };
}

interface RangeCase { name: string; rule: string; src: string; settings?: Record<string, unknown> }
interface FixCase { name: string; rule: string; title: string; before: string; after: string; fixAll: boolean; settings?: Record<string, unknown> }

function runRangeCases(cases: RangeCase[]): void {
  for (const c of cases) it(`${c.rule}: ${c.name}`, () => { expectRanges(c.src, c.rule, c.settings); });
}

function runFixCases(cases: FixCase[]): void {
  for (const c of cases) {
    it(`${c.rule} fix "${c.title}": ${c.name}`, () => {
      const out = applyFix(c.before, c.rule, c.title, c.settings);
      assert.equal(out.text, c.after);
      assert.equal(out.fixAll, c.fixAll, 'fixAll');
      // The fixed text must no longer trigger the rule's finding at that place (and must still parse).
      assert.deepEqual(findings(out.text, 'yaml-syntax'), []);
    });
  }
}

// ------------------------------------------------------------------------------------------------------------

describe('yaml-syntax', () => {
  it('reports parser errors in a Kubernetes file with a non-empty range', () => {
    const text = yaml(...POD, '  containers:', '  - name: web', '    image: "nginx');
    const found = findings(text, 'yaml-syntax');
    assert.ok(found.length >= 1);
    for (const f of found) {
      assert.equal(f.severity, 'error');
      assert.ok(f.range.end > f.range.start, 'widened to at least one character');
      assert.ok(f.range.end <= text.length);
      assert.match(f.message, /^Invalid YAML: \S.+[^.]$/);
      assert.ok(f.message.length <= 100, f.message);
    }
  });
  it('reports errors when the broken file yields no object but has apiVersion and kind lines', () => {
    const text = yaml('apiVersion: v1', 'kind: Pod', 'spec:', '\tcontainers: []');
    assert.ok(findings(text, 'yaml-syntax').length >= 1);
  });
  it('stays silent for broken non-Kubernetes YAML', () => {
    assert.deepEqual(findings(yaml('on: push', 'jobs:', '  build:', '    steps: [', '\tbad'), 'yaml-syntax'), []);
  });
  it('stays silent for Helm templates, even when broken', () => {
    const text = yaml('apiVersion: v1', 'kind: Pod', 'spec:', '  containers:', '  {{- range .Values.c }}', '  - image: "{{ .Values.image }}"', '  {{- end }}', '  a: [');
    assert.deepEqual(analyzeText(text).findings, []);
  });
  it('is silent for valid files and can be turned off', () => {
    assert.deepEqual(findings(one('nginx:1.27'), 'yaml-syntax'), []);
    const broken = yaml(...POD, '  containers:', '  - name: "web');
    assert.deepEqual(findings(broken, 'yaml-syntax', { rules: { 'yaml-syntax': 'off' } }), []);
    assert.equal(findings(broken, 'yaml-syntax', { rules: { 'yaml-syntax': 'warning' } })[0].severity, 'warning');
  });
});

describe('missing-image', () => {
  runRangeCases([
    { name: 'no image key: the name value', rule: 'missing-image', src: pod('  - name: [[web]]', '    ports: []') },
    { name: 'empty string', rule: 'missing-image', src: pod('  - name: [[web]]', '    image: ""') },
    { name: 'null value', rule: 'missing-image', src: pod('  - name: [[web]]', '    image:') },
    { name: 'explicit null', rule: 'missing-image', src: pod('  - name: [[web]]', '    image: null') },
    { name: 'no name: the image key', rule: 'missing-image', src: pod('  - [[image]]: ~') },
    { name: 'no name, no image: the first key', rule: 'missing-image', src: pod('  - [[imagePullPolicy]]: Always') },
    { name: 'init container', rule: 'missing-image', src: podSpec('  initContainers:', '  - name: [[init]]', '  containers:', '  - name: web', '    image: nginx:1.27') },
    { name: 'flow map', rule: 'missing-image', src: pod('  - {name: [[web]], image: ""}') },
    { name: 'present image is fine', rule: 'missing-image', src: one('nginx:1.27') },
    { name: 'image volumes are not containers', rule: 'missing-image', src: podSpec('  containers:', '  - name: web', '    image: nginx:1.27', '  volumes:', '  - name: v', '    image:', '      pullPolicy: Always') },
    { name: 'templated images are not missing', rule: 'missing-image', src: one('"{{ .Values.image }}"') },
  ]);
  it('says which container and what to do', () => {
    const [f] = findings(podSpec('  initContainers:', '  - name: init', '  containers: []'), 'missing-image');
    assert.equal(f.severity, 'error');
    assert.equal(f.message, 'Init container "init" has no image; the API server rejects it (image: Required value)');
    assert.match(f.detail ?? '', /needs an image/);
    assert.deepEqual(f.fixes, []);
  });
});

describe('invalid-image-reference', () => {
  runRangeCases([
    { name: 'uppercase repository', rule: 'invalid-image-reference', src: one('[[NGINX]]') },
    { name: 'quoted: range includes the quotes', rule: 'invalid-image-reference', src: one('[["NGINX:1.0"]]  # web') },
    { name: 'trailing whitespace', rule: 'invalid-image-reference', src: one(`[['nginx:1.27 ']]`) },
    { name: 'empty tag', rule: 'invalid-image-reference', src: one('[["nginx:"]]') },
    { name: 'nginx: is a YAML map, not a string', rule: 'invalid-image-reference', src: one('[[nginx:]]') },
    { name: 'short digest', rule: 'invalid-image-reference', src: one('[[nginx:latest@sha256:abc]]') },
    { name: 'a number', rule: 'invalid-image-reference', src: one('[[123]]') },
    { name: 'a boolean', rule: 'invalid-image-reference', src: one('[[true]]') },
    { name: 'a map', rule: 'invalid-image-reference', src: one('[[{name: nginx}]]') },
    { name: 'valid references', rule: 'invalid-image-reference', src: pod('  - {name: a, image: nginx}', '  - {name: b, image: "Foo/bar:V1"}', '  - {name: c, image: "localhost:5000/app"}', `  - {name: d, image: "nginx@${DIGEST}"}`) },
    { name: 'empty is missing-image, not this', rule: 'invalid-image-reference', src: one('""') },
    { name: 'templated', rule: 'invalid-image-reference', src: one('"{{ .Values.image | upper }}"') },
    { name: 'image volume reference', rule: 'invalid-image-reference', src: podSpec('  containers: []', '  volumes:', '  - name: v', '    image:', '      reference: [[Repo/X:1]]') },
  ]);

  it('phrases the message like the kubelet and says what to do', () => {
    const [f] = findings(one('NGINX'), 'invalid-image-reference');
    assert.equal(f.severity, 'error');
    assert.equal(f.message, 'Invalid image name: repository name must be lowercase; use "nginx"');
    assert.match(f.detail ?? '', /couldn't parse image name: invalid reference format: repository name \(library\/NGINX\) must be lowercase\), and the container fails with InvalidImageName/);
  });
  it('explains a bare "invalid reference format" and offers no fix when none is safe', () => {
    const [f] = findings(one('"nginx:"'), 'invalid-image-reference');
    assert.equal(f.message, 'Invalid image name: the tag after ":" is empty');
    assert.match(f.detail ?? '', /An image is `\[registry\[:port\]\/\]repository/);
    assert.deepEqual(f.fixes, []);
  });
  it('names the type of a non-string image', () => {
    assert.match(findings(one('123'), 'invalid-image-reference')[0].message, /not the number 123;/);
    assert.match(findings(one('{name: nginx}'), 'invalid-image-reference')[0].message, /not a map;/);
    assert.match(findings(one('[nginx]'), 'invalid-image-reference')[0].message, /not a list;/);
  });
  it('is preferred and fix-all', () => {
    const out = applyFix(one('NGINX'), 'invalid-image-reference', "Change to 'nginx'");
    assert.ok(out.fixAll && out.isPreferred);
  });

  runFixCases([
    { name: 'plain', rule: 'invalid-image-reference', title: "Change to 'nginx'", before: one('NGINX'), after: one('nginx'), fixAll: true },
    { name: 'double quotes and a comment stay', rule: 'invalid-image-reference', title: "Change to 'nginx:1.0'", before: one('"NGINX:1.0"  # web'), after: one('"nginx:1.0"  # web'), fixAll: true },
    { name: 'single quotes, trim', rule: 'invalid-image-reference', title: "Change to 'nginx:1.27'", before: one("' nginx:1.27 '"), after: one("'nginx:1.27'"), fixAll: true },
    { name: 'tag case is kept', rule: 'invalid-image-reference', title: "Change to 'myorg/app:V1'", before: one('MyOrg/App:V1'), after: one('myorg/app:V1'), fixAll: true },
    { name: 'registry host case is kept', rule: 'invalid-image-reference', title: "Change to 'Registry.Example.com/team/app'", before: one('Registry.Example.com/Team/App'), after: one('Registry.Example.com/team/app'), fixAll: true },
    { name: 'flow map', rule: 'invalid-image-reference', title: "Change to 'nginx'", before: pod('  - {name: a, image: NGINX, imagePullPolicy: Always}'), after: pod('  - {name: a, image: nginx, imagePullPolicy: Always}'), fixAll: true },
    { name: 'CRLF', rule: 'invalid-image-reference', title: "Change to 'nginx'", before: one('NGINX').replace(/\n/g, '\r\n'), after: one('nginx').replace(/\n/g, '\r\n'), fixAll: true },
    { name: 'block scalar becomes plain', rule: 'invalid-image-reference', title: "Change to 'nginx'", before: pod('  - name: web', '    image: |', '      NGINX', '    imagePullPolicy: Always'), after: pod('  - name: web', '    image: nginx', '    imagePullPolicy: Always'), fixAll: true },
    { name: 'non-ASCII comment before it', rule: 'invalid-image-reference', title: "Change to 'nginx'", before: pod('  # café ☕ 日本語 🚀', '  - name: web', '    image: "NGINX"'), after: pod('  # café ☕ 日本語 🚀', '  - name: web', '    image: "nginx"'), fixAll: true },
  ]);
});

describe('latest-tag, missing-tag, mutable-tag', () => {
  runRangeCases([
    { name: 'explicit latest', rule: 'latest-tag', src: one('[[nginx:latest]]') },
    { name: 'quoted latest', rule: 'latest-tag', src: one('[["nginx:latest"]]  # note') },
    { name: 'Latest is another tag (byte-exact)', rule: 'latest-tag', src: one('nginx:Latest') },
    { name: 'latest with digest is pinned', rule: 'latest-tag', src: one(`nginx:latest@${DIGEST}`) },
    { name: 'latest is not missing-tag', rule: 'missing-tag', src: one('nginx:latest') },
    { name: 'no tag', rule: 'missing-tag', src: one('[[nginx]]') },
    { name: 'registry with port, no tag', rule: 'missing-tag', src: one('[["localhost:5000/app"]]') },
    { name: 'host:port without slash is a tag', rule: 'missing-tag', src: one('"test.com:5000"') },
    { name: 'digest only', rule: 'missing-tag', src: one(`nginx@${DIGEST}`) },
    { name: 'version tag', rule: 'missing-tag', src: one('nginx:1.27') },
    { name: 'invalid references are not judged', rule: 'missing-tag', src: one('NGINX') },
    { name: 'mutable default list', rule: 'mutable-tag', src: one('[[nginx:stable]]') },
    { name: 'mutable, case-insensitive', rule: 'mutable-tag', src: one('[[app:Nightly]]') },
    { name: 'mutable with digest', rule: 'mutable-tag', src: one(`app:main@${DIGEST}`) },
    { name: 'custom mutableTags', rule: 'mutable-tag', src: pod('  - {name: a, image: [[app:rolling]]}', '  - {name: b, image: app:stable}'), settings: { mutableTags: ['rolling'] } },
    { name: 'latest is not mutable-tag', rule: 'mutable-tag', src: one('nginx:latest') },
    { name: 'multi-document: the second one', rule: 'latest-tag', src: one('nginx:1.27') + '---\n' + one('[[nginx:latest]]') },
    { name: 'kind: List items', rule: 'latest-tag', src: yaml('apiVersion: v1', 'kind: List', 'items:', '- apiVersion: v1', '  kind: Pod', '  metadata: {name: p}', '  spec:', '    containers:', '    - name: a', '      image: [[nginx:latest]]') },
    { name: 'CronJob', rule: 'missing-tag', src: yaml('apiVersion: batch/v1', 'kind: CronJob', 'metadata: {name: c}', 'spec:', '  schedule: "* * * * *"', '  jobTemplate:', '    spec:', '      template:', '        spec:', '          containers:', '          - name: c', '            image: [[busybox]]') },
    { name: 'image volume', rule: 'latest-tag', src: podSpec('  containers:', '  - name: web', '    image: nginx:1.27', '  volumes:', '  - name: data', '    image:', '      reference: [[quay.io/org/data:latest]]') },
    { name: 'init and ephemeral containers', rule: 'missing-tag', src: podSpec('  initContainers:', '  - {name: i, image: [[busybox]]}', '  containers:', '  - {name: c, image: nginx:1.27}', '  ephemeralContainers:', '  - {name: e, image: [[debian]]}') },
    { name: 'non-ASCII comment before the image', rule: 'latest-tag', src: pod('  # ünïcödé ☕ 🚀 𝔘', '  - name: web  # 日本語', '    image: [[nginx:latest]]') },
    { name: 'off', rule: 'latest-tag', src: one('nginx:latest'), settings: { rules: { 'latest-tag': 'off' } } },
  ]);

  it('uses the default severities and honours overrides', () => {
    assert.equal(findings(one('nginx:latest'), 'latest-tag')[0].severity, 'warning');
    assert.equal(findings(one('nginx'), 'missing-tag')[0].severity, 'warning');
    assert.equal(findings(one('nginx:edge'), 'mutable-tag')[0].severity, 'info');
    assert.equal(findings(one('nginx'), 'missing-tag', { rules: { 'missing-tag': 'error' } })[0].severity, 'error');
  });
  it('explains the consequence', () => {
    const [missing] = findings(one('nginx'), 'missing-tag');
    assert.equal(missing.message, 'No tag, so "nginx:latest" is pulled; pin a version or a digest');
    assert.match(missing.detail ?? '', /whatever that is on the day a node pulls it/);
    assert.equal(findings(one('nginx:latest'), 'latest-tag')[0].message, '":latest" moves with every push; pin a version or a digest');
    assert.match(findings(one('nginx:latest'), 'latest-tag')[0].detail ?? '', /a rollback cannot restore the old one/);
    assert.equal(findings(one('nginx:stable'), 'mutable-tag')[0].message, 'Tag "stable" moves to new builds (mutableTags); pin a version or a digest');
    assert.match(findings(one('nginx:stable'), 'mutable-tag')[0].detail ?? '', /With the default IfNotPresent, each node keeps the build it pulled first/);
    assert.match(findings(one('nginx:stable', '    imagePullPolicy: Always'), 'mutable-tag')[0].detail ?? '', /Every container start pulls/);
  });
  it('offers the explicit-policy fix only when no policy is set', () => {
    assert.deepEqual(findings(one('nginx:latest', '    imagePullPolicy: Always'), 'latest-tag')[0].fixes, []);
    assert.deepEqual(findings(one('nginx:latest', '    imagePullPolicy: IfNotPresent'), 'latest-tag')[0].fixes, []);
  });

  const T = 'Set imagePullPolicy: Always explicitly';
  runFixCases([
    { name: 'block map', rule: 'latest-tag', title: T, before: one('nginx:latest'), after: one('nginx:latest', '    imagePullPolicy: Always'), fixAll: false },
    { name: 'comment after the image', rule: 'missing-tag', title: T, before: one('"nginx"  # the web server', '    ports: []'), after: one('"nginx"  # the web server', '    imagePullPolicy: Always', '    ports: []'), fixAll: false },
    { name: 'image first after the dash', rule: 'missing-tag', title: T, before: pod('  - image: nginx', '    name: web'), after: pod('  - image: nginx', '    imagePullPolicy: Always', '    name: web'), fixAll: false },
    { name: 'flow map', rule: 'latest-tag', title: T, before: pod('  - {name: a, image: nginx:latest}'), after: pod('  - {name: a, image: nginx:latest, imagePullPolicy: Always}'), fixAll: false },
    { name: 'CRLF', rule: 'latest-tag', title: T, before: one('nginx:latest').replace(/\n/g, '\r\n'), after: one('nginx:latest', '    imagePullPolicy: Always').replace(/\n/g, '\r\n'), fixAll: false },
    { name: 'empty string policy', rule: 'latest-tag', title: T, before: one('nginx:latest', '    imagePullPolicy: ""'), after: one('nginx:latest', '    imagePullPolicy: "Always"'), fixAll: false },
    { name: 'null policy with a comment', rule: 'latest-tag', title: T, before: one('nginx:latest', '    imagePullPolicy:   # todo'), after: one('nginx:latest', '    imagePullPolicy:   Always # todo'), fixAll: false },
    { name: 'mutable tag', rule: 'mutable-tag', title: T, before: one('nginx:stable'), after: one('nginx:stable', '    imagePullPolicy: Always'), fixAll: false },
    { name: 'image volume uses pullPolicy', rule: 'latest-tag', title: 'Set pullPolicy: Always explicitly',
      before: podSpec('  containers: []', '  volumes:', '  - name: v', '    image:', '      reference: repo/x:latest'),
      after: podSpec('  containers: []', '  volumes:', '  - name: v', '    image:', '      reference: repo/x:latest', '      pullPolicy: Always'), fixAll: false },
  ]);
});

describe('tag-and-digest', () => {
  runRangeCases([
    { name: 'tag and digest', rule: 'tag-and-digest', src: one(`[[nginx:1.27@${DIGEST}]]`) },
    { name: 'digest only', rule: 'tag-and-digest', src: one(`nginx@${DIGEST}`) },
    { name: 'tag only', rule: 'tag-and-digest', src: one('nginx:1.27') },
    { name: 'invalid digest is another rule', rule: 'tag-and-digest', src: one('nginx:1.27@sha256:abc') },
  ]);
  it('is a hint that mentions the latest@digest default only when it applies', () => {
    const [f] = findings(one(`nginx:latest@${DIGEST}`), 'tag-and-digest');
    assert.equal(f.severity, 'hint');
    assert.equal(f.message, 'The digest decides what is pulled; tag "latest" is ignored');
    assert.match(f.detail ?? '', /default imagePullPolicy is still Always/);
    assert.doesNotMatch(findings(one(`nginx:1.27@${DIGEST}`), 'tag-and-digest')[0].detail ?? '', /still Always/);
    assert.doesNotMatch(findings(one(`nginx:latest@${DIGEST}`, '    imagePullPolicy: IfNotPresent'), 'tag-and-digest')[0].detail ?? '', /still Always/);
  });
});

describe('registry-not-allowed', () => {
  const allow = (...globs: string[]) => ({ allowedRegistries: globs });
  runRangeCases([
    { name: 'unset: everything allowed', rule: 'registry-not-allowed', src: one('quay.io/x/y:1') },
    { name: 'Docker Hub image with ghcr only', rule: 'registry-not-allowed', src: one('[[nginx:1.27]]'), settings: allow('ghcr.io') },
    { name: 'ghcr allowed', rule: 'registry-not-allowed', src: one('ghcr.io/org/app:1'), settings: allow('ghcr.io') },
    { name: 'wildcard host', rule: 'registry-not-allowed', src: pod('  - {name: a, image: eu.gcr.io/p/app:1}', '  - {name: b, image: [[gcr.io/p/app:1]]}'), settings: allow('*.gcr.io') },
    { name: 'official images only', rule: 'registry-not-allowed', src: pod('  - {name: a, image: nginx:1}', '  - {name: b, image: [[bitnami/redis:7]]}'), settings: allow('docker.io/library/*') },
    { name: 'org prefix', rule: 'registry-not-allowed', src: pod('  - {name: a, image: ghcr.io/myorg/app:1}', '  - {name: b, image: ghcr.io/myorg/team/app:1}', '  - {name: c, image: [[ghcr.io/myorg2/app:1]]}'), settings: allow('ghcr.io/myorg') },
    { name: 'host with port', rule: 'registry-not-allowed', src: pod('  - {name: a, image: "localhost:5000/app:1"}', '  - {name: b, image: [["localhost/app:1"]]}'), settings: allow('localhost:*') },
    { name: 'templated and invalid images are not judged', rule: 'registry-not-allowed', src: pod('  - {name: a, image: "{{ .Values.image }}"}', '  - {name: b, image: NGINX}'), settings: allow('ghcr.io') },
  ]);
  it('says where the image comes from and what to do', () => {
    const [f] = findings(one('nginx:1.27'), 'registry-not-allowed', allow('ghcr.io', 'quay.io/org/*'));
    assert.equal(f.severity, 'error');
    assert.equal(f.message, 'Registry not allowed: "docker.io/library/nginx" matches no allowedRegistries pattern');
    assert.equal(f.detail, 'The allowed registries are "ghcr.io", "quay.io/org/*". Use an image from one of them, or add a pattern to the allowedRegistries setting.');
  });
});

describe('invalid-pull-policy', () => {
  runRangeCases([
    { name: 'lowercase', rule: 'invalid-pull-policy', src: one('nginx:1.27', '    imagePullPolicy: [[always]]') },
    { name: 'quoted', rule: 'invalid-pull-policy', src: one('nginx:1.27', '    imagePullPolicy: [["ifnotpresent"]]  # x') },
    { name: 'boolean', rule: 'invalid-pull-policy', src: one('nginx:1.27', '    imagePullPolicy: [[true]]') },
    { name: 'valid values', rule: 'invalid-pull-policy', src: pod('  - {name: a, image: a:1, imagePullPolicy: Always}', '  - {name: b, image: b:1, imagePullPolicy: IfNotPresent}', '  - {name: c, image: c:1, imagePullPolicy: Never}') },
    { name: 'empty string is defaulted, not rejected', rule: 'invalid-pull-policy', src: one('nginx:1.27', '    imagePullPolicy: ""') },
    { name: 'null is defaulted', rule: 'invalid-pull-policy', src: one('nginx:1.27', '    imagePullPolicy:') },
    { name: 'templated', rule: 'invalid-pull-policy', src: one('nginx:1.27', '    imagePullPolicy: "{{ .Values.pullPolicy }}"') },
    { name: 'image volume', rule: 'invalid-pull-policy', src: podSpec('  containers: []', '  volumes:', '  - name: v', '    image: {reference: "x:1", pullPolicy: [[never]]}') },
  ]);
  it('uses the API server wording', () => {
    const [f] = findings(one('nginx:1.27', '    imagePullPolicy: always'), 'invalid-pull-policy');
    assert.equal(f.severity, 'error');
    assert.equal(f.message, 'Unsupported value: "always": did you mean "Always"?');
    assert.match(f.detail ?? '', /The API server rejects the object/);
    assert.match(findings(one('nginx:1.27', '    imagePullPolicy: 1'), 'invalid-pull-policy')[0].message, /^Unsupported value: 1: imagePullPolicy must be a string/);
  });
  it('offers nothing for a value far from every supported one', () => {
    const [f] = findings(one('nginx:1.27', '    imagePullPolicy: Sometimes'), 'invalid-pull-policy');
    assert.deepEqual(f.fixes, []);
    assert.equal(f.message, 'Unsupported value: "Sometimes": supported values: "Always", "IfNotPresent", "Never"');
  });
  runFixCases([
    { name: 'case-insensitive match', rule: 'invalid-pull-policy', title: "Change to 'Always'", before: one('nginx:1.27', '    imagePullPolicy: always'), after: one('nginx:1.27', '    imagePullPolicy: Always'), fixAll: true },
    { name: 'keeps quotes and comment', rule: 'invalid-pull-policy', title: "Change to 'IfNotPresent'", before: one('nginx:1.27', "    imagePullPolicy: 'ifnotpresent'  # cached"), after: one('nginx:1.27', "    imagePullPolicy: 'IfNotPresent'  # cached"), fixAll: true },
    { name: 'nearest match is not fix-all', rule: 'invalid-pull-policy', title: "Change to 'IfNotPresent'", before: one('nginx:1.27', '    imagePullPolicy: IfNotPresnt'), after: one('nginx:1.27', '    imagePullPolicy: IfNotPresent'), fixAll: false },
    { name: 'flow map', rule: 'invalid-pull-policy', title: "Change to 'Never'", before: pod('  - {name: a, image: a:1, imagePullPolicy: NEVER}'), after: pod('  - {name: a, image: a:1, imagePullPolicy: Never}'), fixAll: true },
    { name: 'CRLF', rule: 'invalid-pull-policy', title: "Change to 'Always'", before: one('nginx:1.27', '    imagePullPolicy: ALWAYS').replace(/\n/g, '\r\n'), after: one('nginx:1.27', '    imagePullPolicy: Always').replace(/\n/g, '\r\n'), fixAll: true },
  ]);
});

describe('stale-image-risk', () => {
  runRangeCases([
    { name: 'latest with IfNotPresent', rule: 'stale-image-risk', src: one('nginx:latest', '    imagePullPolicy: [[IfNotPresent]]') },
    { name: 'untagged with Never', rule: 'stale-image-risk', src: one('nginx', '    imagePullPolicy: [["Never"]]') },
    { name: 'mutable with IfNotPresent', rule: 'stale-image-risk', src: one('app:main', '    imagePullPolicy: [[IfNotPresent]]') },
    { name: 'version tag', rule: 'stale-image-risk', src: one('nginx:1.27', '    imagePullPolicy: IfNotPresent') },
    { name: 'digest', rule: 'stale-image-risk', src: one(`nginx:latest@${DIGEST}`, '    imagePullPolicy: Never') },
    { name: 'Always', rule: 'stale-image-risk', src: one('nginx:latest', '    imagePullPolicy: Always') },
    { name: 'default policy', rule: 'stale-image-risk', src: one('nginx:latest') },
    { name: 'image volume', rule: 'stale-image-risk', src: podSpec('  containers: []', '  volumes:', '  - name: v', '    image: {reference: x, pullPolicy: [[IfNotPresent]]}') },
  ]);
  it('explains caching and ErrImageNeverPull', () => {
    const [f] = findings(one('nginx', '    imagePullPolicy: Never'), 'stale-image-risk');
    assert.equal(f.severity, 'warning');
    assert.equal(f.message, 'Never keeps each node on the untagged ":latest" it cached; set Always or pin the image');
    assert.match(f.detail ?? '', /each node keeps running whatever it cached.*ErrImageNeverPull/i);
    assert.doesNotMatch(findings(one('nginx', '    imagePullPolicy: IfNotPresent'), 'stale-image-risk')[0].detail ?? '', /ErrImageNeverPull/);
  });
  runFixCases([
    { name: 'block', rule: 'stale-image-risk', title: 'Set imagePullPolicy: Always', before: one('nginx:latest', '    imagePullPolicy: IfNotPresent  # fast'), after: one('nginx:latest', '    imagePullPolicy: Always  # fast'), fixAll: false },
    { name: 'quoted', rule: 'stale-image-risk', title: 'Set imagePullPolicy: Always', before: one('nginx', '    imagePullPolicy: "Never"'), after: one('nginx', '    imagePullPolicy: "Always"'), fixAll: false },
    { name: 'volume', rule: 'stale-image-risk', title: 'Set pullPolicy: Always', before: podSpec('  containers: []', '  volumes:', '  - name: v', '    image: {reference: x, pullPolicy: Never}'), after: podSpec('  containers: []', '  volumes:', '  - name: v', '    image: {reference: x, pullPolicy: Always}'), fixAll: false },
  ]);
});

describe('implicit-pull-policy', () => {
  runRangeCases([
    { name: 'no policy', rule: 'implicit-pull-policy', src: one('[[nginx:1.27]]') },
    { name: 'empty policy', rule: 'implicit-pull-policy', src: one('[["nginx"]]', '    imagePullPolicy: ""') },
    { name: 'explicit policy', rule: 'implicit-pull-policy', src: one('nginx:1.27', '    imagePullPolicy: IfNotPresent') },
    { name: 'invalid explicit policy is still explicit', rule: 'implicit-pull-policy', src: one('nginx:1.27', '    imagePullPolicy: 1') },
    { name: 'templated image', rule: 'implicit-pull-policy', src: one('"{{ .Values.image }}"') },
    { name: 'invalid image', rule: 'implicit-pull-policy', src: one('NGINX') },
    { name: 'missing image', rule: 'implicit-pull-policy', src: pod('  - name: web') },
  ]);
  it('names the default, why, and the creation-time caveat', () => {
    const [f] = findings(one('nginx'), 'implicit-pull-policy');
    assert.equal(f.severity, 'hint');
    assert.equal(f.message, 'Kubernetes sets imagePullPolicy: Always (no tag, so latest); write it explicitly');
    assert.match(f.detail ?? '', /Defaulted once, at creation.*kubernetes\/kubernetes#98108/);
    assert.match(findings(one('nginx:1.27'), 'implicit-pull-policy')[0].message, /sets imagePullPolicy: IfNotPresent \(tag is not latest\)/);
    assert.match(findings(one(`nginx:latest@${DIGEST}`), 'implicit-pull-policy')[0].message, /sets imagePullPolicy: Always \(latest tag, even with digest\)/);
  });
  runFixCases([
    { name: 'after the image pair', rule: 'implicit-pull-policy', title: 'Add imagePullPolicy: IfNotPresent', before: one('nginx:1.27  # pinned', '    ports: []'), after: one('nginx:1.27  # pinned', '    imagePullPolicy: IfNotPresent', '    ports: []'), fixAll: false },
    { name: 'flow map', rule: 'implicit-pull-policy', title: 'Add imagePullPolicy: Always', before: pod('  - {name: a, image: nginx}'), after: pod('  - {name: a, image: nginx, imagePullPolicy: Always}'), fixAll: false },
    { name: 'null policy gets a value', rule: 'implicit-pull-policy', title: 'Add imagePullPolicy: Always', before: one('nginx', '    imagePullPolicy:'), after: one('nginx', '    imagePullPolicy: Always'), fixAll: false },
    { name: 'CRLF and non-ASCII', rule: 'implicit-pull-policy', title: 'Add imagePullPolicy: IfNotPresent', before: pod('  # 🚀 déploiement', '  - name: web', '    image: nginx:1.27').replace(/\n/g, '\r\n'), after: pod('  # 🚀 déploiement', '  - name: web', '    image: nginx:1.27', '    imagePullPolicy: IfNotPresent').replace(/\n/g, '\r\n'), fixAll: false },
    { name: 'CronJob', rule: 'implicit-pull-policy', title: 'Add imagePullPolicy: IfNotPresent',
      before: yaml('apiVersion: batch/v1', 'kind: CronJob', 'metadata: {name: c}', 'spec:', '  jobTemplate:', '    spec:', '      template:', '        spec:', '          containers:', '          - name: c', '            image: busybox:1.36'),
      after: yaml('apiVersion: batch/v1', 'kind: CronJob', 'metadata: {name: c}', 'spec:', '  jobTemplate:', '    spec:', '      template:', '        spec:', '          containers:', '          - name: c', '            image: busybox:1.36', '            imagePullPolicy: IfNotPresent'), fixAll: false },
  ]);
});

describe('suppression and scope', () => {
  const ids = (text: string) => analyzeText(text).findings.map((f) => f.ruleId).sort();

  it('disable-next-line silences the listed rule on the next line only', () => {
    const text = pod('  - name: web', '    # k8s-image-lint-disable-next-line latest-tag -- demo only', '    image: nginx:latest', '  - name: b', '    image: nginx:latest');
    assert.equal(findings(text, 'latest-tag').length, 1);
    assert.equal(findings(text, 'implicit-pull-policy').length, 2);
  });
  it('disable-line and disable-file', () => {
    assert.deepEqual(findings(one('nginx:latest  # k8s-image-lint-disable-line latest-tag,implicit-pull-policy'), 'latest-tag'), []);
    assert.deepEqual(ids(one('nginx:latest  # k8s-image-lint-disable-line latest-tag,implicit-pull-policy')), []);
    assert.deepEqual(ids('# k8s-image-lint-disable-file missing-tag, implicit-pull-policy\n' + one('nginx')), []);
  });
  it('the ignore annotation on the object and on the pod template', () => {
    const onObject = yaml('apiVersion: v1', 'kind: Pod', 'metadata:', '  name: p', '  annotations:', '    k8s-image-lint.io/ignore: "missing-tag,implicit-pull-policy"', 'spec:', '  containers:', '  - {name: a, image: nginx}');
    assert.deepEqual(ids(onObject), []);
    const onTemplate = yaml('apiVersion: apps/v1', 'kind: Deployment', 'metadata: {name: d}', 'spec:', '  template:', '    metadata:', '      annotations: {k8s-image-lint.io/ignore: latest-tag}', '    spec:', '      containers:', '      - {name: a, image: "nginx:latest", imagePullPolicy: Always}');
    assert.deepEqual(ids(onTemplate), []);
    assert.deepEqual(ids(onTemplate.replace('latest-tag}', 'missing-tag}')), ['latest-tag']);
  });
  it('non-Kubernetes YAML yields nothing', () => {
    const workflow = yaml('name: ci', 'on: push', 'jobs:', '  test:', '    runs-on: ubuntu-latest', '    container:', '      image: node:latest', '    services:', '      db:', '        image: postgres', '        imagePullPolicy: always');
    const compose = yaml('services:', '  web:', '    image: NGINX', '  db:', '    image: postgres:latest');
    assert.deepEqual(analyzeText(workflow).findings, []);
    assert.deepEqual(analyzeText(compose).findings, []);
  });
  it('a broken Helm template with a templated image yields nothing', () => {
    const text = yaml('apiVersion: apps/v1', 'kind: Deployment', 'metadata:', '  name: {{ include "app.fullname" . }}', 'spec:', '  template:', '    spec:', '      containers:', '      - name: app', '        image: "{{ .Values.image }}"', '        {{- with .Values.resources }}', '        resources: {{ toYaml . | nindent 10 }}', '        {{- end }}', '  [broken');
    assert.deepEqual(analyzeText(text).findings, []);
  });
  it('fix-all fixes are idempotent: applying them all leaves none', () => {
    const text = pod('  - {name: a, image: NGINX:1.27, imagePullPolicy: always}', '  - name: b', '    image: "Foo/Bar:1"', '    imagePullPolicy: NEVER');
    const edits = analyzeText(text).findings.flatMap((f) => f.fixes.filter((x) => x.fixAll).flatMap((x) => x.edits));
    assert.equal(edits.length, 4);
    const fixed = applyEdits(text, edits);
    assert.equal(fixed, pod('  - {name: a, image: nginx:1.27, imagePullPolicy: Always}', '  - name: b', '    image: "foo/bar:1"', '    imagePullPolicy: Never'));
    assert.deepEqual(analyzeText(fixed).findings.flatMap((f) => f.fixes.filter((x) => x.fixAll)), []);
  });
});

describe('severities: defaults and overrides for every rule', () => {
  // One fixture that triggers each rule once (settings where the rule needs them).
  const cases: { rule: string; severity: string; text: string; settings?: Record<string, unknown> }[] = [
    { rule: 'yaml-syntax', severity: 'error', text: yaml(...POD, '  containers:', '  - name: "web') },
    { rule: 'missing-image', severity: 'error', text: pod('  - name: web') },
    { rule: 'invalid-image-reference', severity: 'error', text: one('NGINX') },
    { rule: 'latest-tag', severity: 'warning', text: one('nginx:latest') },
    { rule: 'missing-tag', severity: 'warning', text: one('nginx') },
    { rule: 'mutable-tag', severity: 'info', text: one('nginx:edge') },
    { rule: 'tag-and-digest', severity: 'hint', text: one(`nginx:1.27@${DIGEST}`) },
    { rule: 'registry-not-allowed', severity: 'error', text: one('nginx:1.27'), settings: { allowedRegistries: ['ghcr.io'] } },
    { rule: 'invalid-pull-policy', severity: 'error', text: one('nginx:1.27', '    imagePullPolicy: always') },
    { rule: 'stale-image-risk', severity: 'warning', text: one('nginx', '    imagePullPolicy: IfNotPresent') },
    { rule: 'implicit-pull-policy', severity: 'hint', text: one('nginx:1.27') },
  ];
  for (const c of cases) {
    it(c.rule, () => {
      const rules = (r: string) => ({ ...c.settings, rules: { [c.rule]: r } });
      const byDefault = findings(c.text, c.rule, c.settings);
      assert.equal(byDefault.length, 1);
      assert.equal(byDefault[0].severity, c.severity);
      assert.deepEqual(findings(c.text, c.rule, rules('off')), []);
      const other = c.severity === 'error' ? 'hint' : 'error';
      assert.deepEqual(findings(c.text, c.rule, rules(other)).map((f) => f.severity), [other]);
    });
  }
});

describe('registryGlobMatches', () => {
  const cases: [glob: string, name: string, expected: boolean][] = [
    ['docker.io', 'docker.io/library/nginx', true],
    ['index.docker.io', 'docker.io/library/nginx', true],
    ['docker.io', 'ghcr.io/docker.io/x', false],
    ['*.gcr.io', 'eu.gcr.io/p/app', true],
    ['*.gcr.io', 'gcr.io/p/app', false],
    ['*.gcr.io', 'a.b.gcr.io/p/app', true], // '*' stops only at '/', not at '.'
    ['**.gcr.io', 'a.b.gcr.io/p/app', true],
    ['GHCR.io', 'ghcr.io/x/y', true],
    ['ghcr.io/myorg', 'ghcr.io/myorg/app', true],
    ['ghcr.io/myorg/', 'ghcr.io/myorg/team/app', true],
    ['ghcr.io/myorg', 'ghcr.io/myorg2/app', false],
    ['ghcr.io/myorg/*', 'ghcr.io/myorg/app', true],
    ['ghcr.io/*/app', 'ghcr.io/a/app', true],
    ['ghcr.io/*/app', 'ghcr.io/a/b/app', false],
    ['ghcr.io/**/app', 'ghcr.io/a/b/app', true],
    ['docker.io/library/*', 'docker.io/bitnami/redis', false],
    ['localhost:*', 'localhost:5000/app', true],
    ['localhost:*', 'localhost/app', false],
    ['registry.example.com', 'registry-example.com/app', false],
  ];
  for (const [glob, name, expected] of cases) {
    it(`${glob} ${expected ? 'matches' : 'does not match'} ${name}`, () => {
      const i = name.indexOf('/');
      assert.equal(registryGlobMatches(glob, name.slice(0, i), name.slice(i + 1)), expected);
    });
  }
});

describe('fixes across documents and lists', () => {
  runFixCases([
    { name: 'second document of a multi-document file', rule: 'invalid-pull-policy', title: "Change to 'Never'",
      before: one('nginx:1.27') + '---\n' + one('nginx:1.27', '    imagePullPolicy: never'),
      after: one('nginx:1.27') + '---\n' + one('nginx:1.27', '    imagePullPolicy: Never'), fixAll: true },
    { name: 'kind: List item', rule: 'implicit-pull-policy', title: 'Add imagePullPolicy: Always',
      before: yaml('apiVersion: v1', 'kind: List', 'items:', '- apiVersion: v1', '  kind: Pod', '  metadata: {name: p}', '  spec:', '    containers:', '    - image: nginx', '      name: a'),
      after: yaml('apiVersion: v1', 'kind: List', 'items:', '- apiVersion: v1', '  kind: Pod', '  metadata: {name: p}', '  spec:', '    containers:', '    - image: nginx', '      imagePullPolicy: Always', '      name: a'), fixAll: false },
  ]);
});
