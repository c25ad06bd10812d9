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
  const cases: { name: string; image: string; has: string[]; lacks?: string[] }[] = [
    {
      name: 'no tag: :latest assumed, Always',
      image: 'nginx',
      has: ['### `nginx`', 'Container `app` in Pod `web`', '**Registry:** `docker.io`', '**Repository:** `library/nginx`',
        '**Tag:** none (Kubernetes assumes `latest`)', '**Digest:** none', '**Normalized name:** `docker.io/library/nginx`',
        '**Pull policy: `Always`** (default)', 'no tag and no digest, so Kubernetes assumes `:latest`',
        'registry is still contacted on every container start', 'cached layers are used', 'Node lacks it: pulls it.',
        'Defaulting happens once, when the object is created', 'CRI-O', '`docker.io/library/nginx` is unambiguous',
        '**Pull secrets:** none: the pod lists none', 'ServiceAccount `default` is not in this file', '`docker.io` is in `publicRegistries`'],
      lacks: ['KEP-2535'],
    },
    {
      name: 'tag latest: Always',
      image: 'nginx:latest',
      has: ['**Tag:** `latest`', '**Pull policy: `Always`** (default)', 'the tag is `latest`, which defaults to `Always`.'],
    },
    {
      name: 'other tag: IfNotPresent',
      image: 'nginx:1.27',
      has: ['**Tag:** `1.27`', '**Pull policy: `IfNotPresent`** (default)', 'the tag `1.27` is not `latest`',
        'uses the cached image without contacting the registry', 'Node lacks it: pulls it.', 'KEP-2535', 're-verified',
        '`docker.io/library/nginx:1.27` is unambiguous'],
    },
    {
      name: 'digest only: IfNotPresent',
      image: `nginx@${DIGEST}`,
      has: ['**Tag:** none\n', `**Digest:** \`${DIGEST}\``, '**Pull policy: `IfNotPresent`** (default)', 'a digest and no tag'],
      lacks: ['assumes `latest`'],
    },
    {
      name: ':latest@digest: still Always, pulled by digest',
      image: `nginx:latest@${DIGEST}`,
      has: ['**Tag:** `latest`', `**Digest:** \`${DIGEST}\``, '**Pull policy: `Always`** (default)', 'even with a digest',
        'pulls by the digest'],
    },
    {
      name: 'tag Latest: case-sensitive, IfNotPresent',
      image: 'nginx:Latest',
      has: ['**Pull policy: `IfNotPresent`** (default)', 'case-sensitive'],
    },
    {
      name: 'uppercase repository: invalid, IfNotPresent, InvalidImageName',
      image: 'NGINX',
      has: ['### `NGINX`', '**Invalid reference:**', 'must be lowercase', '`InvalidImageName`',
        '**Pull policy: `IfNotPresent`** (default)', 'cannot parse the image'],
      lacks: ['**Registry:**', 'Node has the image', 'CRI-O'],
    },
    {
      name: 'localhost registry without a tag: Always',
      image: 'localhost:5000/app',
      has: ['**Registry:** `localhost:5000`', '**Repository:** `app`', '**Normalized name:** `localhost:5000/app`',
        '**Pull policy: `Always`** (default)'],
      lacks: ['CRI-O', 'is not a registry'],
    },
    {
      name: 'host-looking name without a slash: Docker Hub repository with a tag',
      image: 'test.com:5000',
      has: ['**Registry:** `docker.io`', '**Repository:** `library/test.com`', '**Tag:** `5000`',
        '**Pull policy: `IfNotPresent`** (default)', '`test.com` is not a registry here', '`test.com:5000/REPOSITORY`'],
    },
    {
      name: 'fully qualified Docker Hub name: no short-name note',
      image: 'docker.io/library/nginx:1.27',
      has: ['**Normalized name:** `docker.io/library/nginx`'],
      lacks: ['CRI-O'],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const result = hoverAt(pod(`image: [[|${c.image}]]`));
      includesAll(result!.markdown, c.has);
      for (const part of c.lacks ?? []) assert.ok(!result!.markdown.includes(part), `hover has ${JSON.stringify(part)}`);
    });
  }

  it('explicit Never: says explicit, ErrImageNeverPull, no defaulting note', () => {
    const md = hoverAt(pod('image: [[nginx:1.|27]]', '    imagePullPolicy: Never'))!.markdown;
    includesAll(md, ['**Pull policy: `Never`** (explicit)', 'set explicitly', '`ErrImageNeverPull`', 'KEP-2535', 'the pod fails']);
    assert.ok(!md.includes('Defaulting happens once'));
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
    includesAll(md, ['template', "can't be judged"]);
    assert.ok(!md.includes('**Pull policy'));
    assert.ok(!md.includes('**Registry:**'));
  });

  it('odd characters stay literal in the heading', () => {
    assert.ok(hoverAt(pod("image: [['ngi`|nx']]"))!.markdown.startsWith('### ``ngi`nx``'));
    assert.ok(hoverAt(pod('image: [[" ngi|nx"]]'))!.markdown.startsWith('### `" nginx"`'));
  });

  it('image volume: pullPolicy, volume name, and the same defaulting', () => {
    const text = yaml('apiVersion: v1', 'kind: Pod', 'metadata:', '  name: web', 'spec:', '  containers:', '  - name: app',
      '    image: busybox:1.36', '  volumes:', '  - name: models', '    image:', '      reference: [[registry.example.com/models|]]');
    const md = hoverAt(text)!.markdown;
    includesAll(md, ['Image volume `models` in Pod `web`', '**Registry:** `registry.example.com`', '**Pull policy: `Always`** (default)']);
    assert.ok(!md.includes('CRI-O'));
  });

  it('lists the pod\'s pull secrets', () => {
    const md = hoverAt(pod('image: [[|nginx:1.27]]', '  imagePullSecrets:', '  - name: regcred'))!.markdown;
    includesAll(md, ['**Pull secrets** (the pod\'s `imagePullSecrets`):', '- `regcred`: not defined in this file']);
  });

  it('Deployment with a service account', () => {
    const text = yaml('apiVersion: apps/v1', 'kind: Deployment', 'metadata:', '  name: api', 'spec:', '  template:', '    spec:',
      '      serviceAccountName: builder', '      containers:', '      - name: srv', '        image: [[ghcr.io/acme/api:v|2]]');
    includesAll(hoverAt(text)!.markdown, ['Container `srv` in Deployment `api`', '**Registry:** `ghcr.io`', 'ServiceAccount `builder`']);
  });
});

describe('hover on imagePullPolicy', () => {
  it('key: the three values, the one that applies and why', () => {
    const md = hoverAt(pod('image: nginx', '    [[imagePull|Policy]]: IfNotPresent'))!.markdown;
    includesAll(md, ['### `imagePullPolicy`', '`Always`:', '`Never`:', '- **`IfNotPresent`: use the copy on the node',
      '← applies here', '**Here: `IfNotPresent`** (explicit)', 'Without it, `nginx` would default to `Always`.']);
  });

  it('value: same text, value range', () => {
    hoverAt(pod('image: nginx', '    imagePullPolicy: [[Alw|ays]]'));
  });

  it('invalid value: rejected by the API', () => {
    const md = hoverAt(pod('image: nginx', '    imagePullPolicy: [[|always]]'))!.markdown;
    includesAll(md, ['`always` is not a pull policy', 'case-sensitive']);
    assert.ok(!md.includes('← applies here'));
  });

  it('image volume pullPolicy key', () => {
    const text = yaml('apiVersion: v1', 'kind: Pod', 'metadata:', '  name: web', 'spec:', '  volumes:', '  - name: models',
      '    image:', '      reference: repo/models:v1', '      [[pull|Policy]]: Always');
    includesAll(hoverAt(text)!.markdown, ['### `pullPolicy`', 'image volume `models`', '**Here: `Always`** (explicit)']);
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
