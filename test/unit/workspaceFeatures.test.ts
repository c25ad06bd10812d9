// Editor features over the workspace: hovers (pull secrets in force and whether they match; a Secret's type,
// registries and definition — never its credentials), go-to-definition, completion of Secret names, and the
// quick fixes "Add imagePullSecrets" / "Create a docker-registry Secret" as text-before → text-after.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeIn, applyEdits, b64, deploymentWith, dockerSecret, markers, yaml } from '../helpers';
import { hover } from '../../server/src/service/hover';
import { definition } from '../../server/src/service/definition';
import { completions } from '../../server/src/service/completion';
import { addPullSecretEdits } from '../../server/src/service/rules/pullSecretFixes';
import { analyzeText } from '../helpers';

const D = 'file:///w/app/deploy.yaml';
const S = 'file:///w/secrets/regcred.yaml';
const PASSWORD = 'correct-horse-battery';

const hoverAt = (files: Record<string, string>, needle: string, nth = 0) => {
  const text = files[D];
  let at = -1;
  for (let i = 0; i <= nth; i++) at = text.indexOf(needle, at + 1);
  return hover(analyzeIn(files, D), at + 1)?.markdown ?? '';
};

describe('hover with a workspace', () => {
  const files = {
    [D]: deploymentWith(['imagePullSecrets:', '- name: regcred', '- name: other', '- name: nowhere', 'containers:', '- name: web', '  image: registry.example.com/team/web:1.2'], 'prod'),
    [S]: dockerSecret('regcred', ['https://registry.example.com/v1/', 'ghcr.io'], { namespace: 'prod', secret: PASSWORD }),
    'file:///w/secrets/other.yaml': yaml('apiVersion: v1', 'kind: Secret', 'metadata:', '  name: other', '  namespace: prod', 'stringData:', '  username: robot', `  password: ${PASSWORD}`),
  };

  it('an image lists the secrets in force, what each is, and which one matches', () => {
    const md = hoverAt(files, 'registry.example.com/team/web');
    for (const part of [
      '**Pull secrets** (the pod\'s `imagePullSecrets`):',
      '- `regcred`: type `kubernetes.io/dockerconfigjson`, credentials for `https://registry.example.com/v1/`, `ghcr.io`; namespace `prod`; defined in [../secrets/regcred.yaml:4](file:///w/secrets/regcred.yaml#L4)',
      '- `other`: not usable for pulls: it is an `Opaque` Secret',
      '- `nowhere`: not defined in this workspace',
      '**Matches `registry.example.com/team/web`**: `regcred` (key `https://registry.example.com/v1/`)',
    ]) assert.ok(md.includes(part), `hover lacks ${JSON.stringify(part)}:\n${md}`);
  });

  it('an imagePullSecrets entry shows the Secret\'s type, registries and where it is defined', () => {
    const md = hoverAt(files, 'name: regcred');
    assert.ok(md.includes('### Pull secret `regcred`'), md);
    assert.ok(md.includes('Usable for pulls in this namespace.'), md);
    assert.ok(md.includes('credentials for `https://registry.example.com/v1/`, `ghcr.io`'), md);
    assert.ok(md.includes('[../secrets/regcred.yaml:4](file:///w/secrets/regcred.yaml#L4)'), md);
    const other = hoverAt(files, 'name: other');
    assert.ok(other.includes('**Not usable for pulls** (why, below).') && other.includes('**not usable for pulls**: it is an `Opaque` Secret'), other);
    assert.ok(hoverAt(files, 'name: nowhere').includes('**Not defined in this workspace.**'));
  });

  it('no hover ever shows a credential', () => {
    const all = ['registry.example.com/team/web', 'name: regcred', 'name: other', 'imagePullSecrets'].map((n) => hoverAt(files, n)).join('\n');
    for (const needle of [PASSWORD, b64(`robot:${PASSWORD}`), 'robot']) assert.ok(!all.includes(needle), `a hover shows ${needle}`);
  });

  it('inherited from the ServiceAccount when the pod lists none', () => {
    const f = {
      [D]: deploymentWith(['serviceAccountName: builder', 'containers:', '- name: web', '  image: registry.example.com/team/web:1.2']),
      'file:///w/sa.yaml': yaml('apiVersion: v1', 'kind: ServiceAccount', 'metadata: {name: builder}', 'imagePullSecrets:', '- name: regcred'),
      [S]: dockerSecret('regcred', ['ghcr.io']),
    };
    const md = hoverAt(f, 'registry.example.com/team/web');
    assert.ok(md.includes('**Pull secrets** (the pod lists none, so those of ServiceAccount `builder` ([../sa.yaml:3](file:///w/sa.yaml#L3))):'), md);
    assert.ok(md.includes('**None of them has credentials for `registry.example.com/team/web`**'), md);
  });

  it('a ServiceAccount\'s entry', () => {
    const f = { [D]: yaml('apiVersion: v1', 'kind: ServiceAccount', 'metadata: {name: builder}', 'imagePullSecrets:', '- name: regcred'), [S]: dockerSecret('regcred', ['ghcr.io']) };
    const md = hoverAt(f, 'name: regcred');
    assert.ok(md.includes('### Pull secret `regcred`') && md.includes('credentials for `ghcr.io`') && md.includes('ServiceAccount `builder`'), md);
  });
});

describe('go to definition', () => {
  const files = {
    [D]: deploymentWith(['serviceAccountName: builder', 'imagePullSecrets:', '- name: regcred', '- name: gen', 'containers:', '- name: web', '  image: nginx:1.27'], 'prod'),
    [S]: `${dockerSecret('regcred', ['ghcr.io'], { namespace: 'tools' })}---\n${dockerSecret('regcred', ['ghcr.io'], { namespace: 'prod' })}`,
    'file:///w/sa.yaml': yaml('apiVersion: v1', 'kind: ServiceAccount', 'metadata:', '  name: builder', '  namespace: prod'),
    'file:///w/app/kustomization.yaml': yaml('resources: [deploy.yaml]', 'secretGenerator:', '- name: gen', '  type: kubernetes.io/dockerconfigjson', '  files: [.dockerconfigjson=cfg.json]'),
  };
  const at = (needle: string) => definition(analyzeIn(files, D), files[D].indexOf(needle) + 2);

  it('from an imagePullSecrets name to the Secret in the pod\'s namespace', () => {
    const found = at('regcred')!;
    assert.deepEqual(found.origin, { start: files[D].indexOf('regcred'), end: files[D].indexOf('regcred') + 7 });
    assert.deepEqual(found.targets.map((t) => [t.uri, t.start]), [[S, { line: 12, character: 8 }]]);
  });
  it('to a secretGenerator entry', () => {
    assert.deepEqual(at(' gen')!.targets.map((t) => [t.uri, t.start.line]), [['file:///w/app/kustomization.yaml', 2]]);
  });
  it('from serviceAccountName to the ServiceAccount', () => {
    assert.deepEqual(at('builder')!.targets.map((t) => [t.uri, t.start]), [['file:///w/sa.yaml', { line: 3, character: 8 }]]);
  });
  it('nothing elsewhere', () => assert.equal(at('nginx'), null));
});

describe('completion of Secret names', () => {
  const others = {
    'file:///w/a.yaml': dockerSecret('match', ['registry.example.com'], { namespace: 'prod' }),
    'file:///w/b.yaml': dockerSecret('nomatch', ['ghcr.io'], { namespace: 'prod' }),
    'file:///w/c.yaml': dockerSecret('elsewhere', ['registry.example.com'], { namespace: 'tools' }),
    'file:///w/d.yaml': yaml('apiVersion: v1', 'kind: Secret', 'metadata: {name: tutorial, namespace: prod}', 'stringData: {username: a, password: b}'),
  };
  const complete = (src: string) => {
    const { text, cursors } = markers(src);
    const files = { ...others, [D]: text };
    return completions(analyzeIn(files, D), cursors[0]);
  };
  const pod = (...entry: string[]) => deploymentWith(['imagePullSecrets:', ...entry, 'containers:', '- name: web', '  image: registry.example.com/team/web:1.2'], 'prod');

  it('ranks usable Secrets of the pod\'s namespace that match its images first', () => {
    const items = complete(pod('- name: |'));
    assert.deepEqual(items.map((i) => i.label), ['match', 'nomatch', 'elsewhere', 'tutorial']);
    assert.equal(items[0].preselect, true);
    assert.equal(items[0].detail, 'Secret (kubernetes.io/dockerconfigjson) · registry.example.com · prod');
  });
  it('replaces the name typed so far', () => {
    const src = pod('- name: ma|tc');
    const items = complete(src);
    const { text } = markers(src);
    assert.deepEqual(items[0].range, { start: text.indexOf('matc'), end: text.indexOf('matc') + 4 });
  });
  it('in a flow list and on a name key below the dash', () => {
    assert.ok(complete(deploymentWith(['imagePullSecrets: [{name: |}]', 'containers: []'], 'prod')).some((i) => i.label === 'match'));
    assert.ok(complete(pod('- other: x', '  name: |')).some((i) => i.label === 'match'));
  });
  it('not for other name keys', () => {
    assert.deepEqual(complete(deploymentWith(['containers:', '- name: |'])), []);
    assert.deepEqual(complete(yaml('metadata:', '  name: |')), []);
  });
});

describe('quick fixes that add imagePullSecrets', () => {
  const fix = (before: string, name = 'regcred') => {
    const a = analyzeText(before);
    const edits = addPullSecretEdits(a.lines, a.pods[0].podSpec, name);
    assert.ok(edits, 'no edit');
    return applyEdits(before, edits);
  };
  const cases: { name: string; before: string; after: string }[] = [
    {
      name: 'a block pod spec whose lists are not indented',
      before: yaml('apiVersion: v1', 'kind: Pod', 'metadata: {name: p}', 'spec:', '  containers:', '  - name: a', '    image: x/y:1  # app'),
      after: yaml('apiVersion: v1', 'kind: Pod', 'metadata: {name: p}', 'spec:', '  containers:', '  - name: a', '    image: x/y:1  # app', '  imagePullSecrets:', '  - name: regcred'),
    },
    {
      name: 'a block pod spec whose lists are indented',
      before: yaml('apiVersion: apps/v1', 'kind: Deployment', 'metadata: {name: d}', 'spec:', '  template:', '    spec:', '      containers:', '        - name: a', '          image: x/y:1', '      restartPolicy: Always'),
      after: yaml('apiVersion: apps/v1', 'kind: Deployment', 'metadata: {name: d}', 'spec:', '  template:', '    spec:', '      containers:', '        - name: a', '          image: x/y:1', '      restartPolicy: Always', '      imagePullSecrets:', '        - name: regcred'),
    },
    {
      name: 'a flow pod spec',
      before: yaml('apiVersion: v1', 'kind: Pod', 'metadata: {name: p}', 'spec: {containers: [{name: a, image: x/y:1}]}'),
      after: yaml('apiVersion: v1', 'kind: Pod', 'metadata: {name: p}', 'spec: {containers: [{name: a, image: x/y:1}], imagePullSecrets: [{name: regcred}]}'),
    },
    {
      name: 'an imagePullSecrets without value',
      before: yaml('apiVersion: v1', 'kind: Pod', 'metadata: {name: p}', 'spec:', '  imagePullSecrets:', '  containers:', '  - name: a', '    image: x/y:1'),
      after: yaml('apiVersion: v1', 'kind: Pod', 'metadata: {name: p}', 'spec:', '  imagePullSecrets:', '  - name: regcred', '  containers:', '  - name: a', '    image: x/y:1'),
    },
    {
      name: 'an empty flow list',
      before: yaml('apiVersion: v1', 'kind: Pod', 'metadata: {name: p}', 'spec:', '  imagePullSecrets: []', '  containers:', '  - name: a', '    image: x/y:1'),
      after: yaml('apiVersion: v1', 'kind: Pod', 'metadata: {name: p}', 'spec:', '  imagePullSecrets: [{name: regcred}]', '  containers:', '  - name: a', '    image: x/y:1'),
    },
    {
      name: 'CRLF line endings',
      before: ['apiVersion: v1', 'kind: Pod', 'metadata: {name: p}', 'spec:', '  containers:', '  - name: a', '    image: x/y:1', ''].join('\r\n'),
      after: ['apiVersion: v1', 'kind: Pod', 'metadata: {name: p}', 'spec:', '  containers:', '  - name: a', '    image: x/y:1', '  imagePullSecrets:', '  - name: regcred', ''].join('\r\n'),
    },
  ];
  for (const c of cases) it(c.name, () => assert.equal(fix(c.before), c.after));

  it('private-image-without-pull-secret offers the matching Secrets first, else a placeholder and a new Secret', () => {
    const deploy = deploymentWith(['containers:', '- name: web', '  image: registry.example.com/team/web:1.2']);
    const titles = (files: Record<string, string>) => analyzeIn(files, D).findings.find((f) => f.ruleId === 'private-image-without-pull-secret')!.fixes.map((f) => [f.title, !!f.isPreferred]);
    assert.deepEqual(titles({ [D]: deploy, [S]: dockerSecret('regcred', ['registry.example.com']), 'file:///w/o.yaml': dockerSecret('ghcr', ['ghcr.io']) }), [['Add imagePullSecrets: regcred', true]]);
    assert.deepEqual(titles({ [D]: deploy, 'file:///w/o.yaml': dockerSecret('ghcr', ['ghcr.io']) }), [
      ['Add imagePullSecrets (a placeholder "regcred" to rename)', false],
      ['Create a docker-registry Secret "regcred" for registry.example.com', false],
    ]);
    // Applying "Add imagePullSecrets: regcred" removes the finding.
    const files = { [D]: deploy, [S]: dockerSecret('regcred', ['registry.example.com']) };
    const f = analyzeIn(files, D).findings.find((x) => x.ruleId === 'private-image-without-pull-secret')!;
    const fixed = applyEdits(deploy, f.fixes[0].edits);
    assert.deepEqual(analyzeIn({ ...files, [D]: fixed }, D).findings.filter((x) => x.ruleId.startsWith('p')).map((x) => x.ruleId), []);
  });
});
