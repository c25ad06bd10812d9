/**
 * Where the custom resources that run pods keep their images: a table of kinds and paths, so that a container in
 * an Argo Workflow, a Tekton Task or a JobSet is judged like a Pod's. Each entry names its API group and kinds,
 * and one or more of:
 *
 * - `pods`: paths to whole pod specs (`containers`, `initContainers`, `imagePullSecrets` as in a Pod);
 * - `containers`: paths to single containers or, ending in `[]`, lists of them, in an object whose pull secrets
 *   (if any) sit at `secretsAt`;
 * - `images`: a single image string in a map (`spec.image` of a Prometheus), with its policy key and, where an
 *   operator or the CRD's schema rather than the API server decides a missing policy, that default.
 *
 * Paths are dotted keys; `[]` after a key steps into each item of a list, `*` matches any key and `*Suffix` any
 * key ending so (`spec.*ReplicaSpecs.*.template.spec`). Sources: each project's CRD types (linked in
 * docs/custom-resources.md), one fixture per kind in test/unit/customResources.test.ts.
 */
import { isMap, isScalar, isSeq, type YAMLMap } from 'yaml';
import type { PullPolicy } from '../types';
import { valueOf } from './yamlNodes';

export type ContainerField = 'containers' | 'initContainers' | 'ephemeralContainers' | 'volumes';

/** A missing policy decided by someone other than the API server's container defaulting. */
export interface PolicyDefault {
  policy: PullPolicy;
  /** Who decides, for the hover: "Crossplane's CRD". */
  by: string;
}

export interface ImageSlotSpec {
  path: string;
  imageKey: string;
  policyKey: string;
  defaultPolicy?: PolicyDefault;
}

export interface CustomResourceSpec {
  group: RegExp;
  kinds: readonly string[];
  pods?: readonly string[];
  containers?: readonly { path: string; field?: ContainerField }[];
  images?: readonly ImageSlotSpec[];
  /** The map holding the pods' `imagePullSecrets` (and `serviceAccountName`); absent: they are set elsewhere. */
  secretsAt?: string;
}

const argoTemplates = (base: string) => [
  { path: `${base}.templates[].container` },
  { path: `${base}.templates[].script` },
  { path: `${base}.templates[].containerSet.containers[]` },
  { path: `${base}.templates[].initContainers[]`, field: 'initContainers' as const },
  { path: `${base}.templates[].sidecars[]` },
];
const tektonTask = (base: string) => [
  { path: `${base}.steps[]` },
  { path: `${base}.sidecars[]` },
  { path: `${base}.stepTemplate` },
];
const tektonPipeline = (base: string) => [
  ...tektonTask(`${base}.tasks[].taskSpec`),
  ...tektonTask(`${base}.finally[].taskSpec`),
];
const rayCluster = (base: string) => [`${base}.headGroupSpec.template.spec`, `${base}.workerGroupSpecs[].template.spec`];
const prometheusOperator = {
  images: [{ path: 'spec', imageKey: 'image', policyKey: 'imagePullPolicy' }],
  containers: [{ path: 'spec.containers[]' }, { path: 'spec.initContainers[]', field: 'initContainers' as const }],
  secretsAt: 'spec',
};
const CROSSPLANE_POLICY: PolicyDefault = { policy: 'IfNotPresent', by: "Crossplane's CRD" };

export const CUSTOM_RESOURCES: readonly CustomResourceSpec[] = [
  // Argo Workflows: every template is a pod; the workflow's imagePullSecrets apply to all of them.
  { group: /^argoproj\.io\//, kinds: ['Workflow', 'WorkflowTemplate', 'ClusterWorkflowTemplate'], containers: argoTemplates('spec'), secretsAt: 'spec' },
  { group: /^argoproj\.io\//, kinds: ['CronWorkflow'], containers: argoTemplates('spec.workflowSpec'), secretsAt: 'spec.workflowSpec' },
  // Argo Rollouts (a Rollout's spec.template.spec is found like any workload's).
  { group: /^argoproj\.io\//, kinds: ['Experiment'], pods: ['spec.templates[].template.spec'] },
  { group: /^argoproj\.io\//, kinds: ['AnalysisTemplate', 'ClusterAnalysisTemplate', 'AnalysisRun'], pods: ['spec.metrics[].provider.job.spec.template.spec'] },
  // Tekton: steps and sidecars become the pod's containers; pull secrets come from the run's pod template or service account.
  { group: /^tekton\.dev\//, kinds: ['Task', 'ClusterTask'], containers: tektonTask('spec') },
  { group: /^tekton\.dev\//, kinds: ['TaskRun'], containers: tektonTask('spec.taskSpec') },
  { group: /^tekton\.dev\//, kinds: ['Pipeline'], containers: tektonPipeline('spec') },
  { group: /^tekton\.dev\//, kinds: ['PipelineRun'], containers: tektonPipeline('spec.pipelineSpec') },
  { group: /^tekton\.dev\//, kinds: ['StepAction'], containers: [{ path: 'spec' }] },
  { group: /^keda\.sh\//, kinds: ['ScaledJob'], pods: ['spec.jobTargetRef.template.spec'] },
  { group: /^operators\.coreos\.com\//, kinds: ['ClusterServiceVersion'], pods: ['spec.install.spec.deployments[].spec.template.spec'] },
  { group: /^jobset\.x-k8s\.io\//, kinds: ['JobSet'], pods: ['spec.replicatedJobs[].template.spec.template.spec'] },
  { group: /^leaderworkerset\.x-k8s\.io\//, kinds: ['LeaderWorkerSet'], pods: ['spec.leaderWorkerTemplate.leaderTemplate.spec', 'spec.leaderWorkerTemplate.workerTemplate.spec'] },
  { group: /^ray\.io\//, kinds: ['RayCluster'], pods: rayCluster('spec') },
  { group: /^ray\.io\//, kinds: ['RayJob'], pods: [...rayCluster('spec.rayClusterSpec'), 'spec.submitterPodTemplate.spec'] },
  { group: /^ray\.io\//, kinds: ['RayService'], pods: rayCluster('spec.rayClusterConfig') },
  { group: /^kubeflow\.org\//, kinds: ['TFJob', 'PyTorchJob', 'MPIJob', 'XGBoostJob', 'PaddleJob', 'JAXJob', 'MXJob'], pods: ['spec.*ReplicaSpecs.*.template.spec'] },
  { group: /^serving\.kserve\.io\//, kinds: ['InferenceService'], pods: ['spec.predictor', 'spec.transformer', 'spec.explainer'] },
  { group: /^monitoring\.coreos\.com\//, kinds: ['Prometheus', 'PrometheusAgent', 'Alertmanager', 'ThanosRuler'], ...prometheusOperator },
  {
    group: /^opentelemetry\.io\//, kinds: ['OpenTelemetryCollector'],
    images: [{ path: 'spec', imageKey: 'image', policyKey: 'imagePullPolicy' }],
    containers: [{ path: 'spec.additionalContainers[]' }, { path: 'spec.initContainers[]', field: 'initContainers' }],
  },
  // Crossplane packages are OCI images; their policy and secrets have their own keys.
  { group: /^pkg\.crossplane\.io\//, kinds: ['Provider', 'Function', 'Configuration'], images: [{ path: 'spec', imageKey: 'package', policyKey: 'packagePullPolicy', defaultPolicy: CROSSPLANE_POLICY }] },
  { group: /^pkg\.crossplane\.io\//, kinds: ['DeploymentRuntimeConfig'], pods: ['spec.deploymentTemplate.spec.template.spec'] },
];

/** The table entry for an object, or undefined. */
export function customResourceSpec(apiVersion: string, kind: string): CustomResourceSpec | undefined {
  return CUSTOM_RESOURCES.find((s) => s.kinds.includes(kind) && s.group.test(apiVersion));
}

/** One step of a path: a key (or key pattern), and whether to step into each item of the list found there. */
interface Step {
  key: string | RegExp;
  each: boolean;
}

const SEGMENT = /^(?:[A-Za-z0-9_$-]+|[A-Za-z0-9_-]*\*[A-Za-z0-9_-]*)(?:\[\])?$/;

/** Why a path can never match, or null when it is well-formed. */
export function pathProblem(path: string): string | null {
  if (path.trim() === '') return 'it is empty';
  const bad = path.split('.').find((s) => !SEGMENT.test(s.trim()));
  return bad === undefined ? null : bad.trim() === '' ? 'it has an empty key' : `"${bad}" is not a key, a key with [] or a key pattern with *`;
}

const compiled = new Map<string, Step[]>();

function stepsOf(path: string): Step[] {
  let steps = compiled.get(path);
  if (!steps) {
    steps = path.split('.').map((raw) => {
      const s = raw.trim();
      const each = s.endsWith('[]');
      const key = each ? s.slice(0, -2) : s;
      return { key: key.includes('*') ? new RegExp(`^${key.split('*').map(escape).join('.*')}$`) : key, each };
    });
    compiled.set(path, steps);
  }
  return steps;
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The maps a path reaches from `root` (a well-formed path: see {@link pathProblem}), in document order. */
export function mapsAt(root: YAMLMap, path: string): YAMLMap[] {
  let current: YAMLMap[] = [root];
  for (const step of stepsOf(path)) {
    const next: YAMLMap[] = [];
    for (const map of current) {
      const values = typeof step.key === 'string' ? [valueOf(map, step.key)] : matching(map, step.key);
      for (const v of values) {
        if (step.each) {
          if (isSeq(v)) for (const item of v.items) if (isMap(item)) next.push(item);
        } else if (isMap(v)) next.push(v);
      }
    }
    current = next;
    if (current.length === 0) break;
  }
  return current;
}

function matching(map: YAMLMap, pattern: RegExp): unknown[] {
  return map.items.filter((p) => isScalar(p.key) && typeof p.key.value === 'string' && pattern.test(p.key.value)).map((p) => p.value);
}
