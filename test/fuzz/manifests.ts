/**
 * Generated manifests: random workloads of every kind the analyser knows (Pod, PodTemplate, Deployment,
 * ReplicaSet, ReplicationController, StatefulSet, DaemonSet, Job, CronJob, a custom resource with
 * `spec.template.spec`, `kind: List`), plus Secrets, ServiceAccounts, kustomizations and non-Kubernetes YAML,
 * with images from `images.ts`, pull policies and `imagePullSecrets` well- and malformed, in and out of place,
 * comments, suppression directives, anchors/aliases, flow style, CRLF, a byte-order mark and non-ASCII text.
 */
import fc from 'fast-check';
import { imageString } from './images';
import { emitDocument, m, q, s, type ScalarStyle, type YEntry, type YNode } from './yamlEmit';

const style: fc.Arbitrary<ScalarStyle> = fc.constantFrom<ScalarStyle>('plain', 'plain', 'plain', 'single', 'double');
const commentText = fc.constantFrom(' pinned by CI', ' TODO: bump', '', ' ünïcödé 😀', '#', ' image: nginx:latest', ' k8s-image-lint-disable-line latest-tag');
const RULE_IDS = ['latest-tag', 'missing-tag', 'implicit-pull-policy', 'invalid-pull-policy', 'invalid-image-reference', 'stale-image-risk', 'malformed-image-pull-secrets', 'mutable-tag', 'private-image-without-pull-secret'];

/** A value that is not a string where one is expected. */
const oddValue: fc.Arbitrary<YNode> = fc.constantFrom<YNode>(
  s(null), s(null, 'single'), { t: 'raw', text: '' }, s(123), s(1.5), s(true), m([]), q([]), m([['a', s('b')]], true), q([s('nginx')], true),
  { t: 'raw', text: '!!str nginx' }, { t: 'raw', text: '!!binary aGVsbG8=' }, { t: 'raw', text: '|\n      nginx' }, { t: 'raw', text: '>-\n      nginx:1.2' },
);

export const imageValue: fc.Arbitrary<YNode> = fc.oneof(
  { weight: 12, arbitrary: fc.tuple(imageString, style).map(([v, st]) => s(v, st)) },
  { weight: 1, arbitrary: oddValue },
);

export const policyValue: fc.Arbitrary<YNode> = fc.oneof(
  { weight: 6, arbitrary: fc.tuple(fc.constantFrom('Always', 'IfNotPresent', 'Never'), style).map(([v, st]) => s(v, st)) },
  {
    weight: 3,
    arbitrary: fc.tuple(fc.constantFrom('always', 'ifnotpresent', 'IFNOTPRESENT', 'never', 'Alway', 'IfNotPresnt', 'Nevr', 'ifNotPresent', ' Always', 'Always ', '', 'Sometimes', '{{ .Values.pullPolicy }}', 'Ålways'), style).map(([v, st]) => s(v, st)),
  },
  { weight: 1, arbitrary: oddValue },
);

/** `imagePullSecrets` values, well-formed and not. */
export const pullSecretsValue: fc.Arbitrary<YNode> = fc.oneof(
  { weight: 4, arbitrary: fc.array(fc.constantFrom('regcred', 'ghcr-pull', 'ecr'), { minLength: 1, maxLength: 3 }).chain((names) => fc.boolean().map((flow) => q(names.map((n) => m([['name', s(n)]], flow)), flow))) },
  {
    weight: 3,
    arbitrary: fc.constantFrom<YNode>(
      q([s('regcred')]), q([s('regcred')], true), q([s('regcred'), m([['name', s('regcred')]])]), m([['name', s('regcred')]]),
      q([m([['name', s('')]])]), q([m([['name', s(null)]])]), q([m([['name', s('regcred')], ['namespace', s('x')]])]),
      q([m([['name', s('a')]]), m([['name', s('a')]])]), q([m([['secret', s('regcred')]])]), q([]), q([], true), s('regcred'), s(null), s(5), { t: 'raw', text: '' },
      q([m([['name', s('{{ .Values.secret }}')]])]), q([q([s('regcred')])]),
    ),
  },
);

const name = fc.constantFrom('web', 'app', 'sidecar', 'init', 'worker', 'ñame', 'a'.repeat(70), '', 'x-1');

/** A container: name, image, policy, sometimes misplaced secrets, ports and env; keys in a random order. */
const container: fc.Arbitrary<YNode> = fc
  .record({
    name,
    image: fc.option(imageValue, { freq: 8, nil: undefined }),
    policy: fc.option(policyValue, { freq: 2, nil: undefined }),
    secrets: fc.option(pullSecretsValue, { freq: 12, nil: undefined }),
    ports: fc.boolean(),
    flow: fc.integer({ min: 0, max: 9 }).map((n) => n === 0),
    comments: fc.array(fc.option(commentText, { freq: 3, nil: undefined }), { minLength: 6, maxLength: 6 }),
    order: fc.integer({ min: 0, max: 5 }),
    anchor: fc.option(fc.constantFrom('c', 'img'), { freq: 8, nil: undefined }),
  })
  .map((c) => {
    const entries: YEntry[] = [{ key: 'name', value: s(c.name) }];
    if (c.image) entries.push({ key: 'image', value: c.anchor === 'img' && c.image.t === 'scalar' ? { ...c.image, anchor: 'img' } : c.image });
    if (c.policy) entries.push({ key: 'imagePullPolicy', value: c.policy });
    if (c.secrets) entries.push({ key: 'imagePullSecrets', value: c.secrets });
    if (c.ports) entries.push({ key: 'ports', value: q([m([['containerPort', s(8080)]])]) });
    // Rotate so that `image` is sometimes first (on the dash line) or last.
    const rotated = [...entries.slice(c.order % entries.length), ...entries.slice(0, c.order % entries.length)];
    if (!c.flow) rotated.forEach((e, i) => {
      if (c.comments[i] !== undefined) e.comment = c.comments[i];
      if (i > 0 && c.comments[5 - i] !== undefined && i % 2 === 0) e.before = c.comments[5 - i];
    });
    return { t: 'map', entries: rotated, flow: c.flow, anchor: c.anchor === 'c' ? 'c' : undefined } as YNode;
  });

/** A list of containers; sometimes an alias of an anchored one, or a merge key. */
const containers: fc.Arbitrary<YNode> = fc
  .tuple(fc.array(container, { minLength: 0, maxLength: 3 }), fc.integer({ min: 0, max: 9 }), fc.boolean())
  .map(([cs, extra, flow]) => {
    const items = [...cs];
    const anchored = cs.some((c) => c.t === 'map' && c.anchor === 'c');
    const imgAnchored = cs.some((c) => c.t === 'map' && c.entries.some((e) => e.value.t === 'scalar' && e.value.anchor === 'img'));
    if (anchored && extra < 3) items.push({ t: 'alias', name: 'c' });
    if (anchored && extra === 3) items.push(m([['<<', { t: 'alias', name: 'c' }], ['name', s('merged')]]));
    if (imgAnchored && extra > 6) items.push(m([['name', s('alias')], ['image', { t: 'alias', name: 'img' }]]));
    if (extra === 9 && items.length === 0) return s(null);
    return q(items, flow && extra === 8);
  });

const imageVolume: fc.Arbitrary<YNode> = fc
  .tuple(imageValue, fc.option(policyValue, { freq: 2, nil: undefined }))
  .map(([ref, pol]) => m([['name', s('vol')], ['image', m([['reference', ref], ...(pol ? [['pullPolicy', pol] as [string, YNode]] : [])])]]));

/** A pod spec, with what may be wrong in one. */
export const podSpec: fc.Arbitrary<YNode> = fc
  .record({
    containers,
    init: fc.option(containers, { freq: 4, nil: undefined }),
    ephemeral: fc.option(containers, { freq: 15, nil: undefined }),
    volumes: fc.option(fc.array(imageVolume, { minLength: 1, maxLength: 2 }), { freq: 8, nil: undefined }),
    secrets: fc.option(pullSecretsValue, { freq: 3, nil: undefined }),
    misplacedPolicy: fc.option(policyValue, { freq: 12, nil: undefined }),
    serviceAccount: fc.option(fc.constantFrom('builder', 'default', '{{ .Values.sa }}'), { freq: 8, nil: undefined }),
    secretsFirst: fc.boolean(),
    flow: fc.integer({ min: 0, max: 14 }).map((n) => n === 0),
  })
  .map((p) => {
    const entries: [string, YNode][] = [];
    if (p.secrets && p.secretsFirst) entries.push(['imagePullSecrets', p.secrets]);
    if (p.misplacedPolicy) entries.push(['imagePullPolicy', p.misplacedPolicy]);
    if (p.init) entries.push(['initContainers', p.init]);
    entries.push(['containers', p.containers]);
    if (p.ephemeral) entries.push(['ephemeralContainers', p.ephemeral]);
    if (p.volumes) entries.push(['volumes', q(p.volumes)]);
    if (p.serviceAccount) entries.push(['serviceAccountName', s(p.serviceAccount)]);
    if (p.secrets && !p.secretsFirst) entries.push(['imagePullSecrets', p.secrets]);
    return m(entries, p.flow);
  });

const metadata = fc
  .record({ name, namespace: fc.option(fc.constantFrom('default', 'shop', 'kube-system'), { freq: 3, nil: undefined }), ignore: fc.option(fc.subarray(RULE_IDS, { minLength: 1, maxLength: 3 }), { freq: 8, nil: undefined }) })
  .map((md) => m([
    ['name', s(md.name)],
    ...(md.namespace ? [['namespace', s(md.namespace)] as [string, YNode]] : []),
    ...(md.ignore ? [['annotations', m([['k8s-image-lint.io/ignore', s(md.ignore.join(','), 'double')]])] as [string, YNode]] : []),
  ]));

type WorkloadKind = 'Pod' | 'PodTemplate' | 'Deployment' | 'ReplicaSet' | 'ReplicationController' | 'StatefulSet' | 'DaemonSet' | 'Job' | 'CronJob' | 'Rollout';
const API: Record<WorkloadKind, string> = {
  Pod: 'v1', PodTemplate: 'v1', ReplicationController: 'v1', Deployment: 'apps/v1', ReplicaSet: 'apps/v1', StatefulSet: 'apps/v1',
  DaemonSet: 'apps/v1', Job: 'batch/v1', CronJob: 'batch/v1', Rollout: 'argoproj.io/v1alpha1',
};

/** A workload of any kind, its pod spec where that kind keeps it; sometimes fields misplaced on the workload spec. */
export const workload: fc.Arbitrary<YNode> = fc
  .record({
    kind: fc.constantFrom<WorkloadKind>('Pod', 'PodTemplate', 'Deployment', 'ReplicaSet', 'ReplicationController', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob', 'Rollout'),
    metadata,
    pod: podSpec,
    templateMetadata: fc.option(metadata, { freq: 3, nil: undefined }),
    misplacedSecrets: fc.option(pullSecretsValue, { freq: 10, nil: undefined }),
    misplacedPolicy: fc.option(policyValue, { freq: 12, nil: undefined }),
    apiVersionStyle: fc.constantFrom<ScalarStyle>('plain', 'plain', 'double'),
  })
  .map((w) => {
    const template = m([...(w.templateMetadata ? [['metadata', w.templateMetadata] as [string, YNode]] : []), ['spec', w.pod]]);
    const onSpec: [string, YNode][] = [
      ...(w.misplacedSecrets ? [['imagePullSecrets', w.misplacedSecrets] as [string, YNode]] : []),
      ...(w.misplacedPolicy ? [['imagePullPolicy', w.misplacedPolicy] as [string, YNode]] : []),
    ];
    const head: [string, YNode][] = [['apiVersion', s(API[w.kind], w.apiVersionStyle)], ['kind', s(w.kind)], ['metadata', w.metadata]];
    switch (w.kind) {
      case 'Pod': return m([...head, ['spec', w.pod]]);
      case 'PodTemplate': return m([...head, ['template', template]]);
      case 'CronJob': return m([...head, ['spec', m([['schedule', s('*/5 * * * *', 'double')], ['jobTemplate', m([['spec', m([...onSpec, ['template', template]])]])]])]]);
      default: return m([...head, ['spec', m([['replicas', s(1)], ...onSpec, ['template', template]])]]);
    }
  });

const secret: fc.Arbitrary<YNode> = fc.constantFrom<YNode>(
  m([['apiVersion', s('v1')], ['kind', s('Secret')], ['metadata', m([['name', s('regcred')]])], ['type', s('kubernetes.io/dockerconfigjson')], ['data', m([['.dockerconfigjson', s(Buffer.from('{"auths":{"ghcr.io":{"auth":"eDp5"}}}').toString('base64'))]])]]),
  m([['apiVersion', s('v1')], ['kind', s('Secret')], ['metadata', m([['name', s('regcred')], ['namespace', s('shop')]])], ['type', s('Opaque')], ['stringData', m([['username', s('u')], ['password', s('p')]])]]),
  m([['apiVersion', s('v1')], ['kind', s('Secret')], ['metadata', m([['name', s('ghcr-pull')]])], ['type', s('kubernetes.io/dockerconfigjson')], ['data', m([['.dockerconfigjson', s('not base64!')]])]]),
  m([['apiVersion', s('v1')], ['kind', s('ServiceAccount')], ['metadata', m([['name', s('builder')]])], ['imagePullSecrets', q([m([['name', s('regcred')]]), s('bad')])]]),
);

const kustomization: fc.Arbitrary<YNode> = fc
  .array(fc.record({ name: fc.constantFrom('nginx', 'ghcr.io/acme/app', 'Nginx', ''), newName: fc.option(imageString, { freq: 2, nil: undefined }), newTag: fc.option(fc.constantFrom('1.27', 'latest', 'bad tag', ''), { freq: 2, nil: undefined }), digest: fc.option(fc.constantFrom(`sha256:${'a'.repeat(64)}`, 'sha256:abc'), { freq: 3, nil: undefined }) }), { maxLength: 3 })
  .map((images) => m([
    ['apiVersion', s('kustomize.config.k8s.io/v1beta1')], ['kind', s('Kustomization')], ['resources', q([s('deploy.yaml')])],
    ['images', q(images.map((i) => m([['name', s(i.name)], ...Object.entries(i).filter(([k, v]) => k !== 'name' && v !== undefined).map(([k, v]) => [k, s(v as string)] as [string, YNode])])))],
  ]));

/** YAML that is not Kubernetes (no apiVersion/kind): must stay silent. */
export const notKubernetes: fc.Arbitrary<YNode> = fc.tuple(imageValue, policyValue).map(([img, pol]) => m([
  ['name', s('CI')], ['on', q([s('push')], true)],
  ['jobs', m([['build', m([['container', m([['image', img], ['imagePullPolicy', pol]])], ['steps', q([m([['run', s('make')]])])]])]])],
]));

/** Any object of a manifest stream. */
export const object: fc.Arbitrary<YNode> = fc.oneof(
  { weight: 12, arbitrary: workload },
  { weight: 2, arbitrary: fc.array(workload, { minLength: 0, maxLength: 3 }).map((items) => m([['apiVersion', s('v1')], ['kind', s('List')], ['items', q(items)]])) },
  { weight: 2, arbitrary: secret },
  { weight: 1, arbitrary: kustomization },
  { weight: 1, arbitrary: notKubernetes },
  { weight: 1, arbitrary: fc.constantFrom<YNode>(s(null), m([]), s('just a string'), q([s('a')]), m([['apiVersion', s(1)], ['kind', s('Pod')]]), m([['kind', s('Pod')], ['spec', m([['containers', q([m([['image', s('nginx')]])])]])]])) },
);

export interface GeneratedFile {
  text: string;
  /** `file:///w/kustomization.yaml` for a kustomization-looking file, else a plain file URI. */
  uri: string;
}

/** A whole file: documents, separators, directives, comments, line endings, BOM. */
export const manifestFile: fc.Arbitrary<GeneratedFile> = fc
  .record({
    docs: fc.array(object, { minLength: 1, maxLength: 4 }),
    seqIndent: fc.constantFrom<0 | 2>(0, 2),
    separator: fc.constantFrom('---', '---', '--- # next', '...\n---'),
    leadingSeparator: fc.boolean(),
    header: fc.option(commentText, { freq: 3, nil: undefined }),
    fileDirective: fc.option(fc.subarray(RULE_IDS, { minLength: 1, maxLength: 2 }), { freq: 10, nil: undefined }),
    // Line indices (mod the line count) that get a disable-next-line directive above them.
    directives: fc.array(fc.tuple(fc.nat(), fc.constantFrom(...RULE_IDS), fc.boolean()), { maxLength: 2 }),
    eol: fc.constantFrom('lf', 'lf', 'lf', 'crlf', 'mixed', 'cr'),
    bom: fc.integer({ min: 0, max: 9 }).map((n) => n === 0),
    finalNewline: fc.integer({ min: 0, max: 5 }).map((n) => n !== 0),
    kustomizationName: fc.integer({ min: 0, max: 3 }).map((n) => n === 0),
  })
  .map((f) => {
    let lines: string[] = [];
    if (f.header !== undefined) lines.push(`#${f.header}`);
    if (f.fileDirective) lines.push(`# k8s-image-lint-disable-file ${f.fileDirective.join(',')}`);
    f.docs.forEach((doc, i) => {
      if (i > 0 || f.leadingSeparator) lines.push(...f.separator.split('\n'));
      lines.push(...emitDocument(doc, { seqIndent: f.seqIndent }));
    });
    for (const [at, rule, sameLine] of f.directives) {
      const i = at % lines.length;
      const indent = /^[ \t-]*/.exec(lines[i])![0].replace(/-/g, ' ');
      if (sameLine) lines[i] += ` # k8s-image-lint-disable-line ${rule}`;
      else lines = [...lines.slice(0, i), `${indent}# k8s-image-lint-disable-next-line ${rule} -- fuzz`, ...lines.slice(i)];
    }
    let text = '';
    lines.forEach((line, i) => {
      const eol = f.eol === 'crlf' ? '\r\n' : f.eol === 'cr' ? '\r' : f.eol === 'mixed' && i % 3 === 1 ? '\r\n' : '\n';
      text += line + (i < lines.length - 1 || f.finalNewline ? eol : '');
    });
    if (f.bom) text = `\ufeff${text}`;
    const uri = f.kustomizationName ? 'file:///w/kustomization.yaml' : 'file:///w/manifest.yaml';
    return { text, uri };
  });
