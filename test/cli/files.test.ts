import assert from 'node:assert/strict';
import { test } from 'node:test';
import { WORKFLOW, cli, deployment, tree } from './harness';

const paths = (stdout: string) => JSON.parse(stdout).files.map((f: { path: string }) => f.path);
const ruleSeverity = (stdout: string, path: string, ruleId: string) =>
  JSON.parse(stdout).files.find((f: any) => f.path === path)?.findings.find((f: any) => f.ruleId === ruleId)?.severity ?? null;

test('directories: *.yaml/*.yml sorted, node_modules/.git and plain .gitignore entries skipped', () => {
  const web = deployment('nginx');
  const root = tree({
    'repo/.gitignore': '# build output\nbuild/\n/dist\nsecret.yaml\n*.yml\n!keep\n',
    'repo/b.yaml': web,
    'repo/a.yml': web,
    'repo/C.YAML': web,
    'repo/notes.txt': web,
    'repo/sub/secret.yaml': web,
    'repo/sub/dist/x.yaml': web,
    'repo/sub/build': 'a file, not a directory\n',
    'repo/dist/x.yaml': web,
    'repo/build/x.yaml': web,
    'repo/node_modules/pkg/x.yaml': web,
    'repo/sub/node_modules/x.yaml': web,
    'repo/.git/x.yaml': web,
    'repo/.github/workflows/ci.yml': WORKFLOW,
  });
  const r = cli(['--format', 'json', 'repo'], root);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(paths(r.stdout), ['repo/.github/workflows/ci.yml', 'repo/C.YAML', 'repo/a.yml', 'repo/b.yaml', 'repo/sub/dist/x.yaml']);
});

test('files named explicitly are linted whatever their place or extension, each once', () => {
  const web = deployment('nginx');
  const root = tree({ 'node_modules/x.yaml': web, 'manifest.txt': web, 'd/a.yaml': web });
  const r = cli(['--format', 'json', 'node_modules/x.yaml', 'manifest.txt', 'd', 'd/a.yaml', './d/a.yaml'], root);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(paths(r.stdout), ['node_modules/x.yaml', 'manifest.txt', 'd/a.yaml']);
});

test('paths outside the working directory are relative with ../', () => {
  const root = tree({ 'a/web.yaml': deployment('nginx'), 'b/.keep': '' });
  const r = cli(['--format', 'json', '../a'], `${root}/b`);
  assert.deepEqual(paths(r.stdout), ['../a/web.yaml']);
});

test('--config FILE applies to every file and overrides nearest config files', () => {
  const root = tree({
    'strict.yaml': 'rules:\n  missing-tag: error\n',
    'app/.k8s-image-lint.yaml': 'rules:\n  missing-tag: off\n',
    'app/web.yaml': deployment('nginx'),
    'web.yaml': deployment('nginx'),
  });
  const r = cli(['--format', 'json', '--config', 'strict.yaml', 'app', 'web.yaml'], root);
  assert.equal(r.code, 1);
  assert.equal(ruleSeverity(r.stdout, 'app/web.yaml', 'missing-tag'), 'error');
  assert.equal(ruleSeverity(r.stdout, 'web.yaml', 'missing-tag'), 'error');
});

test('without --config each file uses the nearest .k8s-image-lint.yaml', () => {
  const root = tree({
    '.k8s-image-lint.yaml': 'rules:\n  missing-tag: error\n',
    'web.yaml': deployment('nginx'),
    'team/.k8s-image-lint.yaml': 'rules: {missing-tag: off}\n',
    'team/deep/web.yaml': deployment('nginx'),
    'other/web.yaml': deployment('nginx'),
  });
  const r = cli(['--format', 'json', '.'], root);
  assert.equal(r.code, 1, r.stderr);
  assert.equal(ruleSeverity(r.stdout, 'web.yaml', 'missing-tag'), 'error');
  assert.equal(ruleSeverity(r.stdout, 'other/web.yaml', 'missing-tag'), 'error');
  assert.equal(ruleSeverity(r.stdout, 'team/deep/web.yaml', 'missing-tag'), null);
  assert.ok(paths(r.stdout).includes('.k8s-image-lint.yaml'), 'config files are YAML files too; they have no findings');
});

test('a broken nearest config file is reported once, its files skipped, exit 2', () => {
  const root = tree({
    'bad/.k8s-image-lint.yaml': 'rules: [unclosed\n',
    'bad/a.yaml': deployment('nginx'),
    'bad/b.yaml': deployment('nginx'),
    'good/c.yaml': deployment('nginx'),
  });
  const r = cli(['--format', 'json', 'bad/a.yaml', 'bad/b.yaml', 'good'], root);
  assert.equal(r.code, 2);
  assert.deepEqual(paths(r.stdout), ['good/c.yaml']);
  assert.equal(r.stderr.match(/is not valid YAML/g)?.length, 1, r.stderr);
});

test('JSON manifests are manifests; other JSON is not read', () => {
  const pod = JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'a', image: 'nginx:latest' }] } }, null, 2);
  const root = tree({ 'repo/pod.json': pod + '\n', 'repo/package.json': '{"name": "x", "version": "1.0.0"}\n', 'repo/tsconfig.json': '{ // comment\n "compilerOptions": {} }\n' });
  const r = cli(['--format', 'json', 'repo'], root);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(paths(r.stdout), ['repo/pod.json']);
  const [finding] = JSON.parse(r.stdout).files[0].findings.filter((f: any) => f.ruleId === 'latest-tag');
  assert.deepEqual(finding.range.start, { line: 10, character: 17 });
});

test('UTF-16 files with a byte-order mark are read, and --fix writes them back in UTF-16', async () => {
  const { readFileSync, writeFileSync } = await import('node:fs');
  const { join } = await import('node:path');
  const text = deployment('nginx:1.27', 'imagePullPolicy: always');
  const root = tree({});
  writeFileSync(join(root, 'le.yaml'), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]));
  writeFileSync(join(root, 'be.yaml'), Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(text, 'utf16le').swap16()]));
  const r = cli(['--format', 'json', 'le.yaml', 'be.yaml'], root);
  for (const f of JSON.parse(r.stdout).files) {
    assert.equal(f.images[0].image, 'nginx:1.27', f.path);
    assert.ok(f.findings.some((x: any) => x.ruleId === 'invalid-pull-policy'), f.path);
  }
  assert.equal(cli(['--fix', 'le.yaml'], root).code, 0);
  const bytes = readFileSync(join(root, 'le.yaml'));
  assert.deepEqual([...bytes.subarray(0, 2)], [0xff, 0xfe]);
  assert.equal(bytes.subarray(2).toString('utf16le'), text.replace('imagePullPolicy: always', 'imagePullPolicy: Always'));
});

test('a JSON stream of objects is read object by object, as kubectl reads it', () => {
  const obj = (image: string) => JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: image }, spec: { containers: [{ name: 'a', image }] } });
  const root = tree({ 'stream.json': `${obj('nginx:latest')}\n${obj('redis:latest')}\n` });
  const r = cli(['--format', 'json', 'stream.json'], root);
  const [file] = JSON.parse(r.stdout).files;
  assert.deepEqual(file.images.map((i: any) => [i.image, i.document]), [['nginx:latest', 0], ['redis:latest', 1]]);
  assert.ok(!file.findings.some((f: any) => f.ruleId === 'yaml-syntax'));
});
