import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { PROJECT_ROOT, cli, deployment, tree } from './harness';

test('exit 0: only warnings and hints', () => {
  assert.equal(cli(['web.yaml'], tree({ 'web.yaml': deployment('nginx:latest') })).code, 0);
});

test('exit 1: an error-severity finding', () => {
  const r = cli(['web.yaml'], tree({ 'web.yaml': deployment('NGINX') }));
  assert.equal(r.code, 1);
  assert.match(r.stdout, /^web\.yaml:10:16 error invalid-image-reference /m);
  assert.match(r.stderr, /1 error/);
});

test('exit 2: an unknown option prints what is wrong and the usage', () => {
  const r = cli(['--bogus', 'x.yaml'], tree({ 'x.yaml': deployment('nginx') }));
  assert.equal(r.code, 2);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, /Unknown option --bogus: see k8s-image-lint --help/);
  assert.match(r.stderr, /^Usage: k8s-image-lint \[--format text\|json\|sarif\|github\|junit\] \[--config FILE\] \[--fix\] \[--resolve\] \[--severity LEVEL\] \[--fail-on LEVEL\] \[--rule ID=LEVEL\] \[--disable ID\] \[--kustomize DIR\] \[--values FILE\] \[--set KEY=VALUE\] \[--stdin-filename NAME\] PATH\.\.\.\|-$/m);
});

test('exit 2: usage mistakes', () => {
  const root = tree({ 'x.yaml': deployment('nginx') });
  const cases: [string[], RegExp][] = [
    [[], /No PATH given/],
    [['--format', 'xml', 'x.yaml'], /Unknown format "xml"/],
    [['x.yaml', '--format'], /--format needs a value/],
    [['--format', '--fix', 'x.yaml'], /--format needs a value/],
    [['--fix=yes', 'x.yaml'], /--fix takes no value/],
    [['--config', 'nope.yaml', 'x.yaml'], /nope\.yaml.*Check the --config argument/],
  ];
  for (const [args, message] of cases) {
    const r = cli(args, root);
    assert.equal(r.code, 2, args.join(' '));
    assert.equal(r.stdout, '', args.join(' '));
    assert.match(r.stderr, message, args.join(' '));
  }
});

test('exit 2: a missing path or a directory without YAML; other files are still reported', () => {
  const root = tree({ 'x.yaml': deployment('nginx'), 'empty/readme.md': '# hi\n' });
  let r = cli(['missing.yaml'], root);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /missing\.yaml does not exist: check the path\./);
  r = cli(['empty'], root);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /No \.yaml or \.yml file found in empty/);
  r = cli(['--format', 'json', 'missing.yaml', 'x.yaml'], root);
  assert.equal(r.code, 2, 'an I/O error wins over findings');
  assert.deepEqual(JSON.parse(r.stdout).files.map((f: any) => f.path), ['x.yaml']);
  assert.match(r.stderr, /missing\.yaml does not exist/);
});

test('--help and --version', () => {
  const root = tree({});
  const help = cli(['--help'], root);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /^Usage: k8s-image-lint /);
  assert.match(help.stdout, /1-based/);
  assert.match(help.stdout, /node_modules and \.git/);
  assert.equal(cli(['-h'], root).stdout, help.stdout);
  const version = cli(['--version'], root);
  assert.equal(version.code, 0);
  assert.equal(version.stdout, JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')).version + '\n');
});
