// The workspace rules over multi-file fixtures (in-memory texts → index → analysis of one file): which rule
// reports what, where, and that each reference is reported once, by its own rule.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeIn, analyzeText, b64, deploymentWith, dockerSecret, markers, yaml } from '../helpers';

const PULL_RULES = ['pull-secret-not-found', 'pull-secret-wrong-type', 'pull-secret-namespace-mismatch', 'pull-secret-registry-mismatch', 'private-image-without-pull-secret'];
const DEPLOY = 'file:///w/app/deploy.yaml';

interface Case {
  name: string;
  /** Files of the workspace; `[[…]]` markers in the one at DEPLOY (or `target`) mark the expected ranges. */
  files: Record<string, string>;
  target?: string;
  /** Expected: rule id → number of markers it must cover, in marker order. Rules not listed must be silent. */
  expect: string[];
  settings?: Record<string, unknown>;
  /** Analyse the target alone, without a workspace index. */
  single?: boolean;
  message?: RegExp;
}

function run(c: Case): void {
  const target = c.target ?? DEPLOY;
  const { text, ranges } = markers(c.files[target]);
  const files = { ...c.files, [target]: text };
  const analysis = c.single ? analyzeText(text, c.settings) : analyzeIn(files, target, c.settings);
  const found = analysis.findings.filter((f) => PULL_RULES.includes(f.ruleId));
  assert.deepEqual(found.map((f) => f.ruleId), c.expect, found.map((f) => `${f.ruleId}: ${f.message}`).join('\n'));
  assert.deepEqual(found.map((f) => f.range), ranges, `ranges in:\n${text}`);
  // The message is the short fact; the why (which the cases check too) is the hover's detail.
  if (c.message) assert.match(`${found[0].message}\n${found[0].detail ?? ''}`, c.message);
}

const pod = (secrets: string[], image: string, namespace?: string, extra: string[] = []) => deploymentWith([
  ...(secrets.length ? ['imagePullSecrets:', ...secrets.map((s) => `- name: ${s}`)] : []),
  ...extra,
  'containers:', '- name: web', `  image: ${image}`,
], namespace);

const opaque = (name: string, namespace?: string) => yaml('apiVersion: v1', 'kind: Secret', 'metadata:', `  name: ${name}`, ...(namespace ? [`  namespace: ${namespace}`] : []),
  'type: Opaque', 'stringData:', '  username: robot', '  password: hunter2');
const secretWith = (name: string, lines: string[]) => yaml('apiVersion: v1', 'kind: Secret', 'metadata:', `  name: ${name}`, ...lines);
const sa = (name: string, secrets: string[], namespace?: string) => yaml('apiVersion: v1', 'kind: ServiceAccount', 'metadata:', `  name: ${name}`,
  ...(namespace ? [`  namespace: ${namespace}`] : []), ...(secrets.length ? ['imagePullSecrets:', ...secrets.map((s) => `- name: ${s}`)] : []));
const PRIVATE = 'registry.example.com/team/web:1.2';

describe('pull-secret-not-found', () => {
  const cases: Case[] = [
    { name: 'a name no file defines', files: { [DEPLOY]: pod(['[[regcreds]]'], PRIVATE), 'file:///w/s.yaml': dockerSecret('regcred', ['registry.example.com']) }, expect: ['pull-secret-not-found'] },
    { name: 'defined in another file: not reported', files: { [DEPLOY]: pod(['regcred'], PRIVATE), 'file:///w/s.yaml': dockerSecret('regcred', ['registry.example.com']) }, expect: [] },
    { name: 'defined in a kind: List', files: { [DEPLOY]: pod(['regcred'], PRIVATE), 'file:///w/l.yaml': yaml('apiVersion: v1', 'kind: List', 'items:', ...dockerSecret('regcred', ['registry.example.com']).trimEnd().split('\n').map((l, i) => (i === 0 ? `- ${l}` : `  ${l}`))) }, expect: [] },
    { name: 'made by a secretGenerator', files: { [DEPLOY]: pod(['regcred'], PRIVATE), 'file:///w/app/kustomization.yaml': yaml('resources: [deploy.yaml]', 'secretGenerator:', '- name: regcred', '  type: kubernetes.io/dockerconfigjson', '  files: [.dockerconfigjson=config.json]') }, expect: [] },
    { name: 'a lone file proves no absence', single: true, files: { [DEPLOY]: pod(['regcred'], PRIVATE) }, expect: [] },
    { name: 'a ServiceAccount\'s entry', target: 'file:///w/sa.yaml', files: { 'file:///w/sa.yaml': sa('builder', ['[[gone]]']) }, expect: ['pull-secret-not-found'], message: /^No Secret "gone" in this workspace; fine if it is created another way\n/ },
    { name: 'templated names are not judged', files: { [DEPLOY]: pod(['"{{ .Values.secret }}"'], PRIVATE) }, expect: [] },
  ];
  for (const c of cases) it(c.name, () => run(c));

  it('offers to create the Secret, for the image\'s registry, with placeholders only', () => {
    const files = { [DEPLOY]: pod(['regcred'], PRIVATE, 'prod') };
    const f = analyzeIn(files, DEPLOY).findings.find((x) => x.ruleId === 'pull-secret-not-found')!;
    const fix = f.fixes.find((x) => x.title.startsWith('Create a docker-registry Secret'))!;
    assert.equal(fix.title, 'Create a docker-registry Secret "regcred" for registry.example.com');
    const added = fix.edits[0].newText;
    assert.equal(fix.edits[0].start, files[DEPLOY].length);
    assert.match(added, /^---\n# Pull secret for registry\.example\.com/);
    assert.match(added, /kubectl create secret docker-registry regcred --namespace prod \\\n# {5}--docker-server=registry\.example\.com --docker-username=USERNAME --docker-password=PASSWORD/);
    assert.match(added, /\nkind: Secret\nmetadata:\n {2}name: regcred\n {2}namespace: prod\ntype: kubernetes\.io\/dockerconfigjson\nstringData:\n {2}\.dockerconfigjson: '\{"auths":\{"registry\.example\.com":\{"username":"USERNAME","password":"PASSWORD"\}\}\}'\n$/);
    // Applied, the skeleton is a usable Secret of the workspace: the finding is gone.
    const after = files[DEPLOY] + added;
    const again = analyzeIn({ [DEPLOY]: after }, DEPLOY).findings.filter((x) => PULL_RULES.includes(x.ruleId));
    assert.deepEqual(again.map((x) => x.ruleId), []);
  });
});

describe('pull-secret-wrong-type', () => {
  const S = 'file:///w/s.yaml';
  const bad = (secret: string, message?: RegExp): Case => ({ name: '', files: { [DEPLOY]: pod(['[[regcred]]'], PRIVATE), [S]: secret }, expect: ['pull-secret-wrong-type'], message });
  const cases: Case[] = [
    { ...bad(opaque('regcred'), /is an `Opaque` Secret with `username`\/`password` keys/), name: 'the tutorial Opaque secret with username/password' },
    { ...bad(secretWith('regcred', ['stringData:', '  username: robot', '  password: x']), /is an `Opaque` Secret/), name: 'no type means Opaque' },
    { ...bad(secretWith('regcred', ['type: kubernetes.io/basic-auth', 'stringData:', '  username: a', '  password: b']), /has type `kubernetes.io\/basic-auth`/), name: 'basic-auth' },
    { ...bad(secretWith('regcred', ['type: Opaque', 'data:', `  .dockerconfigjson: ${b64('{"auths":{}}')}`]), /holds a docker config but has type `Opaque`/), name: 'a docker payload in an Opaque secret' },
    { ...bad(secretWith('regcred', ['type: kubernetes.io/dockerconfigjson', 'data:', `  .dockercfg: ${b64('{}')}`]), /has no `\.dockerconfigjson` key \(it has `\.dockercfg`/), name: 'the other docker type\'s key' },
    { ...bad(secretWith('regcred', ['type: kubernetes.io/dockerconfigjson', 'data:', '  .dockerconfigjson: not base64!']), /not valid base64/), name: 'data that is not base64' },
    { ...bad(secretWith('regcred', ['type: kubernetes.io/dockerconfigjson', 'data:', `  .dockerconfigjson: ${b64('{"auths": ')}`]), /not valid JSON/), name: 'a payload that is not JSON' },
    { ...bad(secretWith('regcred', ['type: kubernetes.io/dockerconfigjson', 'stringData:', '  .dockerconfigjson: \'{"registry.example.com": {}}\'']), /without an `auths` object/), name: 'JSON without auths (the dockercfg shape)' },
    { ...bad(secretWith('regcred', ['type: kubernetes.io/dockerconfigjson', 'stringData:', '  .dockerconfigjson: \'{"auths": {"registry.example.com": {"auth": "%%%"}}}\'']), /an `auth` value that is not valid base64/), name: 'an auth that is not base64' },
    { ...bad(secretWith('regcred', ['type: kubernetes.io/dockerconfigjson', 'stringData:', `  .dockerconfigjson: '{"auths": {"registry.example.com": {"auth": "${b64('nocolon')}"}}}'`]), /does not decode to `username:password`/), name: 'an auth without user:password' },
    { ...bad(secretWith('regcred', ['type: kubernetes.io/dockerconfigjson', 'stringData:', '  .dockerconfigjson: \'{"auths": {"registry.example.com": {"username": 7}}}\'']), /`username` that is not a string/), name: 'a non-string username' },
    { name: 'a dockercfg Secret is usable', files: { [DEPLOY]: pod(['regcred'], PRIVATE), [S]: secretWith('regcred', ['type: kubernetes.io/dockercfg', 'data:', `  .dockercfg: ${b64(JSON.stringify({ 'registry.example.com': { auth: b64('a:b') } }))}`]) }, expect: [] },
    { name: 'stringData wins over data', files: { [DEPLOY]: pod(['regcred'], PRIVATE), [S]: secretWith('regcred', ['type: kubernetes.io/dockerconfigjson', 'data:', '  .dockerconfigjson: bad!', 'stringData:', '  .dockerconfigjson: \'{"auths": {"registry.example.com": {}}}\'']) }, expect: [] },
    { name: 'a templated payload is not judged', files: { [DEPLOY]: pod(['regcred'], PRIVATE), [S]: secretWith('regcred', ['type: kubernetes.io/dockerconfigjson', 'data:', '  .dockerconfigjson: "{{ .Values.cfg | b64enc }}"']) }, expect: [] },
    { name: 'a secretGenerator without type', files: { [DEPLOY]: pod(['[[regcred]]'], PRIVATE), 'file:///w/app/kustomization.yaml': yaml('resources: [deploy.yaml]', 'secretGenerator:', '- name: regcred', '  files: [.dockerconfigjson=config.json]') }, expect: ['pull-secret-wrong-type'], message: /generated by a secretGenerator.*is generated with type `Opaque`/ },
    { name: 'a secretGenerator of the right type reading a file: not judged', files: { [DEPLOY]: pod(['regcred'], PRIVATE), 'file:///w/app/kustomization.yaml': yaml('resources: [deploy.yaml]', 'secretGenerator:', '- name: regcred', '  type: kubernetes.io/dockerconfigjson', '  files: [.dockerconfigjson=config.json]') }, expect: [] },
    { name: 'same file, analysed alone: a Secret in the file counts as known', single: true, files: { [DEPLOY]: `${opaque('regcred')}---\n${pod(['[[regcred]]'], PRIVATE)}` }, expect: ['pull-secret-wrong-type'] },
    { name: 'one usable definition among several in the namespace is enough', files: { [DEPLOY]: pod(['regcred'], PRIVATE), [S]: opaque('regcred'), 'file:///w/t.yaml': dockerSecret('regcred', ['registry.example.com']) }, expect: [] },
    { name: 'a ServiceAccount\'s entry', target: 'file:///w/sa.yaml', files: { 'file:///w/sa.yaml': sa('builder', ['[[regcred]]']), [S]: opaque('regcred') }, expect: ['pull-secret-wrong-type'] },
  ];
  for (const c of cases) it(c.name, () => run(c));

  it('never quotes the payload, and offers a replacement skeleton', () => {
    const files = { [DEPLOY]: pod(['regcred'], PRIVATE), [S]: secretWith('regcred', ['type: kubernetes.io/dockerconfigjson', 'stringData:', '  .dockerconfigjson: \'{"auths": {"registry.example.com": {"auth": "c2VjcmV0LXBhc3N3b3Jk"}}}\'']) };
    const f = analyzeIn(files, DEPLOY).findings.find((x) => x.ruleId === 'pull-secret-wrong-type')!;
    assert.ok(!f.message.includes('c2VjcmV0LXBhc3N3b3Jk') && !f.message.includes('secret-password'), f.message);
    assert.equal(f.fixes[0].title, 'Create a docker-registry Secret "regcred" for registry.example.com (to replace the current one)');
  });
});

describe('pull-secret-namespace-mismatch', () => {
  const S = 'file:///w/s.yaml';
  const cases: Case[] = [
    { name: 'only in another namespace', files: { [DEPLOY]: pod(['[[regcred]]'], PRIVATE, 'prod'), [S]: dockerSecret('regcred', ['registry.example.com'], { namespace: 'tools' }) }, expect: ['pull-secret-namespace-mismatch'], message: /^Secret "regcred" is only in "tools"; create it in "prod" too\nIt is defined in \.\.\/s\.yaml, but Deployment "web" is in "prod"/ },
    { name: 'no namespace is default', files: { [DEPLOY]: pod(['[[regcred]]'], PRIVATE), [S]: dockerSecret('regcred', ['registry.example.com'], { namespace: 'tools' }) }, expect: ['pull-secret-namespace-mismatch'], message: /is in "default" \(it sets no metadata.namespace/ },
    { name: 'same namespace', files: { [DEPLOY]: pod(['regcred'], PRIVATE, 'prod'), [S]: dockerSecret('regcred', ['registry.example.com'], { namespace: 'prod' }) }, expect: [] },
    { name: 'one definition in the right namespace is enough', files: { [DEPLOY]: pod(['regcred'], PRIVATE, 'prod'), [S]: dockerSecret('regcred', ['registry.example.com'], { namespace: 'tools' }), 'file:///w/p.yaml': dockerSecret('regcred', ['registry.example.com'], { namespace: 'prod' }) }, expect: [] },
    { name: 'a wrong-type secret in another namespace is reported once, as the namespace problem', files: { [DEPLOY]: pod(['[[regcred]]'], PRIVATE, 'prod'), [S]: opaque('regcred', 'tools') }, expect: ['pull-secret-namespace-mismatch'] },
    { name: 'a templated namespace is not judged', files: { [DEPLOY]: pod(['regcred'], PRIVATE, '"{{ .Release.Namespace }}"'), [S]: dockerSecret('regcred', ['registry.example.com'], { namespace: 'tools' }) }, expect: [] },
    {
      name: 'a kustomization\'s namespace overrides both',
      files: {
        [DEPLOY]: pod(['regcred'], PRIVATE, 'dev'),
        'file:///w/app/secret.yaml': dockerSecret('regcred', ['registry.example.com'], { namespace: 'tools' }),
        'file:///w/app/kustomization.yaml': yaml('namespace: prod', 'resources:', '- deploy.yaml', '- secret.yaml'),
      },
      expect: [],
    },
    {
      name: 'a base used by an overlay lands in the overlay\'s namespace',
      files: {
        'file:///w/base/deploy.yaml': pod(['regcred'], PRIVATE),
        'file:///w/base/kustomization.yaml': yaml('resources: [deploy.yaml]'),
        'file:///w/overlays/prod/kustomization.yaml': yaml('apiVersion: kustomize.config.k8s.io/v1beta1', 'kind: Kustomization', 'namespace: prod', 'resources:', '- ../../base', '- secret.yaml'),
        'file:///w/overlays/prod/secret.yaml': dockerSecret('regcred', ['registry.example.com']),
        'file:///w/other/secret.yaml': dockerSecret('regcred', ['registry.example.com'], { namespace: 'tools' }),
      },
      target: 'file:///w/base/deploy.yaml',
      expect: [],
    },
    {
      name: 'the outermost namespace wins',
      files: {
        'file:///w/base/deploy.yaml': pod(['[[regcred]]'], PRIVATE),
        'file:///w/base/kustomization.yaml': yaml('namespace: base-ns', 'resources: [deploy.yaml]'),
        'file:///w/overlays/prod/kustomization.yaml': yaml('namespace: prod', 'resources: [../../base]'),
        'file:///w/s.yaml': dockerSecret('regcred', ['registry.example.com'], { namespace: 'base-ns' }),
      },
      target: 'file:///w/base/deploy.yaml',
      expect: ['pull-secret-namespace-mismatch'],
      message: /is in "prod"/,
    },
  ];
  for (const c of cases) it(c.name, () => run(c));
});

describe('pull-secret-registry-mismatch', () => {
  const S = 'file:///w/s.yaml';
  const cases: Case[] = [
    { name: 'credentials for another registry', files: { [DEPLOY]: pod(['regcred'], `[[${PRIVATE}]]`), [S]: dockerSecret('regcred', ['ghcr.io']) }, expect: ['pull-secret-registry-mismatch'], message: /^No pull secret has credentials for "registry\.example\.com"; add an auths entry\nThe pull secrets hold "regcred" \(ghcr\.io\).*pull of registry\.example\.com\/team\/web/ },
    { name: 'a matching key', files: { [DEPLOY]: pod(['regcred'], PRIVATE), [S]: dockerSecret('regcred', ['https://registry.example.com/v2/']) }, expect: [] },
    { name: 'one of several secrets matches', files: { [DEPLOY]: pod(['a', 'b'], PRIVATE), [S]: `${dockerSecret('a', ['ghcr.io'])}---\n${dockerSecret('b', ['registry.example.com'])}` }, expect: [] },
    { name: 'a glob key', files: { [DEPLOY]: pod(['regcred'], 'eu.example.com/app:1'), [S]: dockerSecret('regcred', ['*.example.com']) }, expect: [] },
    { name: 'a glob key does not cross labels', files: { [DEPLOY]: pod(['regcred'], '[[a.eu.example.com/app:1]]'), [S]: dockerSecret('regcred', ['*.example.com']) }, expect: ['pull-secret-registry-mismatch'] },
    { name: 'port as text', files: { [DEPLOY]: pod(['regcred'], '[[registry.example.com/app:1]]'), [S]: dockerSecret('regcred', ['registry.example.com:443']) }, expect: ['pull-secret-registry-mismatch'] },
    { name: 'path as a string prefix', files: { [DEPLOY]: pod(['regcred'], 'registry.example.com/team2/app:1'), [S]: dockerSecret('regcred', ['registry.example.com/team']) }, expect: [] },
    { name: 'path prefix mismatch', files: { [DEPLOY]: pod(['regcred'], '[[registry.example.com/other/app:1]]'), [S]: dockerSecret('regcred', ['registry.example.com/team']) }, expect: ['pull-secret-registry-mismatch'] },
    { name: 'public registries are not judged', files: { [DEPLOY]: pod(['regcred'], 'nginx:1.27'), [S]: dockerSecret('regcred', ['ghcr.io']) }, expect: [] },
    { name: 'Docker Hub, not public here: the index.docker.io/v1/ fallback serves it', settings: { publicRegistries: ['quay.io'] }, files: { [DEPLOY]: pod(['regcred'], 'acme/app:1'), [S]: dockerSecret('regcred', ['https://index.docker.io/v1/']) }, expect: [] },
    { name: 'Docker Hub, not public here: registry-1.docker.io never matches', settings: { publicRegistries: ['quay.io'] }, files: { [DEPLOY]: pod(['regcred'], '[[acme/app:1]]'), [S]: dockerSecret('regcred', ['registry-1.docker.io']) }, expect: ['pull-secret-registry-mismatch'] },
    { name: 'only unknown secrets: nothing known, nothing said', files: { [DEPLOY]: pod(['[[nowhere]]'], PRIVATE) }, expect: ['pull-secret-not-found'] },
    { name: 'a secret whose payload cannot be read might match', files: { [DEPLOY]: pod(['a', 'gen'], PRIVATE), [S]: dockerSecret('a', ['ghcr.io']), 'file:///w/app/kustomization.yaml': yaml('resources: [deploy.yaml]', 'secretGenerator:', '- name: gen', '  type: kubernetes.io/dockerconfigjson', '  files: [.dockerconfigjson=cfg.json]') }, expect: [] },
    { name: 'a wrong-type secret is not considered (reported by its own rule)', files: { [DEPLOY]: pod(['[[bad]]'], PRIVATE), [S]: opaque('bad') }, expect: ['pull-secret-wrong-type'] },
    {
      name: 'inherited from the ServiceAccount when the pod lists none',
      files: { [DEPLOY]: pod([], `[[${PRIVATE}]]`, undefined, ['serviceAccountName: builder']), 'file:///w/sa.yaml': sa('builder', ['regcred']), [S]: dockerSecret('regcred', ['ghcr.io']) },
      expect: ['pull-secret-registry-mismatch'],
      message: /of ServiceAccount "builder"/,
    },
    {
      name: 'the pod\'s own list wins over the ServiceAccount\'s',
      files: { [DEPLOY]: pod(['own'], PRIVATE, undefined, ['serviceAccountName: builder']), 'file:///w/sa.yaml': sa('builder', ['other']), [S]: `${dockerSecret('own', ['registry.example.com'])}---\n${dockerSecret('other', ['ghcr.io'])}` },
      expect: [],
    },
    {
      name: 'the deprecated serviceAccount field names the account',
      files: { [DEPLOY]: pod([], `[[${PRIVATE}]]`, undefined, ['serviceAccount: builder']), 'file:///w/sa.yaml': sa('builder', ['regcred']), [S]: dockerSecret('regcred', ['ghcr.io']) },
      expect: ['pull-secret-registry-mismatch'],
    },
    {
      name: 'the default ServiceAccount',
      files: { [DEPLOY]: pod([], `[[${PRIVATE}]]`), 'file:///w/sa.yaml': sa('default', ['regcred']), [S]: dockerSecret('regcred', ['ghcr.io']) },
      expect: ['pull-secret-registry-mismatch'],
    },
    { name: 'hub: docker.io key matches docker.io images directly', settings: { publicRegistries: [] }, files: { [DEPLOY]: pod(['regcred'], 'nginx:1'), [S]: dockerSecret('regcred', ['docker.io']) }, expect: [] },
  ];
  for (const c of cases) it(c.name, () => run(c));
});

describe('private-image-without-pull-secret', () => {
  const S = 'file:///w/s.yaml';
  const cases: Case[] = [
    { name: 'a private registry and no secrets', files: { [DEPLOY]: pod([], `[[${PRIVATE}]]`) }, expect: ['private-image-without-pull-secret'], message: /^No imagePullSecrets for "registry\.example\.com"; add one, or list it in publicRegistries\n.*ServiceAccount "default" is not in the workspace/ },
    { name: 'alone: the message says the account is not in the file', single: true, files: { [DEPLOY]: pod([], `[[${PRIVATE}]]`) }, expect: ['private-image-without-pull-secret'], message: /is not in this file/ },
    { name: 'public registries', files: { [DEPLOY]: pod([], 'ghcr.io/acme/web:1') }, expect: [] },
    { name: 'a registry/path entry of publicRegistries', settings: { publicRegistries: ['registry.example.com/team'] }, files: { [DEPLOY]: pod([], PRIVATE) }, expect: [] },
    { name: 'the pod lists secrets', files: { [DEPLOY]: pod(['regcred'], PRIVATE), [S]: dockerSecret('regcred', ['registry.example.com']) }, expect: [] },
    { name: 'its ServiceAccount lists secrets', files: { [DEPLOY]: pod([], PRIVATE, undefined, ['serviceAccountName: builder']), 'file:///w/sa.yaml': sa('builder', ['regcred']), [S]: dockerSecret('regcred', ['registry.example.com']) }, expect: [] },
    { name: 'its ServiceAccount lists none', files: { [DEPLOY]: pod([], `[[${PRIVATE}]]`, undefined, ['serviceAccountName: builder']), 'file:///w/sa.yaml': sa('builder', []) }, expect: ['private-image-without-pull-secret'], message: /nor does ServiceAccount "builder"/ },
    { name: 'a ServiceAccount in another namespace does not count', files: { [DEPLOY]: pod([], `[[${PRIVATE}]]`, 'prod', ['serviceAccountName: builder']), 'file:///w/sa.yaml': sa('builder', ['regcred'], 'tools') }, expect: ['private-image-without-pull-secret'] },
    { name: 'an empty list is none: the ServiceAccount\'s are used', files: { [DEPLOY]: pod([], PRIVATE, undefined, ['imagePullSecrets: []', 'serviceAccountName: builder']), 'file:///w/sa.yaml': sa('builder', ['regcred']), [S]: dockerSecret('regcred', ['registry.example.com']) }, expect: [] },
    { name: 'templated images are not judged', files: { [DEPLOY]: pod([], '"{{ .Values.image }}"') }, expect: [] },
    { name: 'init containers too', files: { [DEPLOY]: deploymentWith(['initContainers:', '- name: init', '  image: [[registry.example.com/init:1]]', 'containers:', '- name: web', '  image: nginx:1']) }, expect: ['private-image-without-pull-secret'] },
  ];
  for (const c of cases) it(c.name, () => run(c));
});

describe('workspace rules stay silent without anything to judge', () => {
  it('off by setting', () => {
    const files = { [DEPLOY]: pod(['regcred'], PRIVATE), 'file:///w/s.yaml': opaque('regcred') };
    const off = Object.fromEntries(PULL_RULES.map((r) => [r, 'off']));
    assert.deepEqual(analyzeIn(files, DEPLOY, { rules: off }).findings.filter((f) => PULL_RULES.includes(f.ruleId)), []);
  });

  it('suppressed by a disable comment', () => {
    const files = { [DEPLOY]: pod(['regcred'], PRIVATE).replace('      - name: regcred', '      # k8s-image-lint-disable-next-line pull-secret-wrong-type\n      - name: regcred'), 'file:///w/s.yaml': opaque('regcred') };
    assert.deepEqual(analyzeIn(files, DEPLOY).findings.filter((f) => PULL_RULES.includes(f.ruleId)).map((f) => f.ruleId), []);
  });
});
