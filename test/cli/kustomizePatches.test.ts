// `--kustomize DIR` with patches: strategic-merge and JSON 6902 patches (files and inline), `$patch: delete` and
// target selectors change the effective images and policies as kustomize builds them. The expected images are
// checked against `kubectl kustomize` too when kubectl is installed (it is not part of the test set-up).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { cli, tree } from './harness';
import { yaml } from '../helpers';

const workload = (kind: string, name: string, ...containers: string[]) => yaml(
  `apiVersion: ${kind === 'CronJob' ? 'batch/v1' : 'apps/v1'}`, `kind: ${kind}`, 'metadata:', `  name: ${name}`, 'spec:',
  ...(kind === 'CronJob'
    ? ['  schedule: "@daily"', '  jobTemplate:', '    spec:', '      template:', '        spec:', '          restartPolicy: Never', '          containers:', ...containers.map((c) => `          ${c}`)]
    : ['  selector: {matchLabels: {app: x}}', '  template:', '    metadata: {labels: {app: x}}', '    spec:', '      containers:', ...containers.map((c) => `      ${c}`)]),
);

const FILES = {
  'base/kustomization.yaml': yaml('resources: [web.yaml, worker.yaml, job.yaml]'),
  'base/web.yaml': workload('Deployment', 'web', '- name: web', '  image: nginx:1.25', '- name: sidecar', '  image: envoyproxy/envoy:v1.30.0', '  imagePullPolicy: IfNotPresent', '- name: debug', '  image: busybox'),
  'base/worker.yaml': workload('Deployment', 'worker', '- name: worker', '  image: busybox:1.36', '  imagePullPolicy: IfNotPresent'),
  'base/job.yaml': workload('CronJob', 'job', '- name: job', '  image: alpine'),
  'prod/kustomization.yaml': yaml(
    'resources: [../base]',
    'images:', '- name: nginx', '  newTag: "1.27"',
    'patches:',
    '- path: web-patch.yaml',
    '- target: {kind: Deployment, name: work.*}',
    '  patch: |-',
    '    - op: replace',
    '      path: /spec/template/spec/containers/0/image',
    '      value: busybox:latest',
    'patchesStrategicMerge:', '- delete-job.yaml'),
  'prod/web-patch.yaml': yaml('apiVersion: apps/v1', 'kind: Deployment', 'metadata: {name: web}', 'spec:', '  template:', '    spec:', '      containers:',
    '      - name: sidecar', '        image: envoyproxy/envoy:v1.31.0', '      - name: web', '        imagePullPolicy: Always', '      - name: debug', '        $patch: delete'),
  'prod/delete-job.yaml': yaml('apiVersion: batch/v1', 'kind: CronJob', 'metadata: {name: job}', '$patch: delete'),
};

/** `Kind/name/container image policy` of every container, as built. */
const EXPECTED = [
  'Deployment/web/web nginx:1.27 Always',
  'Deployment/web/sidecar envoyproxy/envoy:v1.31.0 IfNotPresent',
  'Deployment/worker/worker busybox:latest IfNotPresent',
];

interface JsonImage { image: string; kind: string; name: string; container: string; pullPolicy: { explicit: string | null } }
interface JsonFile { path: string; images: JsonImage[]; findings: { ruleId: string; message: string; range: { start: { line: number } } }[] }

describe('--kustomize DIR applies patches', () => {
  it('images, policies and deletions as kustomize builds them, findings where the fault is written', () => {
    const root = tree(FILES);
    const r = cli(['--format', 'json', '--kustomize', 'prod'], root);
    const files = JSON.parse(r.stdout).files as JsonFile[];
    const built = files.filter((f) => f.path.startsWith('base/')).flatMap((f) => f.images.map((i) => `${i.kind}/${i.name}/${i.container} ${i.image} ${i.pullPolicy.explicit}`));
    assert.deepEqual(built.sort(), [...EXPECTED].sort());
    const on = (path: string) => files.find((f) => f.path === path)!.findings.map((f) => f.ruleId);
    // The deleted CronJob and container report nothing; the worker's latest (set by the inline patch) shows where
    // only the combination is visible: IfNotPresent with :latest, on the base's image.
    assert.deepEqual(on('base/job.yaml'), []);
    assert.ok(!files.find((f) => f.path === 'base/web.yaml')!.findings.some((f) => f.range.start.line >= 15), 'nothing on the deleted debug container');
    assert.deepEqual(on('base/worker.yaml'), ['stale-image-risk']);
    // The patch file is linted as a patch: its image is judged, what it leaves out is not.
    assert.deepEqual(on('prod/web-patch.yaml'), []);
  });

  it('the expected build is what kubectl kustomize builds', (t) => {
    const kubectl = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' });
    if (kubectl.status !== 0) return t.skip('kubectl is not installed here');
    const root = tree(FILES);
    const out = spawnSync('kubectl', ['kustomize', join(root, 'prod')], { encoding: 'utf8' });
    assert.equal(out.status, 0, out.stderr);
    const built: string[] = [];
    for (const doc of parseAllDocuments(out.stdout)) {
      const o = doc.toJS();
      for (const c of o.spec.template.spec.containers) built.push(`${o.kind}/${o.metadata.name}/${c.name} ${c.image} ${c.imagePullPolicy ?? null}`);
    }
    assert.deepEqual(built.sort(), [...EXPECTED].sort());
  });
});
