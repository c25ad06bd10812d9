// Data-driven tests of the structural rules (misplaced-image-pull-policy, misplaced-image-pull-secrets,
// malformed-image-pull-secrets, ephemeral-containers-in-manifest): text in, findings out (`[[…]]` marks the
// expected ranges of the rule under test), and every fix as text-before -> apply -> text-after.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseAllDocuments } from 'yaml';
import { analyzeText, applyEdits, markers, yaml } from '../helpers';
import type { Finding } from '../../server/src/service/types';

const POLICY = 'misplaced-image-pull-policy';
const SECRETS = 'misplaced-image-pull-secrets';
const MALFORMED = 'malformed-image-pull-secrets';
const EPHEMERAL = 'ephemeral-containers-in-manifest';

/** A Pod: `lines` go below `spec:` (indent them by two spaces). */
const pod = (...lines: string[]) => yaml('apiVersion: v1', 'kind: Pod', 'metadata:', '  name: p', 'spec:', ...lines);
/** A Deployment: `lines` go below `spec:`; write `template:` etc. yourself. */
const deployment = (...lines: string[]) => yaml('apiVersion: apps/v1', 'kind: Deployment', 'metadata:', '  name: d', 'spec:', ...lines);
const crlf = (s: string) => s.replace(/\n/g, '\r\n');

function findings(text: string, ruleId: string, settings: Record<string, unknown> = {}): Finding[] {
  return analyzeText(text, settings).findings.filter((f) => f.ruleId === ruleId);
}

/** Asserts that `ruleId` reports exactly the `[[…]]` ranges of `src` (none when there are none). */
function expectRanges(ruleId: string, src: string): Finding[] {
  const { text, ranges } = markers(src);
  const found = findings(text, ruleId);
  assert.deepEqual(found.map((f) => f.range), ranges, `${ruleId} ranges in:\n${text}`);
  return found;
}

function yamlErrors(text: string): string[] {
  return parseAllDocuments(text).flatMap((d) => ('errors' in d ? d.errors.map((e) => e.message) : []));
}

interface FixCase {
  name: string;
  rule: string;
  before: string;
  after: string;
  /** Title of the fix to apply (default: the finding's only fix). */
  title?: RegExp;
  /** Which finding of the rule (default 0). */
  index?: number;
  fixAll?: boolean;
}

/** Applies one fix and checks the text, the fix-all flag, and that the result still parses cleanly. */
function runFixCases(cases: FixCase[]): void {
  for (const c of cases) {
    it(`fix: ${c.name}`, () => {
      const f = findings(c.before, c.rule)[c.index ?? 0];
      assert.ok(f, `no ${c.rule} finding in:\n${c.before}`);
      const fix = c.title ? f.fixes.find((x) => c.title!.test(x.title)) : f.fixes[0];
      assert.ok(fix, `no matching fix; have: ${f.fixes.map((x) => x.title).join(' | ')}`);
      if (!c.title) assert.equal(f.fixes.length, 1, 'exactly one fix');
      const out = applyEdits(c.before, fix.edits);
      assert.equal(out, c.after);
      assert.equal(!!fix.fixAll, c.fixAll ?? true, 'fixAll');
      assert.deepEqual(yamlErrors(out), [], 'the fixed text parses');
    });
  }
}

function expectNoFix(ruleId: string, text: string): void {
  const found = findings(text, ruleId);
  assert.ok(found.length > 0, `expected a ${ruleId} finding`);
  assert.deepEqual(found.flatMap((f) => f.fixes), []);
}

// ------------------------------------------------------------------------------------------------------------

describe(POLICY, () => {
  it('reports the key at pod-spec level of a Pod, as an error', () => {
    const [f] = expectRanges(POLICY, pod('  [[imagePullPolicy]]: Always', '  containers:', '  - name: a', '    image: nginx:1.27'));
    assert.equal(f.severity, 'error');
    assert.equal(f.message, 'Set imagePullPolicy on each container; here it is an unknown field');
    assert.match(f.detail ?? '', /container field: at spec of a Pod, kubectl's strict validation rejects it/);
  });
  it('reports every level of a Deployment: spec, template, pod spec', () => {
    expectRanges(POLICY, deployment(
      '  [[imagePullPolicy]]: Always',
      '  template:',
      '    [[imagePullPolicy]]: Always',
      '    spec:',
      '      [[imagePullPolicy]]: Always',
      '      containers:',
      '      - name: a',
      '        image: nginx:1.27',
    ));
  });
  it('reports CronJob levels down to the pod spec', () => {
    expectRanges(POLICY, yaml(
      'apiVersion: batch/v1', 'kind: CronJob', 'metadata: {name: c}', 'spec:',
      '  schedule: "* * * * *"',
      '  jobTemplate:',
      '    [[imagePullPolicy]]: Always',
      '    spec:',
      '      [[imagePullPolicy]]: Always',
      '      template:',
      '        spec:',
      '          [[imagePullPolicy]]: Always',
      '          containers: [{name: a, image: "busybox:1.36"}]',
    ));
  });
  it('reports PodTemplate, Job, StatefulSet, DaemonSet, ReplicaSet and ReplicationController pod specs', () => {
    const tpl = (apiVersion: string, kind: string) => yaml(`apiVersion: ${apiVersion}`, `kind: ${kind}`, 'metadata: {name: x}', 'spec:', '  template:', '    spec:', '      [[imagePullPolicy]]: Never', '      containers: [{name: a, image: "nginx:1.27"}]');
    for (const [v, k] of [['batch/v1', 'Job'], ['apps/v1', 'StatefulSet'], ['apps/v1', 'DaemonSet'], ['apps/v1', 'ReplicaSet'], ['v1', 'ReplicationController']]) {
      expectRanges(POLICY, tpl(v, k));
    }
    expectRanges(POLICY, yaml('apiVersion: v1', 'kind: PodTemplate', 'metadata: {name: x}', 'template:', '  [[imagePullPolicy]]: Never', '  spec:', '    containers: [{name: a, image: "nginx:1.27"}]'));
  });
  it('stays silent for a policy inside containers, init containers and image volumes', () => {
    expectRanges(POLICY, pod('  initContainers:', '  - {name: i, image: "busybox:1.36", imagePullPolicy: Always}', '  containers:', '  - name: a', '    image: nginx:1.27', '    imagePullPolicy: IfNotPresent',
      '  volumes:', '  - name: v', '    image: {reference: "quay.io/x/y:1", pullPolicy: Always}'));
  });
  it('stays silent for custom resources, even with spec.template.spec.containers', () => {
    expectRanges(POLICY, yaml('apiVersion: argoproj.io/v1alpha1', 'kind: Rollout', 'metadata: {name: r}', 'spec:', '  imagePullPolicy: Always', '  template:', '    spec:',
      '      imagePullPolicy: Always', '      containers: [{name: a, image: "nginx:1.27"}]'));
    expectRanges(POLICY, yaml('apiVersion: example.com/v1', 'kind: Job', 'metadata: {name: j}', 'spec:', '  template:', '    spec:', '      imagePullPolicy: Always', '      containers: [{name: a, image: "nginx:1.27"}]'));
    expectRanges(POLICY, yaml('apiVersion: monitoring.coreos.com/v1', 'kind: Prometheus', 'metadata: {name: k8s}', 'spec:', '  image: quay.io/prometheus/prometheus:v2.54.1', '  imagePullPolicy: IfNotPresent', '  imagePullSecrets:', '  - name: regcred'));
  });
  it('is suppressed by the annotation and by a directive', () => {
    expectRanges(POLICY, pod('  # k8s-image-lint-disable-next-line misplaced-image-pull-policy', '  imagePullPolicy: Always', '  containers: [{name: a, image: "nginx:1.27"}]'));
    expectRanges(POLICY, yaml('apiVersion: v1', 'kind: Pod', 'metadata:', '  name: p', '  annotations:', '    k8s-image-lint.io/ignore: "misplaced-image-pull-policy"', 'spec:', '  imagePullPolicy: Always', '  containers: [{name: a, image: "nginx:1.27"}]'));
  });
  it('offers no fix without containers or for a value that is not a one-line scalar', () => {
    expectNoFix(POLICY, pod('  imagePullPolicy: Always'));
    expectNoFix(POLICY, pod('  imagePullPolicy: [Always]', '  containers: [{name: a, image: "nginx:1.27"}]'));
    expectNoFix(POLICY, pod('  imagePullPolicy:', '  containers: [{name: a, image: "nginx:1.27"}]'));
  });

  runFixCases([
    {
      name: 'moves into every container and init container without one, after its image',
      rule: POLICY,
      before: pod('  imagePullPolicy: Always', '  initContainers:', '  - name: init', '    image: busybox:1.36', '    command: [sh]', '  containers:', '  - name: a', '    image: nginx:1.27', '    ports: []', '  - name: b', '    image: redis:7', '    imagePullPolicy: IfNotPresent'),
      after: pod('  initContainers:', '  - name: init', '    image: busybox:1.36', '    imagePullPolicy: Always', '    command: [sh]', '  containers:', '  - name: a', '    image: nginx:1.27', '    imagePullPolicy: Always', '    ports: []', '  - name: b', '    image: redis:7', '    imagePullPolicy: IfNotPresent'),
    },
    {
      name: 'only removes it when every container states its own',
      rule: POLICY,
      before: pod('  containers:', '  - name: a', '    image: nginx:1.27', '    imagePullPolicy: IfNotPresent', '  imagePullPolicy: Always'),
      after: pod('  containers:', '  - name: a', '    image: nginx:1.27', '    imagePullPolicy: IfNotPresent'),
    },
    {
      name: 'carries the comment lines above and the trailing comment along; value quoting kept',
      rule: POLICY,
      before: deployment('  template:', '    spec:', '      # nodes must refresh', '      imagePullPolicy: "Always"  # see INC-42', '      containers:', '      - image: nginx:1.27', '        name: a'),
      after: deployment('  template:', '    spec:', '      containers:', '      - image: nginx:1.27', '        # nodes must refresh', '        imagePullPolicy: "Always"  # see INC-42', '        name: a'),
    },
    {
      name: 'flow containers get `, imagePullPolicy: X`; the comment stays behind as a comment line',
      rule: POLICY,
      before: pod('  imagePullPolicy: Never # local', '  containers: [{name: a, image: "app:1"}, {image: "b:2", name: b}]'),
      after: pod('  # local', '  containers: [{name: a, image: "app:1", imagePullPolicy: Never}, {image: "b:2", imagePullPolicy: Never, name: b}]'),
    },
    {
      name: 'goes after the last pair when a container has no image',
      rule: POLICY,
      before: pod('  containers:', '  - name: a', '    args: ["x"]', '  imagePullPolicy: IfNotPresent'),
      after: pod('  containers:', '  - name: a', '    args: ["x"]', '    imagePullPolicy: IfNotPresent'),
    },
    {
      name: 'CRLF',
      rule: POLICY,
      before: crlf(pod('  imagePullPolicy: Always', '  containers:', '  - name: a', '    image: nginx:1.27')),
      after: crlf(pod('  containers:', '  - name: a', '    image: nginx:1.27', '    imagePullPolicy: Always')),
    },
    {
      name: 'last line of a file without a final line break',
      rule: POLICY,
      before: pod('  containers:', '  - name: a', '    image: nginx:1.27', '  imagePullPolicy: Always').trimEnd(),
      after: pod('  containers:', '  - name: a', '    image: nginx:1.27', '    imagePullPolicy: Always').trimEnd(),
    },
    {
      name: 'an outer level is only removed when the pod spec has its own (that one is moved)',
      rule: POLICY,
      before: deployment('  imagePullPolicy: Always', '  template:', '    spec:', '      imagePullPolicy: Never', '      containers: [{name: a, image: "app:1"}]'),
      after: deployment('  template:', '    spec:', '      imagePullPolicy: Never', '      containers: [{name: a, image: "app:1"}]'),
      title: /^Remove this imagePullPolicy/,
    },
    {
      name: 'only the second document of a multi-document file changes',
      rule: POLICY,
      before: pod('  containers: [{name: a, image: "nginx:1.27"}]') + '---\n' + pod('  imagePullPolicy: Always # é', '  containers:', '    - name: a', '      image: nginx:1.27'),
      after: pod('  containers: [{name: a, image: "nginx:1.27"}]') + '---\n' + pod('  containers:', '    - name: a', '      image: nginx:1.27', '      imagePullPolicy: Always # é'),
    },
  ]);
  it('marks the move as the preferred fix', () => {
    const [f] = findings(pod('  imagePullPolicy: Always', '  containers: [{name: a, image: "app:1"}]'), POLICY);
    assert.equal(f.fixes[0].isPreferred, true);
  });
});

describe(SECRETS, () => {
  it('reports the key inside containers, init containers and ephemeral containers', () => {
    const [f] = expectRanges(SECRETS, pod(
      '  initContainers:', '  - name: i', '    image: busybox:1.36', '    [[imagePullSecrets]]: [{name: a}]',
      '  containers:', '  - [[imagePullSecrets]]:', '    - name: a', '    name: c', '    image: nginx:1.27',
      '  ephemeralContainers:', '  - {name: e, image: "busybox:1.36", [[imagePullSecrets]]: [{name: a}]}',
    ));
    assert.equal(f.severity, 'error');
    assert.equal(f.message, 'Move imagePullSecrets to spec; in a container it is an unknown field');
  });
  it('reports the workload spec and the template levels, not the pod spec', () => {
    const [f] = expectRanges(SECRETS, deployment('  [[imagePullSecrets]]: [{name: a}]', '  template:', '    [[imagePullSecrets]]: [{name: a}]', '    spec:', '      imagePullSecrets: [{name: a}]', '      containers: [{name: a, image: "app:1"}]'));
    assert.equal(f.message, 'Move imagePullSecrets to spec.template.spec; at spec it is an unknown field');
    expectRanges(SECRETS, yaml('apiVersion: batch/v1', 'kind: CronJob', 'metadata: {name: c}', 'spec:', '  jobTemplate:', '    spec:', '      [[imagePullSecrets]]: [{name: a}]', '      template:', '        spec:', '          containers: [{name: a, image: "app:1"}]'));
  });
  it('stays silent for pod-spec secrets, custom resources and a Prometheus CR', () => {
    expectRanges(SECRETS, pod('  imagePullSecrets:', '  - name: regcred', '  containers: [{name: a, image: "app:1"}]'));
    expectRanges(SECRETS, yaml('apiVersion: monitoring.coreos.com/v1', 'kind: Prometheus', 'metadata: {name: k8s}', 'spec:', '  imagePullSecrets:', '  - name: regcred', '  containers:', '  - name: a', '    imagePullSecrets: [{name: b}]'));
    expectRanges(SECRETS, yaml('apiVersion: argoproj.io/v1alpha1', 'kind: Rollout', 'metadata: {name: r}', 'spec:', '  imagePullSecrets: [{name: a}]', '  template:', '    spec:', '      containers:', '      - name: a', '        image: app:1', '        imagePullSecrets: [{name: a}]'));
  });

  runFixCases([
    {
      name: 'from the last container to the end of the pod spec (the move crosses its own removal)',
      rule: SECRETS,
      before: pod('  containers:', '  - name: a', '    image: app:1', '    imagePullSecrets:', '    - name: regcred  # team', '    - name: other'),
      after: pod('  containers:', '  - name: a', '    image: app:1', '  imagePullSecrets:', '  - name: regcred  # team', '  - name: other'),
    },
    {
      name: 'from a container in the middle, with comment lines and a nested list re-indented',
      rule: SECRETS,
      before: deployment('  template:', '    spec:', '      containers:', '        - name: a', '          # creds', '          imagePullSecrets:', '            - name: regcred', '          image: app:1', '        - name: b', '          image: b:1', '      restartPolicy: Always'),
      after: deployment('  template:', '    spec:', '      containers:', '        - name: a', '          image: app:1', '        - name: b', '          image: b:1', '      restartPolicy: Always', '      # creds', '      imagePullSecrets:', '        - name: regcred'),
    },
    {
      name: 'a key on the dash line pulls the next pair up',
      rule: SECRETS,
      before: pod('  containers:', '  - imagePullSecrets: [{name: a}]', '    name: c', '    image: app:1', '  dnsPolicy: ClusterFirst'),
      after: pod('  containers:', '  - name: c', '    image: app:1', '  dnsPolicy: ClusterFirst', '  imagePullSecrets: [{name: a}]'),
    },
    {
      name: 'from the Deployment spec, after the template',
      rule: SECRETS,
      before: deployment('  replicas: 2', '  template:', '    spec:', '      containers: [{name: a, image: "app:1"}]', '  imagePullSecrets:', '  - name: regcred'),
      after: deployment('  replicas: 2', '  template:', '    spec:', '      containers: [{name: a, image: "app:1"}]', '      imagePullSecrets:', '      - name: regcred'),
    },
    {
      name: 'merges into an existing block list, skipping names already there and repeats',
      rule: SECRETS,
      before: pod('  imagePullSecrets:', '    - name: a', '  containers:', '  - name: c', '    image: app:1', '    imagePullSecrets: [{name: a}, {name: b}, {name: b}, "c"]'),
      after: pod('  imagePullSecrets:', '    - name: a', '    - {name: b}', '    - "c"', '  containers:', '  - name: c', '    image: app:1'),
    },
    {
      name: 'merges block entries into an existing flow list',
      rule: SECRETS,
      before: pod('  imagePullSecrets: [{name: a}]', '  containers:', '  - name: c', '    image: app:1', '    imagePullSecrets:', '    - name: b', "    - name: 'c'"),
      after: pod("  imagePullSecrets: [{name: a}, {name: b}, {name: 'c'}]", '  containers:', '  - name: c', '    image: app:1'),
    },
    {
      name: 'fills an empty flow list',
      rule: SECRETS,
      before: pod('  imagePullSecrets: []', '  containers:', '  - name: c', '    image: app:1', '    imagePullSecrets:', '    - name: b'),
      after: pod('  imagePullSecrets: [{name: b}]', '  containers:', '  - name: c', '    image: app:1'),
    },
    {
      name: 'only removes it when the pod spec already lists every secret',
      rule: SECRETS,
      before: pod('  imagePullSecrets:', '  - name: a', '  containers:', '  - name: c', '    image: app:1', '    imagePullSecrets:', '    - name: a'),
      after: pod('  imagePullSecrets:', '  - name: a', '  containers:', '  - name: c', '    image: app:1'),
    },
    {
      name: 'keeps the comment above a misplaced duplicate it removes',
      rule: SECRETS,
      before: pod('  imagePullSecrets:', '  - name: a', '  containers:', '  - name: c', '    image: app:1', '    # pulled from the mirror', '    imagePullSecrets:', '    - name: a'),
      after: pod('  imagePullSecrets:', '  - name: a', '  containers:', '  - name: c', '    image: app:1', '    # pulled from the mirror'),
    },
    {
      name: 'flow pod spec and flow container',
      rule: SECRETS,
      before: pod('  {containers: [{name: c, image: "app:1", imagePullSecrets: [{name: a}]}]}'),
      after: pod('  {containers: [{name: c, image: "app:1"}], imagePullSecrets: [{name: a}]}'),
    },
    {
      name: 'CRLF and non-ASCII comments',
      rule: SECRETS,
      before: crlf(pod('  containers:', '  - name: c', '    image: app:1', '    imagePullSecrets:  # 🔑 clé', '    - name: regcred', '  nodeName: n1')),
      after: crlf(pod('  containers:', '  - name: c', '    image: app:1', '  nodeName: n1', '  imagePullSecrets:  # 🔑 clé', '  - name: regcred')),
    },
  ]);
  it('offers no move for text with anchors or aliases (it could land before its anchor)', () => {
    expectNoFix(SECRETS, deployment('  template:', '    spec:', '      containers:', '      - name: c', '        image: app:1', '        imagePullSecrets: &s [{name: a}]', '      - name: d', '        image: app:1', '        imagePullSecrets: *s'));
    expectNoFix(POLICY, pod('  imagePullPolicy: &p Always', '  containers: [{name: a, image: "app:1"}]'));
  });
  it('offers no merge into a pod-spec value that is not a list (malformed-image-pull-secrets repairs that first)', () => {
    expectNoFix(SECRETS, pod('  imagePullSecrets: regcred', '  containers:', '  - name: c', '    image: app:1', '    imagePullSecrets: [{name: b}]'));
  });
});

describe(MALFORMED, () => {
  it('reports each malformed entry with its own range', () => {
    const found = expectRanges(MALFORMED, pod(
      '  imagePullSecrets:',
      '  - [[regcred]]',
      '  - [[name: ""]]',
      '  - [[name: 123]]',
      '  - [[namespace: x]]',
      '  - [[name: a  # c',
      '    namespace: b]]',
      '  [[-]]',
      '  - [[- x]]',
      '  - name: ok',
      '  containers: [{name: a, image: "app:1"}]',
    ));
    assert.ok(found.every((f) => f.severity === 'error'));
    assert.equal(found[0].message, 'Write "- name: regcred": an entry is an object, not a bare name');
    assert.match(found[2].message, /not a string \(quote it\)/);
    assert.equal(found[3].message, 'This imagePullSecrets entry has no "name" and has the unknown field "namespace"');
  });
  it('reports a map or a scalar where the list belongs', () => {
    expectRanges(MALFORMED, pod('  imagePullSecrets: [[{name: regcred}]]', '  containers: [{name: a, image: "app:1"}]'));
    expectRanges(MALFORMED, pod('  imagePullSecrets:', '    [[name: regcred]]', '  containers: [{name: a, image: "app:1"}]'));
    expectRanges(MALFORMED, pod('  imagePullSecrets: [["regcred"]] # c', '  containers: [{name: a, image: "app:1"}]'));
  });
  it('reports a duplicate name as a warning on the repeat', () => {
    const found = expectRanges(MALFORMED, deployment('  template:', '    spec:', '      imagePullSecrets:', '      - name: a', '      - name: b', '      - [[name: a]]', '      containers: [{name: a, image: "app:1"}]'));
    assert.equal(found[0].severity, 'warning');
    assert.equal(found[0].fixes[0].fixAll, false, 'removing a duplicate is a quick fix, not a fix-all fix');
  });
  it('a configured severity still wins for duplicates', () => {
    const text = pod('  imagePullSecrets: [{name: a}, {name: a}]', '  containers: [{name: a, image: "app:1"}]');
    assert.equal(analyzeText(text, { rules: { [MALFORMED]: 'info' } }).findings.find((f) => f.ruleId === MALFORMED)?.severity, 'info');
  });
  it('stays silent for valid lists, null, templates and custom resources', () => {
    expectRanges(MALFORMED, pod('  imagePullSecrets:', '  - name: a', "  - {name: 'b'}", '  containers: [{name: a, image: "app:1"}]'));
    expectRanges(MALFORMED, pod('  imagePullSecrets: []', '  containers: [{name: a, image: "app:1"}]'));
    expectRanges(MALFORMED, pod('  imagePullSecrets:', '  containers: [{name: a, image: "app:1"}]'));
    expectRanges(MALFORMED, pod('  imagePullSecrets:', '  - name: "{{ .Values.secret }}"', '  - "{{ .Values.other }}"', '  containers: [{name: a, image: "app:1"}]'));
    expectRanges(MALFORMED, yaml('x-secret: &s {name: a}', 'apiVersion: v1', 'kind: Pod', 'metadata: {name: p}', 'spec:', '  imagePullSecrets: [*s]', '  containers: [{name: a, image: "app:1"}]'));
    expectRanges(MALFORMED, yaml('apiVersion: monitoring.coreos.com/v1', 'kind: Prometheus', 'metadata: {name: k8s}', 'spec:', '  imagePullSecrets: [regcred, regcred]'));
  });

  runFixCases([
    {
      name: '`- regcred` → `- name: regcred`, comment kept',
      rule: MALFORMED,
      before: pod('  imagePullSecrets:', '  - regcred # prod', '  containers: [{name: a, image: "app:1"}]'),
      after: pod('  imagePullSecrets:', '  - name: regcred # prod', '  containers: [{name: a, image: "app:1"}]'),
    },
    {
      name: 'quoting kept',
      rule: MALFORMED,
      before: pod('  imagePullSecrets:', '  - name: a', "  - 'regcred'", '  - "other"', '  containers: [{name: a, image: "app:1"}]'),
      after: pod('  imagePullSecrets:', '  - name: a', "  - name: 'regcred'", '  - "other"', '  containers: [{name: a, image: "app:1"}]'),
    },
    {
      name: 'flow list items get braces',
      rule: MALFORMED,
      before: pod('  imagePullSecrets: [regcred, {name: b}]', '  containers: [{name: a, image: "app:1"}]'),
      after: pod('  imagePullSecrets: [{name: regcred}, {name: b}]', '  containers: [{name: a, image: "app:1"}]'),
    },
    {
      name: 'a flow map becomes a one-entry list',
      rule: MALFORMED,
      before: pod('  imagePullSecrets: {name: regcred}  # c', '  containers: [{name: a, image: "app:1"}]'),
      after: pod('  imagePullSecrets: [{name: regcred}]  # c', '  containers: [{name: a, image: "app:1"}]'),
    },
    {
      name: 'a block map becomes a one-entry list',
      rule: MALFORMED,
      before: crlf(pod('  imagePullSecrets:', '    name: regcred', '    # note', '  containers: [{name: a, image: "app:1"}]')),
      after: crlf(pod('  imagePullSecrets:', '    - name: regcred', '    # note', '  containers: [{name: a, image: "app:1"}]')),
    },
    {
      name: 'a scalar value becomes a list in the style of the other lists (indentless)',
      rule: MALFORMED,
      before: pod('  imagePullSecrets: "regcred" # c', '  containers:', '  - name: a', '    image: app:1'),
      after: pod('  imagePullSecrets:', '  - name: "regcred" # c', '  containers:', '  - name: a', '    image: app:1'),
    },
    {
      name: 'a scalar value becomes a list in the style of the other lists (indented), CRLF',
      rule: MALFORMED,
      before: crlf(pod('  containers:', '    - name: a', '      image: app:1', '  imagePullSecrets: regcred')),
      after: crlf(pod('  containers:', '    - name: a', '      image: app:1', '  imagePullSecrets:', '    - name: regcred')),
    },
    {
      name: 'duplicate removal',
      rule: MALFORMED,
      before: pod('  imagePullSecrets:', '  - name: a', '  - name: a # again', '  containers: [{name: a, image: "app:1"}]'),
      after: pod('  imagePullSecrets:', '  - name: a', '  containers: [{name: a, image: "app:1"}]'),
      fixAll: false,
    },
    {
      name: 'duplicate removal in a flow list',
      rule: MALFORMED,
      before: pod('  imagePullSecrets: [{name: a}, {name: b}, {name: a}]', '  containers: [{name: a, image: "app:1"}]'),
      after: pod('  imagePullSecrets: [{name: a}, {name: b}]', '  containers: [{name: a, image: "app:1"}]'),
      fixAll: false,
    },
  ]);
  it('offers no fix for entries whose intent is unclear', () => {
    expectNoFix(MALFORMED, pod('  imagePullSecrets:', '  - name: a', '    namespace: b', '  containers: [{name: a, image: "app:1"}]'));
    expectNoFix(MALFORMED, pod('  imagePullSecrets: {regcred: true}', '  containers: [{name: a, image: "app:1"}]'));
    expectNoFix(MALFORMED, pod('  imagePullSecrets:', '  - 42', '  containers: [{name: a, image: "app:1"}]'));
  });
});

describe(EPHEMERAL, () => {
  it('reports the key in a Pod and in a workload template', () => {
    const [p] = expectRanges(EPHEMERAL, pod('  containers: [{name: a, image: "app:1"}]', '  [[ephemeralContainers]]:', '  - name: debug', '    image: busybox:1.36'));
    assert.equal(p.severity, 'error');
    assert.equal(p.message, 'Remove ephemeralContainers: a Pod cannot be created with them');
    assert.match(p.detail ?? '', /cannot be set on create.*kubectl debug/);
    assert.deepEqual(p.fixes, []);
    const [d] = expectRanges(EPHEMERAL, deployment('  template:', '    spec:', '      containers: [{name: a, image: "app:1"}]', '      [[ephemeralContainers]]: [{name: debug, image: "busybox:1.36"}]'));
    assert.match(d.detail ?? '', /not allowed in pod template/);
  });
  it('stays silent for an empty list, null, and custom resources', () => {
    expectRanges(EPHEMERAL, pod('  containers: [{name: a, image: "app:1"}]', '  ephemeralContainers: []'));
    expectRanges(EPHEMERAL, pod('  containers: [{name: a, image: "app:1"}]', '  ephemeralContainers:'));
    expectRanges(EPHEMERAL, yaml('apiVersion: argoproj.io/v1alpha1', 'kind: Rollout', 'metadata: {name: r}', 'spec:', '  template:', '    spec:', '      containers: [{name: a, image: "app:1"}]', '      ephemeralContainers: [{name: d, image: "busybox:1.36"}]'));
  });
});
