/**
 * The custom resources that run pods: one fixture per kind of `parse/customResources.ts`, each checked for the
 * images found (value, field, container name) and for being judged like a Pod's images.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { analyzeText, yaml } from '../helpers';
import { CUSTOM_RESOURCES } from '../../server/src/service/parse/customResources';

interface Case {
  kind: string;
  text: string;
  /** `image@field/name` for each image site, in order. */
  images: string[];
}

const head = (apiVersion: string, kind: string) => [`apiVersion: ${apiVersion}`, `kind: ${kind}`, 'metadata:', '  name: x'];
const podSpec = (indent: string, image = 'nginx:latest') => [`${indent}containers:`, `${indent}- name: main`, `${indent}  image: ${image}`];

const CASES: Case[] = [
  {
    kind: 'Workflow',
    text: yaml(...head('argoproj.io/v1alpha1', 'Workflow'), 'spec:', '  entrypoint: main', '  imagePullSecrets: [{name: regcred}]', '  templates:',
      '  - name: main', '    container:', '      image: alpine:latest', '      command: [echo]',
      '  - name: s', '    script:', '      image: python:3.12', '      source: print(1)',
      '  - name: set', '    containerSet:', '      containers:', '      - name: a', '        image: busybox', '    initContainers:', '    - name: i', '      image: init:1',
      '    sidecars:', '    - name: side', '      image: envoy:1.30'),
    images: ['alpine:latest@containers/null', 'python:3.12@containers/null', 'busybox@containers/a', 'init:1@initContainers/i', 'envoy:1.30@containers/side'],
  },
  {
    kind: 'WorkflowTemplate',
    text: yaml(...head('argoproj.io/v1alpha1', 'WorkflowTemplate'), 'spec:', '  templates:', '  - name: main', '    container:', '      image: alpine:latest'),
    images: ['alpine:latest@containers/null'],
  },
  {
    kind: 'ClusterWorkflowTemplate',
    text: yaml(...head('argoproj.io/v1alpha1', 'ClusterWorkflowTemplate'), 'spec:', '  templates:', '  - name: main', '    script:', '      image: alpine:latest', '      source: ls'),
    images: ['alpine:latest@containers/null'],
  },
  {
    kind: 'CronWorkflow',
    text: yaml(...head('argoproj.io/v1alpha1', 'CronWorkflow'), 'spec:', '  schedule: "* * * * *"', '  workflowSpec:', '    templates:', '    - name: main', '      container:', '        image: alpine:latest'),
    images: ['alpine:latest@containers/null'],
  },
  {
    kind: 'Experiment',
    text: yaml(...head('argoproj.io/v1alpha1', 'Experiment'), 'spec:', '  templates:', '  - name: canary', '    template:', '      spec:', ...podSpec('        ')),
    images: ['nginx:latest@containers/main'],
  },
  {
    kind: 'AnalysisTemplate',
    text: yaml(...head('argoproj.io/v1alpha1', 'AnalysisTemplate'), 'spec:', '  metrics:', '  - name: m', '    provider:', '      job:', '        spec:', '          template:', '            spec:', ...podSpec('              ')),
    images: ['nginx:latest@containers/main'],
  },
  {
    kind: 'Task',
    text: yaml(...head('tekton.dev/v1', 'Task'), 'spec:', '  stepTemplate:', '    image: base:1', '  steps:', '  - name: build', '    image: golang:latest', '  - name: test', '    image: golang:1.22', '  sidecars:', '  - name: docker', '    image: docker:dind'),
    images: ['base:1@containers/null', 'golang:latest@containers/build', 'golang:1.22@containers/test', 'docker:dind@containers/docker'],
  },
  {
    kind: 'ClusterTask',
    text: yaml(...head('tekton.dev/v1beta1', 'ClusterTask'), 'spec:', '  steps:', '  - name: s', '    image: alpine:latest'),
    images: ['alpine:latest@containers/s'],
  },
  {
    kind: 'TaskRun',
    text: yaml(...head('tekton.dev/v1', 'TaskRun'), 'spec:', '  taskSpec:', '    steps:', '    - name: s', '      image: alpine:latest'),
    images: ['alpine:latest@containers/s'],
  },
  {
    kind: 'Pipeline',
    text: yaml(...head('tekton.dev/v1', 'Pipeline'), 'spec:', '  tasks:', '  - name: t', '    taskSpec:', '      steps:', '      - name: s', '        image: alpine:latest', '  finally:', '  - name: f', '    taskSpec:', '      steps:', '      - name: s2', '        image: alpine:3.20'),
    images: ['alpine:latest@containers/s', 'alpine:3.20@containers/s2'],
  },
  {
    kind: 'PipelineRun',
    text: yaml(...head('tekton.dev/v1', 'PipelineRun'), 'spec:', '  pipelineSpec:', '    tasks:', '    - name: t', '      taskSpec:', '        steps:', '        - name: s', '          image: alpine:latest'),
    images: ['alpine:latest@containers/s'],
  },
  {
    kind: 'StepAction',
    text: yaml(...head('tekton.dev/v1beta1', 'StepAction'), 'spec:', '  image: alpine:latest', '  script: echo'),
    images: ['alpine:latest@containers/null'],
  },
  {
    kind: 'ScaledJob',
    text: yaml(...head('keda.sh/v1alpha1', 'ScaledJob'), 'spec:', '  jobTargetRef:', '    template:', '      spec:', ...podSpec('        ')),
    images: ['nginx:latest@containers/main'],
  },
  {
    kind: 'ClusterServiceVersion',
    text: yaml(...head('operators.coreos.com/v1alpha1', 'ClusterServiceVersion'), 'spec:', '  install:', '    strategy: deployment', '    spec:', '      deployments:', '      - name: op', '        spec:', '          template:', '            spec:', ...podSpec('              ')),
    images: ['nginx:latest@containers/main'],
  },
  {
    kind: 'JobSet',
    text: yaml(...head('jobset.x-k8s.io/v1alpha2', 'JobSet'), 'spec:', '  replicatedJobs:', '  - name: workers', '    template:', '      spec:', '        template:', '          spec:', ...podSpec('            ')),
    images: ['nginx:latest@containers/main'],
  },
  {
    kind: 'LeaderWorkerSet',
    text: yaml(...head('leaderworkerset.x-k8s.io/v1', 'LeaderWorkerSet'), 'spec:', '  leaderWorkerTemplate:', '    leaderTemplate:', '      spec:', ...podSpec('        ', 'vllm:latest'), '    workerTemplate:', '      spec:', ...podSpec('        ')),
    images: ['vllm:latest@containers/main', 'nginx:latest@containers/main'],
  },
  {
    kind: 'RayCluster',
    text: yaml(...head('ray.io/v1', 'RayCluster'), 'spec:', '  headGroupSpec:', '    template:', '      spec:', ...podSpec('        ', 'rayproject/ray:latest'), '  workerGroupSpecs:', '  - groupName: g', '    template:', '      spec:', ...podSpec('        ', 'rayproject/ray:2.9.0')),
    images: ['rayproject/ray:latest@containers/main', 'rayproject/ray:2.9.0@containers/main'],
  },
  {
    kind: 'RayJob',
    text: yaml(...head('ray.io/v1', 'RayJob'), 'spec:', '  rayClusterSpec:', '    headGroupSpec:', '      template:', '        spec:', ...podSpec('          ', 'rayproject/ray:latest'), '  submitterPodTemplate:', '    spec:', ...podSpec('      ', 'submitter:1')),
    images: ['rayproject/ray:latest@containers/main', 'submitter:1@containers/main'],
  },
  {
    kind: 'RayService',
    text: yaml(...head('ray.io/v1', 'RayService'), 'spec:', '  rayClusterConfig:', '    workerGroupSpecs:', '    - groupName: g', '      template:', '        spec:', ...podSpec('          ')),
    images: ['nginx:latest@containers/main'],
  },
  {
    kind: 'PyTorchJob',
    text: yaml(...head('kubeflow.org/v1', 'PyTorchJob'), 'spec:', '  pytorchReplicaSpecs:', '    Master:', '      replicas: 1', '      template:', '        spec:', ...podSpec('          ', 'pytorch:latest'), '    Worker:', '      template:', '        spec:', ...podSpec('          ', 'pytorch:2.3')),
    images: ['pytorch:latest@containers/main', 'pytorch:2.3@containers/main'],
  },
  {
    kind: 'TFJob',
    text: yaml(...head('kubeflow.org/v1', 'TFJob'), 'spec:', '  tfReplicaSpecs:', '    Worker:', '      template:', '        spec:', ...podSpec('          ')),
    images: ['nginx:latest@containers/main'],
  },
  {
    kind: 'InferenceService',
    text: yaml(...head('serving.kserve.io/v1beta1', 'InferenceService'), 'spec:', '  predictor:', ...podSpec('    '), '  transformer:', ...podSpec('    ', 'transformer:1')),
    images: ['nginx:latest@containers/main', 'transformer:1@containers/main'],
  },
  {
    kind: 'Prometheus',
    text: yaml(...head('monitoring.coreos.com/v1', 'Prometheus'), 'spec:', '  image: quay.io/prometheus/prometheus:latest', '  imagePullPolicy: IfNotPresent', '  imagePullSecrets: [{name: regcred}]',
      '  containers:', '  - name: prometheus', '    resources: {}', '  - name: sidecar', '    image: sidecar:1', '  initContainers:', '  - name: init-config-reloader'),
    images: ['quay.io/prometheus/prometheus:latest@containers/null', 'null@containers/prometheus', 'sidecar:1@containers/sidecar', 'null@initContainers/init-config-reloader'],
  },
  {
    kind: 'Alertmanager',
    text: yaml(...head('monitoring.coreos.com/v1', 'Alertmanager'), 'spec:', '  image: quay.io/prometheus/alertmanager:latest'),
    images: ['quay.io/prometheus/alertmanager:latest@containers/null'],
  },
  {
    kind: 'ThanosRuler',
    text: yaml(...head('monitoring.coreos.com/v1', 'ThanosRuler'), 'spec:', '  image: quay.io/thanos/thanos:latest'),
    images: ['quay.io/thanos/thanos:latest@containers/null'],
  },
  {
    kind: 'OpenTelemetryCollector',
    text: yaml(...head('opentelemetry.io/v1beta1', 'OpenTelemetryCollector'), 'spec:', '  image: otel/opentelemetry-collector-contrib:latest', '  additionalContainers:', '  - name: extra', '    image: extra:1', '  initContainers:', '  - name: init', '    image: init:latest'),
    images: ['otel/opentelemetry-collector-contrib:latest@containers/null', 'extra:1@containers/extra', 'init:latest@initContainers/init'],
  },
  {
    kind: 'Provider',
    text: yaml(...head('pkg.crossplane.io/v1', 'Provider'), 'spec:', '  package: xpkg.upbound.io/crossplane-contrib/provider-aws:latest'),
    images: ['xpkg.upbound.io/crossplane-contrib/provider-aws:latest@containers/null'],
  },
  {
    kind: 'Function',
    text: yaml(...head('pkg.crossplane.io/v1beta1', 'Function'), 'spec:', '  package: xpkg.upbound.io/crossplane-contrib/function-patch-and-transform:v0.7.0', '  packagePullPolicy: Always'),
    images: ['xpkg.upbound.io/crossplane-contrib/function-patch-and-transform:v0.7.0@containers/null'],
  },
  {
    kind: 'Configuration',
    text: yaml(...head('pkg.crossplane.io/v1', 'Configuration'), 'spec:', '  package: xpkg.upbound.io/org/config:latest'),
    images: ['xpkg.upbound.io/org/config:latest@containers/null'],
  },
  {
    kind: 'DeploymentRuntimeConfig',
    text: yaml(...head('pkg.crossplane.io/v1beta1', 'DeploymentRuntimeConfig'), 'spec:', '  deploymentTemplate:', '    spec:', '      selector: {}', '      template:', '        spec:', '          containers:', '          - name: package-runtime', '            args: [--debug]'),
    images: ['null@containers/package-runtime'],
  },
  ...['ClusterAnalysisTemplate', 'AnalysisRun'].map((kind) => ({
    kind,
    text: yaml(...head('argoproj.io/v1alpha1', kind), 'spec:', '  metrics:', '  - name: m', '    provider:', '      job:', '        spec:', '          template:', '            spec:', ...podSpec('              ')),
    images: ['nginx:latest@containers/main'],
  })),
  ...(['MPIJob:mpiReplicaSpecs:Launcher', 'XGBoostJob:xgbReplicaSpecs:Master', 'PaddleJob:paddleReplicaSpecs:Worker', 'JAXJob:jaxReplicaSpecs:Worker', 'MXJob:mxReplicaSpecs:Scheduler'].map((k) => {
    const [kind, specs, role] = k.split(':');
    return { kind, text: yaml(...head('kubeflow.org/v1', kind), 'spec:', `  ${specs}:`, `    ${role}:`, '      template:', '        spec:', ...podSpec('          ')), images: ['nginx:latest@containers/main'] };
  })),
  {
    kind: 'PrometheusAgent',
    text: yaml(...head('monitoring.coreos.com/v1alpha1', 'PrometheusAgent'), 'spec:', '  image: quay.io/prometheus/prometheus:latest'),
    images: ['quay.io/prometheus/prometheus:latest@containers/null'],
  },
];

const shown = (a: ReturnType<typeof analyzeText>) => a.images.map((i) => `${i.image}@${i.site.field}/${i.site.name}`);

describe('custom resources that run pods', () => {
  for (const c of CASES) {
    it(`${c.kind}: finds its images and judges them like a Pod's`, () => {
      const a = analyzeText(c.text);
      assert.deepEqual(shown(a), c.images);
      const latest = a.images.filter((i) => i.reference?.valid && i.reference.ref.tag === 'latest');
      for (const fact of latest) {
        const explicit = fact.policyValue !== null;
        const rule = explicit ? 'stale-image-risk' : 'latest-tag';
        assert.ok(a.findings.some((f) => f.ruleId === rule && f.range.start === (explicit ? fact.policyRange! : fact.range!).start), `${rule} on ${fact.image}`);
      }
      assert.deepEqual(a.findings.filter((f) => f.ruleId === 'missing-image'), [], 'an operator fills in missing images');
    });
  }
  it('a kind of another API group is not matched (a Task of some other project)', () => {
    const a = analyzeText(yaml(...head('example.com/v1', 'Task'), 'spec:', '  steps:', '  - name: s', '    image: alpine:latest'));
    assert.deepEqual(a.images, []);
  });
  it("Crossplane's CRD defaults packagePullPolicy to IfNotPresent, whatever the tag", () => {
    const a = analyzeText(CASES.find((c) => c.kind === 'Provider')!.text);
    assert.equal(a.images[0].policy.effective, 'IfNotPresent');
    const hint = a.findings.find((f) => f.ruleId === 'implicit-pull-policy')!;
    assert.match(hint.message, /^Crossplane's CRD sets packagePullPolicy: IfNotPresent here/);
    assert.equal(hint.fixes[0].title, 'Add packagePullPolicy: IfNotPresent');
  });
  it('pull secrets: silent where the object cannot hold them (Tekton), judged where it does (Argo)', () => {
    const tekton = analyzeText(yaml(...head('tekton.dev/v1', 'Task'), 'spec:', '  steps:', '  - name: s', '    image: registry.example.com/app:1'));
    assert.deepEqual(tekton.findings.filter((f) => f.ruleId === 'private-image-without-pull-secret'), []);
    const argo = analyzeText(yaml(...head('argoproj.io/v1alpha1', 'Workflow'), 'spec:', '  templates:', '  - name: main', '    container:', '      image: registry.example.com/app:1'));
    assert.equal(argo.findings.filter((f) => f.ruleId === 'private-image-without-pull-secret').length, 1);
    const covered = analyzeText(CASES[0].text.replace('alpine:latest', 'registry.example.com/app:1'));
    assert.deepEqual(covered.findings.filter((f) => f.ruleId === 'private-image-without-pull-secret'), []);
  });
  it('missing-image applies to built-in kinds only', () => {
    const rollout = analyzeText(yaml(...head('argoproj.io/v1alpha1', 'Rollout'), 'spec:', '  template:', '    spec:', '      containers:', '      - name: web'));
    assert.deepEqual(rollout.findings.filter((f) => f.ruleId === 'missing-image'), []);
    const deployment = analyzeText(yaml(...head('apps/v1', 'Deployment'), 'spec:', '  template:', '    spec:', '      containers:', '      - name: web'));
    assert.equal(deployment.findings.filter((f) => f.ruleId === 'missing-image').length, 1);
  });
  it('podSpecPaths: list steps, key patterns and single-container paths', () => {
    const text = yaml(...head('example.com/v1', 'Thing'), 'spec:', '  groups:', '  - pod:', ...podSpec('      '), '  runner:', '    image: runner:latest');
    const a = analyzeText(text, { podSpecPaths: ['Thing:spec.groups[].pod', 'spec.runner'] });
    assert.deepEqual(shown(a), ['nginx:latest@containers/main', 'runner:latest@containers/null']);
  });
});

describe('docs/custom-resources.md', () => {
  it('lists every kind of the table, and each has a fixture', () => {
    const doc = readFileSync('docs/custom-resources.md', 'utf8');
    for (const spec of CUSTOM_RESOURCES) for (const kind of spec.kinds) assert.match(doc, new RegExp(`\\b${kind}\\b`), kind);
    for (const kind of CUSTOM_RESOURCES.flatMap((s) => s.kinds)) assert.ok(CASES.some((c) => c.kind === kind), `a fixture for ${kind}`);
  });
});
