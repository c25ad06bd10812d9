// The CLI bundle over several files: the paths given form one workspace (pull secrets are looked up among all
// of them), `--kustomize DIR` lints an overlay's effective images, and no output ever holds a credential.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { cli, tree } from './harness';
import { b64, deploymentWith, dockerSecret, yaml } from '../helpers';

interface JsonFinding { ruleId: string; severity: string; message: string; range: { start: { line: number; character: number } } }
interface JsonFile { path: string; images: { image: string; range: { start: { line: number; character: number } } | null }[]; findings: JsonFinding[] }

const json = (args: string[], cwd: string): { code: number | null; files: JsonFile[]; stdout: string; stderr: string } => {
  const r = cli(['--format', 'json', ...args], cwd);
  return { code: r.code, files: r.stdout ? (JSON.parse(r.stdout) as { files: JsonFile[] }).files : [], stdout: r.stdout, stderr: r.stderr };
};
const rules = (files: JsonFile[], path: string) => files.find((f) => f.path === path)!.findings.map((f) => f.ruleId).filter((id) => /^(pull-secret|private-image|latest-tag|invalid-image)/.test(id));

const PASSWORD = 'cli-password-42';
const DEPLOY = deploymentWith(['imagePullSecrets:', '- name: regcred', 'containers:', '- name: web', '  image: registry.example.com/team/web:1.2'], 'prod');

describe('a workspace of the given paths', () => {
  it('looks pull secrets up in every file given, across directories', () => {
    const root = tree({
      'app/deploy.yaml': DEPLOY,
      'secrets/regcred.yaml': dockerSecret('regcred', ['ghcr.io'], { namespace: 'prod', secret: PASSWORD }),
    });
    const r = json(['.'], root);
    assert.equal(r.code, 0);
    assert.deepEqual(rules(r.files, 'app/deploy.yaml'), ['pull-secret-registry-mismatch']);
    // Only the deployment given: the Secret is not in the workspace.
    assert.deepEqual(rules(json(['app'], root).files, 'app/deploy.yaml'), ['pull-secret-not-found']);
  });

  it('reports a wrong-type Secret as an error (exit 1), and never prints a credential', () => {
    const root = tree({
      'deploy.yaml': DEPLOY,
      'secret.yaml': yaml('apiVersion: v1', 'kind: Secret', 'metadata: {name: regcred, namespace: prod}', 'type: kubernetes.io/dockerconfigjson', 'stringData:',
        `  .dockerconfigjson: '{"registry.example.com": {"auth": "${b64(`robot:${PASSWORD}`)}"}}'`),
    });
    for (const format of ['json', 'text', 'sarif']) {
      const r = cli(['--format', format, '.'], root);
      assert.equal(r.code, 1, r.stderr);
      assert.ok(r.stdout.includes('pull-secret-wrong-type'), r.stdout);
      for (const needle of [PASSWORD, b64(`robot:${PASSWORD}`)]) assert.ok(!(r.stdout + r.stderr).includes(needle), `${format} output holds a credential`);
    }
  });
});

describe('--kustomize DIR', () => {
  const files = {
    'base/deploy.yaml': deploymentWith(['imagePullSecrets:', '- name: regcred', 'containers:', '- name: web', '  image: registry.example.com/team/web:1.2']),
    'base/kustomization.yaml': yaml('resources:', '- deploy.yaml'),
    'overlays/prod/kustomization.yaml': yaml('apiVersion: kustomize.config.k8s.io/v1beta1', 'kind: Kustomization', 'namespace: prod', 'resources:', '- ../../base',
      '- secret.yaml', '- https://github.com/org/repo//deploy?ref=v1', 'images:', '- name: registry.example.com/team/web', '  newTag: latest'),
    'overlays/prod/secret.yaml': dockerSecret('regcred', ['registry.example.com'], { secret: PASSWORD }),
    'elsewhere/secret.yaml': dockerSecret('regcred', ['ghcr.io'], { namespace: 'tools' }),
  };

  it('lints the overlay\'s effective images, with findings on the base file, and its namespace', () => {
    const root = tree(files);
    const r = json(['--kustomize', 'overlays/prod'], root);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(r.files.map((f) => f.path).sort(), ['base/deploy.yaml', 'base/kustomization.yaml', 'overlays/prod/kustomization.yaml', 'overlays/prod/secret.yaml']);
    const base = r.files.find((f) => f.path === 'base/deploy.yaml')!;
    // What the overlay's image implies, on the image as written in the base (0-based line 11, after `image: `).
    const implicit = base.findings.find((f) => f.ruleId === 'implicit-pull-policy')!;
    assert.deepEqual(implicit.range.start, { line: 11, character: 15 });
    assert.equal(implicit.message, 'Kubernetes sets imagePullPolicy: Always (tag is latest); write it explicitly (the overlay makes it "registry.example.com/team/web:latest")');
    assert.equal(base.images[0].image, 'registry.example.com/team/web:latest');
    // latest-tag once, on the overlay's own newTag: latest (not again on the base image it rewrites); the Secret
    // of the overlay is in the overlay's namespace, like the Deployment: nothing else to say.
    assert.deepEqual(rules(r.files, 'base/deploy.yaml'), []);
    assert.deepEqual(rules(r.files, 'overlays/prod/kustomization.yaml'), ['latest-tag']);
    assert.match(r.stderr, /note: overlays\/prod\/kustomization\.yaml: the remote base https:\/\/github\.com\/org\/repo\/\/deploy\?ref=v1 is not read/);
    assert.ok(!r.stdout.includes(PASSWORD));
  });

  it('the base alone, as PATH, has the Secret only in another namespace', () => {
    const root = tree({ 'base/deploy.yaml': files['base/deploy.yaml'], 'elsewhere/secret.yaml': files['elsewhere/secret.yaml'] });
    assert.deepEqual(rules(json(['.'], root).files, 'base/deploy.yaml'), ['pull-secret-namespace-mismatch']);
  });

  it('combines with PATHs, and fails on a missing resource or a directory without kustomization', () => {
    const root = tree({ ...files, 'overlays/broken/kustomization.yaml': yaml('resources: [../../nope, ../../elsewhere]') });
    const broken = cli(['--kustomize', 'overlays/broken', 'base/deploy.yaml'], root);
    assert.equal(broken.code, 2);
    assert.match(broken.stderr, /overlays\/broken\/kustomization\.yaml lists \.\.\/\.\.\/nope, which does not exist: kustomize build would fail\./);
    assert.match(broken.stderr, /lists the directory \.\.\/\.\.\/elsewhere, which has no kustomization\.yaml/);
    const none = cli(['--kustomize', 'base/deploy.yaml'], root);
    assert.equal(none.code, 2);
    assert.match(none.stderr, /has no kustomization\.yaml, kustomization\.yml or Kustomization: name an overlay directory\./);
    const usage = cli(['--kustomize', 'overlays/prod', '--fix'], root);
    assert.equal(usage.code, 2);
    assert.match(usage.stderr, /--fix cannot be combined with --kustomize/);
  });
});
