// The workspace index: incremental per-file updates that report exactly the dependency keys that changed,
// namespaces through kustomizations, URIs, and the promise that no credential is ever kept.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { b64, deploymentWith, dockerSecret, yaml } from '../helpers';
import { WorkspaceIndex } from '../../server/src/service/workspace/index';
import { docKey, relativeTo, resolvePath } from '../../server/src/service/workspace/uris';
import { decodeBase64 } from '../../server/src/service/workspace/pullSecretPayload';

describe('incremental updates', () => {
  it('reports the dependency keys a file\'s change touches, and nothing for unrelated edits', () => {
    const index = new WorkspaceIndex();
    assert.deepEqual(index.update('file:///w/s.yaml', dockerSecret('regcred', ['ghcr.io'])), ['secret:regcred']);
    const g = index.generation;
    // Same Secret, moved down two lines: positions change, answers do not.
    assert.deepEqual(index.update('file:///w/s.yaml', `# a\n# b\n${dockerSecret('regcred', ['ghcr.io'])}`), []);
    assert.equal(index.generation, g);
    assert.equal(index.entry('file:///w/s.yaml')!.secrets[0].location.start.line, 5);
    // A Deployment edit contributes nothing.
    assert.deepEqual(index.update('file:///w/d.yaml', deploymentWith(['containers:', '- name: a', '  image: nginx'])), []);
    assert.deepEqual(index.update('file:///w/s.yaml', dockerSecret('regcred', ['registry.example.com'])), ['secret:regcred']);
    assert.deepEqual(index.update('file:///w/s.yaml', dockerSecret('renamed', ['registry.example.com'])), ['secret:regcred', 'secret:renamed']);
    assert.deepEqual(index.update('file:///w/sa.yaml', yaml('apiVersion: v1', 'kind: ServiceAccount', 'metadata: {name: builder}')), ['sa:builder']);
    assert.deepEqual(index.update('file:///w/kustomization.yaml', yaml('namespace: prod', 'resources: [d.yaml]')), ['kustomize']);
    assert.deepEqual(index.remove('file:///w/s.yaml'), ['secret:renamed']);
    assert.ok(index.changedSince(['secret:renamed'], g));
    assert.ok(!index.changedSince(['secret:other'], g));
  });

  it('indexes a JSON Secret or ServiceAccount as it indexes YAML ones (the text check before parsing reads both)', () => {
    const index = new WorkspaceIndex();
    const secret = JSON.stringify({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'regcred' }, type: 'kubernetes.io/dockerconfigjson', data: { '.dockerconfigjson': b64(JSON.stringify({ auths: { 'ghcr.io': { auth: b64('u:p') } } })) } }, null, 2);
    assert.deepEqual(index.update('file:///w/s.json', secret), ['secret:regcred']);
    assert.deepEqual(index.update('file:///w/sa.json', '{"apiVersion": "v1", "kind" : "ServiceAccount", "metadata": {"name": "builder"}}'), ['sa:builder']);
  });

  it('re-indexes only the changed file: other entries are the same objects', () => {
    const index = new WorkspaceIndex();
    index.update('file:///w/a.yaml', dockerSecret('a', ['ghcr.io']));
    index.update('file:///w/b.yaml', dockerSecret('b', ['ghcr.io']));
    const before = index.entry('file:///w/a.yaml');
    index.update('file:///w/b.yaml', dockerSecret('b', ['quay.io']));
    assert.equal(index.entry('file:///w/a.yaml'), before);
  });
});

describe('namespaces', () => {
  const index = new WorkspaceIndex();
  index.update('file:///w/base/kustomization.yaml', yaml('resources: [deploy.yaml, sub]'));
  index.update('file:///w/base/sub/kustomization.yml', yaml('namespace: inner', 'resources: [x.yaml]'));
  index.update('file:///w/overlays/a/kustomization.yaml', yaml('namespace: a', 'resources: [../../base]'));
  index.update('file:///w/overlays/b/kustomization.yaml', yaml('resources: [../../base]'));
  index.update('file:///w/overlays/c/Kustomization', yaml('namespace: c', 'resources: [../../base/sub/x.yaml, github.com/org/repo//x?ref=v1]'));
  const cases: [key: string, explicit: string | null, expected: string[]][] = [
    ['file:///w/loose.yaml', null, ['default']],
    ['file:///w/loose.yaml', 'ns', ['ns']],
    ['file:///w/base/deploy.yaml', null, ['a', 'default']],
    ['file:///w/base/deploy.yaml', 'own', ['a', 'own']],
    ['file:///w/base/sub/x.yaml', null, ['a', 'c', 'inner']],
  ];
  for (const [key, explicit, expected] of cases) {
    it(`${key} (${explicit})`, () => assert.deepEqual(index.namespacesOf(key, explicit).sort(), expected));
  }
});

describe('URIs', () => {
  it('keys decode escapes and lowercase drive letters', () => {
    assert.equal(docKey('file:///c%3A/w/my%20app/x.yaml'), 'file:///c:/w/my app/x.yaml');
    assert.equal(docKey('file:///C:/w/x.yaml'), 'file:///c:/w/x.yaml');
    assert.equal(docKey('untitled:Untitled-1'), 'untitled:Untitled-1');
  });
  it('relative paths resolve like kustomize\'s', () => {
    assert.equal(resolvePath('file:///w/overlays/prod', '../../base'), 'file:///w/base');
    assert.equal(resolvePath('file:///w/overlays/prod', './secret.yaml'), 'file:///w/overlays/prod/secret.yaml');
    assert.equal(resolvePath('file:///w', '../../../x'), 'file:///x');
    assert.equal(resolvePath('mem:/w/a', 'b/'), 'mem:/w/a/b');
  });
  it('relative display paths', () => {
    assert.equal(relativeTo('file:///w/app/deploy.yaml', 'file:///w/secrets/s.yaml'), '../secrets/s.yaml');
    assert.equal(relativeTo('file:///w/app/deploy.yaml', 'file:///w/app/s.yaml'), 's.yaml');
  });
});

describe('credentials never enter the index', () => {
  const PASSWORD = 'Tr0ub4dor-and-3';
  const files: Record<string, string> = {
    'file:///w/json.yaml': dockerSecret('json', ['registry.example.com'], { secret: PASSWORD }),
    'file:///w/plain.yaml': yaml('apiVersion: v1', 'kind: Secret', 'metadata: {name: plain}', 'type: kubernetes.io/dockerconfigjson', 'stringData:',
      `  .dockerconfigjson: '{"auths": {"ghcr.io": {"username": "robot", "password": "${PASSWORD}", "auth": "${b64(`robot:${PASSWORD}`)}"}}}'`),
    'file:///w/opaque.yaml': yaml('apiVersion: v1', 'kind: Secret', 'metadata: {name: opaque}', 'stringData:', '  username: robot', `  password: ${PASSWORD}`),
    'file:///w/kustomization.yaml': yaml('secretGenerator:', '- name: gen', '  type: kubernetes.io/dockerconfigjson', `  literals: ['.dockerconfigjson={"auths":{"quay.io":{"password":"${PASSWORD}"}}}']`),
  };
  it('entries hold registries, never usernames, passwords or auth strings', () => {
    const index = new WorkspaceIndex();
    for (const [uri, text] of Object.entries(files)) index.update(uri, text);
    const dump = JSON.stringify([...index.keys()].map((k) => index.entry(k)));
    for (const needle of [PASSWORD, b64(`robot:${PASSWORD}`), 'robot']) assert.ok(!dump.includes(needle), `the index holds ${needle}`);
    assert.deepEqual(index.secretsNamed('plain')[0].payload, { status: 'usable', registries: ['ghcr.io'] });
    assert.deepEqual(index.secretsNamed('gen')[0].payload, { status: 'usable', registries: ['quay.io'] });
  });
});

describe('base64 as Go decodes []byte fields', () => {
  const cases: [input: string, out: string | null][] = [
    ['aGVsbG8=', 'hello'],
    ['aGVsbG8', null], // unpadded
    ['aGVs\nbG8=', 'hello'], // line breaks are ignored
    ['aGVs bG8=', null], // spaces are not
    ['', ''],
    ['a=bc', null],
  ];
  for (const [input, out] of cases) it(JSON.stringify(input), () => assert.equal(decodeBase64(input), out));
});
