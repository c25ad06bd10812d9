// Every diagnostic message reads in an 80-column Problems panel and a CI log: one sentence, fact or action first,
// at most 100 characters besides the values it quotes, no Markdown. Checked over one case per message of every
// rule (a rule without a case fails the test), the examples/ folder as the CLI lints it, and the corpus.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { analyze } from '../../server/src/service/analyze';
import { analyzeChart } from '../../server/src/service/helm/chart';
import { WorkspaceIndex } from '../../server/src/service/workspace/index';
import { RULES } from '../../server/src/service/rules/index';
import type { RegistryClient } from '../../server/src/service/registry/types';
import type { Finding } from '../../server/src/service/types';
import { analyzeIn, analyzeText, deploymentWith, dockerSecret, imageIndex, knownRegistry, settingsWith, singleImage, yaml } from '../helpers';
import { cli, PROJECT_ROOT } from '../cli/harness';

export const MAX_MESSAGE = 100;

/**
 * What is wrong with a message, or null. Quoted single tokens ("nginx:latest", "regcred", "always") are the
 * user's values and do not count towards the length; quoted prose does.
 */
export function messageProblem(message: string): string | null {
  const own = message.replace(/"[^"\s]*"/g, '""');
  if (own.length > MAX_MESSAGE) return `${own.length} characters besides quoted values (at most ${MAX_MESSAGE})`;
  if (/[`*]|\]\(/.test(message)) return 'Markdown (backticks, emphasis or links) shows literally in the Problems panel';
  if (/[.!?]\s+\S/.test(own.replace(/\([^)]*\)/g, '()'))) return 'more than one sentence';
  if (/\.$/.test(message)) return 'a trailing full stop (VS Code shows messages as labels)';
  if (/\n/.test(message)) return 'a line break';
  return null;
}

const image = (i: string, ...extra: string[]) => deploymentWith(['containers:', '- name: web', `  image: ${i}`, ...extra.map((l) => `  ${l}`)]);
const withSecrets = (secrets: string[], i: string, namespace?: string) =>
  deploymentWith(['imagePullSecrets:', ...secrets.map((s) => `- name: ${s}`), 'containers:', '- name: web', `  image: ${i}`], namespace);
const pod = (...lines: string[]) => yaml('apiVersion: v1', 'kind: Pod', 'metadata:', '  name: p', 'spec:', ...lines);
const opaque = yaml('apiVersion: v1', 'kind: Secret', 'metadata:', '  name: regcred', '  namespace: shop', 'type: Opaque', 'stringData:', '  username: u', '  password: p');
const kustomization = (...lines: string[]) => yaml('apiVersion: kustomize.config.k8s.io/v1beta1', 'kind: Kustomization', 'resources: [deploy.yaml]', 'images:', ...lines);

const gone: RegistryClient = {
  resolveDigest: async () => ({ ok: false, error: { kind: 'offline', message: 'offline' } }),
  listTags: async () => ({ ok: false, error: { kind: 'offline', message: 'offline' } }),
  exists: async () => ({ ok: false, error: { kind: 'offline', message: 'offline' } }),
  cachedDigest: (ref) => ref.path.endsWith('private')
    ? { ok: false, error: { kind: 'not-found-or-unauthorized', message: 'Docker Hub has no repository that you may pull.' } }
    : { ok: false, error: { kind: 'not-found', message: `${ref.domain}/${ref.path} has no tag ${ref.reference}.` } },
  describe: async () => ({ ok: false, error: { kind: 'offline', message: 'offline' } }),
  cachedDescription: () => undefined,
};

/** One analysis per message site; each yields findings of the rules it is about. */
const CASES: { name: string; findings: () => Finding[] }[] = [
  { name: 'syntax', findings: () => analyzeText(image('nginx:1.27').replace('containers:', 'containers: [').concat('a: b\na: c\n')).findings },
  { name: 'duplicate key', findings: () => analyzeText(image('nginx:1.27') + 'kind: Pod\n').findings },
  { name: 'images', findings: () => analyzeText([
    image('nginx:latest'), image('nginx'), image('nginx:stable'), image('nginx:stable', 'imagePullPolicy: Always'),
    image(`nginx:1.27@sha256:${'a'.repeat(64)}`), image(`nginx:latest@sha256:${'a'.repeat(64)}`),
    image('NGINX:1.27'), image('nginx:'), image('123'), image('{a: b}'), image('[a]'), image('"${IMAGE}"'),
    image('nginx:1.27', 'imagePullPolicy: always'), image('nginx:1.27', 'imagePullPolicy: Sometimes'), image('nginx:1.27', 'imagePullPolicy: 1'),
    image('nginx:1.27', 'imagePullPolicy: [a]'), image('nginx:latest', 'imagePullPolicy: IfNotPresent'), image('nginx', 'imagePullPolicy: Never'),
    image('nginx:stable', 'imagePullPolicy: IfNotPresent'), image('quay.io/org/app:1.0'),
    pod('  initContainers:', '  - name: init', '  containers:', '  - name: a', '    image: ""', '  ephemeralContainers:', '  - name: d', '    image: busybox:1.36'),
    deploymentWith(['containers: [{name: a, image: "app:1"}]', 'ephemeralContainers: [{name: d, image: "busybox:1.36"}]']),
    yaml('apiVersion: pkg.crossplane.io/v1', 'kind: Provider', 'metadata:', '  name: p', 'spec:', '  package: xpkg.upbound.io/upbound/provider-aws:v1.0.0'),
  ].join('---\n'), { allowedRegistries: ['docker.io'] }).findings },
  { name: 'misplaced and malformed fields', findings: () => analyzeText([
    pod('  imagePullPolicy: Always', '  imagePullSecrets: [{name: a}]', '  containers:', '  - name: a', '    image: app:1', '    imagePullSecrets: [{name: a}]'),
    deploymentWith(['imagePullSecrets: {name: a}', 'containers: [{name: a, image: "app:1"}]']),
    deploymentWith(['imagePullSecrets: regcred', 'containers: [{name: a, image: "app:1"}]']),
    deploymentWith(['imagePullSecrets:', '- regcred', '-', '- ""', '- [x]', '- name: 123', '- namespace: x', '- name: a', '  x: y', '- name: ok', '- name: ok', 'containers: [{name: a, image: "app:1"}]']),
  ].join('---\n')).findings },
  { name: 'pull secrets', findings: () => {
    const files = {
      'file:///w/deploy.yaml': [withSecrets(['gone', 'regcred', 'other-ns'], 'registry.example.com/team/web:1.0', 'shop'), image('registry.example.com/team/api:1.0')].join('---\n'),
      'file:///w/secrets.yaml': [opaque, dockerSecret('other-ns', ['registry.example.com'], { namespace: 'tools' })].join('---\n'),
      'file:///w/ghcr.yaml': [withSecrets(['ghcr'], 'registry.example.com/team/web:1.0'), dockerSecret('ghcr', ['ghcr.io'])].join('---\n'),
    };
    return [...analyzeIn(files, 'file:///w/deploy.yaml').findings, ...analyzeIn(files, 'file:///w/ghcr.yaml').findings];
  } },
  { name: 'kustomize images', findings: () => analyzeIn({
    'file:///w/kustomization.yaml': kustomization('- name: a', '  newName: Registry.example.com/A', '- name: b', '  newName: nginx:1.27', '- name: c', '  newTag: "-x"',
      '- name: d', '  tagSuffix: "/x"', '- name: e', `  digest: ${'a'.repeat(64)}`, '- name: f', '  digest: sha256:abc', '- name: g', '  newTag: latest'),
    'file:///w/deploy.yaml': image('a:1'),
  }, 'file:///w/kustomization.yaml').findings },
  { name: 'a base as its kustomization builds it', findings: () => analyzeIn({
    'file:///w/kustomization.yaml': kustomization('- name: controller', `  newName: ghcr.io/open-telemetry/opentelemetry-operator/operator-opamp-bridge`, '  newTag: v0.150.0-155-g89004787',
      '- name: worker', '  newName: us-central1-docker.pkg.dev/k8s-staging-images/jobset/jobset', '  newTag: main'),
    'file:///w/deploy.yaml': [image('controller:latest'), image('controller', 'imagePullPolicy: IfNotPresent'), image('worker:1')].join('---\n'),
  }, 'file:///w/deploy.yaml').findings },
  { name: 'registry', findings: () => analyze(image('ghcr.io/acme/gone:2') + '---\n' + image('acme/private:1'), settingsWith({ registry: { lookups: 'auto' } }), { registry: gone }).findings },
  { name: 'too large', findings: () => analyzeText(image('nginx:1.27'), { maxFileSizeKb: 0 }).findings },
  { name: 'will it pull', findings: () => {
    const [A, B, OLD, NEW] = ['a', 'b', 'c', 'd'].map((c) => `sha256:${c.repeat(64)}`);
    const registry = knownRegistry({
      'ghcr.io/acme/amd:1': singleImage(A),
      'ghcr.io/acme/multi:1': imageIndex(NEW, { [A]: 'linux/amd64', [B]: 'linux/arm64' }),
      [`ghcr.io/acme/multi@${A}`]: singleImage(A),
      'ghcr.io/acme/moved:1': singleImage(NEW),
      [`ghcr.io/acme/moved@${OLD}`]: singleImage(OLD),
    });
    const settings = settingsWith({ platforms: ['linux/amd64', 'linux/arm64'], registryMoves: { 'old.example.com': '' }, rules: { 'missing-digest': 'warning' } });
    return analyze([
      image('ghcr.io/acme/amd:1'), image(`ghcr.io/acme/multi:1@${A}`), image(`ghcr.io/acme/moved:1@${OLD}`),
      image('k8s.gcr.io/pause:3.9'), image('bitnami/redis:7.2.4'), image('old.example.com/a:1'), image('private-registry/container-image:1.0'),
    ].join('---\n'), settings, { registry }).findings;
  } },
  { name: 'a Helm chart', findings: () => {
    const root = resolve(PROJECT_ROOT, 'test/fixtures/charts/web');
    const templates = readdirSync(join(root, 'templates')).map((n) => ({ uri: `file:///web/templates/${n}`, name: `web/templates/${n}`, text: readFileSync(join(root, 'templates', n), 'utf8') }));
    const r = analyzeChart({ chartYaml: { uri: 'file:///web/Chart.yaml', text: readFileSync(join(root, 'Chart.yaml'), 'utf8') }, values: [{ uri: 'file:///web/values.yaml', text: readFileSync(join(root, 'values.yaml'), 'utf8') }], templates }, settingsWith(), new WorkspaceIndex());
    return [...(r?.files.values() ?? [])].flatMap((f) => f.findings);
  } },
];

describe('diagnostic messages', () => {
  const all = CASES.flatMap((c) => c.findings().map((f) => ({ case: c.name, ...f })));

  it('every rule has a case here', () => {
    const fired = new Set(all.map((f) => f.ruleId));
    assert.deepEqual(RULES.map((r) => r.id).filter((id) => !fired.has(id)), []);
  });

  it('are one short sentence without Markdown, and the why is in the detail', () => {
    const bad = all.flatMap((f) => {
      const problem = messageProblem(f.message);
      return problem ? [`${f.ruleId} (${f.case}): ${problem}\n  ${f.message}`] : [];
    });
    assert.deepEqual(bad, []);
    for (const f of all) if (f.detail !== undefined) assert.ok(f.detail.length > 0 && !f.detail.includes(f.message), `${f.ruleId}: ${f.detail}`);
  });

  it('the checker itself catches what it is for', () => {
    assert.equal(messageProblem('":latest" moves with every push; pin a version or a digest'), null);
    assert.equal(messageProblem(`Image "${'x'.repeat(300)}" is fine`), null);
    assert.match(messageProblem('a'.repeat(101)) ?? '', /101 characters/);
    assert.match(messageProblem('Write `- name: x`') ?? '', /Markdown/);
    assert.match(messageProblem('It is wrong. Fix it') ?? '', /one sentence/);
    assert.match(messageProblem('It is wrong.') ?? '', /full stop/);
    assert.equal(messageProblem('Not analysed: 6 KB is over maxFileSizeKb (5); raise it (e.g. to 10)'), null);
  });

  it('over examples/, as the CLI lints it', () => {
    const r = cli(['--format', 'json', '--severity', 'hint', 'examples'], PROJECT_ROOT);
    const report = JSON.parse(r.stdout) as { files: { path: string; findings: { ruleId: string; message: string }[] }[] };
    const bad = report.files.flatMap((file) => file.findings.flatMap((f) => {
      const problem = messageProblem(f.message);
      return problem ? [`${file.path} ${f.ruleId}: ${problem}\n  ${f.message}`] : [];
    }));
    assert.ok(report.files.some((f) => f.findings.length > 0));
    assert.deepEqual(bad, []);
  });

  const corpus = resolve(PROJECT_ROOT, '../shared/corpus');
  it('over the corpus', { skip: !existsSync(corpus) && 'no ../shared/corpus beside the project' }, () => {
    const bad: string[] = [];
    for (const path of yamlFiles(corpus)) {
      for (const f of analyzeText(readFileSync(path, 'utf8')).findings) {
        const problem = messageProblem(f.message);
        if (problem) bad.push(`${path} ${f.ruleId}: ${problem}\n  ${f.message}`);
      }
    }
    assert.deepEqual(bad, []);
  });
});

function yamlFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return yamlFiles(path);
    return /\.ya?ml$/.test(name) ? [path] : [];
  });
}

