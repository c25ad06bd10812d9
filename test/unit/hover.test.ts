import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { hover } from '../../server/src/service/hover';
import { analyzeText, markers, yaml } from '../helpers';

const DIGEST = `sha256:${'a'.repeat(64)}`;

/** A Pod whose only container has `imageLine` (with its markers) and `extra` lines after it. */
function pod(imageLine: string, ...extra: string[]): string {
  return yaml('apiVersion: v1', 'kind: Pod', 'metadata:', '  name: web', 'spec:', '  containers:', '  - name: app', `    ${imageLine}`, ...extra);
}

/** Hovers at the single cursor of `src`; checks the range against `[[…]]` when the fixture has one. */
function hoverAt(src: string) {
  const { text, cursors, ranges } = markers(src);
  assert.equal(cursors.length, 1, 'fixture needs exactly one cursor');
  const result = hover(analyzeText(text), cursors[0]);
  if (ranges.length) {
    assert.ok(result, 'expected a hover');
    assert.deepEqual(result.range, ranges[0]);
  }
  return result;
}

function includesAll(markdown: string, parts: string[]): void {
  for (const part of parts) assert.ok(markdown.includes(part), `hover lacks ${JSON.stringify(part)}:\n${markdown}`);
}

describe('hover on an image value', () => {
  const cases: { name: string; image: string; first: string; has: string[]; lacks?: string[] }[] = [
    {
      name: 'no tag: :latest assumed, Always',
      image: 'nginx',
      first: '**`Always`** (default: no tag, so `latest`) · pulls on every start',
      has: ['**Pulls** `docker.io/library/nginx:latest` (no tag, so `latest`) — ❓ exists: not looked up here · ✅ credentials: anonymous',
        '**Kubelet:** asks the registry at every start',
        '[missing-tag](', 'whatever that is on the day a node pulls it', '[implicit-pull-policy](', 'Defaulted once, at creation'],
      lacks: ['KEP-2535', 'No tag, so', 'Pull secrets'],
    },
    {
      name: 'tag latest: Always',
      image: 'nginx:latest',
      first: '**`Always`** (default: tag is `latest`) · pulls on every start',
      has: ['**Pulls** `docker.io/library/nginx:latest`', '[latest-tag](', 'a rollback cannot restore the old one'],
      lacks: ['moves with every push'],
    },
    {
      name: 'other tag: IfNotPresent',
      image: 'nginx:1.27',
      first: '**`IfNotPresent`** (default: tag is not `latest`) · pulls only where the node lacks it',
      has: ['**Kubelet:** uses the node\'s copy without asking the registry', '**Pulls** `docker.io/library/nginx:1.27` — '],
      lacks: ['[latest-tag]'],
    },
    {
      name: 'digest only: IfNotPresent',
      image: `nginx@${DIGEST}`,
      first: '**`IfNotPresent`** (default: digest, no tag) · pulls only where the node lacks it',
      has: [`**Pulls** \`docker.io/library/nginx@${DIGEST}\` — ❓ exists: not looked up here`],
      lacks: ['so `latest`'],
    },
    {
      name: ':latest@digest: still Always, pulled by digest',
      image: `nginx:latest@${DIGEST}`,
      first: '**`Always`** (default: tag is `latest`, even with a digest) · pulls on every start',
      has: ['[tag-and-digest](', 'pulls by digest and ignores the tag'],
    },
    {
      name: 'tag Latest: case-sensitive, IfNotPresent',
      image: 'nginx:Latest',
      first: '**`IfNotPresent`** (default: `Latest` is not `latest` (case-sensitive)) · pulls only where the node lacks it',
      has: [],
    },
    {
      name: 'uppercase repository: invalid, InvalidImageName',
      image: 'NGINX',
      first: '**Invalid reference:** the kubelet cannot pull it, whatever the pull policy.',
      has: ['Container `app` in Pod `web`.', '[invalid-image-reference](', 'must be lowercase', 'InvalidImageName'],
      lacks: ['**Pulls**', '**Kubelet:**', 'CRI-O'],
    },
    {
      name: 'localhost registry without a tag: Always',
      image: 'localhost:5000/app',
      first: '**`Always`** (default: no tag, so `latest`) · pulls on every start',
      has: ['**Pulls** `localhost:5000/app:latest` (no tag, so `latest`) — ', '⚠️ credentials: no pull secret for `localhost:5000`, which is not public'],
      lacks: ['CRI-O', 'is not a registry'],
    },
    {
      name: 'host-looking name without a slash: Docker Hub repository with a tag',
      image: 'test.com:5000',
      first: '**`IfNotPresent`** (default: tag is not `latest`) · pulls only where the node lacks it',
      has: ['**Pulls** `docker.io/library/test.com:5000`', '`test.com` is not a registry but a Docker Hub repository', '`test.com:5000/REPOSITORY`'],
    },
    {
      name: 'fully qualified Docker Hub name: no short-name note',
      image: 'docker.io/library/nginx:1.27',
      first: '**`IfNotPresent`** (default: tag is not `latest`) · pulls only where the node lacks it',
      has: ['**Pulls** `docker.io/library/nginx:1.27`'],
      lacks: ['CRI-O'],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const result = hoverAt(pod(`image: [[|${c.image}]]`));
      assert.equal(result!.markdown.split('\n')[0], c.first);
      includesAll(result!.markdown, c.has);
      for (const part of c.lacks ?? []) assert.ok(!result!.markdown.includes(part), `hover has ${JSON.stringify(part)}:\n${result!.markdown}`);
    });
  }

  it('says each why once, behind its rule link, and never a diagnostic\'s message', () => {
    const { text, cursors } = markers(pod('image: nginx:la|test', '  - name: b', '    image: nginx:latest'));
    const analysis = analyzeText(text);
    const md = hover(analysis, cursors[0])!.markdown;
    assert.equal(md.split('[latest-tag](').length, 2);
    for (const f of analysis.findings) assert.ok(!md.includes(f.message), f.message);
  });

  it('a plain image fits the default hover: a handful of short paragraphs', () => {
    const md = hoverAt(pod('image: [[ghcr.io/acme/api:2.|1]]', '    imagePullPolicy: IfNotPresent', '  imagePullSecrets: [{name: ghcr}]'))!.markdown;
    const paragraphs = md.split('\n\n');
    assert.ok(paragraphs.length <= 6, md);
    // ~70 characters a line at VS Code's default hover width; 250 px hold about 12 lines.
    const lines = paragraphs.reduce((n, p) => n + p.split('\n').reduce((m, l) => m + Math.ceil(l.length / 70), 0), 0);
    assert.ok(lines <= 12, `${lines} lines:\n${md}`);
  });

  it('explicit Never: set here, ErrImageNeverPull, no defaulting note', () => {
    const md = hoverAt(pod('image: [[nginx:1.|27]]', '    imagePullPolicy: Never'))!.markdown;
    assert.equal(md.split('\n')[0], '**`Never`** (set here) · never pulls');
    includesAll(md, ['`ErrImageNeverPull`']);
    assert.ok(!md.includes('computed once'));
  });

  it('an invalid explicit policy is reported as rejected', () => {
    const md = hoverAt(pod('image: [[ngin|x]]', '    imagePullPolicy: always'))!.markdown;
    includesAll(md, ['`always` is not a pull policy', 'Unsupported value: "always"']);
  });

  it('range is the quoted scalar, cursor at the end of the value counts', () => {
    hoverAt(pod('image: [["nginx:1.27"|]]  # pinned'));
  });

  it('templated image: says it is a template and judges nothing', () => {
    const md = hoverAt(pod('image: [["{{ .Values.im|age }}"]]'))!.markdown;
    assert.equal(md.split('\n')[0], '**Templated:** rendered before Kubernetes sees it, so it is not judged here.');
    assert.ok(!md.includes('**Pull policy'));
    assert.ok(!md.includes('**Pulls**'));
  });

  it('odd characters stay literal', () => {
    assert.ok(hoverAt(pod('image: [[" ngi|nx"]]'))!.markdown.startsWith('**Invalid reference:**'));
  });

  it('image volume: pullPolicy, and the same defaulting', () => {
    const text = yaml('apiVersion: v1', 'kind: Pod', 'metadata:', '  name: web', 'spec:', '  containers:', '  - name: app',
      '    image: busybox:1.36', '  volumes:', '  - name: models', '    image:', '      reference: [[registry.example.com/models|]]');
    const md = hoverAt(text)!.markdown;
    assert.equal(md.split('\n')[0], '**`Always`** (default: no tag, so `latest`) · pulls on every start');
    includesAll(md, ['**Pulls** `registry.example.com/models:latest`', 'no pull secret for `registry.example.com`']);
    assert.ok(!md.includes('CRI-O'));
  });

  it('lists the pod\'s pull secrets', () => {
    const md = hoverAt(pod('image: [[|nginx:1.27]]', '  imagePullSecrets:', '  - name: regcred'))!.markdown;
    includesAll(md, ['**Pull secrets** (the pod\'s `imagePullSecrets`):', '- `regcred`: not defined in this file']);
  });

  it('Deployment with a service account', () => {
    const text = yaml('apiVersion: apps/v1', 'kind: Deployment', 'metadata:', '  name: api', 'spec:', '  template:', '    spec:',
      '      serviceAccountName: builder', '      containers:', '      - name: srv', '        image: [[registry.example.com/acme/api:v|2]]');
    includesAll(hoverAt(text)!.markdown, ['no pull secret for `registry.example.com`', 'ServiceAccount `builder`']);
  });
});

describe('hover on imagePullPolicy', () => {
  it('key: the three values, the one that applies and why', () => {
    const md = hoverAt(pod('image: nginx', '    [[imagePull|Policy]]: IfNotPresent'))!.markdown;
    assert.equal(md.split('\n')[0], '**`IfNotPresent`** (set here) · pulls only where the node lacks it. Without it, `nginx` would default to `Always`.');
    includesAll(md, ['`Always`:', '`Never`:', '- **`IfNotPresent`: use the copy on the node', '← here']);
  });

  it('value: same text, value range', () => {
    hoverAt(pod('image: nginx', '    imagePullPolicy: [[Alw|ays]]'));
  });

  it('invalid value: rejected by the API', () => {
    const md = hoverAt(pod('image: nginx', '    imagePullPolicy: [[|always]]'))!.markdown;
    includesAll(md, ['`always` is not a pull policy', 'case-sensitive']);
    assert.ok(!md.includes('← here'));
  });

  it('image volume pullPolicy key', () => {
    const text = yaml('apiVersion: v1', 'kind: Pod', 'metadata:', '  name: web', 'spec:', '  volumes:', '  - name: models',
      '    image:', '      reference: repo/models:v1', '      [[pull|Policy]]: Always');
    assert.equal(hoverAt(text)!.markdown.split('\n')[0], '**`Always`** (set here) · pulls on every start. Without it, `repo/models:v1` would default to `IfNotPresent`.');
  });
});

describe('hover on imagePullSecrets', () => {
  const src = (cursorLine: string) => yaml('apiVersion: v1', 'kind: Pod', 'metadata:', '  name: web', '  namespace: prod', 'spec:',
    '  containers:', '  - name: app', '    image: nginx', cursorLine);

  it('key: pod-level, namespace, missing skipped, types, ServiceAccount rule', () => {
    const text = src('  [[imagePull|Secrets]]:\n  - name: regcred');
    includesAll(hoverAt(text)!.markdown, ['### `imagePullSecrets`', 'Pod-level', 'namespace (`prod`)', 'skipped with a warning event',
      '`kubernetes.io/dockerconfigjson`', '`.dockerconfigjson`', '`kubernetes.io/dockercfg`', '`Opaque`',
      'only when the pod lists none', 'this pod lists 1, so those of ServiceAccount `default` are not added']);
  });

  it('entry: named heading, entry range', () => {
    const md = hoverAt(src('  imagePullSecrets:\n  - [[name: reg|cred]]  # from vault'))!.markdown;
    includesAll(md, ['### Pull secret `regcred`', 'namespace (`prod`)']);
  });

  it('a bare string entry says how to write it', () => {
    const md = hoverAt(src('  imagePullSecrets:\n  - [[regc|red]]'))!.markdown;
    includesAll(md, ['`regcred` is not a valid entry', '`- name: <secret>`']);
  });
});

describe('hover elsewhere', () => {
  for (const src of [
    pod('image: nginx').replace('name: app', 'name: a|pp'),
    pod('image: nginx').replace('kind: Pod', 'ki|nd: Pod'),
    pod('im|age: nginx'),
    pod('image: nginx', '  |'),
    // Not a Kubernetes object: nothing is analysed.
    yaml('image: ngi|nx', 'imagePullPolicy: Always'),
  ]) {
    it(`null at ${JSON.stringify(src.slice(src.indexOf('|') - 8, src.indexOf('|') + 6))}`, () => {
      assert.equal(hoverAt(src), null);
    });
  }
});
