// Files are files: the config file, --kustomize resources and the files linted are read only when they are
// regular files (FIFOs, devices and links to them are refused at once, never read), --kustomize reads nothing
// outside a kustomization's directory, a planted config in a world-writable directory never applies, and
// settings out of range are config errors, not crashes.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cli, deployment, tree } from './harness';
import { yaml } from '../helpers';

describe('files are files', () => {
  it('a FIFO or /dev/zero as the config file: a clear message, exit 2, no hang', () => {
    const root = tree({ 'a.yaml': deployment('nginx') });
    execFileSync('mkfifo', [join(root, 'fifo.yaml')]);
    symlinkSync('/dev/zero', join(root, 'zero.yaml'));
    for (const config of ['fifo.yaml', 'zero.yaml']) {
      const r = cli(['--config', config, 'a.yaml'], root);
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, /is not a regular file \(a directory, device or pipe\): it is not read/);
    }
  });

  it('a FIFO named as a path is refused, the other files are linted', () => {
    const root = tree({ 'a.yaml': deployment('nginx') });
    execFileSync('mkfifo', [join(root, 'pipe.yaml')]);
    const r = cli(['--format', 'json', 'pipe.yaml', 'a.yaml'], root);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /pipe\.yaml is not a regular file \(a device, pipe or socket\): it is not read\./);
    assert.deepEqual(JSON.parse(r.stdout).files.map((f: { path: string }) => f.path), ['a.yaml']);
  });

  it('settings out of range are config errors naming the setting', () => {
    for (const value of ['1500.5', '1e10', '.inf', '0']) {
      const root = tree({ '.k8s-image-lint.yaml': `registry:\n  timeoutMs: ${value}\n`, 'a.yaml': deployment('nginx') });
      const r = cli(['--resolve', 'a.yaml'], root);
      assert.equal(r.code, 2, value);
      assert.match(r.stderr, /registry\.timeoutMs must be a whole number of milliseconds from 100 to 300000, not /, value);
      assert.doesNotMatch(r.stderr, /Internal error/);
    }
  });

  it('a config file planted in a world-writable directory does not apply to a project below it', () => {
    const root = tree({ 'shared/.k8s-image-lint.yaml': 'rules: {missing-tag: "off"}\n', 'shared/proj/a.yaml': deployment('nginx') });
    chmodSync(join(root, 'shared'), 0o777);
    const r = cli(['--format', 'json', 'proj'], join(root, 'shared'));
    assert.ok(JSON.parse(r.stdout).files[0].findings.some((f: { ruleId: string }) => f.ruleId === 'missing-tag'));
  });

  it('the search stops at the repository root', () => {
    const root = tree({ '.k8s-image-lint.yaml': 'rules: {missing-tag: "off"}\n', 'repo/a.yaml': deployment('nginx') });
    mkdirSync(join(root, 'repo/.git'));
    const r = cli(['--format', 'json', 'repo'], root);
    assert.ok(JSON.parse(r.stdout).files[0].findings.some((f: { ruleId: string }) => f.ruleId === 'missing-tag'));
  });

  it('--kustomize reads nothing outside a kustomization\'s directory', () => {
    const root = tree({ 'o/kustomization.yaml': yaml('resources: [../../../../etc/passwd, /proc/self/environ, link.yaml, ok.yaml]', 'patches: [{path: ../secret.yaml}]'), 'o/ok.yaml': deployment('nginx'), 'secret.yaml': 'x: 1\n' });
    symlinkSync('/etc/hostname', join(root, 'o/link.yaml'));
    writeFileSync(join(root, 'o/.keep'), '');
    const r = cli(['--format', 'json', '--kustomize', 'o'], root);
    for (const ref of ['../../../../etc/passwd', '/proc/self/environ', 'link.yaml', '../secret.yaml']) {
      assert.ok(r.stderr.includes(`o/kustomization.yaml names ${ref}, outside its directory: it is not read (kustomize refuses files outside a kustomization's root).`), `${ref}: ${r.stderr}`);
    }
    assert.deepEqual(JSON.parse(r.stdout).files.map((f: { path: string }) => f.path).sort(), ['o/kustomization.yaml', 'o/ok.yaml']);
  });
});

describe('config files are validated', () => {
  it('unknown keys and rule ids and wrong types are warned about, once each, and linting goes on', () => {
    const root = tree({
      '.k8s-image-lint.yaml': 'rules:\n  latest-tags: error\n  missing-tag: loud\nmutableTag: [x]\nregistry:\n  lookup: auto\ninlayHints: {enabled: "no"}\n',
      'a.yaml': deployment('nginx'), 'b.yaml': deployment('redis'),
    });
    const r = cli(['--format', 'json', '.'], root);
    assert.equal(r.code, 0, r.stderr);
    const warnings = r.stderr.split('\n').filter((l) => l.startsWith('k8s-image-lint: warning: '));
    assert.match(warnings[0], /\.k8s-image-lint\.yaml:2:3: rules: unknown rule id/);
    assert.deepEqual(warnings.map((l) => l.replace(/^.*\.k8s-image-lint\.yaml:\d+:\d+: /, '')), [
      'rules: unknown rule id latest-tags (ignored).',
      'rules.missing-tag must be one of error, warning, info, hint, off (ignored).',
      'unknown setting mutableTag (ignored).',
      'unknown setting registry.lookup (ignored).',
      'inlayHints.enabled must be true or false (ignored).',
    ]);
    assert.equal(JSON.parse(r.stdout).files.filter((f: { findings: { ruleId: string }[] }) => f.findings.some((x) => x.ruleId === 'missing-tag')).length, 2);
  });
});
